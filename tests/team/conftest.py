"""Team mode against the real throwaway PostgreSQL cluster (tests/pg_support.py, started by the `pg_cluster`
fixture of tests/conftest.py): a fresh database per test, a committee with a meeting and an item in it, and a
login role of a given kind made and removed around the test."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from paperprep.db import open_database
from paperprep.domain import MembershipRole, PersonKind
from paperprep.ops import Workbench
from paperprep.ops.agenda import AddItem
from paperprep.ops.meetings import CreateMeeting
from paperprep.services import committees as C
from ui_support import window_opener


@dataclass(frozen=True)
class Shared:
    """A shared database holding one meeting with one item."""

    url: str
    meeting_id: int
    item_id: int


@pytest.fixture
def team_url(pg_cluster: Any) -> Iterator[str]:
    url = pg_cluster.new_database()
    try:
        yield url
    finally:
        pg_cluster.drop_database(url)


@pytest.fixture
def shared(team_url: str) -> Shared:
    db = open_database(team_url, daily_backup=False)
    try:
        with db.transaction() as s:
            committee = C.create_committee(s, "Children & Learning Scrutiny", "CLSC")
            C.add_member(
                s,
                committee,
                C.get_or_create_person(s, "Janet Pryer", PersonKind.COUNCILLOR),
                MembershipRole.CHAIR,
                dt.date(2020, 5, 1),
            )
            committee_id = committee.id
        bench = Workbench(db, user="setup")
        meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 6, 10))).result
        item = bench.run(AddItem(meeting, "School place planning")).result
    finally:
        db.close()
    return Shared(team_url, meeting, item)


@pytest.fixture
def login_role(pg_cluster: Any, team_url: str) -> Iterator[Callable[[str], str]]:
    """make(kind) -> the URL of `team_url` for a new login role of that kind ("clerk" or "viewer"), granted as
    docs/team-mode.md says; the roles are dropped after the test (their database first)."""
    made: list[str] = []
    database = team_url.rsplit("/", 1)[1]

    def make(kind: str) -> str:
        name = f"{kind}_{uuid.uuid4().hex[:8]}"
        if kind == "viewer":
            grants = f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name};"
        else:
            grants = (
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}; "
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name};"
            )
        pg_cluster.psql(f"CREATE ROLE {name} LOGIN")
        made.append(name)
        pg_cluster.psql(
            f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {name}; "
            f"GRANT USAGE ON SCHEMA public TO {name}; {grants}",
            database,
        )
        return team_url.replace("postgres@", f"{name}@", 1)

    yield make
    pg_cluster.drop_database(team_url)
    for name in made:
        pg_cluster.psql(f"DROP ROLE IF EXISTS {name}")


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    """The window's messages, caught: errors shown are kept under "_errors", and any question the test did not
    expect fails it (the conflict dialog is stubbed by the tests that meet one)."""
    from paperprep.ui import dialogs, recovery

    def unexpected(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("unexpected question")

    for name in ("ask_text", "confirm", "ask_first_run", "choose_open_file", "choose_save_file"):
        monkeypatch.setattr(dialogs, name, unexpected)
    for name in ("ask_unsaved", "ask_recovery"):
        monkeypatch.setattr(recovery, name, unexpected)
    errors: list[object] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, text: errors.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda *_a: None)
    return {"_errors": errors}


@pytest.fixture
def window_on_file(qtbot: Any, answers: Any, tmp_path: Any) -> Iterator[Callable[[], Any]]:
    """open() -> a real MainWindow on a new database file, as a clerk has before connecting to a shared one."""
    with window_opener(qtbot, lambda: open_database(tmp_path / "own.sqlite")) as opener:
        yield opener
