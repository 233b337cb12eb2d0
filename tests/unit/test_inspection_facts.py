"""Inspection facts kept as the report gave them: dates with their precision, the inspectorates of a joint
inspection, no graded judgement, no priority actions, the report's author, a decision's reasons, and how the
minutes print the summary; through paste, the interchange file, the migration and the history."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.domain import Inspectorate, Judgement
from paperprep.errors import ImportProblem, ValidationError
from paperprep.formats import iso_precise, parse_iso_precise, precise_date
from paperprep.imports.pasted import parse_minutes_text
from paperprep.imports.pasted_apply import create_item_from_parsed
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services.inspections import (
    InspectionData,
    inspection_history,
    narrative_holds_lists,
    set_inspection,
    stated_in_narrative,
)
from paperprep.services.interchange import dump_meeting, load_meeting
from paperprep.services.snapshot import inspection_record

FIXTURES = Path(__file__).parents[1] / "fixtures" / "minutes"


def pasted(s, name: str):  # type: ignore[no-untyped-def]
    """A new meeting with the fixture `name` pasted into it as its one item."""
    committee = C.find_committee(s, "SC") or C.create_committee(s, "Scrutiny", "SC")
    meeting = M.create_meeting(s, committee, dt.date(2025, 6, 3))
    parsed = parse_minutes_text((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))
    return create_item_from_parsed(s, meeting, parsed)


# -- writing a date as far as it is known ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "precision", "shown", "iso"),
    [
        (dt.date(2025, 4, 24), "day", "24/04/2025", "2025-04-24"),
        (dt.date(2021, 5, 1), "month", "May 2021", "2021-05"),
        (dt.date(2019, 1, 1), "year", "2019", "2019"),
    ],
)
def test_a_date_is_written_and_read_to_its_precision(day, precision, shown, iso) -> None:  # type: ignore[no-untyped-def]
    assert precise_date(day, precision) == shown
    assert iso_precise(day, precision) == iso
    assert parse_iso_precise(iso) == (day, precision)


@pytest.mark.parametrize("text", ["2021-13", "21-05", "May 2021", "2021-05-1", "", "2021-5"])
def test_a_partial_date_that_is_no_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_iso_precise(text)


def test_no_date_is_written_as_nothing() -> None:
    assert precise_date(None, "month") == "" and iso_precise(None, "year") is None


# -- the summary keeps each date's precision -------------------------------------------------------------------


def test_a_month_is_stored_as_its_first_day_with_its_precision(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        item = A.add_item(
            s, M.create_meeting(s, C.create_committee(s, "Scrutiny", "SC"), dt.date(2025, 6, 3)), "V"
        )
        summary = set_inspection(
            s,
            item,
            InspectionData(
                fieldwork_start=dt.date(2021, 5, 17),
                fieldwork_start_precision="month",
                fieldwork_end=dt.date(2021, 5, 14),  # within May 2021: no contradiction at the month
                previous_date=dt.date(2018, 3, 9),
                previous_date_precision="year",
            ),
        )
        record = inspection_record(summary)
    assert (record.fieldwork_start, record.fieldwork_start_precision) == (dt.date(2021, 5, 1), "month")
    assert (record.fieldwork_end, record.fieldwork_end_precision) == (dt.date(2021, 5, 14), "day")
    assert (record.previous_date, record.previous_date_precision) == (dt.date(2018, 1, 1), "year")


def test_bad_precision_order_and_display_are_refused_with_a_sentence(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        item = A.add_item(
            s, M.create_meeting(s, C.create_committee(s, "Scrutiny", "SC"), dt.date(2025, 6, 3)), "V"
        )
        with pytest.raises(ValidationError, match="day, the month or the year"):
            set_inspection(
                s, item, InspectionData(fieldwork_start=dt.date(2021, 5, 1), fieldwork_start_precision="week")
            )
        with pytest.raises(ValidationError, match="ends before it starts"):
            set_inspection(
                s,
                item,
                InspectionData(
                    fieldwork_start=dt.date(2021, 5, 1),
                    fieldwork_start_precision="month",
                    fieldwork_end=dt.date(2021, 4, 30),
                ),
            )
        with pytest.raises(ValidationError, match="table or leave it in the narrative"):
            set_inspection(s, item, InspectionData(display="both"))


def test_listing_priority_actions_clears_the_none_flag(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        item = A.add_item(
            s, M.create_meeting(s, C.create_committee(s, "Scrutiny", "SC"), dt.date(2025, 6, 3)), "V"
        )
        assert set_inspection(s, item, InspectionData()).no_priority_actions is True
        summary = set_inspection(s, item, InspectionData(priority_actions=["Act on missing children"]))
        assert summary.no_priority_actions is False


# -- what a paste stores -----------------------------------------------------------------------------------------


def test_a_pasted_monitoring_visit_keeps_month_dates_author_and_previous_inspection(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        item = pasted(s, "monitoring-visit-month-only")
        record = inspection_record(item.inspection)
        assert item.report_of == "Director of Children's Services"
    assert (record.fieldwork_start, record.fieldwork_start_precision) == (dt.date(2025, 3, 1), "month")
    assert (record.previous_date, record.previous_date_precision) == (dt.date(2023, 5, 1), "month")
    assert record.previous_judgement is Judgement.INADEQUATE
    assert record.no_graded_judgement is True
    assert record.strengths == (
        "Children in care are visited regularly by their social workers",
        "Independent reviewing officers challenge drift in plans",
    )
    # The lists were pasted as bullets: the narrative holds them, so the summary is left in the narrative.
    assert record.display == "narrative"


def test_a_pasted_joint_inspection_names_its_inspectorates(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        record = inspection_record(pasted(s, "joint-send-inspection").inspection)
    assert record.inspectorate is Inspectorate.JOINT
    assert set(record.inspectorates) == {Inspectorate.OFSTED, Inspectorate.CQC}
    assert (record.fieldwork_start, record.fieldwork_end) == (dt.date(2024, 9, 9), dt.date(2024, 9, 13))


def test_a_pasted_visit_without_a_grade_or_mention_of_priority_actions(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        record = inspection_record(pasted(s, "visit-no-graded-judgement").inspection)
    assert record.no_graded_judgement is True
    assert record.no_priority_actions is False  # the minute does not say: nothing is claimed
    assert (record.previous_date, record.previous_date_precision, record.previous_judgement) == (
        dt.date(2022, 1, 1),
        "year",
        Judgement.GOOD,
    )
    assert record.display == "table"  # no lists: nothing for the narrative to carry


def test_a_pasted_statement_that_there_are_no_priority_actions_is_kept(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        record = inspection_record(pasted(s, "minutes-ofsted-focused-visit-2021").inspection)
    assert record.no_priority_actions is True and record.priority_actions == ()


def test_a_decision_notices_reasons_are_kept_once_in_the_minutes(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        item = pasted(s, "cabinet-decision-notice")
        blocks = B.loads(item.minutes_body)
        resolution_text = item.resolutions[0].text
    reasons = [b for b in blocks if b.text.startswith("Reasons for the decision: ")]
    assert len(reasons) == 1
    assert reasons[0].runs[0].bold and "scrutiny members can follow the improvement work" in reasons[0].text
    assert "Reasons" not in resolution_text  # the decision's own words are not touched


def test_questions_and_movements_stay_once_in_the_narrative(db) -> None:  # type: ignore[no-untyped-def]
    text = (FIXTURES / "agenda-item-report-of-questions.txt").read_text(encoding="utf-8")
    parsed = parse_minutes_text(text)
    assert parsed.questions, "the fixture should hold questions"
    with db.transaction() as s:
        item = pasted(s, "agenda-item-report-of-questions")
        body = B.to_plain_text(B.loads(item.minutes_body))
        assert item.report_of == parsed.report_of != ""
    for question in parsed.questions:
        assert body.count(question.question) == 1


# -- one place for each list ---------------------------------------------------------------------------------


def test_stated_in_narrative_matches_whole_entries_not_stray_words() -> None:
    narrative = [
        "Inspectors praised the \u2018dedicated and knowledgeable\u2019 leaving care service.",
        "Life story work is not yet consistent",
    ]
    entries = [
        "life story work is not yet consistent.",
        "Leaving care",  # two words inside a sentence: too short to count as stated there
        "Care",
        "Leadership is strong",
    ]
    assert stated_in_narrative(entries, narrative) == {entries[0]}
    assert stated_in_narrative(["the 'dedicated and knowledgeable' leaving care service"], narrative)
    assert not narrative_holds_lists(InspectionData(), narrative)  # no lists: nothing to hold
    assert narrative_holds_lists(InspectionData(areas_for_improvement=[entries[0]]), narrative)
    assert not narrative_holds_lists(InspectionData(areas_for_improvement=entries[:2]), narrative)


# -- the interchange file ----------------------------------------------------------------------------------------


def test_dump_writes_partial_dates_and_new_facts_and_load_reads_them_back(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        item = pasted(s, "monitoring-visit-month-only")
        first = dump_meeting(s, item.meeting_id)
    inspection = first["items"][0]["inspection"]
    assert inspection["fieldwork_start"] == "2025-03" and inspection["previous_date"] == "2023-05"
    assert inspection["display"] == "narrative" and inspection["no_graded_judgement"] is True
    assert inspection["inspectorates"] == ["ofsted"]
    other = open_database(tmp_path / "other.sqlite", daily_backup=False)
    try:
        with other.transaction() as s:
            again = dump_meeting(s, load_meeting(s, json.loads(json.dumps(first))))
    finally:
        other.close()
    assert again == first


def _file_with(**inspection: object) -> dict[str, object]:
    return {
        "format": "paperprep-meeting",
        "format_version": 1,
        "committee": {"name": "Scrutiny", "code": "SC"},
        "meeting": {"date": "2025-06-03"},
        "items": [{"title": "Visit", "kind": "report", "inspection": inspection}],
    }


def test_load_reads_a_year_and_the_old_meaning_of_an_empty_priority_list(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        meeting_id = load_meeting(s, _file_with(previous_date="2019", priority_actions=[]))
        (item,) = A.ordered_items(M.get_meeting(s, meeting_id))
        record = inspection_record(item.inspection)
    assert (record.previous_date, record.previous_date_precision) == (dt.date(2019, 1, 1), "year")
    assert record.no_priority_actions is True and record.display == "table"


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("fieldwork_start", "2021-13", "not a date written YYYY-MM-DD"),
        ("display", "both", "not one of: table, narrative"),
        ("inspectorates", ["ofsted", "police"], r"inspection\.inspectorates\[1\] is 'police', which is not"),
        ("no_priority_actions", "yes", "should be true or false"),
    ],
)
def test_load_refuses_bad_inspection_facts_with_a_sentence(db, field: str, value: object, said: str) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s, pytest.raises(ImportProblem, match=said):
        load_meeting(s, _file_with(**{field: value}))


# -- the history and the migration -----------------------------------------------------------------------------


def test_the_history_shows_a_month_only_visit_as_its_month(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        pasted(s, "monitoring-visit-month-only")
        (row,) = inspection_history(s)
    assert row.date_text == "March 2025"


def test_migration_0007_keeps_old_summaries_as_they_were(tmp_path: Path) -> None:
    from alembic import command

    from paperprep.db import _alembic_config
    from paperprep.db.engine import sqlite_engine

    path = tmp_path / "old.sqlite"
    engine = sqlite_engine(path)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0006")  # type: ignore[arg-type]
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(
            "INSERT INTO committees (id, name, code, kind, numbering, year_start_month, default_venue, "
            "contact_officer, archived) VALUES (1, 'Scrutiny', 'SC', 'other', 'continuous', 5, '', '', 0);"
            "INSERT INTO meetings (id, committee_id, date, venue, status, contact_officer, updated_at, version) "
            "VALUES (1, 1, '2025-06-01', '', 'draft_minutes', '', '2025-06-01 10:00:00', 1);"
            "INSERT INTO agenda_items (id, meeting_id, position, title, kind, purpose, report_of, presenter_name, "
            "presenter_role, is_exempt, exempt_paragraphs, public_title, minutes_body, minutes_text, updated_at, "
            "version) VALUES (1, 1, 0, 'Visit', 'report', '', '', '', '', 0, '', '', '[]', '', "
            "'2025-06-01 10:00:00', 1), (2, 1, 1, 'Inspection', 'report', '', '', '', '', 0, '', '', '[]', '', "
            "'2025-06-01 10:00:00', 1);"
            "INSERT INTO inspection_summaries (id, item_id, inspectorate, framework, activity, service, "
            "fieldwork_start, scope, overall, judgements, strengths, areas_for_improvement, priority_actions, "
            "next_steps, version) VALUES "
            "(1, 1, 'ofsted', 'other', 'focused_visit', '', '2021-05-11', '', 'not_graded', '[]', '[]', '[]', "
            "'[]', '[]', 1), "
            "(2, 2, 'ofsted', 'other', 'standard_inspection', '', NULL, '', 'inadequate', '[]', '[]', '[]', "
            "'[\"Act on missing children\"]', '[]', 1);"
        )
    db = open_database(path, daily_backup=False)
    try:
        with db.transaction() as s:
            records = [inspection_record(i.inspection) for i in A.ordered_items(M.get_meeting(s, 1))]
    finally:
        db.close()
    first, second = records
    assert (first.fieldwork_start, first.fieldwork_start_precision) == (dt.date(2021, 5, 11), "day")
    assert (first.display, first.inspectorates, first.no_graded_judgement) == ("table", (), False)
    assert first.no_priority_actions is True  # an empty list has always meant none
    assert second.no_priority_actions is False and second.priority_actions == ("Act on missing children",)


# -- what the clerk sees ---------------------------------------------------------------------------------------


def test_the_paste_dialog_shows_each_fact_with_the_sentence_it_came_from(qtbot) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ui.paste_dialog import PasteDialog

    dialog = PasteDialog()
    qtbot.addWidget(dialog)
    dialog.source.setPlainText((FIXTURES / "monitoring-visit-month-only.txt").read_text(encoding="utf-8"))
    dialog.parse()
    rows = {
        dialog.facts.topLevelItem(n).text(0): dialog.facts.topLevelItem(n)
        for n in range(dialog.facts.topLevelItemCount())
    }
    sentence = (
        "The Director of Children's Services provided an update on the Ofsted monitoring visit held in March "
        "2025, the fourth since the inspection in May 2023 which judged services as inadequate."
    )
    assert rows["Fieldwork"].text(1) == "March 2025"
    assert rows["Fieldwork"].text(2) == sentence and rows["Fieldwork"].toolTip(1) == sentence
    assert rows["Previous inspection"].text(1) == "Inadequate May 2023"
    assert rows["Previous inspection"].text(2) == sentence
    assert "Report of: Director of Children's Services" in dialog.preview.toPlainText()
    assert "01/03/2025" not in dialog.preview.toPlainText()


def test_a_date_known_to_the_month_is_edited_and_shown_as_the_month(qtbot) -> None:  # type: ignore[no-untyped-def]
    from paperprep.ui.inspection_panel import PreciseDate

    field = PreciseDate("fieldworkStart", "Fieldwork start")
    qtbot.addWidget(field)
    field.set_precise(dt.date(2021, 5, 1), "month")
    assert (field.value(), field.precision_value()) == (dt.date(2021, 5, 1), "month")
    assert field.edit.text() == "May 2021"
    field.set_precise(None, "day")
    assert field.value() is None and not field.precision.isEnabled()
