"""The main window: the navigator beside the meeting workspace, the menus (ui.actions), and the save state.

The window holds the store, the one road for changes; its commands live in ui.meeting_commands (committees and
meetings), ui.databases (files) and ui.export_menu (exports), and it is their host. Undo acts on the meeting on
screen. Typing that cannot be saved is never lost on closing (ui.recovery): closing asks, and a database opened
with a recovery file beside it offers the text back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QWidget

from paperprep import __version__
from paperprep.db import Database
from paperprep.ops import Done
from paperprep.ops.meetings import LoadDemo
from paperprep.ui import dialogs, export_actions, failures, recovery, settings, style
from paperprep.ui.actions import ActionCollection
from paperprep.ui.databases import DatabaseCommands
from paperprep.ui.export_menu import ExportCommands
from paperprep.ui.import_minutes import ImportMinutesCommands
from paperprep.ui.meeting_commands import MeetingCommands
from paperprep.ui.navigator import NavigatorPane
from paperprep.ui.store import Store
from paperprep.ui.undo import UndoActions
from paperprep.ui.worker import run_in_background
from paperprep.ui.workspace import MeetingWorkspace


class MainWindow(QMainWindow):
    demoLoaded = Signal()

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAccessibleName("paperprep")
        self.store = Store(db, self)
        self.action_log_window: Any = None
        self.search_dialog: Any = None
        self.guide_window: Any = None

        self.workspace = MeetingWorkspace(
            self.store
        )  # first to hear of a change: it lets go a deleted meeting
        self.navigator_pane = NavigatorPane(self.store)
        self.navigator, self.proxy = self.navigator_pane.model, self.navigator_pane.proxy
        self.tree, self.calendar = self.navigator_pane.tree, self.navigator_pane.calendar
        self.navigator_pane.meetingChosen.connect(self.select_meeting)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigator_pane)
        self.splitter.addWidget(self.workspace)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([340, 1260])
        self.setCentralWidget(self.splitter)

        self.save_label = QLabel("All changes saved")
        self.save_label.setObjectName("saveState")
        self.save_label.setAccessibleName("Save state")
        self.path_label = QLabel(str(db.path))
        self.path_label.setObjectName("databasePath")
        self.path_label.setAccessibleName("Database file")
        self.statusBar().addWidget(self.save_label)
        self.statusBar().addPermanentWidget(self.path_label)
        autosaver = self.store.autosaver
        self.store.saving.connect(lambda: self.save_label.setText("Saving\u2026"))
        self.store.saved.connect(self._show_save_state)
        self.store.failed.connect(lambda message: self.show_message(f"Not saved: {message}", 10000))
        autosaver.pendingChanged.connect(lambda _pending: self._show_save_state())
        autosaver.unsavedChanged.connect(lambda _reason: self._show_save_state())

        self.undo = UndoActions(self.store, lambda: self.workspace.meeting_id, self)
        self.workspace.meetingChanged.connect(lambda _meeting_id: self.undo.update())
        self.commands = MeetingCommands(
            self.store, self.workspace, self.navigator_pane, self.select_meeting, self
        )
        self.exports = ExportCommands(self)
        self.minutes_import = ImportMinutesCommands(self)
        self.action_collection = ActionCollection(self, self.undo)
        for attr, action in self.action_collection.actions.items():
            setattr(self, attr, action)  # window.act_new_meeting and the rest, for tests and assistive tools
        self.appearance = style.Appearance(self, self.action_collection.actions)
        self.leave_focus = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.leave_focus.setEnabled(False)  # Esc leaves the focus on the minutes, and only that
        self.leave_focus.activated.connect(lambda: self.set_focus_mode(False))
        self.export_menu = self.action_collection.menus["exportMenu"]
        self.recent_menu = self.action_collection.recent_menu
        self.databases = DatabaseCommands(self.store, self, self.recent_menu, self.show_message)
        self.databases.switching.connect(self._leave_database)
        self.databases.switched.connect(self._database_opened)

        self.setWindowTitle(f"paperprep - {db.path.name}")
        self.resize(1280, 820)
        geometry, splitter = settings.byte_array(settings.GEOMETRY), settings.byte_array(settings.SPLITTER)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:  # a first run: all the room there is
            self.setWindowState(Qt.WindowState.WindowMaximized)
        if splitter is not None:
            self.splitter.restoreState(splitter)
        QTimer.singleShot(0, self, lambda: recovery.offer(self.store, self))  # once the window is up

    @property
    def db(self) -> Database:
        return self.store.db

    # -- the host of commands and exports ------------------------------------------------------------------

    def current_meeting_id(self) -> int | None:
        return self.workspace.meeting_id

    def show_message(self, text: str, timeout: int = 0) -> None:
        if text:
            self.statusBar().showMessage(text, timeout)
        else:
            self.statusBar().clearMessage()

    def parent_widget(self) -> QWidget:
        return self

    def select_meeting(self, meeting_id: int | None) -> None:
        """Show this meeting (None: none) in the workspace, and as the navigator's current entry."""
        self.navigator_pane.select_meeting(meeting_id)
        if self.workspace.meeting_id != meeting_id:
            self.workspace.show_meeting(meeting_id)
        self.undo.update()

    def open_item(self, meeting_id: int, item_id: int) -> None:
        self.select_meeting(meeting_id)
        self.workspace.agenda.select(item_id)
        self.workspace.open_minutes(item_id)

    # -- saving ----------------------------------------------------------------------------------------------

    def _show_save_state(self) -> None:
        autosaver = self.store.autosaver
        if autosaver.pending:
            self.save_label.setText("Saving\u2026")
        elif autosaver.unsaved:
            self.save_label.setText(f"Not saved: {autosaver.reason or 'a change could not be saved'}")
        else:
            self.save_label.setText("All changes saved")

    def save_now(self) -> None:
        if not self.store.autosaver.retry():
            self.show_message("Some typing is still not saved: see the message in the status bar.", 8000)
        self._show_save_state()

    # -- commands the workspace and tests call directly -------------------------------------------------------

    def approve_minutes(self) -> None:
        self.commands.approve_minutes()

    def paste_minutes(self) -> None:
        self.commands.paste_minutes()

    def open_search(self) -> None:
        from paperprep.ui.search_dialog import SearchDialog

        if self.search_dialog is None:
            self.search_dialog = SearchDialog(self.store, self)
            self.search_dialog.openItem.connect(self.open_item)
        self.search_dialog.show()
        self.search_dialog.raise_()
        self.search_dialog.query.setFocus()
        self.search_dialog.query.selectAll()

    def open_action_log(self) -> None:
        from paperprep.ui.action_log import ActionLogWindow

        if self.action_log_window is None:
            self.action_log_window = ActionLogWindow(self.store, self)
        else:
            self.action_log_window.refresh()
        self.action_log_window.show()
        self.action_log_window.raise_()

    def open_inspection_history(self) -> None:
        from paperprep.ui.history import InspectionHistoryDialog

        dialog = InspectionHistoryDialog(self.store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openItem.connect(self.open_item)
        dialog.show()

    def open_topic_history(self) -> None:
        from paperprep.ui.history import TopicHistoryDialog

        dialog = TopicHistoryDialog(self.store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openItem.connect(self.open_item)
        dialog.show()

    def open_guide(self) -> None:
        from paperprep.ui.guide import GuideWindow

        if self.guide_window is None:
            self.guide_window = GuideWindow(self)
        self.guide_window.show()
        self.guide_window.raise_()

    def toggle_focus_mode(self) -> None:
        self.set_focus_mode(self.act_focus.isChecked())  # type: ignore[attr-defined]

    def set_focus_mode(self, on: bool) -> None:
        """Only the item's title and its minutes (F11); F11 or Esc brings the rest back."""
        self.act_focus.setChecked(on)  # type: ignore[attr-defined]
        self.leave_focus.setEnabled(on)
        for widget in (self.navigator_pane, self.action_collection.toolbar, self.statusBar()):
            widget.setVisible(not on)
        self.workspace.set_focus_mode(on)

    def about(self) -> None:
        dialogs.show_info(
            self,
            "About paperprep",
            f"<p><b>paperprep {__version__}</b></p><p>Committee papers, minutes "
            f"and action logs for council clerks.</p><p>Database: {self.db.path}</p>",
        )

    def load_demo(self) -> None:
        """Fill the (empty) database with the demo council on a worker thread; the window stays responsive."""
        self.show_message("Loading the demo data\u2026")
        self.setEnabled(False)
        bench = self.store.bench

        def done(result: Done[None]) -> None:
            self.setEnabled(True)
            self.store.record(result)  # it cannot be undone: the Edit menu says so
            self.store.reload_everything(result.step.label)
            self.show_message("Demo data loaded: pick a meeting on the left.", 8000)
            self.demoLoaded.emit()

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.show_message("")
            failures.report(self, exc)

        run_in_background(lambda: bench.run(LoadDemo(), "demo"), done, failed)

    # -- databases -------------------------------------------------------------------------------------------

    def switch_database(self, path: Path) -> bool:
        return self.databases.switch_database(path)

    def _leave_database(self) -> None:
        self.select_meeting(None)
        if self.action_log_window is not None:
            self.action_log_window.close()
            self.action_log_window = None
        if self.search_dialog is not None:
            self.search_dialog.close()
            self.search_dialog = None

    def _database_opened(self, db: Database) -> None:
        self.path_label.setText(str(db.path))
        self.setWindowTitle(f"paperprep - {db.path.name}")
        self.undo.update()
        recovery.offer(self.store, self)

    # -- closing ---------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # An export still being written asks first: closing stops it, and its file is not written.
        writing = export_actions.exports_in_flight(self)
        if writing:
            names = ", ".join(path.name for path in writing)
            if not dialogs.confirm(
                self,
                "Close paperprep",
                f"{names} is still being written. Close anyway? The export stops and the file is not written.",
            ):
                event.ignore()
                return
        # Unsaved typing asks next: try again, keep it in a recovery file, or stay open.
        if not recovery.close_allowed(self.store, self):
            event.ignore()
            return
        self.set_focus_mode(False)  # the layout kept is the whole one
        settings.GEOMETRY.set(self.saveGeometry())
        settings.SPLITTER.set(self.splitter.saveState())
        self.workspace.save_layout()
        if self.action_log_window is not None:
            self.action_log_window.close()
        export_actions.cancel_exports(self)
        super().closeEvent(event)
