"""Excel's cell limit (32,767 characters) and formula safety: a long text is cut with a visible marker, never
silently, and its row still imports; text that starts like a formula is a string with Excel's quote prefix."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from paperprep.db import Database, open_database
from paperprep.domain import ActionStatus, Audience, ResolutionWording
from paperprep.export.actions_xlsx import fit_cell
from paperprep.imports.actions_xlsx import read_action_workbook
from paperprep.ops import exports as jobs
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.action_import import CELL_LIMIT, LONG_TEXT_MARKER, apply_import, plan_import

LONG = " ".join(f"Paragraph {n} of the officer's account of the placements review." for n in range(800))
FACES = "\U0001f600" * 20_000  # 20,000 characters, but 40,000 UTF-16 units: Excel's count


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture
def long_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    assert len(LONG) > CELL_LIMIT and len(FACES) < CELL_LIMIT < _units(FACES)
    db = open_database(tmp_path / "long.sqlite", daily_backup=False)
    with db.transaction() as s:
        c = C.create_committee(s, "Corporate Parenting Board", "CPB")
        m = M.create_meeting(s, c, dt.date(2025, 7, 8), first_minute_number=12)
        item = A.add_item(s, m, "Placements review")
        MI.add_resolution(s, item, ResolutionWording.RESOLVED, LONG, parts=["=SUM(A1:A2)", "+44 1632 960123"])
        long_update = AC.add_action(s, item, "Report on placements", owner="Head of Placements")
        AC.add_update(s, long_update, LONG, dt.date(2025, 7, 20))
        AC.update_action(s, long_update, notes=FACES)
        short = AC.add_action(s, item, LONG, owner="@Director")  # long action text: shown cut, never imported
        AC.add_update(s, short, "Letters sent.", dt.date(2025, 7, 21))
    yield db
    db.close()


def _export(db: Database, tmp_path: Path) -> Path:
    out = tmp_path / "log.xlsx"
    jobs.export_action_log(db, out, status="all", audience=Audience.CONFIDENTIAL, today=dt.date(2025, 8, 20))
    return out


def test_fit_cell_cuts_only_what_is_too_long() -> None:
    assert fit_cell("Short text") == "Short text"
    exact = "x" * CELL_LIMIT
    assert fit_cell(exact) == exact
    cut = fit_cell(exact + "y")
    assert cut.endswith(" " + LONG_TEXT_MARKER) and _units(cut) <= CELL_LIMIT and cut.startswith("x" * 32_000)
    faces = fit_cell(FACES)
    assert _units(faces) <= CELL_LIMIT and faces.endswith(LONG_TEXT_MARKER)
    assert set(faces[: -len(LONG_TEXT_MARKER) - 1]) == {"\U0001f600"}  # no character cut in half


def test_long_text_is_cut_with_a_marker_and_the_row_still_imports(long_db, tmp_path: Path) -> None:
    out = _export(long_db, tmp_path)
    ws = load_workbook(out)["Actions"]
    header = [c.value for c in ws[1]]
    col = {name: n for n, name in enumerate(header)}
    rows = {r[col["paperprep id"]].value: r for r in ws.iter_rows(min_row=2)}
    first, second = rows[1], rows[2]
    update, notes, action = (
        first[col["Latest update"]].value,
        first[col["Notes"]].value,
        second[col["Action"]].value,
    )
    for text in (update, notes, action):
        assert _units(text) <= CELL_LIMIT and text.endswith(LONG_TEXT_MARKER)
    assert update.startswith(LONG[:30_000])
    # The officers change the status of the long row and add an update to the other one.
    first[col["Status"]].value = "Done"
    second[col["Latest update"]].value = "Placements list checked."
    ws.parent.save(out)
    with long_db.transaction() as s:
        plan = plan_import(s, read_action_workbook(out))
        assert not plan.problems and not plan.conflicts
        summary = sorted((c.row, f.field, str(f.new)) for c in plan.changes for f in c.changes)
        assert summary == [(2, "status", "done"), (3, "update", "Placements list checked.")]
        assert apply_import(s, plan) == 2
    with long_db.transaction() as s:
        report = AC.get_action(s, 1)
        assert report.status is ActionStatus.DONE
        assert [u.text for u in report.updates] == [LONG]  # the cut copy was not taken as a new update
        assert report.notes == FACES


def test_an_officer_who_replaces_a_long_update_is_heard(long_db, tmp_path: Path) -> None:
    out = _export(long_db, tmp_path)
    book = load_workbook(out)
    ws = book["Actions"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Latest update") + 1).value = "Review finished; report in October."
    book.save(out)
    with long_db.transaction() as s:
        plan = plan_import(s, read_action_workbook(out))
    assert [(c.row, c.changes[0].field) for c in plan.changes] == [(2, "update")]


def test_text_that_starts_like_a_formula_is_quoted_text(long_db, tmp_path: Path) -> None:
    log = _export(long_db, tmp_path)
    register = tmp_path / "decisions.xlsx"
    jobs.export_decisions(long_db, register, audience=Audience.CONFIDENTIAL)
    for path in (log, register):
        with zipfile.ZipFile(path) as package:
            sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/")]
        assert all("<f>" not in sheet for sheet in sheets)
    owner = next(
        c for row in load_workbook(log)["Actions"].iter_rows(min_row=2) for c in row if c.value == "@Director"
    )
    assert owner.data_type == "s" and owner.quotePrefix
    ws = load_workbook(register)["Decisions"]
    parts = ws.cell(row=2, column=7)
    assert parts.value == "(1) =SUM(A1:A2)\n(2) +44 1632 960123" and not parts.quotePrefix
    decision = ws.cell(row=2, column=6).value
    assert decision.endswith(LONG_TEXT_MARKER) and _units(decision) <= CELL_LIMIT
    assert ws.cell(row=2, column=4).value == "Placements review" and not ws.cell(row=2, column=4).quotePrefix
