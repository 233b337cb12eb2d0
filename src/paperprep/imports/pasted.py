"""Pasted minute text (from published web pages, decision notices, old Word files or PDFs) turned into structure.

The reader knows page layouts, not one page (pasted_layout.py): page furniture ("Minutes:", "Supporting
documents:", "pdf icon", "Agenda item", Welsh bilingual headings...) is recognised wherever it stands and left out;
the title, meeting date, committee, item number, purpose, report author and documents come from the heading lines,
however the page arranges them; decision notices give their decision, reasons and alternative options. The body
becomes paragraphs, lettered paragraphs, numbered paragraphs and bullets (pasted_body.py); the resolution is found
with its keyword variants, in numbered parts, or as the closing "That..." whose keyword was lost. Presenter,
questions and answers, and members arriving or leaving are read from the body (pasted_people.py), inspection facts
from the whole text (pasted_inspection.py).

It never fails and never loses text: whatever it cannot place stays as a plain paragraph, and the furniture and
heading lines it reads are kept, as written, in `furniture` and `page_lines`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict
from enum import Enum
from typing import Any

from paperprep import blocks as B
from paperprep.domain import ResolutionWording
from paperprep.imports.pasted_body import body_blocks, keyword_start, parse_resolution
from paperprep.imports.pasted_inspection import ParsedInspection, find_inspection
from paperprep.imports.pasted_layout import Page, read_page
from paperprep.imports.pasted_model import (
    ParsedAttachment,
    ParsedMinutes,
    ParsedMovement,
    ParsedQuestion,
    ParsedResolution,
)
from paperprep.imports.pasted_people import REPORT_OF, movements, presenter, questions, report_of, sentences
from paperprep.imports.pasted_text import clean, lines_of, title_case

__all__ = [
    "ParsedAttachment",
    "ParsedInspection",
    "ParsedMinutes",
    "ParsedMovement",
    "ParsedQuestion",
    "ParsedResolution",
    "parse_minutes_text",
    "parsed_to_json",
]

_TRAILER = re.compile(
    r"\.{3}\s*view the full (?:minutes|decision|agenda) text for item\s*(\d+[a-z]?)\.?\s*(?:agenda item)?",
    re.IGNORECASE,
)


def _layout(page: Page, has_decision: bool) -> str:
    marks = page.marks
    if "decision_details" in marks or ("committee_label" in marks and has_decision and "reasons" in marks):
        return "decision_details"
    if has_decision and ("reasons" in marks or "decision_number" in marks):
        return "decision_notice"
    if "bilingual" in marks:
        return "bilingual"
    if "issue" in marks or "meeting_line" in marks:
        return "issue_page"
    if "agenda_item" in marks:
        return "agenda_item"
    if "agenda_and_minutes" in marks or "meeting_heading" in marks:
        return "agenda_and_minutes"
    if "minutes_document" in marks:
        return "minutes_document"
    if "committee_label" in marks:
        return "committee_page"
    if "minutes_marker" in marks:
        return "minutes_section"
    return "plain"


def parse_minutes_text(text: str) -> ParsedMinutes:
    text = clean(text if isinstance(text, str) else "")
    truncated = False
    trailer_ref = ""
    trailer = _TRAILER.search(text)
    if trailer:
        truncated = True
        trailer_ref = trailer.group(1)
        text = text[: trailer.start()] + "\n" + text[trailer.end() :]
    page = read_page(lines_of(text))
    if trailer_ref and not page.item_reference:
        page.item_reference = trailer_ref
        digits = re.match(r"\d+", trailer_ref)
        page.item_number = int(digits.group(0)) if digits else page.item_number
    by_section: dict[str, list[str]] = {}
    for section, line in page.sections:
        by_section.setdefault(section, []).append(line)
    furniture = list(page.furniture)
    blocks, labels, resolution, _ = body_blocks(by_section.get("minutes", []), furniture)
    decision_lines = [line for line in by_section.get("decision", []) if line.strip()]
    if decision_lines:
        if keyword_start(decision_lines[0]):
            decided = parse_resolution(decision_lines)
        else:
            decided = parse_resolution(decision_lines, keyword="Decision", wording=ResolutionWording.OTHER)
        if resolution is not None:
            # The minute's own RESOLVED stays in the body: the published decision is the record.
            blocks.append(
                B.paragraph(" ".join(filter(None, [resolution.keyword, resolution.text, *resolution.parts])))
            )
            labels.append("")
        resolution = decided
    elif by_section.get("header"):
        for line in by_section["header"]:
            blocks.append(B.paragraph(line.strip()))
            labels.append("")
    purpose_lines = list(page.purpose) + [line.strip() for line in by_section.get("purpose", [])]
    author = page.report_of
    kept_purpose: list[str] = []
    for line in purpose_lines:
        found = report_of(line)
        author = author or found
        whole = REPORT_OF.fullmatch(line.strip().rstrip(".")) or re.fullmatch(
            r"(?:Joint\s+)?Reports?\s+(?:of|by|from)\s+(?:the\s+)?[^.]{3,120}\.?", line.strip()
        )
        if found and whole:
            page.page_lines.append(line)  # "Report of the Director of..." names the author; it is no purpose
        else:
            kept_purpose.append(line)
    if not author:
        author = next((report_of(b.text) for b in blocks[:2] if report_of(b.text)), "")
    name, role = presenter([s for b in blocks[:4] for s in sentences(b.text)] + kept_purpose)
    title_written = page.title
    title = title_case(title_written)
    body_text = "\n".join(b.text for b in blocks)
    part_items = resolution.part_items if resolution is not None else ()
    resolution_words = [resolution.text, *resolution.parts] if resolution is not None else []
    inspection_text = "\n".join([*kept_purpose, body_text, *resolution_words])
    inspection = find_inspection(inspection_text, title, blocks)
    return ParsedMinutes(
        title=title,
        meeting_date=page.meeting_date,
        committee=page.committee,
        item_number=page.item_number,
        purpose=" ".join(kept_purpose),
        attachments=tuple(ParsedAttachment(a.name, a.size_text, a.size_bytes) for a in page.attachments),
        presenter_name=name,
        presenter_role=role,
        blocks=B.normalise(blocks),
        resolution=resolution,
        truncated=truncated,
        inspection=inspection,
        title_as_written=title_written,
        item_reference=page.item_reference,
        report_of=author,
        reasons=" ".join(line.strip() for line in by_section.get("reasons", [])),
        alternative_options=" ".join(line.strip() for line in by_section.get("alternatives", [])),
        decision_number=page.decision_number,
        block_labels=tuple(labels),
        questions=questions(blocks + [B.paragraph(item) for items in part_items for item in items]),
        movements=movements(blocks, [w for w in resolution_words if w]),
        layout=_layout(page, bool(decision_lines)),
        page_lines=tuple(page.page_lines),
        furniture=tuple(furniture),
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
