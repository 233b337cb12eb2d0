"""One failure road for the CLI and the desktop app: the log file, and the sentence a clerk is shown.

An expected failure (a PaperprepError) is shown as its own sentence, which says what to do. Anything else is a
bug: its traceback goes to the log file, and the clerk sees a short apology that names the file. Nothing is caught
and dropped on the way.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from paperprep.errors import PaperprepError

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


def explain(exc: BaseException) -> str:
    """The sentence to show for `exc`. A bug is logged with its traceback first."""
    if isinstance(exc, PaperprepError):
        log.info("%s: %s", type(exc).__name__, exc.message)
        return exc.message
    where = setup_logging()
    log.error("Unexpected problem", exc_info=(type(exc), exc, exc.__traceback__))
    text = "Sorry, paperprep hit an unexpected problem. Everything saved so far is safe."
    if where is not None:
        text += f" The details are in {where}."
    return text
