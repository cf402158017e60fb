"""The memo layer: reuse within and across runs, forgetting what a run did not ask for."""

from mkdocs_readinglist.memo import Memo, Memos, Same, make_now


def test_a_memo_reuses_last_runs_result_and_forgets_what_a_run_did_not_ask_for() -> None:
    memo = Memo()
    calls: list[str] = []

    def make(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert memo("a", lambda: make("a")) == "A"
    assert memo("b", lambda: make("b")) == "B"
    memo.end_run()
    assert memo("a", lambda: make("a")) == "A"  # reused: not made again
    assert calls == ["a", "b"]
    memo.end_run()  # "b" was not asked for in the second run: forgotten
    assert memo.get("b") is None
    assert memo("b", lambda: make("b")) == "B"
    assert calls == ["a", "b", "b"]
    assert (memo.made, memo.reused) == (3, 1)
    assert len(memo) == 2


def test_same_compares_by_identity_not_equality() -> None:
    first, equal = [1, 2], [1, 2]
    memo = Memo()
    memo.put((Same(first), "x"), 1)
    assert memo.get((Same(first), "x")) == 1
    assert memo.get((Same(equal), "x")) is None


def test_memos_start_empty_when_a_stage_setting_changes() -> None:
    memos = Memos()
    memos.memo("topics", ("ml",)).put("k", 1)
    assert memos.memo("topics", ("ml",)).get("k") == 1
    assert memos.memo("topics", ("ml", "cv")).get("k") is None
    assert make_now("k", lambda: 5) == 5


def test_a_memo_that_keeps_nothing_makes_every_time_and_counts() -> None:
    memos = Memos(keep=False)
    memo = memos.memo("merge")
    assert memo("a", lambda: 1) == 1 and memo("a", lambda: 2) == 2  # nothing recalled
    memo.put("b", 3)
    assert memo.get("b") is None and len(memo) == 0
    memos.end_run()
    assert (memo.made, memo.reused) == (2, 0) and memos.work() == {"merge": 2}
