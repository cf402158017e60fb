"""Citation keys: readable, deterministic, unique case-insensitively, and locked once given.

Google Scholar style `surname + year + firstword` when authors are known, else the short
name (or the first significant title words) + year. A lock file pins every key it has
seen, so adding papers, adding authors or re-ordering sources never renames a key.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, count, islice
from operator import attrgetter
from pathlib import Path
from string import ascii_lowercase

import yaml
from pybtex.database import Person
from pybtex.exceptions import PybtexError

from ..makers import replacer
from ..memo import Recall, Same, make_now, recall_each
from ..memo import given_away as letting_go
from ..model import Diagnostic, Paper, Severity, SourceRef
from ..text import ascii_fold, bibtex_name

STOPWORDS = frozenset([
    "a", "an", "the", "on", "of", "for", "in", "to", "with", "and", "or", "via", "from", "towards", "toward",
    "is", "are", "by", "at", "as", "into", "using", "do", "does", "can", "what", "how", "when", "why",
    "where", "which", "who", "its", "it", "be", "we", "our", "through", "over", "under"
])
_WORD = re.compile(r"[A-Za-z0-9]+")
_NOT_KEY = re.compile(r"[^a-z0-9]+")
# libyaml when PyYAML has it (the same YAML, 2-3x faster on a lock of 10k keys). Locks whose
# keys and ids are all plain YAML words (nearly all) are read and written without YAML at
# all, in the very text PyYAML gives them (_plain_lock, text): 50x faster again.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:/+\-]*")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
LOCK_HEADER = (
    "# mkdocs-readinglist citation keys. Each key is pinned to the ids of its paper once given,\n"
    "# so it never changes when papers are added or sources move. Commit this file.\n")


def _ascii_key(text: str) -> str:
    return _NOT_KEY.sub("", ascii_fold(text).lower())


def surname(name: str) -> str:
    """The last name of a BibTeX-style name (`Huang, Buzhen` or `Buzhen Huang`; `King` of
    `Martin Luther King Jr.`, as the export writes it: text.bibtex_name)."""
    try:
        person = Person(bibtex_name(name))
        last = " ".join(person.last_names)
    except PybtexError:
        last = name.split(",")[0] if "," in name else name.split()[-1]
    return _ascii_key(last)


def significant_words(title: str) -> list[str]:
    return list(_significant_words(title))


def _significant_words(title: str) -> Iterator[str]:
    """The title's words that are not stopwords, lower-cased, one at a time (a key needs the
    first one to three). A word `_WORD` finds in folded text is ASCII letters and digits, so its
    `_ascii_key` is the word lower-cased."""
    for word in _WORD.findall(ascii_fold(title)):
        lower = word.lower()
        if lower not in STOPWORDS:
            yield lower


def base_key(paper: Paper) -> str:
    year = str(paper.year) if paper.year else ""
    named = [a for a in paper.authors if a != "others"]
    words = _significant_words(paper.title) if paper.title else iter(())
    if named:
        return (surname(named[0]) or "anon") + year + next(words, "")
    if paper.short_name and (short := _ascii_key(paper.short_name)):
        return short[:24] + year
    head = ""
    for word in islice(words, 3):
        head += word
        if len(head) >= 10:
            break
    if head:
        return head[:24] + year
    if paper.arxiv_id:
        return "arxiv" + _ascii_key(paper.arxiv_id)
    return "paper" + year


def suffixes() -> Iterator[str]:
    """a, b, ..., z, aa, ab, ...: enough for any number of collisions."""
    for length in count(1):
        yield from suffixes_of_length(length)


def suffixes_of_length(length: int) -> Iterator[str]:
    if length == 1:
        yield from ascii_lowercase
        return
    for first in ascii_lowercase:
        for rest in suffixes_of_length(length - 1):
            yield first + rest


@dataclass(frozen=True, slots=True)
class KeyLock:
    """key -> every id its paper is known by. Keys of papers no longer read stay reserved."""

    keys: Mapping[str, tuple[str, ...]]
    # The digest of a file's text that is this lock's `text()` exactly (a lock read from a file
    # already in that layout, or given the same keys as one): `write` then knows the file needs
    # no writing without laying the lock out again. "" when not known.
    laid_out: str = field(default="", compare=False, repr=False)
    # What reading the file found wrong and how it was read (a key written twice).
    problems: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)

    @staticmethod
    def read(path: Path | None, recall: Recall = make_now) -> KeyLock:
        """The lock a file holds. `recall` names the lock by the file and its text: a `serve`
        rebuild neither parses an unchanged lock nor one it wrote itself (`write` names the
        lock it wrote by that text), and gets the very lock object it had."""
        if path is None or not path.exists():
            return KeyLock({})
        text = path.read_text(encoding="utf-8")
        return recall(("lock of", path, text), lambda: KeyLock.parse(text, path))

    @staticmethod
    def parse(text: str, path: Path) -> KeyLock:
        plain = _plain_lock(text)
        if plain is not None:
            return KeyLock(plain, _text_digest(text) if _in_layout(text, plain) else "")
        data, problems = _yaml_lock(text, path)
        if not isinstance(data, dict):
            raise ValueError(f"{path}: the key lock must map keys to lists of ids")
        return KeyLock({str(k): tuple(str(i) for i in (v or ())) for k, v in data.items()}, problems=problems)

    def text(self) -> str:
        if not self.keys:
            return LOCK_HEADER + "{}\n"
        lines: list[str] = []
        for key in sorted(self.keys):
            ids = sorted(self.keys[key])
            if not ids or len(key) >= 128 or not _plain_word(key) or not all(map(_plain_word, ids)):
                break  # something YAML quotes or lays out otherwise: YAML writes it all
            lines.append(key + ":")
            lines.extend("- " + i for i in ids)
        else:
            return LOCK_HEADER + "\n".join(lines) + "\n"
        body = yaml.dump({k: sorted(v) for k, v in sorted(self.keys.items())}, Dumper=_Dumper,
                         sort_keys=True, allow_unicode=True, width=4096, default_flow_style=False)
        return LOCK_HEADER + (body if self.keys else "{}\n")

    def write(self, path: Path, recall: Recall = make_now) -> bool:
        """Write the lock if it changed; True when it did. `recall` names the lock's text by
        the very lock (assign_keys gives back the lock it was given when no key changed, so a
        `serve` rebuild does not lay out an unchanged lock again), and names this lock as the
        one the written text holds, for the next `read`."""
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if self.laid_out and current is not None and _text_digest(current) == self.laid_out:
            # The file holds this lock's text already (read in its layout, no key changed since).
            recall(("lock of", path, current), lambda: self)
            return False
        text = recall(("text of", Same(self)), self.text)
        recall(("lock of", path, text), lambda: self)
        if current == text:
            return False
        path.write_text(text, encoding="utf-8")
        return True


# PyYAML's implicit resolvers by a scalar's first character, as `Resolver.resolve` looks them up
# (plain words are never empty, and PyYAML registers no resolver for every first character nor
# any path resolver: else `_plain_word` asks `resolve` itself).
_IMPLICIT = {first: tuple(resolvers) for first, resolvers in _RESOLVER.yaml_implicit_resolvers.items()}
_IMPLICIT_INLINE = None not in _IMPLICIT and not _RESOLVER.yaml_path_resolvers


def _plain_word(text: str) -> bool:
    """A key or id PyYAML writes as it is (no quotes) and reads back as the same text."""
    if _PLAIN_WORD.fullmatch(text) is None or text.endswith(":"):
        return False
    if not _IMPLICIT_INLINE:
        return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG
    # Resolver.resolve for an implicit plain scalar, written out: the tag of the first of the
    # resolvers of its first character that matches, else a string (~3x faster, per key and id).
    for tag, regexp in _IMPLICIT.get(text[0], ()):
        if regexp.match(text):
            return bool(tag == _STR_TAG)
    return True


def _yaml_lock(text: str, path: Path) -> tuple[object, tuple[Diagnostic, ...]]:
    """The lock's YAML, a key written twice read once, at its first place (PyYAML keeps the last
    without a word: a merge of two branches' locks that kept both sides' lines moved a key from
    one paper to another, and the next build wrote that down), each such key reported."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        problems: list[Diagnostic] = []
        if isinstance(node, yaml.MappingNode):
            first: dict[str, tuple[int, object]] = {}
            kept = []
            for key_node, value_node in node.value:
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(name, str) or name not in first:
                    if isinstance(name, str):
                        first[name] = (key_node.start_mark.line + 1, value_node)
                    kept.append((key_node, value_node))
                    continue
                line, earlier = first[name]
                same = _ids_of(loader, earlier) == _ids_of(loader, value_node)
                problems.append(Diagnostic(
                    _shown(path), key_node.start_mark.line + 1, Severity.WARNING,
                    f"key {name!r} is in the key lock twice (lines {line} and {key_node.start_mark.line + 1}"
                    + (", with the same ids): read once" if same else
                       ", pinned to different ids: two locks merged?): the first is kept, and the paper of this "
                       "line gets its own key again (a new one unless another of its ids is locked); keep one "
                       "of the two in the file") , code="lock-duplicate-key"))
            node.value = kept
        return (loader.construct_document(node) if node is not None else None) or {}, tuple(problems)
    finally:
        loader.dispose()


def _shown(path: Path) -> str:
    """The lock's path as messages name files: from the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _ids_of(loader: yaml.SafeLoader, node: object) -> object:
    return loader.construct_object(node, deep=True)  # type: ignore[arg-type]


def _text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _in_layout(text: str, keys: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether `text`, which `_plain_lock` read as `keys`, is `KeyLock(keys).text()` exactly,
    known without laying it out: the header first, keys in sorted order, each one's ids in
    sorted order, and no line but theirs after the header (`_plain_lock` read every other line
    as a key or an id, in order, so the text's length tells whether a blank line or a comment
    is left). tests/test_export_fast_paths.py compares it with `text()` on real and edited locks."""
    if not keys:
        return text == LOCK_HEADER + "{}\n"
    if not text.startswith(LOCK_HEADER) or not text.endswith("\n"):
        return False
    names = list(keys)
    if names != sorted(names):
        return False
    length = len(LOCK_HEADER)
    for name, ids in keys.items():
        if list(ids) != sorted(ids):
            return False
        length += len(name) + 2 + sum(map(len, ids)) + 3 * len(ids)
    return len(text) == length


# A word of a lock in `text()`'s layout: `_PLAIN_WORD`, not ending with `:`.
_LOCK_WORD = r"[A-Za-z0-9_](?:[A-Za-z0-9_.:/+\-]*[A-Za-z0-9_./+\-])?"
_LOCK_BODY = re.compile(rf"(?:{_LOCK_WORD}:\n(?:- {_LOCK_WORD}\n)+)+")


def _laid_out_lock(text: str) -> dict[str, tuple[str, ...]] | None:
    """`_plain_lock(text)` for a lock whose body is `key:` and `- id` lines only, as `text()`
    lays it out (what nearly every lock read is), its layout checked by one pattern instead of
    each line's word by its own; None for any other text (then `_plain_lock` reads it)."""
    if not _IMPLICIT_INLINE or not text.startswith(LOCK_HEADER) or \
            _LOCK_BODY.fullmatch(text, len(LOCK_HEADER)) is None:
        return None
    data: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text[len(LOCK_HEADER):-1].split("\n"):
        if line[0] == "-":
            current.append(line[2:])
        elif len(line) > 128 or line[:-1] in data:
            return None
        else:
            current = data[line[:-1]] = []
    for word in chain(data, *data.values()):  # what YAML would read as other than this text: as _plain_word
        for tag, regexp in _IMPLICIT.get(word[0], ()):
            if regexp.match(word):
                if tag != _STR_TAG:
                    return None
                break
    return {key: tuple(ids) for key, ids in data.items()}


def _plain_lock(text: str) -> dict[str, tuple[str, ...]] | None:
    """A lock in exactly the layout `text()` gives (`key:` lines, each followed by `- id`
    lines, only plain words), read without YAML; None for anything else (YAML reads it)."""
    laid_out = _laid_out_lock(text)
    return laid_out if laid_out is not None else _plain_lock_by_lines(text)


def _plain_lock_by_lines(text: str) -> dict[str, tuple[str, ...]] | None:
    """`_plain_lock`, each line looked at on its own (comments and blank lines skipped)."""
    data: dict[str, list[str]] = {}
    current: list[str] | None = None
    empty = False
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        if line.startswith("- ") and current is not None and _plain_word(line[2:]):
            current.append(line[2:])
        elif line.endswith(":") and len(line) <= 128 and _plain_word(line[:-1]) and line[:-1] not in data:
            current = data[line[:-1]] = []
        elif line == "{}" and not data and not empty:
            empty = True
        else:
            return None
    if (empty and data) or not all(data.values()):
        return None
    return {key: tuple(ids) for key, ids in data.items()}


@dataclass(frozen=True, slots=True)
class Keyed:
    papers: tuple[Paper, ...]
    lock: KeyLock
    diagnostics: tuple[Diagnostic, ...]


def assign_keys(papers: Iterable[Paper], lock: KeyLock, pinned: Mapping[str, tuple[str, SourceRef]] | None = None,
                recall: Recall = make_now, *, papers_strings: bool = False, given_away: bool = False) -> Keyed:
    """Give every paper its key; `pinned` maps paper ids to keys the user set in overrides (with
    the override's place, where a pin that cannot be honoured is reported).
    `recall` names each keyed paper by the very paper and its key, so that a rebuild copies
    only the papers that changed. The lock given comes back as it is when no key changed
    (a `serve` process names what it keeps by that very lock), unless `papers_strings`: then
    the lock is always a new one whose ids are the papers' own strings, equal to the given
    one when no key changed (a one-shot run lets the given lock, and its copies of every
    paper's ids, go). `given_away`: `papers` is a list the caller gives away, emptied as each
    paper's keyed copy is made (one copy of every paper alive at a time: a one-shot run)."""
    pinned = pinned or {}
    listed = papers if isinstance(papers, list) else list(papers)
    ordered = sorted(listed, key=_ID)
    # An id the lock gives several keys (a lock written when two papers shared an id; a key another
    # paper's own key took, the paper then given the next; two locks merged) is the first key's,
    # as a key written twice is the first paper's; `more_keys` holds all of them, in the lock's
    # order, and the paper takes the first that is free.
    alias_to_key = {alias: key for key, aliases in reversed(list(lock.keys.items())) for alias in aliases}
    more_keys: dict[str, list[str]] = {}
    if len(alias_to_key) < sum(map(len, lock.keys.values())):
        for key, aliases in lock.keys.items():
            for alias in aliases:
                more_keys.setdefault(alias, []).append(key)
        more_keys = {alias: keys for alias, keys in more_keys.items() if len(keys) > 1}
    taken: dict[str, str] = {key.lower(): "lock" for key in lock.keys}
    chosen: dict[str, str] = {}
    chosen_lower: dict[str, int] = {}  # the lower-cased values of `chosen`, counted, kept in step
    diagnostics: list[Diagnostic] = []
    renamed: list[tuple[int, str]] = []  # (a key-taken diagnostic, its paper): the new key named once known
    by_lock: set[str] = set()  # the papers keyed by the lock

    def choose(paper_id: str, key: str) -> None:
        old = chosen.get(paper_id)
        if old is not None:
            chosen_lower[old.lower()] = chosen_lower.get(old.lower(), 0) - 1
        chosen[paper_id] = key
        lower = key.lower()
        chosen_lower[lower] = chosen_lower.get(lower, 0) + 1

    def claim(paper: Paper, key: str, why: str, where: SourceRef | None = None,
              instead: str = "a new key is given") -> bool:
        owner = taken.get(key.lower())
        if owner is not None and owner not in ("lock", paper.id):
            where = where or (paper.provenance[0] if paper.provenance else None)
            diagnostics.append(Diagnostic(
                where.file if where else "", where.line if where else 0, Severity.WARNING,
                f"{why} key {key!r} is already used by another paper; {instead}", code="key-taken"))
            renamed.append((len(diagnostics) - 1, paper.id))
            return False
        taken[key.lower()] = paper.id
        choose(paper.id, key)
        return True

    # Keys people chose come first: the keys of their own .bib, which nothing renames (a `\cite`
    # of one must keep finding that entry), then keys pinned in overrides, which may rename the
    # paper of a .bib entry (whose own key stays citable) but never take another entry's key.
    # Every other key a paper's merged .bib entries define is its too.
    for paper in _first_written_first(listed):
        if paper.id not in pinned:
            claim(paper, paper.user_key or "", "the .bib")
    for paper in ordered:
        for entry in paper.bib:
            if entry.key and taken.get(entry.key.lower()) in (None, "lock"):
                taken[entry.key.lower()] = paper.id
    for paper in ordered:
        if paper.id in pinned:
            key, where = pinned[paper.id]
            instead = f"the paper keeps its .bib key {paper.user_key!r}" if paper.user_key else "a new key is given"
            if not claim(paper, key, "the pinned", where, instead) and paper.user_key:
                claim(paper, paper.user_key, "the .bib")
    # Then the keys given before, unless someone's own key took one meanwhile. Papers sharing a
    # title id (`title:x`, `title:x~2`: two surveys named alike) first: each takes, of the keys the
    # lock gave the title and its numbered ids, the one its own facts give (poseestimation2025 for
    # the 2025 one), else that key with a letter. Their numbers follow their facts, and shift when
    # one of them goes or a new one comes first: the keys must not follow the numbers.
    namesakes = _namesakes(ordered, alias_to_key)
    for group, keys in namesakes.values():
        bases = {paper.id: base_key(paper).lower() for paper in group}
        for exact_only in (True, False):  # the key its facts give, then that key with a letter
            for paper in group:
                if paper.id in chosen:
                    continue
                fit = next((key for key in keys if _fits(key, bases[paper.id], exact_only)
                            and chosen_lower.get(key.lower(), 0) <= 0 and taken.get(key.lower()) == "lock"), None)
                if fit is not None:
                    taken[fit.lower()] = paper.id
                    choose(paper.id, fit)
                    by_lock.add(paper.id)
    grouped = {paper.id for group, _ in namesakes.values() for paper in group}
    for paper in ordered:
        if paper.id in chosen:
            continue
        locked = alias_to_key.get(paper.id)  # the key of the paper's id, else of its first alias the lock has
        if locked is None:
            for alias in paper.aliases:
                if alias in alias_to_key:
                    locked = alias_to_key[alias]
                    break
        if more_keys and locked is not None:
            for known in (paper.id, *paper.aliases):
                free = next((key for key in more_keys.get(known, ()) if chosen_lower.get(key.lower(), 0) <= 0
                             and taken.get(key.lower()) in ("lock", paper.id)), None)
                if free is not None:
                    locked = free
                    break
        if locked is not None and chosen_lower.get(locked.lower(), 0) <= 0 and taken.get(locked.lower()) in ("lock", paper.id):
            taken[locked.lower()] = paper.id
            choose(paper.id, locked)
            by_lock.add(paper.id)
        elif locked is not None and (owner := taken.get(locked.lower())) not in (None, "lock", paper.id) \
                and paper.id not in grouped:
            # Another paper's own key (a .bib entry's, a pinned one) is the key the lock gave this
            # one, or the lock gives it to two papers (two branches' locks merged with both sides
            # kept): a `\cite` of it names the other paper. Said, with the key this paper gets.
            place = paper.provenance[0] if paper.provenance else None
            why = ("the key lock gives it to another paper too (two locks merged with both sides kept?), which "
                   "keeps it" if owner in by_lock else "it is now another paper's own key (a .bib entry's or a pinned one)")
            diagnostics.append(Diagnostic(
                place.file if place else "", place.line if place else 0, Severity.WARNING,
                f"the key lock's key {locked!r} of paper {paper.title or paper.id!r} is not its key now: {why}, "
                f"so `\\cite{{{locked}}}` names that paper; a new key is given", code="key-taken"))
            renamed.append((len(diagnostics) - 1, paper.id))
    groups: dict[str, list[Paper]] = {}
    for paper in ordered:
        if paper.id not in chosen:
            base = base_key(paper)
            if taken.get(base.lower()) == "lock" and _retitled(paper, lock.keys.get(base, ())):
                # The paper's title was edited (a listing paper's id is its title): the key its old
                # title had, claimed by no paper now, stays its key, not `a` after it.
                taken[base.lower()] = paper.id
                choose(paper.id, base)
                place = paper.provenance[0] if paper.provenance else None
                diagnostics.append(Diagnostic(
                    place.file if place else "", place.line if place else 0, Severity.INFO,
                    f"paper {paper.title!r} keeps the key {base!r} its earlier title had in the key lock",
                    code="key-kept"))
                continue
            groups.setdefault(base, []).append(paper)
    for base, members in groups.items():
        if len(members) == 1 and base.lower() not in taken:
            taken[base.lower()] = members[0].id
            chosen[members[0].id] = base
            continue
        letters = suffixes()
        for paper in members:
            key = base + next(letters)
            while key.lower() in taken:
                key = base + next(letters)
            taken[key.lower()] = paper.id
            chosen[paper.id] = key
    for index, paper_id in renamed:
        taken_note = diagnostics[index]
        diagnostics[index] = Diagnostic(taken_note.file, taken_note.line, taken_note.severity, taken_note.message.replace(
            "a new key is given", f"its key is {chosen[paper_id]!r}"), code=taken_note.code)
    source: Iterable[Paper] = listed
    if given_away and isinstance(papers, list):
        del ordered, groups  # they hold every paper too
        source = letting_go(papers)
    keyed = tuple(recall_each(recall, source, lambda p: (Same(p), chosen[p.id]), lambda p: with_key(p, chosen[p.id])))
    del source
    new_lock = dict(lock.keys)
    for paper in keyed:
        ids = {paper.id, *paper.aliases}
        old = new_lock.get(paper.key)
        if old:
            ids.update(old)
        ids_sorted = tuple(sorted(ids))
        # The paper's own aliases when they are those ids in that order (most papers): one tuple.
        new_lock[paper.key] = paper.aliases if ids_sorted == paper.aliases else ids_sorted
    if papers_strings:  # the papers' own key strings (a .bib paper's is its entry's), not the lock read's equal ones
        own = {paper.key: paper.key for paper in keyed}
        new_lock = {own.get(key, key): ids for key, ids in new_lock.items()}
        del own
    kept = not papers_strings and new_lock == lock.keys
    if kept:
        return Keyed(keyed, lock, tuple(diagnostics))
    laid_out = lock.laid_out if lock.laid_out and new_lock == lock.keys else ""  # (the same keys: the same text)
    return Keyed(keyed, KeyLock(new_lock, laid_out), tuple(diagnostics))


def _namesakes(papers: list[Paper], alias_to_key: Mapping[str, str]) -> dict[str, tuple[list[Paper], list[str]]]:
    """Papers that share a title id (corpus numbers all but one: `title:x~2`), or whose title id the
    lock numbered before, by that id: the papers, and the lock's keys of the id and its numbers."""
    keys_of: dict[str, list[str]] = {}
    for alias, key in alias_to_key.items():
        if "~" in alias:
            plain, _, number = alias.rpartition("~")
            if number.isdigit():
                keys_of.setdefault(plain, [alias_to_key[plain]] if plain in alias_to_key else []).append(key)
    numbered = {plain for plain, sep, number in (p.id.rpartition("~") for p in papers if "~" in p.id)
                if sep and number.isdigit()}
    found: dict[str, tuple[list[Paper], list[str]]] = {}
    for paper in papers:
        plain, sep, number = paper.id.rpartition("~")
        if not (sep and number.isdigit()):
            plain = paper.id
            if plain not in keys_of and plain not in numbered:
                continue
        group = found.setdefault(plain, ([], list(dict.fromkeys(
            keys_of.get(plain) or ([alias_to_key[plain]] if plain in alias_to_key else [])))))
        group[0].append(paper)
    return found


def _fits(key: str, base: str, exact_only: bool = False) -> bool:
    """Whether `key` is the key a paper of base key `base` would be given (`base`, or, unless
    `exact_only`, it with a letter)."""
    lowered = key.lower()
    return lowered == base or (not exact_only and lowered.startswith(base) and len(lowered) - len(base) <= 2
                               and lowered[len(base):].isalpha())


def _retitled(paper: Paper, locked_ids: tuple[str, ...]) -> bool:
    """Whether a key locked to these ids was this paper's under a title alike (an edit of a word
    or two): the titles' normalised forms at least 0.8 alike, and no other id of the paper's kind
    (an arXiv id, a .bib entry) that says it was another paper."""
    title = next((alias for alias in paper.aliases if alias.startswith("title:")), None)  # the corpus's title id
    if title is None or any(i.startswith(("arxiv:", "bib:")) for i in locked_ids):
        return False
    return any(i.startswith("title:") and difflib.SequenceMatcher(None, i, title).ratio() >= 0.8 for i in locked_ids)


_ID = attrgetter("id")


def _first_written_first(papers: list[Paper]) -> list[Paper]:
    """The papers with a key of their own .bib, in the order BibTeX and biber meet their entries:
    the sources' order (as the papers come, in the order of their first records), then the line.
    Two files that use one key (Crossref's `He_2016` for two papers): the first file's entry keeps
    it, as `\\cite{He_2016}` finds it against the sources."""
    rank: dict[str, int] = {}
    for paper in papers:
        for entry in paper.bib:
            rank.setdefault(entry.source.file, len(rank))

    def place(paper: Paper) -> tuple[int, int]:
        entry = next((e for e in paper.bib if e.key == paper.user_key), None)
        return (rank[entry.source.file], entry.source.line) if entry is not None else (len(rank), 0)

    return sorted((paper for paper in papers if paper.user_key), key=place)


# `dataclasses.replace(paper, key=key)`: each of the paper's fields read and stored in one made
# function (makers.replacer), no tuple of values, no keywords, no __init__ (once per paper).
with_key: Callable[[Paper, str], Paper] = replacer(Paper, "key")
