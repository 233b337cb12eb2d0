"""The minutes editor: rich text limited to what minutes use, read from and written to structured blocks.

Paragraphs, lettered sub-paragraphs ((a), (b)... lettered by Qt, never typed), bullets on two levels, bold and
italic. Nothing else survives: pasted Word or web text is reduced to those, and pasted plain text keeps its
lettering and bullets as structure.

Tab moves focus out of the editor (so the keyboard-only workflow never gets stuck in it), except in a bullet,
where Tab indents to the second level and Shift+Tab comes back, as in Word.

The editor keeps no undo of its own: Ctrl+Z undoes the meeting's last step (typing in the minutes is saved as
steps of the meeting's history), so that undo means one thing everywhere in the window.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QKeyEvent,
    QKeySequence,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextList,
    QTextListFormat,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from paperprep import blocks as B

_BULLET_STYLES = (QTextListFormat.Style.ListDisc, QTextListFormat.Style.ListCircle)


def clean_text(text: str) -> str:
    """What a run's text becomes in the editor: control characters and line separators turn into spaces."""
    return "".join(
        " " if (unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029\ufffc") else ch for ch in text
    )


def _list_kind(text_list: QTextList | None) -> tuple[B.BlockKind, int]:
    if text_list is None:
        return B.BlockKind.PARAGRAPH, 0
    fmt = text_list.format()
    if fmt.style() == QTextListFormat.Style.ListLowerAlpha:
        return B.BlockKind.LETTERED, 0
    return B.BlockKind.BULLET, 1 if fmt.indent() >= 2 else 0


def document_blocks(document: QTextDocument) -> tuple[B.Block, ...]:
    """Read any QTextDocument (the editor's, or pasted HTML) as blocks. Empty paragraphs are not kept."""
    out: list[B.Block] = []
    block = document.begin()
    while block.isValid():
        kind, level = _list_kind(block.textList())
        runs = []
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                fmt = fragment.charFormat()
                runs.append(
                    B.Run(
                        clean_text(fragment.text()),
                        fmt.fontWeight() >= QFont.Weight.DemiBold,
                        fmt.fontItalic(),
                    )
                )
            it += 1
        if any(r.text.strip() for r in runs) or kind is not B.BlockKind.PARAGRAPH:
            if any(r.text for r in runs):
                out.append(B.Block(kind, tuple(runs), level))
        block = block.next()
    return B.normalise(out)


class MinutesEditor(QTextEdit):
    """A QTextEdit that speaks blocks. `blocksChanged` fires on every edit by the clerk, never on loading."""

    blocksChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("minutesEditor")
        self.setAccessibleName("Minutes text")
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # Ctrl+Z reaches the window's per-meeting history
        self._loading = False
        self.document().contentsChanged.connect(self._changed)
        self._actions = self._make_actions()
        self.cursorPositionChanged.connect(self._sync_actions)

    # -- loading and reading --------------------------------------------------------------------------------

    def set_blocks(self, blocks: Sequence[B.Block], keep_cursor: bool = False) -> None:
        """Show `blocks`. With `keep_cursor` (the same minute, changed by undo, say) the cursor stays put."""
        position = self.textCursor().position() if keep_cursor else 0
        scroll = self.verticalScrollBar().value() if keep_cursor else 0
        self._loading = True
        try:
            self.document().clear()
            cursor = QTextCursor(self.document())
            self._insert_blocks(cursor, B.normalise(blocks), first=True)
            self.document().clearUndoRedoStacks()
            cursor = QTextCursor(self.document())
            cursor.setPosition(min(position, max(0, self.document().characterCount() - 1)))
            self.setTextCursor(cursor)
            self.verticalScrollBar().setValue(scroll)
        finally:
            self._loading = False

    def blocks(self) -> tuple[B.Block, ...]:
        return document_blocks(self.document())

    def _changed(self) -> None:
        if not self._loading:
            self.blocksChanged.emit()

    def _insert_blocks(self, cursor: QTextCursor, blocks: Sequence[B.Block], first: bool) -> None:
        lettered: QTextList | None = None
        bullets: dict[int, QTextList] = {}
        if not first:
            previous = cursor.block().textList()
            if previous is not None and _list_kind(previous)[0] is B.BlockKind.LETTERED:
                lettered = previous
        for n, block in enumerate(blocks):
            if n > 0 or not first:
                if not (n == 0 and not cursor.block().text()):
                    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._format_block(cursor, block.kind, block.level, lettered, bullets)
            if block.kind is B.BlockKind.LETTERED:
                lettered = cursor.block().textList()
                bullets = {}
            elif block.kind is B.BlockKind.BULLET:
                bullets[block.level] = cursor.block().textList()  # type: ignore[assignment]
                bullets = {k: v for k, v in bullets.items() if k <= block.level}
            else:
                lettered = None
                bullets = {}
            for run in block.runs:
                fmt = QTextCharFormat()
                fmt.setFontWeight(QFont.Weight.Bold if run.bold else QFont.Weight.Normal)
                fmt.setFontItalic(run.italic)
                cursor.insertText(clean_text(run.text), fmt)

    @staticmethod
    def _format_block(
        cursor: QTextCursor,
        kind: B.BlockKind,
        level: int,
        lettered: QTextList | None,
        bullets: dict[int, QTextList],
    ) -> None:
        current = cursor.block().textList()
        if current is not None:
            current.remove(cursor.block())
        block_format = cursor.blockFormat()
        block_format.setIndent(0)
        cursor.setBlockFormat(block_format)
        if kind is B.BlockKind.LETTERED:
            if lettered is not None:
                lettered.add(cursor.block())
            else:
                fmt = QTextListFormat()
                fmt.setStyle(QTextListFormat.Style.ListLowerAlpha)
                fmt.setNumberPrefix("(")
                fmt.setNumberSuffix(")")
                fmt.setIndent(1)
                cursor.createList(fmt)
        elif kind is B.BlockKind.BULLET:
            existing = bullets.get(level)
            if existing is not None:
                existing.add(cursor.block())
            else:
                fmt = QTextListFormat()
                fmt.setStyle(_BULLET_STYLES[1 if level else 0])
                fmt.setIndent(2 if level else 1)
                cursor.createList(fmt)

    # -- formatting commands ----------------------------------------------------------------------------------

    def _make_actions(self) -> list[QAction]:
        specs: list[tuple[str, str, QKeySequence, Callable[[], None], bool]] = [
            ("bold", "Bold", QKeySequence(QKeySequence.StandardKey.Bold), self.toggle_bold, True),
            ("italic", "Italic", QKeySequence(QKeySequence.StandardKey.Italic), self.toggle_italic, True),
            ("paragraph", "Paragraph", QKeySequence("Ctrl+Alt+0"), self.make_paragraph, False),
            ("lettered", "Lettered paragraph (a)", QKeySequence("Ctrl+Alt+L"), self.make_lettered, False),
            ("bullet", "Bullet", QKeySequence("Ctrl+Alt+B"), self.make_bullet, False),
            ("indent", "Indent bullet", QKeySequence("Ctrl+Alt+Right"), self.indent, False),
            ("outdent", "Outdent bullet", QKeySequence("Ctrl+Alt+Left"), self.outdent, False),
        ]
        actions = []
        for name, text, shortcut, slot, checkable in specs:
            action = QAction(text, self)
            action.setObjectName(f"minutes_{name}")
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(
                f"{text} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
            )
            action.setCheckable(checkable)
            action.triggered.connect(slot)
            self.addAction(action)
            actions.append(action)
        return actions

    def formatting_actions(self) -> list[QAction]:
        return list(self._actions)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt's name
        super().setReadOnly(read_only)
        for action in getattr(self, "_actions", []):
            action.setEnabled(not read_only)

    def _sync_actions(self) -> None:
        fmt = self.currentCharFormat()
        self._actions[0].setChecked(fmt.fontWeight() >= QFont.Weight.DemiBold)
        self._actions[1].setChecked(fmt.fontItalic())

    def toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        bold = self.currentCharFormat().fontWeight() < QFont.Weight.DemiBold
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        self.textCursor().mergeCharFormat(fmt)
        self.mergeCurrentCharFormat(fmt)
        self._sync_actions()

    def toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.currentCharFormat().fontItalic())
        self.textCursor().mergeCharFormat(fmt)
        self.mergeCurrentCharFormat(fmt)
        self._sync_actions()

    def _restyle(self, kind: B.BlockKind, level: int = 0) -> None:
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        lettered: QTextList | None = None
        bullets: dict[int, QTextList] = {}
        previous: QTextBlock = cursor.block().previous()
        if previous.isValid() and previous.textList() is not None:
            prev_kind, prev_level = _list_kind(previous.textList())
            if prev_kind is B.BlockKind.LETTERED:
                lettered = previous.textList()
            elif prev_kind is B.BlockKind.BULLET:
                bullets[prev_level] = previous.textList()
        self._format_block(cursor, kind, level, lettered, bullets)
        cursor.endEditBlock()

    def make_paragraph(self) -> None:
        self._restyle(B.BlockKind.PARAGRAPH)

    def make_lettered(self) -> None:
        self._restyle(B.BlockKind.LETTERED)

    def make_bullet(self) -> None:
        self._restyle(B.BlockKind.BULLET)

    def _current(self) -> tuple[B.BlockKind, int]:
        return _list_kind(self.textCursor().block().textList())

    def indent(self) -> None:
        kind, _level = self._current()
        if kind is B.BlockKind.BULLET:
            self._restyle(B.BlockKind.BULLET, 1)

    def outdent(self) -> None:
        kind, level = self._current()
        if kind is B.BlockKind.BULLET and level == 1:
            self._restyle(B.BlockKind.BULLET, 0)
        elif kind is not B.BlockKind.PARAGRAPH:
            self._restyle(B.BlockKind.PARAGRAPH)

    # -- keys and paste -------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not self.isReadOnly():
            kind, level = self._current()
            if kind is B.BlockKind.BULLET and event.key() == Qt.Key.Key_Tab:
                self.indent()
                return True
            if kind is B.BlockKind.BULLET and event.key() == Qt.Key.Key_Backtab:
                self.outdent()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not self.isReadOnly()
            and self._current()[0] is not B.BlockKind.PARAGRAPH
            and not self.textCursor().block().text().strip()
        ):
            self.make_paragraph()  # Enter on an empty list line ends the list, as in Word
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt's name
        return source.hasText() or source.hasHtml()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt's name
        if self.isReadOnly():
            return
        if source.hasHtml():
            document = QTextDocument()
            document.setHtml(source.html())
            pasted = document_blocks(document)
            if not pasted and source.hasText():
                pasted = B.from_plain_text(source.text())
        else:
            pasted = B.from_plain_text(source.text())
        if not pasted:
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if len(pasted) == 1 and pasted[0].kind is B.BlockKind.PARAGRAPH:
            for run in pasted[0].runs:
                fmt = QTextCharFormat()
                fmt.setFontWeight(QFont.Weight.Bold if run.bold else QFont.Weight.Normal)
                fmt.setFontItalic(run.italic)
                cursor.insertText(clean_text(run.text), fmt)
        else:
            self._insert_blocks(cursor, pasted, first=False)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def sizeHint(self) -> Any:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), 260))
        return hint
