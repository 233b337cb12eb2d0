"""Pasted minute text (from published web pages or old Word files) turned into structure.

The parser reads line by line: page furniture ("Minutes:", "Supporting documents:", "pdf icon") is recognised and
dropped; the meeting line, the title, the purpose and the attachments come from the lines before "Minutes:"; the
body becomes paragraphs, lettered paragraphs and bullets; the closing RESOLVED / AGREED / RECOMMENDED becomes the
resolution. Inspection facts are then read from the whole text (see pasted_inspection.py).

It never fails and never loses text: whatever it cannot place stays as a plain paragraph. Decimal sub-paragraphs
("2.3 ...") stay paragraphs that keep their number, since councils refer to them by it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any

from paperprep import blocks as B
from paperprep.domain import ResolutionWording
from paperprep.imports.pasted_inspection import ParsedInspection, find_inspection


@dataclass(frozen=True)
class ParsedAttachment:
    name: str
    size_text: str  # "PDF 136 KB", as the page showed it
    size_bytes: int


@dataclass(frozen=True)
class ParsedResolution:
    wording: ResolutionWording
    keyword: str  # as written: RESOLVED, AGREED...
    text: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class ParsedMinutes:
    title: str
    meeting_date: dt.date | None
    committee: str
    item_number: int | None
    purpose: str
    attachments: tuple[ParsedAttachment, ...]
    presenter_name: str
    presenter_role: str
    blocks: tuple[B.Block, ...]
    resolution: ParsedResolution | None
    truncated: bool
    inspection: ParsedInspection | None


FURNITURE = {
    "issue - meetings",
    "minutes:",
    "minutes",
    "agenda item",
    "supporting documents:",
    "additional documents:",
    "report attached.",
    "supporting documents",
    "additional documents",
}
_TRAILER = re.compile(
    r"\.{3}\s*view the full minutes text for item\s*(\d+)\s*(?:agenda item)?", re.IGNORECASE
)
_MEETING = re.compile(
    r"^Meeting:\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*[-\u2013]\s*(.+?)\s*\(Item\s*(\d+)\)\s*$", re.IGNORECASE
)
_SIZE = re.compile(
    r"(?:pdf icon\s*)?\b(PDF|DOCX?|XLSX?|RTF|ODT)\s+(\d+(?:\.\d+)?)\s*(KB|MB)\b", re.IGNORECASE
)
_NUMBERED_TITLE = re.compile(r"^(\d{1,4})\s+(.+)$")
_LETTER = re.compile(r"^\s*(?:\(([a-z]{1,2})\)|([a-z])[.)])\s+(.*)$")
_ROMAN = re.compile(r"^\s*\((i{1,3}|iv|v|vi{0,3}|ix|x)\)\s+(.*)$")
_BULLET = re.compile(r"^(\s*)([\u00b7\u2022\u25cf\u25aa\u25e6\uf0b7\u2013*\-]|o(?=\s))\s*(.*)$")
_KEYWORD = re.compile(r"^\s*(RESOLVED|AGREED|RECOMMENDED|NOTED|DECIDED|RESOLUTION)\b[\s:\-\u2013]*(.*)$")
_PARTS = re.compile(r"\((\d{1,2})\)\s*")
_PRESENTER = re.compile(
    r"^(?P<name>(?:Cllr\.?\s+|Councillor\s+|Dr\.?\s+)?[A-Z][a-z'\-]+(?:\s+[A-Z][a-zA-Z'\-]+){1,3}),\s+"
    r"(?P<role>[^,.]{3,90}?),?\s+(?:provided|presented|gave|introduced|will provide|outlined|reported|explained|"
    r"updated|delivered|took)\b"
)
_HEADING_WORDS = re.compile(
    r"^(positives|strengths|areas needing focus|areas for improvement|areas for development|areas for further "
    r"development|next steps|key findings|findings|recommendations|background)\b",
    re.IGNORECASE,
)
_UNITS = {"KB": 1024, "MB": 1024 * 1024}


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u2028", "\n")
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs") else " " for ch in text)


def _attachment(line: str) -> ParsedAttachment | None:
    match = _SIZE.search(line)
    if not match:
        return None
    kind, amount, unit = match.group(1).upper(), float(match.group(2)), match.group(3).upper()
    amount_text = f"{amount:g}"
    name = _SIZE.sub("", line).strip(" -:") or f"{kind} document"
    return ParsedAttachment(name, f"{kind} {amount_text} {unit}", int(amount * _UNITS[unit]))


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return bool(_HEADING_WORDS.match(stripped)) and len(stripped) < 60 and not stripped.endswith(".")


def _parts(text: str) -> tuple[str, tuple[str, ...]]:
    """ "That (1) the report be noted; (2) ..." -> ("That", ("the report be noted;", ...))."""
    pieces = _PARTS.split(text)
    if len(pieces) < 3:
        return text.strip(), ()
    head = pieces[0].strip()
    parts = tuple(p.strip() for p in pieces[2::2] if p.strip())
    return head, parts


def _resolution(lines: list[str]) -> ParsedResolution:
    match = _KEYWORD.match(lines[0])
    assert match is not None
    keyword = match.group(1).upper()
    wording = {
        "RESOLVED": ResolutionWording.RESOLVED,
        "AGREED": ResolutionWording.AGREED,
        "RECOMMENDED": ResolutionWording.RECOMMENDED,
        "NOTED": ResolutionWording.NOTED,
    }.get(keyword, ResolutionWording.OTHER)
    rest = [match.group(2).strip()] + [line.strip() for line in lines[1:]]
    parts_from_lines: list[str] = []
    head_lines: list[str] = []
    for line in rest:
        numbered = re.match(r"^\(?(\d{1,2})[.)]\s+(.*)$", line)
        if numbered and (parts_from_lines or head_lines):
            parts_from_lines.append(numbered.group(2).strip())
        elif parts_from_lines:
            parts_from_lines[-1] += " " + line
        elif line:
            head_lines.append(line)
    head, parts = _parts(" ".join(head_lines))
    if parts_from_lines:
        parts = tuple(parts) + tuple(parts_from_lines)
    return ParsedResolution(wording, keyword, head, parts)


def _body(lines: list[str]) -> tuple[list[B.Block], list[str]]:
    """Blocks for the body lines, and the lines of the resolution (from the first keyword line to the end)."""
    blocks: list[B.Block] = []
    resolution: list[str] = []
    under_heading = False
    for raw in lines:
        line = raw.rstrip()
        if line.strip().lower() in FURNITURE - {"report attached."}:
            continue
        if resolution:
            resolution.append(line)
            continue
        if _KEYWORD.match(line):
            resolution.append(line)
            continue
        stripped = line.strip()
        if _is_heading(stripped):
            blocks.append(B.Block(B.BlockKind.PARAGRAPH, (B.Run(stripped, bold=True),)))
            under_heading = True
            continue
        if stripped.endswith(":"):
            blocks.append(B.paragraph(stripped))  # "...reviewed the following:" introduces a list
            under_heading = True
            continue
        bullet = _BULLET.match(line)
        if bullet and bullet.group(3).strip():
            level = 1 if bullet.group(2) in ("o", "\u25e6") or len(bullet.group(1).expandtabs(4)) >= 12 else 0
            blocks.append(B.bullet(bullet.group(3).strip(), level))
            continue
        letter = _LETTER.match(line)
        if letter and letter.group(3).strip():
            blocks.append(B.lettered(letter.group(3).strip()))
            continue
        roman = _ROMAN.match(line)
        if roman:
            blocks.append(B.bullet(roman.group(2).strip(), 1))
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        if under_heading and indent >= 4:
            blocks.append(B.bullet(stripped))
            continue
        under_heading = False
        blocks.append(B.paragraph(stripped))
    return blocks, resolution


def parse_minutes_text(text: str) -> ParsedMinutes:
    text = _clean(text if isinstance(text, str) else "")
    truncated = False
    item_number: int | None = None
    trailer = _TRAILER.search(text)
    if trailer:
        truncated = True
        item_number = int(trailer.group(1))
        text = text[: trailer.start()] + text[trailer.end() :]
    lines = [line for line in text.split("\n") if line.strip()]
    meeting_date: dt.date | None = None
    committee = ""
    attachments: list[ParsedAttachment] = []
    title = ""
    purpose: list[str] = []
    marker = next(
        (n for n, line in enumerate(lines) if line.strip().lower() in ("minutes:", "minutes")), None
    )
    header, body = (lines[:marker], lines[marker + 1 :]) if marker is not None else ([], lines)
    if marker is None and lines:
        first = lines[0].strip()
        if len(first) < 120 and not first.endswith(".") and not _KEYWORD.match(first) and len(lines) > 1:
            header, body = [first], lines[1:]
    for line in header:
        stripped = line.strip()
        if stripped.lower() in FURNITURE:
            if stripped.lower() == "report attached.":
                purpose.append(stripped)
            continue
        meeting = _MEETING.match(stripped)
        if meeting:
            day, month, year = int(meeting.group(1)), int(meeting.group(2)), int(meeting.group(3))
            try:
                meeting_date = dt.date(year, month, day)
            except ValueError:
                purpose.append(stripped)
            committee = meeting.group(4).strip()
            item_number = item_number or int(meeting.group(5))
            continue
        attachment = _attachment(stripped)
        if attachment is not None:
            numbered = _NUMBERED_TITLE.match(attachment.name)
            if numbered:
                item_number = item_number or int(numbered.group(1))
                title = title or numbered.group(2).strip()
                attachments.append(
                    ParsedAttachment(numbered.group(2).strip(), attachment.size_text, attachment.size_bytes)
                )
            else:
                attachments.append(attachment)
            continue
        if not title:
            title = stripped
        elif stripped.lower() != title.lower():
            purpose.append(stripped)
    blocks, resolution_lines = _body(body)
    presenter_name = presenter_role = ""
    for block in blocks[:3]:
        match = _PRESENTER.match(block.text)
        if match:
            presenter_name, presenter_role = match.group("name").strip(), match.group("role").strip()
            break
    if not presenter_name and purpose:
        match = _PRESENTER.match(purpose[0])
        if match:
            presenter_name, presenter_role = match.group("name").strip(), match.group("role").strip()
    resolution = _resolution(resolution_lines) if resolution_lines else None
    inspection = find_inspection(text, title, blocks)
    return ParsedMinutes(
        title=title,
        meeting_date=meeting_date,
        committee=committee,
        item_number=item_number,
        purpose=" ".join(purpose),
        attachments=tuple(attachments),
        presenter_name=presenter_name,
        presenter_role=presenter_role,
        blocks=B.normalise(blocks),
        resolution=resolution,
        truncated=truncated,
        inspection=inspection,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def parsed_to_json(parsed: ParsedMinutes) -> dict[str, Any]:
    data = asdict(parsed)
    data["blocks"] = B.blocks_to_json(parsed.blocks)
    data["format"] = "paperprep-parsed-minutes"
    data["format_version"] = 1
    return dict(_jsonable(data))
