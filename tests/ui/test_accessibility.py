"""Every control of the main window can be found by name, by tests and by assistive technology."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from paperprep.db import open_database
from paperprep.services.demo import load_demo

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSpinBox,
)


def _ours(widget: QWidget) -> bool:
    """Qt's own inner parts (a combo box's popup list, a spin box's line edit) are named by their owner."""
    if widget.objectName().startswith("qt_"):
        return False
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QCalendarWidget)):
            return False
        parent = parent.parentWidget()
    return True


def test_every_control_has_a_name(qtbot, tmp_path: Path, open_window) -> None:
    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
    db.close()
    window = open_window(path)
    window.select_meeting(5)
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, CONTROLS) and _ours(w) and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    assert len(controls) > 60
    unnamed = [
        (type(w).__name__, w.objectName(), w.accessibleName())
        for w in controls
        if not w.accessibleName() or not w.objectName()
    ]
    assert unnamed == []
