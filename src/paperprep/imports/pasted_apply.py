"""Adding what the parser found to a meeting: the item, its minutes, resolution and inspection summary.

Each fact is kept once. The report's author goes to the item's `report_of`. A decision notice's reasons (and the
alternative options it considered) are kept on the item, in its minutes: a paragraph after the narrative, headed
"Reasons for the decision:", so that the clerk sees and edits them in the minutes editor and they are printed,
searched and checked for exempt text with the rest of the minute. Questions and answers and members arriving or
leaving are sentences of the narrative, kept there as written. The inspection summary takes every fact found,
with each date's precision; when the narrative already states the summary's lists (they were pasted as bullets),
the summary is left in the narrative, so the exported minutes print each list once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db.models import AgendaItem, Meeting
from paperprep.domain import InspectionFramework, ItemKind
from paperprep.errors import ValidationError
from paperprep.formats import DAY, PRECISIONS
from paperprep.imports.pasted import ParsedInspection, ParsedMinutes
from paperprep.records import NextStepRecord
from paperprep.services import agenda as A
from paperprep.services import minutes as MI
from paperprep.services.inspections import (
    DISPLAY_NARRATIVE,
    InspectionData,
    narrative_holds_lists,
    set_inspection,
    stated_in_narrative,
)

# A heading line that says whether the item is exempt: "Exempt: Yes - paragraph 3", "Open / exempt: Exempt",
# "Classification: Exempt (paragraphs 1 and 2)".
_EXEMPT_LINE = re.compile(
    r"^\s*(?:exempt|open\s*/\s*exempt|classification|status)\s*:\s*(?P<value>.*)$", re.I
)
_NOT_EXEMPT = re.compile(
    r"^\s*(?:no\b|not\b|none\b|open\b(?!\s*/)|public\b|n/a\b)|non[- ]exempt|not exempt", re.I
)
_PARAGRAPH_NUMBERS = re.compile(r"paragraphs?\s+([0-9][0-9 ,and&]*)", re.I)


def exempt_paragraphs_stated(parsed: ParsedMinutes) -> tuple[bool, tuple[int, ...]]:
    """Whether the pasted page says the item is exempt, and the Schedule 12A paragraphs it gives (maybe none)."""
    for line in parsed.page_lines:
        match = _EXEMPT_LINE.match(line)
        if match is None:
            continue
        value = match.group("value")
        label = line.split(":", 1)[0].strip().casefold()
        says_exempt = (label == "exempt" and bool(value.strip())) or "exempt" in value.casefold()
        if not says_exempt or _NOT_EXEMPT.search(value):
            continue
        found = _PARAGRAPH_NUMBERS.search(value)
        numbers = tuple(int(n) for n in re.findall(r"\d+", found.group(1))) if found else ()
        return True, numbers
    return False, ()


def create_item_from_parsed(
    session: Session,
    meeting: Meeting,
    parsed: ParsedMinutes,
    exempt_paragraphs: tuple[int, ...] | None = None,
    public_title: str = "",
) -> AgendaItem:
    """Add the pasted minute as an item. It goes to Part B when `exempt_paragraphs` are given, or when the page
    itself says the item is exempt and names its paragraphs; a page that says so without valid paragraphs is
    refused, so that exempt text is never added as a public item."""
    stated, page_paragraphs = exempt_paragraphs_stated(parsed)
    paragraphs = tuple(exempt_paragraphs) if exempt_paragraphs is not None else page_paragraphs
    if (stated or exempt_paragraphs is not None) and (
        not paragraphs or any(p not in range(1, 8) for p in paragraphs)
    ):
        title = parsed.title or "The pasted minute"
        raise ValidationError(
            f"\u201c{title}\u201d is marked exempt, but no valid Schedule 12A paragraph (a whole number 1 to 7) "
            "is given for it, so it was not added. Add it as an exempt item with its paragraph(s), or paste it "
            "again with a line such as \u201cExempt: Yes - paragraph 3\u201d."
        )
    body = list(parsed.blocks)
    narrative = [b.text for b in body]
    for label, text in (
        ("Reasons for the decision", parsed.reasons),
        ("Alternative options considered", parsed.alternative_options),
    ):
        if text.strip() and not stated_in_narrative([text], narrative):
            body.append(B.Block(B.BlockKind.PARAGRAPH, (B.Run(f"{label}: ", bold=True), B.Run(text.strip()))))
    kind = (
        ItemKind.VERBAL_UPDATE
        if "verbal update" in (parsed.purpose + parsed.title).lower()
        else ItemKind.REPORT
    )
    item = A.add_item(
        session,
        meeting,
        parsed.title or "Pasted minute",
        kind,
        purpose=parsed.purpose,
        report_of=parsed.report_of,
        presenter_name=parsed.presenter_name,
        presenter_role=parsed.presenter_role,
        exempt_paragraphs=paragraphs if stated or exempt_paragraphs is not None else (),
        public_title=public_title,
    )
    MI.set_body(session, item, body)
    if parsed.resolution is not None and (parsed.resolution.text or parsed.resolution.parts):
        MI.add_resolution(
            session,
            item,
            parsed.resolution.wording,
            parsed.resolution.text,
            parsed.resolution.parts,
            parsed.resolution.keyword,
        )
    elif parsed.resolution is not None:
        MI.add_resolution(
            session, item, parsed.resolution.wording, "the information", (), parsed.resolution.keyword
        )
    if parsed.inspection is not None:
        decided = [parsed.resolution.text, *parsed.resolution.parts] if parsed.resolution is not None else []
        set_inspection(session, item, inspection_data(parsed.inspection, [*narrative, *decided]))
    return item


def _precision(value: str) -> str:
    return value if value in PRECISIONS else DAY


def inspection_data(found: ParsedInspection, narrative: Sequence[str] = ()) -> InspectionData:
    """The summary of what the parser found, every fact with its precision. A next step's date is kept only when
    it is known to the day: "in May 2025" stays in the step's words, never becoming 01/05/2025."""
    data = InspectionData(
        inspectorate=found.inspectorate,
        framework=InspectionFramework.ILACS_2018
        if found.inspectorate.value == "ofsted"
        else InspectionFramework.OTHER,
        activity=found.activity,
        fieldwork_start=found.fieldwork_start,
        fieldwork_end=found.fieldwork_end,
        inspectors=found.inspectors,
        overall=found.judgement,
        previous_date=found.previous_date,
        previous_judgement=found.previous_judgement,
        strengths=list(found.strengths),
        areas_for_improvement=list(found.areas_for_improvement),
        priority_actions=list(found.priority_actions),
        next_steps=[
            NextStepRecord(s.text, s.due if s.due_precision == DAY else None) for s in found.next_steps
        ],
        action_plan_due=found.action_plan_due,
        fieldwork_start_precision=_precision(found.fieldwork_start_precision),
        fieldwork_end_precision=_precision(found.fieldwork_end_precision),
        previous_date_precision=_precision(found.previous_date_precision),
        action_plan_due_precision=_precision(found.action_plan_due_precision),
        action_plan_due_text=found.action_plan_due_text if found.action_plan_due is None else "",
        inspectorates=list(found.inspectorates),
        no_graded_judgement=found.graded is False,
        no_priority_actions=found.no_priority_actions,
    )
    if narrative_holds_lists(data, narrative):
        data.display = DISPLAY_NARRATIVE
    return data
