"""Consistent copies of the clerk's database with SQLite's online backup API, and restoring from them.

The backup API copies a consistent snapshot even while another connection is writing, so "Backup now" works with
the app open. Rolling backups sit beside the database in "<name>-backups/": one per day on open, the last 14 kept,
and one before every migration (those are never pruned). Once a day, before that day's backup, the full integrity
check runs (its date is kept in the backups folder), so a damaged database never enters the rotation.

The same folder keeps the database's known state (`remember_state`): the identity of the file as paperprep
last checked it or closed it. Opening a file that is exactly in that state skips the quick check (see
paperprep.db._identify for why that is safe).

Every copy is written to a temporary file in the target folder, checked, and renamed into place: a failure (a
full disk, a lock held too long) leaves no partial file and keeps an older file of that name.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paperprep.db.engine import (
    SQLITE_HEADER,
    bounded_backup,
    os_problem,
    read_only,
    side_file_problem,
)
from paperprep.errors import (
    CorruptDatabaseError,
    DamagedDatabaseError,
    DatabaseBusyError,
    DatabaseProblem,
    DiskFullError,
    PaperprepError,
)

KEEP_DAILY = 14
DAILY_PREFIX = "daily-"
LAST_FULL_CHECK = "last-full-check.txt"
KNOWN_STATE = "known-state.json"
# How long a file's timestamps must be past before its state is kept. File times come from a clock that moves
# in ticks (1 to 10 ms on Linux, about 16 ms on Windows); a change made in the same tick as paperprep's last
# write would keep the same times, so the state is kept only once the clock has moved on from them.
SETTLE_NS = 30_000_000
_COUNTER = slice(24, 28)  # the SQLite header's file change counter
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-backups"


def _private_dir(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "posix":
            os.chmod(folder, 0o700)


def fsync_path(path: Path) -> None:
    """What was written to `path` (a file, or on POSIX a folder after a rename in it) is on the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_with_side_files(path: Path) -> None:
    for name in (path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES)):
        try:
            name.unlink(missing_ok=True)
        except OSError:
            pass  # cleaning up after a failure: the failure itself is what the clerk is told


def _sqlite_problem(exc: sqlite3.Error, source: Path, target: Path) -> PaperprepError:
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        return DatabaseBusyError()
    if "full" in message:
        return DiskFullError()
    if "unable to open" in message or "readonly" in message or "disk i/o" in message:
        side = side_file_problem(source)
        if side is not None:
            return side
        if target.parent.is_dir() and not os.access(target.parent, os.W_OK):
            return DatabaseProblem(
                f"The copy cannot be written to {target.parent}: permission denied. Choose a folder you can "
                "write to."
            )
        return DatabaseProblem(
            f"paperprep cannot open {source.name}. Check that the folder exists and the drive is connected."
        )
    return damaged_error(source, "SQLite cannot read all of it")


@contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A temporary file name in `target`'s folder, removed (with any -journal) unless it was renamed into place."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    remove_with_side_files(temp)
    try:
        yield temp
    finally:
        remove_with_side_files(temp)


def copy_database(source: Path, target: Path) -> Path:
    """Write a consistent, checked copy of `source` to `target` (replacing it) with the backup API."""
    try:
        _private_dir(target.parent)
        with _temporary_beside(target) as partial:
            src = read_only(source)
            try:
                dst = sqlite3.connect(partial)
                try:
                    bounded_backup(src, dst)
                    # A backup is one self-contained file: no -wal beside it.
                    dst.execute("PRAGMA journal_mode = DELETE")
                    result = dst.execute("PRAGMA quick_check").fetchone()
                finally:
                    dst.close()
            finally:
                src.close()
            if not result or result[0] != "ok":
                raise damaged_error(source, "the copy failed its integrity check, so none was made")
            if os.name == "posix":
                os.chmod(partial, 0o600)  # a copy of the record is as private as the record
            fsync_path(partial)
            partial.replace(target)
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc, source, target) from None
    except OSError as exc:
        raise os_problem(exc, target, "write the copy", beside_database=False) from None
    return target


def integrity_problems(path: Path, *, full: bool) -> list[str]:
    """What SQLite's integrity check finds wrong with `path`, read-only: empty when it is sound. `full` runs
    `integrity_check` (every index against its table), otherwise the much quicker `quick_check`."""
    try:
        conn = read_only(path)
        try:
            rows = conn.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        message = str(exc).lower()
        if "locked" in message or "busy" in message:
            raise DatabaseBusyError() from None
        if "unable to open" in message or "readonly" in message:
            side = side_file_problem(path)
            if side is not None:
                raise side from None
            raise DatabaseProblem(
                f"paperprep cannot open {path.name}. Check that the folder exists and the drive is connected."
            ) from None
        return [str(exc)]
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


def has_paperprep_schema(path: Path) -> bool:
    try:
        conn = read_only(path)
        try:
            return conn.execute("SELECT version_num FROM alembic_version").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _header_ok(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def last_good_backup(db_path: Path) -> Path | None:
    """The newest backup beside `db_path` that is a paperprep database and passes the full integrity check."""
    for candidate in list_backups(db_path):
        if not _header_ok(candidate):
            continue
        try:
            if not integrity_problems(candidate, full=True) and has_paperprep_schema(candidate):
                return candidate
        except PaperprepError:
            continue
    return None


def damaged_error(db_path: Path, what: str) -> DamagedDatabaseError:
    """The sentence for a damaged database, naming the newest good backup and the command that restores it."""
    good = last_good_backup(db_path)
    if good is None:
        return DamagedDatabaseError(
            f"{db_path.name} is damaged ({what}) and no backup that passes the integrity check was found in "
            f"{backup_dir(db_path)}. Keep the file as it is and ask IT to restore it from the council's backups.",
            db_path,
            None,
        )
    when = dt.datetime.fromtimestamp(good.stat().st_mtime).strftime("%d/%m/%Y %H:%M")
    command = f"paperprep restore --db {shlex.quote(str(db_path))} --from {shlex.quote(str(good))}"
    return DamagedDatabaseError(
        f"{db_path.name} is damaged ({what}); the most recent good backup is {good.name}, from {when}. "
        f"Restore it with: {command} (a copy of the damaged file is kept beside it).",
        db_path,
        good,
    )


def _last_full_check(folder: Path) -> dt.date | None:
    try:
        return dt.date.fromisoformat((folder / LAST_FULL_CHECK).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _remember_full_check(folder: Path, today: dt.date) -> None:
    marker = folder / LAST_FULL_CHECK
    with _temporary_beside(marker) as temp:
        with os.fdopen(os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
            out.write(today.isoformat() + "\n")
        temp.replace(marker)


def file_identity(db_path: Path) -> dict[str, object] | None:
    """What changes whenever anything writes to the database or puts another file in its place: the size,
    times (ns), inode and device of the file, the size and times of its -wal (an empty -wal holds nothing and
    counts as none), and the header's change counter. None when the file cannot be read."""
    try:
        info = db_path.stat()
        with db_path.open("rb") as handle:
            header = handle.read(_COUNTER.stop)
        try:
            wal: list[int] | None = None
            side = db_path.with_name(db_path.name + "-wal").stat()
            if side.st_size:
                wal = [side.st_size, side.st_mtime_ns, side.st_ctime_ns]
        except FileNotFoundError:
            wal = None
    except OSError:
        return None
    return {
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ctime_ns": info.st_ctime_ns,
        "inode": info.st_ino,
        "device": info.st_dev,
        "counter": int.from_bytes(header[_COUNTER], "big") if len(header) >= _COUNTER.stop else None,
        "wal": wal,
    }


def _unsettled_ns(identity: dict[str, object]) -> int | None:
    """How long until the clock has moved on from every time in `identity`, so that a later write cannot keep
    them (0: it has); None when the times are whole seconds (a file system that keeps only those could hide a
    change for that long)."""
    wal = identity["wal"]
    times = [identity["mtime_ns"], identity["ctime_ns"], *(wal[1:] if isinstance(wal, list) else ())]
    stamps = [t for t in times if isinstance(t, int)]
    if not stamps or stamps[0] % 1_000_000_000 == 0:
        return None
    return max(0, max(stamps) + SETTLE_NS - time.time_ns())


def remember_state(db_path: Path, *, wait: bool = False) -> bool:
    """Keep the database's identity as sound, in its backups folder (only where that folder exists: a file
    opened without backups is checked every time). With `wait`, first wait for the clock to move on from the
    file's last write (a few milliseconds: paperprep has just written it). Never an error: without the record
    the next open runs the quick check. Returns whether it was kept."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return False
    identity = file_identity(db_path)
    if identity is None:
        return False
    left = _unsettled_ns(identity)
    if left is None or left > SETTLE_NS:  # whole seconds, or times ahead of this computer's clock
        return False
    if left:
        if not wait:
            return False
        time.sleep(left / 1e9 + 0.001)
        if file_identity(db_path) != identity:
            return False
    try:
        with _temporary_beside(folder / KNOWN_STATE) as temp:
            fd = os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(identity, out)
            temp.replace(folder / KNOWN_STATE)
    except OSError:
        return False
    return True


def forget_state(db_path: Path) -> None:
    """Drop the kept state: the next open runs the quick check."""
    try:
        (backup_dir(db_path) / KNOWN_STATE).unlink(missing_ok=True)
    except OSError:
        pass


def in_known_state(db_path: Path, today: dt.date | None = None) -> bool:
    """Whether the database is exactly as paperprep last checked or closed it, and today's full check has run
    (the first open of a day runs the quick check as well: a failing disk changes pages without touching any
    of the file's times)."""
    folder = backup_dir(db_path)
    if _last_full_check(folder) != (today or dt.date.today()):
        return False
    try:
        kept = json.loads((folder / KNOWN_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    identity = file_identity(db_path)
    return identity is not None and kept == identity


def daily_backup(db_path: Path, today: dt.date | None = None) -> Path | None:
    """Run the day's full integrity check, then take today's backup unless there is one; keep the newest 14 daily
    backups. A damaged database is refused (DamagedDatabaseError), never copied. Returns the new file, if any."""
    today = today or dt.date.today()
    folder = backup_dir(db_path)
    if _last_full_check(folder) != today:
        problems = integrity_problems(db_path, full=True)
        if problems:
            raise damaged_error(db_path, "the daily integrity check found damaged pages")
        try:
            _private_dir(folder)
            _remember_full_check(folder, today)
        except OSError as exc:
            raise os_problem(exc, db_path, "write the backups") from None
    if folder.exists() and any(folder.glob(f"{DAILY_PREFIX}{today.isoformat()}*.sqlite")):
        return None
    stamp = dt.datetime.now().strftime("%H%M%S")
    made = copy_database(db_path, folder / f"{DAILY_PREFIX}{today.isoformat()}-{stamp}.sqlite")
    prune(folder)
    return made


def prune(folder: Path, keep: int = KEEP_DAILY) -> None:
    daily = sorted(folder.glob(f"{DAILY_PREFIX}*.sqlite"))
    for old in daily[:-keep]:
        old.unlink(missing_ok=True)


def pre_migration_backup(db_path: Path, revision: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    return copy_database(db_path, backup_dir(db_path) / f"before-upgrade-from-{revision}-{stamp}.sqlite")


def list_backups(db_path: Path) -> list[Path]:
    folder = backup_dir(db_path)
    if not folder.exists():
        return []
    return sorted(folder.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)


def check_restorable(source: Path) -> None:
    if integrity_problems(source, full=False):
        raise CorruptDatabaseError(f"{source.name} is damaged, so it was not restored. Choose another backup.")


def restore_into(source: Path, db_path: Path) -> None:
    """Overwrite the database at `db_path` with the content of `source`, page by page, through the backup API.

    The backup API writes through SQLite's locking in one transaction, so a reader never sees half a restore and
    a failure leaves the database as it was.
    """
    check_restorable(source)
    try:
        src = read_only(source)
        try:
            dst = sqlite3.connect(db_path, timeout=1)
            try:
                bounded_backup(src, dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        problem = _sqlite_problem(exc, db_path, db_path)
        if type(problem) is CorruptDatabaseError:
            problem = CorruptDatabaseError(f"{source.name} could not be restored ({exc}). Choose another backup.")
        raise problem from None
    except OSError as exc:
        raise os_problem(exc, db_path, "restore the database") from None


def replace_damaged(source: Path, db_path: Path) -> Path:
    """Restore `source` over a damaged database that SQLite cannot write into. The damaged file (and its -wal)
    is first copied beside it as "<name>-damaged-<time>.sqlite"; the backup is copied into a temporary file in
    the same folder and renamed into place, so a failure on the way leaves the damaged file where it was.
    Returns the kept copy."""
    check_restorable(source)
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.stem}-damaged-{stamp}{db_path.suffix or '.sqlite'}")
    try:
        for suffix in ("", "-wal"):
            original = db_path.with_name(db_path.name + suffix)
            if not original.exists():
                continue
            copy = kept.with_name(kept.name + suffix)
            with _temporary_beside(copy) as temp:
                fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                with os.fdopen(fd, "wb") as out, original.open("rb") as data:
                    while chunk := data.read(1 << 20):
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                temp.replace(copy)
        fresh = copy_database(source, db_path.with_name(f".{db_path.name}.restoring"))
        try:
            # A -wal or -shm left by the damaged file would be replayed over the restored one.
            for suffix in SIDE_SUFFIXES:
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
            fresh.replace(db_path)
        finally:
            fresh.unlink(missing_ok=True)
    except OSError as exc:
        raise os_problem(exc, db_path, "restore the database") from None
    return kept
