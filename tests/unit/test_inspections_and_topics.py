"""Inspection summaries, a service's inspection history, actions from findings, and topic histories."""

import datetime as dt

import pytest

from paperprep.domain import ActionStatus, InspectionActivity, Judgement, ResolutionWording
from paperprep.errors import ValidationError
from paperprep.records import JudgementRecord, NextStepRecord
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.inspections import (
    InspectionData,
    create_actions_from_areas,
    inspection_history,
    services_inspected,
    set_inspection,
)
from paperprep.services.snapshot import inspection_record
from paperprep.services.topics import get_or_create_topic, set_item_topic, topic_history


def _item(s, committee, day, title):
    meeting = M.create_meeting(s, committee, day)
    return A.add_item(s, meeting, title)


def test_history_of_a_service_in_order_with_judgements(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        standard = _item(s, c, dt.date(2020, 1, 14), "Ofsted inspection of children's services")
        visit = _item(s, c, dt.date(2022, 9, 6), "Ofsted monitoring visit")
        set_inspection(
            s,
            visit,
            InspectionData(
                activity=InspectionActivity.MONITORING_VISIT,
                service="Children's social care",
                fieldwork_start=dt.date(2022, 7, 13),
                fieldwork_end=dt.date(2022, 7, 14),
                inspectors=2,
                previous_judgement=Judgement.INADEQUATE,
                previous_date=dt.date(2019, 12, 6),
                areas_for_improvement=["Workforce instability", " Unfinished assessments "],
                next_steps=[NextStepRecord("Next monitoring visit", dt.date(2022, 11, 1))],
            ),
        )
        set_inspection(
            s,
            standard,
            InspectionData(
                activity=InspectionActivity.STANDARD_INSPECTION,
                service="Children's social care",
                overall=Judgement.INADEQUATE,
                fieldwork_start=dt.date(2019, 11, 25),
                judgements=[JudgementRecord("Overall effectiveness", Judgement.INADEQUATE)],
            ),
        )
        other = _item(s, c, dt.date(2023, 3, 1), "CQC assessment")
        set_inspection(
            s, other, InspectionData(service="Adult social care", overall=Judgement.REQUIRES_IMPROVEMENT)
        )
        history = inspection_history(s, "Children's social care")
        assert services_inspected(s) == ["Adult social care", "Children's social care"]
    assert [r.inspection.activity for r in history] == [
        InspectionActivity.STANDARD_INSPECTION,
        InspectionActivity.MONITORING_VISIT,
    ]
    assert history[0].inspection.judgements[0].grade is Judgement.INADEQUATE
    assert history[1].inspection.areas_for_improvement == ("Workforce instability", "Unfinished assessments")
    assert history[1].inspection.next_steps[0].due == dt.date(2022, 11, 1)


def test_fieldwork_dates_must_be_in_order(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        item = _item(s, c, dt.date(2022, 9, 6), "Visit")
        with pytest.raises(ValidationError, match="ends before it starts"):
            set_inspection(
                s,
                item,
                InspectionData(fieldwork_start=dt.date(2022, 7, 14), fieldwork_end=dt.date(2022, 7, 13)),
            )


def test_actions_from_areas_for_improvement_once_each(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        item = _item(s, c, dt.date(2022, 9, 6), "Visit")
        MI.add_resolution(s, item, ResolutionWording.AGREED, "That the update be noted.")
        set_inspection(
            s,
            item,
            InspectionData(
                areas_for_improvement=["Quality of supervision", "Step-down rationale"],
                action_plan_due=dt.date(2022, 12, 1),
            ),
        )
        first = create_actions_from_areas(s, item, owner="Sue Butcher")
        again = create_actions_from_areas(s, item, owner="Sue Butcher")
        assert [a.source_finding for a in first] == ["Quality of supervision", "Step-down rationale"]
        assert all(a.due_date == dt.date(2022, 12, 1) and a.status is ActionStatus.OPEN for a in first)
        assert again == []
        assert inspection_record(item.inspection).areas_for_improvement == (
            "Quality of supervision",
            "Step-down rationale",
        )


def test_topic_history_lists_meetings_with_resolutions(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        topic = get_or_create_topic(s, "Ofsted inspection of children's services")
        first = _item(s, c, dt.date(2021, 7, 6), "May 2021 Ofsted visit feedback")
        second = _item(s, c, dt.date(2022, 9, 6), "Ofsted update")
        hidden = _item(s, c, dt.date(2022, 10, 6), "Named social worker case")
        A.set_exempt(s, hidden, (1,))
        for item in (second, first, hidden):
            set_item_topic(s, item, topic)
        MI.add_resolution(s, first, ResolutionWording.RESOLVED, "to note the information")
        MI.add_resolution(
            s, second, ResolutionWording.RESOLVED, "That", ["the update be noted;", "a report come back"]
        )
        rows = topic_history(s, topic.id)
        assert get_or_create_topic(s, "Ofsted inspection of children's services").id == topic.id
    assert [r.title for r in rows] == ["May 2021 Ofsted visit feedback", "Ofsted update"]
    assert rows[0].decisions == ("RESOLVED to note the information",)
    assert rows[1].decisions == ("RESOLVED That (1) the update be noted; (2) a report come back",)


def test_the_letter_is_one_of_the_items_documents(db, tmp_path) -> None:
    from paperprep.services.snapshot import inspection_record

    letter = tmp_path / "ofsted-letter.pdf"
    letter.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF")
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        item = _item(s, c, dt.date(2022, 9, 6), "Visit")
        other = _item(s, c, dt.date(2022, 10, 6), "Other")
        attached = A.add_attachment(s, item, letter, tmp_path / "files")
        elsewhere = A.add_attachment(s, other, letter, tmp_path / "files")
        assert attached.page_count == 1 and (tmp_path / "files" / attached.stored_name).exists()
        with pytest.raises(ValidationError, match="one of this item's documents"):
            set_inspection(s, item, InspectionData(letter_attachment_id=elsewhere.id))
        set_inspection(s, item, InspectionData(letter_attachment_id=attached.id))
        record = inspection_record(item.inspection)
    assert (record.letter_attachment_id, record.letter_file_name) == (attached.id, "ofsted-letter.pdf")
