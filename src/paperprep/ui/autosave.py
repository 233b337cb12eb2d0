"""Autosave: text the clerk types is saved about half a second after they stop, or at once on Ctrl+S or close.

Each field registers a saver under a key; a newer edit of the same field replaces the older pending one. A saver
returns whether it saved. One that fails stays pending (its text is still in the field), so the window never says
"All changes saved" while something is not, and closing asks first. It is tried again on the next edit of that
field, or on Save.

While a saver runs, the store tells the autosaver which operation it tried (`note`), so that text still unsaved
when the window closes is known as operations: the window can try them again, or write them to a recovery file
(paperprep.recovery) to be offered on the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from paperprep.ops import Operation

DELAY_MS = 500


class AutoSaver(QObject):
    pendingChanged = Signal(bool)
    unsavedChanged = Signal(str)  # why the last save failed, or "" once everything is saved

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, Callable[[], bool]] = {}
        self._failed: dict[str, Callable[[], bool]] = {}
        self.reason = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._flushing = False
        self.current: str | None = None  # the key whose saver is running
        self._tried: dict[str, Operation[Any]] = {}  # per unsaved key, the operation its saver last tried

    def schedule(self, key: str, saver: Callable[[], bool]) -> None:
        was_empty = not self._pending
        self._failed.pop(key, None)
        self._pending[key] = saver
        self._timer.start()
        if was_empty:
            self.pendingChanged.emit(True)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    @property
    def unsaved(self) -> bool:
        return bool(self._pending or self._failed)

    def flush(self) -> bool:
        """Save everything pending now. Returns whether everything is saved."""
        self._timer.stop()
        if self._flushing:
            return not self.unsaved
        self._flushing = True
        try:
            while self._pending:
                key, saver = next(iter(self._pending.items()))
                del self._pending[key]
                self.current = key
                try:
                    saved = saver()
                finally:
                    self.current = None
                if saved:
                    self._tried.pop(key, None)
                else:
                    self._failed[key] = saver
        finally:
            self._flushing = False
        self.pendingChanged.emit(False)
        self._report()
        return not self._failed

    def retry(self) -> bool:
        """Try the failed saves again (Save now)."""
        self._pending.update(self._failed)
        self._failed.clear()
        return self.flush()

    def fail(self, reason: str) -> None:
        self.reason = reason

    def note(self, op: Operation[Any]) -> None:
        """The store is about to run `op`: if a saver asked for it, it is the operation that saves that field."""
        if self.current is not None:
            self._tried[self.current] = op

    def unsaved_operations(self) -> list[tuple[str, Operation[Any]]]:
        """(key, operation) for each field whose text is not saved, as its saver last tried to save it.

        A field whose saver refused before reaching the database (an agenda item's blank title) has none: there is
        no text of the clerk's to keep."""
        keys = [*self._failed, *self._pending]
        return [(key, self._tried[key]) for key in keys if key in self._tried]

    def forget_unsaved(self) -> None:
        """The unsaved text is kept elsewhere now (a recovery file): nothing is left to save or to ask about."""
        self._timer.stop()
        self._pending.clear()
        self._failed.clear()
        self._tried.clear()
        self.pendingChanged.emit(False)
        self._report()

    def drop(self, key_prefix: str) -> None:
        """Forget unsaved text of a record that is gone (a meeting deleted, say)."""
        for store in (self._pending, self._failed):
            for key in [k for k in store if k.startswith(key_prefix)]:
                del store[key]
        for key in [k for k in self._tried if k.startswith(key_prefix)]:
            del self._tried[key]
        self._report()

    def _report(self) -> None:
        self.unsavedChanged.emit(self.reason if self._failed else "")
        if not self._failed:
            self.reason = ""
