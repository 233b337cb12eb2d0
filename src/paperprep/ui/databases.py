"""Databases: make a new one, open another, connect to a shared one, back up now, restore, and the recent list.

Switching flushes typed text first, tells the views to leave the old database (`switching`), hands the new one to
the store (every history goes, every view reloads) and then says so (`switched`).

A shared database (team mode, docs/team-mode.md) is reached by its address, made by File > Connect to a shared
database. A password, when the server asks for one, is asked of the clerk and kept in the operating system's
keyring (the `keyring` package), never in the settings; a saved connection is listed among the recent databases
by its address, which holds no password. TLS parameters and password-less logins pass through to libpq as they are.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from paperprep.db import Database, open_database, restore_database
from paperprep.db.backup import backup_dir
from paperprep.db.engine import is_server_url
from paperprep.errors import DamagedDatabaseError, DatabaseProblem
from paperprep.ui import dialogs, failures, readonly, recovery, settings
from paperprep.ui.send_changes import SendChanges
from paperprep.ui.store import Store

DATABASES = "paperprep databases (*.sqlite)"
KEYRING_SERVICE = "paperprep"
TLS_MODES = ("verify-full", "verify-ca", "require", "prefer", "disable")


# -- shared databases: addresses, passwords in the keyring -------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    """What File > Connect to a shared database asks for."""

    host: str
    port: int
    database: str
    user: str
    sslmode: str = "verify-full"

    def address(self) -> str:
        """The libpq address, without a password: postgresql://user@host:port/database?sslmode=..."""
        user = quote(self.user, safe="") + "@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = urlencode({"sslmode": self.sslmode}) if self.sslmode else ""
        return urlunsplit(("postgresql", f"{user}{host}:{self.port}", "/" + quote(self.database, safe=""), query, ""))


def without_password(address: str) -> str:
    """The address as it may be shown and remembered: any password taken out."""
    parts = urlsplit(address)
    if parts.password is None:
        return address
    user = quote(unquote(parts.username or ""), safe="")
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, f"{user}@{host}" if user else host, parts.path, parts.query, parts.fragment))


def with_password(address: str, password: str) -> str:
    """The address with `password` in it, for this one connection: never shown, never remembered."""
    parts = urlsplit(without_password(address))
    user, _at, host = parts.netloc.rpartition("@")
    netloc = f"{user}:{quote(password, safe='')}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def keyring_key(address: str) -> str:
    """The name the password of this account on this server is kept under: user@host:port/database."""
    parts = urlsplit(address)
    user = unquote(parts.username or "") or getpass.getuser()
    return f"{user}@{parts.hostname or 'localhost'}:{parts.port or 5432}{unquote(parts.path)}"


def database_address(db: Database) -> str:
    """How a database is remembered: the file's path, or the server's address without a password."""
    if db.url is None:
        return str(db.path)
    return str(db.url.set(drivername="postgresql", password=None).render_as_string(hide_password=False))


def close_database(db: Database) -> None:
    """Close `db` here, and stop its export helpers first (paperprep.ops.helper), so that no other process keeps
    reading a file that is being replaced or let go."""
    from paperprep.ops import helper

    helper.shutdown(db)
    db.close()


def saved_password(address: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_key(address))
    except (KeyringError, RuntimeError):
        return None  # no keyring on this computer: the password is asked each time


def keep_password(address: str, password: str) -> bool:
    """Keep the password in the keyring. False when this computer has no keyring to keep it in."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_key(address), password)
    except (KeyringError, RuntimeError):
        return False
    return True


def forget_password(address: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, keyring_key(address))
    except (PasswordDeleteError, KeyringError, RuntimeError):
        pass  # nothing kept, or no keyring: nothing to forget


def needs_password(exc: BaseException) -> bool:
    """Whether the server refused the login for want of the right password (not for any other reason)."""
    if not isinstance(exc, DatabaseProblem):
        return False
    cause = str(exc.__cause__ or "").lower()
    return "password" in cause and ("no password supplied" in cause or "authentication failed" in cause)


class ConnectDialog(QDialog):
    """Host, port, database, user and TLS mode of a shared database; the password is asked when the server asks."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle("Connect to a shared database")
        self.host = QLineEdit()
        self.host.setPlaceholderText("e.g. db.council.local")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("paperprep")
        self.user = QLineEdit(getpass.getuser())
        self.tls = QComboBox()
        for mode in TLS_MODES:
            self.tls.addItem(mode, mode)
        self.save = QCheckBox("&Save connection (listed under File > Open recent; the password goes to the keyring)")
        self.save.setChecked(True)
        form = QFormLayout()
        form.addRow("&Server", self.host)
        form.addRow("&Port", self.port)
        form.addRow("&Database", self.database)
        form.addRow("&User", self.user)
        form.addRow("&TLS", self.tls)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.save)
        layout.addWidget(buttons)

    def connection(self) -> Connection:
        return Connection(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
            str(self.tls.currentData()),
        )

    def _accept(self) -> None:
        found = self.connection()
        if not found.host or not found.database:
            dialogs.show_error(self, "Type the server's name and the database's name (IT can tell you both).")
            return
        self.accept()


def ask_connection(parent: QWidget | None) -> tuple[Connection, bool] | None:
    """The shared database to connect to, and whether to save the connection; None if the clerk cancelled."""
    dialog = ConnectDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.connection(), dialog.save.isChecked()


def ask_password(parent: QWidget | None, address: str, again: bool) -> str | None:
    """The password of this account on this server, or None if the clerk cancelled."""
    first = "That password was refused. " if again else ""
    text, ok = QInputDialog.getText(
        parent,
        "Password",
        f"{first}Password for {keyring_key(address)} (kept in this computer's keyring):",
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None


def connect_server(parent: QWidget | None, address: str) -> Database | None:
    """Open the shared database at `address`: with the password kept in the keyring, or none (libpq's own ways:
    ~/.pgpass, GSSAPI, a peer socket), asking the clerk when the server wants one. None, with the clerk told why,
    when nothing was opened; nothing of the open database is touched until then."""
    address = without_password(address)
    password = saved_password(address)
    asked = False
    while True:
        try:
            db = open_database(with_password(address, password) if password is not None else address)
        except Exception as exc:  # noqa: BLE001 - told to the clerk (and logged if it is a bug)
            if not needs_password(exc):
                failures.report(parent, exc)
                return None
            if password is not None and not asked:
                forget_password(address)  # the kept password is out of date
            password = ask_password(parent, address, again=password is not None)
            if password is None:
                return None
            asked = True
            continue
        if asked and password is not None and not keep_password(address, password):
            dialogs.show_info(
                parent,
                "Password not kept",
                "This computer has no keyring to keep the password in, so paperprep will ask for it next time.",
            )
        return db


def open_location(parent: QWidget | None, location: Path | str) -> Database | None:
    """A database file (offering its backup if damaged) or a shared database's address."""
    if isinstance(location, str) and is_server_url(location):
        return connect_server(parent, location)
    return open_offering_restore(parent, Path(location))


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


# -- a read-only connection -------------------------------------------------------------------------------------


class ReadOnlyBar(QObject):
    """A message bar across the top of the window while the connection may only read, saying why, and the window's
    commands that change data disabled with the same reason as their tip. The panels make their own fields
    read-only (paperprep.ui.readonly); the store refuses every change anyway."""

    def __init__(self, store: Store, window: QWidget) -> None:
        super().__init__(window)
        self.store = store
        self.window = window
        self.bar = QToolBar("Read-only", window)
        self.bar.setObjectName("readOnlyBar")
        self.bar.setMovable(False)
        self.label = QLabel()
        self.label.setObjectName("readOnlyMessage")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Read-only")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar.addWidget(self.label)
        if isinstance(window, QMainWindow):
            window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
            window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.hide()
        readonly.follow(store, self, self.apply)
        self.apply()

    def apply(self) -> None:
        reason = self.store.read_only
        self.label.setText(reason)
        self.bar.setVisible(bool(reason))
        collection = getattr(self.window, "action_collection", None)
        actions = getattr(collection, "actions", None)
        if isinstance(actions, dict):
            readonly.guard_commands(actions, reason)


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
        self.read_only_bar = ReadOnlyBar(store, parent)
        self._remember(database_address(store.db))
        self.sending = SendChanges(store, parent, message, connect_server)
        collection = getattr(parent, "action_collection", None)
        self.sending.follow(getattr(collection, "actions", {}).get("act_send_changes"))
        self.switched.connect(lambda _db: self.sending.refresh())

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

    def connect_shared(self) -> None:
        """File > Connect to a shared database: the address asked for, then opened in place of this database."""
        answer = ask_connection(self.parent_widget)
        if answer is None:
            return
        connection, save = answer
        self.switch_database(connection.address(), remember=save)

    def switch_database(self, path: Path | str, remember: bool = True) -> bool:
        """Open `path` (a file, or a shared database's address) in place of the current database. False (and the
        clerk told why) if it cannot be opened: then the current database stays open, and nothing typed is lost."""
        if not recovery.close_allowed(self.store, self.parent_widget):
            return False  # typing still unsaved, and the clerk chose to stay
        db = open_location(self.parent_widget, path)
        if db is None:  # the clerk was told why; the current database stays open
            return False
        self.switching.emit()
        old = self.store.db
        self.store.set_database(db)
        if old is not db:
            close_database(old)
        if remember:
            self._remember(database_address(db))
        self.switched.emit(db)
        return True

    def send_changes(self) -> None:
        """File > Send my changes: an offline copy's changes sent to the shared database it was made from."""
        self.sending.send()

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
        close_database(self.db)
        kept: Path | None = None
        try:
            kept = restore_database(target, path)
        except Exception as exc:  # noqa: BLE001 - told to the clerk; the current file is opened again
            failures.report(self.parent_widget, exc)
        if self.switch_database(target) and kept is not None:
            self.message(f"Restored from {path.name}; the previous content is in {kept.name}", 10000)

    def _remember(self, location: str) -> None:
        self.recent_menu.clear()
        recent = [p for p in settings.recent_databases() if p != location]
        recent.insert(0, location)
        settings.RECENT.set(recent[: settings.MAX_RECENT])
        for entry in recent[: settings.MAX_RECENT]:
            action = self.recent_menu.addAction(entry)
            target: Path | str = entry if is_server_url(entry) else Path(entry)
            action.triggered.connect(lambda _c=False, p=target: self.switch_database(p))
