"""Team mode in the window: other clerks' changes arriving, who else is editing a minute, and stale saves resolved.

`TeamLink` runs a listener (paperprep.db.notify.Listener) on a thread of its own with its own connection. The
thread only moves notices: it puts what arrives on a queue that a timer of the window's thread empties, so no Qt
object is touched off the window's thread and a slow network never stalls typing. A change notice from another
origin becomes a `Changes` (paperprep.ops.changes.from_notice) handed to the store's `changed` signal, the same
road as the clerk's own changes; the window's own notices are recognised by its origin and ignored. When the
connection drops, the thread tries again every two seconds, and once back the store reloads every view, since
notices sent meanwhile are lost.

Presence: each window says, on a channel of its own, which minute it is editing, when that changes and every ten
seconds; one that has said nothing for thirty seconds (a laptop closed, a network gone) is forgotten. A window
that opens asks the others to say where they are, so it knows at once.

On an SQLite file (two windows, or two copies of paperprep, on one file) there is no server to send notices:
`FileLink` looks at the file's change counter (paperprep.db.notify.FileWatch) every second while the application is
in front, and at once when it comes to the front. What another connection committed is not known row by row, so it
arrives as the catch-up after a reconnect does: one `Changes` that reloads every view. The store marks its own
writes (`own_write`), so the window does not reload after its own saves.

`ask_conflict` is the dialog shown when a save is refused because someone else saved first (another clerk, or
another window on the same file): both versions side by side, and three ways out (keep mine, take theirs, merge),
none of which loses a word.
"""

from __future__ import annotations

import enum
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paperprep import blocks as B
from paperprep.db import notify
from paperprep.ops.changes import Changes, Kind, Origin, everything, from_notice

RETRY_SECONDS = 2.0
POLL_MS = 100
FILE_POLL_MS = 1000  # how often a window on a file looks for other connections' commits, while in front
ELSEWHERE = Origin("another connection", "")
WAIT_SECONDS = 0.25  # how long the thread waits for a notice before it looks at what it has to send


@dataclass
class _Other:
    user: str
    item_id: int | None
    seen: float


class TeamLink(QObject):
    """The window's link to the other clerks on a shared database."""

    changed = Signal(object)  # Changes made by another clerk
    reconnected = Signal()  # the connection came back: notices may have been missed
    presenceChanged = Signal()
    connectionChanged = Signal(bool)  # whether the listener is connected

    def __init__(
        self, listener: notify.Listener, origin: Origin, person: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.origin = origin
        self.person = person
        self.connected = False
        self._editing: int | None = None
        self._others: dict[str, _Other] = {}
        self._changed_by: dict[tuple[Kind, int], str] = {}
        self._inbox: queue.Queue[tuple[str, object]] = queue.Queue()
        self._outbox: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        stop = self._stop
        self.destroyed.connect(lambda *_a: stop.set())  # a window closed without stop(): the thread still ends
        self._thread = threading.Thread(target=self._listen, args=(listener,), name="paperprep-team", daemon=True)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._drain)
        self._timer.start()
        self._thread.start()

    # -- the window's side ------------------------------------------------------------------------------------

    def set_editing(self, item_id: int | None) -> None:
        """The minute this window now shows (None: none), told to the others at once."""
        if item_id != self._editing:
            self._editing = item_id
            self._outbox.put(notify.presence(self.origin.client, self.person, item_id))

    def editors(self, item_id: int | None) -> list[str]:
        """The other clerks who have this item's minute open, by name, each once."""
        if item_id is None:
            return []
        names = {notify.display_name(o.user) for o in self._others.values() if o.item_id == item_id}
        return sorted(names)

    def changed_by(self, kind: Kind, record_id: int) -> str | None:
        """Who last changed this record from another window, as far as this window has heard."""
        return self._changed_by.get((kind, record_id))

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        self._thread.join(timeout=3)

    def _drain(self) -> None:
        presence = False
        while True:
            try:
                what, value = self._inbox.get_nowait()
            except queue.Empty:
                break
            if what == "up":
                self.connected = True
                self.connectionChanged.emit(True)
                if value:  # not the first connection: what was said meanwhile is lost
                    self.reconnected.emit()
            elif what == "down":
                self.connected = False
                self.connectionChanged.emit(False)
                presence = presence or bool(self._others)
                self._others.clear()
            elif isinstance(value, notify.Notice) and value.channel == notify.CHANGES:
                self._change(value.payload)
            elif isinstance(value, notify.Notice) and value.channel == notify.PRESENCE:
                presence = self._presence(value.payload) or presence
        now = time.monotonic()
        gone = [c for c, o in self._others.items() if now - o.seen > notify.EXPIRY]
        for client in gone:
            del self._others[client]
        if presence or gone:
            self.presenceChanged.emit()

    def _change(self, payload: str) -> None:
        changes = from_notice(payload)
        if changes is None or changes.origin.client == self.origin.client:
            return  # not a notice of paperprep's, or this window's own change (already shown)
        who = notify.display_name(changes.origin.who)
        for kind, ids in changes.ids.items():
            for record_id in ids:
                self._changed_by[(kind, record_id)] = who
        self.changed.emit(changes)

    def _presence(self, payload: str) -> bool:
        said = notify.read_presence(payload)
        if said is None or said[0] == self.origin.client:
            return False
        client, user, item_id, event = said
        if event == "ask":
            self._outbox.put(notify.presence(self.origin.client, self.person, self._editing))
            return False
        if event == "gone":
            return self._others.pop(client, None) is not None
        before = self._others.get(client)
        self._others[client] = _Other(user, item_id, time.monotonic())
        return before is None or before.item_id != item_id or before.user != user

    # -- the listener's thread --------------------------------------------------------------------------------

    def _listen(self, listener: notify.Listener) -> None:
        first = True
        beat = 0.0
        while not self._stop.is_set():
            if not listener.connected:
                try:
                    listener.connect()
                except Exception:  # noqa: BLE001 - the server is out of reach: try again shortly
                    self._inbox.put(("down", None))
                    self._stop.wait(RETRY_SECONDS)
                    continue
                self._inbox.put(("up", not first))
                first = False
                listener.send(notify.PRESENCE, notify.presence(self.origin.client, self.person, None, "ask"))
                beat = 0.0
            try:
                now = time.monotonic()
                if now - beat >= notify.HEARTBEAT:
                    listener.send(notify.PRESENCE, notify.presence(self.origin.client, self.person, self._editing))
                    beat = now
                while True:
                    try:
                        listener.send(notify.PRESENCE, self._outbox.get_nowait())
                    except queue.Empty:
                        break
                for notice in listener.wait(WAIT_SECONDS):
                    self._inbox.put(("notice", notice))
            except Exception:  # noqa: BLE001 - the connection broke: reconnect, then catch up
                listener.close()
                self._inbox.put(("down", None))
                self._stop.wait(RETRY_SECONDS)
        try:
            listener.send(notify.PRESENCE, notify.presence(self.origin.client, self.person, None, "gone"))
        except Exception:  # noqa: BLE001, S110 - closing: the others forget this window after the expiry anyway
            pass
        listener.close()


class FileLink(QObject):
    """The window's link to other connections on the same SQLite file: their commits, as one reload."""

    changed = Signal(object)  # Changes: everything, since which rows changed is not known

    def __init__(self, watch: notify.FileWatch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watch = watch
        self.destroyed.connect(lambda *_a: watch.close())  # a window closed without stop(): the file is let go
        self._pending = False  # moved before one of this window's own writes: told after it
        self._writing = 0
        self._timer = QTimer(self)
        self._timer.setInterval(FILE_POLL_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._state_changed)

    @contextmanager
    def own_write(self) -> Iterator[None]:
        """Around a write of this window: what moved before it is another's, what moved by its end is its own."""
        if self._writing == 0 and self._watch.moved():
            self._pending = True
        self._writing += 1
        try:
            yield
        finally:
            self._writing -= 1
            if self._writing == 0:
                self._watch.mark()

    def poll(self) -> bool:
        """Look now; True (and `changed` emitted) when another connection has committed since the last look."""
        if self._writing:
            return False
        moved = self._watch.moved() or self._pending
        self._pending = False
        if moved:
            self.changed.emit(elsewhere())
        return moved

    def _tick(self) -> None:
        if QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive:
            self.poll()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            QTimer.singleShot(0, self, self.poll)  # back in front: up to date at once

    def stop(self) -> None:
        self._timer.stop()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            try:
                app.applicationStateChanged.disconnect(self._state_changed)
            except (RuntimeError, TypeError):
                pass  # already let go
        self._watch.close()


def elsewhere() -> Changes:
    """Another connection committed to the file: every view reloads, as after a reconnect on a server."""
    return everything("Changed in another window", ELSEWHERE)


def presence_line(names: list[str]) -> str:
    """The sentence above the minute: "Sam Patel is editing this minute"."""
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} is editing this minute"
    return f"{', '.join(names[:-1])} and {names[-1]} are editing this minute"


# -- a stale save: both versions, and the clerk's choice ---------------------------------------------------------


class Choice(enum.Enum):
    MINE = "mine"  # save mine over the version now in the database
    THEIRS = "theirs"  # load theirs; mine goes to the clipboard
    MERGE = "merge"  # save the merged text (it starts with both) as mine


Text = tuple[B.Block, ...] | str


@dataclass(frozen=True)
class Conflict:
    """A save refused because the record changed since it was read: what it is, and both versions."""

    what: str  # "the minute of 'School place planning'"
    mine: Text
    theirs: Text
    who: str | None = None  # who changed it, when known
    # The sentence above the two versions and the right side's heading, where the default ("... saved it after
    # you opened it", "Now saved") would not be true: a change sent from an offline copy.
    intro: str | None = None
    theirs_label: str | None = None


@dataclass(frozen=True)
class Resolution:
    choice: Choice
    text: Text  # what to save (mine, or the merged text), or to show (theirs)


def merged_start(conflict: Conflict) -> Text:
    """The merged text offered first: the clerk's version, then the one now in the database, nothing dropped."""
    if isinstance(conflict.mine, str) or isinstance(conflict.theirs, str):
        mine, theirs = _plain(conflict.mine), _plain(conflict.theirs)
        return mine if mine == theirs else f"{mine}\n{theirs}" if mine and theirs else mine or theirs
    if conflict.mine == conflict.theirs:
        return conflict.mine
    return (*conflict.mine, *conflict.theirs)


def _plain(text: Text) -> str:
    return text if isinstance(text, str) else B.to_plain_text(text)


def clipboard_text(text: Text) -> str:
    return _plain(text)


class ConflictDialog(QDialog):
    def __init__(self, parent: QWidget | None, conflict: Conflict) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Changed by someone else")
        self.conflict = conflict
        self.resolution: Resolution | None = None
        who = conflict.who or "Someone else"
        intro = QLabel(
            conflict.intro
            or f"{who} saved {conflict.what} after you opened it, so your version was not saved over theirs. Both "
            "are below. Keep yours, take theirs (yours is copied to the clipboard), or merge them and save the "
            "result."
        )
        intro.setObjectName("conflictIntro")
        intro.setWordWrap(True)
        self.mine = self._editor(conflict.mine, "Your version", read_only=True)
        self.theirs = self._editor(
            conflict.theirs, conflict.theirs_label or "The version now saved", read_only=True
        )
        self.merged = self._editor(merged_start(conflict), "Merged text", read_only=False)
        grid = QGridLayout()
        grid.addWidget(QLabel("Yours"), 0, 0)
        theirs_label = conflict.theirs_label or (f"Now saved, by {conflict.who}" if conflict.who else "Now saved")
        theirs_heading = QLabel(theirs_label)
        theirs_heading.setObjectName("theirsHeading")
        grid.addWidget(theirs_heading, 0, 1)
        grid.addWidget(self.mine, 1, 0)
        grid.addWidget(self.theirs, 1, 1)
        merge_label = QLabel("&Merged (edit, then save it as yours)")
        merge_label.setBuddy(self.merged)
        self.keep_mine = QPushButton("&Keep mine")
        self.take_theirs = QPushButton("&Take theirs")
        self.save_merged = QPushButton("&Save merged")
        self.keep_mine.setObjectName("keepMine")
        self.take_theirs.setObjectName("takeTheirs")
        self.save_merged.setObjectName("saveMerged")
        self.keep_mine.clicked.connect(lambda: self._choose(Choice.MINE))
        self.take_theirs.clicked.connect(lambda: self._choose(Choice.THEIRS))
        self.save_merged.clicked.connect(lambda: self._choose(Choice.MERGE))
        buttons = QHBoxLayout()
        buttons.addStretch()
        for button in (self.keep_mine, self.take_theirs, self.save_merged):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 2)
        layout.addWidget(merge_label)
        layout.addWidget(self.merged, 1)
        layout.addLayout(buttons)
        self.resize(900, 600)

    @staticmethod
    def _editor(text: Text, name: str, read_only: bool) -> QWidget:
        if isinstance(text, str):
            plain = QPlainTextEdit()
            plain.setPlainText(text)
            plain.setReadOnly(read_only)
            plain.setAccessibleName(name)
            return plain
        from paperprep.ui.minutes_editor import MinutesEditor

        editor = MinutesEditor()
        editor.set_blocks(text)
        editor.setReadOnly(read_only)
        editor.setAccessibleName(name)
        return editor

    def merged_text(self) -> Text:
        if isinstance(self.merged, QPlainTextEdit):
            return self.merged.toPlainText()
        from paperprep.ui.minutes_editor import MinutesEditor

        assert isinstance(self.merged, MinutesEditor)
        return self.merged.blocks()

    def _choose(self, choice: Choice) -> None:
        text = {
            Choice.MINE: self.conflict.mine,
            Choice.THEIRS: self.conflict.theirs,
            Choice.MERGE: self.merged_text(),
        }[choice]
        self.resolution = Resolution(choice, text)
        self.accept()


def ask_conflict(parent: QWidget | None, conflict: Conflict) -> Resolution | None:
    """Both versions side by side and the clerk's choice; None if they closed the dialog (their text stays on
    screen, unsaved, and the status bar says so)."""
    dialog = ConflictDialog(parent, conflict)
    dialog.exec()
    return dialog.resolution

