"""The Excel action log: its structure read back with openpyxl, formula safety, and the officers' round trip."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from paperprep.app import main
from paperprep.db import open_database
from paperprep.domain import ActionStatus, Audience, ResolutionWording
from paperprep.imports.actions_xlsx import read_action_workbook
from paperprep.ops import exports as jobs
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.action_import import apply_import, describe_plan, plan_import
from tests_support import to_pdf

HOSTILE = ['=HYPERLINK("http://example.invalid","click")', "+44 1632 960123", "-1 day late", "@SUM(A1:A2)"]


@pytest.fixture
def log_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "log.sqlite", daily_backup=False)
    with db.transaction() as s:
        c = C.create_committee(s, "Children's Services Scrutiny Committee", "CSSC")
        m = M.create_meeting(s, c, dt.date(2025, 7, 8), first_minute_number=57)
        item = A.add_item(s, m, "Ofsted focused visit")
        res = MI.add_resolution(s, item, ResolutionWording.RESOLVED, "to note the information")
        for n, (text, owner) in enumerate(
            [
                ("Circulate the Ofsted letter", "Sue Butcher"),
                ("Audit supervision records", "Head of Quality"),
                ("Refresh the improvement plan", "Sue Butcher"),
                (HOSTILE[0], HOSTILE[1]),
            ]
        ):
            action = AC.add_action(
                s,
                item,
                text,
                owner=owner,
                due_date=dt.date(2025, 8, 1) + dt.timedelta(days=30 * n),
                resolution=res,
            )
            AC.update_action(s, action, notes=HOSTILE[2] if n == 3 else "")
        AC.add_update(s, action, HOSTILE[3], dt.date(2025, 7, 20))
        secret = A.add_item(s, m, "Residential placements contract award")
        A.set_exempt(s, secret, (3,), "Placements contract")
        AC.add_action(s, secret, "Negotiate the Harbour Care Ltd price", owner="Imran Khan")
    yield db
    db.close()


def export(db, tmp_path: Path, audience: Audience = Audience.CONFIDENTIAL) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / f"actions-{audience.value}.xlsx"
    jobs.export_action_log(db, out, status="all", audience=audience, today=dt.date(2025, 8, 20))
    return out


def test_workbook_structure(log_db, tmp_path: Path) -> None:
    out = export(log_db, tmp_path)
    book = load_workbook(out)
    ws = book["Actions"]
    assert list(ws.tables) == ["ActionLog"]
    table = ws.tables["ActionLog"]
    assert table.ref == "A1:R6" and table.autoFilter is not None
    assert ws.freeze_panes == "A2"
    assert ws["A2"].value == "CSSC 57/25-26/1"
    assert ws["C2"].is_date and ws["H2"].is_date and ws["H2"].number_format == "DD/MM/YYYY"
    assert ws["H2"].value.date() == dt.date(2025, 8, 1)
    validations = {v.formula1 for v in ws.data_validations.dataValidation}
    assert '"Open,In progress,Done,Cancelled"' in validations and '"Green,Amber,Red"' in validations
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    formulas = " ".join(f for rule in rules for f in rule.formula)
    assert len(rules) == 3 and formulas.count("TODAY()") >= 3 and '"Done"' in formulas
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert "Page &P of &N" in ws.oddFooter.right.text
    assert (
        ws.column_dimensions["O"].hidden
        and ws.column_dimensions["R"].hidden
        and not ws.column_dimensions["N"].hidden
    )
    assert ws["N1"].value == "From finding"
    summary = book["Summary"]
    assert summary._charts and summary._charts[0].tagname == "barChart"
    counts = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=2).value for r in range(4, 8)}
    assert counts["Open"] == 5


def test_hostile_text_is_stored_as_text(log_db, tmp_path: Path) -> None:
    out = export(log_db, tmp_path)
    with zipfile.ZipFile(out) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
        summary = package.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet and "<f>" not in summary
    ws = load_workbook(out)["Actions"]
    values = {c.value for row in ws.iter_rows(min_row=2) for c in row}
    for text in HOSTILE:
        assert text in values
    assert all(c.data_type == "s" for row in ws.iter_rows(min_row=2) for c in row if c.value in HOSTILE)


def test_public_log_has_nothing_from_exempt_items(log_db, tmp_path: Path) -> None:
    public = export(log_db, tmp_path, Audience.PUBLIC)
    with zipfile.ZipFile(public) as package:
        text = " ".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    assert "Harbour Care" not in text and "Residential placements" not in text
    assert "Harbour Care" in " ".join(
        str(c.value) for row in load_workbook(export(log_db, tmp_path))["Actions"].iter_rows() for c in row
    )


def _edit(out: Path, edit) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(out)
    ws = book["Actions"]
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    edit(header, rows)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value
    book.save(out)


def test_round_trip(log_db, tmp_path: Path, capsys) -> None:
    out = export(log_db, tmp_path)

    def officers(header, rows) -> None:  # type: ignore[no-untyped-def]
        col = {name: n for n, name in enumerate(header)}
        by_text = {r[col["Action"]]: r for r in rows}
        by_text["Circulate the Ofsted letter"][col["Status"]] = "Done"
        by_text["Audit supervision records"][col["Status"]] = "In progress"
        by_text["Audit supervision records"][col["Latest update"]] = (
            "40 records sampled; report in September."
        )
        by_text["Audit supervision records"][col["Update date"]] = dt.datetime(2025, 8, 18)
        rows.sort(key=lambda r: str(r[col["Owner"]]))  # officers sort by owner before sending it back

    _edit(out, officers)
    assert main(["import", "actions", "--db", str(log_db.path), str(out), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    with log_db.transaction() as s:
        plan = plan_import(s, read_action_workbook(out))
    assert printed.strip() == describe_plan(plan)
    summary = sorted((c.reference, f.field, str(f.new)) for c in plan.changes for f in c.changes)
    assert summary == [
        ("CSSC 57/25-26/1", "status", "done"),
        ("CSSC 57/25-26/2", "status", "in_progress"),
        ("CSSC 57/25-26/2", "update", "40 records sampled; report in September."),
    ]
    assert not plan.conflicts and not plan.problems
    with log_db.transaction() as s:
        before = {a.text: a.status for a in AC.list_actions(s, AC.ActionFilter())}
    assert before["Circulate the Ofsted letter"] is ActionStatus.OPEN  # the dry run changed nothing
    assert main(["import", "actions", "--db", str(log_db.path), str(out)]) == 0
    with log_db.transaction() as s:
        after = {a.text: a for a in AC.list_actions(s, AC.ActionFilter())}
        assert after["Circulate the Ofsted letter"].status is ActionStatus.DONE
        audit = after["Audit supervision records"]
        assert audit.status is ActionStatus.IN_PROGRESS
        assert [(u.date, u.text) for u in audit.updates] == [
            (dt.date(2025, 8, 18), "40 records sampled; report in September.")
        ]
        assert after["Refresh the improvement plan"].status is ActionStatus.OPEN


def test_conflict_is_left_for_the_clerk(log_db, tmp_path: Path) -> None:
    out = export(log_db, tmp_path)
    with log_db.transaction() as s:
        action = next(a for a in AC.list_actions(s, AC.ActionFilter()) if a.number == 1)
        AC.update_action(s, action, status=ActionStatus.CANCELLED)
        # Changed in paperprep after the export (the stamp has one-second steps, so move it on explicitly).
        action.updated_at = dt.datetime.now().replace(microsecond=0) + dt.timedelta(seconds=5)

    def officers(header, rows) -> None:  # type: ignore[no-untyped-def]
        col = {name: n for n, name in enumerate(header)}
        rows[0][col["Status"]] = "Done"

    _edit(out, officers)
    with log_db.transaction() as s:
        plan = plan_import(s, read_action_workbook(out))
        assert [c.reference for c in plan.conflicts] == ["CSSC 57/25-26/1"] and not plan.changes
        assert "Conflicts" in describe_plan(plan)
        assert apply_import(s, plan) == 0
    with log_db.transaction() as s:
        assert AC.get_action(s, plan.conflicts[0].action_id).status is ActionStatus.CANCELLED
        assert apply_import(s, plan, {plan.conflicts[0].action_id: "theirs"}) == 1
    with log_db.transaction() as s:
        assert AC.get_action(s, plan.conflicts[0].action_id).status is ActionStatus.DONE


def test_malformed_rows_are_reported_and_the_rest_imports(log_db, tmp_path: Path) -> None:
    out = export(log_db, tmp_path)

    def officers(header, rows) -> None:  # type: ignore[no-untyped-def]
        col = {name: n for n, name in enumerate(header)}
        rows[0][col["Status"]] = "Finished"  # row 2: a status typed wrong
        rows[1][col["Due date"]] = "next week"  # row 3: a date typed as text
        rows[2][col["Status"]] = "Done"  # row 4: a good change
        pasted = [None] * len(header)
        pasted[col["Action"]], pasted[col["Status"]] = "Pasted from another log", "Open"
        rows.append(pasted)  # row 7 (after the five exported rows): no id
        copy = list(rows[2])
        rows.append(copy)  # row 8: the same action twice
        forged = list(rows[3])
        forged[col["paperprep id"]] = 999
        rows.append(forged)  # row 9: an edited id

    _edit(out, officers)
    with log_db.transaction() as s:
        plan = plan_import(s, read_action_workbook(out))
        problems = {p.row: p.message for p in plan.problems}
        assert sorted(problems) == [2, 3, 7, 8, 9]
        assert "Finished" in problems[2] and "next week" in problems[3] and "no paperprep id" in problems[7]
        assert "repeats" in problems[8] and "changed" in problems[9]
        assert [(c.row, c.changes[0].new) for c in plan.changes] == [(4, ActionStatus.DONE)]
        assert apply_import(s, plan) == 1


def test_not_an_action_log(tmp_path: Path, log_db) -> None:
    from openpyxl import Workbook

    from paperprep.errors import ImportProblem

    other = tmp_path / "budget.xlsx"
    Workbook().save(other)
    with pytest.raises(ImportProblem, match="not a paperprep action log"):
        read_action_workbook(other)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(ImportProblem, match="cannot be read as an Excel workbook"):
        read_action_workbook(text)


def test_decisions_register(log_db, tmp_path: Path) -> None:
    out = tmp_path / "decisions.xlsx"
    assert jobs.export_decisions(log_db, out) == 1
    ws = load_workbook(out)["Decisions"]
    assert [c.value for c in ws[2]][2:6] == [
        "57",
        "Ofsted focused visit",
        "RESOLVED",
        "to note the information",
    ]
    assert ws["B2"].is_date


@pytest.mark.libreoffice
def test_libreoffice_opens_the_action_log(log_db, tmp_path: Path) -> None:
    out = export(log_db, tmp_path)
    (pdf,) = to_pdf([out], tmp_path / "pdf", tmp_path / "profile")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_control_character_cannot_smuggle_a_formula(log_db, tmp_path: Path) -> None:
    smuggled = ["\x01=1+1", "\x02@SUM(A1:A2)", "\x03+44 1632", "\x04-2", "\x05\x06=HYPERLINK(\"x\")"]
    with log_db.transaction() as s:
        item = A.add_item(s, M.get_meeting(s, 1), "Hostile text")
        for text in smuggled:
            AC.add_action(s, item, text, owner=text)
    out = export(log_db, tmp_path)
    with zipfile.ZipFile(out) as package:
        sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert all("<f>" not in sheet for sheet in sheets)
    ws = load_workbook(out)["Actions"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    cleaned = {text.lstrip("\x01\x02\x03\x04\x05\x06") for text in smuggled}
    found = {c.value for c in cells if c.value in cleaned}
    assert found == cleaned  # the text arrives whole, as text
    assert all(c.data_type == "s" for c in cells)
