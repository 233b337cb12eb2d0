"""Small modal questions, each behind a module-level function so that tests can answer them without exec()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import SCHEDULE_12A_PARAGRAPHS, CommitteeKind, NumberingScheme
from paperprep.ui.date_edit import DateEdit


def show_error(parent: QWidget | None, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "paperprep", text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # a path can be copied
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def fit_title(dialog: QWidget) -> None:
    """Wide enough that the window manager need not cut the title short ("Officer\u2026dance")."""
    title = dialog.windowTitle()
    # The title bar's own buttons and margins take about 160 pixels beside the text.
    dialog.setMinimumWidth(
        max(dialog.minimumWidth(), dialog.fontMetrics().horizontalAdvance(title) + 160, 360)
    )


def _input(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    fit_title(dialog)
    return dialog


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    dialog = _input(parent, title, label)
    dialog.setTextValue(text)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_multiline(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    dialog = _input(parent, title, label)
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    dialog.setTextValue(text)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_open_file(parent: QWidget | None, title: str, folder: str, filter: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, folder, filter)
    return Path(name) if name else None


def choose_save_file(parent: QWidget | None, title: str, suggested: str, filter: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter)
    return Path(name) if name else None


def _buttons(dialog: QDialog, layout: QVBoxLayout | QFormLayout) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    if isinstance(layout, QFormLayout):
        layout.addRow(buttons)
    else:
        layout.addWidget(buttons)


def ask_paragraphs(
    parent: QWidget | None,
    current_title: str,
    paragraphs: Sequence[int] = (),
    public_title: str = "",
) -> tuple[tuple[int, ...], str] | None:
    """Which Schedule 12A paragraphs make the item exempt, and the neutral title the public sees.

    Opened again on an exempt item, it shows what is stored. OK with no paragraph ticked says so inside the dialog
    and keeps everything typed, rather than closing.
    """
    dialog = QDialog(parent)
    dialog.setObjectName("partBDialog")
    dialog.setWindowTitle("Part B (exempt)")
    fit_title(dialog)
    layout = QVBoxLayout(dialog)
    heading = QLabel(f"<b>{escape(current_title)}</b>")
    heading.setWordWrap(True)
    layout.addWidget(heading)
    layout.addWidget(
        QLabel("Exempt under Schedule 12A to the Local Government Act 1972, Part 1, paragraph(s):")
    )
    boxes = []
    for number, text in SCHEDULE_12A_PARAGRAPHS.items():
        box = QCheckBox(f"{number}. {text}")
        box.setObjectName(f"paragraph{number}")
        box.setAccessibleName(f"Paragraph {number}")
        box.setChecked(number in paragraphs)
        layout.addWidget(box)
        boxes.append((number, box))
    caption = QLabel("Title the &public will see in public papers:")
    layout.addWidget(caption)
    title = QLineEdit(public_title)
    title.setObjectName("publicTitle")
    title.setAccessibleName("Public title")
    title.setPlaceholderText("e.g. Children's home: contract award (left blank: \u201cExempt item\u201d)")
    caption.setBuddy(title)
    layout.addWidget(title)
    warning = QLabel("")
    warning.setObjectName("partBWarning")
    warning.setWordWrap(True)
    warning.setStyleSheet("color: #b00020;")
    layout.addWidget(warning)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.rejected.connect(dialog.reject)

    def accept() -> None:
        if not any(box.isChecked() for _n, box in boxes):
            warning.setText("Tick at least one paragraph of Schedule 12A: it is what makes the item exempt.")
            return
        dialog.accept()

    buttons.accepted.connect(accept)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = tuple(n for n, box in boxes if box.isChecked())
    return chosen, title.text()


def ask_new_meeting(
    parent: QWidget | None, committees: list[tuple[int, str]], default_committee: int | None
) -> tuple[int, dt.date, dt.time, str] | None:
    dialog = QDialog(parent)
    dialog.setWindowTitle("New meeting")
    fit_title(dialog)
    form = QFormLayout(dialog)
    committee = QComboBox()
    committee.setObjectName("meetingCommittee")
    committee.setAccessibleName("Committee")
    for cid, name in committees:
        committee.addItem(name, cid)
    if default_committee is not None:
        committee.setCurrentIndex(max(0, committee.findData(default_committee)))
    date = DateEdit(QDate.currentDate().addDays(21))
    date.setObjectName("meetingDate")
    date.setAccessibleName("Meeting date")
    time = QTimeEdit()
    time.setDisplayFormat("HH:mm")
    time.setTime(time.time().fromString("18:30", "HH:mm"))
    time.setObjectName("meetingTime")
    time.setAccessibleName("Start time")
    venue = QLineEdit()
    venue.setObjectName("meetingVenue")
    venue.setAccessibleName("Venue")
    venue.setPlaceholderText("The committee's usual venue")
    form.addRow("&Committee", committee)
    form.addRow("&Date", date)
    form.addRow("&Time", time)
    form.addRow("&Venue", venue)
    _buttons(dialog, form)
    if dialog.exec() != QDialog.DialogCode.Accepted or committee.currentIndex() < 0:
        return None
    date.interpret()
    day = date.date().toPython()
    start = time.time().toPython()
    assert isinstance(day, dt.date) and isinstance(start, dt.time)
    return int(committee.currentData()), day, start, venue.text()


def ask_new_committee(
    parent: QWidget | None,
    current: tuple[str, str, CommitteeKind, NumberingScheme, int] | None = None,
) -> tuple[str, str, CommitteeKind, NumberingScheme, int] | None:
    """A committee's name, code, kind, numbering and year start: blank for a new one, or `current` to change."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("New committee" if current is None else "Committee settings")
    fit_title(dialog)
    form = QFormLayout(dialog)
    name = QLineEdit()
    name.setObjectName("committeeName")
    name.setAccessibleName("Committee name")
    code = QLineEdit()
    code.setObjectName("committeeCode")
    code.setAccessibleName("Short code")
    code.setMaxLength(16)
    kind = QComboBox()
    kind.setAccessibleName("Kind")
    for k in CommitteeKind:
        kind.addItem(k.label, k)
    numbering = QComboBox()
    numbering.setObjectName("committeeNumbering")
    numbering.setAccessibleName("Minute numbering")
    for scheme in NumberingScheme:
        numbering.addItem(scheme.label, scheme)
    month = QSpinBox()
    month.setRange(1, 12)
    month.setValue(5)
    month.setAccessibleName("Municipal year starts in month")
    form.addRow("&Name", name)
    form.addRow("Short &code (for references)", code)
    form.addRow("&Kind", kind)
    form.addRow("Minute &numbering", numbering)
    form.addRow("Municipal year starts in &month", month)
    if current is not None:
        name.setText(current[0])
        code.setText(current[1])
        kind.setCurrentIndex(max(0, kind.findData(current[2])))
        numbering.setCurrentIndex(max(0, numbering.findData(current[3])))
        month.setValue(current[4])
    _buttons(dialog, form)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return name.text(), code.text(), kind.currentData(), numbering.currentData(), month.value()


FIRST_RUN_GUIDE = (
    "<p><b>Welcome to paperprep.</b></p>"
    "<p>paperprep keeps your committees, meetings, agendas, minutes and actions in one file on this computer, "
    "saved as you type and backed up every day.</p>"
    "<ol><li>Pick a meeting on the left, or make one with <i>Meeting &gt; New meeting</i> (Ctrl+N).</li>"
    "<li>Build the agenda: <i>Add standard items</i>, then reports and verbal updates.</li>"
    "<li>On the day, record attendance; afterwards write each minute and its resolution.</li>"
    "<li>Export the agenda and minutes to Word, and the action log to Excel, from the <i>Export</i> menu.</li></ol>"
    "<p>Would you like to explore with demo data (a fictional council), or start with an empty database?</p>"
)


def ask_first_run(parent: QWidget | None) -> bool:
    """True to load the demo data, False to start empty."""
    box = QMessageBox(parent)
    box.setObjectName("firstRunBox")
    box.setWindowTitle("Welcome to paperprep")
    box.setTextFormat(box.textFormat().RichText)
    box.setText(FIRST_RUN_GUIDE)
    demo = box.addButton("Load &demo data", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Start &empty", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(demo)
    box.exec()
    return box.clickedButton() is demo


def ask_choice(
    parent: QWidget | None, title: str, label: str, options: list[str], current: int = 0
) -> int | None:
    """The index of the option the clerk picks, or None."""
    if not options:
        return None
    dialog = _input(parent, title, label)
    dialog.setComboBoxItems(options)
    dialog.setComboBoxEditable(False)
    dialog.setTextValue(options[min(max(current, 0), len(options) - 1)])
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    value = dialog.textValue()
    return options.index(value) if value in options else None


def offer_open(parent: QWidget | None, path: Path, warnings: list[str]) -> str:
    """After an export: "open", "folder" or "" (close). Warnings (a missing style...) are listed."""
    box = QMessageBox(parent)
    box.setObjectName("exportDoneBox")
    box.setWindowTitle("Export finished")
    text = f"Written {path.name} in {path.parent}."
    if warnings:
        text += "\n\nWarnings:\n" + "\n".join(f"\u2022 {w}" for w in warnings)
    box.setText(text)
    open_button = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
    folder_button = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    clicked = box.clickedButton()
    return "open" if clicked is open_button else "folder" if clicked is folder_button else ""


def ask_apply_import(parent: QWidget | None, preview: str, conflicts: int) -> str:
    """The import preview. Returns "apply", "apply_theirs" (officers' values win conflicts) or "" to cancel."""
    dialog = QDialog(parent)
    dialog.setObjectName("importPreview")
    dialog.setWindowTitle("Import officers' updates")
    fit_title(dialog)
    layout = QVBoxLayout(dialog)
    text = QPlainTextEditReadOnly(preview)
    layout.addWidget(QLabel("These changes will be made in one step. Check them before applying:"))
    layout.addWidget(text)
    buttons = QDialogButtonBox()
    apply = buttons.addButton("&Apply", QDialogButtonBox.ButtonRole.AcceptRole)
    theirs = buttons.addButton(
        "Apply, using the &officers' values in conflicts", QDialogButtonBox.ButtonRole.ActionRole
    )
    theirs.setVisible(conflicts > 0)
    buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    choice = {"value": ""}

    def chose(value: str) -> None:
        choice["value"] = value
        dialog.accept()

    apply.clicked.connect(lambda: chose("apply"))
    theirs.clicked.connect(lambda: chose("apply_theirs"))
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(760, 460)
    dialog.exec()
    return choice["value"]


def QPlainTextEditReadOnly(text: str) -> QWidget:  # noqa: N802 - reads like the widget it makes
    from PySide6.QtWidgets import QPlainTextEdit

    edit = QPlainTextEdit(text)
    edit.setReadOnly(True)
    edit.setObjectName("importPreviewText")
    edit.setAccessibleName("Changes to import")
    return edit


def ask_meeting_details(parent: QWidget | None, details: dict[str, object]) -> dict[str, object] | None:
    """Date, times, venue, contact officer and the first minute number of a meeting."""
    dialog = QDialog(parent)
    dialog.setObjectName("meetingDetails")
    dialog.setWindowTitle("Meeting details")
    fit_title(dialog)
    form = QFormLayout(dialog)
    day = details["date"]
    assert isinstance(day, dt.date)
    date = DateEdit(day)
    date.setObjectName("detailsDate")
    date.setAccessibleName("Meeting date")

    def time_edit(name: str, accessible: str, value: object) -> tuple[QCheckBox, QTimeEdit]:
        known = QCheckBox()
        known.setObjectName(f"{name}Known")
        known.setAccessibleName(f"{accessible} known")
        edit = QTimeEdit()
        edit.setDisplayFormat("HH:mm")
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        if isinstance(value, dt.time):
            edit.setTime(edit.time().fromString(value.strftime("%H:%M"), "HH:mm"))
        known.setChecked(isinstance(value, dt.time))
        edit.setEnabled(known.isChecked())
        known.toggled.connect(edit.setEnabled)
        return known, edit

    start_known, start = time_edit("detailsStart", "Start time", details.get("start_time"))
    close_known, close = time_edit("detailsClose", "Time the meeting closed", details.get("close_time"))
    venue = QLineEdit(str(details.get("venue") or ""))
    venue.setObjectName("detailsVenue")
    venue.setAccessibleName("Venue")
    contact = QLineEdit(str(details.get("contact_officer") or ""))
    contact.setObjectName("detailsContact")
    contact.setAccessibleName("Contact officer")
    first = QSpinBox()
    first.setObjectName("detailsFirstNumber")
    first.setAccessibleName("First minute number")
    first.setRange(0, 9999)
    first.setSpecialValueText("Follow on from the previous meeting")
    first.setValue(int(details.get("first_minute_number") or 0))  # type: ignore[call-overload]
    for label, left, right in (
        ("&Date", date, None),
        ("&Start", start_known, start),
        ("&Closed at", close_known, close),
    ):
        if right is None:
            form.addRow(label, left)
        else:
            row = QWidget()
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(left)
            layout.addWidget(right, 1)
            form.addRow(label, row)
    form.addRow("&Venue", venue)
    form.addRow("Contact &officer", contact)
    form.addRow("&First minute number", first)
    _buttons(dialog, form)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    date.interpret()
    start_value = start.time().toPython() if start_known.isChecked() else None
    close_value = close.time().toPython() if close_known.isChecked() else None
    return {
        "date": date.date().toPython(),
        "start_time": start_value,
        "close_time": close_value,
        "venue": venue.text().strip(),
        "contact_officer": contact.text().strip(),
        "first_minute_number": first.value() or None,
    }
