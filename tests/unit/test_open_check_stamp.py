"""The quick check at open is skipped for a file exactly as paperprep last closed or checked it, and runs
again as soon as anything else has touched it: another program's write, a flipped byte, another file put in
its place."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from paperprep.db import backup as B
from paperprep.db import open_database
from paperprep.errors import DamagedDatabaseError
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M


@pytest.fixture
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the quick check runs on (the full daily check is not counted)."""
    ran: list[Path] = []
    real = B.integrity_problems

    def spy(target: Path, *, full: bool) -> list[str]:
        if not full:
            ran.append(target)
        return real(target, full=full)

    monkeypatch.setattr(B, "integrity_problems", spy)
    return ran


def _clerks_file(path: Path) -> None:
    """A database as the app leaves it: opened with the day's check and backup, written to, closed."""
    db = open_database(path)
    with db.transaction() as s:
        committee = C.create_committee(s, "Scrutiny", "SC")
        meeting = M.create_meeting(s, committee, dt.date(2025, 4, 24))
        for n in range(150):
            A.add_item(s, meeting, f"Item number {n} " + "words " * 30)
    db.close()


def _reopen(path: Path) -> None:
    open_database(path).close()


def test_a_file_as_paperprep_closed_it_is_not_checked_again(tmp_path: Path, quick_checks: list[Path]) -> None:
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    assert (B.backup_dir(path) / B.KNOWN_STATE).is_file()
    quick_checks.clear()
    _reopen(path)
    _reopen(path)
    assert quick_checks == []


def test_without_a_kept_state_the_check_runs(tmp_path: Path, quick_checks: list[Path]) -> None:
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    B.forget_state(path)
    quick_checks.clear()
    _reopen(path)
    assert quick_checks == [path]
    quick_checks.clear()
    _reopen(path)  # closed cleanly again: vouched for
    assert quick_checks == []


def test_a_write_by_another_program_brings_the_check_back(tmp_path: Path, quick_checks: list[Path]) -> None:
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE agenda_items SET title = 'Changed elsewhere' WHERE position = 1")
        conn.commit()
    quick_checks.clear()
    _reopen(path)
    assert quick_checks == [path]


def _flip(path: Path, offset: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0xFF]))


def test_a_flipped_byte_right_after_close_is_checked_and_refused(
    tmp_path: Path, quick_checks: list[Path]
) -> None:
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    B.daily_backup(path)  # a good backup to offer
    _reopen(path)
    # The damage comes at once after paperprep's close, within the same tick of the file system's clock if it
    # can: the size, the header and the page count stay the same.
    db = open_database(path)
    db.close()
    before = B.file_identity(path)
    for page in range(2, 12):
        _flip(path, 4096 * page)  # the first byte of a page: what kind of page it is
    assert B.file_identity(path) != before
    quick_checks.clear()
    with pytest.raises(DamagedDatabaseError):
        open_database(path)
    assert quick_checks == [path]
    assert not (B.backup_dir(path) / B.KNOWN_STATE).exists()  # and it stays checked until it is sound


def test_another_file_put_in_its_place_is_checked(tmp_path: Path, quick_checks: list[Path]) -> None:
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(path.read_bytes())
    stat = path.stat()
    copy.replace(path)  # as a sync tool does: a whole new file, here with the same size and times
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    quick_checks.clear()
    _reopen(path)
    assert quick_checks == [path]


def test_the_first_open_of_a_day_checks_anyway(tmp_path: Path, quick_checks: list[Path]) -> None:
    """A failing disk changes pages without touching the file's times: the day's first open looks."""
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    (B.backup_dir(path) / B.LAST_FULL_CHECK).write_text("2020-01-01\n", encoding="utf-8")
    quick_checks.clear()
    _reopen(path)
    assert quick_checks == [path]
    quick_checks.clear()
    _reopen(path)
    assert quick_checks == []


def test_damage_found_while_open_is_not_vouched_for(tmp_path: Path) -> None:
    from sqlalchemy import text

    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    db = open_database(path)
    for page in range(1, path.stat().st_size // 4096):
        _flip(path, 4096 * page)
    db.engine.dispose()  # a connection that has not read those pages yet
    with pytest.raises(DamagedDatabaseError):
        with db.transaction() as s:
            s.execute(text("SELECT count(*), max(title) FROM agenda_items"))
    assert not (B.backup_dir(path) / B.KNOWN_STATE).exists()
    db.close()
    assert not (B.backup_dir(path) / B.KNOWN_STATE).exists()
    with pytest.raises(DamagedDatabaseError):
        open_database(path)


def test_an_error_that_is_not_damage_keeps_the_state_but_does_not_vouch(tmp_path: Path) -> None:
    from sqlalchemy import text

    from paperprep.errors import PaperprepError

    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    kept = (B.backup_dir(path) / B.KNOWN_STATE).read_text(encoding="utf-8")
    db = open_database(path)
    with db.transaction() as s:
        s.execute(text("UPDATE agenda_items SET title = title || '.' WHERE position = 3"))
    with pytest.raises(PaperprepError):
        with db.transaction() as s:
            s.execute(text("SELECT * FROM a_table_that_is_not_there"))
    db.close()
    # The state kept is the one before this session, not the file as it is now.
    assert (B.backup_dir(path) / B.KNOWN_STATE).read_text(encoding="utf-8") == kept
    assert json.loads(kept) != B.file_identity(path)


def test_the_kept_state_names_the_file_and_its_wal(tmp_path: Path) -> None:
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    kept = json.loads((B.backup_dir(path) / B.KNOWN_STATE).read_text(encoding="utf-8"))
    assert kept == B.file_identity(path)
    assert kept["size"] == path.stat().st_size and kept["wal"] is None  # closed: the -wal folded in
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("UPDATE agenda_items SET title = title || '.' WHERE position = 2")
        conn.commit()
        time.sleep(0.05)
        identity = B.file_identity(path)
        assert identity is not None and identity["wal"] is not None  # a write only in the -wal is seen too
        assert identity != kept


def test_times_that_could_hide_a_change_are_not_kept(tmp_path: Path) -> None:
    """Whole seconds (a file system that keeps only those), or times ahead of the clock (a network drive's
    server): a later write could leave them as they are, so the state is not kept and the check runs."""
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    B.forget_state(path)
    whole = (int(time.time()) - 60) * 1_000_000_000
    os.utime(path, ns=(whole, whole))
    assert not B.remember_state(path, wait=True)
    ahead = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(ahead, ahead + 123))
    assert not B.remember_state(path, wait=True)
    assert not (B.backup_dir(path) / B.KNOWN_STATE).exists()
    past = time.time_ns() - 5_000_000_123
    os.utime(path, ns=(past, past))
    assert B.remember_state(path, wait=True)  # the same file with ordinary times is kept


def test_a_state_just_written_waits_for_the_clock_or_is_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "clerk.sqlite"
    _clerks_file(path)
    B.forget_state(path)
    now = time.time_ns() + 1_000  # written this very instant
    os.utime(path, ns=(now, now))
    assert not B.remember_state(path)  # at open nothing waits: the check simply runs next time
    started = time.monotonic()
    assert B.remember_state(path, wait=True)  # at close it waits a few milliseconds, then keeps it
    assert time.monotonic() - started >= B.SETTLE_NS / 1e9 * 0.5
