"""Whole minutes documents (.txt, .docx, .pdf) imported as meetings: the reader, the operation and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from paperprep.app import main
from paperprep.db import open_database
from paperprep.domain import AttendanceStatus, DeclarationOutcome, DeclarationType, ItemKind, PersonKind
from paperprep.errors import ImportProblem
from paperprep.imports.minutes_document import read_minutes_document, read_text, split_minutes_document
from paperprep.services.meetings import list_meetings

DOCUMENTS = Path(__file__).parent.parent / "fixtures" / "documents"
PRINTED = DOCUMENTS / "moderngov-printed-minutes.txt"
AGENDA_PAGE = DOCUMENTS / "agenda-and-minutes-page.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def build_docx(path: Path) -> Path:
    """A council's minutes written in Word: heading paragraphs, an attendance table, numbered minute headings."""
    import docx

    document = docx.Document()
    document.add_heading("Corporate Parenting Board", level=1)
    document.add_paragraph(
        "Minutes of the meeting held on Thursday 9 January 2025 at 10.00 am in the Ash Room, Market Hall"
    )
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(
        table.rows,
        (
            ("Present:", "Councillor Imogen Salter (Chair), Councillors Ravi Menon and Clare Dunmore"),
            (
                "Officers in attendance:",
                "Bethan Lloyd (Head of Children in Care), Kwame Asante (Participation Lead)",
            ),
            ("Apologies:", "Councillor Peter Vosper"),
        ),
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_heading("31. Declarations of Interest", level=2)
    document.add_paragraph("There were no declarations of interest.")
    document.add_heading("32. Care Leavers' Local Offer", level=2)
    document.add_paragraph(
        "The Head of Children in Care presented the refreshed local offer for care leavers, which had been "
        "written with the Children in Care Council."
    )
    document.add_paragraph("Councillor Ravi Menon asked how the offer would be publicised to young people.")
    document.add_paragraph("RESOLVED that the refreshed local offer be endorsed.")
    document.add_heading("33. Placement Sufficiency Update", level=2)
    document.add_paragraph("The Board received a verbal update on placement sufficiency.")
    document.add_paragraph("AGREED that the update be noted.")
    document.add_paragraph("The meeting ended at 11.35 am")
    document.save(str(path))
    return path


# --- the reader -----------------------------------------------------------------------------------------------------


def test_printed_minutes_are_split_into_header_attendance_declarations_and_items() -> None:
    doc = read_minutes_document(PRINTED)
    assert doc.problems == ()
    assert doc.committee == "Adult Social Care and Health Scrutiny Committee"
    assert doc.date == dt.date(2025, 5, 14)
    assert (doc.start_time, doc.close_time) == (dt.time(18, 30), dt.time(20, 40))
    assert doc.venue == "Committee Room 2, Riverside House"
    by_name = {a.name: a for a in doc.attendees}
    assert by_name["Priya Lambert"].note == "Chair"
    assert by_name["Owen Treharne"].note == "Vice-Chair"
    assert by_name["Leon Whitcombe"].status is AttendanceStatus.PRESENT
    assert by_name["Bernadette Osei"].kind is PersonKind.CO_OPTED
    assert by_name["Hal Brennan"].status is AttendanceStatus.IN_ATTENDANCE
    officer = by_name["Ruth Calloway"]
    assert (officer.kind, officer.title) == (PersonKind.OFFICER, "Director of Adult Social Care")
    assert by_name["Selina Barraclough"].status is AttendanceStatus.APOLOGIES
    assert by_name["Dominic Pryce"].status is AttendanceStatus.APOLOGIES
    substitute = by_name["Tomasz Wilk"]
    assert (substitute.status, substitute.substitute_for) == (AttendanceStatus.SUBSTITUTE, "Dominic Pryce")
    assert [(i.number, i.kind) for i in doc.items] == [
        (14, ItemKind.APOLOGIES),
        (15, ItemKind.DECLARATIONS),
        (16, ItemKind.PREVIOUS_MINUTES),
        (17, ItemKind.REPORT),
        (18, ItemKind.REPORT),
        (19, ItemKind.REPORT),
        (20, ItemKind.EXCLUSION_MOTION),
        (21, ItemKind.REPORT),
    ]
    assert doc.items[3].title == "CQC Assessment of Adult Social Care"
    exempt = doc.items[-1]
    assert (exempt.title, exempt.exempt, exempt.exempt_paragraphs) == (
        "Care Home Block Contract Extension",
        True,
        (3,),
    )
    tasker, haque = doc.declarations
    assert (tasker.name, tasker.type, tasker.item_number, tasker.outcome) == (
        "Gwen Tasker",
        DeclarationType.NON_REGISTRABLE,
        18,
        DeclarationOutcome.REMAINED,
    )
    assert (haque.type, haque.item_number, haque.outcome) == (
        DeclarationType.DISCLOSABLE_PECUNIARY,
        21,
        DeclarationOutcome.LEFT_ROOM,
    )
    (action,) = doc.items[3].actions
    assert (action.owner, action.due_date) == ("Director of Adult Social Care", dt.date(2025, 6, 30))
    resolution = doc.items[3].parsed.resolution
    assert resolution is not None and len(resolution.parts) == 2


def test_an_agenda_and_minutes_page_with_numbers_on_their_own_lines() -> None:
    doc = read_minutes_document(AGENDA_PAGE)
    assert doc.problems == ()
    assert (doc.committee, doc.date, doc.start_time) == (
        "Planning Committee",
        dt.date(2024, 11, 19),
        dt.time(19, 0),
    )
    assert doc.venue == "Council Chamber, Guildhall"
    assert [(i.reference, i.title) for i in doc.items] == [
        ("41", "Apologies for Absence"),
        ("42", "Declarations of Interest"),
        ("43", "Minutes"),
        ("44", "Land at Orchard Farm, Hollins Lane"),
        ("45", "Former Bus Depot, Canal Street"),
        ("46", "Appeals Update"),
    ]
    assert doc.items[3].parsed.purpose.startswith("To consider an outline application")
    names = {a.name: a for a in doc.attendees}
    assert names["Nadia Farouk"].status is AttendanceStatus.APOLOGIES
    assert names["Gareth Lowe"].substitute_for == "Nadia Farouk"
    (declaration,) = doc.declarations
    assert (declaration.name, declaration.type, declaration.item_number) == (
        "Martin Royce",
        DeclarationType.OTHER_REGISTRABLE,
        45,
    )


def test_an_exempt_item_without_its_paragraph_is_a_problem() -> None:
    text = PRINTED.read_text(encoding="utf-8")
    text = text.replace("20. Exclusion of the press and public", "20. Housing Allocations Policy")
    text = text.replace("paragraph 3 of Part 1 of Schedule 12A of the Act", "the Act")
    text = text.replace("(Exempt information - paragraph 3)", "(Exempt)")
    doc = split_minutes_document(text, "odd.txt")
    assert len(doc.problems) == 1 and "Item 21" in doc.problems[0] and "paragraph" in doc.problems[0]


def test_text_without_a_date_or_items_gives_sentences_not_failures() -> None:
    for text in ("", "\x00\ud800", "Just a letter to the clerk.\nThanks.", "1.\n2.\n" * 40):
        doc = split_minutes_document(text)
        assert doc.problems, text
        assert all(p.endswith(".") for p in doc.problems)


def test_unreadable_files_give_one_sentence(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is no pdf at all")
    word = tmp_path / "broken.docx"
    word.write_bytes(b"PK\x03\x04 not a zip")
    other = tmp_path / "minutes.odt"
    other.write_bytes(b"x")
    for path in (broken, word, other, tmp_path / "missing.txt"):
        with pytest.raises(ImportProblem) as caught:
            read_text(path)
        assert path.name in caught.value.message and "\n" not in caught.value.message


def test_docx_is_read_with_its_table(tmp_path: Path) -> None:
    doc = read_minutes_document(build_docx(tmp_path / "cpb-2025-01-09.docx"))
    assert doc.problems == ()
    assert (doc.committee, doc.date, doc.close_time) == (
        "Corporate Parenting Board",
        dt.date(2025, 1, 9),
        dt.time(11, 35),
    )
    assert [i.number for i in doc.items] == [31, 32, 33]
    names = {a.name: a for a in doc.attendees}
    assert names["Imogen Salter"].note == "Chair"
    assert names["Kwame Asante"].title == "Participation Lead"
    assert names["Peter Vosper"].status is AttendanceStatus.APOLOGIES
    assert doc.items[2].kind is ItemKind.VERBAL_UPDATE


# --- the command and the operation --------------------------------------------------------------------------------


def test_import_creates_the_meeting_and_a_second_run_reports_it(tmp_path: Path, capsys) -> None:
    db = tmp_path / "clerk.sqlite"
    code, out, err = run(capsys, "import", "minutes", str(PRINTED), "--db", str(db))
    assert (code, err) == (0, "")
    assert "created meeting 1" in out and "14/05/2025" in out
    code, out, _ = run(capsys, "dump", "--db", str(db), "--meeting", "1")
    dump = json.loads(out)
    assert dump["committee"]["name"] == "Adult Social Care and Health Scrutiny Committee"
    assert dump["meeting"]["date"] == "2025-05-14" and dump["meeting"]["close_time"] == "20:40"
    assert [i["minute_number"] for i in dump["items"]] == list(range(14, 22))
    titles = [i["title"] for i in dump["items"]]
    assert (
        titles[3] == "CQC Assessment of Adult Social Care"
        and titles[-1] == "Care Home Block Contract Extension"
    )
    attendance = {a["person"]["name"]: a for a in dump["attendance"]}
    assert len(attendance) == 14
    assert attendance["Tomasz Wilk"]["substitute_for"]["name"] == "Dominic Pryce"
    assert attendance["Ruth Calloway"]["person"]["kind"] == "officer"
    resolutions = {i["title"]: i["resolutions"] for i in dump["items"]}
    assert resolutions["CQC Assessment of Adult Social Care"][0]["parts"][1].startswith(
        "the Committee receive"
    )
    assert resolutions["Work Programme 2025/26"][0]["wording"] == "agreed"
    assert sum(1 for i in dump["items"] if i["resolutions"]) == 6
    exempt = dump["items"][-1]
    assert (exempt["exempt"], exempt["exempt_paragraphs"]) == (True, [3])
    assert dump["items"][3]["actions"][0]["due_date"] == "2025-06-30"
    declarations = sorted((d["person"]["name"], d["item"], d["outcome"]) for d in dump["declarations"])
    assert declarations == [("Farid Haque", 7, "left_room"), ("Gwen Tasker", 4, "remained")]

    code, out, err = run(capsys, "import", "minutes", str(PRINTED), "--db", str(db), "--json")
    assert code == 0
    (outcome,) = json.loads(out)
    assert (outcome["outcome"], outcome["meeting"]) == ("already_on_file", 1)
    database = open_database(db)
    with database.transaction() as session:
        assert len(list_meetings(session)) == 1
    database.close()


def test_a_folder_imports_each_file_and_reports_each(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    (folder / "2024-11-19-planning.txt").write_text(AGENDA_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "2025-05-14-ascs.txt").write_text(PRINTED.read_text(encoding="utf-8"), encoding="utf-8")
    build_docx(folder / "2025-01-09-cpb.docx")
    (folder / "damaged.pdf").write_bytes(b"%PDF-1.7 nothing here")
    (folder / "letter.txt").write_text("Dear clerk,\nThank you.\n", encoding="utf-8")
    (folder / "notes.md").write_text("not a minutes document", encoding="utf-8")
    db = tmp_path / "clerk.sqlite"
    code, out, err = run(capsys, "import", "minutes", str(folder), "--db", str(db))
    lines = out.strip().splitlines()
    assert code == 1 and err == ""  # one line per file; a problem with any file sets the status
    assert len(lines) == 5
    assert sum("created meeting" in line for line in lines) == 3
    assert next(line for line in lines if line.startswith("damaged.pdf")).count(".") >= 1
    assert "cannot be read" in next(line for line in lines if line.startswith("damaged.pdf"))
    assert "No numbered items were found" in next(line for line in lines if line.startswith("letter.txt"))
    code, out, _ = run(capsys, "import", "minutes", str(folder), "--db", str(db), "--dry-run")
    assert out.count("already on file") == 3
    database = open_database(db)
    with database.transaction() as session:
        assert sorted(m.date for m in list_meetings(session)) == [
            dt.date(2024, 11, 19),
            dt.date(2025, 1, 9),
            dt.date(2025, 5, 14),
        ]
    database.close()


def test_dry_run_creates_nothing(tmp_path: Path, capsys) -> None:
    db = tmp_path / "clerk.sqlite"
    run(capsys, "meetings", "--db", str(db))  # refused: no file yet
    code, out, _ = run(capsys, "import", "minutes", str(PRINTED), "--db", str(tmp_path / "other.sqlite"))
    assert code == 0
    code, out, _ = run(
        capsys, "import", "minutes", str(AGENDA_PAGE), "--db", str(tmp_path / "other.sqlite"), "--dry-run"
    )
    assert code == 0 and "would create a meeting" in out and "6 items" in out
    database = open_database(tmp_path / "other.sqlite")
    with database.transaction() as session:
        assert len(list_meetings(session)) == 1
    database.close()


def test_a_file_that_fails_half_way_leaves_nothing(tmp_path: Path, capsys) -> None:
    text = PRINTED.read_text(encoding="utf-8").replace(
        "Councillor Tomasz Wilk attended as a substitute for Councillor Dominic Pryce.",
        "Councillor Tomasz Wilk attended as a substitute for Councillor Tomasz Wilk.",
    )
    source = tmp_path / "self-substitute.txt"
    source.write_text(text, encoding="utf-8")
    db = tmp_path / "clerk.sqlite"
    code, out, err = run(capsys, "import", "minutes", str(source), "--db", str(db))
    assert code == 1
    assert out.startswith("self-substitute.txt: ") and "substitute for themselves" in out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out + err
    database = open_database(db)
    with database.transaction() as session:
        from paperprep.services.committees import list_committees

        assert list_meetings(session) == [] and list_committees(session) == []
    database.close()


def test_the_same_committee_is_found_again_and_people_are_matched(tmp_path: Path, capsys) -> None:
    text = PRINTED.read_text(encoding="utf-8")
    later = text.replace("Wednesday, 14th May, 2025", "Wednesday, 9th July, 2025").replace(
        "14. Apologies", "22. Apologies"
    )
    for n in range(15, 22):
        later = later.replace(f"\n{n}. ", f"\n{n + 8}. ").replace(f"in item {n} ", f"in item {n + 8} ")
    second = tmp_path / "july.txt"
    second.write_text(
        later.replace(
            "Adult Social Care and Health Scrutiny Committee", "ADULT SOCIAL CARE & HEALTH SCRUTINY COMMITTEE"
        ),
        encoding="utf-8",
    )
    db = tmp_path / "clerk.sqlite"
    assert run(capsys, "import", "minutes", str(PRINTED), "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "import", "minutes", str(second), "--db", str(db))
    assert code == 0 and "created meeting 2" in out
    database = open_database(db)
    with database.transaction() as session:
        from paperprep.services.committees import list_committees, list_people

        assert len(list_committees(session)) == 1
        assert sum(p.name == "Priya Lambert" for p in list_people(session)) == 1
        from paperprep.services.interchange import dump_meeting

        july = dump_meeting(session, 2)
    database.close()
    assert [i["minute_number"] for i in july["items"]] == list(range(22, 30))


@pytest.mark.libreoffice
def test_a_pdf_made_from_the_word_minutes_imports_the_same_meeting(tmp_path: Path, capsys) -> None:
    from paperprep.export.pdf import convert_to_pdf

    source = build_docx(tmp_path / "cpb.docx")
    (pdf,) = convert_to_pdf([source], tmp_path / "pdf")
    from_word = read_minutes_document(source)
    from_pdf = read_minutes_document(pdf)
    assert from_pdf.problems == ()
    assert (from_pdf.committee, from_pdf.date) == (from_word.committee, from_word.date)
    assert [(i.number, i.title) for i in from_pdf.items] == [(i.number, i.title) for i in from_word.items]
    assert {a.name for a in from_pdf.attendees} == {a.name for a in from_word.attendees}
    code, out, _ = run(capsys, "import", "minutes", str(pdf), "--db", str(tmp_path / "clerk.sqlite"))
    assert code == 0 and "created meeting 1" in out and "3 items" in out
