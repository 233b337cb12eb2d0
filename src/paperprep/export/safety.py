"""Safety of written files: no exempt text in a public document, no half-written file, no illegal characters.

These work on any Office Open XML package (a zip of XML parts), so the Word and the Excel exporters share them.
"""

from __future__ import annotations

import html
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from paperprep.errors import ConfidentialLeakError, ExportError

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
    raw = _RUN_TAG.sub("", raw)
    return _normalise(html.unescape(_ANY_TAG.sub(" ", raw)))


def package_text(data: bytes) -> dict[str, str]:
    """The text of every XML part of a package, with tags removed, one normalised string per part."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            out[name] = xml_text(package.read(name).decode("utf-8", errors="replace"))
    return out


def check_no_leak(data: bytes, forbidden: Sequence[str], what: str = "The public document") -> None:
    """Refuse a package in which any forbidden phrase appears in any part (body, headers, properties...)."""
    if not forbidden:
        return
    try:
        parts = package_text(data)
    except zipfile.BadZipFile:
        raise ConfidentialLeakError(
            f"{what} was not written: it could not be read back to check it."
        ) from None
    for part, text in parts.items():
        phrase = find_phrase(text, forbidden)
        if phrase is not None:
            raise ConfidentialLeakError(
                f"{what} was not written: it would contain exempt text (\u201c{shown(phrase)}\u201d, in "
                f"{part}). Check that the item is marked exempt, or export the confidential version."
            )


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
