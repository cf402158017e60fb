"""One BibTeX entry as citeproc-py is given it: a CSL item, for display.

citeproc-py's BibTeX source reads BibTeX's own fields and types, its own way. The entry text the
export writes is shown to it as what prints in HTML (the characters behind the export's LaTeX
stand-ins, each value on one line, biblatex's fields by their BibTeX names, BibTeX's special
characters inline), and what CSL reads beyond BibTeX (language, short title, web address) is
added. The record itself is never changed: this is a view for formatting only.
"""

from __future__ import annotations

import io
import re
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from bibtexparser.middlewares.names import split_multiple_persons_names

from ..text import unescaped_verbatim

if TYPE_CHECKING:
    from citeproc.source import Reference

# citeproc-py's HTML output does not escape the text of a BibTeX source (citeproc-py issues #27,
# #97): `<` and `>` of an entry go in as these stand-ins and come out as entities, so scraped or
# user text can never make a tag in a page.
LT, GT = "\ue004", "\ue005"
_INERT = str.maketrans({"<": LT, ">": GT})
# An escaped `\\&` of an entry is the character `&`, which citeproc-py writes bare: a title's
# `\\&copy;` then showed as ©. It goes in as this stand-in, and comes out as `&amp;`.
AMP = "\ue006"
# Emphasis of an entry's text (`\\emph{the Wild}`, `{\\em Nature}`), which citeproc-py cannot read (the
# entry failed, and was given to it decoded): between these stand-ins, which come out as `<i>...</i>`
# (upright inside a title the style sets in italics: CSL's flip-flop; Pandoc nests a second <em>).
ITALIC, UPRIGHT = "\ue00c", "\ue00d"  # (csl.py and csl_rules use \ue001-\ue003, \ue008-\ue00a)
_EMPHASIS = re.compile(r"\\(?:emph|textit|mkbibemph)\s*\{([^{}\\]*)\}")
_TEXT_LINE = re.compile(r"^(?!\s*(?:author|editor|translator|url|doi|eprint|file)\s*=).*\\(?:em|it|textit|mkbibemph).*$",
                        re.IGNORECASE | re.MULTILINE)  # (a line of text, not of names or an address)


def _emphasized(line: re.Match[str]) -> str:
    text = _EMPHASIS_GROUP.sub(lambda found: "{" + ITALIC + found.group(1) + UPRIGHT + "}", line.group(0))
    return _EMPHASIS.sub(lambda found: ITALIC + found.group(1) + UPRIGHT, text)


_EMPHASIS_GROUP = re.compile(r"\{\\(?:em|it|itshape)(?![A-Za-z])\s*([^{}\\]*)\}")


@lru_cache(maxsize=4096)
def csl_item(entry_text: str) -> Reference | None:
    """citeproc-py's reading of one BibTeX entry (it warns about fields CSL has no place for).

    citeproc-py's own LaTeX reading fails on some macros (`C{\\textendash}C`) and values (`pages =
    {431--456, 791--823}`): then the fields, decoded to Unicode by our LaTeX decoder, are given to
    it, and if it still fails, without the one field it cannot read (the record itself is untouched).
    """
    import bibtexparser

    from ..latex.encode import without_stand_ins

    BibTeX = _reader()

    written = entry_text
    # What prints in HTML: the characters the export wrote as LaTeX stand-ins, and each value on
    # one line (citeproc-py does not split names across lines: DBLP's `Bin Xiao and\n  Haiping Wu`).
    entry_text = _CONTINUED_LINE.sub(" ", without_stand_ins(entry_text)).translate(_INERT).replace("\\&", AMP)
    entry_text = _EMPTY_FIELD.sub("", entry_text)  # IEEE Xplore's `number={}`, `editor = {}`: no fact, not "None"
    if "\\em" in entry_text or "\\it" in entry_text or "\\textit" in entry_text or "\\mkbibemph" in entry_text:
        entry_text = _TEXT_LINE.sub(_emphasized, entry_text)
    if "---" in entry_text:  # (citeproc-py makes `--` an en dash first: "–-")
        entry_text = _PROSE_LINE.sub(lambda line: line.group(0).replace("---", "\u2014"), entry_text)
    if "month" in entry_text.lower():
        entry_text = _MONTH_FIELD.sub(_month_if_one, entry_text)
    if "$" in entry_text:  # citeproc-py shows `$\\alpha$` as written: math as the pages show it (α)
        entry_text = _INLINE_MATH.sub(_math_shown, entry_text)
    if _BIBLATEX.search(entry_text) or "{\\" in entry_text or _ODD_YEAR.search(entry_text) \
            or "quote" in entry_text or "`" in entry_text or _PUBLISHER_LIST.search(entry_text):
        entry_text = _bibtex_view(entry_text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _with_display_fields(next(iter(BibTeX(_EndingText(entry_text)).values()), None), written)
        except Exception:
            pass
        library = bibtexparser.parse_string(entry_text)
        if not library.entries:
            return None
        entry = library.entries[0]
        for skip in (None, *range(len(entry.fields))):
            try:
                return _with_display_fields(
                    next(iter(BibTeX(_EndingText(_decoded_entry(entry, skip))).values()), None), written)
            except Exception:
                continue
    return None


@lru_cache(maxsize=1)
def _reader() -> Any:
    """citeproc-py's BibTeX source, reading also the fields CSL has a variable for and it leaves
    out: `translator` (a name list, as `author`) and `volumes` (CSL's number-of-volumes). The
    translators of a translated book were dropped ("Physics. G. P. Putnam." for Aristotle's, where
    Pandoc shows "(P. H. Wicksteed & F. M. Cornford, Trans.)"), and a work's number of volumes."""
    from citeproc.source.bibtex import BibTeX

    class Reader(BibTeX):  # type: ignore[misc]
        fields: ClassVar[dict[str, str]] = {**BibTeX.fields, "translator": "translator",
                                            "volumes": "number_of_volumes", "volumetitle": "volume_title"}

        def _bibtex_to_csl(self, bibtex_entry: Any) -> Any:
            csl = super()._bibtex_to_csl(bibtex_entry)
            if "translator" in bibtex_entry:
                csl["translator"] = list(self._parse_author(bibtex_entry["translator"]))
            return csl

    return Reader


class _EndingText(io.StringIO):
    """An entry's text for citeproc-py's BibTeX reader, which reads a character at a time until
    it finds the one it wants (a field's `=`, a value's end) and, at the end of the text, gets
    `""` for ever: an entry with no fields (`@misc{k,}`) hung the build. Here a read past the end
    more than twice ends the reading as the end of the text does (EOFError, which its reader
    takes for the end of the file): the entry is then not read, and the citation shows its key."""

    _past_end = 0

    def read(self, size: int | None = -1) -> str:
        text = super().read(size)
        if not text:
            self._past_end += 1
            if self._past_end > 2:
                raise EOFError
        return text


# A line of the entry that is no web address or file name: its `---` is an em dash
_PROSE_LINE = re.compile(r"^(?!\s*(?:url|doi|eprint|file|pdf|urldate)\s*=).*---.*$", re.IGNORECASE | re.MULTILINE)
# A field whose value is empty or blank (`editor = {}`, `number = { },`): citeproc-py printed "edited by None"
_EMPTY_FIELD = re.compile(r"^[ \t]*[A-Za-z][\w-]*[ \t]*=[ \t]*(?:\{\s*\}|\"\s*\")[ \t]*,?[ \t]*\n", re.MULTILINE)
_CONTINUED_LINE = re.compile(r"\n[ \t]+(?![ \t]|[A-Za-z][\w-]*[ \t]*=)")  # not a line that starts a field


# What CSL reads that citeproc-py's BibTeX source leaves out: the item's language (CSL applies
# text-case="title" to English items only, so a German title keeps its case), its short title
# (`shorttitle`, else the title before its colon, as Pandoc derives it), which author-date styles
# print in place of missing authors in a citation, and its web address (`url`, `urldate`).
_DISPLAY_FIELD = re.compile(r"^\s*(langid|language|shorttitle|url|urldate|eprint|archiveprefix|eprinttype|"
                            r"howpublished|note|school|institution|organization|type|date|pages|series)\s*=\s*[{\"](.*?)[}\"]\s*,?\s*$",
                            re.IGNORECASE | re.MULTILINE)
_ONLINE = re.compile(r"\s*@(?:online|www|electronic)\s*\{", re.IGNORECASE)
_LANGUAGES = {
    **dict.fromkeys(("english", "american", "british", "usenglish", "ukenglish", "australian", "canadian",
                     "newzealand", "canadien"), "en"),
    **dict.fromkeys(("german", "ngerman", "austrian", "naustrian", "swissgerman", "nswissgerman", "deutsch"), "de"),
    **dict.fromkeys(("french", "francais", "français", "acadian"), "fr"),
    **dict.fromkeys(("portuguese", "portuges", "brazil", "brazilian"), "pt"),
    **dict.fromkeys(("norwegian", "norsk", "nynorsk"), "no"),
    **dict.fromkeys(("hungarian", "magyar"), "hu"),
    "spanish": "es", "italian": "it", "dutch": "nl", "russian": "ru", "polish": "pl", "czech": "cs",
    "swedish": "sv", "danish": "da", "finnish": "fi", "greek": "el", "turkish": "tr", "japanese": "ja",
    "chinese": "zh", "korean": "ko", "latin": "la", "catalan": "ca", "croatian": "hr", "romanian": "ro",
    "slovak": "sk", "slovene": "sl", "slovenian": "sl", "ukrainian": "uk", "hebrew": "he", "arabic": "ar",
    "estonian": "et", "lithuanian": "lt", "latvian": "lv", "icelandic": "is", "irish": "ga", "welsh": "cy",
    "bulgarian": "bg", "serbian": "sr", "indonesian": "id", "vietnamese": "vi", "thai": "th", "hindi": "hi",
}
_LANGUAGE_CODE = re.compile(r"^([a-z]{2})(?:[-_][A-Za-z]{2,4})*$")


def language_code(value: str) -> str | None:
    """A `langid`/`language` value (babel's `ngerman`, or `de-DE`) as a CSL language code."""
    first = re.split(r"\s+and\s+|[,;]", value.strip(), maxsplit=1)[0].strip().strip("{}")
    found = _LANGUAGE_CODE.match(first)
    if found:
        return found.group(1).lower()
    return _LANGUAGES.get(first.lower())


def _with_display_fields(reference: Reference | None, entry_text: str) -> Reference | None:
    from citeproc.source import Reference
    from citeproc.string import MixedString, NoCase, String

    if reference is None:
        return None
    fields = _display_fields(entry_text)
    entry_text = entry_head(entry_text)  # (not a `@string` block or a crossref's parent after it)
    extra: dict[str, Any] = {}
    language = language_code(fields.get("langid") or fields.get("language") or "")
    if language:
        extra["language"] = language
    url = unescaped_verbatim(fields.get("url", "")).strip()
    if url and "URL" not in reference and not re.search(r"[\s{}\\]", url):  # the web page of an @online
        extra["URL"] = url
        accessed = _DATE.match(fields.get("urldate", ""))
        if accessed:
            from citeproc.source import Date

            day = {"year": int(accessed.group(1))}
            if accessed.group(2):
                day["month"] = int(accessed.group(2))
                if accessed.group(3):
                    day["day"] = int(accessed.group(3))
            extra["accessed"] = Date(**day)
    pages = fields.get("pages", "").strip()
    if pages and ("," in pages or ";" in pages or " and " in pages or pages.endswith("+")):
        # A list of pages (`431--456, 791--823`, `1--5; 10--12`, `1--5 and 10`), which citeproc-py's
        # reader cannot split (the pages were dropped, or printed "1–5and10"), or `73+` ("and following"), whose `+` it drops: as written, each range with
        # its dash; the style formats each range of the list.
        extra["page"] = String(re.sub(r"\s*(?:-+|\u2013|\u2014)\s*", "-", str(_plain(pages))))
    series = _series_words(fields.get("series", "") or _bare_series(entry_text))
    if series is not None and "collection_title" in reference:
        extra["collection_title"] = series
    issued = _edtf_date(fields.get("date", ""))
    if issued is not None:  # (a day, a range or a circa the view's year and month leave out)
        extra["issued"] = issued
    if "title_short" not in reference:
        if fields.get("shorttitle"):
            from ..latex.decode import decode_latex, plain_text

            extra["title_short"] = String(plain_text(decode_latex(fields["shorttitle"], tie_is_space=True).text)
                                          .replace("{", "").replace("}", ""))
        elif "title" in reference:
            parts = list(reference.title) if isinstance(reference.title, MixedString) else [reference.title]
            head = MixedString()
            for part in parts:
                if ": " in str(part):
                    head += (NoCase if isinstance(part, NoCase) else String)(str(part).split(": ", 1)[0])
                    if str(head).strip():
                        extra["title_short"] = head
                    break
                head += part
    for name in ("title", "container_title", "collection_title", "volume_title"):
        if isinstance(reference.get(name), MixedString) and (whole := _words_whole(reference[name])) is not None:
            extra[name] = whole
    if language in (None, "en") and entry_type(entry_head(entry_text)) != "periodical":
        # CSL keeps titles in sentence case and a style title-cases them (English only); BibTeX's are
        # written in title case, the words to keep as they are in braces. As Pandoc reads them: in
        # sentence case, braced words untouched (APA: "Deep residual learning for image recognition").
        # The title only: a book's or proceedings' title is full of names a BibTeX file seldom
        # braces ("15th European Conference, Munich, Germany"), which Pandoc lowercases; and a
        # @periodical's title is the journal's name.
        for name in ("title", "volume_title"):
            value = extra.get(name, reference.get(name))
            if value is not None and value is not _NONE:
                extra[name] = _sentence_case(value)
    for name in ("author", "editor"):
        names = reference.get(name)
        if isinstance(names, list):
            # A name with no letters (`editor = {, }`) is no name: citeproc-py printed "Edited by None".
            # BibTeX's `and others` stays, as the list's last name: the style prints "et al." for it
            # (see csl_rules), as Pandoc's citeproc does.
            kept = [person for person in names if _has_letters(person)]
            while kept and is_others(kept[0]):
                kept.pop(0)  # (`others` alone, or first, follows no name)
            if len(kept) != len(names):
                extra[name] = kept or _NONE
    written_type = entry_type(entry_text)
    kind = "webpage" if _ONLINE.match(entry_text) else reference.type  # biblatex's @online, not a preprint
    if written_type in _WHOLE_VOLUMES and "container_title" in reference and _BOOKTITLE.search(entry_text):
        # A volume's `booktitle` is there for the chapters that crossref it (biblatex-examples'
        # westfahl:frontier): it is in no book, as Pandoc reads it ("Space and Beyond. In Space and Beyond.")
        extra["container_title"] = _NONE
    if written_type == "patent":
        # A patent (citeproc-py has it as a @misc): CSL's patent, its `location` the countries it is
        # granted in (biblatex's keys, `countryfr`), CSL's jurisdiction, not a place of publication
        kind = "patent"
        if "publisher_place" in reference:
            extra["publisher_place"] = _NONE
            places = [_COUNTRIES.get(place.strip().lower(), place.strip())
                      for place in re.split(r"\s+and\s+", str(reference["publisher_place"])) if place.strip()]
            extra["jurisdiction"] = String("; ".join(places))
    if written_type in _CHAPTER_TYPES:
        # citeproc-py types BibTeX's @incollection an article ("Title." The Collection, 55-66):
        # it is a chapter of an edited book, as Pandoc types it ("In The Collection, edited by ...").
        kind = "chapter"
    if "issue" in reference and written_type not in _ISSUED:
        # citeproc-py reads BibTeX's `number` as a journal's issue in every entry. It is a series'
        # number in a book or a chapter ("Fast Computers 23"), the number of a report or another work
        # ("Wishful Research Result No. 7"), as Pandoc reads it
        extra["issue"] = _NONE
        extra["collection_number" if written_type in _IN_SERIES else "number"] = reference["issue"]
    eprint = fields.get("eprint", "").strip()
    repository = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    on_arxiv = eprint and repository == "arxiv"
    if eprint and repository in _EPRINT_URLS and "URL" not in reference and "URL" not in extra:
        # The eprint's address, as Pandoc (and biblatex) make it from `eprinttype` and `eprint`
        extra["URL"] = _EPRINT_URLS[repository] + eprint
    publishers = [_plain(_listed(name, fields[name])) for name in _PUBLISHERS if fields.get(name, "").strip()]
    if on_arxiv and "container_title" not in reference:
        # A preprint, in no journal or proceedings: the repository and the id, as Zotero gives an arXiv
        # preprint to CSL ("arXiv:2401.01234. Preprint, arXiv."). A published paper keeps its pages
        # and article number: its eprint is a link (above), not its number.
        if "publisher" not in reference and not publishers:
            extra["publisher"] = NoCase("arXiv")  # (a name: no style capitalises it)
        if "number" not in reference and "number" not in extra and "issue" not in reference:
            extra["number"] = NoCase(f"arXiv:{eprint}")
    elif _MISC.match(entry_text) and kind == "article":
        # citeproc-py takes BibTeX's @misc for a preprint ("Preprint." in every style): it is not one.
        kind = MISC_KIND
    if publishers:
        # Who published it: BibTeX's school (a thesis), institution (a report), organization (a
        # manual, a conference) and howpublished, with the publisher, in Pandoc's order and joined
        # as Pandoc joins them ("; "). citeproc-py reads the publisher alone.
        if "publisher" in reference:
            publishers.append(reference["publisher"])
        joined = publishers[0]
        for more in publishers[1:]:
            joined = joined + String("; ") + more
        extra["publisher"] = joined
    genre = _genre(written_type, fields.get("type", ""))
    if genre and "genre" not in reference:
        extra["genre"] = genre
    if fields.get("note") and "note" not in reference:
        extra["note"] = _plain(fields["note"])
    if not extra and kind == reference.type:
        return reference
    fields_now = {name: value for name, value in reference.items() if name not in ("key", "type", *extra)}
    extra = {name: value for name, value in extra.items() if value is not _NONE}
    return Reference(reference.key, kind, **fields_now, **extra)


_NONE: Any = object()  # a field the view leaves out
_BARE_SERIES = re.compile(r"^\s*series\s*=\s*(\d+)\s*,?\s*$", re.IGNORECASE | re.MULTILINE)


def _bare_series(entry_text: str) -> str:
    """`series = 3`, a number without braces (biblatex-examples' reese)."""
    found = _BARE_SERIES.search(entry_head(entry_text))
    return found.group(1) if found else ""


def _series_words(value: str) -> Any:
    """biblatex's `series = {newseries}` (a key of its strings) or a number (`series = 3`) as the words
    biblatex and Pandoc print: "new series", "3rd series"; None for any other series (a name)."""
    from citeproc.string import String

    key = value.strip().strip("{}\"").strip().lower()
    if key in _SERIES_STRINGS:
        return String(_SERIES_STRINGS[key])
    if key.isdigit():
        number = int(key)
        last = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return String(f"{number}{last} series")
    return None


_COUNTRIES = {"countryde": "Germany", "countryeu": "European Union", "countryep": "European Union",
              "countryfr": "France", "countryuk": "United Kingdom", "countryus": "USA"}  # (english.lbx)
_SERIES_STRINGS = {"newseries": "new series", "oldseries": "old series", "jourser": "series"}  # (english.lbx)
_EDTF_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _edtf_date(value: str) -> Any:
    """biblatex's `date` (ISO 8601-2 / EDTF level 1, as biber reads it) as a CSL date, when it says
    more than a year and month: a day (`2023-05-23`), a range (`2020/2022`, open `2020/`) or an
    approximate or uncertain date (`2019~`, `2019?`), which the view's `year` and `month` lose
    ("2020/2022" was 2020, and then got a year letter beside "2020/"). None otherwise, or when it is
    not such a date."""
    from citeproc.source import Date, DateRange

    text = value.strip()
    circa = text.endswith(("~", "?", "%"))
    text = text.rstrip("~?%")

    def one(part: str) -> Any:
        found = _EDTF_DAY.match(part.strip().rstrip("~?%"))
        if found is None:
            return None
        year, month, day = found.groups()
        if month is None or not 1 <= int(month) <= 12:
            return Date(year=int(year))
        if day is None:
            return Date(year=int(year), month=int(month))
        return Date(year=int(year), month=int(month), day=int(day))

    if "/" in text:
        begin_text, end_text = text.split("/", 1)
        begin = one(begin_text)
        if begin is None:
            return None
        if end_text.strip() in ("", ".."):
            end = Date(year=0)  # (open: citeproc-py prints "2020–")
        else:
            end = one(end_text)
            if end is None:
                return None
            # Two dates of different precision (`2020-05/2020-05-20`): the precision they share, as
            # biber reads a range; then the same date twice (`2019/2019`) is that date.
            for part in ("day", "month"):
                if (part in begin) != (part in end):
                    begin = Date(**{k: begin[k] for k in ("year", "month", "day") if k in begin and k != part and
                                    not (part == "month" and k == "day")})
                    end = Date(**{k: end[k] for k in ("year", "month", "day") if k in end and k != part and
                                  not (part == "month" and k == "day")})
        date = DateRange(begin=begin, end=end) if begin != end or end.get("year") == 0 else begin
    else:
        date = one(text)
        if date is None or ("day" not in date and not circa):
            return None
    if circa:
        date["circa"] = True
    return date
_ISSUED = {"article", "periodical", "suppperiodical", "review"}  # (a `number` is the issue's)
_IN_SERIES = {"book", "collection", "proceedings", "reference", "mvbook", "mvcollection", "mvproceedings",
              "mvreference", "bookinbook", "inbook", "incollection", "inproceedings", "inreference", "suppbook",
              "suppcollection"}
_PUBLISHERS = ("school", "institution", "organization", "howpublished")
# The addresses Pandoc gives an eprint of these repositories (biblatex links them so too)
_EPRINT_URLS = {"arxiv": "https://arxiv.org/abs/", "jstor": "https://www.jstor.org/stable/",
                "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/", "googlebooks": "https://books.google.com?id="}
# biblatex's keys for a thesis's, report's or patent's `type` (its english.lbx strings), as Pandoc resolves them
_TYPE_STRINGS = {
    "mathesis": "Master’s thesis", "phdthesis": "PhD thesis", "candthesis": "Candidate thesis",
    "resreport": "research report", "techreport": "technical report", "software": "computer software",
    "datacd": "CD-ROM", "audiocd": "audio CD", "patent": "patent", "patentde": "German patent",
    "patenteu": "European patent", "patentfr": "French patent", "patentuk": "British patent",
    "patentus": "U.S. patent", "patreq": "patent request", "patreqde": "German patent request",
    "patreqeu": "European patent request", "patreqfr": "French patent request",
    "patrequk": "British patent request", "patrequs": "U.S. patent request",
}


_PARTS = {"inbook", "incollection", "inproceedings", "bookinbook", "suppbook", "suppcollection", "inreference"}


_CHUNK = re.compile(r"[^\W\d_]+|\s+|.", re.UNICODE)


def _sentence_case(text: Any) -> Any:
    """A BibTeX title in sentence case, as Pandoc's BibTeX reader makes it (citeproc's SentenceCase):
    a word written capitalized ("Learning", "A") is lowercased, but the first word of the title and
    of each sentence (after `.`, `?`, `!` or `:` and a space: "OpenPose: Realtime", "vs. The"; not
    inside a word: "i.e.", "std::vector", "x.y"); a word with capitals elsewhere ("GPT", "TeX",
    "iPhone") and a case-protected piece (`{Bayes}`, citeproc-py's NoCase) stay as written, the
    protected piece ending a sentence as its text does (`{OpenPose}: Realtime`, `{U.S.} Policy`)."""
    from citeproc.string import MixedString, NoCase, String

    parts = list(text) if isinstance(text, MixedString) else [text]
    out: list[Any] = []
    start, ending = True, False  # (ending: a sentence's mark was the last thing, a space starts the next)
    for part in parts:
        if isinstance(part, NoCase) or not isinstance(part, str):
            out.append(part)
            written = str(part)
            if any(c.isalnum() for c in written):
                start = False
            if written.strip(" \t\n" + ITALIC + UPRIGHT):
                ending = written.rstrip(" \t\n" + ITALIC + UPRIGHT)[-1] in _SENTENCE_END
                if ending and written[-1].isspace():
                    start, ending = True, False
            continue
        pieces = []
        for chunk in _CHUNK.findall(str(part)):
            if chunk[0].isalpha():
                capitalized = chunk[0].isupper() and (len(chunk) == 1 or chunk[1:].islower())
                if start and chunk.islower():
                    chunk = chunk[0].upper() + chunk[1:]
                elif not start and capitalized:
                    chunk = chunk.lower()
                start = ending = False
            elif chunk[0].isspace():
                start = start or ending
                ending = False
            elif chunk in (ITALIC, UPRIGHT):
                pass
            else:
                ending = chunk in _SENTENCE_END
                if chunk[0].isdigit():
                    start = False
            pieces.append(chunk)
        out.append(String("".join(pieces)))
    return MixedString(out) if isinstance(text, MixedString) else out[0]


_SENTENCE_END = ".?!:"


def _genre(written_type: str, type_field: str) -> Any:
    """CSL's `genre` of an entry, as Pandoc reads it: its `type` (one of biblatex's keys, `mathesis`,
    as the words they stand for), else "PhD thesis" for a @phdthesis and "Master's thesis" for a
    @mastersthesis; None otherwise."""
    from citeproc.string import String

    written = type_field.strip()
    if written and written_type in _PARTS:
        # BibTeX's `type` of a chapter names its division ("Part" 3 in place of "Chapter" 3), which CSL
        # has no place for: not a genre (Pandoc's "Part to High Speed Computer ..." read it as one)
        return None
    if written:
        key = written.strip("{}").strip().lower()
        return String(_TYPE_STRINGS[key]) if key in _TYPE_STRINGS else _plain(written)
    if written_type == "phdthesis":
        return String(_TYPE_STRINGS["phdthesis"])
    if written_type == "mastersthesis":
        return String(_TYPE_STRINGS["mathesis"])
    return None
_CHAPTER_TYPES = {"incollection", "inreference", "suppcollection"}
_BOOKTITLE = re.compile(r"^\s*booktitle\s*=", re.IGNORECASE | re.MULTILINE)
_WHOLE_VOLUMES = {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings", "reference",
                  "mvreference"}
# An entry's start: its type and key (a `@string`, `@preamble` or `@comment` block before it is not it)
_ENTRY_START = re.compile(r"@\s*(?!(?:string|preamble|comment)\b)([A-Za-z]\w*)\s*[{(]", re.IGNORECASE)


_STRING_BLOCK = re.compile(r"@\s*string\s*[{(]", re.IGNORECASE)


def entry_head(entry_text: str) -> str:
    """The entry itself in the text the export wrote for it: `@string` blocks may come before it,
    and a crossref's parent after it, which are not it."""
    found = _ENTRY_START.search(entry_text)
    if found is None:
        return entry_text
    following = _ENTRY_START.search(entry_text, found.end())
    return entry_text[found.start():following.start() if following else len(entry_text)]


def entry_type(entry_text: str) -> str:
    """The entry's type as written (lower case), "" when there is no entry."""
    found = _ENTRY_START.search(entry_text)
    return found.group(1).lower() if found else ""


_ENTRYSET = re.compile(r"^\s*entryset\s*=\s*[{\"]([^}\"]*)[}\"]", re.IGNORECASE | re.MULTILINE)


def set_members(entry_text: str) -> tuple[str, ...]:
    """The keys a biblatex @set's `entryset` names, in its order."""
    found = _ENTRYSET.search(entry_head(entry_text))
    return tuple(key.strip() for key in found.group(1).split(",") if key.strip()) if found else ()


def _display_fields(entry_text: str) -> dict[str, str]:
    """The display fields of the entry (its `@string` macros' text in place of their names)."""
    fields = {name.lower(): value for name, value in _DISPLAY_FIELD.findall(entry_head(entry_text))}
    if _STRING_BLOCK.search(entry_text):
        # A value given by a `@string` macro (`howpublished = acm`): the macro's text, as bibtexparser reads it
        import bibtexparser

        library = bibtexparser.parse_string(entry_text)
        if library.entries:
            for fld in library.entries[0].fields:
                name = fld.key.lower()
                if name not in fields and _DISPLAY_FIELD.match(f"{name} = {{}}") and isinstance(fld.value, str):
                    strings = {string.key.lower(): str(string.value) for string in library.strings}
                    fields[name] = _concatenated(fld.value, strings) if "#" in fld.value else fld.value
    return fields


def _has_letters(person: Any) -> bool:
    return any(str(value).strip(" ,.~") for value in person.values() if value is not None)


# A month that is not one month (`apr # "-" # may`, `{Spring}`): citeproc-py makes a range of it that
# the styles print without the year (IEEE's fails); the view leaves such a month out.
_MONTH_FIELD = re.compile(r"^(\s*month\s*=\s*)(.*?)(,?\s*)$", re.IGNORECASE | re.MULTILINE)
_ONE_MONTH = re.compile(r"[{\"]?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|january|february|march|april|"
                        r"june|july|august|september|sept|october|november|december|[1-9]|1[0-2])\.?\s*[}\"]?",
                        re.IGNORECASE)


def _month_if_one(found: re.Match[str]) -> str:
    return found.group(0) if _ONE_MONTH.fullmatch(found.group(2).strip()) else ""


# Inline math of one value (each value is one line here), `\\$` being a dollar sign.
_INLINE_MATH = re.compile(r"(?<!\\)\$([^$\n]+?)(?<!\\)\$")


def _math_shown(found: re.Match[str]) -> str:
    from ..latex.decode import math_as_text

    return "{" + math_as_text(found.group(1)).translate(_INERT) + "}"  # (in braces: no style changes its case)


_MISC = re.compile(r"\s*@(?:misc|patent|periodical|dataset|software|set|xdata)\s*\{", re.IGNORECASE)
# What a @misc is shown as: a work standing alone, with no status the entry does not state (as an
# article it is a "Preprint" in every style; as a manuscript, "Unpublished"; as a post, "[Online post]").
MISC_KIND = "report"


def _plain(value: str) -> Any:
    from citeproc.string import String

    from ..latex.decode import decode_latex, plain_text

    return String(plain_text(decode_latex(value, tie_is_space=True).text).replace("{", "").replace("}", ""))


def is_others(person: Any) -> bool:
    """BibTeX's `and others`, as citeproc-py reads it: a name `others`."""
    return str(person.get("family", "")).strip() == "others" and not person.get("given")


def _words_whole(text: Any) -> Any:
    """citeproc-py title-cases a value piece by piece, its case-protected `{...}` pieces apart, and
    joins the words with spaces: a word that spans two pieces comes apart (`{{OpenPose}}: Realtime`
    gave "OpenPose : Realtime", `pre{BERT}` "Pre BERT"). Each such word goes whole into its
    protected piece; None when no word spans two pieces."""
    from citeproc.string import MixedString, NoCase, String

    parts = [part for part in text if str(part)]
    out: list[Any] = []
    changed = False
    for part in parts:
        if out and not str(out[-1])[-1].isspace() and not str(part)[0].isspace() and \
                (isinstance(out[-1], NoCase) or isinstance(part, NoCase)):
            changed = True
            before, after = str(out[-1]), str(part)
            if isinstance(out[-1], NoCase) and isinstance(part, NoCase):
                out[-1] = NoCase(before + after)
                continue
            if isinstance(out[-1], NoCase):  # `OpenPose` + `: Realtime`: the `:` joins the protected word
                head, *rest = re.split(r"(?=\s)", after, maxsplit=1)
                out[-1] = NoCase(before + head)
                part = String("".join(rest)) if rest else None
            else:  # `pre` + `BERT`: the start of the word joins it
                start = max(before.rfind(c) for c in " \t\n") + 1
                if start:
                    out[-1] = String(before[:start])
                else:
                    out.pop()
                part = NoCase(before[start:] + after)
        if part is not None and str(part):
            out.append(part)
    return MixedString(out) if changed else None


# citeproc-py reads BibTeX's fields and types only: a user's biblatex entry (kept as written in the
# corpus) is shown to it with the BibTeX names of the same facts, for display only.
_BIBLATEX = re.compile(r"^\s*(?:date|journaltitle|location|subtitle|titleaddon|booksubtitle|booktitleaddon|"
                       r"journalsubtitle|maintitle)\s*=|^@(?:online|mv\w+|bookinbook|collection|reference|"
                       r"inreference|supp\w+|report|thesis|patent|periodical|dataset|software|set|xdata)\s*\{",
                       re.IGNORECASE | re.MULTILINE)
_BIBLATEX_FIELDS = {"journaltitle": "journal", "location": "address"}
_BIBLATEX_TYPES = {
    "mvbook": "book", "bookinbook": "inbook", "collection": "book", "mvcollection": "book", "reference": "book",
    "mvreference": "book", "inreference": "incollection", "suppbook": "inbook", "suppcollection": "incollection",
    "suppperiodical": "article", "mvproceedings": "proceedings", "report": "techreport", "thesis": "phdthesis",
    "online": "misc", "patent": "misc", "periodical": "misc", "dataset": "misc", "software": "misc", "set": "misc",
    "xdata": "misc",
}
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")  # biblatex's date (and urldate)
_PLAIN_YEAR = re.compile(r"\s*\d{4}\s*")
_ODD_YEAR = re.compile(r"^\s*year\s*=\s*(?![{\"]?\s*\d{4}\s*[}\"]?\s*,?\s*$)", re.IGNORECASE | re.MULTILINE)
_YEAR_OR_RANGE = re.compile(r"(\d{4})(?:\s*(?:-{1,3}|\u2013|\u2014)\s*(\d{2}|\d{4}))?")


def _year_shown(value: str) -> str | None:
    """A year field as citeproc-py reads it (`1998--99`), from what LaTeX prints of it; None if
    it is not a year or a range of years."""
    from ..latex.decode import decode_latex

    found = _YEAR_OR_RANGE.fullmatch(decode_latex(value).text.strip())
    if found is None:
        return None
    return found.group(1) if found.group(2) is None else f"{found.group(1)}--{found.group(2)}"


# biblatex's literal lists among the fields a reference shows (`and` between items)
_LIST_FIELDS = frozenset({"publisher", "institution", "organization", "school"})
_PUBLISHER_LIST = re.compile(r"\bpublisher\s*=\s*[{\"][^\n]*?\s[aA][nN][dD]\s", re.IGNORECASE)


def _listed(name: str, value: str) -> str:
    """biblatex's lists: `Springer and Wiley` is two publishers, joined as Pandoc joins them
    (`Springer; Wiley`); `{Barnes and Noble}` is one."""
    return "; ".join(split_multiple_persons_names(value)) if name in _LIST_FIELDS and " and " in value else value


_TEX_QUOTED = re.compile(r"(?<!`)`([^`'{}]+)'(?!')")  # `single' (not ``double'', which citeproc-py reads)
# csquotes' and biblatex's quotation commands around text without braces (`\enquote*`: single marks)
_QUOTED = re.compile(r"\\(?:enquote|mkbibquote|textquote)(\*?)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")


def _bibtex_view(entry_text: str) -> str:
    import bibtexparser

    library = bibtexparser.parse_string(entry_text)
    if not library.entries:
        return entry_text
    entry = library.entries[0]
    names = {f.key.lower() for f in entry.fields}
    fields: list[tuple[str, str]] = []
    strings = {string.key.lower(): str(string.value) for string in library.strings}
    for fld in entry.fields:
        value = _concatenated(str(fld.value), strings) if "#" in str(fld.value) else str(fld.value)
        name, value = fld.key.lower(), _special_characters_inline(" ".join(value.split()))
        value = _listed(name, value)
        if "`" in value:  # TeX's `single' quotation: a quotation, as Pandoc reads it (the style sets its marks)
            value = _TEX_QUOTED.sub(r"“\1”", value)
        if "quote" in value:  # csquotes' \enquote{...}: quotation marks (citeproc-py dropped them), nested as the style nests
            while (quoted := _QUOTED.sub(lambda m: f"‘{m.group(2)}’" if m.group(1) else f"“{m.group(2)}”", value)) != value:
                value = quoted  # (a quotation inside a quotation: the outer first, then the inner)
        if name == "year" and not _PLAIN_YEAR.fullmatch(value):
            # citeproc-py reads a year or a range of years (`2020--21`); another year (a macro the
            # file's @preamble defines, `{\switchargs{--90}{1968}}`) failed the whole list, and
            # `1998-99` with one hyphen was no date. What is not a year is left out, as the paper's
            # facts leave it out (reported as bad-year).
            year = _year_shown(value)
            if year is None:
                continue
            value = year
        if name == "date":
            found = _DATE.match(value)
            if found and "year" not in names:
                fields.append(("year", found.group(1)))
                if found.group(2) and "month" not in names:
                    fields.append(("month", str(int(found.group(2)))))
            continue
        fields.append((_BIBLATEX_FIELDS.get(name, name) if _BIBLATEX_FIELDS.get(name) not in names else name, value))
    fields = _main_title(_titles_whole(fields), entry.entry_type.lower())
    kind = _BIBLATEX_TYPES.get(entry.entry_type.lower(), entry.entry_type)
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{entry.key},\n{body}\n}}"


# biblatex's parts of a title, each joined to its title as Pandoc joins them (a colon before the
# subtitle, a period before the addon; a space alone after a title that ends in punctuation)
_TITLE_PARTS = {"title": ("subtitle", "titleaddon"), "booktitle": ("booksubtitle", "booktitleaddon"),
                "journal": ("journalsubtitle", None), "journaltitle": ("journalsubtitle", None)}


def _titles_whole(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`title = {The Federal Appointments Process}, subtitle = {A Constitutional and Historical
    Analysis}` -> one title, "The Federal Appointments Process: A Constitutional and Historical
    Analysis": citeproc-py reads `title` alone, and the subtitle, addon (and a book's or journal's
    own) went missing."""
    values = dict(fields)
    used: set[str] = set()
    out = []
    for name, value in fields:
        if name in _TITLE_PARTS:
            subtitle, addon = _TITLE_PARTS[name]
            for part, mark in ((subtitle, ":"), (addon, ".")):
                if part and values.get(part, "").strip():
                    joined = value.rstrip()
                    value = f"{joined} {values[part]}" if joined[-1:] in "!?.,:;" else f"{joined}{mark} {values[part]}"
                    used.add(part)
        out.append((name, value))
    return [(name, value) for name, value in out if name not in used]


def _main_title(fields: list[tuple[str, str]], kind: str) -> list[tuple[str, str]]:
    """biblatex's `maintitle`, the title of the multi-volume work an entry is one volume of (or a
    chapter is in), as Pandoc gives it to CSL: the work's title is the title (a chapter's book),
    the volume's own title CSL's volume-title ("The TeXbook", volume A of "Computers &
    Typesetting"). citeproc-py reads neither: the work's title went missing."""
    values = dict(fields)
    main = values.get("maintitle", "").strip()
    if not main:
        return fields
    for part, mark in (("mainsubtitle", ":"), ("maintitleaddon", ".")):
        if values.get(part, "").strip():
            main = f"{main} {values[part]}" if main[-1:] in "!?.,:;" else f"{main}{mark} {values[part]}"
    own = "booktitle" if kind in _PARTS else "title"
    out = [(name, value) for name, value in fields if name not in ("maintitle", "mainsubtitle", "maintitleaddon")]
    if own not in values:
        return [*out, (own, main)]
    return [(name, main if name == own else value) for name, value in out] + [("volumetitle", values[own])]


def _concatenated(value: str, strings: dict[str, str]) -> str:
    """`dtv # { and Walter de Gruyter}` -> `Deutscher Taschenbuch-Verlag and Walter de Gruyter`:
    BibTeX's `#` joins its parts, which bibtexparser leaves as written. Unchanged when a part is a
    name no `@string` of the entry's text defines."""
    parts, depth, start, quoted = [], 0, 0, False
    for at, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:at].strip())
            start = at + 1
    parts.append(value[start:].strip())
    out = []
    for part in parts:
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        else:
            return value
    return "".join(out)


def _special_characters_inline(value: str) -> str:
    """`{\\"U}ber` -> `Über`: a brace group that starts with a command, at the value's top level,
    is one of BibTeX's "special characters", not a case-protected word; citeproc-py reads it as a
    separate piece of text and title-cases around it ("Schr Ö Dinger"). Given as the character it
    stands for (display only), the word stays whole."""
    if "{\\" not in value:
        return value
    from ..latex.decode import decode_latex

    out: list[str] = []
    depth, start, last = 0, 0, 0
    for found in re.finditer(r"(?<!\\)[{}]", value):
        if found.group() == "{":
            if depth == 0:
                start = found.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and value.startswith("{\\", start):
                group = value[start + 1:found.start()]
                text = decode_latex(group, tie_is_space=True).text
                if text and not any(c in text for c in "{}\\") and len(text) <= 2:
                    out += [value[last:start], text]
                    last = found.end()
    out.append(value[last:])
    return "".join(out)


def _decoded_entry(entry: Any, skip: int | None) -> str:
    """The entry for citeproc-py when its reading of the entry failed: each value it cannot read (a
    macro it does not know, `\\url{...}`, `\\textsc{...}`, `{\\em ...}`) decoded to Unicode by our LaTeX
    decoder, its braced words still braced (so a title keeps "Bayes" as written: one `note =
    {\\url{...}}` lowercased the title's protected words); the rest as written; `skip`, the n-th
    field, left out."""
    fields = ",\n".join(f"  {f.key} = {{{value if _reads(value := str(f.value)) else _decoded_braced(value)}}}"
                        for n, f in enumerate(entry.fields) if n != skip)
    return f"@{entry.entry_type}{{{entry.key},\n{fields}\n}}"


def _reads(value: str) -> bool:
    """citeproc-py's LaTeX reading takes `value`, each of its brace groups apart as it reads them (it
    fails on a macro it does not know, and on one that ends a group: `{\\TeX}`)."""
    from types import SimpleNamespace

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _reader()._parse_string(SimpleNamespace(preamble_macros={}), value)
    except Exception:
        return False
    return True


_MACRO_CALL = re.compile(r"\\([A-Za-z]+)\s*(?=\{)")


def _decoded_braced(value: str) -> str:
    """`A Study of {Bayes} in \\emph{Vivo}` -> `A Study of {Bayes} in Vivo`: the value decoded to
    Unicode, each brace group at its top level that is a case-protected word (not a command's
    argument) kept in braces, as citeproc-py reads protection, and as Pandoc keeps it (`{\\em
    Nature}` is protected too, `\\emph{the Wild}` is not)."""
    from ..latex.decode import decode_latex, plain_text

    def decoded(text: str) -> str:
        return plain_text(decode_latex(text, tie_is_space=True).text).replace("{", "").replace("}", "")

    out: list[str] = []
    at, plain_from = 0, 0
    while at < len(value):
        char = value[at]
        if char == "\\":
            call = _MACRO_CALL.match(value, at)
            if call is None:
                at += 2
                continue
            end = call.end()
            while end < len(value) and value[end] == "{":  # the command and its arguments, unprotected
                end = _group_end(value, end)
            at = end
            continue
        if char == "{":
            end = _group_end(value, at)
            out += [decoded(value[plain_from:at]), "{" + decoded(value[at:end]) + "}"]
            at = plain_from = end
            continue
        at += 1
    out.append(decoded(value[plain_from:]))
    return "".join(out)


def _group_end(value: str, start: int) -> int:
    """Where the brace group opening at `start` ends (after its `}`; the value's end if it does not)."""
    depth = 0
    at = start
    while at < len(value):
        if value[at] == "\\":
            at += 2
            continue
        if value[at] == "{":
            depth += 1
        elif value[at] == "}":
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    return len(value)
