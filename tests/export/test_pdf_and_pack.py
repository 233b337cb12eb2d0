"""PDF papers and the agenda pack, read back with pypdf: tags, bookmarks, page numbers, and no exempt paper in
public.

The meeting's papers are made here (a Word report written with python-docx, PDFs written by hand), so these tests
do not depend on the demo data's own attachments. One database per module; each LibreOffice run takes 1-3 s.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from paperprep.db import Database, open_database
from paperprep.domain import AttachmentKind, Audience
from paperprep.errors import ConfidentialLeakError, ExportError
from paperprep.export import pdf as P
from paperprep.export.pack import PackDocument, PackItem, write_pack
from paperprep.ops import exports as jobs
from paperprep.services import agenda as A
from paperprep.services.demo import load_demo
from paperprep.services.meetings import get_meeting, list_meetings
from paperprep.services.snapshot import build_meeting_record

PUBLIC_REPORT = "The public report shows that secondary school places meet demand until twenty thirty."
PUBLIC_PDF = "Appendix figures for the public: admissions by planning area and year group."
EXEMPT_REPORT = "Confidential tender scoring: Harbour Lighthouse Care scored seventy one percent overall."
EXEMPT_PDF = "Exempt appendix: the hourly rate offered by Kestrel Valley Homes is sixty two pounds."


def hand_written_pdf(path: Path, pages: list[str]) -> Path:
    """A small PDF written byte by byte: one line of Helvetica per page."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font_number = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for text in pages:
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_number, font_number)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def word_report(path: Path, heading: str, text: str) -> Path:
    doc = Document()
    doc.add_heading(heading, level=1)
    doc.add_paragraph(text)
    doc.add_page_break()
    doc.add_heading("Recommendations", level=1)
    doc.add_paragraph("That the committee notes the report.")
    doc.save(str(path))
    return path


@dataclass(frozen=True)
class Meeting:
    db: Database
    id: int
    items: int  # agenda items
    exempt_title: str


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("pack")
    db = open_database(folder / "council.sqlite", daily_backup=False)
    papers = folder / "papers"
    papers.mkdir()
    with db.transaction() as s:
        load_demo(s)
        meeting_id = next(
            m.id
            for m in list_meetings(s)
            if m.status.value in ("draft_agenda", "agenda_published")
            and any(i.is_exempt for i in get_meeting(s, m.id).items)
        )
        items = sorted(get_meeting(s, meeting_id).items, key=lambda i: i.position)
        public = [i for i in items if not i.is_exempt]
        exempt = next(i for i in items if i.is_exempt)
        store = jobs.attachment_store(db)
        A.add_attachment(
            s, public[-1], word_report(papers / "Places report.docx", "School places", PUBLIC_REPORT), store
        )
        A.add_attachment(
            s,
            public[-1],
            hand_written_pdf(papers / "Places appendix.pdf", [PUBLIC_PDF, "Second page of the appendix"]),
            store,
            AttachmentKind.APPENDIX,
        )
        A.add_attachment(
            s, public[-2], hand_written_pdf(papers / "Briefing.pdf", ["A one page briefing note"]), store
        )
        A.add_attachment(
            s, exempt, word_report(papers / "Tender scores.docx", "Tender scores", EXEMPT_REPORT), store
        )
        A.add_attachment(
            s, exempt, hand_written_pdf(papers / "Rates.pdf", [EXEMPT_PDF]), store, AttachmentKind.APPENDIX
        )
        exempt_title = exempt.title
        count = len(items)
    yield Meeting(db, meeting_id, count, exempt_title)
    db.close()


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(entries: list) -> None:  # type: ignore[type-arg]
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(str(entry.title))

    walk(reader.outline)
    return titles


def text_of(path: Path) -> str:
    return P.normalise(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def pages(path: Path) -> int:
    return len(PdfReader(path).pages)


@pytest.fixture(scope="module")
def packs(meeting: Meeting, tmp_path_factory: pytest.TempPathFactory) -> dict[Audience, Path]:
    """The public pack written by the command line, the confidential one by the job the app runs."""
    from paperprep.app import main

    folder = tmp_path_factory.mktemp("packs")
    public, confidential = folder / "pack-public.pdf", folder / "pack-confidential.pdf"
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        args = [
            "export",
            "pack",
            "--db",
            str(meeting.db.path),
            "--meeting",
            str(meeting.id),
            "--out",
            str(public),
        ]
        assert main(args) == 0
    assert said.getvalue().splitlines() == [
        f"Written {public}.",
        f"The separate PDFs to publish are in {folder / 'pack-public-papers'}.",
    ]
    assert jobs.export_pack(meeting.db, meeting.id, confidential, Audience.CONFIDENTIAL) == []
    return {Audience.PUBLIC: public, Audience.CONFIDENTIAL: confidential}


@pytest.mark.libreoffice
def test_public_pack_has_a_bookmark_per_item_and_every_page_counted(meeting: Meeting, packs) -> None:  # type: ignore[no-untyped-def]
    pack = packs[Audience.PUBLIC]
    reader = PdfReader(pack)
    with meeting.db.transaction() as s:
        record = build_meeting_record(s, meeting.id, Audience.PUBLIC)
    top = [str(entry.title) for entry in reader.outline if not isinstance(entry, list)]
    assert top[:2] == ["Front sheet and agenda", "Contents of this pack"]
    assert len(top) == 2 + len(record.items) == 2 + meeting.items
    for entry, item in zip(top[2:], record.items, strict=True):
        assert entry.endswith(f". {item.title}")
    # Pages: the agenda, the contents page(s), each paper; the folder holds the parts.
    folder = jobs.pack_folder(pack)
    parts = sorted(folder.iterdir())
    assert parts[0].name == "00-agenda.pdf"
    index_pages = sum(
        "contents of this pack" in P.normalise(page.extract_text() or "") for page in reader.pages
    )
    assert index_pages >= 1
    assert len(reader.pages) == sum(pages(p) for p in parts) + index_pages
    # The agenda and every public paper (ours: the two-page Word report, its two-page appendix, the briefing).
    assert len(parts) == 1 + sum(len(item.attachments) for item in record.items if not item.redacted)
    ours = {p.name.split("-", 3)[-1]: pages(p) for p in parts[1:]}
    assert {
        k: v for k, v in ours.items() if k in ("places-report.pdf", "places-appendix.pdf", "briefing.pdf")
    } == {
        "places-report.pdf": 2,
        "places-appendix.pdf": 2,
        "briefing.pdf": 1,
    }
    # Continuous page numbers on every page.
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {len(reader.pages)}" in (page.extract_text() or "")


@pytest.mark.libreoffice
def test_public_pack_holds_no_exempt_paper_and_the_confidential_pack_does(meeting: Meeting, packs) -> None:  # type: ignore[no-untyped-def]
    public, confidential = text_of(packs[Audience.PUBLIC]), text_of(packs[Audience.CONFIDENTIAL])
    for secret in (EXEMPT_REPORT, EXEMPT_PDF, meeting.exempt_title, "Tender scores.docx", "Rates.pdf"):
        assert P.normalise(secret) not in public
        assert P.normalise(secret) in confidential
    for shown in (PUBLIC_REPORT, PUBLIC_PDF, "A one page briefing note", "Schedule 12A"):
        assert P.normalise(shown) in public
    folder = jobs.pack_folder(packs[Audience.PUBLIC])
    for part in folder.iterdir():
        assert P.normalise(EXEMPT_REPORT) not in text_of(part)
    with meeting.db.transaction() as s:
        record = build_meeting_record(s, meeting.id, Audience.CONFIDENTIAL)
    papers = sum(len(item.attachments) for item in record.items)
    assert len(list(jobs.pack_folder(packs[Audience.CONFIDENTIAL]).iterdir())) == 1 + papers
    assert len(list(jobs.pack_folder(packs[Audience.PUBLIC]).iterdir())) <= 1 + papers - 2
    assert "Confidential" in (PdfReader(packs[Audience.CONFIDENTIAL]).pages[0].extract_text() or "")


@pytest.mark.libreoffice
def test_the_folder_holds_the_tagged_agenda_and_papers_in_agenda_order(packs) -> None:  # type: ignore[no-untyped-def]
    folder = jobs.pack_folder(packs[Audience.PUBLIC])
    names = sorted(p.name for p in folder.iterdir())
    agenda = PdfReader(folder / names[0])
    root = agenda.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value and "/StructTreeRoot" in root
    report = next(n for n in names if "places-report" in n)
    assert "/StructTreeRoot" in PdfReader(folder / report).trailer["/Root"]  # converted from Word, tagged
    numbers = [int(n.split("-")[0]) for n in names]
    assert numbers == list(range(len(names)))
    assert names.index(report) < names.index(next(n for n in names if "places-appendix" in n))


@pytest.mark.libreoffice
def test_cli_writes_public_minutes_as_a_tagged_pdf(meeting: Meeting, tmp_path: Path) -> None:
    from paperprep.app import main

    minutes = tmp_path / "minutes.pdf"
    assert (
        main(
            [
                "export",
                "minutes",
                "--db",
                str(meeting.db.path),
                "--meeting",
                str(meeting.id),
                "--out",
                str(minutes),
            ]
        )
        == 0
    )
    reader = PdfReader(minutes)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert outline_titles(reader)  # bookmarks from the headings
    assert P.normalise(meeting.exempt_title) not in text_of(minutes)


def test_without_libreoffice_a_pdf_says_how_to_install_it_and_word_still_works(
    meeting: Meeting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(P, "find_libreoffice", lambda: None)
    for export in (jobs.export_agenda, jobs.export_minutes, jobs.export_pack):
        with pytest.raises(ExportError) as failure:
            export(meeting.db, meeting.id, tmp_path / "paper.pdf", Audience.PUBLIC)
        assert "apt install libreoffice-writer-nogui" in str(failure.value)
        assert "libreoffice.org" in str(failure.value)
    assert not list(tmp_path.iterdir())
    assert jobs.libreoffice_missing() == P.LIBREOFFICE_MISSING
    jobs.export_agenda(meeting.db, meeting.id, tmp_path / "agenda.docx", Audience.PUBLIC)
    assert Document(str(tmp_path / "agenda.docx")).paragraphs


def test_a_conversion_that_hangs_is_stopped_with_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeper = tmp_path / "soffice"
    sleeper.write_text("#!/bin/sh\nsleep 30\n")
    sleeper.chmod(0o755)
    monkeypatch.setattr(P, "find_libreoffice", lambda: sleeper)
    source = word_report(tmp_path / "a.docx", "Heading", "Text")
    with pytest.raises(ExportError, match="did not finish converting to PDF within 1 seconds"):
        P.convert_to_pdf([source], tmp_path / "out", timeout=1)


@pytest.mark.libreoffice
def test_pack_refuses_a_public_pack_that_would_hold_an_exempt_paper(tmp_path: Path) -> None:
    agenda = hand_written_pdf(tmp_path / "agenda.pdf", ["1. Public item", "2. Exempt item"])
    secret_lines = [EXEMPT_PDF, EXEMPT_REPORT, "Kestrel Valley Homes asked for a three year term, not five."]
    secret = hand_written_pdf(tmp_path / "secret.pdf", secret_lines)
    # A bug upstream hands an exempt paper in as a public item's paper: the read-back check stops it, whether it
    # is the same file or a copy of its text.
    copy = hand_written_pdf(tmp_path / "copy.pdf", [*secret_lines, "and a page more"])
    for leaked, said in ((secret, "also attached to an exempt item"), (copy, "exempt text")):
        items = [PackItem("1", "Public item", (PackDocument("paper.pdf", leaked),))]
        with pytest.raises(ConfidentialLeakError, match=said):
            write_pack(agenda, items, tmp_path / "pack.pdf", title="Test", exempt_documents=[secret])
        assert not (tmp_path / "pack.pdf").exists()
    # A line the exempt paper shares with a public one (boilerplate) is no leak.
    boilerplate = "Report of the Director of Children's Services"
    shared = hand_written_pdf(tmp_path / "shared.pdf", [boilerplate, "The public paper says something else."])
    items = [PackItem("1", "Public item", (PackDocument("paper.pdf", shared),))]
    other = hand_written_pdf(tmp_path / "other.pdf", [boilerplate, EXEMPT_PDF, EXEMPT_REPORT])
    assert write_pack(agenda, items, tmp_path / "pack.pdf", title="Test", exempt_documents=[other]).pages == 5
    items = [PackItem("1", "Public item", (PackDocument("paper.pdf", secret),))]
    result = write_pack(agenda, items, tmp_path / "pack.pdf", title="Test", confidential=True)
    assert result.pages == 2 + 1 + 3


def test_pack_of_pdfs_alone_needs_no_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(P, "find_libreoffice", lambda: None)
    agenda = hand_written_pdf(tmp_path / "agenda.pdf", ["1. Budget", "2. Parks"])
    items = [
        PackItem(
            "1", "Budget", (PackDocument("budget.pdf", hand_written_pdf(tmp_path / "b.pdf", ["x"] * 3)),)
        ),
        PackItem("2", "Parks"),
        PackItem("3", "Land sale", withheld="Exempt information under paragraph 3."),
    ]
    out = tmp_path / "pack.pdf"
    result = write_pack(agenda, items, out, title="Test", folder=tmp_path / "pack-papers")
    reader = PdfReader(out)
    assert result.pages == len(reader.pages) == 2 + 1 + 3
    assert result.starts == {"1. Budget": 4, "2. Parks": 2, "3. Land sale": 1}
    assert "Page 6 of 6" in (reader.pages[5].extract_text() or "")
    contents = reader.pages[2].extract_text() or ""
    assert "Land sale" in contents and "paragraph 3" in contents
    assert [p.name for p in sorted((tmp_path / "pack-papers").iterdir())] == [
        "00-agenda.pdf",
        "01-item-1-budget.pdf",
    ]


def test_cli_refuses_a_pack_that_is_not_a_pdf(meeting: Meeting, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from paperprep.app import main

    out = tmp_path / "pack.docx"
    assert (
        main(
            ["export", "pack", "--db", str(meeting.db.path), "--meeting", str(meeting.id), "--out", str(out)]
        )
        == 1
    )
    assert "ends in .pdf" in capsys.readouterr().err
    assert not out.exists()


def test_the_store_copy_of_a_paper_is_missing(meeting: Meeting, tmp_path: Path) -> None:
    agenda = hand_written_pdf(tmp_path / "agenda.pdf", ["1. Item"])
    items = [PackItem("1", "Item", (PackDocument("gone.pdf", tmp_path / "nowhere.pdf"),))]
    with pytest.raises(ExportError, match="stored copy of gone.pdf"):
        write_pack(agenda, items, tmp_path / "pack.pdf", title="Test")


def test_the_app_says_how_to_install_libreoffice_before_asking_for_a_file_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from paperprep.ui import dialogs
    from paperprep.ui.export_menu import ExportCommands

    class Host:  # what the Export menu's commands need of the window, before any file is chosen
        def current_meeting_id(self) -> int:
            return 1

        def parent_widget(self) -> None:
            return None

    said: list[str] = []
    monkeypatch.setattr(P, "find_libreoffice", lambda: None)
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, text: said.append(text))
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *_args: pytest.fail("asked for a file name"))
    commands = ExportCommands(Host())  # type: ignore[arg-type]
    for command in (
        commands.agenda_pdf,
        commands.minutes_pdf_public,
        commands.minutes_pdf_confidential,
        commands.pack_public,
        commands.pack_confidential,
    ):
        command()
    assert said == [P.LIBREOFFICE_MISSING] * 5
