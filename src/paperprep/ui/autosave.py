"""Autosave: text the clerk types is saved about half a second after they stop, or at once on Ctrl+S or close.

Each field registers a saver under a key; a newer edit of the same field replaces the older pending one. Structural
edits do not come through here: they are committed at once by their commands.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

DELAY_MS = 500


class AutoSaver(QObject):
    pendingChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, Callable[[], object]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def schedule(self, key: str, saver: Callable[[], object]) -> None:
        was_empty = not self._pending
        self._pending[key] = saver
        self._timer.start()
        if was_empty:
            self.pendingChanged.emit(True)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def flush(self) -> None:
        """Save everything pending now. A saver that fails has told the clerk; its text stays in the field."""
        self._timer.stop()
        while self._pending:
            _key, saver = self._pending.popitem()
            saver()
        self.pendingChanged.emit(False)
