"""One place for each fact: the exported minutes of a pasted item with an inspection print each list once, and a
date known only to the month as the month ("May 2021", never 01/05/2021), read back with python-docx."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from docx import Document

from paperprep.db.models import AgendaItem
from paperprep.domain import Audience
from paperprep.imports.pasted import parse_minutes_text
from paperprep.imports.pasted_apply import create_item_from_parsed
from paperprep.ops import exports as jobs
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services.inspections import InspectionData, set_inspection
from paperprep.services.snapshot import inspection_record

FIXTURES = Path(__file__).parents[1] / "fixtures" / "minutes"
MONTH_ONLY = "monitoring-visit-month-only"
STRENGTHS = (
    "Children in care are visited regularly by their social workers",
    "Independent reviewing officers challenge drift in plans",
)
AREA = "Life story work is not yet consistent"


def paste(db, name: str, day: dt.date = dt.date(2025, 6, 3)) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A meeting on `day` with the fixture pasted as its item: (meeting id, item id)."""
    with db.transaction() as s:
        committee = C.find_committee(s, "SC") or C.create_committee(s, "Scrutiny", "SC")
        meeting = M.create_meeting(s, committee, day)
        text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
        item = create_item_from_parsed(s, meeting, parse_minutes_text(text))
        return meeting.id, item.id


def change(db, item_id: int, **facts: object) -> None:  # type: ignore[no-untyped-def]
    """Save the item's summary with these facts changed, as the inspection panel does."""
    with db.transaction() as s:
        item = s.get(AgendaItem, item_id)
        data = InspectionData.from_record(inspection_record(item.inspection))
        set_inspection(s, item, replace(data, **facts))  # type: ignore[arg-type]


def texts(db, meeting_id: int, out: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Every paragraph and table cell of the exported minutes, in order."""
    assert jobs.export_minutes(db, meeting_id, out, Audience.PUBLIC) == []
    document = Document(str(out))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found += [cell.text for cell in row.cells]
    return found


def times(text: str, found: list[str]) -> int:
    return sum(t.count(text) for t in found)


def test_pasted_lists_are_printed_once_and_a_month_as_the_month(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    meeting_id, _item = paste(db, MONTH_ONLY)
    found = texts(db, meeting_id, tmp_path / "minutes.docx")
    for strength in (*STRENGTHS, AREA):
        assert times(strength, found) == 1, strength
    fieldwork = found[found.index("Fieldwork") + 1]
    assert fieldwork == "March 2025"
    assert "Inadequate May 2023" in found  # the previous inspection, to its month
    assert not any("01/03/2025" in t or "01/05/2023" in t for t in found)


def test_shown_as_a_table_the_lists_the_narrative_states_are_not_repeated(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    meeting_id, item_id = paste(db, MONTH_ONLY)
    change(
        db,
        item_id,
        display="table",
        strengths=[*STRENGTHS, "Managers know their teams well"],  # this one the narrative does not state
        fieldwork_start=dt.date(2021, 5, 1),
        fieldwork_start_precision="month",
    )
    found = texts(db, meeting_id, tmp_path / "minutes.docx")
    for strength in (*STRENGTHS, AREA, "Managers know their teams well"):
        assert times(strength, found) == 1, strength
    assert "Strengths" in found  # the heading of the one strength left to print
    assert "Areas for improvement" not in found  # every area is in the narrative already
    assert found[found.index("Fieldwork") + 1] == "May 2021"
    assert not any("01/05/2021" in t for t in found)


def test_a_summary_of_its_own_prints_its_lists_and_its_facts(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    meeting_id, item_id = paste(db, "visit-no-graded-judgement")
    change(db, item_id, areas_for_improvement=["Recording of management oversight"], no_priority_actions=True)
    found = texts(db, meeting_id, tmp_path / "minutes.docx")
    assert times("Recording of management oversight", found) == 1
    assert found[found.index("Overall judgement") + 1] == "No graded judgement"
    assert found[found.index("Previous judgement") + 1] == "Good 2022"
    assert "No priority actions." in found


def test_a_joint_inspection_prints_its_inspectorates(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    meeting_id, _item = paste(db, "joint-send-inspection")
    found = texts(db, meeting_id, tmp_path / "minutes.docx")
    assert found[found.index("Inspectorates") + 1] in ("Ofsted and CQC", "CQC and Ofsted")
    for strength in (
        "Families say that the SENDIASS service is responsive",
        "Waiting times for neurodevelopmental assessments",
    ):
        assert times(strength, found) == 1, strength


def test_questions_movements_and_reasons_are_printed_once(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    questions = parse_minutes_text(
        (FIXTURES / "agenda-item-report-of-questions.txt").read_text(encoding="utf-8")
    ).questions
    meeting_id, _item = paste(db, "agenda-item-report-of-questions")
    found = texts(db, meeting_id, tmp_path / "questions.docx")
    for question in questions:
        assert times(question.question, found) == 1, question.question
    meeting_id, _item = paste(db, "cabinet-decision-notice", dt.date(2025, 7, 8))
    found = texts(db, meeting_id, tmp_path / "decision.docx")
    assert times("To make sure that scrutiny members can follow the improvement work.", found) == 1
    assert times("Reasons for the decision:", found) == 1
