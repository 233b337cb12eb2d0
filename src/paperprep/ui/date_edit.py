"""A date field the clerk can type into: "24/04/2026", "24/4", "24 April", "today", "tomorrow", "+7".

QDateEdit edits a date section by section, so typing "today" or "24/4" into it does nothing useful. `DateEdit` is a
line edit that reads what was typed when the clerk presses Enter or leaves the field, shows it back as dd/mm/yyyy,
and keeps the last good date when the text makes no sense (saying so in the field's tooltip). Up and Down move a
day; the calendar button beside the text opens a month to pick from. Its API follows QDateEdit's (date, setDate,
dateChanged) so it can replace one.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeyEvent, QPalette
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QStyle, QWidget, QWidgetAction

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
HINT = "Type a date: 24/04/2026, 24/4, 24 Apr, today, tomorrow or +7 (days from today)"


def parse_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The date a clerk means by `text`, UK order (day first), or None. A missing year is this year."""
    today = today or dt.date.today()
    words = text.strip().lower().rstrip(".")
    if not words:
        return None
    if words in ("today", "t", "now"):
        return today
    if words == "tomorrow":
        return today + dt.timedelta(days=1)
    if words == "yesterday":
        return today - dt.timedelta(days=1)
    relative = re.fullmatch(r"([+-])\s*(\d{1,4})\s*(d|days?|w|weeks?)?", words)
    if relative:
        days = int(relative.group(2)) * (7 if (relative.group(3) or "d").startswith("w") else 1)
        return today + dt.timedelta(days=days if relative.group(1) == "+" else -days)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", words)
    if iso:
        return _make(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    numeric = re.fullmatch(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})(?:\s*[/.\-\s]\s*(\d{2}|\d{4}))?", words)
    if numeric:
        day, month, year = numeric.groups()
        return _make(_year(year, today), int(month), int(day))
    named = re.fullmatch(
        r"(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{2}|\d{4}))?", words
    )
    if named and named.group(2) in _MONTHS:
        return _make(_year(named.group(3), today), _MONTHS[named.group(2)], int(named.group(1)))
    return None


def _year(text: str | None, today: dt.date) -> int:
    if not text:
        return today.year
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


class DateEdit(QLineEdit):
    """A typed date with a calendar button. `date()` is a QDate (as QDateEdit's); `value()` a datetime.date."""

    dateChanged = Signal(QDate)

    def __init__(self, date: QDate | dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date = dt.date.today()
        self.setPlaceholderText("dd/mm/yyyy or today")
        self.setToolTip(HINT)
        self._normal_palette = self.palette()
        icon = QIcon.fromTheme(
            "x-office-calendar", self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        )
        self.calendar_action = QAction(icon, "Pick from a calendar", self)
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self.interpret)
        self.installEventFilter(self)
        self.setDate(date if date is not None else dt.date.today())
        width = self.fontMetrics().horizontalAdvance("00/00/00000") + 48
        self.setMinimumWidth(width)

    # -- QDateEdit's API --------------------------------------------------------------------------------------------

    def date(self) -> QDate:
        return QDate(self._date.year, self._date.month, self._date.day)

    def setDate(self, date: QDate | dt.date) -> None:  # noqa: N802 - QDateEdit's name
        value = date.toPython() if isinstance(date, QDate) else date
        assert isinstance(value, dt.date)
        changed = value != self._date
        self._date = value
        self.setText(uk(value))
        self._mark(True)
        if changed:
            self.dateChanged.emit(self.date())

    def value(self) -> dt.date:
        return self._date

    # -- typing ---------------------------------------------------------------------------------------------

    def interpret(self) -> bool:
        """Read the typed text. False (and the last good date kept, the text left to correct) if it is no date."""
        day = parse_date(self.text())
        if day is None:
            self._mark(False)
            return False
        self.setDate(day)
        return True

    def _mark(self, good: bool) -> None:
        if good:
            self.setPalette(self._normal_palette)
            self.setToolTip(HINT)
        else:
            palette = QPalette(self._normal_palette)
            palette.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.red)
            self.setPalette(palette)
            self.setToolTip(f"Not a date: still {uk(self._date)}. {HINT}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1, Qt.Key.Key_PageUp: 7, Qt.Key.Key_PageDown: -7}
            if event.key() in step:
                self.interpret()
                self.setDate(self._date + dt.timedelta(days=step[Qt.Key(event.key())]))
                self.selectAll()
                return True
            if event.key() == Qt.Key.Key_F4 or (
                event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
            ):
                self.show_calendar()
                return True
        return super().eventFilter(watched, event)

    # -- the calendar ---------------------------------------------------------------------------------------

    def show_calendar(self) -> None:
        self.interpret()
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        calendar.setObjectName("dateEditCalendar")
        calendar.setGridVisible(False)
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setSelectedDate(self.date())
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)

        def picked(day: QDate) -> None:
            self.setDate(day)
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        calendar.setFocus()
        menu.popup(self.mapToGlobal(QPoint(0, self.height())))
