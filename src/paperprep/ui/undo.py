"""Undo and Redo for one window: the commands act on the history their key names (a meeting's id).

The main window's key is the meeting on screen, so undo never reaches into a meeting the clerk cannot see; the
Action log window's key is the meeting of the selected action. When nothing can be undone because a step that
cannot be undone came last (approval, say), the command says so instead of just greying out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from paperprep.ui.store import Store

KeyGetter = Callable[[], Hashable | None]


class UndoActions(QObject):
    def __init__(self, store: Store, key: KeyGetter, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.key = key
        self.parent_widget = parent
        self.undo = QAction("Undo", parent)
        self.undo.setObjectName("undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo.triggered.connect(lambda _c=False: self.store.undo(self.key(), self.parent_widget))
        self.redo = QAction("Redo", parent)
        self.redo.setObjectName("redo")
        keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        for extra in (QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")):
            if extra not in keys:  # a key bound twice is ambiguous, and Qt then ignores it
                keys.append(extra)
        self.redo.setShortcuts(keys)
        self.redo.triggered.connect(lambda _c=False: self.store.redo(self.key(), self.parent_widget))
        store.historyChanged.connect(self.update)
        self.update()

    def update(self) -> None:
        """Say what Undo and Redo would do now (call it when the key's meeting changes, too)."""
        key = self.key()
        history = self.store.history(key)
        if key is not None and history.done:
            self._set(self.undo, True, f"Undo {history.undo_label}")
        elif history.barrier:
            self._set(self.undo, False, f"Can't undo \u201c{history.barrier}\u201d")
        else:
            self._set(self.undo, False, "Undo")
        if key is not None and history.undone:
            self._set(self.redo, True, f"Redo {history.redo_label}")
        else:
            self._set(self.redo, False, "Redo")

    @staticmethod
    def _set(action: QAction, enabled: bool, text: str) -> None:
        action.setEnabled(enabled)
        action.setText(text)
        action.setToolTip(text)
