"""The main window: the navigator of committees and meetings, the meeting workspace, menus, toolbar and status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QDate, QModelIndex, QSettings, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QTextCharFormat, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from paperprep import __version__
from paperprep.db import Database, open_database
from paperprep.domain import CommitteeKind, ItemKind, NumberingScheme
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services.deadlines import deadline_warning, publication_deadline
from paperprep.services.numbering import municipal_year
from paperprep.ui import dialogs
from paperprep.ui.autosave import AutoSaver
from paperprep.ui.models import NODE_KIND_ROLE, ROW_ID_ROLE, NavigatorModel, NavMeeting
from paperprep.ui.store import Store
from paperprep.ui.workspace import MeetingWorkspace

MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings("paperprep", "paperprep")


class MainWindow(QMainWindow):
    demoLoaded = Signal()

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAccessibleName("paperprep")
        self.db = db
        self.store = Store(db, self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.autosaver = AutoSaver(self)
        self.action_log_window: Any = None
        self.search_dialog: Any = None

        self.navigator = NavigatorModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.navigator)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setObjectName("navigatorFilter")
        self.filter.setAccessibleName("Filter meetings")
        self.filter.setPlaceholderText("Filter: committee, date or status")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.tree = QTreeView()
        self.tree.setObjectName("navigatorTree")
        self.tree.setAccessibleName("Committees and meetings")
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("meetingCalendar")
        self.calendar.setAccessibleName("Calendar of meetings")
        self.calendar.setGridVisible(True)
        self.calendar.activated.connect(self._calendar_pick)
        self.calendar.clicked.connect(self._calendar_pick)
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("navigatorTabs")
        tree_box = QWidget()
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addWidget(self.filter)
        tree_layout.addWidget(self.tree)
        self.side_tabs.addTab(tree_box, "Meetings")
        self.side_tabs.addTab(self.calendar, "Calendar")

        self.workspace = MeetingWorkspace(self.store, self.undo_stack, self.autosaver)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.side_tabs)
        self.splitter.addWidget(self.workspace)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)

        self.save_label = QLabel("All changes saved")
        self.save_label.setObjectName("saveState")
        self.save_label.setAccessibleName("Save state")
        self.path_label = QLabel(str(db.path))
        self.path_label.setObjectName("databasePath")
        self.path_label.setAccessibleName("Database file")
        self.statusBar().addWidget(self.save_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self.store.saving.connect(lambda: self._save_state(True))
        self.store.saved.connect(lambda: self._save_state(self.autosaver.pending))
        self.autosaver.pendingChanged.connect(self._save_state)
        self.store.changed.connect(self._store_changed)

        self._make_actions()
        self._make_menus()
        self.setWindowTitle(f"paperprep - {db.path.name}")
        self.resize(1280, 820)
        self._restore_state()
        self.reload_navigator()
        self._remember(db.path)

    # -- actions and menus -----------------------------------------------------------------------------------

    def _action(self, text: str, name: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text.replace("&", "").rstrip("."))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.act_new_db = a("&New database...", "newDatabase", self.new_database)
        self.act_open = a(
            "&Open database...", "openDatabase", self.open_database, QKeySequence.StandardKey.Open
        )
        self.act_backup = a("&Backup now...", "backupNow", self.backup_now)
        self.act_restore = a("&Restore from backup...", "restoreBackup", self.restore_backup)
        self.act_save = a(
            "&Save now",
            "saveNow",
            self.save_now,
            QKeySequence.StandardKey.Save,
            "Everything is saved as you type; this saves at once",
        )
        self.act_quit = a("&Quit", "quit", self.close, QKeySequence.StandardKey.Quit)
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setObjectName("undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setObjectName("redo")
        self.act_redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        self.act_find = a("&Find...", "find", self.open_search, QKeySequence.StandardKey.Find)
        self.act_new_committee = a("New &committee...", "newCommittee", self.new_committee)
        self.act_new_meeting = a(
            "&New meeting...", "newMeeting", self.new_meeting, QKeySequence.StandardKey.New
        )
        self.act_members = a("Committee &members...", "committeeMembers", self.edit_members)
        self.act_committee = a("Committee &settings...", "committeeSettings", self.edit_committee)
        self.act_details = a(
            "Meeting &details...", "meetingDetails", self.edit_meeting_details, "Ctrl+Shift+D"
        )
        self.act_delete_meeting = a("&Delete meeting...", "deleteMeeting", self.delete_meeting)
        self.act_council = a("Council &name...", "councilName", self.edit_council_name)
        self.act_add_item = a(
            "&Add item...", "addItem", lambda: self.workspace.agenda.add_item(ItemKind.REPORT), "Ctrl+Shift+A"
        )
        self.act_add_standard = a(
            "Add &standard items", "addStandard", self.workspace.agenda.add_standard_items, "Ctrl+Shift+T"
        )
        self.act_write_minutes = a(
            "&Write minutes of selected item", "writeMinutes", self.write_minutes, "Ctrl+E"
        )
        self.act_add_resolution = a(
            "Add &resolution...", "addResolutionAction", self.focus_resolution, "Ctrl+Shift+R"
        )
        self.act_paste = a("Paste &minutes text...", "pasteMinutes", self.paste_minutes, "Ctrl+Shift+V")
        self.act_inspections = a("&Inspection history...", "inspectionHistory", self.open_inspection_history)
        self.act_topics = a("&Topic history...", "topicHistory", self.open_topic_history)
        self.act_approve = a("A&pprove minutes", "approveMinutes", self.approve_minutes)
        self.act_reopen = a("Re&open minutes...", "reopenMinutes", self.reopen_minutes)
        self.act_action_log = a("Action &log", "actionLog", self.open_action_log, "Ctrl+L")
        self.act_guide = a("&User guide", "userGuide", self.open_guide, QKeySequence.StandardKey.HelpContents)
        self.act_about = a("&About paperprep", "about", self.about)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.setObjectName("fileMenu")
        file_menu.addActions([self.act_new_db, self.act_open])
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_backup, self.act_restore, self.act_council])
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.setObjectName("editMenu")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        for text, name, key, method in (
            ("Cu&t", "cut", QKeySequence.StandardKey.Cut, "cut"),
            ("&Copy", "copy", QKeySequence.StandardKey.Copy, "copy"),
            ("&Paste", "paste", QKeySequence.StandardKey.Paste, "paste"),
        ):
            action = self._action(text, name, lambda m=method: self._edit_command(m))
            action.setShortcut(key)
            # The focused text field handles its own shortcut; the menu entry serves the mouse.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            edit.addAction(action)
        edit.addSeparator()
        edit.addAction(self.act_find)
        meeting = bar.addMenu("&Meeting")
        meeting.setObjectName("meetingMenu")
        meeting.addActions(
            [
                self.act_new_committee,
                self.act_committee,
                self.act_members,
                self.act_new_meeting,
                self.act_details,
                self.act_delete_meeting,
            ]
        )
        meeting.addSeparator()
        meeting.addActions(
            [
                self.act_add_item,
                self.act_add_standard,
                self.act_write_minutes,
                self.act_add_resolution,
                self.act_paste,
            ]
        )
        meeting.addSeparator()
        meeting.addActions([self.act_approve, self.act_reopen])
        meeting.addSeparator()
        meeting.addActions([self.act_action_log, self.act_inspections, self.act_topics])
        self.export_menu = bar.addMenu("E&xport")
        self.export_menu.setObjectName("exportMenu")
        help_menu = bar.addMenu("&Help")
        help_menu.setObjectName("helpMenu")
        help_menu.addActions([self.act_guide, self.act_about])
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.addActions([self.act_new_meeting, self.act_add_item, self.act_add_standard])
        toolbar.addSeparator()
        toolbar.addActions([self.act_undo, self.act_redo, self.act_find, self.act_action_log])
        self.addToolBar(toolbar)
        self._install_exports()

    def _install_exports(self) -> None:
        try:
            from paperprep.ui.export_actions import install_export_actions
        except ImportError:  # the export menu arrives with the exporters
            self.export_menu.setEnabled(False)
            return
        install_export_actions(self)

    def _edit_command(self, method: str) -> None:
        widget = self.focusWidget()
        if widget is not None and hasattr(widget, method):
            getattr(widget, method)()

    # -- navigator -------------------------------------------------------------------------------------------

    def reload_navigator(self) -> None:
        today = dt.date.today()

        def read(session: Session) -> tuple[list[tuple[int, str]], list[NavMeeting]]:
            committees = [(c.id, c.name) for c in C.list_committees(session)]
            months = {c.id: c.year_start_month for c in C.list_committees(session)}
            meetings = [
                NavMeeting(
                    r.id,
                    r.committee_id,
                    r.committee,
                    r.date,
                    municipal_year(r.date, months.get(r.committee_id, 5)),
                    r.status,
                    deadline_warning(r.date, r.published_on, today),
                    publication_deadline(r.date),
                )
                for r in M.list_meetings(session)
            ]
            return committees, meetings

        current = self.workspace.meeting_id
        committees, meetings = self.store.read(read)
        self.navigator.load(committees, meetings)
        self.tree.expandToDepth(0)
        for n in range(self.proxy.rowCount()):
            committee = self.proxy.index(n, 0)
            if self.proxy.rowCount(committee):
                self.tree.expand(self.proxy.index(0, 0, committee))
        self._mark_calendar()
        if current is not None:
            self.select_meeting(current, show=False)

    def _mark_calendar(self) -> None:
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        bold = QTextCharFormat()
        bold.setFontWeight(700)
        for day, tip in self.navigator.meeting_dates():
            fmt = QTextCharFormat(bold)
            fmt.setToolTip(tip)
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), fmt)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.data(NODE_KIND_ROLE) == "meeting":
            meeting_id = current.data(ROW_ID_ROLE)
            if meeting_id != self.workspace.meeting_id:
                self.workspace.show_meeting(meeting_id)

    def select_meeting(self, meeting_id: int, show: bool = True) -> None:
        index = self.proxy.mapFromSource(self.navigator.find_meeting(meeting_id))
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        if show and self.workspace.meeting_id != meeting_id:
            self.workspace.show_meeting(meeting_id)

    def _calendar_pick(self, qdate: QDate) -> None:
        day = qdate.toPython()
        meetings = self.navigator.meetings_on(day) if isinstance(day, dt.date) else []
        if meetings:
            self.select_meeting(meetings[0])

    def _store_changed(self, scope: str) -> None:
        if scope in ("meetings", "all", "agenda"):
            self.reload_navigator()

    def _save_state(self, pending: bool) -> None:
        self.save_label.setText("Saving\u2026" if pending else "All changes saved")

    # -- commands --------------------------------------------------------------------------------------------

    def save_now(self) -> None:
        self.autosaver.flush()
        self._save_state(False)

    def new_committee(self) -> None:
        answer = dialogs.ask_new_committee(self)
        if answer is None:
            return
        name, code, kind, numbering, month = answer
        self.store.write(
            lambda s: C.create_committee(
                s, name, code, kind=kind, numbering=numbering, year_start_month=month
            ),
            "meetings",
        )

    def new_meeting(self) -> None:
        committees = self.store.read(lambda s: [(c.id, c.name) for c in C.list_committees(s)])
        if not committees:
            dialogs.show_error(
                self, "There are no committees yet. Make one first with Meeting > New committee."
            )
            return
        current = self.tree.currentIndex()
        default = None
        while current.isValid():
            if current.data(NODE_KIND_ROLE) == "committee":
                default = current.data(ROW_ID_ROLE)
            current = current.parent()
        answer = dialogs.ask_new_meeting(self, committees, default)
        if answer is None:
            return
        committee_id, day, time, venue = answer
        meeting_id = self.store.write(
            lambda s: (
                M.create_meeting(
                    s, C.get_committee(s, committee_id), day, start_time=time, venue=venue or None
                ).id
            ),
            "meetings",
        )
        if meeting_id is not None:
            self.select_meeting(meeting_id)
            self.workspace.tabs.setCurrentWidget(self.workspace.agenda)

    def current_committee(self) -> int | None:
        """The committee of the selected meeting, or of the selected navigator entry."""
        if self.workspace.meeting_id is not None:
            meeting_id = self.workspace.meeting_id
            return int(self.store.read(lambda s: M.get_meeting(s, meeting_id).committee_id))
        index = self.tree.currentIndex()
        while index.isValid():
            if index.data(NODE_KIND_ROLE) == "committee":
                return int(index.data(ROW_ID_ROLE))
            index = index.parent()
        return None

    def edit_committee(self) -> None:
        committee_id = self.current_committee()
        if committee_id is None:
            dialogs.show_error(self, "Select a committee (or one of its meetings) on the left first.")
            return

        def read(session: Session) -> tuple[str, str, CommitteeKind, NumberingScheme, int]:
            c = C.get_committee(session, committee_id)
            return c.name, c.code, c.kind, c.numbering, c.year_start_month

        answer = dialogs.ask_new_committee(self, self.store.read(read))
        if answer is not None:
            self.store.write(
                lambda s: C.update_committee(s, C.get_committee(s, committee_id), *answer), "meetings"
            )

    def edit_members(self) -> None:
        from paperprep.ui.members_dialog import MembersDialog

        committee_id = self.current_committee()
        if committee_id is None:
            dialogs.show_error(self, "Select a committee (or one of its meetings) on the left first.")
            return
        dialog = MembersDialog(self.store, committee_id, self)
        dialog.finished.connect(lambda _r: self.workspace.attendance.reload())
        dialog.show()

    def edit_meeting_details(self) -> None:
        meeting_id = self.workspace.meeting_id
        if meeting_id is None:
            dialogs.show_error(self, "Choose a meeting on the left first.")
            return

        def read(session: Session) -> dict[str, object]:
            m = M.get_meeting(session, meeting_id)
            return {
                "date": m.date,
                "start_time": m.start_time,
                "close_time": m.close_time,
                "venue": m.venue,
                "contact_officer": m.contact_officer,
                "first_minute_number": m.first_minute_number,
            }

        answer = dialogs.ask_meeting_details(self, self.store.read(read))
        if answer is not None:
            self.store.write(
                lambda s: M.update_meeting(s, M.get_meeting(s, meeting_id), **answer), "meetings"
            )

    def delete_meeting(self) -> None:
        meeting_id = self.workspace.meeting_id
        if meeting_id is None:
            return
        heading = self.workspace.heading.text()
        if not dialogs.confirm(
            self,
            "Delete meeting",
            f"Delete {heading} with its agenda, minutes and actions? "
            "This cannot be undone (the daily backup still holds it).",
        ):
            return
        self.autosaver.flush()
        self.workspace.show_meeting(None)  # nothing may read the meeting while it goes
        if self.store.try_write(lambda s: M.delete_meeting(s, M.get_meeting(s, meeting_id)), "meetings"):
            self.undo_stack.clear()  # its commands refer to the meeting's items
        else:
            self.select_meeting(meeting_id)

    def edit_council_name(self) -> None:
        from paperprep.services.snapshot import council_name, set_council_name

        name = dialogs.ask_text(
            self, "Council name", "The council's name, as papers print it:", self.store.read(council_name)
        )
        if name is not None:
            self.store.write(lambda s: set_council_name(s, name), "meetings")

    def write_minutes(self) -> None:
        item_id = self.workspace.agenda.selected_id()
        if item_id is None:
            item_id = self.workspace.minutes.item_id
        if item_id is not None:
            self.workspace.open_minutes(item_id)

    def focus_resolution(self) -> None:
        minutes = self.workspace.minutes
        if minutes.item_id is None:
            self.write_minutes()
        self.workspace.tabs.setCurrentWidget(minutes)
        minutes.tabs.setCurrentIndex(0)
        minutes.resolution_text.setFocus()

    def approve_minutes(self) -> None:
        meeting_id = self.workspace.meeting_id
        if meeting_id is None:
            return
        if not dialogs.confirm(
            self,
            "Approve minutes",
            "Approve these minutes as a correct record? They will be "
            "locked; reopening them later needs a reason, which is kept.",
        ):
            return
        self.autosaver.flush()
        self.store.write(lambda s: M.approve_minutes(s, M.get_meeting(s, meeting_id)), "meetings")
        self.undo_stack.clear()  # approval is audited, not undone

    def reopen_minutes(self) -> None:
        meeting_id = self.workspace.meeting_id
        if meeting_id is None:
            return
        reason = dialogs.ask_text(
            self, "Reopen minutes", "Why must the approved minutes change? (kept in the audit trail)"
        )
        if reason is None:
            return
        self.store.write(lambda s: M.reopen_minutes(s, M.get_meeting(s, meeting_id), reason), "meetings")

    def open_search(self) -> None:
        from paperprep.ui.search_dialog import SearchDialog

        if self.search_dialog is None:
            self.search_dialog = SearchDialog(self.db, self)
            self.search_dialog.openItem.connect(self.open_item)
        self.search_dialog.show()
        self.search_dialog.raise_()
        self.search_dialog.query.setFocus()
        self.search_dialog.query.selectAll()

    def open_item(self, meeting_id: int, item_id: int) -> None:
        self.select_meeting(meeting_id)
        self.workspace.agenda.select(item_id)
        self.workspace.open_minutes(item_id)

    def open_action_log(self) -> None:
        from paperprep.ui.action_log import ActionLogWindow

        if self.action_log_window is None:
            self.action_log_window = ActionLogWindow(self.db, self)
            self.action_log_window.actionsChanged.connect(self.workspace.actions_panel.reload)
        else:
            self.action_log_window.refresh()
        self.action_log_window.show()
        self.action_log_window.raise_()

    def paste_minutes(self) -> None:
        from paperprep.imports.pasted_apply import create_item_from_parsed
        from paperprep.ui import paste_dialog

        meeting_id = self.workspace.meeting_id
        if meeting_id is None:
            dialogs.show_error(self, "Choose the meeting the pasted minute belongs to first.")
            return
        parsed = paste_dialog.ask_pasted_minutes(self)
        if parsed is None:
            return
        item_id = self.store.write(
            lambda s: create_item_from_parsed(s, M.get_meeting(s, meeting_id), parsed).id, "agenda"
        )
        if item_id is not None:
            self.workspace.agenda.select(item_id)
            self.workspace.open_minutes(item_id)

    def open_inspection_history(self) -> None:
        from paperprep.ui.history import InspectionHistoryDialog

        dialog = InspectionHistoryDialog(self.store, self)
        dialog.openItem.connect(self.open_item)
        dialog.show()

    def open_topic_history(self) -> None:
        from paperprep.ui.history import TopicHistoryDialog

        dialog = TopicHistoryDialog(self.store, self)
        dialog.openItem.connect(self.open_item)
        dialog.show()

    def open_guide(self) -> None:
        guide = Path(__file__).resolve().parents[3] / "docs" / "user-guide.md"
        if guide.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide)))
        else:
            dialogs.show_info(self, "User guide", dialogs.FIRST_RUN_GUIDE)

    def about(self) -> None:
        dialogs.show_info(
            self,
            "About paperprep",
            f"<p><b>paperprep {__version__}</b></p><p>Committee papers, minutes "
            f"and action logs for council clerks.</p><p>Database: {self.db.path}</p>",
        )

    def load_demo(self) -> None:
        """Fill the (empty) database with the demo council on a worker thread; the window stays responsive."""
        from paperprep.ui.application import load_demo_into
        from paperprep.ui.worker import run_in_background

        self.statusBar().showMessage("Loading the demo data\u2026")
        self.setEnabled(False)
        db = self.db

        def done(_result: object) -> None:
            self.setEnabled(True)
            self.statusBar().showMessage("Demo data loaded: pick a meeting on the left.", 8000)
            self.reload_navigator()
            self.demoLoaded.emit()

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            from paperprep.errors import PaperprepError

            dialogs.show_error(
                self, exc.message if isinstance(exc, PaperprepError) else "The demo data could not be loaded."
            )

        run_in_background(lambda: load_demo_into(db), done, failed)

    # -- databases -------------------------------------------------------------------------------------------

    def new_database(self) -> None:
        path = dialogs.choose_save_file(
            self, "New database", str(self.db.path.parent / "new.sqlite"), "paperprep databases (*.sqlite)"
        )
        if path is not None:
            if path.exists():
                dialogs.show_error(
                    self, f"{path.name} already exists. Choose a new name, or use File > Open."
                )
                return
            self.switch_database(path)

    def open_database(self) -> None:
        path = dialogs.choose_open_file(
            self, "Open database", str(self.db.path.parent), "paperprep databases (*.sqlite);;All files (*)"
        )
        if path is not None:
            self.switch_database(path)

    def switch_database(self, path: Path) -> None:
        from paperprep.errors import PaperprepError

        self.autosaver.flush()
        try:
            db = open_database(path)
        except PaperprepError as exc:
            dialogs.show_error(self, exc.message)
            return
        self.undo_stack.clear()
        old = self.db
        self.db = db
        self.store.db = db
        if self.action_log_window is not None:
            self.action_log_window.close()
            self.action_log_window = None
        self.search_dialog = None
        old.close()
        self.path_label.setText(str(db.path))
        self.setWindowTitle(f"paperprep - {db.path.name}")
        self.workspace.show_meeting(None)
        self.reload_navigator()
        self._remember(db.path)

    def backup_now(self) -> None:
        from paperprep.errors import PaperprepError

        stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
        path = dialogs.choose_save_file(
            self,
            "Backup now",
            str(self.db.path.parent / f"{self.db.path.stem}-{stamp}.sqlite"),
            "paperprep databases (*.sqlite)",
        )
        if path is None:
            return
        self.autosaver.flush()
        try:
            self.db.backup_to(path)
        except PaperprepError as exc:
            dialogs.show_error(self, exc.message)
            return
        self.statusBar().showMessage(f"Backup written to {path}", 8000)

    def restore_backup(self) -> None:
        from paperprep.db import restore_database
        from paperprep.db.backup import backup_dir
        from paperprep.errors import PaperprepError

        path = dialogs.choose_open_file(
            self, "Restore from backup", str(backup_dir(self.db.path)), "paperprep databases (*.sqlite)"
        )
        if path is None:
            return
        if not dialogs.confirm(
            self,
            "Restore",
            f"Replace the current database with {path.name}? A copy of the "
            "current content is kept in the backups folder.",
        ):
            return
        self.autosaver.flush()
        target = self.db.path
        self.db.close()
        try:
            kept = restore_database(target, path)
        except PaperprepError as exc:
            dialogs.show_error(self, exc.message)
            kept = None
        self.switch_database(target)
        if kept is not None:
            self.statusBar().showMessage(
                f"Restored from {path.name}; the previous content is in {kept.name}", 10000
            )

    # -- settings and closing --------------------------------------------------------------------------------

    def _remember(self, path: Path) -> None:
        s = settings()
        stored = s.value("recent", [])
        recent = [p for p in (stored if isinstance(stored, list) else []) if p != str(path)]
        recent.insert(0, str(path))
        s.setValue("recent", recent[:MAX_RECENT])
        self.recent_menu.clear()
        for entry in recent[:MAX_RECENT]:
            action = self.recent_menu.addAction(entry)
            action.triggered.connect(lambda _c=False, p=entry: self.switch_database(Path(p)))

    def _restore_state(self) -> None:
        s = settings()
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = s.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.autosaver.flush()  # nothing is ever unsaved, so closing never asks
        s = settings()
        s.setValue("geometry", self.saveGeometry())
        s.setValue("splitter", self.splitter.saveState())
        if self.action_log_window is not None:
            self.action_log_window.close()
        super().closeEvent(event)
