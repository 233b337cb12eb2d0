"""Spell checking in the real main window: the underline, the suggestions, the council's words, the personal word
list across a restart, and the other editors that check spelling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ui_support import demo_window

pytestmark = pytest.mark.usefixtures("spelling_on")


@pytest.fixture
def spelling_on() -> Any:
    """Spell checking on, in English (UK), whatever an earlier test chose (the settings are per process)."""
    from paperprep.ui import settings

    settings.set_spelling_enabled(True)
    settings.set_spelling_language("en_GB")
    yield
    settings.set_spelling_enabled(True)
    settings.set_spelling_language("en_GB")


def _service(window: Any) -> Any:
    from paperprep.ui.spelling import SpellService

    return SpellService.of(window.store)


def _ready(qtbot: Any, window: Any, editor: Any) -> None:
    from paperprep.ui.spelling import speller_of

    service = _service(window)
    qtbot.waitUntil(lambda: service.loaded, timeout=30000)
    speller = speller_of(editor)
    assert speller is not None
    qtbot.waitUntil(lambda: not getattr(speller, "busy", False), timeout=10000)


def _type_paragraph(qtbot: Any, editor: Any, text: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, text)


def _underlined(editor: Any, word: str) -> bool:
    """Whether `word` (its first occurrence) carries the spell-check underline in red."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QTextCharFormat

    document = editor.document()
    block = document.begin()
    while block.isValid():
        offset = block.text().find(word)
        if offset >= 0:
            for fmt in block.layout().formats():
                style = fmt.format.underlineStyle()
                if (
                    fmt.start <= offset
                    and offset + len(word) <= fmt.start + fmt.length
                    and style == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
                    and fmt.format.underlineColor() == QColor(Qt.GlobalColor.red)
                ):
                    return True
            return False
        block = block.next()
    raise AssertionError(f"{word!r} is not in the text")


def _point_at(editor: Any, word: str) -> Any:
    """The middle of `word` in the editor, in viewport co-ordinates (as a context menu gets it)."""
    from PySide6.QtGui import QTextCursor

    position = editor.toPlainText().find(word)
    assert position >= 0
    cursor = QTextCursor(editor.document())
    cursor.setPosition(position + 2)
    return editor.cursorRect(cursor).center()


def _menu_texts(menu: Any) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_misspelt_words_are_underlined_with_suggestions(qtbot, tmp_path: Path, open_window) -> None:
    from paperprep.ui.spelling import spelling_menu

    window = demo_window(open_window, tmp_path / "demo.sqlite", 1280, 820)
    editor = window.workspace.minutes.editor
    assert not editor.isReadOnly()
    _type_paragraph(
        qtbot, editor, "We did not recieve the organisation's colour report from Cllr Pryer and Cllr Okafor."
    )
    _ready(qtbot, window, editor)

    assert _underlined(editor, "recieve")
    for word in ("organisation", "colour", "Pryer", "Okafor", "Cllr"):
        assert not _underlined(editor, word), word
    menu = spelling_menu(editor, _point_at(editor, "recieve"))
    texts = _menu_texts(menu)
    assert "receive" in texts[:5]
    assert "Ignore" in texts

    # Choosing the suggestion replaces the word, and the minute is saved as typing is.
    receive = next(a for a in menu.actions() if a.text() == "receive")
    receive.trigger()
    assert "We did not receive the organisation" in editor.toPlainText()
    qtbot.waitUntil(lambda: not window.store.autosaver.pending, timeout=5000)
    from paperprep.queries import meeting as Q

    saved = window.store.read(Q.item_minute, window.workspace.minutes.item_id)
    assert any("We did not receive" in "".join(r.text for r in b.runs) for b in saved.blocks)


def test_checking_changes_no_text_and_saves_nothing(qtbot, tmp_path: Path, open_window) -> None:
    window = demo_window(open_window, tmp_path / "demo.sqlite", 1280, 820)
    editor = window.workspace.minutes.editor
    before = editor.toPlainText()
    _ready(qtbot, window, editor)
    _service(window).recheck.emit()
    _ready(qtbot, window, editor)
    assert editor.toPlainText() == before
    assert not window.store.autosaver.pending
    assert not window.store.history(window.workspace.meeting_id).done


def test_add_to_dictionary_lasts_across_a_restart_and_ignore_does_not(
    qtbot, tmp_path: Path, open_window
) -> None:
    from paperprep.queries.settings import known_words
    from paperprep.ui.spelling import spelling_menu

    path = tmp_path / "demo.sqlite"
    window = demo_window(open_window, path, 1280, 820)
    editor = window.workspace.minutes.editor
    _type_paragraph(qtbot, editor, "The visit to Bramblecombe and Quillingford went well.")
    _ready(qtbot, window, editor)
    assert _underlined(editor, "Bramblecombe")
    assert _underlined(editor, "Quillingford")

    menu = spelling_menu(editor, _point_at(editor, "Bramblecombe"))
    next(a for a in menu.actions() if a.objectName() == "addToDictionary").trigger()
    menu = spelling_menu(editor, _point_at(editor, "Quillingford"))
    next(a for a in menu.actions() if a.objectName() == "ignoreWord").trigger()
    _ready(qtbot, window, editor)
    assert not _underlined(editor, "Bramblecombe")
    assert not _underlined(editor, "Quillingford")
    assert "Bramblecombe" in window.store.read(known_words).personal
    qtbot.waitUntil(lambda: not window.store.autosaver.pending, timeout=5000)
    window.close()
    window.db.close()

    again = open_window(path)
    minutes = again.workspace.minutes
    again.select_meeting(window.workspace.meeting_id)
    again.workspace.open_minutes(window.workspace.minutes.item_id)
    assert "Bramblecombe" in minutes.editor.toPlainText()
    _ready(qtbot, again, minutes.editor)
    assert not _underlined(minutes.editor, "Bramblecombe")  # in the database's word list
    assert _underlined(minutes.editor, "Quillingford")  # ignored for that session only


@pytest.mark.qt_log_ignore(
    "This plugin does not support grabbing the keyboard"
)  # the offscreen platform's menus
def test_other_editors_check_spelling_and_f7_walks_the_mistakes(qtbot, tmp_path: Path, open_window) -> None:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication, QLineEdit

    from paperprep.ui.models import ActionsModel
    from paperprep.ui.spelling import LineSpeller, TextSpeller, speller_of

    window = demo_window(open_window, tmp_path / "demo.sqlite", 1280, 820)
    minutes = window.workspace.minutes
    inspection = window.workspace.inspection
    for editor in (minutes.editor, minutes.resolution_parts, inspection.strengths, inspection.areas):
        assert isinstance(speller_of(editor), TextSpeller)
    for line in (minutes.resolution_text, minutes.action_text, inspection.scope):
        assert isinstance(speller_of(line), LineSpeller)

    _ready(qtbot, window, minutes.editor)
    minutes.resolution_parts.setPlainText("To recieve the quaterly report")
    _ready(qtbot, window, minutes.resolution_parts)
    assert _underlined(minutes.resolution_parts, "recieve")
    assert _underlined(minutes.resolution_parts, "quaterly")
    minutes.action_text.setText("Send the organisation chart to the comittee")
    line_speller = speller_of(minutes.action_text)
    assert [minutes.action_text.text()[s : s + n] for s, n in line_speller.spans] == ["comittee"]

    # F7 in the resolution's parts selects each mistake in turn, then starts again at the top.
    minutes.tabs.setCurrentIndex(0)
    minutes.resolution_parts.setFocus()
    qtbot.waitUntil(minutes.resolution_parts.hasFocus)
    found = []
    for _ in range(3):
        window.act_next_mistake.trigger()
        found.append(minutes.resolution_parts.textCursor().selectedText())
        popup = QApplication.activePopupWidget()
        assert popup is not None and popup.objectName() == "spellingMenu"
        popup.close()
    assert found == ["recieve", "quaterly", "recieve"]

    # The wording of an action, edited in its table, is checked too.
    window.workspace.show_tab(window.workspace.actions_panel)
    panel = window.workspace.actions_panel
    panel.reload()
    assert panel.own.rows  # the demo meeting has actions
    table = panel.own_table
    index = panel.own.index(0, ActionsModel.TEXT_COLUMN, QModelIndex())
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.findChild(QLineEdit)
    assert editor is not None and isinstance(speller_of(editor), LineSpeller)
    assert window.act_next_mistake.shortcut().toString() == "F7"


def test_spelling_can_be_turned_off_and_switched_to_us_english(qtbot, tmp_path: Path, open_window) -> None:
    from paperprep.ui import settings

    window = demo_window(open_window, tmp_path / "demo.sqlite", 1280, 820)
    editor = window.workspace.minutes.editor
    _type_paragraph(qtbot, editor, "The organisation chose a new color and will recieve it.")
    _ready(qtbot, window, editor)
    assert _underlined(editor, "recieve")
    assert _underlined(editor, "color")  # US spelling, in the UK dictionary
    assert window.act_spelling.isChecked() and window.act_spelling_uk.isChecked()

    window.act_spelling.trigger()  # off
    assert settings.spelling_enabled() is False
    _ready(qtbot, window, editor)
    assert not _underlined(editor, "recieve")

    window.act_spelling.trigger()  # on again
    window.act_spelling_us.trigger()
    assert settings.spelling_language() == "en_US"
    assert window.act_spelling_us.isChecked() and not window.act_spelling_uk.isChecked()
    qtbot.waitUntil(lambda: _service(window).checker.lexicon.language == "en_US", timeout=30000)
    _ready(qtbot, window, editor)
    assert not _underlined(editor, "color")
    assert _underlined(editor, "organisation")
    assert _underlined(editor, "recieve")
