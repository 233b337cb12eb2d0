"""Search everything (Ctrl+F): titles, minutes, resolutions and actions through the full-text index.

The query runs on a worker thread so that typing never waits for the database; the newest answer wins. When a
change touches what the index holds (titles, minutes, resolutions, actions), the current query runs again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from paperprep.ops import Changes, Kind
from paperprep.queries import lists
from paperprep.queries.lists import SearchResult
from paperprep.ui import failures
from paperprep.ui.models import RowTableModel, uk_date
from paperprep.ui.store import Store
from paperprep.ui.worker import run_in_background


class SearchModel(RowTableModel):
    headers = ("Date", "Committee", "Minute", "Title", "Found in", "Text")

    def display(self, row: SearchResult, column: int) -> Any:
        return (
            uk_date(row.meeting_date),
            row.committee_code,
            row.minute_ref,
            row.title,
            row.kind,
            row.snippet.replace("[", "").replace("]", ""),
        )[column]


class SearchDialog(QDialog):
    openItem = Signal(int, int)  # meeting id, item id
    searched = Signal(int)  # number of results shown

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.setAccessibleName("Search")
        self.setWindowTitle("Search minutes, resolutions and actions")
        self.store = store
        self.query = QLineEdit()
        self.query.setObjectName("searchText")
        self.query.setAccessibleName("Search for")
        self.query.setPlaceholderText("Words to find, e.g. priority actions")
        self.model = SearchModel(self)
        self.results = QTableView()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Results")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.results.verticalHeader().setVisible(False)
        self.results.activated.connect(self._open)
        self.count = QLabel()
        self.count.setObjectName("searchCount")
        layout = QVBoxLayout(self)
        label = QLabel("&Find")
        label.setBuddy(self.query)
        layout.addWidget(label)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)
        self.resize(900, 500)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.run_search)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self._enter)
        self._generation = 0
        store.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if self.query.text().strip() and changes.touches(
            Kind.AGENDA, Kind.MINUTES, Kind.RESOLUTIONS, Kind.ACTIONS
        ):
            self._timer.start()  # the query again, once the typing that changed the record pauses

    def _enter(self) -> None:
        if self.model.rows:
            self.results.setFocus()
            self.results.setCurrentIndex(self.model.index(0, 0))
        else:
            self.run_search()

    def run_search(self) -> None:
        self._timer.stop()
        text = self.query.text()
        self._generation += 1
        generation, bench = self._generation, self.store.bench

        def work() -> list[SearchResult]:
            return bench.read(lambda session: lists.search(session, text))

        def done(results: list[SearchResult]) -> None:
            if generation != self._generation:
                return  # an older query finished after a newer one was asked
            self.model.set_rows(results)
            self.count.setText(f"{len(results)} found" if text.strip() else "")
            self.searched.emit(len(results))

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.count.setText("")
                failures.report(self, exc)

        run_in_background(work, done, failed)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            row = self.model.rows[index.row()]
            self.openItem.emit(row.meeting_id, row.item_id)
            self.accept()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.results.hasFocus():
            self._open(self.results.currentIndex())
            return
        super().keyPressEvent(event)
