"""The export helper: Word, PDF and Excel exports written by a process of their own, so that the window never
waits for them.

An export is seconds of Python (reading the meeting, building the document, zipping it). On a thread of the
app's own process it holds the interpreter lock that the window needs for every paint of a list: the window
stalled for up to a third of a second at a time while a 200-item meeting exported, and for the whole of a
50,000-action log. A helper process has an interpreter of its own.

`run(db, "export_minutes", meeting_id, out, ...)` is called on a worker thread, as the export function itself
was, and returns what the export function returns. It hands the job to an idle helper for that database, or
starts one (`prepare` starts one ahead, while the clerk is still choosing a file name), relays progress, sends
a cancel when the progress callback says so, and raises the export's own error in this process. A helper that
has done its job waits for the next one, and ends when it has had nothing to do for `IDLE_SECONDS`, or when its
database is closed here (`shutdown`), or when the app ends.

A database that another process cannot open (an SQLite database in memory) is exported on the calling thread,
as before.
"""

from __future__ import annotations

import atexit
import itertools
import pickle
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperprep.errors import ExportError, PaperprepError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from paperprep.db import Database

__all__ = ["JOBS", "IDLE_SECONDS", "Where", "prepare", "run", "shutdown", "where"]

# The export functions of paperprep.ops.exports that a helper runs, and nothing else.
JOBS = frozenset({"export_agenda", "export_minutes", "export_pack", "export_action_log", "export_decisions"})
IDLE_SECONDS = 15 * 60  # a helper with nothing to do for this long ends (it holds 60-100 MB)
STOP_SECONDS = 5.0
HELPER_ENDED = (
    "The export stopped unexpectedly: the process that writes it ended before it had finished. Nothing was "
    "written. Try again; if it happens again, the log says more."
)

Progress = Callable[[int, int], bool]


@dataclass(frozen=True)
class Where:
    """How a helper opens the database this process has open: the file, or the server's address (with the
    password this process connected with, which goes to the helper through a pipe, never a command line)."""

    path: str
    url: str | None = None


def where(db: Database) -> Where | None:
    """Where a helper finds `db`, or None when no other process can open it (an SQLite database in memory)."""
    if db.url is not None:
        return Where(str(db.path), db.url.render_as_string(hide_password=False))
    path = Path(db.path)
    if str(path) in ("", ":memory:") or not path.is_file():
        return None
    return Where(str(path))


# -- the helper's side ----------------------------------------------------------------------------------------


def _call(db: Database, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], progress: Progress | None) -> Any:
    """The export function `name` of paperprep.ops.exports, called on `db` (in the helper, or here)."""
    from paperprep.ops import exports

    if progress is not None:
        kwargs = {**kwargs, "progress": progress}
    return getattr(exports, name)(db, *args, **kwargs)


def _portable(exc: BaseException) -> tuple[Any, ...]:
    """The export's error as it crosses to the app: itself where it pickles, else its class and message."""
    text = "".join(traceback.format_exception(exc))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - an error of a library that does not pickle: sent as its name and message
        kind = type(exc)
        return ("described", kind.__module__, kind.__qualname__, str(exc), text)
    return ("error", exc, text)


def _serve(conn: Connection, place: Where) -> None:  # pragma: no cover - runs in the helper process
    """The helper's loop: one job at a time, until told to stop, the app has gone, or nothing came for a while."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the app's terminal is the app's to handle
    # Ready before the first job arrives: the writers' own modules are most of a first export's time.
    import paperprep.export.agenda_docx  # noqa: F401
    import paperprep.export.minutes_docx  # noqa: F401
    import paperprep.ops.exports  # noqa: F401
    from paperprep.db import attach_database

    db = attach_database(Path(place.path), place.url)
    try:
        while conn.poll(IDLE_SECONDS):
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return  # the app has gone
            if message[0] == "stop":
                return
            if message[0] != "run":
                continue  # a cancel that came after its job had finished
            _, number, name, args, kwargs, reports = message
            conn.send(("started", number))
            cancelled = False

            def progress(done: int, total: int, number: int = number) -> bool:
                nonlocal cancelled
                conn.send(("progress", number, done, total))
                while conn.poll():
                    late = conn.recv()
                    if late[0] == "cancel" and late[1] == number:
                        cancelled = True
                    elif late[0] == "stop":
                        cancelled = True
                return not cancelled

            try:
                if name not in JOBS:
                    raise ExportError(f"{name} is not an export that paperprep's helper writes.")
                result = _call(db, name, args, kwargs, progress if reports else None)
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the app, which reports it
                conn.send(("failed", number, _portable(exc)))
            else:
                conn.send(("done", number, result))
    except (EOFError, OSError, BrokenPipeError):
        return  # the app has gone
    finally:
        db.close()


# -- the app's side -------------------------------------------------------------------------------------------


class _Helper:
    """One helper process and the app's end of its pipe."""

    def __init__(self, place: Where) -> None:
        import multiprocessing

        # A new interpreter, not a copy of this one: the app's threads and Qt must not be copied mid-flight.
        context = multiprocessing.get_context("spawn")
        self.place = place
        self.conn, theirs = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(theirs, place), name="paperprep-export-helper", daemon=True
        )
        self.process.start()
        theirs.close()
        self.idle_since = time.monotonic()

    def usable(self) -> bool:
        """Alive, and not so long idle that it may be ending of its own accord."""
        return self.process.is_alive() and time.monotonic() - self.idle_since < IDLE_SECONDS - 30

    def stop(self) -> None:
        try:
            self.conn.send(("stop",))
        except (OSError, ValueError):
            pass  # already gone
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(STOP_SECONDS)
        self.conn.close()


_lock = threading.Lock()
_idle: dict[Where, _Helper] = {}  # at most one idle helper for each database
_numbers = itertools.count(1)
_atexit = False


def _take(place: Where) -> _Helper:
    global _atexit
    with _lock:
        helper = _idle.pop(place, None)
        if not _atexit:
            atexit.register(shutdown)
            _atexit = True
    if helper is not None and helper.usable():
        return helper
    if helper is not None:
        helper.stop()
    return _Helper(place)


def _give_back(helper: _Helper) -> None:
    helper.idle_since = time.monotonic()
    with _lock:
        spare = _idle.get(helper.place)
        if spare is None:
            _idle[helper.place] = helper
            return
    helper.stop()  # one idle helper for a database is enough


def prepare(db: Database) -> None:
    """Start a helper for `db` ahead of an export (while the clerk chooses the file name), so that the export
    need not wait for one to start."""
    place = where(db)
    if place is None:
        return
    _give_back(_take(place))


def shutdown(db: Database | None = None) -> None:
    """Stop the idle helpers: of `db` (which is about to close), or all of them (the app is ending)."""
    place = where(db) if db is not None else None
    with _lock:
        stopping = [h for key, h in _idle.items() if place is None or key == place]
        for helper in stopping:
            del _idle[helper.place]
    for helper in stopping:
        helper.stop()


class HelperTraceback(Exception):
    """The export helper's own traceback of an error, which the log shows above the app's."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f"in the export helper process:\n{self.text}"


def _rebuilt(portable: tuple[Any, ...]) -> BaseException:
    """The export's error in this process, caused (for the log) by the helper's traceback."""
    if portable[0] == "error":
        exc: BaseException = portable[1]
        text = portable[2]
    else:
        _, module, qualname, message, text = portable
        exc = RuntimeError(f"{module}.{qualname}: {message}")
        if module.startswith("paperprep."):
            import importlib

            kind = getattr(importlib.import_module(module), qualname, None)
            if isinstance(kind, type) and issubclass(kind, PaperprepError):
                exc = PaperprepError.__new__(kind)
                PaperprepError.__init__(exc, message)
    # Logged as the cause of the error raised here, so that the log shows where it happened in the helper.
    exc.__cause__ = HelperTraceback(text)
    return exc


def run(db: Database, name: str, *args: Any, progress: Progress | None = None, **kwargs: Any) -> Any:
    """Run the export `name` of paperprep.ops.exports on `db` in a helper process, and return its result.

    Called on a worker thread; blocks until the export ends. `progress(done, total)` is called here as the
    helper reports, and returning False cancels the export (which then raises ExportCancelled)."""
    if name not in JOBS:
        raise ValueError(f"{name} is not an export the helper runs")
    place = where(db)
    if place is None:
        return _call(db, name, args, kwargs, progress)
    for attempt in range(2):
        helper = _take(place)
        try:
            outcome = _relay(helper, name, args, kwargs, progress)
        except _Ended as ended:
            helper.stop()
            if ended.started or attempt == 1:
                raise ExportError(HELPER_ENDED) from None
            continue  # it ended before taking the job (its idle time ran out just then): a new one takes it
        except BaseException:
            helper.stop()  # interrupted here: the helper may be mid-job
            raise
        _give_back(helper)
        if outcome[0] == "failed":
            raise _rebuilt(outcome[2])
        return outcome[2]
    raise ExportError(HELPER_ENDED)  # pragma: no cover - the loop returns or raises


class _Ended(Exception):
    def __init__(self, started: bool) -> None:
        super().__init__()
        self.started = started


def _relay(
    helper: _Helper, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], progress: Progress | None
) -> tuple[Any, ...]:
    """Send one job and relay its progress and cancel until it ends: its ("done" | "failed", number, what)."""
    number = next(_numbers)
    started = False
    cancelling = False
    try:
        helper.conn.send(("run", number, name, args, kwargs, progress is not None))
        while True:
            message = helper.conn.recv()
            if message[1] != number:
                continue
            kind = message[0]
            if kind == "started":
                started = True
            elif kind == "progress":
                if progress is not None and not progress(message[2], message[3]) and not cancelling:
                    cancelling = True
                    helper.conn.send(("cancel", number))
            elif kind in ("done", "failed"):
                return tuple(message)
    except (EOFError, OSError):
        raise _Ended(started) from None
