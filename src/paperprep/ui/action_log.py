"""The action log across committees: sort, filter by committee, owner and status, edit status and add updates.

It reads on a worker thread through the store's workbench, and writes through the store like every other view,
so a status set here is undone from the meeting's own history (Edit > Undo here acts on the meeting of the
selected action), and an edit made on a meeting's Actions tab shows here at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import Rag
from paperprep.ops import Changes, Kind
from paperprep.ops.actions import AddActionUpdate
from paperprep.queries import lists
from paperprep.records import ActionRecord
from paperprep.ui import dialogs, failures, readonly, settings
from paperprep.ui.actions_panel import choose_resolution, edit_operation, set_action_delegates
from paperprep.ui.models import OVERDUE_MEANING, RAG_MEANINGS, SORT_ROLE, ActionsModel, rag_icon, uk_date
from paperprep.ui.store import Store
from paperprep.ui.undo import UndoActions
from paperprep.ui.worker import run_in_background

SOURCE = "actionLog"


def legend() -> QWidget:
    """What the colours and the bold rows mean: a swatch and a word for each RAG rating, and bold for overdue."""
    box = QWidget()
    box.setObjectName("actionLegend")
    box.setAccessibleName("Legend")
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    key = QLabel("Key:")
    row.addWidget(key)
    for rag in (Rag.GREEN, Rag.AMBER, Rag.RED):
        swatch = QLabel()
        swatch.setPixmap(rag_icon(rag).pixmap(12, 12))
        swatch.setAccessibleName(rag.label)
        row.addWidget(swatch)
        row.addWidget(QLabel(RAG_MEANINGS[rag]))
    bold = QLabel(OVERDUE_MEANING)
    font = bold.font()
    font.setBold(True)
    bold.setFont(font)
    row.addWidget(bold)
    box.setToolTip("; ".join([*(RAG_MEANINGS[r] for r in (Rag.GREEN, Rag.AMBER, Rag.RED)), OVERDUE_MEANING]))
    return box


class ModelSortedProxy(QSortFilterProxyModel):
    """Passes the view's sorting to the table model, which computes each row's key once (RowTableModel.sort):
    sorting in the proxy asks the model for two keys per comparison, seconds for the whole log."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


class ActionLogWindow(QMainWindow):
    actionsChanged = Signal()
    loaded = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("actionLogWindow")
        self.setAccessibleName("Action log")
        self.setWindowTitle("Action log - paperprep")
        self.model = ActionsModel(self)
        self.model.on_edit = self._edit
        self.proxy = ModelSortedProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("actionLogTable")
        self.table.setAccessibleName("Actions")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ActionsModel.DUE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        set_action_delegates(self.table, self)
        self.table.horizontalHeader().setSectionResizeMode(
            ActionsModel.TEXT_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_detail())

        self.committee = QComboBox()
        self.committee.setObjectName("filterCommittee")
        self.committee.setAccessibleName("Committee")
        self.owner = QLineEdit()
        self.owner.setObjectName("filterOwner")
        self.owner.setAccessibleName("Owner")
        self.owner.setPlaceholderText("Owner")
        self.status = QComboBox()
        self.status.setObjectName("filterStatus")
        self.status.setAccessibleName("Status")
        for value, label in (
            ("open", "Open"),
            ("overdue", "Overdue"),
            ("done", "Done or cancelled"),
            ("all", "All"),
        ):
            self.status.addItem(label, value)
        self.text = QLineEdit()
        self.text.setObjectName("filterText")
        self.text.setAccessibleName("Text")
        self.text.setPlaceholderText("Words in the action")
        filters = QHBoxLayout()
        for label, widget in (
            ("&Committee", self.committee),
            ("O&wner", self.owner),
            ("&Status", self.status),
            ("&Find", self.text),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 1)
        self.committee.activated.connect(lambda _i: self.refresh())
        self.status.activated.connect(lambda _i: self.refresh())
        self.owner.returnPressed.connect(self.refresh)
        self.text.returnPressed.connect(self.refresh)
        self.count = QLabel()
        self.count.setObjectName("actionCount")

        self.history = QPlainTextEdit()
        self.history.setObjectName("updateHistory")
        self.history.setAccessibleName("Update history")
        self.history.setReadOnly(True)
        self.update_text = QLineEdit()
        self.update_text.setObjectName("updateText")
        self.update_text.setAccessibleName("New update")
        self.update_text.setPlaceholderText("Progress to record")
        self.update_date = QDateEdit(QDate.currentDate())
        self.update_date.setObjectName("updateDate")
        self.update_date.setAccessibleName("Update date")
        self.update_date.setDisplayFormat("dd/MM/yyyy")
        self.update_date.setCalendarPopup(True)
        self.add_update = QPushButton("Add &update")
        self.add_update.setObjectName("addUpdate")
        self.add_update.setAccessibleName("Add update")
        self.add_update.clicked.connect(self.add_update_to_selected)
        self.update_text.returnPressed.connect(self.add_update_to_selected)
        entry = QHBoxLayout()
        update_label = QLabel("&New update")
        update_label.setBuddy(self.update_text)
        entry.addWidget(update_label)
        entry.addWidget(self.update_text, 1)
        entry.addWidget(self.update_date)
        entry.addWidget(self.add_update)
        self.resolution_button = QPushButton("&Resolution...")
        self.resolution_button.setObjectName("actionLogResolution")
        self.resolution_button.setAccessibleName("Resolution the action comes from")
        self.resolution_button.setToolTip(
            "Say which of its item's resolutions the selected action comes from"
        )
        self.resolution_button.clicked.connect(self.choose_resolution)
        entry.addWidget(self.resolution_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.history)
        detail_layout.addLayout(entry)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count)
        footer.addStretch(1)
        self.legend = legend()
        footer.addWidget(self.legend)
        layout.addLayout(footer)
        self.setCentralWidget(central)
        self.resize(1200, 700)
        geometry = settings.byte_array(settings.ACTION_LOG_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.undo = UndoActions(store, self.selected_meeting, self)
        edit = self.menuBar().addMenu("&Edit")
        edit.setObjectName("actionLogEditMenu")
        edit.addActions([self.undo.undo, self.undo.redo])
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self.undo.update())
        self._generation = 0
        self._load_queued = False
        self._fill_committees()
        store.changed.connect(self._changed)
        readonly.follow(store, self, self._follow_read_only)
        self._follow_read_only()
        self.refresh()

    def _follow_read_only(self) -> None:
        """On a connection that may only read, the log is for reading: nothing edits in place, no update is added."""
        reason = self.store.read_only
        self.model.locked = bool(reason)
        readonly.set_editable(
            not reason, self.update_text, self.update_date, self.add_update, self.resolution_button, reason=reason
        )

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Kind.COMMITTEES):
            self._fill_committees()
        if changes.touches(Kind.ACTIONS, Kind.COMMITTEES):
            self.refresh()

    def _fill_committees(self) -> None:
        current = self.committee.currentData()
        self.committee.clear()
        self.committee.addItem("All committees", None)
        for committee in self.store.read(lists.committees):
            self.committee.addItem(committee.name, committee.id)
        self.committee.setCurrentIndex(max(0, self.committee.findData(current)))

    def current_filter(self) -> lists.ActionFilter:
        return lists.ActionFilter(
            committee_id=self.committee.currentData(),
            owner=self.owner.text().strip() or None,
            status=self.status.currentData(),
            text=self.text.text().strip() or None,
        )

    def refresh(self) -> None:
        """Reload rows on a worker thread: the log can hold tens of thousands of actions. Asked for more than once
        in one turn of the event loop (the window opening and then brought up to date, a change notice and a
        filter), it reads once, after the last ask, so that the read sees everything committed before it."""
        self._generation += 1
        self.count.setText("Loading...")
        if not self._load_queued:
            self._load_queued = True
            QTimer.singleShot(0, self, self._load)

    def _load(self) -> None:
        self._load_queued = False
        generation, flt, bench = self._generation, self.current_filter(), self.store.bench

        def work() -> list[ActionRecord]:
            return bench.read(lambda session: lists.action_log(session, flt))

        def done(rows: list[ActionRecord]) -> None:
            if generation != self._generation:
                return
            selected = self.selected_id()
            self.model.set_rows(rows)
            self.count.setText(f"{len(rows)} actions")
            if selected is not None:
                self.select(selected)
            self.undo.update()
            self.loaded.emit(len(rows))

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.count.setText("")
                failures.report(self, exc)

        run_in_background(work, done, failed)

    def selected_row(self) -> ActionRecord | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row: ActionRecord = self.model.rows[self.proxy.mapToSource(index).row()]
        return row

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return row.id if row is not None else None

    def selected_meeting(self) -> int | None:
        """The meeting of the selected action: the history Undo acts on here."""
        row = self.selected_row()
        return row.meeting_id if row is not None else None

    def select(self, action_id: int) -> None:
        row = self.model.row_of(action_id)
        if row >= 0:
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 4)))

    def _show_detail(self) -> None:
        action_id = self.selected_id()
        if action_id is None:
            self.history.clear()
            return
        row = self.model.rows[self.model.row_of(action_id)]
        lines = [
            f"{row.reference}: {row.text}",
            f"Owner: {row.owner or 'not set'}; due {uk_date(row.due_date) or 'not set'}",
        ]
        lines += [f"{uk_date(u.date)}  {u.text}" for u in row.updates] or ["No updates yet."]
        self.history.setPlainText("\n".join(lines))

    def _run(self, op: Any) -> bool:
        if self.store.run(op, source=SOURCE, parent=self) is None:
            return False
        self.actionsChanged.emit()
        return True

    def _edit(self, row: ActionRecord, column: int, value: object) -> None:
        op = edit_operation(row, column, value)
        if op is not None and not self._run(op):
            self.refresh()  # refused: show the action as it is

    def choose_resolution(self) -> None:
        row = self.selected_row()
        if row is None:
            dialogs.show_error(self, "Select the action in the list first.")
            return
        if choose_resolution(self.store, row, self, SOURCE):
            self.actionsChanged.emit()

    def add_update_to_selected(self) -> None:
        action_id = self.selected_id()
        text = self.update_text.text().strip()
        if action_id is None:
            dialogs.show_error(self, "Select the action to update in the list first.")
            return
        if not text:
            dialogs.show_error(self, "Type the progress to record, then add the update.")
            return
        day = self.update_date.date().toPython()
        assert isinstance(day, dt.date)
        if self._run(AddActionUpdate(action_id, text, day)):
            self.update_text.clear()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        settings.ACTION_LOG_GEOMETRY.set(self.saveGeometry())
        super().closeEvent(event)
