"""What a panel of the meeting workspace needs from the workspace, and what it keeps about the text it edits.

`MeetingContext` is the narrow view of the workspace that the agenda, attendance, minutes, actions and inspection
panels get: the store, the meeting shown, and a few ways to move the clerk about. The panels never import the
workspace, so the workspace can be built from them without an import circle.

`EditState` is what a panel knows of one record whose fields the clerk types into: the version it last read or
saved, and per field the value last loaded or saved. A change notice re-reads the record; `refresh` says which
fields may show the database's value (those the clerk is not typing in), and keeps the older version for a field
changed elsewhere while the clerk types in it, so that its save is refused as a conflict rather than overwriting.

`UndoKeys` lets Ctrl+Z and Ctrl+Y (Ctrl+Shift+Z) reach the window's per-meeting history from a text field, instead
of the field's own undo.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from paperprep.ui.store import Store


class MeetingContext(Protocol):
    """The workspace as its panels see it."""

    store: Store
    meeting_id: int | None  # the meeting shown, or None
    locked: bool  # the meeting's minutes are approved

    def files_dir(self) -> Path:
        """Where managed copies of documents are kept, beside the database."""
        ...

    def open_minutes(self, item_id: int) -> None:
        """Show the minute of this item, with the cursor in its text."""
        ...

    def show_tab(self, widget: QWidget) -> None:
        """Bring this panel to the front."""
        ...


class EditState:
    """One record being edited in a panel: versions and last known values, per field."""

    def __init__(self, record_id: int, version: int | None, values: Mapping[str, object]) -> None:
        self.id = record_id
        self.base: dict[str, object] = dict(values)
        self.versions: dict[str, int | None] = dict.fromkeys(values, version)
        self.dirty: set[str] = set()  # typed since last loaded or saved
        self.saving: set[str] = set()

    def version(self, field: str) -> int | None:
        return self.versions.get(field)

    def edited(self, field: str) -> None:
        self.dirty.add(field)

    def refresh(self, version: int | None, values: Mapping[str, object]) -> set[str]:
        """The record as it is now. Returns the fields whose widgets should show the new value."""
        show: set[str] = set()
        for field, value in values.items():
            if field in self.saving:
                self.base[field] = value  # as stored, which may be tidier than as typed
                self.versions[field] = version
            elif field in self.dirty:
                if value == self.base.get(field):
                    self.versions[field] = version
                # else: changed elsewhere while the clerk types here: the save states the old version, and
                # is refused as a conflict with the clerk's text left on screen
            else:
                self.versions[field] = version
                if value != self.base.get(field):
                    self.base[field] = value
                    show.add(field)
        return show

    def save(self, field: str, value: object, run: Callable[[int | None], int | None]) -> bool:
        """Save `value` of `field` with `run(read_version) -> the new version, or None when it failed`."""
        before = self.base.get(field)
        self.dirty.discard(field)
        self.saving.add(field)
        self.base[field] = value  # a change notice during the save replaces it with the value as stored
        try:
            new_version = run(self.versions.get(field))
        finally:
            self.saving.discard(field)
        if new_version is None:
            self.base[field] = before
            self.dirty.add(field)  # the clerk's text stays on screen, and is not replaced by a reload
            return False
        self.versions[field] = new_version
        return True

    def adopt(self, version: int | None, values: Mapping[str, object]) -> set[str]:
        """After a refused save, the clerk has been told: the next save of their text states the current version.

        Returns, like `refresh`, the fields whose widgets should show the new value (never one being typed in)."""
        show = self.refresh(version, values)
        for field in self.dirty:
            if field in values:
                self.versions[field] = version
                self.base[field] = values[field]
        return show


# -- undo keys ------------------------------------------------------------------------------------------------

_TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit)
_CTRL_Y = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Y)  # the window's second Redo key


class UndoKeys(QObject):
    """An event filter: a text field does not claim Undo or Redo, so the window's Edit menu gets the keys."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or event.keyCombination() == _CTRL_Y
            ):
                event.ignore()  # not the field's: the shortcut goes to the window's Undo or Redo
                return True
        return False


_filter: UndoKeys | None = None


def window_undo(*widgets: QWidget) -> None:
    """Let Ctrl+Z in these fields undo the meeting's last step, not the field's own last keystrokes."""
    global _filter
    if _filter is None:
        _filter = UndoKeys()
    for widget in widgets:
        if isinstance(widget, QTextEdit | QPlainTextEdit):
            widget.setUndoRedoEnabled(False)
        if isinstance(widget, _TEXT_FIELDS):
            widget.installEventFilter(_filter)
