"""The window's way to the database: each write is one committed transaction, reported to the status bar.

Reads and writes take a function of a Session, so the ui never holds a session or an ORM object between events.
An expected failure (a PaperprepError) is shown to the clerk as its sentence; nothing typed is thrown away by it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from paperprep.db import Database
from paperprep.errors import PaperprepError
from paperprep.ui import dialogs

T = TypeVar("T")


class Store(QObject):
    changed = Signal(str)  # what changed: "meetings", "agenda", "attendance", "minutes", "actions" or "all"
    saving = Signal()
    saved = Signal()
    failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db

    def read(self, fn: Callable[[Session], T]) -> T:
        with self.db.transaction() as session:
            return fn(session)

    def write(self, fn: Callable[[Session], T], scope: str = "all", quiet: bool = False) -> T | None:
        """Run `fn` in one transaction and commit it. Returns None (after telling the clerk) when it fails."""
        self.saving.emit()
        try:
            with self.db.transaction() as session:
                result = fn(session)
        except PaperprepError as exc:
            self.failed.emit(exc.message)
            if not quiet:
                dialogs.show_error(None, exc.message)
            self.saved.emit()
            return None
        self.saved.emit()
        self.changed.emit(scope)
        return result

    def try_write(self, fn: Callable[[Session], Any], scope: str = "all") -> bool:
        """Like write, but says whether it worked, for undo commands that must not pretend."""
        self.saving.emit()
        try:
            with self.db.transaction() as session:
                fn(session)
        except PaperprepError as exc:
            self.failed.emit(exc.message)
            dialogs.show_error(None, exc.message)
            self.saved.emit()
            return False
        self.saved.emit()
        self.changed.emit(scope)
        return True
