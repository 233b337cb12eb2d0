"""Inspection summaries: record an inspection once, follow a service's history, and turn findings into actions."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from paperprep.db.models import Action, AgendaItem, Committee, InspectionSummary, Meeting
from paperprep.domain import (
    InspectionActivity,
    InspectionFramework,
    Inspectorate,
    Judgement,
)
from paperprep.errors import ValidationError
from paperprep.formats import DAY, MONTH, PRECISIONS, YEAR, precise_date, uk_date
from paperprep.records import InspectionRecord, JudgementRecord, NextStepRecord
from paperprep.services.actions import add_action
from paperprep.services.meetings import ensure_editable
from paperprep.services.numbering import meeting_minute_ref
from paperprep.services.snapshot import inspection_record

DISPLAY_TABLE, DISPLAY_NARRATIVE = "table", "narrative"
DISPLAYS = (DISPLAY_TABLE, DISPLAY_NARRATIVE)


@dataclass
class InspectionData:
    """What the clerk enters in the inspection panel; validated by `set_inspection`."""

    inspectorate: Inspectorate = Inspectorate.OFSTED
    framework: InspectionFramework = InspectionFramework.ILACS_2018
    activity: InspectionActivity = InspectionActivity.FOCUSED_VISIT
    service: str = ""
    fieldwork_start: dt.date | None = None
    fieldwork_end: dt.date | None = None
    inspectors: int | None = None
    scope: str = ""
    published_on: dt.date | None = None
    overall: Judgement = Judgement.NOT_GRADED
    judgements: list[JudgementRecord] = field(default_factory=list)
    previous_date: dt.date | None = None
    previous_judgement: Judgement | None = None
    strengths: list[str] = field(default_factory=list)
    areas_for_improvement: list[str] = field(default_factory=list)
    priority_actions: list[str] = field(default_factory=list)
    next_steps: list[NextStepRecord] = field(default_factory=list)
    action_plan_due: dt.date | None = None
    letter_attachment_id: int | None = None  # the inspection letter or report, one of the item's documents
    # How much of each date is known: "day", "month" or "year". A month or year is stored as its first day.
    fieldwork_start_precision: str = DAY
    fieldwork_end_precision: str = DAY
    previous_date_precision: str = DAY
    action_plan_due_precision: str = DAY
    action_plan_due_text: str = ""  # the due date as written when it is no date: "within 70 working days"
    inspectorates: list[Inspectorate] = field(default_factory=list)  # a joint inspection's members
    no_graded_judgement: bool = False
    # An empty list of priority actions means none, unless this is False: the source did not say.
    no_priority_actions: bool = True
    display: str = DISPLAY_TABLE  # how the minutes print the summary (paperprep.export.minutes_docx)

    @classmethod
    def from_record(cls, record: InspectionRecord) -> InspectionData:
        return cls(
            record.inspectorate,
            record.framework,
            record.activity,
            record.service,
            record.fieldwork_start,
            record.fieldwork_end,
            record.inspectors,
            record.scope,
            record.published_on,
            record.overall,
            list(record.judgements),
            record.previous_date,
            record.previous_judgement,
            list(record.strengths),
            list(record.areas_for_improvement),
            list(record.priority_actions),
            list(record.next_steps),
            record.action_plan_due,
            record.letter_attachment_id,
            fieldwork_start_precision=record.fieldwork_start_precision,
            fieldwork_end_precision=record.fieldwork_end_precision,
            previous_date_precision=record.previous_date_precision,
            action_plan_due_precision=record.action_plan_due_precision,
            action_plan_due_text=record.action_plan_due_text,
            inspectorates=list(record.inspectorates),
            no_graded_judgement=record.no_graded_judgement,
            no_priority_actions=record.no_priority_actions,
            display=record.display,
        )


def _precise(day: dt.date | None, precision: str, what: str) -> tuple[dt.date | None, str]:
    """The date as stored for its precision (a month or a year as its first day), and the precision."""
    if precision not in PRECISIONS:
        raise ValidationError(f"The {what} should be known to the day, the month or the year. Choose one.")
    if day is None:
        return None, DAY
    return _truncate(day, precision), precision


def _truncate(day: dt.date, precision: str) -> dt.date:
    if precision == MONTH:
        return day.replace(day=1)
    if precision == YEAR:
        return day.replace(month=1, day=1)
    return day


def _coarsest(first: str, second: str) -> str:
    return max(first, second, key=PRECISIONS.index)


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.casefold().strip(" \t\u2022-*").rstrip(" .;:,").split())


def stated_in_narrative(entries: Sequence[str], narrative: Sequence[str]) -> set[str]:
    """The entries (strengths, areas for improvement...) that the minute's narrative already states: as a bullet
    or paragraph of their own, or, for an entry of three words or more, within a sentence."""
    texts = [_normal(t) for t in narrative if t.strip()]
    found = set()
    for entry in entries:
        wanted = _normal(entry)
        if not wanted:
            continue
        whole = len(wanted.split()) >= 3
        pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
        if any(t == wanted or (whole and pattern.search(t)) for t in texts):
            found.add(entry)
    return found


def narrative_holds_lists(data: InspectionData, narrative: Sequence[str]) -> bool:
    """True when the summary has lists and the narrative states every entry of them: the minutes then print the
    lists once, in the narrative."""
    entries = [
        *data.strengths,
        *data.areas_for_improvement,
        *data.priority_actions,
        *(s.text for s in data.next_steps),
    ]
    entries = [e for e in entries if e.strip()]
    return bool(entries) and len(stated_in_narrative(entries, narrative)) == len(set(entries))


def _clean_list(values: list[str]) -> str:
    return json.dumps([" ".join(v.split()) for v in values if v and v.strip()], ensure_ascii=False)


def set_inspection(session: Session, item: AgendaItem, data: InspectionData) -> InspectionSummary:
    """Create or replace the inspection summary of an item."""
    ensure_editable(item.meeting)
    start, start_precision = _precise(data.fieldwork_start, data.fieldwork_start_precision, "fieldwork start")
    end, end_precision = _precise(data.fieldwork_end, data.fieldwork_end_precision, "fieldwork end")
    previous, previous_precision = _precise(
        data.previous_date, data.previous_date_precision, "previous inspection's date"
    )
    plan_due, plan_precision = _precise(
        data.action_plan_due, data.action_plan_due_precision, "action plan's due date"
    )
    if data.display not in DISPLAYS:
        raise ValidationError(
            "Show the inspection summary as a table or leave it in the narrative. Choose one."
        )
    if start and end:
        # "May 2021 to 14 May 2021" is no contradiction: compare the two dates as far as both are known.
        coarse = _coarsest(start_precision, end_precision)
        if _truncate(end, coarse) < _truncate(start, coarse):
            raise ValidationError("The fieldwork ends before it starts. Check the two dates.")
    if data.inspectors is not None and not 0 < data.inspectors < 100:
        raise ValidationError("The number of inspectors should be between 1 and 99.")
    summary = item.inspection
    if summary is None:
        summary = InspectionSummary(item=item)
        session.add(summary)
    summary.inspectorate = data.inspectorate
    summary.framework = data.framework
    summary.activity = data.activity
    summary.service = " ".join(data.service.split())
    summary.fieldwork_start, summary.fieldwork_start_precision = start, start_precision
    summary.fieldwork_end, summary.fieldwork_end_precision = end, end_precision
    summary.inspectors = data.inspectors
    summary.scope = data.scope.strip()
    summary.published_on = data.published_on
    summary.overall = data.overall
    summary.judgements = json.dumps(
        [{"area": j.area, "grade": j.grade.value} for j in data.judgements if j.area.strip()],
        ensure_ascii=False,
    )
    summary.previous_date, summary.previous_date_precision = previous, previous_precision
    summary.previous_judgement = data.previous_judgement
    summary.strengths = _clean_list(data.strengths)
    summary.areas_for_improvement = _clean_list(data.areas_for_improvement)
    summary.priority_actions = _clean_list(data.priority_actions)
    summary.next_steps = json.dumps(
        [
            {"text": s.text.strip(), "due": s.due.isoformat() if s.due else None}
            for s in data.next_steps
            if s.text.strip()
        ],
        ensure_ascii=False,
    )
    summary.action_plan_due, summary.action_plan_due_precision = plan_due, plan_precision
    summary.action_plan_due_text = " ".join(data.action_plan_due_text.split())
    summary.inspectorates = json.dumps(list(dict.fromkeys(Inspectorate(i).value for i in data.inspectorates)))
    summary.no_graded_judgement = data.no_graded_judgement
    summary.no_priority_actions = data.no_priority_actions and not any(
        p.strip() for p in data.priority_actions
    )
    summary.display = data.display
    if data.letter_attachment_id is not None and data.letter_attachment_id not in {
        a.id for a in item.attachments
    }:
        raise ValidationError(
            "The inspection letter must be one of this item's documents. Add it to the item first."
        )
    summary.letter_attachment_id = data.letter_attachment_id
    session.flush()
    return summary


def remove_inspection(session: Session, item: AgendaItem) -> None:
    ensure_editable(item.meeting)
    if item.inspection is not None:
        session.delete(item.inspection)
        item.inspection = None
        session.flush()


@dataclass(frozen=True, slots=True)
class InspectionHistoryRow:
    """One inspection in a service's timeline, with where the committee heard about it."""

    inspection: InspectionRecord
    item_id: int
    meeting_id: int
    meeting_date: dt.date
    committee: str
    minute_ref: str
    item_title: str

    @property
    def date(self) -> dt.date:
        return self.inspection.fieldwork_start or self.meeting_date

    @property
    def date_text(self) -> str:
        """The date as far as it is known: "14/07/2022", "May 2021", or the meeting's date when none is given."""
        if self.inspection.fieldwork_start is None:
            return uk_date(self.meeting_date)
        return precise_date(self.inspection.fieldwork_start, self.inspection.fieldwork_start_precision)


def services_inspected(session: Session) -> list[str]:
    rows = session.scalars(select(InspectionSummary.service).distinct().order_by(InspectionSummary.service))
    return [r for r in rows if r]


def inspection_history(session: Session, service: str | None = None) -> list[InspectionHistoryRow]:
    """Every inspection (of one service, if given), oldest first. Reports on exempt items are left out."""
    query = (
        select(InspectionSummary, AgendaItem, Meeting, Committee)
        .join(AgendaItem, AgendaItem.id == InspectionSummary.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Committee, Committee.id == Meeting.committee_id)
        .where(AgendaItem.is_exempt.is_(False))
        .order_by(Meeting.date, AgendaItem.position)
    )
    if service:
        query = query.where(InspectionSummary.service == service)
    rows = []
    for summary, item, meeting, committee in session.execute(query):
        rows.append(
            InspectionHistoryRow(
                inspection_record(summary),
                item.id,
                meeting.id,
                meeting.date,
                committee.name,
                meeting_minute_ref(meeting, item.minute_number),
                item.title,
            )
        )
    rows.sort(key=lambda r: r.date)
    return rows


def create_actions_from_areas(
    session: Session, item: AgendaItem, owner: str = "", due_date: dt.date | None = None
) -> list[Action]:
    """One action for each area for improvement that has none yet; each remembers the finding it came from."""
    summary = item.inspection
    if summary is None:
        raise ValidationError("This item has no inspection summary. Add one, with its areas for improvement.")
    areas = inspection_record(summary).areas_for_improvement
    if not areas:
        raise ValidationError("The inspection summary lists no areas for improvement. Add them first.")
    done = {a.source_finding for a in item.actions}
    due = due_date or summary.action_plan_due
    resolution = item.resolutions[0] if item.resolutions else None
    created = []
    for area in areas:
        if area in done:
            continue
        text = f"Address the area for improvement: {area}"
        created.append(
            add_action(
                session, item, text, owner=owner, due_date=due, resolution=resolution, source_finding=area
            )
        )
    return created
