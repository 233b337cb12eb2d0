"""The one road for changes in the window: every operation, from every window, runs here.

The store runs an operation through the workbench (one committed transaction), records its step in the history
of the meeting it edited, and then emits `changed(Changes)`. Every view listens to that one signal and refreshes
only what the change touches. Reads go through query functions (paperprep.queries), which return frozen records;
the window never holds a session. A failure is shown as one sentence (paperprep.logs) and nothing is half-done.

An operation run by an autosaver's saver is noted with the autosaver (the field's text, as an operation, for a
recovery file), and its failure becomes the autosaver's reason, so the status bar says why the text is not saved.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from paperprep.db import Database
from paperprep.logs import explain
from paperprep.ops import Done, Operation, Workbench
from paperprep.ops.changes import everything
from paperprep.ops.history import Histories, History
from paperprep.ui import dialogs
from paperprep.ui.autosave import AutoSaver

T = TypeVar("T")


class Store(QObject):
    changed = Signal(object)  # Changes
    historyChanged = Signal()
    saving = Signal()
    saved = Signal()
    failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bench = Workbench(db)
        self.histories = Histories(self.bench)
        self.autosaver = AutoSaver(self)

    @property
    def db(self) -> Database:
        return self.bench.db

    def set_database(self, db: Database) -> None:
        """Another database is open: every history goes, and every view reloads."""
        self.bench = Workbench(db, self.bench.origin.user)
        self.histories = Histories(self.bench)
        self.historyChanged.emit()
        self.changed.emit(everything("Open database", self.bench.origin))

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
    ) -> Done[T] | None:
        """Run `op` and tell every view. On failure the clerk is told why, and None is returned."""
        if flush:
            self.autosaver.flush()  # typed text first, so that steps are recorded in the order they happened
        self.autosaver.note(op)
        self.saving.emit()
        try:
            done = self.bench.run(op, source)
        except Exception as exc:  # noqa: BLE001 - every failure is explained (and a bug logged), never dropped
            message = explain(exc)
            if self.autosaver.current is not None:
                self.autosaver.fail(message)  # before the saver reports, so the status bar says why
            self.failed.emit(message)
            if not quiet:
                dialogs.show_error(parent, message)
            return None
        self.histories.record(done.step, history)
        self.saved.emit()
        self.historyChanged.emit()
        if not done.step.changes.empty:
            self.changed.emit(done.step.changes)
        return done

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
