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


# -- both engines: SQLite files and PostgreSQL (team mode) ---------------------------------------------------------


def test_a_new_database_is_at_the_current_schema_on_either_engine(database_url: str) -> None:
    from paperprep.db import schema_revision

    first = open_database(database_url, daily_backup=False)
    try:
        assert schema_revision(first) == head_revision()
        with first.transaction() as s:
            C.create_committee(s, "Scrutiny", "SC")
    finally:
        first.close()
    again = open_database(database_url, daily_backup=False)
    try:
        assert again.migrated_from is None
        with again.transaction() as s:
            assert [c.code for c in C.list_committees(s)] == ["SC"]
    finally:
        again.close()


def test_change_capture_records_cascades_and_puts_rows_back_exactly(database) -> None:  # type: ignore[no-untyped-def]
    """The same RowChange images on both engines: a deletion that cascades is captured whole, restored with the
    keys deferred (or off) in any order, and undone again; versions only go up."""
    from paperprep.db import changelog

    with database.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        m = M.create_meeting(s, c, dt.date(2025, 4, 24))
        first = A.add_item(s, m, "Ofsted focused visit")
        A.add_item(s, m, "Budget monitoring")
        s.flush()
        meeting_id, item_id = m.id, first.id
    with database.transaction() as s:
        conn = s.connection()
        changelog.begin(conn)
        s.delete(M.get_meeting(s, meeting_id))
        s.flush()
        rows = changelog.end(conn)
    tables = sorted(r.table for r in rows)
    assert tables == ["agenda_items", "agenda_items", "meetings"]
    assert all(r.after is None for r in rows)
    item = next(r for r in rows if r.table == "agenda_items" and r.key == (item_id,))
    assert item.before is not None and item.before["title"] == "Ofsted focused visit"
    assert item.before["is_exempt"] in (False, 0)
    # Undo: the parent is last in the list, so its children go in before it exists.
    with database.transaction(foreign_keys=False) as s:
        conn = s.connection()
        changelog.check(conn, rows, backwards=True)
        changelog.begin(conn)
        changelog.restore(conn, sorted(rows, key=lambda r: r.table), backwards=True)
        changelog.end(conn)
        assert changelog.foreign_key_problems(conn) == []
    with database.transaction() as s:
        restored = M.get_meeting(s, meeting_id)
        assert [i.title for i in A.ordered_items(restored)] == ["Ofsted focused visit", "Budget monitoring"]
        assert restored.version > 1  # versions never go back
        conn = s.connection()
        now = changelog.current(conn, "agenda_items", (item_id,))
        assert now is not None and now["title"] == "Ofsted focused visit"
    # Redo: gone again, by the same images.
    with database.transaction(foreign_keys=False) as s:
        conn = s.connection()
        changelog.begin(conn)
        changelog.restore(conn, rows, backwards=False)
        changelog.end(conn)
        assert changelog.foreign_key_problems(conn) == []
    with database.transaction() as s:
        assert changelog.current(s.connection(), "meetings", (meeting_id,)) is None


def test_an_undo_that_would_leave_a_row_pointing_nowhere_is_refused(database) -> None:  # type: ignore[no-untyped-def]
    """An undo of adding a meeting, after another window added an item to it: refused on both engines, and
    nothing changes (SQLite finds the orphan with its key check, PostgreSQL the cascade that would reach it)."""
    from paperprep.db import changelog
    from paperprep.errors import ConflictError

    with database.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        s.flush()
        committee_id = c.id
    with database.transaction() as s:
        conn = s.connection()
        changelog.begin(conn)
        m = M.create_meeting(s, C.get_committee(s, committee_id), dt.date(2025, 4, 24))
        s.flush()
        meeting_id = m.id
        rows = changelog.end(conn)
    with database.transaction() as s:
        A.add_item(s, M.get_meeting(s, meeting_id), "Added since, in another window")
    with pytest.raises(ConflictError, match="cannot be undone"):
        with database.transaction(foreign_keys=False) as s:
            conn = s.connection()
            changelog.check(conn, rows, backwards=True)
            changelog.begin(conn)
            changelog.restore(conn, rows, backwards=True)
            changelog.end(conn)
            if changelog.foreign_key_problems(conn):
                raise ConflictError("This step cannot be undone: something refers to it.")
    with database.transaction() as s:
        assert [i.title for i in A.ordered_items(M.get_meeting(s, meeting_id))] == ["Added since, in another window"]


def test_search_finds_words_with_the_last_as_a_prefix_on_either_engine(database) -> None:  # type: ignore[no-untyped-def]
    from paperprep.db import fts

    with database.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        m = M.create_meeting(s, c, dt.date(2025, 4, 24))
        item = A.add_item(s, m, "Ofsted focused visit")
        item.minutes_text = "Inspectors found strong leadership across children's services."
        A.add_item(s, m, "Budget monitoring")
        s.flush()
        item_id = item.id
    with database.transaction() as s:
        hits = fts.search(s, "strong leader")
        assert [(h.kind, h.id) for h in hits] == [("item", item_id)]
        assert "[" in hits[0].snippet and "]" in hits[0].snippet
        assert fts.search(s, "nothing like this") == []
        assert fts.search(s, "' & ! :* \"") == []  # search syntax typed by the clerk is never a failure


def test_migrate_command_prints_the_schema_version(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from paperprep.cli import parse_args, run

    assert run(parse_args(["migrate", "--db", database_url])) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith(f"is at schema {head_revision()}.")


def test_an_unreachable_server_is_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from paperprep.cli import parse_args, run

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert run(parse_args(["migrate", "--db", f"postgresql://clerk@127.0.0.1:{port}/paperprep"])) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("paperprep: paperprep cannot reach paperprep on 127.0.0.1:")
    assert "\n" not in err and "Traceback" not in err


def test_the_demo_loads_and_its_minutes_export_the_same_on_both_engines(pg_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """LoadDemo on SQLite and on PostgreSQL, then every meeting's minutes (confidential, so every word is in)
    exported: the documents' text is the same, dates and ids aside."""
    import re
    import zipfile

    from paperprep.domain import Audience
    from paperprep.ops import Workbench
    from paperprep.ops.exports import export_minutes
    from paperprep.ops.meetings import LoadDemo
    from paperprep.services.meetings import list_meetings

    def texts(location: str, folder: Path) -> list[str]:
        db = open_database(location, daily_backup=False)
        try:
            bench = Workbench(db)
            bench.run(LoadDemo(dt.date(2026, 9, 15), folder / "files"))
            meetings = bench.read(lambda s: [(m.id, m.date) for m in list_meetings(s)])
            out = []
            for meeting_id, _date in sorted(meetings, key=lambda m: (m[1], m[0])):
                target = folder / f"minutes-{meeting_id}.docx"
                export_minutes(db, meeting_id, target, Audience.CONFIDENTIAL)
                with zipfile.ZipFile(target) as docx:
                    xml = docx.read("word/document.xml").decode("utf-8")
                words = re.sub(r"<[^>]+>", " ", xml)
                out.append(re.sub(r"\s+", " ", words))
            return out
        finally:
            db.close()

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    on_sqlite = texts(str(tmp_path / "a" / "demo.sqlite"), tmp_path / "a")
    url = pg_cluster.new_database()
    try:
        on_server = texts(url, tmp_path / "b")
    finally:
        pg_cluster.drop_database(url)
    assert len(on_sqlite) >= 3
    assert len(on_server) == len(on_sqlite)
    for a, b in zip(on_sqlite, on_server, strict=True):
        assert a == b
