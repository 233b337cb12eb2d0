"""The layout: room for the minutes, focus mode (F11), remembered sizes, nothing cut off, light and dark."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QLabel, QMainWindow, QWidget

from paperprep.ui import settings
from ui_support import demo_window


def test_the_minutes_text_has_most_of_the_height(qtbot, tmp_path, open_window) -> None:
    window = demo_window(open_window, tmp_path / "demo.sqlite", 1600, 1000)
    minutes = window.workspace.minutes
    qtbot.waitUntil(lambda: minutes.editor.height() > 0.5 * window.height())
    assert minutes.editor.height() > 2 * minutes.tabs.height()
    assert minutes.splitter.isCollapsible(1)


def test_f11_shows_only_the_item_and_its_minutes(qtbot, tmp_path, open_window) -> None:
    window = demo_window(open_window, tmp_path / "demo.sqlite", 1280, 800)
    ws = window.workspace
    ws.tabs.setCurrentWidget(ws.agenda)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.act_focus.isChecked()
    assert ws.tabs.currentWidget() is ws.minutes
    hidden = (window.navigator_pane, window.statusBar(), ws.header, ws.tabs.tabBar(), ws.minutes.tabs)
    assert not any(w.isVisible() for w in hidden)
    assert ws.minutes.editor.isVisible() and ws.minutes.item_picker.isVisible()
    qtbot.waitUntil(lambda: ws.minutes.editor.height() > 0.75 * window.height())
    qtbot.keyClick(ws.minutes.editor, Qt.Key.Key_Escape)
    assert not window.act_focus.isChecked()
    assert all(w.isVisible() for w in hidden)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.navigator_pane.isVisible()


def test_first_run_maximised_then_sizes_remembered(qtbot, committee_db, open_window) -> None:
    path, _ = committee_db
    for setting in (settings.GEOMETRY, settings.SPLITTER, settings.MINUTES_SPLITTER):
        setting.clear()  # QSettings keeps one file for the whole test run: a first run starts without them
    window = open_window(path)
    assert window.windowState() & Qt.WindowState.WindowMaximized
    window.showNormal()
    window.resize(1200, 760)
    window.workspace.minutes.splitter.setSizes([400, 200])
    sizes = window.workspace.minutes.splitter.sizes()
    window.close()
    assert settings.byte_array(settings.GEOMETRY) is not None
    again = open_window(path)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    assert again.workspace.minutes.splitter.sizes()[0] / sum(again.workspace.minutes.splitter.sizes()) == (
        pytest.approx(sizes[0] / sum(sizes), abs=0.05)
    )


# -- nothing cut off -----------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return re.sub(r"&(?!&)", "", text).replace("&&", "&")


def cut_off(root: QWidget) -> list[str]:
    """Visible labels, header sections and dialog titles too narrow for their text, with no tooltip to read."""
    problems = []
    for label in root.findChildren(QLabel):
        text = label.text()
        if not label.isVisibleTo(root) or not text or label.wordWrap() or "<" in text or label.toolTip():
            continue
        need = label.fontMetrics().horizontalAdvance(_plain(text))
        if need > label.contentsRect().width() + 1:
            problems.append(f"label {text!r}: {need} > {label.contentsRect().width()}")
    for view in root.findChildren(QAbstractItemView):
        header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
        if header is None or not view.isVisibleTo(root) or view.model() is None:
            continue
        header = header()
        if header.isHidden():
            continue
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            model = view.model()
            text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
            tip = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            need = header.fontMetrics().horizontalAdvance(text) + 12
            if need > header.sectionSize(section) and not tip:
                problems.append(
                    f"header {text!r} of {view.objectName()}: {need} > {header.sectionSize(section)}"
                )
    for window in [root, *root.findChildren(QDialog)]:
        if window.isVisible() or window is root:
            need = window.fontMetrics().horizontalAdvance(window.windowTitle()) + 100
            if need > window.width() and not isinstance(window, QMainWindow):
                problems.append(f"title {window.windowTitle()!r}: {need} > {window.width()}")
    return problems


@pytest.mark.parametrize("size", [(1280, 800), (1600, 1000)])
def test_nothing_is_cut_off(qtbot, tmp_path, open_window, size) -> None:
    from paperprep.ui.guide import GuideWindow
    from paperprep.ui.history import InspectionHistoryDialog, TopicHistoryDialog

    window = demo_window(open_window, tmp_path / "demo.sqlite", *size)
    ws = window.workspace
    problems = []
    for tab in range(ws.tabs.count()):
        ws.tabs.setCurrentIndex(tab)
        for sub in range(ws.minutes.tabs.count() if ws.tabs.currentWidget() is ws.minutes else 1):
            if ws.tabs.currentWidget() is ws.minutes:
                ws.minutes.tabs.setCurrentIndex(sub)
            QApplication.processEvents()
            problems += cut_off(window)
    for tree_row in range(window.proxy.rowCount()):
        index = window.proxy.index(tree_row, 0)
        assert window.proxy.data(
            index, Qt.ItemDataRole.ToolTipRole
        )  # a long committee name can be read whole
    window.open_search()
    for dialog in (
        InspectionHistoryDialog(window.store, window),
        TopicHistoryDialog(window.store, window),
        GuideWindow(window),
        window.search_dialog,
    ):
        dialog.show()
        QApplication.processEvents()
        problems += [f"{dialog.windowTitle()}: {p}" for p in cut_off(dialog)]
        dialog.close()
    assert problems == []


def test_dialog_titles_fit(qtbot) -> None:
    from paperprep.ui import dialogs

    for title in ("Officer in attendance", "Declaration of interest", "Import officers' updates"):
        dialog = dialogs._input(None, title, "Name:")
        qtbot.addWidget(dialog)
        assert dialog.minimumWidth() >= dialog.fontMetrics().horizontalAdvance(title) + 100


# -- light and dark ------------------------------------------------------------------------------------------


def test_appearance_light_dark_and_back_to_the_system(qtbot, committee_db, open_window) -> None:
    from PySide6.QtGui import QPalette

    window = open_window(committee_db[0])
    try:
        window.act_scheme_dark.trigger()
        assert settings.APPEARANCE.get() == "dark"
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 100
        assert window.act_scheme_dark.isChecked() and not window.act_scheme_light.isChecked()
        window.act_scheme_light.trigger()
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 150
    finally:
        window.act_scheme_system.trigger()
    assert settings.APPEARANCE.get() == "system"
    toolbar = window.action_collection.toolbar
    assert all(not a.icon().isNull() for a in toolbar.actions() if not a.isSeparator())
