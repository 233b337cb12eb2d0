"""Whole published minutes documents (.txt, .docx, .pdf) read into a meeting: header, attendance, declarations and
items, each item's text read by the pasted-minutes parser.

The reader knows the shapes councils publish: Modern.Gov printed minutes ("Minutes of the meeting held on…",
"Present:", "Officers in attendance:", `14. Title`), "Agenda and minutes" pages (`Committee - Tuesday, 6th July,
2021 7.00 pm`, `Venue:`, then `15.` and the title on its own lines), and CMIS-style attendance ("Councillor X (in
the Chair); Councillors…", "Councillor Y attended as a substitute for Councillor Z"). It never fails on text: what
it cannot use is kept in the item it belongs to, or listed in `notes`; what would make the meeting wrong (no date,
no committee, an exempt item without its paragraph) is listed in `problems`, and such a file is not imported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from paperprep.domain import AttendanceStatus, DeclarationOutcome, DeclarationType, ItemKind, PersonKind
from paperprep.errors import ImportProblem
from paperprep.imports.pasted import ParsedMinutes, parse_minutes_text
from paperprep.imports.pasted_text import WORDED_DATE, clean, first_date, title_case

SUFFIXES = (".txt", ".docx", ".pdf")
# A published minutes document is a few hundred KB; anything far larger is not one.
LARGEST_FILE = 50 * 1024 * 1024
# How far past the last item number the next one may be (an item withdrawn, a number skipped).
ITEM_GAP = 5


# --- what the document holds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    name: str
    kind: PersonKind
    status: AttendanceStatus
    note: str = ""  # "Chair", "Vice-Chair", a councillor's role when also present
    title: str = ""  # an officer's job title
    substitute_for: str = ""  # the member a substitute stood in for


@dataclass(frozen=True)
class DocumentDeclaration:
    name: str
    type: DeclarationType
    nature: str
    item_number: int | None  # the item's number as printed, when the declaration names it
    outcome: DeclarationOutcome
    text: str  # the sentence(s) as minuted


@dataclass(frozen=True)
class DocumentAction:
    text: str
    owner: str
    due_date: dt.date | None


@dataclass(frozen=True)
class DocumentItem:
    number: int | None
    reference: str  # as printed: "57", "35/20"
    title: str
    kind: ItemKind
    parsed: ParsedMinutes = field(hash=False)
    actions: tuple[DocumentAction, ...] = ()
    exempt: bool = False
    exempt_paragraphs: tuple[int, ...] = ()


@dataclass(frozen=True)
class MinutesDocument:
    source: str  # the file's name, for messages
    committee: str
    date: dt.date | None
    start_time: dt.time | None
    close_time: dt.time | None
    venue: str
    attendees: tuple[Attendee, ...]
    declarations: tuple[DocumentDeclaration, ...]
    items: tuple[DocumentItem, ...]
    problems: tuple[str, ...] = ()  # any one of them stops the file being imported
    notes: tuple[str, ...] = ()  # worth the clerk's look, but no reason to refuse the file

    @property
    def numbered_as_year(self) -> bool:
        """Minute references written "35/20": the committee numbers through the year with the year beside."""
        return any("/" in item.reference for item in self.items)


# --- reading files ----------------------------------------------------------------------------------------------


def minutes_files(path: Path) -> list[Path]:
    """The minutes documents to import: the file itself, or every .txt, .docx and .pdf in a folder (and its
    folders), in name order, so that a year's meetings go in by date when their names start with it."""
    if path.is_dir():
        found = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES]
        return sorted(found, key=lambda p: str(p.relative_to(path)).casefold())
    if not path.exists():
        raise ImportProblem(f"There is no file or folder at {path}. Check the path.")
    return [path]


def read_text(path: Path) -> str:
    """The text of a minutes document. A file that cannot be read gives one sentence saying why."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportProblem(
            f"{path.name} is not a minutes document paperprep reads: save it as .docx, .pdf or .txt and import it "
            "again."
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportProblem(f"{path.name} cannot be read ({exc.strerror}). Check the file.") from None
    if size > LARGEST_FILE:
        raise ImportProblem(
            f"{path.name} is {size // (1024 * 1024)} MB, too large to be a minutes document: import the minutes "
            "themselves, not a whole agenda pack."
        )
    try:
        if suffix == ".txt":
            return _text_file(path)
        if suffix == ".docx":
            return _docx_text(path)
        return _pdf_text(path)
    except ImportProblem:
        raise
    except OSError as exc:
        raise ImportProblem(f"{path.name} cannot be read ({exc.strerror}). Check the file.") from None
    except Exception:  # noqa: BLE001 - a damaged .docx or .pdf raises many kinds of error from its library
        kind = "Word document" if suffix == ".docx" else "PDF"
        raise ImportProblem(
            f"{path.name} cannot be read as a {kind}: it may be damaged. Open it, save it again (or save the "
            "minutes as .txt) and import that file."
        ) from None


def _text_file(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportProblem(f"{path.name} is not a text file. Save the minutes as .txt, .docx or .pdf.")
    for encoding in (
        ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",)
    ):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")  # old Windows text files


def _docx_text(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    if cell.text.strip() and (not cells or cells[-1] != cell.text.strip()):
                        cells.append(cell.text.strip())  # merged cells repeat their text
                lines.extend(cells)
        lines.append("")
    return "\n".join(lines)


def _pdf_text(path: Path) -> str:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd but readable files are noise
    reader = PdfReader(str(path))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception:  # noqa: BLE001 - any failure means a password is needed
            raise ImportProblem(
                f"{path.name} is protected by a password. Save an unprotected copy and import that."
            ) from None
    pages = [page.extract_text() or "" for page in reader.pages]
    text = "\n".join(pages)
    if not text.strip():
        raise ImportProblem(
            f"{path.name} holds no text (it is probably a scan): import the Word or text version of these minutes."
        )
    return text


def read_minutes_document(path: Path) -> MinutesDocument:
    return split_minutes_document(read_text(path), path.name)


# --- the header ---------------------------------------------------------------------------------------------------

_FURNITURE = re.compile(
    r"^(?:public document pack|agenda and minutes|agenda,? decisions and minutes|minutes|draft minutes|items|"
    r"no\.?\s+item|page \d+(?: of \d+)?|\d+|view directions|media|signed|chair(?:man|person)?|date|"
    r"(?:the )?minutes (?:are|were) subject to approval.*)\.?$",
    re.IGNORECASE,
)
_TIME = r"(\d{1,2}(?:[.:]\d{2})?\s*(?:[ap]\.?\s?m\.?)|\d{1,2}[.:]\d{2}|noon|midday)"
_MINUTES_OF = re.compile(
    r"^minutes of (?:the |a )?(?:(?:\w+ )?meeting(?: of)? (?:the )?)?(?P<committee>.*?)\s*\bheld\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^(?P<committee>[A-Z][^,]{2,150}?)\s+[-\u2013\u2014]\s+(?P<date>(?:[A-Z][a-z]+day,?\s+)?\d{1,2}(?:st|nd|rd|th)?"
    r"\s+[A-Z][a-z]+,?\s+\d{4})(?P<rest>.*)$"
)
_CLOSED = re.compile(
    rf"^\(?\s*(?:the\s+)?(?:meeting|committee|it)\s+(?:closed|ended|finished|concluded|terminated|rose)"
    rf"(?:\s+at)?\s+{_TIME}\.?\s*\)?\.?$",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ()/'\u2019\-]{1,50}?)\s*:\s*(?P<value>.*)$")
_HEADER_LABELS = {
    "committee": "committee",
    "meeting": "committee",
    "date": "date",
    "date of meeting": "date",
    "time": "time",
    "venue": "venue",
    "place": "venue",
    "location": "venue",
    "contact": "contact",
}
# The attendance lists of a header, by the label they stand under.
_ATTENDANCE_LABELS = {
    "present": ("member", AttendanceStatus.PRESENT),
    "members present": ("member", AttendanceStatus.PRESENT),
    "councillors present": ("member", AttendanceStatus.PRESENT),
    "councillors": ("member", AttendanceStatus.PRESENT),
    "members": ("member", AttendanceStatus.PRESENT),
    "co-opted members": ("co_opted", AttendanceStatus.PRESENT),
    "co-opted member": ("co_opted", AttendanceStatus.PRESENT),
    "co-optees": ("co_opted", AttendanceStatus.PRESENT),
    "substitutes": ("member", AttendanceStatus.SUBSTITUTE),
    "substitute members": ("member", AttendanceStatus.SUBSTITUTE),
    "also present": ("guest", AttendanceStatus.IN_ATTENDANCE),
    "also in attendance": ("guest", AttendanceStatus.IN_ATTENDANCE),
    "in attendance": ("officer", AttendanceStatus.IN_ATTENDANCE),
    "officers": ("officer", AttendanceStatus.IN_ATTENDANCE),
    "officers present": ("officer", AttendanceStatus.IN_ATTENDANCE),
    "officers in attendance": ("officer", AttendanceStatus.IN_ATTENDANCE),
    "officers attending": ("officer", AttendanceStatus.IN_ATTENDANCE),
    "apologies": ("member", AttendanceStatus.APOLOGIES),
    "apologies for absence": ("member", AttendanceStatus.APOLOGIES),
    "absent": ("member", AttendanceStatus.ABSENT),
}


def parse_time(text: str) -> dt.time | None:
    """The time in "6.30 pm", "6.30pm", "18:30", "7pm", "2.00 p.m.", "noon" as a time."""
    text = text.strip().lower().replace(" ", "")
    if text in ("noon", "midday"):
        return dt.time(12, 0)
    match = re.fullmatch(r"(\d{1,2})(?:[.:](\d{2}))?(?:([ap])\.?m\.?)?", text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) == "p" and hour < 12:
        hour += 12
    elif match.group(3) == "a" and hour == 12:
        hour = 0
    if match.group(3) is None and match.group(2) is None:
        return None  # a bare number is no time
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _first_time(text: str) -> dt.time | None:
    for match in re.finditer(_TIME, text, re.IGNORECASE):
        found = parse_time(match.group(1))
        if found is not None:
            return found
    return None


def _meeting_date(text: str) -> dt.date | None:
    found = first_date(text)
    return found.date if found is not None and found.precision == "day" else None


def _venue_from(rest: str) -> str:
    """The venue in "… held in the Council Chamber, Town Hall on Thursday…" or "… at 6.30 pm in Room 2"."""
    rest = WORDED_DATE.sub(" ", rest)
    rest = re.sub(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", " ", rest)
    rest = re.sub(_TIME, " ", rest, flags=re.IGNORECASE)
    match = re.search(r"\b(?:in|at)\s+(?:the\s+)?(?P<venue>[A-Z][^.]*?)\s*(?:\bon\b|\bat\b|$)", rest)
    if match is None:
        return ""
    venue = match.group("venue").strip(" ,.;")
    return venue if len(venue) > 2 else ""


@dataclass
class _Header:
    committee: str = ""
    date: dt.date | None = None
    start_time: dt.time | None = None
    venue: str = ""
    lists: list[tuple[str, AttendanceStatus, str]] = field(default_factory=list)  # (who, status, text)
    loose: list[str] = field(default_factory=list)  # header lines read as nothing else


def _read_header(lines: list[str]) -> _Header:
    header = _Header()
    current: tuple[str, AttendanceStatus] | None = None
    previous_text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if _FURNITURE.match(line):
            continue
        minutes_of = _MINUTES_OF.match(line)
        heading = _HEADING.match(line)
        label = _LABEL.match(line)
        key = label.group("label").strip().casefold() if label else ""
        if minutes_of is not None:
            current = None
            committee = minutes_of.group("committee").strip(" ,")
            header.committee = committee or header.committee or previous_text
            rest = minutes_of.group("rest")
            header.date = header.date or _meeting_date(rest)
            header.start_time = header.start_time or _first_time(WORDED_DATE.sub(" ", rest))
            header.venue = header.venue or _venue_from(rest)
        elif heading is not None and _meeting_date(heading.group("date")):
            current = None
            header.committee = header.committee or heading.group("committee").strip()
            header.date = header.date or _meeting_date(heading.group("date"))
            header.start_time = header.start_time or _first_time(heading.group("rest"))
        elif label is not None and key in _ATTENDANCE_LABELS:
            current = _ATTENDANCE_LABELS[key]
            if label.group("value").strip():
                header.lists.append((current[0], current[1], label.group("value").strip()))
        elif label is not None and key in _HEADER_LABELS:
            current = None
            value = label.group("value").strip()
            what = _HEADER_LABELS[key]
            if what == "committee":
                header.committee = header.committee or value
            elif what == "date":
                header.date = header.date or _meeting_date(value)
                header.start_time = header.start_time or _first_time(WORDED_DATE.sub(" ", value))
            elif what == "time":
                header.start_time = header.start_time or _first_time(value)
            elif what == "venue":
                header.venue = header.venue or re.sub(r"\.?\s*View directions\.?$", "", value).strip()
        elif current is not None:
            last = header.lists[-1] if header.lists else None
            if last is not None and last[:2] == current and _continues_list(last[2], line):
                header.lists[-1] = (last[0], last[1], f"{last[2]} {line}")  # a line broken by the PDF's width
            else:
                header.lists.append((current[0], current[1], line))
        elif _attendance_sentence(line):
            header.lists.append(("member", AttendanceStatus.PRESENT, line))
        else:
            if not header.committee and not header.date and len(line) < 150:
                previous_text = line
            header.loose.append(line)
    if not header.committee and previous_text:
        header.committee = previous_text
    return header


def _continues_list(previous: str, line: str) -> bool:
    """Whether `line` goes on with the list `previous` started: broken after a comma, inside brackets or a name."""
    previous = previous.rstrip()
    if previous.count("(") > previous.count(")") or re.search(r"(?:,|&|\band)$", previous):
        return True
    if line[:1].islower():
        return True
    return (
        not re.search(r"[).;]$", previous)
        and len(line.split()) <= 2
        and not _COUNCILLOR.match(line)
        and not re.match(r"(?:Mr|Mrs|Ms|Miss|Dr)\b", line)
    )


def _attendance_sentence(line: str) -> bool:
    """A CMIS-style present line: "Councillor G Carpenter (in the Chair); Councillors Hanton, Bensley…"."""
    return bool(re.match(r"^(?:Councillors?|Cllrs?\.?)\s+[A-Z]", line)) and (
        "(in the chair)" in line.casefold() or "(chair" in line.casefold() or ";" in line
    )


# --- names and attendance -----------------------------------------------------------------------------------------

_COUNCILLOR = re.compile(r"^(?:(?:County|Borough|District|City|Town)\s+)?(?:Councillors?|Cllrs?\.?)\s+", re.I)
_ROLE_WORDS = re.compile(
    r"^(?:the\s+)?(?:Director|Assistant|Deputy|Head|Chief|Manager|Officer|Clerk|Lead|Executive|Interim|Senior|"
    r"Service|Strategic|Corporate|Monitoring|Democratic|Principal|Legal|Solicitor|Committee|Scrutiny|Team|"
    r"Cabinet|Portfolio|Programme|Project|Finance|Policy|Governance|Consultant|Adviser|Advisor|Strategy|Public)\b",
    re.I,
)
_NAME = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Rev|Revd|Sir|Dame)\.?\s+)?"
    r"[A-Z][\w'\u2019.\-]*(?:\s+(?:[A-Z][\w'\u2019.\-]*|de|van|von|da|le|la|du|di|of))*$"
)
_CHAIR = re.compile(r"\((?:in the )?(vice[- ]?)?chair(?:man|person)?\)|\(vice[- ]chair(?:man)?\)", re.I)
_SUBSTITUTE = re.compile(
    r"(?P<who>.+?)\s*(?:\((?:as\s+)?(?:substitute\s+for|substituting\s+for|sub\s+for|for)\s+(?P<for>[^)]+)\)|"
    r"\s+(?:attended|was present|present)?\s*as\s+(?:a\s+|the\s+)?substitute\s+for\s+(?P<for2>.+?)\.?$|"
    r"\s+substituted\s+for\s+(?P<for3>.+?)\.?$)",
    re.I,
)
_SUBSTITUTED_BY = re.compile(r"(?P<absent>.+?)\s*\((?:substituted|replaced)\s+by\s+(?P<sub>[^)]+)\)", re.I)


def _outside_parens(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def clean_name(text: str) -> str:
    """A person's name without "Councillor"/"Cllr", brackets, or the punctuation around it."""
    text = _COUNCILLOR.sub("", text.strip(" .,;:")).strip()
    return " ".join(text.split())


def is_name(text: str) -> bool:
    text = clean_name(text)
    return (
        2 <= len(text) <= 80
        and len(text.split()) <= 6
        and bool(_NAME.match(text))
        and not _ROLE_WORDS.match(text)
    )


def _split_names(text: str) -> list[str]:
    """ "Councillors A Smith (Chair), B Jones and C Patel" as its names, brackets kept with each."""
    pieces: list[str] = []
    for chunk in _outside_parens(text.rstrip(". "), ";,"):
        chunk = re.sub(r"^(?:and|&)\s+", "", chunk)
        words = re.split(r"\s+(?:and|&)\s+(?![^(]*\))", chunk)
        if len(words) > 1 and all(is_name(re.sub(r"\([^)]*\)", "", w)) for w in words):
            pieces.extend(words)
        else:
            pieces.append(chunk)
    return [p for p in (p.strip() for p in pieces) if p]


def _person(piece: str, who: str, status: AttendanceStatus, notes: list[str]) -> Attendee | None:
    piece = piece.strip(" .;:")
    councillor = bool(_COUNCILLOR.match(piece))
    substituted = _SUBSTITUTED_BY.match(piece)
    if substituted is not None:
        return None  # "Cllr Borg (substituted by Cllr Wainwright)": read by _substitutes from the same text
    substitute = _SUBSTITUTE.fullmatch(piece)
    if substitute is not None:
        stood_for = substitute.group("for") or substitute.group("for2") or substitute.group("for3") or ""
        name = clean_name(re.sub(r"\([^)]*\)", "", substitute.group("who")))
        if is_name(name) and is_name(stood_for):
            return Attendee(
                name, PersonKind.COUNCILLOR, AttendanceStatus.SUBSTITUTE, "", "", clean_name(stood_for)
            )
    note = ""
    chair = _CHAIR.search(piece)
    if chair is not None:
        note = "Vice-Chair" if chair.group(1) or "vice" in chair.group(0).casefold() else "Chair"
        piece = (piece[: chair.start()] + piece[chair.end() :]).strip()
    title = ""
    bracket = re.search(r"\(([^)]*)\)\s*$", piece)
    if bracket is not None:
        title = bracket.group(1).strip()
        piece = piece[: bracket.start()].strip()
    else:
        dash = re.match(r"^(?P<name>.+?)\s+[-\u2013\u2014]\s+(?P<role>.+)$", piece)
        if dash is not None and is_name(dash.group("name")):
            piece, title = dash.group("name"), dash.group("role")
    name = clean_name(piece)
    if not is_name(name):
        if piece:
            notes.append(
                f"\u201c{piece}\u201d in the attendance was not read as a name; add it by hand if needed."
            )
        return None
    if who == "officer" and not councillor:
        return Attendee(name, PersonKind.OFFICER, status, "", title)
    if who == "co_opted" and not councillor:
        return Attendee(name, PersonKind.CO_OPTED, status, note or title)
    if who == "guest" and not councillor:
        return Attendee(name, PersonKind.OTHER, status, "", title)
    return Attendee(name, PersonKind.COUNCILLOR, status, note or title)


def _read_list(who: str, status: AttendanceStatus, text: str, notes: list[str]) -> list[Attendee]:
    if re.match(r"^(?:none|nil|no apologies|there were no)", text.strip(), re.I):
        return []
    pieces = _split_names(text)
    found: list[Attendee] = []
    for n, piece in enumerate(pieces):
        if found and _ROLE_WORDS.match(piece) and not found[-1].title and n > 0:
            found[-1] = replace(found[-1], title=piece.strip(" .;"))  # "Jane Smith, Director of…"
            continue
        attendee = _person(piece, who, status, notes)
        if attendee is not None:
            found.append(attendee)
    found.extend(_substitutes(text))
    return found


_SUB_SENTENCE = re.compile(
    r"(?P<sub>(?:Councillor|Cllr\.?)\s+[A-Z][\w'\u2019\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,3}?)\s+(?:attended|was present|was in attendance)?\s*"
    r"as\s+(?:a\s+|the\s+)?substitute\s+for\s+(?P<absent>(?:Councillor|Cllr\.?)\s+[A-Z][\w'\u2019.\-]*"
    r"(?:\s+[A-Z][\w'\u2019.\-]*){0,3})"
    r"|(?P<sub2>(?:Councillor|Cllr\.?)\s+[A-Z][\w'\u2019\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,3}?)\s+substituted\s+for\s+"
    r"(?P<absent2>(?:Councillor|Cllr\.?)\s+[A-Z][\w'\u2019.\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,3})",
)


def _substitutes(text: str) -> list[Attendee]:
    found = []
    for match in _SUBSTITUTED_BY.finditer(text):
        absent = clean_name(re.split(r"[,;]|\band\b", match.group("absent"))[-1])
        sub = clean_name(match.group("sub"))
        if is_name(absent) and is_name(sub):
            found.append(Attendee(absent, PersonKind.COUNCILLOR, AttendanceStatus.APOLOGIES))
            found.append(
                Attendee(sub, PersonKind.COUNCILLOR, AttendanceStatus.SUBSTITUTE, substitute_for=absent)
            )
    for match in _SUB_SENTENCE.finditer(text):
        sub = clean_name(match.group("sub") or match.group("sub2"))
        absent = clean_name(match.group("absent") or match.group("absent2"))
        if is_name(sub) and is_name(absent):
            found.append(
                Attendee(sub, PersonKind.COUNCILLOR, AttendanceStatus.SUBSTITUTE, substitute_for=absent)
            )
    return found


_APOLOGIES = re.compile(
    r"apolog\w*\s+(?:for\s+(?:absence|lateness)\s+)?(?:were|was|had been|have been)\s+(?:received|submitted|given|"
    r"tendered|reported|noted)\s+(?:from|by|on behalf of|for)\s+(?P<names>.+?)(?:\.(?:\s|$)|$)",
    re.I,
)


def _apologies_in(text: str, notes: list[str]) -> list[Attendee]:
    found: list[Attendee] = []
    for match in _APOLOGIES.finditer(" ".join(text.split())):
        if "lateness" in match.group(0).casefold():
            continue
        names = re.split(r"\s*(?:\(|,?\s+who\b|,?\s+with\b)", match.group("names"))[0]
        found.extend(_read_list("member", AttendanceStatus.APOLOGIES, names, notes))
    found.extend(_substitutes(" ".join(text.split())))
    return found


# Which status stands when one person is named twice: being there beats apologies.
_RANK = {
    AttendanceStatus.SUBSTITUTE: 0,
    AttendanceStatus.PRESENT: 1,
    AttendanceStatus.IN_ATTENDANCE: 2,
    AttendanceStatus.APOLOGIES: 3,
    AttendanceStatus.ABSENT: 4,
}


def _full_names(attendees: list[Attendee]) -> dict[str, str]:
    """Surname (and "initial surname") to full name, where it is unambiguous: "Pryce" → "Dominic Pryce"."""
    by_short: dict[str, set[str]] = {}
    for a in attendees:
        words = a.name.split()
        if len(words) > 1:
            by_short.setdefault(words[-1].casefold(), set()).add(a.name)
            by_short.setdefault(f"{words[0][0]} {words[-1]}".casefold(), set()).add(a.name)
    return {short: next(iter(names)) for short, names in by_short.items() if len(names) == 1}


def _merge_attendance(attendees: list[Attendee]) -> list[Attendee]:
    full = _full_names(attendees)

    def named(name: str) -> str:
        return full.get(name.casefold(), name) if name else name

    merged: dict[tuple[str, PersonKind], Attendee] = {}
    for a in attendees:
        a = replace(a, name=named(a.name), substitute_for=named(a.substitute_for))
        key = (a.name.casefold(), a.kind)
        old = merged.get(key)
        if old is None or _RANK[a.status] < _RANK[old.status]:
            merged[key] = replace(
                a, note=a.note or (old.note if old else ""), title=a.title or (old.title if old else "")
            )
        elif old is not None and (a.note or a.title):
            merged[key] = replace(old, note=old.note or a.note, title=old.title or a.title)
    result = list(merged.values())
    there = {
        (a.name.casefold())
        for a in result
        if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
    }
    absent = {a.substitute_for.casefold() for a in result if a.status is AttendanceStatus.SUBSTITUTE}
    for name in sorted(absent - there - {a.name.casefold() for a in result}):
        original = next(a.substitute_for for a in result if a.substitute_for.casefold() == name)
        result.append(Attendee(original, PersonKind.COUNCILLOR, AttendanceStatus.APOLOGIES))
    return result


# --- declarations -------------------------------------------------------------------------------------------------

_DECLARED = re.compile(
    r"(?P<who>(?:(?:Councillors?|Cllrs?\.?|Mr|Mrs|Ms|Miss|Dr)\s+)?[A-Z][\w'\u2019.\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,3})"
    r"\s+(?:declared|declares|had declared|disclosed|reported)\s+(?:an?\s+|the\s+following\s+)?(?P<what>.*)$",
)
_NATURE_END = re.compile(
    r",?\s+(?:and\s+)?(?:left the (?:room|meeting|chamber)|withdrew|took no part|did not (?:vote|take part)).*$",
    re.I,
)
_ITEM_REF = re.compile(r"\b(?:agenda\s+)?(?:item|minute|min\.?)\s+(?:no\.?\s*)?(\d{1,4})", re.I)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", " ".join(text.split())) if s.strip()]


def _declaration_type(text: str) -> DeclarationType | None:
    low = text.casefold()
    if (
        "non-registrable" in low
        or "non registrable" in low
        or "non-pecuniary" in low
        or "personal interest" in low
    ):
        return DeclarationType.NON_REGISTRABLE
    if "other registrable" in low or "other registerable" in low or "registrable interest" in low:
        return DeclarationType.OTHER_REGISTRABLE
    if "pecuniary" in low or "dpi" in low.split():
        return DeclarationType.DISCLOSABLE_PECUNIARY
    return None


def _outcome(text: str) -> DeclarationOutcome:
    low = text.casefold()
    if re.search(
        r"left the (?:room|meeting|chamber)|withdrew|took no part|did not take part|not participate", low
    ):
        return DeclarationOutcome.LEFT_ROOM
    if re.search(r"did not vote|not vote|abstained from (?:the )?vot", low):
        return DeclarationOutcome.DID_NOT_VOTE
    return DeclarationOutcome.REMAINED


def _declarations_in(text: str, notes: list[str]) -> list[DocumentDeclaration]:
    found: list[DocumentDeclaration] = []
    sentences = _sentences(text)
    for n, sentence in enumerate(sentences):
        if (
            re.search(r"\bno (?:declarations|interests)\b|\bnone\b", sentence, re.I)
            and "declared" not in sentence
        ):
            continue
        match = _DECLARED.search(sentence)
        if match is None or "interest" not in match.group("what").casefold():
            continue
        name = clean_name(match.group("who"))
        if not is_name(name) or name.casefold() in ("it", "members", "the chair"):
            continue
        following = sentences[n + 1] if n + 1 < len(sentences) and "declared" not in sentences[n + 1] else ""
        whole = " ".join(filter(None, [sentence, following]))
        kind = _declaration_type(sentence)
        if kind is None:
            kind = DeclarationType.NON_REGISTRABLE
            notes.append(
                f"The declaration by {name} does not say which kind of interest it was; it is recorded as a "
                "non-registrable interest. Check it."
            )
        ref = _ITEM_REF.search(sentence)
        nature = re.search(r"\b(?:as|because|since|being|in that|due to)\b\s+(?P<why>.+)$", sentence)
        found.append(
            DocumentDeclaration(
                name=name,
                type=kind,
                nature=_NATURE_END.sub("", nature.group("why") if nature else sentence).rstrip(". "),
                item_number=int(ref.group(1)) if ref else None,
                outcome=_outcome(whole),
                text=whole,
            )
        )
    return found


# --- items --------------------------------------------------------------------------------------------------------

_ITEM_HEADING = re.compile(
    r"^(?:(?:agenda\s+)?item\s+|minute\s+(?:no\.?\s*)?)?(?P<number>\d{1,4})(?P<year>/\d{2,4})?[.):]?\s+(?:[-\u2013:]\s*)?"
    r"(?P<title>[A-Z\u2018'\"(\u201c].{1,200})$",
    re.IGNORECASE,
)
_ITEM_NUMBER_ALONE = re.compile(
    r"^(?:(?:agenda\s+)?item\s+|minute\s+)?(?P<number>\d{1,4})(?P<year>/\d{2,4})?[.):]?$", re.IGNORECASE
)
_NOT_A_TITLE = re.compile(
    r"^(?:that\b|resolved\b|agreed\b|recommended\b|noted\b|decision\b|the\b.*\b(?:was|were|is|are|had|has)\b)",
    re.IGNORECASE,
)
_KEYWORD_LINE = re.compile(
    r"^(?:that\b|resolved\b|agreed\b|recommended\b|decision\b|it was resolved\b)", re.I
)
_PART_B = re.compile(
    r"^(?:part\s+(?:b|ii|2)\b|exempt items?|confidential items?|items? (?:considered )?in private)",
    re.IGNORECASE,
)
_EXEMPT = re.compile(
    r"exempt information|\(exempt\)|\bexempt item\b|\bexempt report\b|not for publication|"
    r"paragraphs?\s+\d[\d ,and&]*\s+of\s+(?:part\s+(?:1|i|one)\s+of\s+)?schedule\s+12a|^exempt\b",
    re.IGNORECASE,
)
_EXEMPT_SUFFIX = re.compile(
    r"\s*[(\[][^()\[\]]*(?:exempt|schedule\s+12a|not for publication|paragraph)[^()\[\]]*[)\]]\s*$|"
    r"\s*[-\u2013\u2014:]\s*(?:exempt|confidential)\b.*$",
    re.IGNORECASE,
)
_PARAGRAPHS = re.compile(r"paragraphs?\s+(\d[\d ,and&]*)", re.IGNORECASE)
_ACTION = re.compile(r"^\s*(?:ACTIONS?|Actions?)\s*(?:point)?\s*[:\-\u2013]\s*(?P<text>.+)$")
_KINDS = (
    (
        re.compile(r"exclusion of (?:the )?(?:press|public)|exclusion of press", re.I),
        ItemKind.EXCLUSION_MOTION,
    ),
    (re.compile(r"^apolog", re.I), ItemKind.APOLOGIES),
    (re.compile(r"^substitut", re.I), ItemKind.SUBSTITUTES),
    (
        re.compile(r"declarations? of (?:interest|pecuniary)|^declarations?\b|^interests$", re.I),
        ItemKind.DECLARATIONS,
    ),
    (
        re.compile(r"^minutes\b|previous minutes|minutes of (?:the )?(?:previous|last)", re.I),
        ItemKind.PREVIOUS_MINUTES,
    ),
    (re.compile(r"action log|matters arising|action tracker", re.I), ItemKind.ACTION_LOG),
    (re.compile(r"petition|deputation", re.I), ItemKind.PETITIONS),
    (re.compile(r"urgent (?:business|items?)|any other business", re.I), ItemKind.URGENT_BUSINESS),
)


def _title_ok(title: str) -> bool:
    title = title.strip()
    words = title.split()
    ends_sentence = bool(re.search(r"[.;,:]$", title.rstrip(")").rstrip())) and not title.endswith("etc.")
    return bool(words) and len(words) <= 25 and not ends_sentence and not _NOT_A_TITLE.match(title)


@dataclass
class _RawItem:
    number: int
    reference: str
    title: str
    lines: list[str] = field(default_factory=list)
    after_part_b: bool = False


def _split_items(lines: list[str]) -> tuple[list[str], list[_RawItem]]:
    header: list[str] = []
    items: list[_RawItem] = []
    part_b = False
    n = 0
    while n < len(lines):
        line = lines[n].strip()
        number, reference, title = None, "", ""
        heading = _ITEM_HEADING.match(line)
        alone = _ITEM_NUMBER_ALONE.match(line)
        if heading is not None and _title_ok(heading.group("title")):
            number, reference, title = (
                int(heading.group("number")),
                heading.group("number"),
                heading.group("title"),
            )
            reference += heading.group("year") or ""
        elif alone is not None:
            following = next((k for k in range(n + 1, min(n + 4, len(lines))) if lines[k].strip()), None)
            if (
                following is not None
                and _title_ok(lines[following].strip())
                and not _ITEM_NUMBER_ALONE.match(lines[following].strip())
            ):
                number, reference = (
                    int(alone.group("number")),
                    alone.group("number") + (alone.group("year") or ""),
                )
                title = lines[following].strip()
                n = following
        if number is not None and (not items or items[-1].number < number <= items[-1].number + ITEM_GAP):
            if items or _plausible_first(lines, n):
                items.append(_RawItem(number, reference, title.strip(), after_part_b=part_b))
                n += 1
                continue
        if _PART_B.match(line) and len(line) < 120:
            part_b = True
            (items[-1].lines if items else header).append("")
            n += 1
            continue
        (items[-1].lines if items else header).append(lines[n])
        n += 1
    return header, items


def _plausible_first(lines: list[str], n: int) -> bool:
    """The first item heading is not a numbered line of the header (an address, "1 Town Hall Square")."""
    return not re.match(
        r"^\d+\s+[A-Z][a-z]+\s+(?:Street|Road|Square|Lane|Avenue|Place|Way)\b", lines[n].strip()
    )


def _item_kind(title: str, parsed: ParsedMinutes) -> ItemKind:
    for pattern, kind in _KINDS:
        if pattern.search(title):
            return kind
    opening = " ".join(b.text for b in parsed.blocks[:1])
    if re.search(r"\b(?:verbal|oral) (?:update|report)\b", f"{parsed.purpose} {title} {opening}", re.I):
        return ItemKind.VERBAL_UPDATE
    return ItemKind.REPORT


def _paragraph_numbers(text: str) -> tuple[int, ...]:
    numbers: list[int] = []
    for match in _PARAGRAPHS.finditer(text):
        numbers.extend(int(n) for n in re.findall(r"\d+", match.group(1)))
    return tuple(sorted(set(numbers)))


def _actions_of(lines: list[str]) -> tuple[list[str], list[DocumentAction]]:
    kept: list[str] = []
    actions: list[DocumentAction] = []
    for line in lines:
        match = _ACTION.match(line)
        if match is None or len(match.group("text").split()) < 3:
            kept.append(line)
            continue
        text = match.group("text").strip()
        owner = ""
        labelled = re.search(r"\((?:owner|lead|by)\s*:\s*([^)]+)\)", text, re.I)
        if labelled is not None:
            owner = labelled.group(1).strip()
        else:
            subject = re.match(r"^(?:The\s+)?(?P<owner>[A-Z][^.]{2,80}?)\s+to\s+[a-z]", text)
            owner = subject.group("owner").strip() if subject else ""
        due = None
        by = re.search(r"\bby\s+(?:the\s+)?(.{4,40})", text)
        if by is not None:
            found = first_date(by.group(1))
            due = found.date if found is not None and found.precision == "day" else None
        actions.append(DocumentAction(text, owner, due))
    return kept, actions


def _tail_furniture(lines: list[str]) -> tuple[list[str], dt.time | None]:
    """The last item's text without the close of the meeting and the signature block."""
    close = None
    kept = list(lines)
    for n in range(len(kept) - 1, -1, -1):
        line = kept[n].strip()
        match = _CLOSED.match(line)
        if match is not None:
            close = parse_time(match.group(1))
            kept = kept[:n]
            break
    while kept and (not kept[-1].strip() or _FURNITURE.match(kept[-1].strip())):
        kept.pop()
    return kept, close


def _closing_anywhere(items: list[_RawItem]) -> dt.time | None:
    for item in reversed(items):
        for n, line in enumerate(item.lines):
            match = _CLOSED.match(line.strip())
            if match is not None:
                del item.lines[n]
                return parse_time(match.group(1))
    return None


def _motion_paragraphs(items: Iterable[DocumentItem]) -> tuple[int, ...]:
    for item in items:
        if item.kind is ItemKind.EXCLUSION_MOTION:
            resolution = item.parsed.resolution
            words = " ".join(
                [b.text for b in item.parsed.blocks]
                + ([resolution.text, *resolution.parts] if resolution is not None else [])
            )
            return tuple(p for p in _paragraph_numbers(words) if 1 <= p <= 7)
    return ()


def split_minutes_document(text: str, source: str = "") -> MinutesDocument:
    """The meeting a whole minutes document records. Never fails: what stops an import is in `problems`."""
    text = clean(text if isinstance(text, str) else "")
    lines = text.split("\n")
    header_lines, raw_items = _split_items(lines)
    header = _read_header(header_lines)
    notes: list[str] = []
    problems: list[str] = []
    close = None
    if raw_items:
        raw_items[-1].lines, close = _tail_furniture(raw_items[-1].lines)
        close = close or _closing_anywhere(raw_items)
    attendees: list[Attendee] = []
    for who, status, value in header.lists:
        attendees.extend(_read_list(who, status, value, notes))
    declarations: list[DocumentDeclaration] = []
    items: list[DocumentItem] = []
    for raw in raw_items:
        body_lines, actions = _actions_of(raw.lines)
        written = raw.title
        opening = [line for line in body_lines[:6] if line.strip() and not _KEYWORD_LINE.match(line.strip())]
        exempt_words = _EXEMPT.search(written) or any(_EXEMPT.search(line) for line in opening)
        title = _EXEMPT_SUFFIX.sub("", written).strip() or written
        parsed = parse_minutes_text(title + "\n\n" + "\n".join(body_lines))
        parsed = replace(
            parsed,
            title=title_case(title),
            title_as_written=written,
            item_number=raw.number,
            item_reference=raw.reference,
        )
        kind = _item_kind(title, parsed)
        body = "\n".join(body_lines)
        if kind is ItemKind.APOLOGIES or kind is ItemKind.SUBSTITUTES:
            attendees.extend(_apologies_in(body, notes))
        if kind is ItemKind.DECLARATIONS:
            declarations.extend(_declarations_in(body, notes))
        exempt = kind is not ItemKind.EXCLUSION_MOTION and (bool(exempt_words) or raw.after_part_b)
        paragraphs: tuple[int, ...] = ()
        if exempt:
            stated = written + "\n" + "\n".join(opening)
            paragraphs = _paragraph_numbers(stated)
        items.append(
            DocumentItem(
                raw.number, raw.reference, title_case(title), kind, parsed, tuple(actions), exempt, paragraphs
            )
        )
    motion = _motion_paragraphs(items)
    for n, item in enumerate(items):
        if item.exempt and not item.exempt_paragraphs and motion:
            items[n] = replace(item, exempt_paragraphs=motion)  # the paragraphs the exclusion motion stated
    for item in items:
        if item.exempt and (
            not item.exempt_paragraphs or any(p not in range(1, 8) for p in item.exempt_paragraphs)
        ):
            problems.append(
                f"Item {item.reference} \u201c{item.title}\u201d is marked exempt but gives no valid Schedule 12A "
                "paragraph (a whole number 1 to 7), so the file was not imported: add \u201c(Exempt information - "
                "paragraph N)\u201d to its heading and import it again."
            )
    if not items:
        problems.append(
            "No numbered items were found in it (lines such as \u201c14. Apologies for absence\u201d): check that it "
            "is a minutes document."
        )
    if header.date is None:
        problems.append(
            "The date of the meeting was not found (a line such as \u201cMinutes of the meeting held on Tuesday 6 "
            "July 2021\u201d or \u201cDate: 06/07/2021\u201d): add one at the top and import it again."
        )
    committee = " ".join(header.committee.split())
    committee = re.sub(r"^(?:the\s+)", "", committee, flags=re.I).strip(" ,.-")
    if not committee:
        problems.append(
            "The committee was not found (the first line, or \u201cMinutes of the meeting of the … held…\u201d): add "
            "it at the top and import it again."
        )
    elif len(committee) > 200:
        problems.append(
            "The committee's name found is longer than 200 characters: check the top of the document."
        )
    for number in _gaps(items):
        notes.append(f"No item {number} was found; the items after it are numbered on from the one before.")
    return MinutesDocument(
        source=source,
        committee=title_case(committee) if committee.isupper() else committee,
        date=header.date,
        start_time=header.start_time,
        close_time=close,
        venue=header.venue[:200],
        attendees=tuple(_merge_attendance(attendees)),
        declarations=tuple(declarations),
        items=tuple(items),
        problems=tuple(problems),
        notes=tuple(dict.fromkeys(notes)),
    )


def _gaps(items: list[DocumentItem]) -> list[int]:
    numbers = [i.number for i in items if i.number is not None]
    return [n for a, b in zip(numbers, numbers[1:], strict=False) for n in range(a + 1, b)]


__all__ = [
    "SUFFIXES",
    "Attendee",
    "DocumentAction",
    "DocumentDeclaration",
    "DocumentItem",
    "MinutesDocument",
    "minutes_files",
    "parse_time",
    "read_minutes_document",
    "read_text",
    "split_minutes_document",
]
