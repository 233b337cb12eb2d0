"""A public action log is read back for its exempt items' texts whenever the log holds an action of an exempt
item, and only then: without one there is nothing to forbid, and the ten years of actions are not loaded to find
that out."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from paperprep import blocks as B
from paperprep.domain import Audience
from paperprep.errors import ConfidentialLeakError
from paperprep.ops import exports as jobs
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI

SECRET = "Harbour Care Ltd scored highest on price"


@pytest.fixture
def db(database: Any) -> Any:
    """Every test here runs on both engines: SQLite and PostgreSQL (`database`, tests/conftest.py)."""
    return database


def _committees(s: Any) -> tuple[int, int]:
    """Two committees: Scrutiny with an exempt item that has an action, Planning with public items only."""
    scrutiny = C.create_committee(s, "Scrutiny", "SC")
    meeting = M.create_meeting(s, scrutiny, dt.date(2021, 7, 6))
    public = A.add_item(s, meeting, "Ofsted focused visit feedback")
    AC.add_action(s, public, "Circulate the Ofsted letter", owner="Sue Butcher")
    secret = A.add_item(s, meeting, "Residential placements contract award")
    A.set_exempt(s, secret, (3,), "Placements framework")
    MI.set_body(s, secret, [B.paragraph(SECRET)])
    AC.add_action(s, secret, "Draft the award letter to the preferred bidder", owner="Imran Khan")
    planning = C.create_committee(s, "Planning", "PL")
    other = M.create_meeting(s, planning, dt.date(2021, 7, 8))
    AC.add_action(s, A.add_item(s, other, "Local plan review"), "Publish the timetable", owner="Ann Lee")
    return scrutiny.id, planning.id


def _confidential_rows(real: Any) -> Any:
    """The log's rows as the confidential log has them: a public log that filtered nothing out."""
    return lambda session, flt, audience: real(session, flt, Audience.CONFIDENTIAL)


def test_a_log_with_an_exempt_items_action_is_searched_for_its_texts(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        scrutiny, _planning = _committees(s)
    # Were the snapshot to let the exempt item's action through, the read-back would still refuse the file.
    monkeypatch.setattr(jobs, "action_log_records", _confidential_rows(jobs.action_log_records))
    out = tmp_path / "actions.xlsx"
    for committee in (scrutiny, None):
        with pytest.raises(ConfidentialLeakError, match="public action log was not written"):
            jobs.export_action_log(db, out, committee_id=committee, status="all", audience=Audience.PUBLIC)
        assert not out.exists()


def test_a_log_without_exempt_items_is_written_without_loading_every_action(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        scrutiny, planning = _committees(s)
    loaded: list[object] = []
    real = jobs.list_actions
    monkeypatch.setattr(jobs, "list_actions", lambda session, flt: loaded.append(flt) or real(session, flt))
    out = tmp_path / "planning.xlsx"
    assert jobs.export_action_log(db, out, committee_id=planning, status="all", audience=Audience.PUBLIC) == 1
    assert out.exists() and loaded == []
    # The Scrutiny log holds an exempt item's action (left out of the public rows): its texts are looked up.
    out = tmp_path / "scrutiny.xlsx"
    assert jobs.export_action_log(db, out, committee_id=scrutiny, status="all", audience=Audience.PUBLIC) == 1
    assert out.exists() and len(loaded) == 1
    # A confidential log forbids nothing, exempt items or not.
    assert jobs.export_action_log(db, out, status="all", audience=Audience.CONFIDENTIAL) == 3
    assert len(loaded) == 1
