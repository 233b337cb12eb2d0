"""The action log across committees: sort, filter by committee, owner and status, edit status and add updates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, Signal
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

from paperprep.db import Database
from paperprep.domain import ActionStatus, Audience, Rag
from paperprep.errors import PaperprepError
from paperprep.records import ActionRecord
from paperprep.services import actions as AC
from paperprep.services.committees import list_committees
from paperprep.services.snapshot import action_records
from paperprep.ui import dialogs
from paperprep.ui.delegates import ComboDelegate
from paperprep.ui.models import SORT_ROLE, ActionsModel, uk_date
from paperprep.ui.worker import run_in_background


def show_error(parent: QWidget | None, text: str) -> None:
    dialogs.show_error(parent, text)


class ActionLogWindow(QMainWindow):
    actionsChanged = Signal()
    loaded = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("actionLogWindow")
        self.setAccessibleName("Action log")
        self.setWindowTitle("Action log - paperprep")
        self.model = ActionsModel(self)
        self.model.on_edit = self._edit
        self.proxy = QSortFilterProxyModel(self)
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
        self.table.setItemDelegateForColumn(
            ActionsModel.STATUS_COLUMN, ComboDelegate([(s.value, s.label) for s in ActionStatus], self)
        )
        self.table.setItemDelegateForColumn(
            ActionsModel.RAG_COLUMN, ComboDelegate([(r.value, r.label) for r in Rag], self)
        )
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
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
        layout.addWidget(self.count)
        self.setCentralWidget(central)
        self.resize(1200, 700)
        self._generation = 0
        self._fill_committees()
        self.refresh()

    def _fill_committees(self) -> None:
        self.committee.addItem("All committees", None)
        with self.db.transaction() as session:
            for committee in list_committees(session):
                self.committee.addItem(committee.name, committee.id)

    def current_filter(self) -> AC.ActionFilter:
        return AC.ActionFilter(
            committee_id=self.committee.currentData(),
            owner=self.owner.text().strip() or None,
            status=self.status.currentData(),
            text=self.text.text().strip() or None,
        )

    def refresh(self) -> None:
        """Reload rows on a worker thread: the log can hold tens of thousands of actions."""
        self._generation += 1
        generation, flt = self._generation, self.current_filter()
        self.count.setText("Loading...")

        def work() -> list[ActionRecord]:
            with self.db.transaction() as session:
                return action_records(AC.list_actions(session, flt), Audience.CONFIDENTIAL)

        def done(rows: list[ActionRecord]) -> None:
            if generation != self._generation:
                return
            selected = self.selected_id()
            self.model.set_rows(rows)
            self.count.setText(f"{len(rows)} actions")
            if selected is not None:
                self.select(selected)
            self.loaded.emit(len(rows))

        def failed(exc: BaseException) -> None:
            self.count.setText("")
            show_error(
                self,
                exc.message if isinstance(exc, PaperprepError) else "The action log could not be loaded.",
            )

        run_in_background(work, done, failed)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[self.proxy.mapToSource(index).row()].id

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

    def _write(self, fn: Any) -> bool:
        try:
            with self.db.transaction() as session:
                fn(session)
        except PaperprepError as exc:
            show_error(self, exc.message)
            return False
        self.actionsChanged.emit()
        self.refresh()
        return True

    def _edit(self, row: ActionRecord, column: int, value: object) -> None:
        if column == ActionsModel.STATUS_COLUMN:
            self._write(
                lambda s: AC.update_action(s, AC.get_action(s, row.id), status=ActionStatus(str(value)))
            )
        elif column == ActionsModel.RAG_COLUMN:
            self._write(lambda s: AC.update_action(s, AC.get_action(s, row.id), rag=Rag(str(value))))

    def add_update_to_selected(self) -> None:
        action_id = self.selected_id()
        text = self.update_text.text().strip()
        if action_id is None:
            show_error(self, "Select the action to update in the list first.")
            return
        if not text:
            show_error(self, "Type the progress to record, then add the update.")
            return
        day = self.update_date.date().toPython()
        assert isinstance(day, dt.date)
        if self._write(lambda s: AC.add_update(s, AC.get_action(s, action_id), text, day)):
            self.update_text.clear()
