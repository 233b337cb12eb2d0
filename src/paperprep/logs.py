"""One failure road for the CLI and the desktop app: the log file, and the sentence a clerk is shown.

An expected failure (a PaperprepError) is shown as its own sentence, which says what to do. Anything else is a
bug: its traceback goes to the log file, and the clerk sees a short apology that names the file. Nothing is caught
and dropped on the way.
"""

from __future__ import annotations

import errno
import logging
import logging.handlers
import os
from pathlib import Path

from paperprep.errors import DATABASE_IN_USE, DISK_FULL, PaperprepError

log = logging.getLogger("paperprep")
_configured: list[Path] = []


def log_file() -> Path:
    """The log, in the user's log folder. PAPERPREP_LOG overrides it (used by tests and IT)."""
    override = os.environ.get("PAPERPREP_LOG")
    if override:
        return Path(override)
    from platformdirs import user_log_path

    return user_log_path("paperprep", appauthor=False) / "paperprep.log"


def setup_logging() -> Path | None:
    """Send paperprep's log to the rotating log file (once per process). Returns the file, or None if unwritable."""
    path = log_file()
    if _configured and _configured[0] == path:
        return path
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        if os.name == "posix":
            os.chmod(path, 0o600)  # it may quote the clerk's text
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for old in list(log.handlers):
        log.removeHandler(old)
        old.close()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    _configured[:] = [path]
    return path


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc`, the driver error a database library wrapped (`orig`), and the errors it was raised from."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen) or len(seen) > 20:
            continue
        seen.append(current)
        orig = getattr(current, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__]
    return seen


def environment_sentence(exc: BaseException) -> str | None:
    """The sentence for a fault of the machine rather than of paperprep, wherever it surfaced: a full disk, a
    database held by another program, a file the clerk may not write, input nested or numbered beyond reason.
    None for anything else, which is a bug."""
    for cause in _causes(exc):
        message = str(cause).lower()
        if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return DISK_FULL
        if type(cause).__module__ == "sqlite3" or "sqlite" in type(cause).__module__:
            if "disk is full" in message:
                return DISK_FULL
            if "database is locked" in message or "database table is locked" in message:
                return DATABASE_IN_USE
        if isinstance(cause, PermissionError):
            what = cause.filename or "a file it needs"
            return (
                f"paperprep may not use {what} (permission denied). Choose a folder you can write to, or ask "
                "IT for access."
            )
        if isinstance(cause, RecursionError):
            return "The input is nested too deeply for paperprep to read. Check the file and try again."
        if isinstance(cause, OverflowError) or "exceeds the limit" in message and "digits" in message:
            return "The input holds a number too large for paperprep to store. Check the file and try again."
    return None


def explain(exc: BaseException) -> str:
    """The sentence to show for `exc`. A bug is logged with its traceback first."""
    if isinstance(exc, PaperprepError):
        log.info("%s: %s", type(exc).__name__, exc.message)
        return exc.message
    known = environment_sentence(exc)
    if known is not None:
        log.warning("%s: %s", type(exc).__name__, exc)
        return known
    where = setup_logging()
    log.error("Unexpected problem", exc_info=(type(exc), exc, exc.__traceback__))
    text = "Sorry, paperprep hit an unexpected problem. Everything saved so far is safe."
    if where is not None:
        text += f" The details are in {where}."
    return text
