"""The one memo layer: results of the last run that a rebuild (a `mkdocs serve` process) reuses.

Stages stay pure functions. A stage that has per-item work worth reusing takes a `Recall`
argument: it names each item's work by a key that holds every input of that work, and calls
`recall(key, make)`. For a one-shot run (the CLI) that is `make_now`, which just makes it; for a
serve process it is a `Memo`, which gives last run's result for the same key or makes and keeps
it. The stage never sees which. A `Memo` keeps only what the last run asked for (`end_run`), so
it never outgrows the corpus.

Keys are compared by equality. Values that are costly to compare (a Paper, a tuple of records)
go into keys as `Same(value)`: the very object of the last run, compared by identity, which is
what a rebuild can trust (a changed source gives new objects).

The rule: every result kept from one run to the next lives in a `Memo` of the `Memos` a
`SourceCache` holds, and the pipeline ends a run with `Memos.end_run()`. No stage keeps a dict
of its own, at module level or in an argument. What may stay outside the layer is a pure
function cache: `functools.lru_cache` on a function of immutable arguments that reads nothing
that can change during a process (the built-in taxonomy, the dataset list, a compiled table),
whose result is the same in every run.

A `Memo(keep=False)` keeps nothing and only counts: a one-shot run (the CLI) passes it where a
serve process passes a keeping one, so the counts of work (`made`) mean the same in both.
"""

from __future__ import annotations

import inspect
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator
from functools import lru_cache, partial
from typing import Any, Generic, Protocol, TypeVar, cast

V = TypeVar("V")
T = TypeVar("T")


class Recall(Protocol):
    """`recall(key, make)`: make(), or the result an earlier run made for the same key."""

    def __call__(self, key: Hashable, make: Callable[[], V], /) -> V: ...


def make_now(key: Hashable, make: Callable[[], V], /) -> V:
    """The recall of a run that keeps nothing."""
    return make()


class Same(Generic[T]):
    """A key part compared by identity: the very object, not an equal one. It holds the
    object, so its id is not reused while the memo keeps the key."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value

    def __repr__(self) -> str:
        return f"Same({type(self.value).__name__} at {id(self.value):#x})"


_MISSING: Any = object()


class Memo:
    """One stage's results: last run's, and this run's as it asks for them."""

    __slots__ = ("_last", "_this", "keep", "made", "reused")

    def __init__(self, keep: bool = True) -> None:
        self._last: dict[Hashable, Any] = {}
        self._this: dict[Hashable, Any] = {}
        self.keep = keep  # False: make every result and keep none (a one-shot run), counting them
        self.made = 0  # results made, not reused: the measure of a rebuild's work
        self.reused = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        """This run's or last run's result for `key` (then kept for the next run), else default."""
        found = self._this.get(key, _MISSING)
        if found is _MISSING:
            found = self._last.pop(key, _MISSING)
            if found is _MISSING:
                return default
            self._this[key] = found
        return found

    def put(self, key: Hashable, value: V) -> V:
        if self.keep:
            self._this[key] = value
        return value

    def __call__(self, key: Hashable, make: Callable[[], V], /) -> V:
        # get() and put() written out: this runs once per item per stage (10k papers: 10k calls)
        if not self.keep:  # a one-shot run: not even the key is hashed
            self.made += 1
            return make()
        found = self._this.get(key, _MISSING)
        if found is _MISSING:
            found = self._last.pop(key, _MISSING)
            if found is _MISSING:
                self.made += 1
                found = make()
            else:
                self.reused += 1
            self._this[key] = found
        else:
            self.reused += 1
        return found  # type: ignore[no-any-return]

    def end_run(self) -> None:
        """Forget what this run did not ask for; what it did becomes last run's."""
        self._last = self._this
        self._this = {}

    def __len__(self) -> int:
        return len(self._this) + len(self._last)


def recall_each(recall: Recall, items: Iterable[T], key: Callable[[T], Hashable], make: Callable[[T], V]) -> Iterator[V]:
    """`recall(key(item), lambda: make(item))` for each of `items`, in order: a stage's work per
    item (a paper made from its records, a paper copied with its key). A recall that keeps
    nothing (`make_now`, a `Memo(keep=False)`: a one-shot run) makes each at once, counted as
    the Memo counts, without the key or a closure made per item (at 20k papers, 0.4 µs a paper
    in each stage that asks; tests/test_memo.py holds both ways to the same results and counts)."""
    if recall is make_now:
        for item in items:
            yield make(item)
    elif isinstance(recall, Memo) and not recall.keep:
        for item in items:
            recall.made += 1
            yield make(item)
    else:
        for item in items:
            yield recall(key(item), partial(make, item))


def given_away(items: list[T]) -> Iterator[T]:
    """Each of `items` in order, the list letting go of each as it is given: a stage that makes
    a copy of each item from a list its caller gives away (a one-shot run, whose memos keep
    nothing) holds one copy of every item at a time, not two, and each new copy takes the
    place the last old one left. The list is empty afterwards."""
    items.reverse()
    while items:
        yield items.pop()


class JoinedTexts:
    """Texts made once each within a run and asked for again in it (a paper's entry on each of
    its topic pages), held joined, a few hundred to a string, instead of an object each: a
    one-shot run that lets them all go at once then leaves no small-object holes that its
    later, larger pages cannot use (Python's allocator keeps a small object's memory for small
    objects). Called as a recall, `texts(key, make)`; keeps nothing across runs."""

    __slots__ = ("_chunks", "_pending", "_size", "_starts", "_where", "made")
    _CHUNK = 256  # texts joined at a time

    def __init__(self) -> None:
        self._where: dict[Hashable, int] = {}  # key -> the text's number, in the order made
        self._starts = array("q")  # where each text starts in its chunk
        self._chunks: list[str] = []  # texts joined, _CHUNK at a time
        self._pending: list[str] = []  # the texts of the chunk being filled
        self._size = 0  # the length of the chunk being filled
        self.made = 0

    def __call__(self, key: Hashable, make: Callable[[], str], /) -> str:
        number = self._where.get(key)
        if number is None:
            text = make()
            self.made += 1
            self._where[key] = len(self._starts)
            self._starts.append(self._size)
            self._size += len(text)
            self._pending.append(text)
            if len(self._pending) == self._CHUNK:
                self._chunks.append("".join(self._pending))
                self._pending, self._size = [], 0
            return text
        chunk, place = divmod(number, self._CHUNK)
        if chunk == len(self._chunks):
            return self._pending[place]
        end = self._starts[number + 1] if place + 1 < self._CHUNK else len(self._chunks[chunk])
        return self._chunks[chunk][self._starts[number]:end]

    def __len__(self) -> int:
        return len(self._where)


class Memos:
    """Every stage's memo, each valid for one setting (a taxonomy, page options): a stage whose
    setting changed starts empty."""

    def __init__(self, keep: bool = True) -> None:
        self._memos: dict[str, tuple[object, Memo]] = {}
        self.keep = keep  # False: memos that keep nothing, only count (a one-shot run)

    def memo(self, stage: str, setting: object = None) -> Memo:
        kept = self._memos.get(stage)
        if kept is not None and (kept[0] is setting or kept[0] == setting):
            return kept[1]
        fresh = Memo(self.keep)
        self._memos[stage] = (setting, fresh)
        return fresh

    def end_run(self) -> None:
        for _, memo in self._memos.values():
            memo.end_run()

    def work(self) -> dict[str, int]:
        """Results made (not reused) per stage since the memos were made."""
        return {stage: memo.made for stage, (_, memo) in self._memos.items()}


R = TypeVar("R")


class TextCache(Protocol[R]):
    """A pure function cache for a function of a text (and options), made by `text_cache`:
    `functools.lru_cache`, except that a long text `answer_at_once` can answer (an abstract with
    no LaTeX in it) is answered without the cache: hashing each new long text to look it up, and
    keeping it, cost more than the answer. Short texts (titles, names) are cached, so that equal
    ones come back as one object. `cache_clear`, `cache_info` are the cache's; `__wrapped__` is
    the function itself."""

    __wrapped__: Callable[..., R]

    def __call__(self, text: str, *args: Any, **kwargs: Any) -> R: ...

    def cache_clear(self) -> None: ...

    def cache_info(self) -> Any: ...


def text_cache(compute: Callable[..., R], answer_at_once: Callable[..., R | None], short: int = 300,
               maxsize: int = 65536) -> TextCache[R]:
    """A TextCache of `compute`. Called 100k times in a 20k-paper export (every title, name and
    abstract read or written), it is a function made for `compute`'s own parameters
    (`_fast_call`), not a generic `*args, **kwargs` wrapper: that packing and unpacking, a
    method call, and the cache's key made of keywords cost more than a short text's answer
    (0.41 -> 0.11 µs a call that finds its text cached). The options are passed to the cache
    by position, so a call by keyword and one by position share an entry.
    tests/test_memo.py holds it to the generic call."""
    cached = lru_cache(maxsize=maxsize)(compute)
    call = _fast_call(compute, cached, answer_at_once, short)
    if call is None:
        def call(text: str, *args: Any, **kwargs: Any) -> R:
            if len(text) > short:
                found = answer_at_once(text, *args, **kwargs)
                if found is not None:
                    return found
            return cached(text, *args, **kwargs)
    made: Any = call
    made.__wrapped__ = compute
    made.cache_clear = cached.cache_clear
    made.cache_info = cached.cache_info
    made.__name__ = made.__qualname__ = compute.__name__.lstrip("_")
    made.__doc__ = compute.__doc__
    return cast("TextCache[R]", made)


def _fast_call(compute: Callable[..., R], cached: Callable[..., R], answer_at_once: Callable[..., R | None],
               short: int) -> Callable[..., R] | None:
    """TextCache's call written for `compute`'s parameters (a text, then options with their
    defaults, by position or keyword): the options go to `answer_at_once` and the cache by
    position. None when its parameters are not of that kind (the generic call then)."""
    parameters = list(inspect.signature(compute).parameters.values())
    if not parameters or any(p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters) \
            or parameters[0].default is not inspect.Parameter.empty \
            or any(p.default is inspect.Parameter.empty for p in parameters[1:]):
        return None
    names = [p.name for p in parameters]
    namespace: dict[str, Any] = {"_cached": cached, "_at_once": answer_at_once, "_len": len}
    signature = [names[0]]
    for parameter in parameters[1:]:
        namespace[f"_default_{parameter.name}"] = parameter.default
        signature.append(f"{parameter.name}=_default_{parameter.name}")
    passed = ", ".join(names)
    source = (f"def call({', '.join(signature)}):\n"
              f"    if _len({names[0]}) > {int(short)}:\n"
              f"        found = _at_once({passed})\n"
              f"        if found is not None:\n"
              f"            return found\n"
              f"    return _cached({passed})\n")
    exec(compile(source, f"<TextCache of {compute.__name__}>", "exec"), namespace)  # (our own text)
    call: Callable[..., R] = namespace["call"]
    return call
