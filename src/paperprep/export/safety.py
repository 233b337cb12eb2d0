"""Safety of written files: no exempt text in a public document, no half-written file, no illegal characters.

These work on any Office Open XML package (a zip of XML parts), so the Word and the Excel exporters share them.
"""

from __future__ import annotations

import codecs
import errno
import html
import io
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from paperprep.errors import ConfidentialLeakError, DiskFullError, ExportError

# XML 1.0 allows tab, newline, carriage return and most of the rest; everything else is dropped, never a crash.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Every text of an exempt item is forbidden in a public file, however short: a marker, a name, a keyword. What
# may legitimately be there anyway is not: the stock phrases every set of papers holds (the standard item titles,
# "Exempt item", the resolution keywords, the labels of the clerk's lists), phrases made only of common words, and
# (left out by the caller, services/snapshot.py) the texts that are public anyway because a public item or the
# meeting itself carries them. A phrase is found only as whole words, so "Smith" is not found in "Smithson".
_STOCK = (
    "Exempt item",
    "Exempt information",
    "Apologies for absence",
    "Substitute members",
    "Declarations of interest",
    "Minutes of the previous meeting",
    "Action log and matters arising",
    "Action log / matters arising",
    "Matters arising",
    "Petitions and deputations",
    "Exclusion of the press and public",
    "Verbal update",
    "RESOLVED",
    "AGREED",
    "RECOMMENDED",
    "NOTED",
    "RESOLVED that",
    "to note the report",
    "to note the information",
    "to note the update",
    "the information",
    "the report",
    "That the report be noted",
    "That the update be noted",
    "That the information be noted",
    "Report",
    "Appendix",
    "Overall effectiveness",
    "No priority actions",
    "Open",
    "In progress",
    "Done",
    "Cancelled",
    "Red",
    "Amber",
    "Green",
    "Not set",
)
_COMMON = frozenset(
    """a an the and or but if of to in on at by for from with without as is are was were be been being it its this
    that these those there here then than so not no yes all any some each every other such only also more most
    less least very can could will would shall should may might must do does did done has have had having into onto
    over under up down out off about above below after before again further once during until while between
    through per via we our us you your he she they them their his her him who whom which what when where why how
    i me my mine item items report reports update updates note noted notes information meeting meetings minute
    minutes action actions officer officers member members committee council chair vice date due new old next
    last first second third one two three four five six seven eight nine ten part paragraph paragraphs agenda
    paper papers appendix appendices agreed resolved recommended recommendation recommendations decision decisions
    discussion discussed received receive asked question questions verbal written see see also none n/a tbc tba
    draft final version summary issue issues plan plans review reviewed progress status open closed done complete
    completed cancelled ongoing pending yes no ok okay mr mrs ms dr cllr councillor councillors""".split()
)


def _stock_phrases() -> frozenset[str]:
    from enum import StrEnum

    from paperprep import domain

    phrases = set(_STOCK) | {title for _, title in domain.STANDARD_ITEMS}
    for value in vars(domain).values():
        if isinstance(value, type) and issubclass(value, StrEnum) and hasattr(value, "label"):
            phrases |= {member.label for member in value}
    phrases |= set(domain.SCHEDULE_12A_PARAGRAPHS.values())
    return frozenset(" ".join(p.split()).casefold().rstrip(".") for p in phrases)


STOCK_PHRASES = _stock_phrases()
_WORD = re.compile(r"\w+")


def clean_xml_text(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_distinctive(phrase: str) -> bool:
    """Whether finding this (normalised) phrase in a public file would mean a leak, not a coincidence."""
    phrase = phrase.strip(" .,;:!?")
    if not phrase or phrase in STOCK_PHRASES:
        return False
    words = _WORD.findall(phrase)
    if sum(len(w) for w in words) < 3:
        return False
    return not all(w in _COMMON or w.isdigit() for w in words)


def forbidden_phrases(titles: Iterable[str], texts: Iterable[str] = ()) -> list[str]:
    """The phrases a public file must not hold: every distinctive exempt text, normalised, whatever its length."""
    phrases = {_normalise(clean_xml_text(p)) for p in (*titles, *texts) if p and p.strip()}
    return sorted(p for p in phrases if is_distinctive(p))


def _pattern(phrase: str) -> re.Pattern[str]:
    start = r"(?<!\w)" if phrase[:1].isalnum() else ""
    end = r"(?!\w)" if phrase[-1:].isalnum() else ""
    return re.compile(start + re.escape(phrase) + end)


def find_phrase(text: str, forbidden: Iterable[str]) -> str | None:
    """The first forbidden phrase found in `text` (already normalised) as whole words, or None."""
    for phrase in forbidden:
        if phrase and phrase in text and _pattern(phrase).search(text):
            return phrase
    return None


def shown(phrase: str) -> str:
    return phrase if len(phrase) <= 60 else phrase[:57] + "..."


# Tags inside a run of text (Word's w:r, w:t and run properties, Excel's rich text runs) join their text; every
# other tag (a paragraph, a table cell, a spreadsheet cell or shared string, a document property) separates it.
_RUN_TAG = re.compile(
    r"</?(?:[A-Za-z]+:)?(?:t|r|rPr|b|bCs|i|iCs|u|strike|dstrike|sz|szCs|rFont|rFonts|color|family|scheme|"
    r"vertAlign|charset|outline|shadow|condense|extend|lang|noProof|kern|spacing|w|position|highlight|caps|"
    r"smallCaps|vanish|webHidden|rStyle|shd|em|emboss|imprint|cs|rtl|proofErr|lastRenderedPageBreak|"
    r"bookmarkStart|bookmarkEnd|softHyphen|noBreakHyphen)(?:\s[^>]*)?/?>"
)
_ANY_TAG = re.compile(r"<[^>]+>")


def xml_text(raw: str) -> str:
    """The text of one XML part, normalised: run tags join, every other tag separates."""
    return _normalise(_tagless(raw))


def _tagless(raw: str) -> str:
    """The text of XML, tags removed (run tags join, every other tag separates), entities decoded."""
    return html.unescape(_ANY_TAG.sub(" ", _RUN_TAG.sub("", raw)))


_CHUNK = 1 << 20  # characters of XML read at a time: a 50,000-action workbook is never held whole, nor copied


def _xml_pieces(stream: IO[bytes]) -> Iterator[str]:
    """The XML of a part in pieces that each end just after a tag, so that no tag and no entity is cut in two
    (the tag-stripping expressions end at the first ">", and an entity never holds one)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    while True:
        data = stream.read(_CHUNK)
        pending += decoder.decode(data, final=not data)
        cut = pending.rfind(">") + 1
        if not data:
            if pending:
                yield pending
            return
        if cut:
            yield pending[:cut]
            pending = pending[cut:]


def _normalised_pieces(raw_pieces: Iterable[str]) -> Iterator[str]:
    """The pieces of xml_text(whole part), in order: joined, they are exactly the normalised text of the part.

    Each piece is normalised alone; a space goes between two pieces where the text had any space there."""
    space = False  # whitespace since the last word given out
    started = False
    for raw in raw_pieces:
        text = _tagless(raw)
        words = text.split()
        if not words:
            space = space or bool(text)
            continue
        piece = " ".join(words).casefold()
        yield (" " + piece) if started and (space or text[:1].isspace()) else piece
        started = True
        space = text[-1:].isspace()


_MANY_PHRASES = 64


class _PhraseScan:
    """Finds which forbidden phrases occur in a text given in pieces, exactly as find_phrase on the whole text
    would: the last characters of each piece are kept in front of the next, so a phrase across two pieces is
    found, and a match is taken only where the characters on both sides are known."""

    def __init__(self, forbidden: Sequence[str]) -> None:
        self.forbidden = [p for p in forbidden if p]
        self.keep = max((len(p) for p in self.forbidden), default=0) + 1
        # The words (as \w+ runs) that must be whole words of any text holding the phrase: a word at an edge of
        # the phrase counts only when that edge is a word boundary (the phrase starts or ends with a letter or
        # digit, found as whole words, or with punctuation).
        self.words: dict[str, frozenset[str]] = {}
        for phrase in self.forbidden:
            words = _WORD.findall(phrase)
            if words and phrase[0] == "_":
                words = words[1:]
            if words and phrase[-1] == "_":
                words = words[:-1]
            self.words[phrase] = frozenset(words)
        self.found: set[str] = set()

    def scan(self, pieces: Iterable[str]) -> str | None:
        """The first phrase (in the order given) found in the text made of `pieces`, or None."""
        self.found = set()
        tail = ""
        whole = True  # the tail holds all the text so far: the window starts where the text does
        stream = iter(pieces)
        piece = next(stream, None)
        while piece is not None:
            following = next(stream, None)
            window = tail + piece
            self._search(window, at_start=whole, at_end=following is None)
            whole = whole and len(window) <= self.keep
            tail = window[-self.keep :]
            piece = following
        return next((p for p in self.forbidden if p in self.found), None)

    def _search(self, window: str, at_start: bool, at_end: bool) -> None:
        # With many phrases, one pass for the window's words rules out most of them before each is searched for;
        # with a few, searching for each is quicker than that pass.
        tokens = set(_WORD.findall(window)) if len(self.forbidden) >= _MANY_PHRASES else None
        for phrase in self.forbidden:
            if phrase in self.found or (tokens is not None and not self.words[phrase] <= tokens):
                continue
            if phrase not in window:
                continue
            for match in _pattern(phrase).finditer(window):
                # Where the window begins (or ends) inside the text, the character before (after) the match is
                # not in it: such a match is looked at again with the next window, which knows.
                if (match.start() > 0 or at_start) and (match.end() < len(window) or at_end):
                    self.found.add(phrase)
                    break


def _parts(package: zipfile.ZipFile) -> list[str]:
    return [name for name in package.namelist() if name.endswith(".xml") or name.endswith(".rels")]


def package_text(data: bytes) -> dict[str, str]:
    """The text of every XML part of a package, with tags removed, one normalised string per part."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        out = {}
        for name in _parts(package):
            with package.open(name) as stream:
                out[name] = "".join(_normalised_pieces(_xml_pieces(stream)))
        return out


def check_no_leak(data: bytes, forbidden: Sequence[str], what: str = "The public document") -> None:
    """Refuse a package in which any forbidden phrase appears in any part (body, headers, properties...).

    Each part is read and searched a piece at a time, so a workbook of tens of thousands of rows is never held
    in memory as text, and whole words of the text rule out at once the phrases that cannot be there."""
    if not forbidden:
        return
    scan = _PhraseScan(forbidden)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for part in _parts(package):
                with package.open(part) as stream:
                    phrase = scan.scan(_normalised_pieces(_xml_pieces(stream)))
                if phrase is not None:
                    raise ConfidentialLeakError(
                        f"{what} was not written: it would contain exempt text (\u201c{shown(phrase)}\u201d, "
                        f"in {part}). Check that the item is marked exempt, or export the confidential version."
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise ConfidentialLeakError(
            f"{what} was not written: it could not be read back to check it."
        ) from None


def safe_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, then replace `path` with it in one step."""
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target} is a folder. Choose a file name to export to.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise ExportError(f"The folder {folder} does not exist. Choose another folder.")
    handle = None
    temp_name = ""
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix + ".part", dir=folder
        )
        handle = os.fdopen(fd, "wb")
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        handle = None
        os.replace(temp_name, target)
    except PermissionError:
        _discard(handle, temp_name)
        raise ExportError(
            f"{target.name} is open in another program or is read-only, so it was not replaced. Close it, or choose "
            "another name, and export again."
        ) from None
    except OSError as exc:
        _discard(handle, temp_name)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(
                f"The disk is full, so {target.name} was not written. Free some space, or choose another "
                "folder, and export again."
            ) from None
        raise ExportError(
            f"{target.name} could not be written ({exc.strerror}). Check the folder and the disk."
        ) from None
    return target


def _discard(handle: object, temp_name: str) -> None:
    if handle is not None:
        try:
            handle.close()  # type: ignore[attr-defined]
        except OSError:
            pass
    if temp_name:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
