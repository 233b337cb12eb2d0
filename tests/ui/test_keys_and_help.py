"""Keys that work everywhere (unique Alt letters, Alt+M, typed dates) and help that opens."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar, QToolButton

from paperprep.ui.date_edit import DateEdit, parse_date
from ui_support import demo_window


def _letter(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def visible_mnemonics(window) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every Alt letter the clerk can use at this moment: menu titles, labels with a buddy, buttons, tabs."""
    found = [(_letter(a.text()), f"menu {a.text()}") for a in window.menuBar().actions() if a.isVisible()]
    for label in window.findChildren(QLabel):
        if label.buddy() is not None and label.isVisibleTo(window):
            found.append((_letter(label.text()), f"label {label.text()}"))
    for button in window.findChildren(QAbstractButton):
        if isinstance(button, QToolButton) and button.defaultAction() is not None:
            continue  # a toolbar button shows its action's text without the mnemonic
        if button.isVisibleTo(window):
            found.append((_letter(button.text()), f"button {button.text()}"))
    for bar in window.findChildren(QTabBar):
        if bar.isVisibleTo(window):
            found += [(_letter(bar.tabText(i)), f"tab {bar.tabText(i)}") for i in range(bar.count())]
    return [(letter, what) for letter, what in found if letter]


def clashes(window) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    by_letter: dict[str, list[str]] = {}
    for letter, what in visible_mnemonics(window):
        by_letter.setdefault(letter, []).append(what)
    return {letter: whats for letter, whats in by_letter.items() if len(whats) > 1}


PLACES = [
    ("A&genda", None),
    ("Atte&ndance", None),
    ("M&inutes", "&Resolutions"),
    ("M&inutes", "A&ctions"),
    ("M&inutes", "&Declarations"),
    ("M&inutes", "Inspection"),
    ("Acti&ons", None),
]


def _place(window, tab: str, sub: str | None):  # type: ignore[no-untyped-def]
    ws = window.workspace
    ws.tabs.setCurrentIndex([ws.tabs.tabText(i) for i in range(ws.tabs.count())].index(tab))
    if sub is not None:
        ws.minutes.tabs.setCurrentIndex(
            [ws.minutes.tabs.tabText(i) for i in range(ws.minutes.tabs.count())].index(sub)
        )
    QApplication.processEvents()


@pytest.mark.parametrize(("tab", "sub"), PLACES)
def test_every_alt_letter_is_unique_and_alt_m_opens_the_meeting_menu(
    qtbot, qtlog, tmp_path, open_window, tab, sub
) -> None:
    window = demo_window(open_window, tmp_path / "demo.sqlite", 1280, 800)
    _place(window, tab, sub)
    assert clashes(window) == {}
    meeting_menu = window.action_collection.menus["meetingMenu"]
    focus = QApplication.focusWidget() or window
    with qtlog.disabled():  # the offscreen platform warns that a menu cannot grab the keyboard
        qtbot.keyClick(focus, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(meeting_menu.isVisible, timeout=2000)
        meeting_menu.close()


def test_menu_titles_are_unique(qtbot, committee_db, open_window) -> None:
    window = open_window(committee_db[0])
    letters = [_letter(a.text()) for a in window.menuBar().actions()]
    assert len(letters) == len(set(letters)) and None not in letters


# -- typed dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24/04/2026", dt.date(2026, 4, 24)),
        ("24/4", dt.date(2026, 4, 24)),
        ("24.4.26", dt.date(2026, 4, 24)),
        ("24 Apr", dt.date(2026, 4, 24)),
        ("Friday 24th April 2026", dt.date(2026, 4, 24)),
        ("today", dt.date(2026, 3, 2)),
        ("tomorrow", dt.date(2026, 3, 3)),
        ("+7", dt.date(2026, 3, 9)),
        ("+2w", dt.date(2026, 3, 16)),
        ("2026-04-24", dt.date(2026, 4, 24)),
        ("31/2", None),
        ("soon", None),
        ("", None),
    ],
)
def test_dates_read_the_way_a_clerk_types_them(typed, expected) -> None:
    assert parse_date(typed, today=dt.date(2026, 3, 2)) == expected


def test_a_date_field_takes_typing(qtbot) -> None:
    field = DateEdit(QDate(2026, 1, 5))
    qtbot.addWidget(field)
    field.show()
    changes = []
    field.dateChanged.connect(changes.append)
    field.selectAll()
    qtbot.keyClicks(field, "24/4")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.date() == QDate(dt.date.today().year, 4, 24)
    assert field.text() == f"24/04/{dt.date.today().year}"
    assert changes == [field.date()]
    field.selectAll()
    qtbot.keyClicks(field, "today")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.value() == dt.date.today()
    field.selectAll()
    qtbot.keyClicks(field, "no date")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.value() == dt.date.today()  # kept, and the field says so
    assert "Not a date" in field.toolTip()
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.value() == dt.date.today() + dt.timedelta(days=1)


# -- help that opens ----------------------------------------------------------------------------------------


def test_the_user_guide_opens_inside_the_app(qtbot, committee_db, open_window) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    window = open_window(committee_db[0])
    window.act_guide.trigger()
    guide = window.guide_window
    assert guide.isVisible() and guide.path is not None
    assert guide.path.parent == Path(__file__).resolve().parents[2] / "docs"
    assert "Minutes" in guide.browser.toPlainText()
    image = guide.browser.loadResource(
        QTextDocument.ResourceType.ImageResource, QUrl("images/guide-minutes.png")
    )
    assert image is not None and not image.isNull()


def test_a_guide_that_is_not_installed_gives_the_built_in_text(qtbot, monkeypatch) -> None:
    from paperprep.ui import guide

    monkeypatch.setattr(guide, "guide_candidates", lambda: [Path("/nowhere/user-guide.md")])
    window = guide.GuideWindow()
    qtbot.addWidget(window)
    assert window.path is None
    assert "New meeting" in window.browser.toPlainText()


def test_a_file_the_system_cannot_open_is_named(qtbot, answers, monkeypatch, tmp_path) -> None:
    from PySide6.QtGui import QDesktopServices

    from paperprep.ui.guide import open_path

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    target = tmp_path / "CLSC-minutes-2026-09-29-public.docx"
    target.write_bytes(b"")
    assert open_path(None, target) is False
    assert str(target) in answers["_errors"][0]
