"""Storage: open the clerk's database safely, migrate it, back it up, check it, and search it.

`open_database(path)` is the one way in. It refuses files that are not paperprep databases or that a newer
paperprep wrote, copies the file before migrating it, runs the migrations shipped in this package, and takes the
day's rolling backup. Everything specific to SQLite (pragmas, the backup API, FTS5) stays inside this package.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from paperprep.db import backup as _backup
from paperprep.db.engine import check_header, sqlite_engine, translate
from paperprep.errors import CorruptDatabaseError, DatabaseProblem, DatabaseTooNewError

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
class Database:
    """An open database: its engine and a session factory. The caller owns each unit of work."""

    path: Path
    engine: Engine
    Session: sessionmaker[OrmSession] = field(repr=False)
    migrated_from: str | None = None
    pre_migration_copy: Path | None = None

    @contextmanager
    def transaction(self, *, foreign_keys: bool = True) -> Iterator[OrmSession]:
        """`with db.transaction() as s:` commits on success, rolls back on error, and translates storage errors.

        `foreign_keys=False` is for putting rows back exactly (undo): no cascade fires while they go in, in any
        order. The caller checks the keys before the transaction ends.
        """
        try:
            if foreign_keys:
                with self.Session() as session, session.begin():
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
            problem = translate(exc, self.path)
            if problem is None:
                raise
            raise problem from exc

    def backup_to(self, target: Path) -> Path:
        return _backup.copy_database(self.path, Path(target))

    def close(self) -> None:
        self.engine.dispose()

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


def open_database(
    path: str | os.PathLike[str] | None = None, *, create: bool = True, daily_backup: bool = True
) -> Database:
    """Open (or create) the database at `path`, migrating it to this version's schema."""
    db_path = Path(path) if path is not None else default_database_path()
    db_path = db_path.expanduser()
    if db_path.exists() and db_path.is_dir():
        raise DatabaseProblem(f"{db_path} is a folder, not a database file. Give the path of a .sqlite file.")
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
            raise DatabaseProblem(
                f"The database cannot be created in {db_path.parent} ({exc.strerror}). Choose another place."
            ) from None
    else:
        check_header(db_path)
    engine = sqlite_engine(db_path)
    try:
        migrated_from, copy = _migrate(engine, db_path)
    except DBAPIError as exc:
        engine.dispose()
        problem = translate(exc, db_path)
        if problem is None:
            raise
        raise problem from exc
    except BaseException:
        engine.dispose()
        raise
    db = Database(db_path, engine, sessionmaker(engine, expire_on_commit=False), migrated_from, copy)
    if daily_backup:
        _backup.daily_backup(db_path)
    return db


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


def check_database(path: str | os.PathLike[str]) -> CheckReport:
    """Integrity and schema check, without changing the file."""
    import sqlite3

    db_path = Path(path)
    if not db_path.is_file():
        raise DatabaseProblem(f"There is no database at {db_path}. Check the path.")
    check_header(db_path)
    problems: list[str] = []
    revision = None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                problems += [f"integrity: {r}" for r in rows[:10]]
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
        problems.append(f"the file cannot be read as a database ({exc})")
    return CheckReport(not problems, problems, revision)


def restore_database(db_path: str | os.PathLike[str], source: str | os.PathLike[str]) -> Path | None:
    """Replace the database with a backup. A copy of the current file is kept first. Returns that copy."""
    target = Path(db_path)
    src = Path(source)
    if not src.is_file():
        raise DatabaseProblem(f"There is no backup at {src}. Check the path.")
    check_header(src)
    safety = None
    if target.exists():
        check_header(target)
        import datetime as dt

        stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        safety = _backup.copy_database(target, _backup.backup_dir(target) / f"before-restore-{stamp}.sqlite")
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    _backup.restore_into(src, target)
    # The restored copy may come from an older version: bring it up to date now.
    open_database(target, daily_backup=False).close()
    return safety


__all__ = [
    "Database",
    "CheckReport",
    "check_database",
    "default_database_path",
    "open_database",
    "restore_database",
]
