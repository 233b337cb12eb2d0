"""Pasted minute text into structure: the two published examples and seven texts in other councils' styles."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperprep import blocks as B
from paperprep.app import main
from paperprep.domain import InspectionActivity, Inspectorate, Judgement, ResolutionWording
from paperprep.imports.pasted import parse_minutes_text, parsed_to_json

FIXTURES = Path(__file__).parents[1] / "fixtures" / "minutes"
ROOT = Path(__file__).parents[2]


def parse(name: str):  # type: ignore[no-untyped-def]
    return parse_minutes_text((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))


def kinds(parsed) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.kind.value for b in parsed.blocks]


def test_published_focused_visit_page() -> None:
    p = parse("minutes-ofsted-focused-visit-2021")
    assert (p.title, p.title_as_written) == (
        "May 2021 Ofsted Visit Feedback",
        "MAY 2021 OFSTED VISIT FEEDBACK",
    )
    assert (p.meeting_date, p.item_number) == (dt.date(2021, 7, 6), 57)
    assert p.committee == "Children & Learning Overview & Scrutiny Sub-Committee"
    assert [(a.size_text, a.size_bytes) for a in p.attachments] == [("PDF 136 KB", 136 * 1024)]
    assert (
        p.purpose == "" and "Report attached." in p.furniture
    )  # page furniture, kept aside, not the purpose
    assert p.truncated and "view the full minutes" not in json.dumps(parsed_to_json(p))
    assert p.blocks[0].text.startswith("The Sub-Committee was presented with an overview")
    assert p.resolution is None
    i = p.inspection
    assert (i.inspectorate, i.activity) == (Inspectorate.OFSTED, InspectionActivity.FOCUSED_VISIT)
    assert (i.fieldwork_start, i.date_precision) == (dt.date(2021, 5, 1), "month")
    assert i.no_priority_actions and i.judgement is Judgement.NOT_GRADED
    assert i.areas_for_improvement == (
        "the quality of analysis within assessments",
        "rationales for decisions to step-down to early help services",
        "the quality of supervision",
    )


def test_published_monitoring_visit_page() -> None:
    p = parse("minutes-ofsted-monitoring-visit-2022")
    assert p.title == "Ofsted update"
    assert (p.presenter_name, p.presenter_role) == ("Sue Butcher", "Director of Children\u2019s Services")
    assert p.resolution is not None
    assert (p.resolution.wording, p.resolution.text) == (
        ResolutionWording.AGREED,
        "That the update be noted.",
    )
    i = p.inspection
    assert i.activity is InspectionActivity.MONITORING_VISIT
    assert (i.fieldwork_start, i.fieldwork_end, i.inspectors) == (
        dt.date(2022, 7, 13),
        dt.date(2022, 7, 14),
        2,
    )
    assert i.previous_judgement is Judgement.INADEQUATE and i.previous_date_text == "November/December 2019"
    assert len(i.strengths) == 6 and i.strengths[0].startswith("Front door services")
    assert len(i.areas_for_improvement) == 3 and i.areas_for_improvement[0].startswith(
        "Workforce instability"
    )
    assert [s.due for s in i.next_steps][:3] == [
        dt.date(2022, 11, 1),
        dt.date(2022, 12, 1),
        dt.date(2023, 2, 1),
    ]
    # The four scope lines under "reviewed the following:" had lost their bullet marks: they are bullets again.
    assert kinds(p)[2:6] == ["bullet"] * 4


def test_numbered_resolution_and_lettered_paragraphs() -> None:
    p = parse("cabinet-numbered-resolution")
    assert (p.item_number, p.meeting_date, p.committee) == (112, dt.date(2026, 2, 12), "Cabinet")
    assert kinds(p) == ["paragraph", "paragraph", "lettered", "lettered", "lettered"]
    assert p.blocks[2].text == "savings of \u00a33.4m were proposed across all directorates;"
    assert p.resolution.text == "That" and len(p.resolution.parts) == 3
    assert p.resolution.parts[2] == "the results be reported to Cabinet in February."
    assert p.inspection is None


def test_decimal_subparagraphs_keep_their_numbers() -> None:
    p = parse("decimal-subparagraphs")
    assert [b.text[:3] for b in p.blocks[1:4]] == ["2.1", "2.2", "2.3"]
    assert set(kinds(p)) == {"paragraph"}
    assert p.resolution.text == "to note the draft Annual Governance Statement."


def test_recommended_with_two_level_bullets() -> None:
    p = parse("recommended-to-cabinet")
    assert p.resolution.wording is ResolutionWording.RECOMMENDED
    assert p.resolution.text.startswith("to Cabinet that the revised Home to School Transport Policy")
    assert [(b.kind.value, b.level) for b in p.blocks[1:]] == [
        ("bullet", 0),
        ("bullet", 0),
        ("bullet", 1),
        ("bullet", 1),
    ]
    assert (p.presenter_name, p.presenter_role) == ("Mark Dunn", "Head of School Organisation")


def test_cqc_assessment_requires_improvement() -> None:
    p = parse("cqc-adult-social-care")
    i = p.inspection
    assert i.inspectorate is Inspectorate.CQC and i.judgement is Judgement.REQUIRES_IMPROVEMENT
    assert (i.fieldwork_start, i.fieldwork_end, i.inspectors) == (
        dt.date(2025, 1, 23),
        dt.date(2025, 2, 3),
        4,
    )
    assert i.strengths == (
        "Strong partnership working with the voluntary sector",
        "Good use of technology enabled care",
    )
    assert len(i.areas_for_improvement) == 3
    assert p.resolution.parts == (
        "the outcome of the assessment be noted; and",
        "the improvement plan be brought to the next meeting.",
    )


def test_joint_targeted_area_inspection() -> None:
    i = parse("jtai-letter").inspection
    assert (i.inspectorate, i.activity) == (Inspectorate.JOINT, InspectionActivity.JTAI)
    assert (i.fieldwork_start, i.fieldwork_end) == (dt.date(2023, 3, 6), dt.date(2023, 3, 10))
    assert i.no_priority_actions
    assert [s.due for s in i.next_steps] == [dt.date(2023, 6, 1), dt.date(2023, 9, 1)]


def test_standard_inspection_with_previous_judgement() -> None:
    i = parse("standard-inspection-good").inspection
    assert (i.activity, i.judgement, i.previous_judgement) == (
        InspectionActivity.STANDARD_INSPECTION,
        Judgement.GOOD,
        Judgement.REQUIRES_IMPROVEMENT,
    )
    assert (i.fieldwork_start, i.fieldwork_end, i.previous_date) == (
        dt.date(2024, 11, 4),
        dt.date(2024, 11, 15),
        dt.date(2019, 3, 1),
    )


def test_verbal_update() -> None:
    p = parse("verbal-update")
    assert p.purpose == "To receive a verbal update on the youth justice plan."
    assert (p.resolution.keyword, p.resolution.text) == ("AGREED", "That the update be noted.")


@pytest.mark.parametrize("fixture", sorted(p.stem for p in FIXTURES.glob("*.txt")))
def test_json_matches_the_documented_schema(fixture: str, capsys) -> None:
    schema = json.loads((ROOT / "docs" / "parse-schema.json").read_text(encoding="utf-8"))
    assert main(["parse", str(FIXTURES / f"{fixture}.txt")]) == 0
    data = json.loads(capsys.readouterr().out)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(data)] == []


FURNITURE_WORDS = {
    "issue",
    "meetings",
    "minutes",
    "agenda",
    "item",
    "supporting",
    "documents",
    "additional",
    "pdf",
    "icon",
    "view",
    "the",
    "full",
    "text",
    "for",
    "meeting",
    "kb",
    "mb",
    "doc",
    "docx",
}


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=600)
    | st.lists(
        st.sampled_from(
            [
                "Minutes:",
                "RESOLVED - That (1) a (2) b",
                "\u00b7 point",
                "(a) first",
                "   indented",
                "Positives",
                "Ofsted focused visit in May 2021",
                "13/14th July 2022",
                "AGREED",
                "x" * 30,
                "Meeting: 31/02/2021 - Board (Item 9)",
                "57 Title pdf icon PDF 1 KB",
                "... view the full",
            ]
        ),
        max_size=20,
    ).map("\n".join)
)
def test_never_fails_and_never_loses_a_word(text: str) -> None:
    parsed = parse_minutes_text(text)
    dumped = json.dumps(parsed_to_json(parsed), ensure_ascii=False).casefold()
    for word in re.findall(r"[^\W_]+", text.casefold()):
        if word in FURNITURE_WORDS or word.isdigit():
            continue  # furniture is dropped; numbers may come back as dates, sizes or item numbers
        assert word in dumped, word
    assert all(isinstance(b, B.Block) for b in parsed.blocks)
