"""The one road for changes in the window: every operation, from every window, runs here.

The store runs an operation through the workbench (one committed transaction), records its step in the history
of the meeting it edited, and then emits `changed(Changes)`. Every view listens to that one signal and refreshes
only what the change touches. Reads go through query functions (paperprep.queries), which return frozen records;
the window never holds a session. A failure is shown as one sentence (paperprep.logs) and nothing is half-done.

On a shared database (team mode) the store also keeps the link to the other clerks (paperprep.ui.team): their
changes arrive on the same `changed` signal, a reconnect reloads every view, and presence says who else has a
minute open. On a file it keeps a lighter link: another window's (or program's) commits to the same file are seen
within a second and reload every view, by the same signal. A connection whose database account may only read is
known at open (`read_only`, the reason, and `readOnlyChanged`): every change is refused at once with that
sentence, and each editor makes itself read-only (paperprep.ui.readonly).

An operation run by an autosaver's saver is noted with the autosaver (the field's text, as an operation, for a
recovery file), and its failure becomes the autosaver's reason, so the status bar says why the text is not saved.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from paperprep.db import Database, notify
from paperprep.errors import ConflictError, DatabaseProblem
from paperprep.logs import explain
from paperprep.ops import Done, Operation, Workbench
from paperprep.ops.changes import Kind, caught_up, everything
from paperprep.ops.history import Histories, History
from paperprep.ui import dialogs
from paperprep.ui.autosave import AutoSaver
from paperprep.ui.team import FileLink, TeamLink

T = TypeVar("T")


class Store(QObject):
    changed = Signal(object)  # Changes
    historyChanged = Signal()
    saving = Signal()
    saved = Signal()
    failed = Signal(str)
    presenceChanged = Signal()  # another clerk opened or left a minute
    readOnlyChanged = Signal(str)  # why this connection may only read, or "" when it may write

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bench = Workbench(db)
        self.histories = Histories(self.bench)
        self.autosaver = AutoSaver(self)
        self.team: TeamLink | None = None
        self.file_link: FileLink | None = None  # on a file: other connections' commits
        self._read_only = ""
        self.last_error: Exception | None = None  # the last failure of run(), for a view that handles conflicts
        self._join(db)

    @property
    def db(self) -> Database:
        return self.bench.db

    @property
    def read_only(self) -> str:
        """Why this connection may only read (a viewer's account on a shared database), or "" when it may write."""
        return self._read_only

    def set_database(self, db: Database) -> None:
        """Another database is open: every history goes, and every view reloads."""
        self.leave_team()
        self.bench = Workbench(db, self.bench.origin.user)
        self.histories = Histories(self.bench)
        self._join(db)
        self.historyChanged.emit()
        self.changed.emit(everything("Open database", self.bench.origin))

    def _join(self, db: Database) -> None:
        """On a shared database: whether this account may write, and the link to the other clerks."""
        reason = ""
        person = self.bench.origin.user
        if db.url is not None:
            try:
                if not self.bench.writable():
                    reason = (
                        f"You are connected read-only: your database account may only read {db.location}, so "
                        "nothing can be changed here. Ask IT for the clerk role to make changes."
                    )
                person = self.bench.database_user() or person
            except Exception as exc:  # noqa: BLE001 - the server went away just after opening: said when saving
                self.failed.emit(explain(exc))
            self.team = TeamLink(notify.Listener(db.url), self.bench.origin, person, self)
            self.team.changed.connect(self.changed.emit)
            self.team.reconnected.connect(lambda: self.changed.emit(caught_up(self.bench.origin)))
            self.team.presenceChanged.connect(self.presenceChanged.emit)
        else:
            try:
                self.file_link = FileLink(notify.FileWatch(db.path), self)
            except Exception as exc:  # noqa: BLE001 - the window still works; it just does not hear other windows
                self.failed.emit(explain(exc))
            else:
                self.file_link.changed.connect(self.changed.emit)
        if reason != self._read_only:
            self._read_only = reason
            self.readOnlyChanged.emit(reason)

    def leave_team(self) -> None:
        """Stop listening to the other clerks and windows (the database is closing, or another one opening)."""
        if self.file_link is not None:
            self.file_link.stop()
            self.file_link.deleteLater()
            self.file_link = None
        if self.team is not None:
            self.team.stop()
            self.team.deleteLater()
            self.team = None
            self.presenceChanged.emit()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around a write of this window, so that its own commit is not taken for another window's."""
        with self.file_link.own_write() if self.file_link is not None else nullcontext():
            yield

    def set_editing(self, item_id: int | None) -> None:
        """The minute the window shows, for the other clerks' presence line (nothing on a file)."""
        if self.team is not None:
            self.team.set_editing(item_id)

    def editors(self, item_id: int | None) -> list[str]:
        """The other clerks who have this item's minute open."""
        return self.team.editors(item_id) if self.team is not None else []

    def changed_by(self, kind: Kind, record_id: int) -> str | None:
        """Who else last changed this record, when another clerk's notice said so."""
        return self.team.changed_by(kind, record_id) if self.team is not None else None

    def read(self, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a query function of paperprep.queries (its first argument is the session) and return its records."""
        return self.bench.read(lambda session: query(session, *args, **kwargs))

    def run(
        self,
        op: Operation[T],
        *,
        source: str = "",
        history: Hashable | None = None,
        parent: QWidget | None = None,
        quiet: bool = False,
        flush: bool = True,
        conflicts: bool = False,
    ) -> Done[T] | None:
        """Run `op` and tell every view. On failure the clerk is told why, and None is returned.

        `conflicts`: the caller resolves a conflict itself (both versions side by side, paperprep.ui.team), so a
        ConflictError is not shown as an error; `last_error` holds it."""
        if flush:
            self.autosaver.flush()  # typed text first, so that steps are recorded in the order they happened
        self.autosaver.note(op)
        self.saving.emit()
        self.last_error = None
        try:
            if self._read_only:
                raise DatabaseProblem(self._read_only)
            with self._writing():
                done = self.bench.run(op, source)
        except Exception as exc:  # noqa: BLE001 - every failure is explained (and a bug logged), never dropped
            self.last_error = exc
            message = explain(exc)
            if self.autosaver.current is not None:
                self.autosaver.fail(message)  # before the saver reports, so the status bar says why
            self.failed.emit(message)
            if not quiet and not (conflicts and self.conflict()):
                dialogs.show_error(parent, message)
            return None
        self.histories.record(done.step, history)
        self.saved.emit()
        self.historyChanged.emit()
        if not done.step.changes.empty:
            self.changed.emit(done.step.changes)
        return done

    def conflict(self) -> bool:
        """Whether the last run() was refused because another window or clerk changed the record first."""
        return isinstance(self.last_error, ConflictError)

    def record(self, done: Done[Any], history: Hashable | None = None) -> None:
        """A step run on a worker thread through `bench` (the demo data): record it and tell every view."""
        self.histories.record(done.step, history)
        self.historyChanged.emit()
        if not done.step.changes.empty:
            self.changed.emit(done.step.changes)

    def history(self, key: Hashable | None) -> History:
        return self.histories.get(key)

    def undo(self, key: Hashable | None, parent: QWidget | None = None) -> bool:
        return self._replay(key, parent, undo=True)

    def redo(self, key: Hashable | None, parent: QWidget | None = None) -> bool:
        return self._replay(key, parent, undo=False)

    def _replay(self, key: Hashable | None, parent: QWidget | None, undo: bool) -> bool:
        self.autosaver.flush()
        if key is None or not (self.histories.can_undo(key) if undo else self.histories.can_redo(key)):
            return False
        self.saving.emit()
        try:
            with self._writing():
                changes = self.histories.undo(key) if undo else self.histories.redo(key)
        except Exception as exc:  # noqa: BLE001 - explained to the clerk; the history drops a step it cannot replay
            message = explain(exc)
            self.failed.emit(message)
            dialogs.show_error(parent, message)
            self.historyChanged.emit()
            return False
        self.saved.emit()
        self.historyChanged.emit()
        self.changed.emit(changes)
        return True

    def forget(self, key: Hashable) -> None:
        self.histories.forget(key)
        self.historyChanged.emit()

    def reload_everything(self, label: str) -> None:
        self.changed.emit(everything(label, self.bench.origin))
