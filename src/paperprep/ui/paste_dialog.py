"""Paste minutes text: the clerk pastes a published minute, sees what paperprep found, and confirms."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from paperprep import blocks as B
from paperprep.formats import uk_date
from paperprep.imports.pasted import ParsedMinutes, parse_minutes_text


def describe(parsed: ParsedMinutes) -> str:
    lines = [f"Title: {parsed.title or '(none found: the item will be called Pasted minute)'}"]
    if parsed.item_number or parsed.meeting_date:
        when = uk_date(parsed.meeting_date) or "?"
        lines.append(
            f"Published as item {parsed.item_number or '?'} of {parsed.committee or 'a meeting'} on {when}"
        )
    if parsed.purpose:
        lines.append(f"Purpose: {parsed.purpose}")
    if parsed.presenter_name:
        lines.append(f"Presenter: {parsed.presenter_name}, {parsed.presenter_role}")
    for attachment in parsed.attachments:
        lines.append(
            f"Document mentioned: {attachment.name} ({attachment.size_text}); attach the file itself afterwards"
        )
    kinds = [b.kind for b in parsed.blocks]
    lines.append(
        f"Minutes: {kinds.count(B.BlockKind.PARAGRAPH)} paragraphs, {kinds.count(B.BlockKind.LETTERED)} lettered, "
        f"{kinds.count(B.BlockKind.BULLET)} bullets"
    )
    if parsed.resolution:
        parts = " ".join(f"({n}) {p}" for n, p in enumerate(parsed.resolution.parts, start=1))
        lines.append(f"Decision: {parsed.resolution.keyword} {parsed.resolution.text} {parts}".strip())
    if parsed.truncated:
        lines.append("The text was cut short on the page it came from: paste the full minute if you have it.")
    i = parsed.inspection
    if i is not None:
        dates = " to ".join(uk_date(d) for d in (i.fieldwork_start, i.fieldwork_end) if d)
        lines.append(
            f"Inspection: {i.inspectorate.label} {i.activity.label.lower()}"
            + (f", {dates}" if dates else "")
            + (f", {i.inspectors} inspectors" if i.inspectors else "")
            + f"; judgement: {i.judgement.label}"
        )
        if i.previous_judgement:
            lines.append(
                f"  Previous judgement: {i.previous_judgement.label} {i.previous_date_text}".rstrip()
            )
        lines.append(
            f"  {len(i.strengths)} strengths, {len(i.areas_for_improvement)} areas for improvement, "
            + (
                "no priority actions"
                if i.no_priority_actions
                else f"{len(i.priority_actions)} priority actions"
            )
            + f", {len(i.next_steps)} next steps"
        )
    return "\n".join(lines)


class PasteDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pasteDialog")
        self.setWindowTitle("Paste minutes text")
        self.source = QPlainTextEdit()
        self.source.setObjectName("pastedText")
        self.source.setAccessibleName("Pasted minutes text")
        self.source.setPlaceholderText("Paste a minute copied from a published page or an old document here.")
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("pastePreview")
        self.preview.setAccessibleName("What paperprep found")
        self.preview.setReadOnly(True)
        self.read = QPushButton("&Read the text")
        self.read.setObjectName("readPasted")
        self.read.clicked.connect(self.parse)
        self.parsed: ParsedMinutes | None = None
        splitter = QSplitter()
        splitter.addWidget(self.source)
        splitter.addWidget(self.preview)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add the item")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("Paste the text on the left, read it, check what was found on the right, then add it.")
        )
        layout.addWidget(splitter, 1)
        layout.addWidget(self.read)
        layout.addWidget(self.buttons)
        self.resize(1000, 600)

    def parse(self) -> ParsedMinutes:
        self.parsed = parse_minutes_text(self.source.toPlainText())
        self.preview.setPlainText(describe(self.parsed))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.source.toPlainText().strip())
        )
        return self.parsed


def ask_pasted_minutes(parent: QWidget | None) -> ParsedMinutes | None:
    dialog = PasteDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.parsed or dialog.parse()
