"""Adding what the parser found to a meeting: the item, its minutes, resolution and inspection summary."""

from __future__ import annotations

from sqlalchemy.orm import Session

from paperprep.db.models import AgendaItem, Meeting
from paperprep.domain import InspectionFramework, ItemKind
from paperprep.imports.pasted import ParsedMinutes
from paperprep.records import NextStepRecord
from paperprep.services import agenda as A
from paperprep.services import minutes as MI
from paperprep.services.inspections import InspectionData, set_inspection


def create_item_from_parsed(session: Session, meeting: Meeting, parsed: ParsedMinutes) -> AgendaItem:
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
        presenter_name=parsed.presenter_name,
        presenter_role=parsed.presenter_role,
    )
    MI.set_body(session, item, parsed.blocks)
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
    found = parsed.inspection
    if found is not None:
        set_inspection(
            session,
            item,
            InspectionData(
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
                next_steps=[NextStepRecord(s.text, s.due) for s in found.next_steps],
            ),
        )
    return item
