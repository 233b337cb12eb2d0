"""Word agendas and minutes, read back with python-docx and unzipped part by part."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperprep import blocks as B
from paperprep.domain import Audience
from paperprep.errors import ConfidentialLeakError, ExportError
from paperprep.export import docx_styles as S
from paperprep.export.docx_common import default_template
from paperprep.export.minutes_docx import write_minutes
from paperprep.export.safety import forbidden_phrases, package_text
from paperprep.ops import exports as jobs
from paperprep.services import agenda as A
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.meetings import list_meetings
from paperprep.services.snapshot import build_meeting_record, exempt_texts


def all_text(path: Path) -> str:
    return " ".join(package_text(path.read_bytes()).values())


def meeting_ids(db) -> list[int]:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return [m.id for m in list_meetings(s)]


def exempt(db, meeting_id: int) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return exempt_texts(s, meeting_id)


def test_every_demo_meeting_exports_in_both_audiences(demo_db, tmp_path: Path) -> None:
    checked_exempt = 0
    for meeting_id in meeting_ids(demo_db):
        titles, texts = exempt(demo_db, meeting_id)
        for kind, export in (("agenda", jobs.export_agenda), ("minutes", jobs.export_minutes)):
            public = tmp_path / f"{kind}-{meeting_id}-public.docx"
            confidential = tmp_path / f"{kind}-{meeting_id}-confidential.docx"
            assert export(demo_db, meeting_id, public, Audience.PUBLIC) == []
            assert export(demo_db, meeting_id, confidential, Audience.CONFIDENTIAL) == []
            public_text, confidential_text = all_text(public), all_text(confidential)
            # Every specific exempt phrase is absent from every part of the public file...
            for phrase in forbidden_phrases(titles, texts):
                assert phrase not in public_text
            # ...and the confidential file holds all of it: the agenda its titles and purposes, the minutes the
            # words of the minute and of its decisions.
            with demo_db.transaction() as s:
                record = build_meeting_record(s, meeting_id, Audience.CONFIDENTIAL)
            for item in record.part_b:
                wanted = (
                    [item.title, item.purpose]
                    if kind == "agenda"
                    else [item.title, *(b.text for b in item.blocks), *(r.text for r in item.resolutions)]
                )
                for text in filter(None, wanted):
                    assert " ".join(text.split()).casefold() in confidential_text
                    checked_exempt += 1
            assert Document(str(public)).core_properties.title
    assert checked_exempt > 5


def _minutes(db, tmp_path: Path, audience: Audience = Audience.CONFIDENTIAL) -> tuple[Path, int]:  # type: ignore[no-untyped-def]
    def lettered_minutes(meeting_id: int) -> int:
        with db.transaction() as s:
            record = build_meeting_record(s, meeting_id, Audience.CONFIDENTIAL)
        return sum(any(b.kind is B.BlockKind.LETTERED for b in i.blocks) for i in record.items)

    # A meeting with an exempt item and lettered paragraphs in more than one minute.
    meeting_id = next(m for m in meeting_ids(db) if len(exempt(db, m)[1]) > 2 and lettered_minutes(m) >= 2)
    out = tmp_path / f"minutes-{audience.value}.docx"
    jobs.export_minutes(db, meeting_id, out, audience)
    return out, meeting_id


def test_a4_title_language_and_styles(demo_db, tmp_path: Path) -> None:
    out, meeting_id = _minutes(demo_db, tmp_path)
    doc = Document(str(out))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.1) and abs(section.page_height - Cm(29.7)) < Cm(0.1)
    assert doc.core_properties.title.startswith("Minutes of the ")
    assert doc.core_properties.language == "en-GB"
    lang = (
        doc.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == "en-GB"
    used = {p.style.name for p in doc.paragraphs}
    assert {S.TITLE, S.HEADING, S.MINUTE_HEADING, S.BODY, S.LETTERED, S.RESOLUTION, S.RESOLUTION_PART} <= used
    assert all(p.text.strip() or p._p.find(qn("w:pPr")) is not None for p in doc.paragraphs)
    assert not [p for p in doc.paragraphs if not p.text.strip() and not p._p.xpath(".//w:fldSimple")]
    # Declarations are sentences, as published minutes write them; tables hold actions and inspection facts.
    with_actions = tmp_path / "with-actions.docx"
    jobs.export_minutes(demo_db, meeting_id, with_actions, Audience.CONFIDENTIAL, show_actions=True)
    table = Document(str(with_actions)).tables[0]
    assert table.style.name == S.TABLE
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # Headings come in order: no level is skipped.
    levels = [
        int(p.style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")))
        for p in doc.paragraphs
        if p.style.element.pPr is not None and p.style.element.pPr.find(qn("w:outlineLvl")) is not None
    ]
    assert levels[0] == 0 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_lettering_is_real_numbering_restarting_in_each_minute(demo_db, tmp_path: Path) -> None:
    out, _ = _minutes(demo_db, tmp_path)
    doc = Document(str(out))
    numbering = doc.part.numbering_part.element
    minutes: list[list[int]] = []
    for p in doc.paragraphs:
        if p.style.name == S.MINUTE_HEADING:
            minutes.append([])
        elif p.style.name == S.LETTERED:
            assert not p.text.startswith("(")  # letters come from the list, never typed
            num_id = int(p._p.pPr.numPr.numId.val)
            minutes[-1].append(num_id)
    lettered = [ids for ids in minutes if ids]
    assert len(lettered) >= 2
    firsts = [ids[0] for ids in lettered]
    assert len(set(firsts)) == len(firsts), "each minute has its own list"
    for num_id in firsts:
        num = next(n for n in numbering.findall(qn("w:num")) if int(n.get(qn("w:numId"))) == num_id)
        assert num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        abstract = next(
            a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id
        )
        level = abstract.find(qn("w:lvl"))
        assert level.find(qn("w:numFmt")).get(qn("w:val")) == "lowerLetter"
        assert level.find(qn("w:lvlText")).get(qn("w:val")) == "(%1)"
    bullets = [p for p in doc.paragraphs if p.style.name in (S.BULLET, S.BULLET_2)]
    assert all(p._p.pPr.numPr is not None for p in bullets)


def test_public_minutes_show_only_the_neutral_title(demo_db, tmp_path: Path) -> None:
    out, meeting_id = _minutes(demo_db, tmp_path, Audience.PUBLIC)
    text = all_text(out)
    assert "residential placements framework: contract award" not in text
    assert "exempt information under paragraph 3 of part 1 of schedule 12a" in text
    assert "harbour care" not in text


def test_leak_check_refuses_and_writes_nothing(demo_db, tmp_path: Path) -> None:
    meeting_id = next(m for m in meeting_ids(demo_db) if len(exempt(demo_db, m)[1]) > 2)
    with demo_db.transaction() as s:
        record = build_meeting_record(s, meeting_id, Audience.PUBLIC)
        titles, texts = exempt_texts(s, meeting_id)
    secret = next(t for t in texts if len(t) > 40)
    # A clerk pastes confidential text into a public item by mistake: the check catches it.
    leaked = record.items[5].__class__(
        **{
            **{f: getattr(record.items[5], f) for f in record.items[5].__slots__},
            "blocks": (B.paragraph(secret),),
        }
    )
    record = record.__class__(
        **{
            **{f: getattr(record, f) for f in record.__slots__},
            "items": (*record.items[:5], leaked, *record.items[6:]),
        }
    )
    out = tmp_path / "leak.docx"
    with pytest.raises(ConfidentialLeakError, match="exempt text"):
        write_minutes(record, out, forbidden_texts=forbidden_phrases(titles, texts))
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_locked_target_keeps_the_old_file_and_leaves_no_partial_file(
    demo_db, tmp_path: Path, monkeypatch
) -> None:
    meeting_id = meeting_ids(demo_db)[0]
    out = tmp_path / "minutes.docx"
    out.write_bytes(b"the old file")

    def locked(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError, match="open in another program or is read-only"):
        jobs.export_minutes(demo_db, meeting_id, out)
    assert out.read_bytes() == b"the old file"
    assert [p.name for p in tmp_path.iterdir()] == ["minutes.docx"]


def test_target_that_is_a_folder_gets_a_sentence(demo_db, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        jobs.export_agenda(demo_db, meeting_ids(demo_db)[0], tmp_path)


def test_template_with_renamed_style_and_logo(demo_db, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    logo = tmp_path / "logo.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    assert image.save(str(logo))
    template = Document(str(default_template()))
    template.styles[S.RESOLUTION].name = "Council Decision"
    template.sections[0].header.paragraphs[0].add_run().add_picture(str(logo), width=Cm(3))
    council = tmp_path / "council.docx"
    template.save(str(council))
    out = tmp_path / "with-logo.docx"
    warnings = jobs.export_minutes(demo_db, meeting_ids(demo_db)[1], out, Audience.PUBLIC, council)
    assert any("PP Resolution" in w for w in warnings)
    doc = Document(str(out))
    header = doc.sections[0].header
    assert header._element.xpath(".//pic:pic")
    with zipfile.ZipFile(out) as package:
        assert any(name.startswith("word/media/") for name in package.namelist())


def _word_safe(text: str) -> bool:
    return bool(text.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=60).filter(_word_safe))
def test_characters_xml_cannot_hold_are_cleaned(demo_db, tmp_path_factory, text: str) -> None:
    meeting_id = meeting_ids(demo_db)[-1]
    with demo_db.transaction() as s:
        item = A.ordered_items(M.get_meeting(s, meeting_id))[-1]
        MI.set_body(s, item, [B.paragraph(text + "\x00\x0b\ud800 end")])
    out = tmp_path_factory.mktemp("x") / "odd.docx"
    jobs.export_minutes(demo_db, meeting_id, out, Audience.CONFIDENTIAL)
    assert Document(str(out)).paragraphs


def test_cli_export_commands(demo_db, tmp_path: Path, capsys) -> None:
    from paperprep.app import main

    meeting_id = meeting_ids(demo_db)[0]
    out = tmp_path / "cli.docx"
    assert (
        main(["export", "agenda", "--db", str(demo_db.path), "--meeting", str(meeting_id), "--out", str(out)])
        == 0
    )
    assert Document(str(out)).core_properties.title.startswith("Agenda of the ")
    assert main(["export", "minutes", "--db", str(demo_db.path), "--meeting", "999", "--out", str(out)]) == 1
    assert "no meeting with id 999" in capsys.readouterr().err


def test_cancelling_writes_nothing(demo_db, tmp_path: Path) -> None:
    from paperprep.errors import ExportCancelled

    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < 3

    out = tmp_path / "cancelled.docx"
    with pytest.raises(ExportCancelled):
        jobs.export_minutes(demo_db, meeting_ids(demo_db)[0], out, progress=progress)
    assert not out.exists() and len(calls) == 3
