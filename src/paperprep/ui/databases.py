"""Databases: make a new one, open another, back up now, restore from a backup, and the recent list.

Switching flushes typed text first, tells the views to leave the old database (`switching`), hands the new one to
the store (every history goes, every view reloads) and then says so (`switched`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QWidget

from paperprep.db import Database, open_database, restore_database
from paperprep.db.backup import backup_dir
from paperprep.errors import DamagedDatabaseError
from paperprep.ui import dialogs, failures, recovery, settings
from paperprep.ui.store import Store

DATABASES = "paperprep databases (*.sqlite)"


def open_offering_restore(parent: QWidget | None, path: Path) -> Database | None:
    """Open `path`. When it is damaged and a backup beside it passes the integrity check, offer to restore that
    backup (the damaged file is kept beside it) rather than only refuse, since the window, and File > Restore
    with it, cannot open on a damaged file. None, with the clerk told why, if nothing was opened."""
    try:
        return open_database(path)
    except DamagedDatabaseError as exc:
        backup = exc.backup
        if backup is None or not dialogs.confirm(
            parent,
            "Damaged database",
            f"{path.name} is damaged, so paperprep cannot open it as it is. Restore the most recent good backup, "
            f"{backup.name}, from {dt.datetime.fromtimestamp(backup.stat().st_mtime):%d/%m/%Y %H:%M}? A copy of "
            "the damaged file is kept beside it; changes made after that backup will need to be made again.",
        ):
            failures.report(parent, exc)
            return None
        try:
            kept = restore_database(path, backup)
            db = open_database(path)
        except Exception as again:  # noqa: BLE001 - told to the clerk; the damaged file is kept
            failures.report(parent, again)
            return None
        dialogs.show_info(
            parent,
            "Backup restored",
            f"{path.name} was restored from {backup.name}."
            + (f" The damaged file is kept beside it as {kept.name}." if kept is not None else ""),
        )
        return db
    except Exception as exc:  # noqa: BLE001 - told to the clerk (and logged if it is a bug)
        failures.report(parent, exc)
        return None


class DatabaseCommands(QObject):
    switching = Signal()  # the views should let go of the open database now
    switched = Signal(object)  # the Database now open

    def __init__(
        self, store: Store, parent: QWidget, recent_menu: QMenu, message: Callable[[str, int], None]
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.parent_widget = parent
        self.recent_menu = recent_menu
        self.message = message
        self._remember(store.db.path)

    @property
    def db(self) -> Database:
        return self.store.db

    def new_database(self) -> None:
        path = dialogs.choose_save_file(
            self.parent_widget, "New database", str(self.db.path.parent / "new.sqlite"), DATABASES
        )
        if path is None:
            return
        if path.exists():
            dialogs.show_error(
                self.parent_widget, f"{path.name} already exists. Choose a new name, or use File > Open."
            )
            return
        self.switch_database(path)

    def open_database(self) -> None:
        path = dialogs.choose_open_file(
            self.parent_widget, "Open database", str(self.db.path.parent), f"{DATABASES};;All files (*)"
        )
        if path is not None:
            self.switch_database(path)

    def switch_database(self, path: Path) -> bool:
        """Open `path` in place of the current database. False (and the clerk told why) if it cannot be opened."""
        if not recovery.close_allowed(self.store, self.parent_widget):
            return False  # typing still unsaved, and the clerk chose to stay
        db = open_offering_restore(self.parent_widget, path)
        if db is None:  # the clerk was told why; the current database stays open
            return False
        self.switching.emit()
        old = self.store.db
        self.store.set_database(db)
        if old is not db:
            old.close()
        self._remember(db.path)
        self.switched.emit(db)
        return True

    def backup_now(self) -> None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
        path = dialogs.choose_save_file(
            self.parent_widget,
            "Backup now",
            str(self.db.path.parent / f"{self.db.path.stem}-{stamp}.sqlite"),
            DATABASES,
        )
        if path is None:
            return
        self.store.autosaver.flush()
        try:
            self.db.backup_to(path)
        except Exception as exc:  # noqa: BLE001 - told to the clerk
            failures.report(self.parent_widget, exc)
            return
        self.message(f"Backup written to {path}", 8000)

    def restore_backup(self) -> None:
        path = dialogs.choose_open_file(
            self.parent_widget, "Restore from backup", str(backup_dir(self.db.path)), DATABASES
        )
        if path is None or not dialogs.confirm(
            self.parent_widget,
            "Restore",
            f"Replace the current database with {path.name}? A copy of the "
            "current content is kept in the backups folder.",
        ):
            return
        if not recovery.close_allowed(self.store, self.parent_widget):
            return
        self.switching.emit()
        target = self.db.path
        self.db.close()
        kept: Path | None = None
        try:
            kept = restore_database(target, path)
        except Exception as exc:  # noqa: BLE001 - told to the clerk; the current file is opened again
            failures.report(self.parent_widget, exc)
        if self.switch_database(target) and kept is not None:
            self.message(f"Restored from {path.name}; the previous content is in {kept.name}", 10000)

    def _remember(self, path: Path) -> None:
        self.recent_menu.clear()
        for entry in settings.remember_database(path):
            action = self.recent_menu.addAction(entry)
            action.triggered.connect(lambda _c=False, p=entry: self.switch_database(Path(p)))
