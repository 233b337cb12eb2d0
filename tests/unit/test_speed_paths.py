"""The fast roads give what the slow ones gave: the action log read with Core, Word paragraphs built as XML, the
leak check read a piece at a time, the action log sorted by the table model; and a full disk said plainly."""

from __future__ import annotations

import errno
import html
import io
import random
import re
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperprep.blocks import Block, BlockKind, Run
from paperprep.db import open_database
from paperprep.domain import Audience
from paperprep.errors import ConfidentialLeakError, DiskFullError
from paperprep.export import safety
from paperprep.ops.base import Workbench
from paperprep.ops.meetings import LoadDemo
from paperprep.services.actions import ActionFilter, action_log_records, list_actions
from paperprep.services.snapshot import action_records

FILTERS = (
    ActionFilter(),
    ActionFilter(status="open"),
    ActionFilter(status="done"),
    ActionFilter(status="overdue"),
    ActionFilter(status="all", text="the"),
    ActionFilter(status="all", owner="a"),
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("speed") / "demo.sqlite"
    db = open_database(path, daily_backup=False)
    try:
        Workbench(db).run(LoadDemo())
    finally:
        db.close()
    return path


def _generated(demo: Path, folder: Path, seed: int) -> Path:
    """The demo with many more actions and updates, made at random: every status and RAG, no due date, items
    without a minute number, exempt items with and without a public title, and each numbering scheme."""
    path = folder / f"generated-{seed}.sqlite"
    path.write_bytes(demo.read_bytes())
    rnd = random.Random(seed)
    with closing(sqlite3.connect(path)) as conn, conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(actions)") if row[1] != "id"]
        source = conn.execute(f"SELECT {', '.join(columns)} FROM actions").fetchall()
        items = [row[0] for row in conn.execute("SELECT id FROM agenda_items")]
        numbers: dict[int, int] = {}
        for _ in range(400):
            row = dict(zip(columns, rnd.choice(source), strict=True))
            item = rnd.choice(items)
            numbers[item] = numbers.get(item, 100) + 1
            row.update(
                item_id=item,
                number=numbers[item],
                text=f"Action {rnd.random():.6f} on the {rnd.choice(['plan', 'report', 'visit'])}",
                owner=rnd.choice(["", "Sue Butcher", "Head of Housing", "Amir Khan"]),
                due_date=rnd.choice(
                    [None, f"20{rnd.randint(20, 27)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"]
                ),
                status=rnd.choice(["open", "in_progress", "done", "cancelled"]),
                rag=rnd.choice(["none", "green", "amber", "red"]),
                version=rnd.randint(1, 9),
            )
            cursor = conn.execute(
                f"INSERT INTO actions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [row[c] for c in columns],
            )
            for _ in range(rnd.choice([0, 0, 1, 2, 5])):
                conn.execute(
                    "INSERT INTO action_updates (action_id, date, text) VALUES (?, ?, ?)",
                    (
                        cursor.lastrowid,
                        f"202{rnd.randint(0, 6)}-0{rnd.randint(1, 9)}-2{rnd.randint(0, 8)}",
                        f"Update {rnd.random():.5f}",
                    ),
                )
        for item in rnd.sample(items, len(items) // 4):
            conn.execute(
                "UPDATE agenda_items SET is_exempt = 1, public_title = ? WHERE id = ?",
                (rnd.choice(["", "Exempt item", "A staffing matter"]), item),
            )
        for item in rnd.sample(items, len(items) // 10):
            conn.execute("UPDATE agenda_items SET minute_number = NULL WHERE id = ?", (item,))
        conn.execute("UPDATE committees SET year_start_month = ? WHERE id = 1", (rnd.randint(1, 12),))
    return path


def _assert_same_records(path: Path) -> int:
    db = open_database(path, daily_backup=False)
    compared = 0
    try:
        for flt in FILTERS:
            for audience in (Audience.CONFIDENTIAL, Audience.PUBLIC):
                with db.transaction() as session:
                    expected = action_records(list_actions(session, flt), audience)
                with db.transaction() as session:
                    actual = action_log_records(session, flt, audience)
                assert actual == expected, (flt, audience)
                compared += len(actual)
    finally:
        db.close()
    return compared


def test_the_action_log_read_with_core_is_the_orm_read_on_the_demo(demo: Path) -> None:
    assert _assert_same_records(demo) > 0


@pytest.mark.parametrize("seed", [1, 2])
def test_the_action_log_read_with_core_is_the_orm_read_on_generated_data(
    demo: Path, tmp_path: Path, seed: int
) -> None:
    path = _generated(demo, tmp_path, seed)
    assert _assert_same_records(path) > 2000
    with closing(sqlite3.connect(path)) as conn:
        updates = conn.execute(
            "SELECT count(*) FROM (SELECT action_id FROM action_updates GROUP BY action_id HAVING count(*) > 1)"
        ).fetchone()[0]
        exempt = conn.execute("SELECT count(*) FROM agenda_items WHERE is_exempt").fetchone()[0]
    assert updates > 10 and exempt > 3  # the data holds what the comparison is about


# -- Word paragraphs -------------------------------------------------------------------------------------------


def _by_python_docx(
    doc: Any, text: str, style: str, bold: bool, num: tuple[int, int] | None, keep: bool
) -> Any:
    """The paragraph as python-docx's own API writes it (the road the builder took before)."""
    from docx.enum.style import WD_STYLE_TYPE

    from paperprep.export.docx_common import keep_with_next

    paragraph = doc.doc.add_paragraph()
    paragraph._p.style = doc.doc.part.get_style_id(doc.style(style), WD_STYLE_TYPE.PARAGRAPH)
    if text:
        run = paragraph.add_run(safety.clean_xml_text(text))
        run.bold = bold or None
    if num is not None:
        doc._number(paragraph, *num)
    if keep:
        keep_with_next(paragraph)
    return paragraph


TEXTS = st.text(
    alphabet=st.sampled_from(list("ab Z\t\n\r  .&<>\"'\u00e9\u2013\x01\ud800")), min_size=0, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(
    text=TEXTS,
    style=st.sampled_from(["Normal", "PP Body", "PP Lettered", "No such style"]),
    bold=st.booleans(),
    keep=st.booleans(),
    number=st.none() | st.tuples(st.integers(1, 9), st.integers(0, 1)),
    runs=st.lists(st.tuples(TEXTS, st.booleans(), st.booleans()), max_size=3),
)
def test_a_paragraph_built_as_xml_is_what_python_docx_writes(
    text: str, style: str, bold: bool, keep: bool, number: tuple[int, int] | None, runs: list[Any]
) -> None:
    from lxml import etree

    from paperprep.export.docx_common import DocBuilder

    doc = DocBuilder()
    ours = doc.paragraph(text, style, bold, keep_next=keep, number=number)
    doc.runs(ours, runs)
    theirs = _by_python_docx(doc, text, style, bold, number, keep)
    for part, b, i in runs:
        run = theirs.add_run(safety.clean_xml_text(part))
        if b:
            run.bold = True
        if i:
            run.italic = True
    assert etree.tostring(ours._p) == etree.tostring(theirs._p)
    assert ours._p.getnext() is theirs._p  # in the body, in order, before the section properties
    assert doc.doc.element.body[-1].tag.endswith("sectPr")


def test_minutes_blocks_keep_their_lists_and_formatting() -> None:
    from paperprep.export.docx_common import DocBuilder

    doc = DocBuilder()
    blocks = [
        Block(BlockKind.LETTERED, (Run("first", bold=True),)),
        Block(BlockKind.LETTERED, (Run("second", italic=True),)),
        Block(BlockKind.BULLET, (Run("point"),), level=1),
        Block(BlockKind.PARAGRAPH, (Run(" spaced "),)),
    ]
    lettered = doc.blocks(blocks)
    assert lettered is None  # the narrative paragraph ended the lettering
    paragraphs = doc.doc.paragraphs
    assert [p.text for p in paragraphs] == ["first", "second", "point", " spaced "]
    first, second, bullet, narrative = (p._p for p in paragraphs)
    assert first.pPr.numPr.numId.val == second.pPr.numPr.numId.val != bullet.pPr.numPr.numId.val
    assert bullet.pPr.numPr.ilvl.val == 1 and narrative.pPr.numPr is None
    assert paragraphs[0].runs[0].bold and paragraphs[1].runs[0].italic
    assert narrative.r_lst[0].t_lst[0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


# -- the leak check, a piece at a time -------------------------------------------------------------------------


WORDS = ["Smith", "Smithson", "Ash Road", "ash", "road", "The", "plan", "é", "x_y", "-", "(", ")", "&", "'"]
TAGS = [
    "<w:p>",
    "</w:p>",
    "<w:r>",
    "</w:r>",
    '<w:t xml:space="preserve">',
    "</w:t>",
    "<w:tab/>",
    '<c r="A1">',
    "</c>",
    "<v>",
    "</v>",
    "<si>",
    "</si>",
    "<w:br/>",
    "\n",
    " ",
]


@st.composite
def parts(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(st.sampled_from(WORDS + TAGS) | st.sampled_from(WORDS).map(html.escape), max_size=60)
    )
    return '<?xml version="1.0"?><doc>' + "".join(pieces) + "</doc>"


def _package(xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", xml)
        package.writestr(
            "docProps/core.xml", "<cp:coreProperties><dc:title>Agenda</dc:title></cp:coreProperties>"
        )
    return buffer.getvalue()


def _whole_text_verdict(xml: str, forbidden: list[str]) -> str | None:
    """What the check found when it read each part whole: the first phrase found in the whole normalised text."""
    for text in (safety.xml_text(xml), safety.xml_text("<dc:title>Agenda</dc:title>")):
        found = safety.find_phrase(text, forbidden)
        if found is not None:
            return found
    return None


@settings(max_examples=200, deadline=None)
@given(
    xml=parts(),
    chosen=st.lists(st.sampled_from(WORDS + ["smith road", "the plan"]), max_size=3),
    cut=st.tuples(st.integers(0, 30), st.integers(1, 4)),
    chunk=st.integers(1, 40),
)
def test_the_leak_check_in_pieces_finds_what_the_whole_text_check_found(
    xml: str, chosen: list[str], cut: tuple[int, int], chunk: int
) -> None:
    words = safety.xml_text(xml).split()
    start, length = cut
    if start < len(words):  # a phrase the text holds, most often across a tag and so across pieces
        chosen = [*chosen, " ".join(words[start : start + length])]
    forbidden = safety.forbidden_phrases(chosen)
    data = _package(xml)
    expected = _whole_text_verdict(xml, forbidden)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(safety, "_CHUNK", chunk)  # pieces of a few characters: every cut is tried
        assert safety.package_text(data)["word/document.xml"] == safety.xml_text(xml)
        if expected is None:
            safety.check_no_leak(data, forbidden)
        else:
            with pytest.raises(
                ConfidentialLeakError, match=f"\u201c{re.escape(safety.shown(expected))}\u201d"
            ):
                safety.check_no_leak(data, forbidden)


@pytest.mark.parametrize("many", [False, True])
def test_a_phrase_across_two_pieces_is_found_and_a_longer_word_is_not(
    monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    monkeypatch.setattr(safety, "_CHUNK", 7)
    padding = [f"zzq{n} qqz{n}" for n in range(70 if many else 0)]  # enough phrases for the word filter
    leak = _package("<doc><w:p><w:r><w:t>The Ash</w:t></w:r><w:r><w:t> Road plan</w:t></w:r></w:p></doc>")
    with pytest.raises(ConfidentialLeakError, match="ash road"):
        safety.check_no_leak(leak, safety.forbidden_phrases(["Ash Road", *padding]))
    longer = _package("<doc><w:p><w:r><w:t>Mr Smith</w:t></w:r><w:r><w:t>son came</w:t></w:r></w:p></doc>")
    safety.check_no_leak(longer, safety.forbidden_phrases(["Smith", *padding]))


def test_an_unreadable_package_is_refused() -> None:
    with pytest.raises(ConfidentialLeakError, match="could not be read back"):
        safety.check_no_leak(b"not a zip file", ["secret phrase"])


def test_a_full_disk_is_said_plainly_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "minutes.docx"
    target.write_bytes(b"the earlier file")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safety.os, "fsync", full)
    with pytest.raises(DiskFullError, match="The disk is full") as caught:
        safety.safe_write(target, b"new content")
    assert "minutes.docx" in str(caught.value)
    assert target.read_bytes() == b"the earlier file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.docx"]  # the partial file is gone


# -- the action log's order ------------------------------------------------------------------------------------


def test_the_action_log_sorted_by_the_model_is_the_proxys_order(
    qtbot: Any, demo: Path, tmp_path: Path
) -> None:
    from PySide6.QtCore import QPersistentModelIndex, QSortFilterProxyModel, Qt

    from paperprep.ui.action_log import ModelSortedProxy
    from paperprep.ui.models import SORT_ROLE, ActionsModel

    db = open_database(_generated(demo, tmp_path, 3), daily_backup=False)
    try:
        with db.transaction() as session:
            rows = action_log_records(session, ActionFilter())
    finally:
        db.close()
    plain, ours = ActionsModel(), ActionsModel()
    reference = QSortFilterProxyModel()  # the proxy sorting the action log did before: Qt's stable sort
    reference.setSortRole(SORT_ROLE)
    reference.setSourceModel(plain)
    proxy = ModelSortedProxy()
    proxy.setSourceModel(ours)
    plain.set_rows(rows)
    ours.set_rows(rows)
    for column in range(ours.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            reference.sort(column, order)
            proxy.sort(column, order)
            expected = [
                plain.rows[reference.mapToSource(reference.index(r, 0)).row()].id
                for r in range(reference.rowCount())
            ]
            shown = [
                ours.rows[proxy.mapToSource(proxy.index(r, 0)).row()].id for r in range(proxy.rowCount())
            ]
            assert shown == expected, (column, order)
    # New rows arrive in the order asked for, and a held row stays held through a re-sort.
    proxy.sort(ActionsModel.DUE_COLUMN, Qt.SortOrder.AscendingOrder)
    ours.set_rows(list(reversed(rows)))
    keys = [ours.sort_key(row, ActionsModel.DUE_COLUMN) for row in ours.rows]
    assert keys == sorted(keys) and len(keys) == len(rows)
    persistent = QPersistentModelIndex(ours.index(5, 0))
    chosen = ours.rows[5]
    proxy.sort(ActionsModel.TEXT_COLUMN, Qt.SortOrder.DescendingOrder)
    assert ours.rows[persistent.row()] is chosen
