"""Storage: open the clerk's database safely, migrate it, back it up, check it, and search it.

`open_database(path)` is the one way in. It refuses files that are not paperprep databases or that a newer
paperprep wrote, copies the file before migrating it, runs the migrations shipped in this package, and takes the
day's rolling backup. Everything specific to SQLite (pragmas, the backup API, FTS5) stays inside this package.

Team mode: `open_database("postgresql://user@host:5432/paperprep")` opens a shared PostgreSQL 15+ database through
psycopg 3, and runs the same migrations on it. Its backups are the council's (pg_dump, docs/team-mode.md); the
password comes from libpq's usual sources (PGPASSWORD, ~/.pgpass), never from paperprep's settings.
"""

from __future__ import annotations

import errno
import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from paperprep.db import backup as _backup
from paperprep.db.engine import (
    check_header,
    describe_server,
    is_server_url,
    os_problem,
    postgresql_engine,
    read_only,
    server_problem,
    server_url,
    sqlite_engine,
    translate,
)
from paperprep.errors import (
    CorruptDatabaseError,
    DatabaseProblem,
    DatabaseTooNewError,
    DiskFullError,
)

MIGRATIONS = Path(__file__).with_name("migrations")
APP_NAME = "paperprep"


def private_folder(folder: Path) -> None:
    """Make `folder` (and missing parents) readable by its owner only, on POSIX; an existing folder is left as is."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask


def default_database_path() -> Path:
    """The per-user database, in the user's data folder. PAPERPREP_DB overrides it (used by tests and IT)."""
    override = os.environ.get("PAPERPREP_DB")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "paperprep.sqlite"


def _alembic_config(connection: object) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _revision_graph() -> dict[str, str | None]:
    """Each shipped migration's revision and the one it follows, read from the files without importing Alembic,
    which costs a third of a second on every start when the schema is already at head."""
    import re

    graph: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = re.search(r'^revision = "([^"]+)"', source, re.MULTILINE)
        if revision is None:
            continue
        down = re.search(r'^down_revision = "([^"]+)"', source, re.MULTILINE)
        graph[revision.group(1)] = down.group(1) if down else None
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    if len(heads) != 1:  # a branched history: let Alembic say what is wrong
        from alembic.script import ScriptDirectory

        return str(ScriptDirectory(str(MIGRATIONS)).get_current_head())
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


@dataclass
class _Opened:
    """What closing a database file needs to know: which file was opened (its inode and device), and whether
    SQLite reported an error while it was open. Kept apart from the Database, which closing may outlive."""

    path: Path
    file: tuple[int, int] | None
    sound: bool = True


def _close_file(engine: Engine, opened: _Opened | None) -> None:
    """Close the engine's connections (the last one folds the -wal into the file), then keep the file's state
    as known, unless SQLite reported an error while it was open or another file has taken its place."""
    engine.dispose()
    if opened is None or not opened.sound:
        return
    try:
        info = opened.path.stat()
    except OSError:
        return
    if (info.st_ino, info.st_dev) == opened.file:
        _backup.remember_state(opened.path, wait=True)


@dataclass
class Database:
    """An open database: its engine and a session factory. The caller owns each unit of work.

    On PostgreSQL `url` is the server's address and `path` a place on this computer named after it, for what
    paperprep keeps beside a database (the stored copies of papers) until team mode keeps those on the server.
    """

    path: Path
    engine: Engine
    Session: sessionmaker[OrmSession] = field(repr=False)
    migrated_from: str | None = None
    pre_migration_copy: Path | None = None
    url: URL | None = None
    opened: _Opened | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Closed once: by close(), or when the Database is collected, or as the process ends normally.
        self._closer = weakref.finalize(self, _close_file, self.engine, self.opened)

    @property
    def on_server(self) -> bool:
        return self.url is not None

    @property
    def location(self) -> str:
        """The database as the clerk knows it: the file, or "paperprep on db.council.local:5432"."""
        return describe_server(self.url) if self.url is not None else str(self.path)

    @contextmanager
    def transaction(self, *, foreign_keys: bool = True) -> Iterator[OrmSession]:
        """`with db.transaction() as s:` commits on success, rolls back on error, and translates storage errors.

        `foreign_keys=False` is for putting rows back exactly (undo): no cascade fires while they go in, in any
        order. The caller checks the keys before the transaction ends.
        """
        try:
            if foreign_keys or self.url is not None:
                with self.Session() as session, session.begin():
                    if not foreign_keys:
                        # Every key is deferrable on PostgreSQL (the migrations make them so): checked at the
                        # latest when the transaction commits, or earlier by changelog.foreign_key_problems.
                        session.execute(text("SET CONSTRAINTS ALL DEFERRED"))
                    yield session
            else:
                with self.engine.connect() as conn:
                    raw = conn.connection.dbapi_connection
                    assert raw is not None
                    raw.execute("PRAGMA foreign_keys = OFF")  # outside any transaction, where SQLite honours it
                    try:
                        with self.Session(bind=conn) as session, session.begin():
                            yield session
                    finally:
                        raw.execute("PRAGMA foreign_keys = ON")
        except DBAPIError as exc:
            if self.opened is not None:
                self.opened.sound = False  # closing will not vouch for the file: the next open checks it
            problem = server_problem(exc, self.location) if self.url is not None else translate(exc, self.path)
            if problem is None:
                raise
            if type(problem) is CorruptDatabaseError:
                _backup.forget_state(self.path)
                problem = _backup.damaged_error(self.path, "SQLite found a damaged page")
            raise problem from exc

    def backup_to(self, target: Path) -> Path:
        if self.url is not None:
            raise DatabaseProblem(
                f"{self.location} is a shared database: IT backs it up with pg_dump (see docs/team-mode.md)."
            )
        return _backup.copy_database(self.path, Path(target))

    def close(self) -> None:
        self._closer()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


def _current_revision(engine: Engine) -> tuple[str | None, bool]:
    """(alembic revision or None, whether the database holds any tables at all)."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables:
            return None, bool(tables)
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return (row[0] if row else None), True


def _identify(db_path: Path) -> None:
    """Make sure an existing file is a sound paperprep database before anything may write to it: read-only, so
    a zero-byte file, another program's database or a damaged file is refused exactly as it was found.

    The quick check (a fifth to two fifths of a second on ten years of minutes) is skipped when the file is
    exactly as paperprep last left it: closed cleanly, or checked. Damage comes from outside paperprep (a sync
    tool, a copy taken while the file was open, a restore by hand, a failing disk), since SQLite's own writes
    keep the file sound through crashes. So when a check passes, and when paperprep closes the file without
    SQLite having reported an error, the file's identity is kept in its backups folder: size, times (ns),
    inode and device of the file and of its -wal, and the header's change counter (backup.file_identity).
    Anything else that writes to the file, or puts another file in its place, changes that identity, and the
    check runs. A file closed while SQLite was reporting errors, or replaced while open, is not vouched for. A
    failing disk changes pages without touching the file's times: the first open of each day runs the quick
    check anyway, before the day's full check and backup. The identity is kept only once the file's times are
    in the past by more than one tick of the file system's clock, so that no later write can share them."""
    import sqlite3

    try:
        size = db_path.stat().st_size
    except OSError as exc:
        raise os_problem(exc, db_path, "read the database") from None
    if size == 0:
        raise CorruptDatabaseError(
            f"{db_path.name} is an empty file (0 bytes), not a paperprep database, and was left as it is. "
            "Open a paperprep database, or give the name of a new file to create one."
        )
    try:
        check_header(db_path)
    except CorruptDatabaseError:
        damaged = _backup.damaged_error(db_path, "its first page is not a database header")
        if damaged.backup is None:  # no backup of it: perhaps not a database at all, so the plain refusal
            raise
        raise damaged from None
    try:
        conn = read_only(db_path)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            row = (
                conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        finally:
            conn.close()
    except sqlite3.Error as exc:
        problem = translate(exc, db_path)
        if isinstance(problem, CorruptDatabaseError):
            raise _backup.damaged_error(db_path, "its list of tables cannot be read") from None
        if problem is None:
            raise
        raise problem from None
    revision = row[0] if row else None
    if revision is None:
        what = "holds no tables" if not tables else "is a database of another program"
        raise CorruptDatabaseError(
            f"{db_path.name} {what}, not paperprep, and was left as it is. Open a paperprep database instead."
        )
    if revision not in known_revisions():
        raise DatabaseTooNewError(
            f"{db_path.name} was saved by a newer version of paperprep (schema {revision}). "
            "Install the latest paperprep to open it; this version will not change it."
        )
    if _backup.in_known_state(db_path):
        return
    before = _backup.file_identity(db_path)
    if _backup.integrity_problems(db_path, full=False):
        _backup.forget_state(db_path)
        raise _backup.damaged_error(db_path, "the integrity check found damaged pages")
    if before is not None and _backup.file_identity(db_path) == before:
        _backup.remember_state(db_path)


def _file_of(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_dev


def open_database(
    path: str | os.PathLike[str] | None = None, *, create: bool = True, daily_backup: bool = True
) -> Database:
    """Open (or create) the database at `path`, migrating it to this version's schema.

    An existing file is identified read-only first (`_identify`): only a sound paperprep database is switched to
    WAL and migrated. A damaged one raises DamagedDatabaseError, which names the newest good backup. A
    `postgresql://` address opens a shared database instead (`open_server`).
    """
    if is_server_url(path):
        return open_server(str(path))
    db_path = Path(path) if path is not None else default_database_path()
    db_path = db_path.expanduser()
    if db_path.exists() and db_path.is_dir():
        raise DatabaseProblem(f"{db_path} is a folder, not a database file. Give the path of a .sqlite file.")
    created = False
    if not db_path.exists():
        if not create:
            raise DatabaseProblem(
                f"There is no database at {db_path}. Check the path, or create one with paperprep demo."
            )
        try:
            private_folder(db_path.parent)
            # Made here, not by SQLite, so that it is private from the first byte (SQLite gives its -wal and -shm
            # files the same mode as the database).
            os.close(os.open(db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise DiskFullError() from None
            raise DatabaseProblem(
                f"The database cannot be created in {db_path.parent} ({exc.strerror}). Choose another place."
            ) from None
        created = True
    else:
        _identify(db_path)
    opened = _Opened(db_path, _file_of(db_path))
    engine = sqlite_engine(db_path)
    try:
        migrated_from, copy = _migrate(engine, db_path)
    except BaseException as exc:
        engine.dispose()
        if created:  # a half-made new file would be refused as empty next time: it holds nothing, so it goes
            _backup.remove_with_side_files(db_path)
        if isinstance(exc, DBAPIError):
            problem = translate(exc, db_path)
            if problem is not None:
                raise problem from exc
        if isinstance(exc, OSError):
            raise os_problem(exc, db_path, "prepare the database") from None
        raise
    db = Database(
        db_path, engine, sessionmaker(engine, expire_on_commit=False), migrated_from, copy, opened=opened
    )
    if daily_backup:
        try:
            _backup.daily_backup(db_path)
        except BaseException:
            opened.sound = False  # refused or not backed up: not vouched for
            db.close()
            raise
    return db


def attach_database(path: Path, url: str | None = None) -> Database:
    """A database that another paperprep process of this computer has already opened, checked and migrated (the
    export helper's, paperprep.ops.helper): the file at `path`, or the server at `url`, used as it is, with no
    check, migration or backup of its own."""
    if url is not None:
        server = make_url(url)
        engine = postgresql_engine(server)
        return Database(path, engine, sessionmaker(engine, expire_on_commit=False), url=server)
    engine = sqlite_engine(path)
    return Database(path, engine, sessionmaker(engine, expire_on_commit=False))


MIGRATION_LOCK = 4_127_031  # an advisory lock key: one clerk's paperprep migrates a shared database at a time


def server_folder(url: URL) -> Path:
    """The place on this computer named after a shared database (see Database)."""
    from platformdirs import user_data_path

    name = f"{url.database}@{url.host or 'localhost'}-{url.port or 5432}"
    return user_data_path(APP_NAME, appauthor=False) / "servers" / name


def open_server(location: str) -> Database:
    """Open the PostgreSQL database at `location` (postgresql://user@host:port/db), migrating it to this version's
    schema: an empty database gets the whole schema, a database of another program or of a newer paperprep is
    refused as it is. Clerks' copies of paperprep that open it at the same time wait for each other's migration."""
    url = server_url(location)
    where = describe_server(url)
    engine = postgresql_engine(url)
    try:
        with engine.connect() as conn:
            version = int(conn.exec_driver_sql("SHOW server_version_num").scalar() or 0)
        if version < 150000:
            raise DatabaseProblem(f"{where} runs PostgreSQL {version // 10000}; paperprep needs 15 or later.")
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            migrated_from = _migrate_server(conn, where)
    except BaseException as exc:
        engine.dispose()
        if isinstance(exc, DBAPIError):
            problem = server_problem(exc, where)
            if problem is not None:
                raise problem from exc
        raise
    return Database(
        server_folder(url), engine, sessionmaker(engine, expire_on_commit=False), migrated_from, None, url
    )


def _migrate_server(conn: Any, where: str) -> str | None:
    tables = set(inspect(conn).get_table_names())
    current = None
    if "alembic_version" in tables:
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        current = row[0] if row else None
    head = head_revision()
    if current == head:
        return None
    if current is None and tables - {"alembic_version"}:
        raise CorruptDatabaseError(
            f"The database {where} holds another program's tables, not paperprep's, and was left as it is. "
            "Ask IT for an empty database for paperprep."
        )
    if current is not None and current not in known_revisions():
        raise DatabaseTooNewError(
            f"The database {where} was upgraded by a newer version of paperprep (schema {current}). "
            "Install the latest paperprep to use it; this version will not change it."
        )
    from alembic import command

    command.upgrade(_alembic_config(conn), "head")  # type: ignore[arg-type]
    return current


def schema_revision(database: Database) -> str | None:
    """The schema revision the database is at now."""
    current, _tables = _current_revision(database.engine)
    return current


def _migrate(engine: Engine, db_path: Path) -> tuple[str | None, Path | None]:
    current, has_tables = _current_revision(engine)
    head = head_revision()
    if current == head:
        return None, None
    if current is None and has_tables:
        raise CorruptDatabaseError(
            f"{db_path.name} is a database of another program, not paperprep. Open a paperprep database instead."
        )
    if current is not None and current not in known_revisions():
        raise DatabaseTooNewError(
            f"{db_path.name} was saved by a newer version of paperprep (schema {current}). "
            "Install the latest paperprep to open it; this version will not change it."
        )
    copy = _backup.pre_migration_backup(db_path, current) if current is not None else None
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")  # type: ignore[arg-type]
    return current, copy


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    problems: list[str]
    revision: str | None
    damaged: bool = False  # the file itself is damaged, as opposed to another program's or a newer schema
    good_backup: Path | None = None  # when damaged: the newest backup that passes the integrity check


def check_database(path: str | os.PathLike[str]) -> CheckReport:
    """Integrity and schema check, without changing the file: read-only, with the lock timeout."""
    import sqlite3

    if is_server_url(path):
        raise DatabaseProblem(
            "paperprep check works on database files; a shared PostgreSQL database is checked by the server "
            "(see docs/team-mode.md)."
        )
    db_path = Path(path)
    if not db_path.is_file():
        raise DatabaseProblem(f"There is no database at {db_path}. Check the path.")
    if db_path.stat().st_size == 0:
        return CheckReport(False, ["the file is empty (0 bytes): it is not a paperprep database"], None)
    try:
        check_header(db_path)
    except CorruptDatabaseError:
        return _damaged_report(db_path, ["its first page is not a database header"], None)
    problems: list[str] = []
    revision = None
    integrity = _backup.integrity_problems(db_path, full=True)  # raises DatabaseBusyError when locked
    if integrity:
        return _damaged_report(db_path, [f"integrity: {r}" for r in integrity[:10]], None)
    try:
        conn = read_only(db_path)
        try:
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"{len(fk)} rows point at records that no longer exist")
            try:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            except sqlite3.DatabaseError:
                revision = None
            if revision is None:
                problems.append("no paperprep schema version: this is not a paperprep database")
            elif revision not in known_revisions():
                problems.append(f"schema {revision} is newer than this paperprep; install the latest version")
            elif revision != head_revision():
                problems.append(
                    f"schema {revision} is older than {head_revision()}; opening it will upgrade it"
                )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        problem = translate(exc, db_path)
        if problem is not None and not isinstance(problem, CorruptDatabaseError):
            raise problem from None
        return _damaged_report(db_path, [f"the file cannot be read as a database ({exc})"], revision)
    return CheckReport(not problems, problems, revision)


def _damaged_report(db_path: Path, problems: list[str], revision: str | None) -> CheckReport:
    return CheckReport(False, problems, revision, damaged=True, good_backup=_backup.last_good_backup(db_path))


def _is_sound(path: Path) -> bool:
    """Whether SQLite can write into `path` as it is: a database (or an empty file) whose pages are sound."""
    try:
        check_header(path)
    except CorruptDatabaseError:
        return False
    return not _backup.integrity_problems(path, full=False)


def restore_database(db_path: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path | None:
    """Replace the database with a backup. A copy of the current file is kept first. Returns that copy.

    A sound file is copied into the backups folder and overwritten through the backup API; a damaged one, which
    SQLite cannot write into, is copied beside itself ("<name>-damaged-<time>.sqlite") and replaced whole.
    """
    target = Path(db_path)
    src = Path(source)
    if not src.is_file():
        raise DatabaseProblem(f"There is no backup at {src}. Check the path.")
    check_header(src)
    _backup.check_restorable(src)
    if not _backup.has_paperprep_schema(src):
        raise CorruptDatabaseError(f"{src.name} is not a paperprep backup, so it was not restored. Choose another.")
    safety = None
    if target.exists() and not _is_sound(target):
        safety = _backup.replace_damaged(src, target)
    elif target.exists():
        import datetime as dt

        stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        safety = _backup.copy_database(target, _backup.backup_dir(target) / f"before-restore-{stamp}.sqlite")
        _backup.restore_into(src, target)
    else:
        private_folder(target.parent)
        _backup.copy_database(src, target)
    # The restored copy may come from an older version: bring it up to date now.
    open_database(target, daily_backup=False).close()
    return safety


__all__ = [
    "Database",
    "CheckReport",
    "check_database",
    "default_database_path",
    "open_database",
    "open_server",
    "restore_database",
    "schema_revision",
]
