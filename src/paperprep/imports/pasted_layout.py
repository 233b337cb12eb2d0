"""Page layouts: which lines of a pasted page are furniture, which are the item's heading (title, meeting, committee,
item number, purpose, documents), and which sections follow (minutes, decision, reasons, alternative options).

Published pages differ by council and by system (Modern.Gov issue, agenda-item and decision pages, CMIS, other
systems, Word and PDF files, Welsh bilingual headings), so nothing depends on one marker line: every line is
looked at for what it is, wherever it stands.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from paperprep.imports.pasted_text import (
    NUMERIC_DATE,
    WORDED_DATE,
    first_date,
    is_all_caps,
    make_date,
)

_FURNITURE = {
    "issue - meetings",
    "issue - decisions",
    "issue details",
    "issue history",
    "decision details",
    "decisions for issue",
    "agenda item",
    "eitem agenda",
    "eitem ar yr agenda",
    "supporting documents",
    "dogfennau ategol",
    "additional documents",
    "dogfennau ychwanegol",
    "accompanying documents",
    "report attached",
    "report attached.",
    "agenda and minutes",
    "agenda, decisions and minutes",
    "agenda, decisions and draft minutes",
    "agenda and draft minutes",
    "items",
    "no. item",
    "no item",
    "item",
    "attendance details",
    "view directions",
    "media",
    "pdf icon",
    "local democracy",
    "back to top",
    "print",
    "minutes text",
    "minute",
    "decisions",
}
_MINUTES_MARKERS = {"minutes", "cofnodion", "cofnod", "minutes of the item", "draft minutes"}
SECTION_LABELS = {
    "decision": "decision",
    "decisions": "decision",
    "decision(s)": "decision",
    "decision taken": "decision",
    "decision made": "decision",
    "the decision": "decision",
    "penderfyniad": "decision",
    "penderfyniadau": "decision",
    "reasons": "reasons",
    "reason": "reasons",
    "reasons for the decision": "reasons",
    "reasons for decision": "reasons",
    "reason for decision": "reasons",
    "reason for the decision": "reasons",
    "reasons for decisions": "reasons",
    "reason(s) for decision": "reasons",
    "reasons for the decisions": "reasons",
    "rhesymau": "reasons",
    "rhesymau dros y penderfyniad": "reasons",
    "alternative options considered": "alternatives",
    "alternative options considered and rejected": "alternatives",
    "alternatives considered": "alternatives",
    "other options considered": "alternatives",
    "options considered": "alternatives",
    "background": "background",
    "cefndir": "background",
    "purpose": "purpose",
    "purpose of report": "purpose",
    "purpose of the report": "purpose",
    "summary": "purpose",
    "pwrpas": "purpose",
}
_PAGE_LABELS = {
    "meeting": "meeting",
    "cyfarfod": "meeting",
    "made at meeting": "meeting",
    "decided at meeting": "meeting",
    "committee": "committee",
    "pwyllgor": "committee",
    "decision maker": "committee",
    "decision-maker": "committee",
    "decision taker": "committee",
    "body": "committee",
    "date": "date",
    "dyddiad": "date",
    "meeting date": "date",
    "date of meeting": "date",
    "date of decision": "date",
    "decision date": "date",
    "item": "item",
    "item number": "item",
    "item no": "item",
    "item no.": "item",
    "agenda item": "item",
    "agenda item number": "item",
    "minute": "item",
    "minute no": "item",
    "minute no.": "item",
    "minute number": "item",
    "eitem": "item",
    "report of": "report_of",
    "report by": "report_of",
    "report from": "report_of",
    "report author": "report_of",
    "lead officer": "report_of",
    "responsible officer": "report_of",
    "title": "title",
    "subject": "title",
    "report title": "title",
    "teitl": "title",
    "decision number": "decision_number",
    "decision no": "decision_number",
    "decision no.": "decision_number",
    "decision reference": "decision_number",
    "record of decision": "decision_number",
}
_OTHER_PAGE_LABELS = {
    "venue",
    "lleoliad",
    "contact",
    "contact officer",
    "decision status",
    "decision type",
    "is key decision?",
    "key decision",
    "is subject to call in?",
    "subject to call-in",
    "call-in deadline",
    "call in deadline",
    "wards affected",
    "ward(s) affected",
    "publication date",
    "decision published",
    "date published",
    "effective from",
    "status",
    "time",
    "amser",
    "present",
    "apologies",
    "in attendance",
    "also present",
    "portfolio",
    "cabinet member",
    "lead member",
    "divisions affected",
    "exempt",
    "classification",
    "forward plan reference",
    "reference",
    "expected decision date",
    "date of publication",
    "open / exempt",
}
_LABEL = re.compile(
    r"^(?P<label>[A-Za-z\u00c0-\u017f][A-Za-z\u00c0-\u017f ()?.'\u2019/\-]{0,60}?)\s*:\s*(?P<value>.*)$"
)
_SIZE = re.compile(
    r"(?:pdf icon\s*)?\b(PDF|DOCX?|XLSX?|RTF|ODT|PPTX?)\s+(\d+(?:\.\d+)?)\s*(KB|MB)\b\.?", re.IGNORECASE
)
_UNITS = {"KB": 1024, "MB": 1024 * 1024}
_MEETING_LINE = re.compile(
    r"^(?P<date>\d{1,2}/\d{1,2}/\d{2,4})\s*[-\u2013\u2014]\s*(?P<rest>.+?)\s*"
    r"(?:\((?:Eitem\s*/\s*)?(?:Item|Eitem)\s*(?P<item>\d{1,4}[a-z]?)\)\s*)?$",
    re.IGNORECASE,
)
_COMMITTEE_DATE_HEADING = re.compile(
    r"^(?P<committee>[A-Z][^,]{2,120}?)\s+[-\u2013\u2014]\s+(?P<date>(?:[A-Z][a-z]+day,?\s+)?\d{1,2}(?:st|nd|rd|th)?"
    r"\s+[A-Z][a-z]+,?\s+\d{4})(?:,?\s+.*)?$"
)
_MINUTES_OF = re.compile(
    r"^minutes of (?:the |a )?(?:(?:\w+ )?meeting of (?:the )?)?(?P<committee>.+?)\s+held\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_ITEM_ONLY = re.compile(
    r"^(?:(?:agenda\s+)?item|minute|eitem|cofnod)?\s*(?:no\.?\s*)?(?P<ref>\d{1,4}(?:/\d{2,4})?[a-z]?)\.?$",
    re.IGNORECASE,
)
_NUMBERED_TITLE = re.compile(
    r"^(?:(?:agenda\s+item|item|minute|eitem|cofnod)\s*(?:no\.?\s*)?)?(?P<ref>\d{1,4}(?:/\d{2,4})?[a-z]?)[.:)]?"
    r"\s+(?:[-\u2013:]\s*)?(?P<title>[A-Z\u2018'\"(].{2,})$",
    re.IGNORECASE,
)
PURPOSE_LIKE = re.compile(
    r"^(?:To (?:receive|consider|note|approve|agree|review|update|provide|seek|inform|scrutinise|comment|endorse|"
    r"discuss|give|present|hear|determine|decide|confirm|recommend|request|agree)\b|This report\b|The report\b|"
    r"(?:Joint\s+)?Reports?\s+(?:of|by|from)\b|Verbal (?:update|report)\b|Oral (?:update|report)\b|"
    r"Presentation (?:by|from)\b|The Chair(?:man)? (?:shall|will)\b|.{3,120}?\bwill (?:provide|present|give|update|"
    r"attend|introduce|report|deliver)\b|Attached\b|Report to follow\b)",
    re.IGNORECASE,
)
_STRUCTURAL = re.compile(
    r"^\s*(?:[\u00b7\u2022\u25cf\u25aa\u25e6\uf0b7\uf0a7*\-\u2013\u27a2]\s*\S|o\s+\S|\(?[a-z]{1,2}\)\s|[a-z][.)]\s|"
    r"\(?\d{1,2}[.)]\s|\(\d{1,2}\)\s|(?:\d+(?:\.\d+)*\s+)?(?:RESOLVED|AGREED|RECOMMENDED|DECIDED|NOTED|"
    r"PENDERFYNWYD|Resolved|Agreed|Recommended|Penderfynwyd)\b)"
)


@dataclass(frozen=True)
class Attachment:
    name: str
    size_text: str
    size_bytes: int


@dataclass
class Page:
    title: str = ""
    meeting_date: dt.date | None = None
    committee: str = ""
    item_number: int | None = None
    item_reference: str = ""
    purpose: list[str] = field(default_factory=list)
    report_of: str = ""
    decision_number: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    page_lines: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (section, line) in order
    marks: set[str] = field(
        default_factory=set
    )  # what the page showed: "issue", "agenda_item", "decision"...


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().rstrip(":").strip())


def _variants(text: str) -> list[str]:
    """A bilingual heading 'Cofnodion / Minutes' is read as both its halves."""
    whole = _norm(text)
    return [whole] + [_norm(part) for part in re.split(r"\s+/\s+|\s*\|\s*", text) if part.strip()]


def is_furniture(text: str) -> bool:
    return any(v in _FURNITURE for v in _variants(text)) or bool(
        re.fullmatch(r"(?:pdf icon\s*)+", text.strip(), re.IGNORECASE)
    )


def minutes_marker(text: str) -> tuple[bool, str]:
    """('Minutes:' alone or 'Minutes: The Board...') -> (True, the words after the marker)."""
    stripped = text.strip()
    if any(v in _MINUTES_MARKERS for v in _variants(stripped)):
        return True, ""
    match = re.match(r"^(?:Cofnodion\s*/\s*)?Minutes\s*:\s*(.+)$", stripped)
    if match:
        return True, match.group(1).strip()
    return False, ""


def read_label(text: str) -> tuple[str, str, str] | None:
    """A 'Label: value' line the reader knows: (kind, label, value); kind is a section or a page field."""
    stripped = text.strip()
    if stripped.lower().rstrip(":").strip() in ("decision", "decisions", "penderfyniad"):
        return (
            "decision",
            stripped,
            "",
        )  # "Decision" alone on its line heads the decision (Manchester, Gwynedd)
    match = _LABEL.match(stripped)
    if not match:
        return None
    label, value = match.group("label"), match.group("value").strip()
    for variant in _variants(label):
        if variant in SECTION_LABELS:
            return SECTION_LABELS[variant], label, value
        if variant in _PAGE_LABELS:
            return _PAGE_LABELS[variant], label, value
        if variant in _OTHER_PAGE_LABELS:
            return "other", label, value
    return None


def attachment(line: str) -> Attachment | None:
    match = _SIZE.search(line)
    if not match:
        return None
    kind, amount, unit = match.group(1).upper(), float(match.group(2)), match.group(3).upper()
    name = _SIZE.sub("", line).strip(" -:|") or f"{kind} document"
    return Attachment(name, f"{kind} {amount:g} {unit}", int(amount * _UNITS[unit]))


def _date_of(text: str) -> dt.date | None:
    match = NUMERIC_DATE.search(text)
    if match:
        day, month, year = match.groups()
        date = make_date(int(year), int(month), int(day))
        if date:
            return date
    found = first_date(text, numeric=False)
    return found.date if found and found.precision == "day" else None


def _item(page: Page, ref: str) -> None:
    if page.item_reference:
        return
    page.item_reference = ref
    digits = re.match(r"\d+", ref)
    if digits and page.item_number is None:
        page.item_number = int(digits.group(0))


def _meeting_value(page: Page, value: str) -> bool:
    """'06/07/2021 - Children & Learning Overview & Scrutiny Sub-Committee (Item 57)' and its variants."""
    match = _MEETING_LINE.match(value.strip())
    if not match:
        return False
    day, month, year = (int(x) for x in match.group("date").split("/"))
    date = make_date(year, month, day)
    if date is None:
        return False
    page.meeting_date = page.meeting_date or date
    rest = match.group("rest").strip()
    if rest and _norm(rest) != _norm(page.title):
        page.committee = page.committee or rest
    if match.group("item"):
        _item(page, match.group("item"))
    return True


def is_title_like(text: str) -> bool:
    stripped = text.strip()
    words = stripped.split()
    return (
        0 < len(words) <= 30
        and len(stripped) <= 220
        and not re.search(r"[.;,]$", stripped)
        and not _STRUCTURAL.match(stripped)
        and not PURPOSE_LIKE.match(stripped)
    ) or (is_all_caps(stripped) and len(words) <= 30 and not _STRUCTURAL.match(stripped))


def is_narrative(text: str) -> bool:
    stripped = text.strip()
    return bool(re.search(r"[.!?:]\W*$", stripped)) or len(stripped.split()) > 30


def _set_title(page: Page, title: str) -> None:
    if not page.title:
        page.title = title.strip()


def _header_line(page: Page, line: str, marker_ahead: bool) -> bool:
    """Read one line of the item's heading into `page`; False when the line belongs to the minute itself."""
    stripped = line.strip()
    found = attachment(stripped)
    if found is not None:
        numbered = _NUMBERED_TITLE.match(found.name)
        name = found.name
        if numbered:
            _item(page, numbered.group("ref"))
            name = numbered.group("title").strip()
            _set_title(page, name)
        elif not page.title and is_title_like(found.name) and found.name != f"{found.size_text[:3]} document":
            _set_title(page, found.name)
        page.attachments.append(Attachment(name, found.size_text, found.size_bytes))
        return True
    if _meeting_value(page, stripped):
        page.page_lines.append(stripped)
        return True
    item_only = _ITEM_ONLY.match(stripped)
    if item_only:
        _item(page, item_only.group("ref"))
        page.page_lines.append(stripped)
        return True
    heading = _COMMITTEE_DATE_HEADING.match(stripped)
    if heading and _date_of(heading.group("date")):
        page.committee = page.committee or heading.group("committee").strip()
        page.meeting_date = page.meeting_date or _date_of(heading.group("date"))
        page.page_lines.append(stripped)
        page.marks.add("meeting_heading")
        return True
    minutes_of = _MINUTES_OF.match(stripped)
    if minutes_of:
        page.committee = page.committee or minutes_of.group("committee").strip()
        page.meeting_date = page.meeting_date or _date_of(minutes_of.group("rest"))
        page.page_lines.append(stripped)
        page.marks.add("minutes_document")
        return True
    date_only = WORDED_DATE.match(stripped)
    if date_only and len(stripped) - len(date_only.group(0)) < 25 and not page.meeting_date:
        page.meeting_date = _date_of(stripped)
        page.page_lines.append(stripped)
        return True
    if not page.title:
        numbered = _NUMBERED_TITLE.match(stripped)
        if numbered and (not stripped.endswith(".") or is_all_caps(numbered.group("title"))):
            _item(page, numbered.group("ref"))
            _set_title(page, numbered.group("title").strip())
            page.page_lines.append(stripped)
            return True
        if is_title_like(stripped) or (
            not re.search(r"[.;,:]$", stripped)
            and len(stripped.split()) <= 25
            and not _STRUCTURAL.match(stripped)
        ):
            _set_title(page, stripped)  # a decision page's title may read "To confirm the minutes of..."
            return True
    elif _norm(stripped) in (_norm(page.title), "the " + _norm(page.title)) or (
        _norm(stripped).replace("the ", "") == _norm(page.title).replace("the ", "")
    ):
        page.page_lines.append(stripped)  # the title again, as the agenda listed it
        return True
    if PURPOSE_LIKE.match(stripped) and not _STRUCTURAL.match(stripped):
        page.purpose.append(stripped)
        return True
    if marker_ahead:
        page.purpose.append(stripped)
        return True
    if is_title_like(stripped) and not is_narrative(stripped) and len(stripped.split()) <= 15:
        page.page_lines.append(stripped)  # another heading line, such as the agenda's wording of the title
        return True
    return False


def read_page(lines: list[str]) -> Page:
    page = Page()
    markers = [n for n, line in enumerate(lines) if minutes_marker(line)[0]]
    sections_at = [
        n
        for n, line in enumerate(lines)
        if (label := read_label(line)) and label[0] in ("decision", "reasons")
    ]
    first_marker = min(markers + sections_at) if markers or sections_at else None
    section = "header"
    for n, line in enumerate(lines):
        stripped = line.strip()
        is_marker, rest = minutes_marker(stripped)
        if is_marker:
            page.furniture.append(stripped if not rest else stripped[: len(stripped) - len(rest)].strip())
            page.marks.add("minutes_marker")
            section = "minutes"
            if rest:
                page.sections.append((section, rest))
            continue
        if is_furniture(stripped):
            page.furniture.append(stripped)
            norm = _norm(stripped)
            if norm in ("issue - meetings", "issue details", "issue history"):
                page.marks.add("issue")
            elif norm in ("issue - decisions", "decision details", "decisions for issue"):
                page.marks.add("decision_details")
            elif norm in ("agenda item", "eitem agenda") or "agenda item" in _variants(stripped):
                page.marks.add("agenda_item")
            elif norm.startswith("agenda"):
                page.marks.add("agenda_and_minutes")
            if "/" in stripped:
                page.marks.add("bilingual")
            continue
        label = read_label(stripped)
        if label is not None:
            kind, name, value = label
            if "/" in name:
                page.marks.add("bilingual")
            if kind in ("decision", "reasons", "alternatives", "background", "purpose"):
                if kind == "purpose" and value:
                    page.purpose.append(value)
                    page.page_lines.append(name + ":")
                    continue
                section = "minutes" if kind == "background" else kind
                page.marks.add(kind)
                if kind == "background":
                    page.sections.append(("minutes", name.strip()))
                else:
                    page.furniture.append(name.strip() + ":")
                if value:
                    page.sections.append((section, value))
                continue
            if _page_label(page, kind, name, value, stripped):
                continue
        if section in ("header", "purpose") and n < (
            first_marker if first_marker is not None else len(lines)
        ):
            if section == "purpose" and not attachment(stripped):
                page.purpose.append(stripped)
                continue
            if _header_line(page, line, marker_ahead=first_marker is not None and bool(markers)):
                continue
            section = "minutes"
        elif section == "header":
            section = "minutes"
        found = attachment(stripped)
        if found is not None and (section != "minutes" or len(stripped) < 160):
            page.attachments.append(Attachment(found.name, found.size_text, found.size_bytes))
            continue
        page.sections.append((section, line))
    return page


def _page_label(page: Page, kind: str, name: str, value: str, line: str) -> bool:
    if kind == "meeting":
        if not _meeting_value(page, value):
            date = _date_of(value)
            if date is None and value and not page.committee:
                page.committee = value
            page.meeting_date = page.meeting_date or date
        page.marks.add("meeting_line")
    elif kind == "committee":
        page.committee = page.committee or value
        page.marks.add("committee_label")
    elif kind == "date":
        page.meeting_date = page.meeting_date or _date_of(value)
        if not value:
            return False
    elif kind == "item":
        match = re.search(r"\d{1,4}(?:/\d{2,4})?[a-z]?", value)
        if not match:
            return False
        _item(page, match.group(0))
    elif kind == "report_of":
        page.report_of = page.report_of or value.strip(" .")
    elif kind == "title":
        if not value:
            return False
        _set_title(page, value)
    elif kind == "decision_number":
        page.decision_number = page.decision_number or value
        page.marks.add("decision_number")
    page.page_lines.append(line)
    return True
