"""The navigator: committees, municipal years and meetings in a filtered tree, and a calendar of meetings.

It reads through the store and reloads itself when a change touches meetings or committees.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QLineEdit,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from paperprep.ops import Changes, Kind
from paperprep.queries import lists
from paperprep.ui.models import NODE_KIND_ROLE, ROW_ID_ROLE, NavigatorModel
from paperprep.ui.store import Store


class NavigatorPane(QTabWidget):
    meetingChosen = Signal(int)  # the clerk picked a meeting in the tree or the calendar

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigatorTabs")
        self.store = store
        self.model = NavigatorModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
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
        self.calendar.currentPageChanged.connect(self._tip_page)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.addTab(box, "Meetings")
        self.addTab(self.calendar, "Calendar")
        store.changed.connect(self._changed)
        self.reload()

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Kind.MEETINGS, Kind.COMMITTEES):
            self.reload()

    def reload(self) -> None:
        current = self.current_meeting()
        data = self.store.read(lists.navigator)
        self.model.load(data.committees, data.meetings)
        self.tree.expandToDepth(0)
        for n in range(self.proxy.rowCount()):
            committee = self.proxy.index(n, 0)
            if self.proxy.rowCount(committee):
                self.tree.expand(self.proxy.index(0, 0, committee))
        self._mark_calendar()
        if current is not None:
            self.select_meeting(current)

    def _mark_calendar(self) -> None:
        """Every meeting day in bold; the tooltips (with publication deadlines) only on the page shown."""
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        for day in self.model.meeting_days():
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), self._meeting_day())
        self._tip_page(self.calendar.yearShown(), self.calendar.monthShown())

    @staticmethod
    def _meeting_day(tip: str = "") -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontWeight(700)
        if tip:
            fmt.setToolTip(tip)
        return fmt

    def _tip_page(self, year: int, month: int) -> None:
        """Tooltips for the meeting days of the month shown, and of the days of the months either side that
        its six weeks show too."""
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        days = self.model.day_tooltips(first - dt.timedelta(days=7), last + dt.timedelta(days=14))
        for day, tip in days.items():
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), self._meeting_day(tip))

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.data(NODE_KIND_ROLE) == "meeting":
            self.meetingChosen.emit(int(current.data(ROW_ID_ROLE)))

    def current_meeting(self) -> int | None:
        index = self.tree.currentIndex()
        if index.isValid() and index.data(NODE_KIND_ROLE) == "meeting":
            return int(index.data(ROW_ID_ROLE))
        return None

    def current_committee(self) -> int | None:
        """The committee selected in the tree, or of the meeting or year selected there."""
        index = self.tree.currentIndex()
        while index.isValid():
            if index.data(NODE_KIND_ROLE) == "committee":
                return int(index.data(ROW_ID_ROLE))
            index = index.parent()
        return None

    def select_meeting(self, meeting_id: int | None) -> None:
        """Show `meeting_id` as the current entry (without choosing it again); None clears the selection."""
        index = self.proxy.mapFromSource(self.model.find_meeting(meeting_id)) if meeting_id else QModelIndex()
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        elif meeting_id is None:
            self.tree.selectionModel().clearCurrentIndex()

    def _calendar_pick(self, qdate: QDate) -> None:
        day = qdate.toPython()
        meetings = self.model.meetings_on(day) if isinstance(day, dt.date) else []
        if meetings:
            self.meetingChosen.emit(meetings[0])
