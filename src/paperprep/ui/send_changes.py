"""File > Send my changes: an offline copy's changes sent back to the shared database it came from, and what both
sides changed settled by the clerk.

The send runs on a worker thread (it reads the whole copy and may cross a slow network), through the same
operation as `paperprep sync` (paperprep.ops.sync.SendOfflineChanges). Once back, the open copy records what reached
the server (RecordSent, through the store), so a second send sends nothing twice. A record changed on both sides is
not sent: the conflicts dialog lists each one (the record as the clerk knows it, what differs, both values), and the
clerk keeps theirs, takes the server's, or, for text, compares them side by side and merges (paperprep.ui.team's
ConflictDialog). Each choice is applied on both sides at once (paperprep.ops.sync.send_choice and SettleInCopy); a
record that moved on the server again meanwhile is shown again with its new value. What the clerk leaves unsettled
stays listed, and their version stays in the copy for the next send.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from paperprep import blocks as B
from paperprep.db import Database
from paperprep.db.offline import offline_origin, server_address
from paperprep.logs import explain
from paperprep.ops import Workbench
from paperprep.ops import sync as S
from paperprep.ui import dialogs, failures, team
from paperprep.ui.store import Store
from paperprep.ui.worker import run_in_background

SOURCE = "Send my changes"
SHOWN_CHARACTERS = (
    240  # of a value in the list; the whole text is in its tip and in the side-by-side comparison
)
NOT_OFFLINE = (
    "Send my changes works on an offline copy of a shared database; the database open here is not one."
)


ON_SERVER = "On the shared database"


def offline_intro(what: str) -> str:
    """The side-by-side comparison's opening sentence for a change sent from this copy."""
    return (
        f"The shared database's copy of {what} was changed after you made your offline copy, so yours was not "
        "sent. Both are below. Keep yours, take theirs (yours is copied to the clipboard), or merge them and send "
        "the result."
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _shown(value: Any) -> str:
    """A field's value as one readable text: minutes as their plain text, nothing as a dash."""
    if isinstance(value, tuple) and all(isinstance(b, B.Block) for b in value):
        value = B.to_plain_text(value)
    if value is None or value == "":
        return "(empty)"
    return str(getattr(value, "value", value))


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_CHARACTERS else flat[: SHOWN_CHARACTERS - 1] + "\u2026"


def _values(fields: list[S.ConflictField], side: str, short: bool = False) -> str:
    """One side's values of what differs: the value alone when one thing differs, else each after its name."""
    shown = [(f.name, _shown(getattr(f, side))) for f in fields]
    if short:
        shown = [(name, _short(value)) for name, value in shown]
    if len(shown) == 1:
        return shown[0][1]
    return ("\n" if short else "\n\n").join(f"{name}: {value}" for name, value in shown)


def _sent_sentence(result: S.SyncResult) -> str:
    sent = _count(result.applied, "change sent", "changes sent")
    held = len(result.conflicts)
    if held:
        were = "it was" if held == 1 else "they were"
        return f"{sent}; {held} not sent, because {were} changed on the shared database too"
    return sent


class SendChanges(QObject):
    """The command, its worker, and the conflicts dialog it opens."""

    def __init__(
        self,
        store: Store,
        parent: QWidget,
        message: Callable[[str, int], None],
        connect: Callable[[QWidget | None, str], Database | None],
    ) -> None:
        """`connect(parent, address)` opens the shared database, asking for a password when the server wants one
        (paperprep.ui.databases.connect_server); `message(text, milliseconds)` writes in the status bar."""
        super().__init__(parent)
        self.store = store
        self.open_server = connect
        self.parent_widget = parent
        self.message = message
        self.action: QAction | None = None
        self.running = False
        self.dialog: ConflictsDialog | None = None
        self.last_result: S.SyncResult | None = None

    def available(self) -> bool:
        """Whether the open database is an offline copy (it records the shared database it came from)."""
        db = self.store.db
        return db.url is None and offline_origin(db.path) is not None

    def follow(self, action: QAction | None) -> None:
        """Enable the File menu's command only on an offline copy (and not while a send runs)."""
        self.action = action
        self.refresh()

    def refresh(self) -> None:
        if self.action is None:
            return
        usable = self.available()
        self.action.setEnabled(usable and not self.running)
        self.action.setStatusTip("" if usable else NOT_OFFLINE)

    def send(self) -> None:
        if self.running:
            return
        db = self.store.db
        origin = offline_origin(db.path) if db.url is None else None
        if origin is None:
            dialogs.show_error(self.parent_widget, NOT_OFFLINE)
            return
        if not self.store.autosaver.flush():
            dialogs.show_error(
                self.parent_widget,
                "Your latest typing is not saved in this copy yet, so nothing was sent. Save it (File > Save "
                "now), then send again.",
            )
            return
        server = self.open_server(self.parent_widget, server_address(origin, None))
        if server is None:
            return  # the clerk was told why, or cancelled the password
        if not server.on_server:
            server.close()
            dialogs.show_error(
                self.parent_widget, f"{origin.source} is not a shared database: nothing was sent."
            )
            return
        self.running = True
        self.refresh()
        self.message(f"Sending your changes to {server.location}\u2026", 0)
        path, user = db.path, self.store.bench.origin.user
        run_in_background(
            lambda: _send(server, path, user),
            lambda answer: self._sent(server, *answer),
            lambda exc: self._failed(server, exc),
        )

    def _sent(self, server: Database, result: S.SyncResult, server_time: str) -> None:
        self.running = False
        self.last_result = result
        done = self.store.run(
            S.RecordSent(result.rebase, server_time), source=SOURCE, parent=self.parent_widget, flush=False
        )
        self.refresh()
        if done is None:  # the clerk was shown why; the server has the changes
            self.message("Changes sent, but this copy could not record it: a next send lists them again.", 0)
        else:
            self.message(_sent_sentence(result), 15000)
        if not result.conflicts:
            server.close()
            return
        self.dialog = ConflictsDialog(self.parent_widget, self.store, server, result.conflicts)
        self.dialog.finished.connect(lambda _code: self._settled(server))
        self.dialog.open()

    def _settled(self, server: Database) -> None:
        dialog = self.dialog
        self.dialog = None
        server.close()
        if dialog is None:
            return
        left = len(dialog.conflicts)
        if left:
            self.message(
                f"{_count(left, 'change', 'changes')} still not sent: they stay in this copy, and are listed again "
                "when you send next time",
                15000,
            )
        else:
            self.message("Every change is settled with the shared database", 15000)
        dialog.deleteLater()

    def _failed(self, server: Database, exc: BaseException) -> None:
        self.running = False
        server.close()
        self.refresh()
        self.message(f"Nothing sent: {explain(exc)}", 15000)
        failures.report(self.parent_widget, exc)


def _send(server: Database, path: Path, user: str) -> tuple[S.SyncResult, str]:
    """On the worker thread: the copy read, its changes sent in one transaction, and the server's clock then."""
    origin, rows = S.read_copy(path)
    bench = Workbench(server, user)
    result = bench.run(S.SendOfflineChanges(origin, rows), source=SOURCE).result
    return result, bench.read(S.server_time)


class ConflictsDialog(QDialog):
    """The records not sent because both sides changed them: what differs, both values, and the clerk's choice."""

    COLUMNS = ("Record", "What differs", "Yours (this copy)", "On the shared database")

    def __init__(
        self, parent: QWidget | None, store: Store, server: Database, conflicts: list[S.Conflict]
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendConflictsDialog")
        self.setWindowTitle("Changes not sent")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.store = store
        self.server = Workbench(server, store.bench.origin.user)
        self.conflicts = list(conflicts)
        intro = QLabel(
            "These records were changed both in this copy and on the shared database since the copy was made, so "
            "they were not sent. Choose which version each should keep, or compare the texts and merge them. "
            "What you leave stays listed: your version stays in this copy, and is listed again when you send."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("conflictList")
        self.table.setAccessibleName("Changes not sent")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update)
        self.table.itemDoubleClicked.connect(lambda _item: self.compare())
        self.note = QLabel()
        self.note.setObjectName("conflictNote")
        self.note.setWordWrap(True)
        self.keep_mine = QPushButton("&Keep mine")
        self.take_theirs = QPushButton("&Take theirs")
        self.compare_button = QPushButton("&Compare and merge\u2026")
        self.close_button = QPushButton("Close")
        self.keep_mine.setObjectName("keepMine")
        self.take_theirs.setObjectName("takeTheirs")
        self.compare_button.setObjectName("compareMerge")
        self.keep_mine.setToolTip("Send your version to the shared database")
        self.take_theirs.setToolTip(
            "Put the shared database's version in this copy (yours goes to the clipboard)"
        )
        self.compare_button.setToolTip("Both texts side by side: keep one, or merge them")
        self.keep_mine.clicked.connect(lambda: self.choose(S.Choice.KEEP_MINE))
        self.take_theirs.clicked.connect(lambda: self.choose(S.Choice.TAKE_THEIRS))
        self.compare_button.clicked.connect(self.compare)
        self.close_button.clicked.connect(self.accept)
        self.close_button.setDefault(True)  # Enter never sends one version over the other by accident
        buttons = QHBoxLayout()
        for button in (self.keep_mine, self.take_theirs, self.compare_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.resize(980, 420)
        self._fill()

    # -- the list -----------------------------------------------------------------------------------------------

    def _fill(self, select: int = 0) -> None:
        self.table.setRowCount(len(self.conflicts))
        for row, conflict in enumerate(self.conflicts):
            fields = S.conflict_fields(conflict)
            names = ", ".join(f.name for f in fields) or "the record"
            mine = _values(fields, "mine", short=True) if conflict.mine else "(removed)"
            theirs = _values(fields, "theirs", short=True) if conflict.theirs else "(removed)"
            full_mine, full_theirs = _values(fields, "mine"), _values(fields, "theirs")
            reference = conflict.reference[:1].upper() + conflict.reference[1:]
            cells = (
                (reference, f"{reference}: {conflict.reason}"),
                (names, names),
                (mine, full_mine),
                (theirs, full_theirs),
            )
            for column, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
        self.table.setColumnWidth(0, 260)
        self.table.resizeRowsToContents()
        if self.conflicts:
            self.table.selectRow(min(select, len(self.conflicts) - 1))
        self._update()

    def current(self) -> S.Conflict | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.conflicts):
            return None
        return self.conflicts[rows[0].row()]

    def _update(self) -> None:
        conflict = self.current()
        reason = S.unresolvable(conflict) if conflict is not None else ""
        settleable = conflict is not None and not reason
        text = (
            settleable and any(f.text for f in S.conflict_fields(conflict)) if conflict is not None else False
        )
        self.keep_mine.setEnabled(settleable)
        self.take_theirs.setEnabled(settleable)
        self.compare_button.setEnabled(bool(text))
        if not self.conflicts:
            self.note.setText("Every change is settled with the shared database.")
        elif conflict is not None and reason:
            self.note.setText(f"{conflict.reason[:1].upper()}{conflict.reason[1:]}. {reason}")
        else:
            self.note.setText(_count(len(self.conflicts), "change not sent", "changes not sent") + ".")

    # -- the clerk's choice -------------------------------------------------------------------------------------

    def compare(self) -> None:
        """The record's text side by side (the minutes first), with keep mine, take theirs and merge."""
        conflict = self.current()
        if conflict is None or S.unresolvable(conflict):
            return
        texts = sorted((f for f in S.conflict_fields(conflict) if f.text), key=lambda f: f.name != "minutes")
        if not texts:
            return
        shown = texts[0]
        mine = shown.mine if isinstance(shown.mine, tuple) else str(shown.mine or "")
        theirs = shown.theirs if isinstance(shown.theirs, tuple) else str(shown.theirs or "")
        what = f"the {shown.name} of {conflict.reference}"
        answer = team.ask_conflict(
            self,
            team.Conflict(
                what,
                mine,
                theirs,
                intro=offline_intro(what),
                theirs_label=ON_SERVER,
            ),
        )
        if answer is None:
            return
        choice = {
            team.Choice.MINE: S.Choice.KEEP_MINE,
            team.Choice.THEIRS: S.Choice.TAKE_THEIRS,
            team.Choice.MERGE: S.Choice.MERGE,
        }[answer.choice]
        self.choose(choice, {shown.name: answer.text} if choice is S.Choice.MERGE else None)

    def choose(self, choice: S.Choice, merged: dict[str, S.Text] | None = None) -> bool:
        """Apply the choice for the selected record on both sides; True once settled. A record that moved on the
        server meanwhile is listed again with its new value; a failure leaves it listed, nothing lost."""
        conflict = self.current()
        if conflict is None:
            return False
        index = self.conflicts.index(conflict)
        try:
            values = S.chosen_values(conflict, choice, merged)
            settled = S.send_choice(self.server, conflict, values)
        except Exception as exc:  # noqa: BLE001 - told to the clerk; the record stays listed
            failures.report(self, exc)
            return False
        if isinstance(settled, S.Conflict):
            self.conflicts[index] = settled
            self._fill(index)
            self.note.setText(
                f"{settled.reference[:1].upper()}{settled.reference[1:]} was {settled.reason}. Nothing was "
                "changed; its new value is shown."
            )
            return False
        if choice is S.Choice.TAKE_THEIRS and conflict.mine is not None:
            # The clerk's version stays at hand, as when a save meets another clerk's.
            QGuiApplication.clipboard().setText(_values(S.conflict_fields(conflict), "mine"))
        done = self.store.run(S.SettleInCopy(conflict, values, settled), source=SOURCE, parent=self)
        if done is None:
            return False  # the clerk was shown why; the record stays listed
        del self.conflicts[index]
        self._fill(index)
        if not self.conflicts:
            self.accept()
        return True
