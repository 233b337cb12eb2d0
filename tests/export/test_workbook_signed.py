"""Signed round trips: the hidden check of each row is an HMAC keyed by a secret only the database holds, so a row
pointed at another action is refused, never applied, and the preview names each action as the database has it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from paperprep.app import main
from paperprep.db import Database, open_database
from paperprep.db.models import Action, Setting
from paperprep.domain import ActionStatus, Audience, ResolutionWording
from paperprep.imports.actions_xlsx import read_action_workbook
from paperprep.ops import exports as jobs
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.action_import import SECRET_KEY, apply_import, describe_plan, plan_import

Rows = list[list[Any]]


def _council(path: Path) -> Database:
    """A committee with two public actions and one of an exempt item."""
    db = open_database(path, daily_backup=False)
    with db.transaction() as s:
        c = C.create_committee(s, "Children's Services Scrutiny Committee", "CSSC")
        m = M.create_meeting(s, c, dt.date(2025, 7, 8), first_minute_number=57)
        item = A.add_item(s, m, "Ofsted focused visit")
        res = MI.add_resolution(s, item, ResolutionWording.RESOLVED, "to note the information")
        AC.add_action(s, item, "Circulate the Ofsted letter", owner="Sue Butcher", resolution=res)
        AC.add_action(s, item, "Audit supervision records", owner="Head of Quality", resolution=res)
        secret = A.add_item(s, m, "Residential placements contract award")
        A.set_exempt(s, secret, (3,), "Placements contract")
        AC.add_action(s, secret, "Negotiate the Harbour Care Ltd price", owner="Imran Khan")
    return db


@pytest.fixture
def council(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = _council(tmp_path / "council.sqlite")
    yield db
    db.close()


def _export(db: Database, out: Path, audience: Audience = Audience.PUBLIC) -> Path:
    jobs.export_action_log(db, out, status="all", audience=audience, today=dt.date(2025, 8, 20))
    return out


def _edit(out: Path, edit: Callable[[dict[str, int], Rows], None]) -> None:
    book = load_workbook(out)
    ws = book["Actions"]
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    edit({name: n for n, name in enumerate(header)}, rows)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value
    book.save(out)


def _exempt_action(db: Database) -> tuple[int, ActionStatus, dt.datetime, int]:
    with db.transaction() as s:
        action = next(a for a in AC.list_actions(s, AC.ActionFilter()) if a.text.startswith("Negotiate"))
        return action.id, action.status, action.updated_at, len(action.updates)


def test_the_secret_is_made_once_and_signs_every_row(council, tmp_path: Path) -> None:
    with council.transaction() as s:
        assert s.get(Setting, SECRET_KEY) is None
    out = _export(council, tmp_path / "log.xlsx")
    with council.transaction() as s:
        setting = s.get(Setting, SECRET_KEY)
        assert setting is not None and re.fullmatch(r"[0-9a-f]{64}", setting.value)
        key = bytes.fromhex(setting.value)
    _export(council, tmp_path / "again.xlsx")
    with council.transaction() as s:
        assert s.get(Setting, SECRET_KEY).value == setting.value  # type: ignore[union-attr]
    rows = read_action_workbook(out).rows
    assert len(rows) == 2
    for row in rows:
        message = f"{row.action_id}|{row.stamp}|{row.original}".encode()
        assert row.check == hmac.new(key, message, hashlib.sha256).hexdigest()
        assert row.check != hashlib.sha256(message).hexdigest()


@pytest.mark.parametrize(
    "unkeyed", [lambda m: hashlib.sha256(m).hexdigest()[:12], lambda m: hashlib.sha256(m).hexdigest()]
)
def test_a_forged_row_pointed_at_an_exempt_action_is_refused(
    council, tmp_path: Path, capsys, unkeyed: Callable[[bytes], str]
) -> None:  # type: ignore[no-untyped-def]
    out = _export(council, tmp_path / "log.xlsx")
    exempt_id, status, stamp, updates = _exempt_action(council)

    def forge(col: dict[str, int], rows: Rows) -> None:
        row = rows[0]
        row[col["paperprep id"]] = exempt_id
        row[col["Status"]] = "Done"
        row[col["Latest update"]] = "Price agreed at 4% over last year."
        message = f"{exempt_id}|{row[col['paperprep stamp']]}|{row[col['paperprep original']]}".encode()
        row[col["paperprep check"]] = unkeyed(message)
        rows[1][col["Status"]] = "In progress"  # an honest change in the same workbook still imports

    _edit(out, forge)
    with council.transaction() as s:
        plan = plan_import(s, read_action_workbook(out))
    assert [p.row for p in plan.problems] == [2]
    assert "hidden check does not match" in plan.problems[0].sentence
    assert plan.problems[0].sentence.startswith("Row 2: ") and "not applied" in plan.problems[0].sentence
    assert [c.row for c in plan.changes] == [3] and not plan.conflicts

    assert main(["import", "actions", "--db", str(council.path), str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Row 2: this row's hidden check does not match" in printed and "1 changes applied." in printed
    assert "Harbour Care" not in printed and "CSSC 58" not in printed  # the exempt action is never named
    assert _exempt_action(council) == (exempt_id, status, stamp, updates)


def test_edited_hidden_values_are_refused(council, tmp_path: Path) -> None:
    out = _export(council, tmp_path / "log.xlsx")

    def edit(col: dict[str, int], rows: Rows) -> None:
        rows[0][col["paperprep original"]] = str(rows[0][col["paperprep original"]]).replace("open", "done")
        rows[0][col["Status"]] = "Done"
        rows[1][col["paperprep stamp"]] = "2099-01-01T00:00:00"  # a stamp moved on, to hide a conflict
        rows[1][col["Status"]] = "Done"

    _edit(out, edit)
    with council.transaction() as s:
        plan = plan_import(s, read_action_workbook(out))
        assert sorted(p.row for p in plan.problems) == [2, 3]
        assert not plan.changes and not plan.conflicts
        assert apply_import(s, plan) == 0


def test_a_workbook_from_another_database_is_refused(council, tmp_path: Path) -> None:
    other = _council(tmp_path / "other.sqlite")  # the same actions, with the same ids, in another file
    try:
        out = _export(other, tmp_path / "other.xlsx")
        _edit(out, lambda col, rows: rows[0].__setitem__(col["Status"], "Done"))
        with council.transaction() as s:
            plan = plan_import(s, read_action_workbook(out))
        assert [p.row for p in plan.problems] == [2, 3] and not plan.changes
        with other.transaction() as s:
            assert [c.row for c in plan_import(s, read_action_workbook(out)).changes] == [2]
    finally:
        other.close()


def test_the_preview_names_the_action_as_the_database_has_it(council, tmp_path: Path) -> None:
    out = _export(council, tmp_path / "log.xlsx")
    with council.transaction() as s:
        action = s.get(Action, 1)
        assert action is not None and action.text == "Circulate the Ofsted letter"

    def edit(col: dict[str, int], rows: Rows) -> None:
        row = next(r for r in rows if r[col["paperprep id"]] == 1)
        row[col["Reference"]] = "CSSC 99/25-26/9"  # the officer's copy says another action
        row[col["Status"]] = "Finished"  # and a typo: the problem names the action too
        other = next(r for r in rows if r[col["paperprep id"]] == 2)
        other[col["Reference"]] = "XYZ 1/1"
        other[col["Status"]] = "Done"

    _edit(out, edit)
    with council.transaction() as s:
        plan = plan_import(s, read_action_workbook(out))
        text = describe_plan(plan)
    assert "CSSC 99" not in text and "XYZ" not in text
    assert "Row 3, CSSC 57/25-26/2: status Open -> Done" in text
    assert "Row 2, CSSC 57/25-26/1: the status \u201cFinished\u201d" in text


def test_the_hidden_values_are_the_json_of_what_was_exported() -> None:
    """original_values puts its JSON together by hand, for speed: it must be the text json.dumps writes, or a row
    exported before would no longer match its check."""
    import json

    from hypothesis import given
    from hypothesis import strategies as st

    from paperprep.domain import Rag
    from paperprep.records import ActionRecord, ActionUpdateRecord
    from paperprep.services.action_import import original_values, update_digest

    @given(
        st.sampled_from(list(ActionStatus)),
        st.none() | st.dates(),
        st.lists(st.tuples(st.dates(), st.text()), max_size=3),
    )
    def check(status: ActionStatus, due: dt.date | None, updates: list[tuple[dt.date, str]]) -> None:
        record = ActionRecord(
            id=1, reference="CSSC 57/1", committee_name="C", committee_code="CSSC", meeting_id=1,
            meeting_date=dt.date(2025, 7, 8), minute_ref="57", item_title="Item", text="Do it", owner="",
            due_date=due, status=status, rag=Rag.NONE, updates=tuple(ActionUpdateRecord(d, t) for d, t in updates),
            notes="", updated_at=dt.datetime(2025, 7, 8, 9, 30),
        )  # fmt: skip
        latest = updates[-1] if updates else None
        expected = json.dumps(
            {
                "status": status.value,
                "due": due.isoformat() if due else None,
                "update_sha256": update_digest(latest[1] if latest else ""),
                "update_date": latest[0].isoformat() if latest else None,
            },
            separators=(",", ":"),
        )
        assert original_values(record) == expected

    check()
