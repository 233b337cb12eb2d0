"""Paste minutes text: the clerk pastes a published minute, sees what paperprep found, and confirms."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from paperprep import blocks as B
from paperprep.formats import precise_date, precise_range, uk_date
from paperprep.imports.pasted import ParsedMinutes, parse_minutes_text


def inspection_facts(parsed: ParsedMinutes) -> list[tuple[str, str, str]]:
    """Each inspection fact found, as (fact, what was found, the sentence it was read from), for the clerk to
    check before adding the item."""
    i = parsed.inspection
    if i is None:
        return []
    sources = i.sources
    members = ", ".join(x.label for x in i.inspectorates)
    who = i.inspectorate.label + (f" ({members})" if len(i.inspectorates) > 1 else "")
    fieldwork = precise_range(
        i.fieldwork_start, i.fieldwork_start_precision, i.fieldwork_end, i.fieldwork_end_precision
    )
    judgement = "No graded judgement" if i.graded is False else i.judgement.label
    previous = " ".join(
        filter(
            None,
            (
                i.previous_judgement.label if i.previous_judgement else "",
                precise_date(i.previous_date, i.previous_date_precision),
            ),
        )
    )
    due = precise_date(i.action_plan_due, i.action_plan_due_precision) or i.action_plan_due_text
    facts = [
        ("Inspectorate", who, sources.get("inspectorate", "")),
        ("Type of visit", i.activity.label, sources.get("activity", "")),
        ("Fieldwork", fieldwork, sources.get("fieldwork_start", "")),
        ("Inspectors", str(i.inspectors or ""), sources.get("inspectors", "")),
        ("Judgement", judgement, sources.get("judgement") or sources.get("graded", "")),
        (
            "Previous inspection",
            previous,
            sources.get("previous_judgement") or sources.get("previous_date", ""),
        ),
        ("Priority actions", "None" if i.no_priority_actions else "", sources.get("no_priority_actions", "")),
        ("Action plan due", due, sources.get("action_plan_due", "")),
    ]
    if i.areas_for_improvement and sources.get("areas_for_improvement"):
        found = "; ".join(i.areas_for_improvement)
        facts.append(("Areas for improvement", found, sources["areas_for_improvement"]))
    return [f for f in facts if f[1]]


def describe(parsed: ParsedMinutes) -> str:
    lines = [f"Title: {parsed.title or '(none found: the item will be called Pasted minute)'}"]
    if parsed.item_number or parsed.meeting_date:
        when = uk_date(parsed.meeting_date) or "?"
        lines.append(
            f"Published as item {parsed.item_number or '?'} of {parsed.committee or 'a meeting'} on {when}"
        )
    if parsed.purpose:
        lines.append(f"Purpose: {parsed.purpose}")
    if parsed.report_of:
        lines.append(f"Report of: {parsed.report_of}")
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
    if parsed.reasons:
        lines.append(f"Reasons for the decision (kept at the end of the minutes): {parsed.reasons}")
    if parsed.truncated:
        lines.append("The text was cut short on the page it came from: paste the full minute if you have it.")
    i = parsed.inspection
    if i is not None:
        dates = precise_range(
            i.fieldwork_start, i.fieldwork_start_precision, i.fieldwork_end, i.fieldwork_end_precision
        )
        lines.append(
            f"Inspection: {i.inspectorate.label} {i.activity.label.lower()}"
            + (f", {dates}" if dates else "")
            + (f", {i.inspectors} inspectors" if i.inspectors else "")
            + f"; judgement: {i.judgement.label}"
        )
        if i.previous_judgement:
            when = precise_date(i.previous_date, i.previous_date_precision)
            lines.append(f"  Previous judgement: {i.previous_judgement.label} {when}".rstrip())
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
        self.facts = QTreeWidget()
        self.facts.setObjectName("pasteFacts")
        self.facts.setAccessibleName("Inspection facts found, with the sentence each came from")
        self.facts.setRootIsDecorated(False)
        self.facts.setWordWrap(True)
        self.facts.setHeaderLabels(["Fact", "Found", "Source"])
        self.facts.hide()  # until the text is read and an inspection is found
        self.parsed: ParsedMinutes | None = None
        found = QSplitter(Qt.Orientation.Vertical)
        found.addWidget(self.preview)
        found.addWidget(self.facts)
        splitter = QSplitter()
        splitter.addWidget(self.source)
        splitter.addWidget(found)
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
        self.facts.clear()
        for fact, value, source in inspection_facts(self.parsed):
            row = QTreeWidgetItem([fact, value, source or "(not tied to one sentence)"])
            for column in range(3):
                row.setToolTip(column, source or value)
            self.facts.addTopLevelItem(row)
        self.facts.setVisible(self.facts.topLevelItemCount() > 0)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.source.toPlainText().strip())
        )
        return self.parsed


def ask_pasted_minutes(parent: QWidget | None) -> ParsedMinutes | None:
    dialog = PasteDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.parsed or dialog.parse()
