"""Storage: migrations with a copy kept, newer files refused, integrity check, backups and restore."""

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from paperprep.db import backup as B
from paperprep.db import check_database, head_revision, open_database, restore_database
from paperprep.errors import CorruptDatabaseError, DatabaseTooNewError
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M


def _make_old_database(path: Path) -> None:
    """A database at the first schema revision, with a meeting in it, as an older paperprep left it."""
    from alembic import command

    from paperprep.db import _alembic_config

    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(
            sa.text(
                "INSERT INTO committees (name, code, kind, numbering, year_start_month, default_venue, "
                "contact_officer, archived) VALUES ('Scrutiny', 'SC', 'other', 'continuous', 5, '', '', 0)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO meetings (committee_id, date, venue, status, contact_officer, updated_at) "
                "VALUES (1, '2021-07-06', 'Town Hall', 'held', '', '2021-07-06 00:00:00')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO agenda_items (meeting_id, position, minute_number, title, kind, purpose, "
                "report_of, presenter_name, presenter_role, is_exempt, exempt_paragraphs, public_title, "
                "minutes_body, minutes_text, updated_at) VALUES (1, 0, 57, 'Ofsted focused visit', "
                "'report', '', '', '', '', 0, '', '', '[]', 'inspectors found strong leadership', "
                "'2021-07-06 00:00:00')"
            )
        )
    engine.dispose()


def test_old_schema_is_migrated_and_a_copy_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _make_old_database(path)
    db = open_database(path)
    try:
        assert db.migrated_from == "0001"
        assert db.pre_migration_copy is not None and db.pre_migration_copy.exists()
        with sqlite3.connect(db.pre_migration_copy) as copy:
            assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        with db.transaction() as s:
            assert M.get_meeting(s, 1).venue == "Town Hall"
            # The search index was built from the rows already there.
            from paperprep.db import fts

            assert [h.kind for h in fts.search(s, "strong leadership")] == ["item"]
    finally:
        db.close()
    assert check_database(path).revision == head_revision()


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNewError, match="newer version of paperprep"):
        open_database(path)
    assert path.read_bytes() == before


def test_other_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(CorruptDatabaseError, match="another program"):
        open_database(path)


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database")
    with pytest.raises(CorruptDatabaseError, match="not a paperprep database"):
        open_database(path)


def test_check_finds_damage(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        m = M.create_meeting(s, c, dt.date(2021, 7, 6))
        for n in range(200):
            A.add_item(s, m, f"Item number {n} " + "words " * 40)
    db.close()
    assert check_database(path).ok
    with path.open("r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(b"\xff" * 4096 * 6)
    report = check_database(path)
    assert not report.ok
    assert report.problems


def test_daily_backup_once_a_day_keeping_fourteen(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite"
    open_database(path).close()
    folder = B.backup_dir(path)
    assert len(list(folder.glob("daily-*.sqlite"))) == 1
    open_database(path).close()
    assert len(list(folder.glob("daily-*.sqlite"))) == 1
    for old in folder.glob("daily-*.sqlite"):
        old.unlink()
    for n in range(20):
        B.daily_backup(path, dt.date(2026, 1, 1) + dt.timedelta(days=n))
    daily = sorted(p.name[len("daily-") :][:10] for p in folder.glob("daily-*.sqlite"))
    assert daily == [(dt.date(2026, 1, 7) + dt.timedelta(days=n)).isoformat() for n in range(14)]


def test_backup_while_another_connection_writes_restores_consistently(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        meeting_id = M.create_meeting(s, c, dt.date(2021, 7, 6)).id
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            n = 0
            while not stop.is_set() and n < 400:
                with db.transaction() as s:
                    A.add_item(s, M.get_meeting(s, meeting_id), f"Item {n}")
                n += 1
        except BaseException as exc:  # reported below; a thread cannot fail the test by itself
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    copies = []
    try:
        for n in range(3):
            copies.append(B.copy_database(path, tmp_path / f"copy{n}.sqlite"))
    finally:
        stop.set()
        thread.join()
    db.close()
    assert not errors
    for n, copy in enumerate(copies):
        target = tmp_path / f"restored{n}.sqlite"
        restore_database(target, copy)
        assert check_database(target).ok
        restored = open_database(target, daily_backup=False)
        with restored.transaction() as s:
            items = A.ordered_items(M.get_meeting(s, meeting_id))
            # A consistent copy: positions and numbers are whole sequences, never half a transaction.
            assert [i.position for i in items] == list(range(len(items)))
            assert [i.minute_number for i in items] == list(range(1, len(items) + 1))
        restored.close()


def test_restore_keeps_a_copy_of_what_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        C.create_committee(s, "Before", "BE")
    backup = db.backup_to(tmp_path / "snapshot.sqlite")
    with db.transaction() as s:
        C.create_committee(s, "After", "AF")
    db.close()
    kept = restore_database(path, backup)
    assert kept is not None and kept.exists()
    db = open_database(path)
    with db.transaction() as s:
        assert [c.name for c in C.list_committees(s)] == ["Before"]
    db.close()


def test_pragmas_are_set(db) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
