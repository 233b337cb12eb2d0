"""Damaged, empty and foreign files: checked on open, never backed up, refused untouched, and restorable."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from paperprep import cli
from paperprep.db import backup as B
from paperprep.db import check_database, open_database, restore_database
from paperprep.errors import CorruptDatabaseError, DamagedDatabaseError
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M


def _filled(path: Path, items: int = 150) -> None:
    db = open_database(path, daily_backup=False)
    with db.transaction() as s:
        committee = C.create_committee(s, "Scrutiny", "SC")
        meeting = M.create_meeting(s, committee, dt.date(2025, 4, 24))
        for n in range(items):
            A.add_item(s, meeting, f"Item number {n} " + "words " * 30)
    db.close()


def _good_backup(path: Path) -> Path:
    """Today's daily backup of the sound file, as the app takes it on open."""
    made = B.daily_backup(path)
    assert made is not None
    return made


def _damage_pages(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096 * 5)


def _damage_header(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.write(b"\x00" * 100)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _item_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM agenda_items").fetchone()[0])


def test_a_damaged_page_is_found_on_open_and_the_good_backup_named(tmp_path: Path) -> None:
    path = tmp_path / "clerk.sqlite"
    _filled(path)
    backup = _good_backup(path)
    _damage_pages(path)
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(path)
    assert caught.value.backup == backup
    assert f"paperprep restore --db {shlex.quote(str(path))} --from {shlex.quote(str(backup))}" in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in B.backup_dir(path).glob("*.sqlite")) == [backup.name]


def test_the_daily_full_check_keeps_a_damaged_file_out_of_the_rotation(tmp_path: Path) -> None:
    path = tmp_path / "clerk.sqlite"
    _filled(path)
    _damage_pages(path)
    folder = B.backup_dir(path)
    with pytest.raises(DamagedDatabaseError, match="no backup that passes the integrity check"):
        B.daily_backup(path, dt.date(2025, 4, 24))
    assert not folder.exists() or not list(folder.glob("*.sqlite"))
    assert not (folder / B.LAST_FULL_CHECK).exists()


def test_the_full_check_runs_once_a_day_and_its_date_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "clerk.sqlite"
    _filled(path, items=3)
    ran: list[bool] = []
    real = B.integrity_problems

    def counting(target: Path, *, full: bool) -> list[str]:
        if full and target == path:
            ran.append(full)
        return real(target, full=full)

    monkeypatch.setattr(B, "integrity_problems", counting)
    day = dt.date(2025, 4, 24)
    assert B.daily_backup(path, day) is not None
    assert B.daily_backup(path, day) is None
    assert ran == [True]
    assert (B.backup_dir(path) / B.LAST_FULL_CHECK).read_text().strip() == "2025-04-24"
    B.daily_backup(path, day + dt.timedelta(days=1))
    assert ran == [True, True]


def test_a_damaged_header_with_a_backup_is_offered_that_backup(tmp_path: Path) -> None:
    path = tmp_path / "clerk.sqlite"
    _filled(path, items=3)
    backup = _good_backup(path)
    _damage_header(path)
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(path)
    assert caught.value.backup == backup
    assert path.read_bytes() == before


def test_restore_works_over_a_damaged_file_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "clerk.sqlite"
    _filled(path)
    backup = _good_backup(path)
    _damage_pages(path)
    damaged = path.read_bytes()
    kept = restore_database(path, backup)
    assert kept is not None and kept.parent == path.parent and "damaged" in kept.name
    assert kept.read_bytes() == damaged
    assert check_database(path).ok
    assert _item_count(path) == 150
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*"))


@pytest.mark.parametrize("damage", [_damage_pages, _damage_header])
def test_the_cli_names_the_backup_and_its_command_restores_it(tmp_path: Path, capsys, damage) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "clerk.sqlite"
    _filled(path)
    backup = _good_backup(path)
    damage(path)
    assert cli.run(cli.parse_args(["check", "--db", str(path)])) == 1
    err = capsys.readouterr().err
    command = f"paperprep restore --db {shlex.quote(str(path))} --from {shlex.quote(str(backup))}"
    assert command in err and "damaged" in err
    assert cli.run(cli.parse_args(["meetings", "--db", str(path)])) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and command in err and "unexpected" not in err
    # The exact command printed, run as the clerk would run it.
    result = subprocess.run(
        [sys.executable, "-m", "paperprep", *shlex.split(command)[1:]], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert check_database(path).ok and _item_count(path) == 150
    assert list(tmp_path.glob("clerk-damaged-*.sqlite"))


def test_a_damaged_file_is_never_copied_by_backup(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "clerk.sqlite"
    _filled(path)
    _damage_pages(path)
    out = tmp_path / "copies" / "copy.sqlite"
    assert cli.run(cli.parse_args(["backup", "--db", str(path), "--out", str(out)])) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "unexpected" not in err
    assert not out.exists()
    assert not out.parent.exists() or not list(out.parent.iterdir())  # no partial file either


def test_a_zero_byte_file_is_refused_untouched(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(CorruptDatabaseError, match="empty file"):
        open_database(path)
    assert cli.run(cli.parse_args(["meetings", "--db", str(path)])) == 1
    assert "empty file" in capsys.readouterr().err
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite"]


def test_another_programs_database_is_refused_byte_for_byte(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "contacts.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Janet Pryer')")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="another program"):
        open_database(path)
    assert cli.run(cli.parse_args(["load", "--db", str(path), str(tmp_path / "missing.json")])) == 1
    capsys.readouterr()
    assert path.read_bytes() == before  # the journal mode was never switched to WAL
    assert not path.with_name(path.name + "-wal").exists()
    assert not B.backup_dir(path).exists()


def test_an_sqlite_file_without_tables_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "blank.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")  # writes a header, and nothing else
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="holds no tables"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_new_path_still_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "new" / "clerk.sqlite"
    open_database(path).close()
    assert check_database(path).ok
    open_database(path).close()


def test_a_new_file_that_fails_to_migrate_is_not_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import paperprep.db as D

    def broken(*_args: object) -> None:
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(D, "_migrate", broken)
    path = tmp_path / "clerk.sqlite"
    with pytest.raises(Exception, match="The disk is full"):
        open_database(path)
    assert not path.exists()
