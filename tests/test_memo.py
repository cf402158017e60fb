"""The memo layer: reuse within and across runs, forgetting what a run did not ask for."""

from mkdocs_readinglist.memo import Memo, Memos, Same, make_now, recall_each


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


def test_recall_each_is_a_recall_per_item_and_a_one_shot_run_makes_no_key() -> None:
    """recall_each gives each item's recall in order: a keeping Memo reuses last run's results by
    their keys (as `recall(key, make)` per item does); make_now and a Memo that keeps nothing
    make each item, the Memo counting them as its own call does, and ask for no key."""
    from mkdocs_readinglist.corpus import merge_records
    from mkdocs_readinglist.sources import read_source

    from .helpers import SAMPLES, SEED_NAMES

    items = ["a", "b", "c"]
    keys_asked: list[str] = []

    def key(item: str) -> str:
        keys_asked.append(item)
        return item

    memo = Memo()
    assert list(recall_each(memo, items, key, str.upper)) == ["A", "B", "C"]
    memo.end_run()
    assert list(recall_each(memo, ["c", "d"], key, lambda item: item * 2)) == ["C", "dd"]  # "c" reused
    assert (memo.made, memo.reused) == (4, 1) and keys_asked == ["a", "b", "c", "c", "d"]
    keys_asked.clear()
    counting = Memo(keep=False)
    assert list(recall_each(counting, items, key, str.upper)) == ["A", "B", "C"]
    assert list(recall_each(make_now, items, key, str.upper)) == ["A", "B", "C"]
    assert (counting.made, counting.reused, len(counting)) == (3, 0, 0) and keys_asked == []
    # The merge of real listings: the same papers and counts whichever recall it is given.
    results = [read_source(SAMPLES / SEED_NAMES[name]) for name in SEED_NAMES]
    kept, one_shot = Memo(), Memo(keep=False)
    general = merge_records(results, kept)
    assert merge_records(results, one_shot).papers == general.papers == merge_records(results).papers
    assert one_shot.made == kept.made == len(general.papers) > 100
    kept.end_run()
    assert merge_records(results, kept).papers == general.papers and kept.reused == len(general.papers)


def test_a_text_cache_call_is_the_generic_call_on_real_texts() -> None:
    """text_cache's call made for the function's parameters gives what the generic wrapper
    (`*args, **kwargs` to the function, long texts answered at once) gives, on every title,
    name and abstract of the samples and of TeX Live's bibliographies, by keyword and by
    position; the two spellings share one cache entry; a short text is cached (equal texts come
    back as one object), a long one `answer_at_once` answers is not looked up."""
    import functools

    from mkdocs_readinglist.latex import decode, encode
    from mkdocs_readinglist.memo import text_cache
    from mkdocs_readinglist.sources import read_source

    from .helpers import SAMPLES, SEED_NAMES
    from .test_bib_round_trip import texlive_bib

    texts: list[str] = []
    for path in [*(SAMPLES / name for name in SEED_NAMES.values()), texlive_bib("xampl.bib"),
                 texlive_bib("biblatex-examples.bib")]:
        for record in read_source(path).records:
            texts += [t for t in (record.title, record.abstract, record.summary, *record.authors) if t]
            texts += [raw for _, raw in record.bib.fields] if record.bib else []
    assert len(texts) > 500 and any(len(t) > 300 for t in texts) and any("\\" in t for t in texts)

    def generic(compute, at_once):  # type: ignore[no-untyped-def]  (memo.TextCache's call before)
        cached = functools.lru_cache(maxsize=65536)(compute)

        def call(text, *args, **kwargs):  # type: ignore[no-untyped-def]
            if len(text) > 300:
                found = at_once(text, *args, **kwargs)
                if found is not None:
                    return found
            return cached(text, *args, **kwargs)
        return call

    decode_fast = text_cache(decode._decode, decode._decoded_at_once)
    decode_generic = generic(decode._decode, decode._decoded_at_once)
    encode_fast = text_cache(encode._to_latex, encode._plain_at_once)
    encode_generic = generic(encode._to_latex, encode._plain_at_once)
    for text in texts:
        assert decode_fast(text) == decode_generic(text)
        assert decode_fast(text, True) == decode_fast(text, tie_is_space=True) == decode_generic(text, tie_is_space=True)
        assert encode_fast(text) == encode_generic(text)
    # One entry per text and option, whichever way the option was passed: the short texts, and
    # the long ones with LaTeX in them (the others answered at once)
    looked_up = {(t, flag) for t in texts for flag in (False, True)
                 if len(t) <= 300 or decode._decoded_at_once(t, flag) is None}
    assert decode_fast.cache_info().currsize == len(looked_up)
    equal = "".join(["A Title", " of Two Parts"])
    assert decode_fast(equal, tie_is_space=True) is decode_fast("A Title of Two Parts", True)
    before = encode_fast.cache_info()
    assert encode_fast("word " * 100) == "word " * 100 and encode_fast.cache_info() == before  # not looked up
    assert decode_fast.__wrapped__ is decode._decode and decode_fast.__name__ == "decode"

    def keyword_only(text: str, *, loud: bool = False) -> str:
        return text.upper() if loud else text

    fallback = text_cache(keyword_only, lambda text, *, loud=False: None)
    assert fallback("abc", loud=True) == "ABC" and fallback("abc") == "abc"
