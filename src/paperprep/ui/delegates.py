"""Item delegates: a combo box for choices such as attendance, action status and RAG; a date for due dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QComboBox, QDateEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

try:  # the typed-date field, where the app has it
    from paperprep.ui.date_edit import DateEdit
except ImportError:  # pragma: no cover - QDateEdit serves instead
    DateEdit = None  # type: ignore[assignment,misc]

# The earliest date the editor offers stands for "no due date" and shows as "Not set".
_NO_DATE = QDate(2000, 1, 1)


class ComboDelegate(QStyledItemDelegate):
    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        parent: Any = None,
        icons: Sequence[QIcon] | None = None,
    ) -> None:
        super().__init__(parent)
        self.choices = list(choices)  # (value, label)
        self.icons = list(icons) if icons is not None else None

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Choose a value")
        for n, (value, label) in enumerate(self.choices):
            if self.icons is not None:
                combo.addItem(self.icons[n], label, value)
            else:
                combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setCurrentIndex(max(0, editor.findData(value)))

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        if editor.currentData() != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def as_date(value: object) -> dt.date | None:
    """A date from what a model or an editor holds: a date, a QDate, or nothing."""
    if isinstance(value, QDate):
        day = value.toPython() if value.isValid() else None
        return day if isinstance(day, dt.date) else None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


class DateDelegate(QStyledItemDelegate):
    """A due date typed ("24/4", "today", "+7") or picked from a calendar (ui.date_edit); an empty field removes
    the date. Where the typed-date field is not available, a QDateEdit whose earliest date reads "Not set"."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor: QWidget
        if DateEdit is not None:
            editor = DateEdit(None, parent)
            editor.setPlaceholderText("Not set: type a date, or leave empty")
        else:
            edit = QDateEdit(parent)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
            edit.setMinimumDate(_NO_DATE)
            edit.setSpecialValueText("Not set")
            editor = edit
        editor.setObjectName("dueDateEditor")
        editor.setAccessibleName("Due date")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        day = as_date(index.data(Qt.ItemDataRole.EditRole))
        if isinstance(editor, QDateEdit):
            editor.setDate(QDate(day.year, day.month, day.day) if day is not None else _NO_DATE)
        elif DateEdit is not None and isinstance(editor, DateEdit):
            if day is not None:
                editor.setDate(day)
            else:
                editor.clear()

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        day: dt.date | None
        if isinstance(editor, QDateEdit):
            picked = editor.date()
            day = None if picked == _NO_DATE else as_date(picked)
        elif DateEdit is not None and isinstance(editor, DateEdit):
            if not editor.text().strip():
                day = None
            elif editor.interpret():
                day = editor.value()
            else:
                return  # not a date: the action keeps its due date
        else:
            return
        if day != as_date(index.data(Qt.ItemDataRole.EditRole)):
            model.setData(index, day, Qt.ItemDataRole.EditRole)
