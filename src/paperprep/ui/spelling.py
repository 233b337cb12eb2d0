"""Spell checking in the window's text editors: a red wavy underline under misspelt words, a context menu with
suggestions, "Add to dictionary" and "Ignore", and F7 to walk through the mistakes.

One `SpellService` per store holds the dictionary (paperprep.spelling), loaded on a worker thread so that start-up
is not delayed: until it is loaded nothing is underlined. It knows the council's words (names of people and
committees, and the personal word list, which lives in the database) and reloads them when the store says that
people, members, committees or settings changed. "Ignore" lasts for this session.

Rich and plain text editors get a `TextSpeller` (a QSyntaxHighlighter, which re-checks only the paragraph typed
in); one-line fields get a `LineSpeller`, which draws the same underline through the line edit's input method
formats. Neither changes the text, so no check ever causes a save.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QInputMethodEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QStyledItemDelegate,
    QTextEdit,
    QWidget,
)

from paperprep import spelling
from paperprep.logs import explain
from paperprep.ops import Changes, Kind
from paperprep.ops.settings import AddToDictionary
from paperprep.queries.settings import KnownWords, known_words
from paperprep.ui import settings
from paperprep.ui.store import Store
from paperprep.ui.worker import run_in_background

TextEditor = QTextEdit | QPlainTextEdit
_RECHECK_SLICE = 0.008  # seconds of re-checking per turn of the event loop, so that typing never waits long
_BULK_CHARACTERS = 2000  # a change this large (a minute loaded or pasted) is checked in slices, visible first
_WORDS_KINDS = (Kind.PEOPLE, Kind.MEMBERS, Kind.COMMITTEES, Kind.SETTINGS)


def mistake_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
    fmt.setUnderlineColor(QColor(Qt.GlobalColor.red))
    return fmt


def _alive(obj: QObject | None) -> bool:
    return obj is not None and shiboken6.isValid(obj)


START_DELAY_MS = 1500  # after the window is shown


class SpellService(QObject):
    """The dictionary and the council's words for one store (one window's database)."""

    recheck = Signal()  # the dictionary or the known words changed: every speller checks its text again
    failed = Signal(str)  # the dictionary could not be loaded: the sentence to show

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.setObjectName("spellService")
        self.store = store
        self.enabled = settings.spelling_enabled()
        self.language = settings.spelling_language()
        self.checker: spelling.Checker | None = None  # None until the dictionary is loaded
        self.ignored: set[str] = set()
        self.last_editor: QWidget | None = None  # where F7 looks when no checked field has the focus
        self._known = KnownWords((), ())
        self._wanted = ""  # the language being loaded
        self._started = False
        store.changed.connect(self._store_changed)
        # Neither the council's words nor the dictionary is read while the window is being built: they are sent
        # for a moment after it is shown, or as soon as some text needs checking, whichever comes first.
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self.start)
        self._start_timer.start(START_DELAY_MS)

    @property
    def started(self) -> bool:
        return self._started

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._read_known()
        if self.enabled:
            self._load(self.language)

    @staticmethod
    def of(store: Store) -> SpellService:
        """The store's service, made (and its dictionary sent for) on first use."""
        found = store.findChild(SpellService, "spellService")
        return found if isinstance(found, SpellService) else SpellService(store)

    @property
    def active(self) -> spelling.Checker | None:
        """The checker to use now: None while spell checking is off or the dictionary is still loading."""
        return self.checker if self.enabled else None

    @property
    def loaded(self) -> bool:
        return self.checker is not None and self.checker.lexicon.language == self.language

    # -- the dictionary ----------------------------------------------------------------------------------------

    def _load(self, language: str) -> None:
        if self._wanted == language or (
            self.checker is not None and self.checker.lexicon.language == language
        ):
            return
        self._wanted = language

        def done(lexicon: spelling.Lexicon) -> None:
            if not _alive(self):
                return  # the window is gone
            if self._wanted == lexicon.language:
                self._wanted = ""
            if lexicon.language != self.language:
                return  # another language was chosen meanwhile
            self.checker = spelling.Checker(lexicon)
            self._apply_words()
            self.recheck.emit()

        def failed(exc: BaseException) -> None:
            if _alive(self) and self._wanted == language:
                self._wanted = ""
                self.failed.emit(f"Spelling is not checked: {explain(exc)}")

        run_in_background(lambda: spelling.load(language), done, failed)

    def set_enabled(self, on: bool) -> None:
        settings.set_spelling_enabled(on)
        self.enabled = on
        if on:
            self._load(self.language)
        self.recheck.emit()

    def set_language(self, language: str) -> None:
        spelling.dictionary_path(language)  # refuses a language with no dictionary
        settings.set_spelling_language(language)
        self.language = language
        if self.enabled:
            self._load(language)

    # -- the council's words -------------------------------------------------------------------------------------

    def _read_known(self) -> bool:
        known = self.store.read(known_words)
        if known == self._known:
            return False
        self._known = known
        return True

    def _apply_words(self) -> None:
        if self.checker is not None:
            self.checker.set_council_words(self._known.names)
            self.checker.set_personal_words(self._known.personal)
            for word in self.ignored:
                self.checker.ignore(word)

    def _store_changed(self, changes: Changes) -> None:
        if changes.touches(*_WORDS_KINDS) and self._read_known():
            self._apply_words()
            self.recheck.emit()

    def add_to_dictionary(self, word: str, parent: QWidget | None = None) -> bool:
        """Add the word to the personal word list in the database; every speller then re-checks."""
        return self.store.run(AddToDictionary(word), parent=parent) is not None

    def ignore(self, word: str) -> None:
        self.ignored.add(word)
        if self.checker is not None:
            self.checker.ignore(word)
        self.recheck.emit()

    # -- suggestions -------------------------------------------------------------------------------------------

    def suggestions(self, word: str) -> list[str]:
        checker = self.active
        return checker.suggest(word) if checker is not None else []


# -- the editors ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """A misspelt word in an editor: where it starts in the whole text, and the word."""

    start: int
    word: str

    @property
    def end(self) -> int:
        return self.start + len(self.word)


class TextSpeller(QSyntaxHighlighter):
    """Underlines the misspelt words of a rich or plain text editor, a paragraph (block) at a time."""

    def __init__(self, editor: TextEditor, service: SpellService) -> None:
        super().__init__(editor)
        self.setDocument(None)  # a QTextEdit parent hands over its document at once: take it below, in order
        self.setObjectName("spellHighlighter")
        self.editor = editor
        self.service = service
        self.mistake = mistake_format()
        self._defer = False
        self._queue: list[int] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        document = editor.document()
        # Heard before the highlighter's own handler, so that a minute loaded or pasted whole is checked in slices.
        document.contentsChange.connect(self._contents_change)
        self.setDocument(document)
        service.recheck.connect(self.recheck_all)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        if text.strip() and not self.service.started:
            self.service.start()  # the first text to check sends for the dictionary
        checker = self.service.active
        if checker is None or self._defer:
            return
        for start, length in checker.misspelt(text):
            self.setFormat(start, length, self.mistake)

    def _contents_change(self, _position: int, removed: int, added: int) -> None:
        if max(added, removed) >= _BULK_CHARACTERS and self.service.active is not None:
            self._defer = True
            QTimer.singleShot(0, self, self.recheck_all)

    def recheck_all(self) -> None:
        """Check the whole text again in slices of the event loop, the paragraphs on screen first."""
        self._defer = False
        document = self.editor.document()
        first = self.editor.cursorForPosition(QPoint(0, 0)).blockNumber()
        count = document.blockCount()
        first = min(max(first, 0), max(count - 1, 0))
        self._queue = [*range(first, count), *range(first)][
            ::-1
        ]  # popped from the end: the first on screen first
        self._timer.start()

    def _step(self) -> None:
        document = self.editor.document()
        deadline = time.perf_counter() + _RECHECK_SLICE
        # Re-highlighting a block ends an edit block, and the document then says its contents changed although
        # the text did not: kept from the editors, whose "changed" means "save".
        blocked = document.blockSignals(True)
        try:
            while self._queue and time.perf_counter() < deadline:
                block = document.findBlockByNumber(self._queue.pop())
                if block.isValid():
                    self.rehighlightBlock(block)
        finally:
            document.blockSignals(blocked)
        if self._queue:
            self._timer.start()

    @property
    def busy(self) -> bool:
        """Some paragraphs are still waiting to be checked again."""
        return bool(self._queue) or self._defer

    def mistakes(self) -> list[Mistake]:
        """Every misspelt word of the text, in order."""
        checker = self.service.active
        if checker is None:
            return []
        found = []
        block = self.editor.document().begin()
        while block.isValid():
            text = block.text()
            found += [Mistake(block.position() + s, text[s : s + n]) for s, n in checker.misspelt(text)]
            block = block.next()
        return found


class LineSpeller(QObject):
    """Underlines the misspelt words of a one-line field, through the formats of its input method."""

    def __init__(self, line: QLineEdit, service: SpellService) -> None:
        super().__init__(line)
        self.setObjectName("spellLine")
        self.line = line
        self.service = service
        self.mistake = mistake_format()
        self.spans: list[tuple[int, int]] = []  # what is underlined now: (start, length)
        line.textChanged.connect(lambda _text: self.recheck_all())
        service.recheck.connect(self.recheck_all)
        self.recheck_all()

    def recheck_all(self) -> None:
        checker = self.service.active
        spans = checker.misspelt(self.line.text()) if checker is not None else []
        if spans == self.spans and not spans:
            return
        self.spans = spans
        cursor = self.line.cursorPosition()
        formats = [
            QInputMethodEvent.Attribute(
                QInputMethodEvent.AttributeType.TextFormat, start - cursor, length, self.mistake
            )
            for start, length in spans
        ]
        QCoreApplication.sendEvent(self.line, QInputMethodEvent("", formats))

    def mistakes(self) -> list[Mistake]:
        text = self.line.text()
        checker = self.service.active
        spans = checker.misspelt(text) if checker is not None else []
        return [Mistake(s, text[s : s + n]) for s, n in spans]


Speller = TextSpeller | LineSpeller


def speller_of(widget: QWidget | None) -> Speller | None:
    """The speller attached to this editor, if any."""
    if not _alive(widget):
        return None
    found: QObject | None = None
    if isinstance(widget, QLineEdit):
        found = widget.findChild(LineSpeller, "spellLine")
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        found = widget.findChild(TextSpeller, "spellHighlighter")
    return found if isinstance(found, TextSpeller | LineSpeller) else None


class _FocusWatch(QObject):
    """Remembers the checked field the clerk was last in, for F7."""

    def __init__(self, service: SpellService, editor: QWidget) -> None:
        super().__init__(editor)
        self.service = service
        self.editor = editor
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusIn:
            self.service.last_editor = self.editor
        return False


def attach(editor: QTextEdit | QPlainTextEdit | QLineEdit, store: Store) -> Speller:
    """Check the spelling of this editor as the clerk types, with the suggestions in its context menu."""
    existing = speller_of(editor)
    if existing is not None:
        return existing
    service = SpellService.of(store)
    speller: Speller
    if isinstance(editor, QLineEdit):
        speller = LineSpeller(editor, service)
    else:
        speller = TextSpeller(editor, service)
    _FocusWatch(service, editor)
    editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    editor.customContextMenuRequested.connect(lambda pos: show_menu(editor, pos))
    return speller


class SpellingDelegate(QStyledItemDelegate):
    """A table cell whose text editor checks spelling (the wording of an action)."""

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def createEditor(self, parent: QWidget, option: object, index: object) -> QWidget:  # noqa: N802 - Qt's name
        editor = super().createEditor(parent, option, index)  # type: ignore[arg-type]
        if isinstance(editor, QLineEdit):
            attach(editor, self.store)
        return editor


# -- the menu --------------------------------------------------------------------------------------------------------


def _mistake_at(editor: QWidget, pos: QPoint) -> Mistake | None:
    """The misspelt word under `pos` (the selected one, when a misspelt word is selected, as after F7)."""
    speller = speller_of(editor)
    if speller is None:
        return None
    mistakes = speller.mistakes()
    if isinstance(editor, QLineEdit):
        if editor.hasSelectedText():
            start, text = editor.selectionStart(), editor.selectedText()
            chosen = next((m for m in mistakes if m.start == start and m.word == text), None)
            if chosen is not None:
                return chosen
        offset = editor.cursorPositionAt(pos)
    else:
        assert isinstance(editor, QTextEdit | QPlainTextEdit)
        cursor = editor.textCursor()
        if cursor.hasSelection():
            chosen = next(
                (
                    m
                    for m in mistakes
                    if m.start == cursor.selectionStart() and m.end == cursor.selectionEnd()
                ),
                None,
            )
            if chosen is not None:
                return chosen
        offset = editor.cursorForPosition(pos).position()
    return next((m for m in mistakes if m.start <= offset <= m.end), None)


def _replace(editor: QWidget, mistake: Mistake, text: str) -> None:
    if isinstance(editor, QLineEdit):
        editor.setSelection(mistake.start, len(mistake.word))
        editor.insert(text)
        editor.textEdited.emit(editor.text())  # saved as typing is (the inspection's service and scope)
        return
    assert isinstance(editor, QTextEdit | QPlainTextEdit)
    cursor = QTextCursor(editor.document())
    cursor.setPosition(mistake.start)
    cursor.setPosition(mistake.end, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text)
    editor.setTextCursor(cursor)


def spelling_menu(editor: QWidget, pos: QPoint, menu: QMenu | None = None) -> QMenu:
    """The editor's context menu, with the suggestions, "Add to dictionary" and "Ignore" for a misspelt word at
    `pos` (viewport co-ordinates for a text editor, the field's own for a line) put first."""
    if menu is None:
        if isinstance(editor, QLineEdit):
            menu = editor.createStandardContextMenu()
        elif isinstance(editor, QTextEdit | QPlainTextEdit):
            menu = editor.createStandardContextMenu(pos)
        else:
            menu = QMenu(editor)
    menu.setObjectName("spellingMenu")
    speller = speller_of(editor)
    mistake = _mistake_at(editor, pos)
    if speller is None or mistake is None:
        return menu
    service = speller.service
    first = menu.actions()[0] if menu.actions() else None
    read_only = bool(getattr(editor, "isReadOnly", lambda: False)())
    added: list[QAction] = []
    if not read_only:
        suggestions = service.suggestions(mistake.word)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            font = action.font()
            font.setWeight(QFont.Weight.Bold)
            action.setFont(font)
            action.triggered.connect(lambda _checked=False, s=suggestion: _replace(editor, mistake, s))
            added.append(action)
        if not suggestions:
            none = QAction("No suggestions", menu)
            none.setEnabled(False)
            added.append(none)
        added.append(_separator(menu))
    add = QAction(f"Add \u201c{mistake.word}\u201d to dictionary", menu)
    add.setObjectName("addToDictionary")
    add.triggered.connect(lambda: service.add_to_dictionary(mistake.word, editor))
    ignore = QAction("Ignore", menu)
    ignore.setObjectName("ignoreWord")
    ignore.setToolTip("Do not mark this word again until paperprep is closed")
    ignore.triggered.connect(lambda: service.ignore(mistake.word))
    added += [add, ignore]
    if first is not None:
        added.append(_separator(menu))
        menu.insertActions(first, added)
    else:
        menu.addActions(added)
    return menu


def _separator(menu: QMenu) -> QAction:
    action = QAction(menu)
    action.setSeparator(True)
    return action


def _global(editor: QWidget, pos: QPoint) -> QPoint:
    if isinstance(editor, QTextEdit | QPlainTextEdit):
        return editor.viewport().mapToGlobal(pos)
    return editor.mapToGlobal(pos)


def show_menu(editor: QWidget, pos: QPoint) -> None:
    menu = spelling_menu(editor, pos)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(_global(editor, pos))


def next_mistake(editor: QWidget) -> Mistake | None:
    """Select the next misspelt word after the cursor (from the top again at the end) and offer its menu."""
    speller = speller_of(editor)
    if speller is None:
        return None
    mistakes = speller.mistakes()
    if not mistakes:
        return None
    if isinstance(editor, QLineEdit):
        after = editor.selectionEnd() if editor.hasSelectedText() else editor.cursorPosition()
    else:
        assert isinstance(editor, QTextEdit | QPlainTextEdit)
        after = editor.textCursor().selectionEnd()
    mistake = next((m for m in mistakes if m.start >= after), mistakes[0])
    editor.setFocus()
    if isinstance(editor, QLineEdit):
        editor.setSelection(mistake.start, len(mistake.word))
        pos = QPoint(editor.cursorRect().center())
    else:
        assert isinstance(editor, QTextEdit | QPlainTextEdit)
        cursor = QTextCursor(editor.document())
        cursor.setPosition(mistake.start)
        cursor.setPosition(mistake.end, QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.ensureCursorVisible()
        pos = editor.cursorRect(cursor).bottomLeft()
    show_menu(editor, pos)
    return mistake


# -- the window's commands ---------------------------------------------------------------------------------------


class SpellingCommands:
    """Edit > Next spelling mistake (F7), Check spelling, and the dictionary's language, for the main window."""

    def __init__(self, window: QMainWindow, store: Store, actions: dict[str, QAction]) -> None:
        self.window = window
        self.service = SpellService.of(store)
        self.actions = actions
        self.service.failed.connect(lambda message: self._say(message, 10000))
        self.sync()

    def _say(self, text: str, timeout: int = 5000) -> None:
        self.window.statusBar().showMessage(text, timeout)

    def sync(self) -> None:
        self.actions["act_spelling"].setChecked(self.service.enabled)
        for attr, language in (("act_spelling_uk", "en_GB"), ("act_spelling_us", "en_US")):
            self.actions[attr].setChecked(self.service.language == language)
            self.actions[attr].setEnabled(self.service.enabled)
        self.actions["act_next_mistake"].setEnabled(self.service.enabled)

    def toggle(self) -> None:
        self.service.set_enabled(self.actions["act_spelling"].isChecked())
        self.sync()

    def english_uk(self) -> None:
        self._choose("en_GB")

    def english_us(self) -> None:
        self._choose("en_US")

    def _choose(self, language: str) -> None:
        self.service.set_language(language)
        self.sync()
        self._say(f"Spelling: {spelling.LANGUAGES[language]}")

    def next_mistake(self) -> None:
        from PySide6.QtWidgets import QApplication

        focused = QApplication.focusWidget()
        editor = focused if speller_of(focused) is not None else self.service.last_editor
        if not self.service.enabled:
            self._say("Spelling is not being checked: turn on Edit > Check spelling first.")
        elif not self.service.loaded:
            self._say("The dictionary is still loading: try again in a moment.")
        elif editor is None or speller_of(editor) is None or not editor.isVisible():
            self._say(
                "Click in the minutes, or another text box, then press F7 to find its spelling mistakes."
            )
        elif next_mistake(editor) is None:
            self._say("No spelling mistakes found here.")
