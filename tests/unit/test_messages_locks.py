"""No waiting in silence: a command that meets a lock gives up after the lock timeout, says so, and exits 1."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from paperprep.db import open_database
from paperprep.errors import DATABASE_IN_USE
from paperprep.ops import Workbench
from paperprep.ops.meetings import LoadDemo
from paperprep.services.interchange import dump_meeting
from paperprep.services.meetings import list_meetings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A demo database, a backup of it and one meeting of it as JSON, made once for the module."""
    folder = tmp_path_factory.mktemp("locks")
    path = folder / "demo.sqlite"
    db = open_database(path)
    bench = Workbench(db)
    bench.run(LoadDemo())
    meeting_id = bench.read(list_meetings)[0].id
    meeting = folder / "meeting.json"
    meeting.write_text(json.dumps(bench.read(lambda s: dump_meeting(s, meeting_id))), encoding="utf-8")
    backup = db.backup_to(folder / "good.sqlite")
    db.close()
    return path, backup, meeting


@contextmanager
def _held(demo_path: Path, tmp_path: Path, journal: str) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A copy of the demo with another program's exclusive transaction open on it. While it is held, this process
    must not open and close the file by any other road: POSIX drops every lock a process holds on a file when it
    closes any descriptor of it."""
    path = tmp_path / "held.sqlite"
    path.write_bytes(demo_path.read_bytes())
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute(f"PRAGMA journal_mode = {journal}")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO settings (key, value) VALUES ('held by', 'another program')")
    try:
        yield path, holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _run(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = dict(os.environ, PAPERPREP_LOCK_TIMEOUT="0.5", PAPERPREP_LOG=str(cwd / "paperprep.log"))
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "paperprep", *args], capture_output=True, text=True, timeout=60, env=env, cwd=cwd
    )
    return result, time.monotonic() - start


def _commands(path: Path, backup: Path, meeting: Path, out: Path) -> dict[str, list[str]]:
    return {
        "backup": ["backup", "--db", str(path), "--out", str(out / "copy.sqlite")],
        "restore": ["restore", "--db", str(path), "--from", str(backup)],
        "check": ["check", "--db", str(path)],
        "load": ["load", "--db", str(path), str(meeting)],
        "export": ["export", "actions", "--db", str(path), "--out", str(out / "actions.xlsx")],
        "meetings": ["meetings", "--db", str(path)],
    }


# In rollback-journal mode an exclusive lock shuts out readers too: every command meets it.
@pytest.mark.parametrize("command", ["backup", "restore", "check", "load", "export", "meetings"])
def test_every_command_gives_up_on_a_lock_with_the_sentence(
    demo: tuple[Path, Path, Path], tmp_path: Path, command: str
) -> None:
    demo_path, backup, meeting = demo
    with _held(demo_path, tmp_path, "DELETE") as (path, _holder):
        out = tmp_path / "out"
        out.mkdir()
        result, took = _run(*_commands(path, backup, meeting, out)[command], cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert result.stderr == f"paperprep: {DATABASE_IN_USE}\n"
        assert took < 30
        assert not list(out.iterdir()), "no partial file is left behind"
    assert _content(path) == _content(demo_path), "nothing was changed or lost"
    assert not list(tmp_path.glob("held-damaged-*")) and not list(tmp_path.glob(".*partial"))


# In WAL mode readers go on while another program writes; a restore and a write still meet the lock.
@pytest.mark.parametrize("command", ["restore", "load"])
def test_in_wal_mode_a_writer_gives_up_with_the_sentence(
    demo: tuple[Path, Path, Path], tmp_path: Path, command: str
) -> None:
    demo_path, backup, meeting = demo
    with _held(demo_path, tmp_path, "WAL") as (path, holder):
        out = tmp_path / "out"
        out.mkdir()
        result, took = _run(*_commands(path, backup, meeting, out)[command], cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert result.stderr == f"paperprep: {DATABASE_IN_USE}\n"
        assert took < 30
        # The other program's transaction is whole, and nothing of paperprep's got in.
        assert holder.execute("SELECT value FROM settings WHERE key = 'held by'").fetchone() == ("another program",)
        assert holder.execute("SELECT count(*) FROM meetings").fetchone()[0] == _count(demo_path)


def _content(path: Path) -> list[object]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("meetings", "agenda_items", "actions", "settings", "committees")
        ]


def _count(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT count(*) FROM meetings").fetchone()[0])


def test_the_lock_timeout_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from paperprep.db.engine import DEFAULT_LOCK_TIMEOUT, lock_timeout

    monkeypatch.setenv("PAPERPREP_LOCK_TIMEOUT", "0.25")
    assert lock_timeout() == 0.25
    monkeypatch.setenv("PAPERPREP_LOCK_TIMEOUT", "soon")
    assert lock_timeout() == DEFAULT_LOCK_TIMEOUT
