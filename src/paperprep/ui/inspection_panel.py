"""The inspection summary of an item: the facts, the judgements by area, and the findings as editable lists.

Every change is saved by the autosaver like the minutes text, stating the version of the summary the panel last
read or saved. "Create actions from areas for improvement" makes one action per area that has none yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import (
    ILACS_JUDGEMENT_AREAS,
    InspectionActivity,
    InspectionFramework,
    Inspectorate,
    Judgement,
)
from paperprep.formats import parse_uk_date, uk_date
from paperprep.ops import Changes, Kind
from paperprep.ops.actions import ActionsFromFindings, InspectionData, RemoveInspection, SaveInspection
from paperprep.queries import meeting as Q
from paperprep.queries.meeting import DocumentRow, ItemInspection
from paperprep.records import JudgementRecord, NextStepRecord
from paperprep.ui import dialogs, readonly, spelling
from paperprep.ui.context import EditState, MeetingContext, window_undo

SOURCE = "inspection"


def _combo(name: str, accessible: str, values: Any, with_none: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    if with_none:
        combo.addItem("(none)", None)
    for value in values:
        combo.addItem(value.label, value.value)
    return combo


class OptionalDate(QWidget):
    """A date that may be unknown: a check box and a date picker."""

    def __init__(self, name: str, accessible: str) -> None:
        super().__init__()
        self.known = QCheckBox()
        self.known.setObjectName(f"{name}Known")
        self.known.setAccessibleName(f"{accessible} known")
        self.edit = QDateEdit(QDate.currentDate())
        self.edit.setObjectName(name)
        self.edit.setAccessibleName(accessible)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setEnabled(False)
        self.known.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.known)
        layout.addWidget(self.edit, 1)

    def value(self) -> dt.date | None:
        day = self.edit.date().toPython()
        return day if self.known.isChecked() and isinstance(day, dt.date) else None

    def set_value(self, day: dt.date | None) -> None:
        self.known.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(QDate(day.year, day.month, day.day))


class PreciseDate(OptionalDate):
    """A date that may be unknown, or known only to the month ("May 2021") or the year."""

    FORMATS = {"day": "dd/MM/yyyy", "month": "MMMM yyyy", "year": "yyyy"}

    def __init__(self, name: str, accessible: str) -> None:
        super().__init__(name, accessible)
        self.precision = QComboBox()
        self.precision.setObjectName(f"{name}Precision")
        self.precision.setAccessibleName(f"{accessible}: known to the")
        for label, value in (("Day", "day"), ("Month only", "month"), ("Year only", "year")):
            self.precision.addItem(label, value)
        self.precision.setEnabled(False)
        self.known.toggled.connect(self.precision.setEnabled)
        self.precision.currentIndexChanged.connect(
            lambda _i: self.edit.setDisplayFormat(self.FORMATS[self.precision_value()])
        )
        layout = self.layout()
        if isinstance(layout, QHBoxLayout):
            layout.addWidget(self.precision)

    def precision_value(self) -> str:
        return str(self.precision.currentData() or "day")

    def set_precise(self, day: dt.date | None, precision: str) -> None:
        self.set_value(day)
        self.precision.setCurrentIndex(max(0, self.precision.findData(precision)))


class OwnerAndDueDialog(QDialog):
    """Who is responsible for the actions made from the areas for improvement, and when they are due."""

    def __init__(self, parent: QWidget | None, owners: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionsFromAreasDialog")
        self.setWindowTitle("Actions from areas for improvement")
        self.owner = QComboBox()
        self.owner.setObjectName("actionsOwner")
        self.owner.setAccessibleName("Officer responsible")
        self.owner.setEditable(True)
        self.owner.addItems(owners or [])
        self.owner.setCurrentText("")
        self.due = OptionalDate("actionsDue", "Due date")
        form = QFormLayout(self)
        form.addRow(QLabel("One action is made for each area for improvement that has none yet."))
        owner_label = QLabel("&Officer responsible:")
        owner_label.setBuddy(self.owner)
        form.addRow(owner_label, self.owner)
        due_label = QLabel("&Due by:")
        due_label.setBuddy(self.due.known)
        form.addRow(due_label, self.due)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("actionsFromAreasButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def answer(self) -> tuple[str, dt.date | None]:
        return self.owner.currentText().strip(), self.due.value()


def ask_owner_and_due(
    parent: QWidget | None, owners: list[str] | None = None
) -> tuple[str, dt.date | None] | None:
    """The owner and due date of the actions made from the areas for improvement, or None (cancelled).
    Module-level so that tests can answer it."""
    dialog = OwnerAndDueDialog(parent, owners)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip(" \u2022-") for line in edit.toPlainText().splitlines() if line.strip(" \u2022-")]


class InspectionPanel(QWidget):
    def __init__(self, context: MeetingContext) -> None:
        super().__init__()
        self.ctx = context
        self.setObjectName("inspectionPanel")
        self.setAccessibleName("Inspection summary")
        self.item_id: int | None = None
        self._loading = False
        self._state: EditState | None = None  # the summary as last read or saved, field "data"
        self._documents: tuple[DocumentRow, ...] | None = None
        self._kept = InspectionData()
        self._item_locked = True  # the item shown is of approved minutes (or none is shown)
        self.enabled = QCheckBox("This item re&ports an inspection or visit")
        self.enabled.setObjectName("hasInspection")
        self.enabled.setAccessibleName("This item reports an inspection")
        self.enabled.toggled.connect(self._toggled)

        self.inspectorate = _combo("inspectorate", "Inspectorate", Inspectorate)
        self.framework = _combo("framework", "Framework", InspectionFramework)
        self.activity = _combo("activity", "Type of activity", InspectionActivity)
        self.service = QLineEdit()
        self.service.setObjectName("inspectedService")
        self.service.setAccessibleName("Service inspected")
        self.service.setPlaceholderText("e.g. Children's social care")
        self.start = PreciseDate("fieldworkStart", "Fieldwork start")
        self.end = PreciseDate("fieldworkEnd", "Fieldwork end")
        self.inspectors = QSpinBox()
        self.inspectors.setObjectName("inspectors")
        self.inspectors.setAccessibleName("Number of inspectors")
        self.inspectors.setRange(0, 99)
        self.inspectors.setSpecialValueText("Not known")
        self.scope = QLineEdit()
        self.scope.setObjectName("inspectionScope")
        self.scope.setAccessibleName("Scope or themes")
        self.published = OptionalDate("publishedOn", "Report published")
        self.overall = _combo("overallJudgement", "Overall judgement", Judgement)
        self.area_grades: list[tuple[str, QComboBox]] = []
        grid = QGridLayout()
        for row, area in enumerate(ILACS_JUDGEMENT_AREAS[1:]):
            combo = _combo(f"area{row}", area, Judgement, with_none=True)
            area_label = QLabel(area)
            area_label.setWordWrap(True)
            grid.addWidget(area_label, row, 0)
            grid.addWidget(combo, row, 1)
            self.area_grades.append((area, combo))
        self.previous_date = PreciseDate("previousDate", "Previous inspection date")
        self.previous = _combo("previousJudgement", "Previous judgement", Judgement, with_none=True)
        self.strengths = self._list("strengths", "Strengths, one per line")
        self.areas = self._list("areasForImprovement", "Areas for improvement, one per line")
        self.priority = self._list("priorityActions", "Priority actions, one per line (empty: none)")
        self.steps = self._list(
            "nextSteps", "Next steps, one per line; a date may follow a | : Next visit | 01/11/2022"
        )
        self.plan_due = PreciseDate("actionPlanDue", "Action plan due")
        self.display = QComboBox()
        self.display.setObjectName("inspectionDisplay")
        self.display.setAccessibleName("How the minutes print the summary")
        self.display.addItem("Show as a table (leaving out what the narrative states)", "table")
        self.display.addItem("Leave in the narrative (the table of facts only)", "narrative")
        self.letter = QComboBox()
        self.letter.setObjectName("inspectionLetter")
        self.letter.setAccessibleName("Inspection letter or report")
        self.make_actions = QPushButton("Create &actions from areas for improvement")
        self.make_actions.setObjectName("createActionsFromAreas")
        self.make_actions.setAccessibleName("Create actions from areas for improvement")
        self.make_actions.clicked.connect(self.create_actions)

        form = QFormLayout()
        for label, widget in (
            ("Inspectorate", self.inspectorate),
            ("Framework", self.framework),
            ("Activity", self.activity),
            ("Service", self.service),
            ("Fieldwork from", self.start),
            ("Fieldwork to", self.end),
            ("Inspectors", self.inspectors),
            ("Scope", self.scope),
            ("Published", self.published),
            ("Overall judgement", self.overall),
            ("Previous inspection", self.previous_date),
            ("Previous judgement", self.previous),
            ("Action plan due", self.plan_due),
            ("Letter or report", self.letter),
            ("In the minutes", self.display),
        ):
            form.addRow(label, widget)
        lists = QVBoxLayout()
        for label, list_edit in (
            ("Strengths", self.strengths),
            ("Areas for improvement", self.areas),
            ("Priority actions", self.priority),
            ("Next steps", self.steps),
        ):
            lists.addWidget(QLabel(label))
            lists.addWidget(list_edit)
        self.details = QWidget()
        details = QHBoxLayout(self.details)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(QLabel("Judgements by area"))
        left.addLayout(grid)
        details.addLayout(left, 1)
        details.addLayout(lists, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.details)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.enabled)
        top.addStretch()
        top.addWidget(self.make_actions)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        for widget in (
            self.letter,
            self.inspectorate,
            self.framework,
            self.activity,
            self.overall,
            self.previous,
            self.display,
            *(p.precision for p in (self.start, self.end, self.previous_date, self.plan_due)),
            *(c for _a, c in self.area_grades),
        ):
            widget.activated.connect(lambda _i: self._changed())
        for line in (self.service, self.scope):
            line.textEdited.connect(lambda _t: self._changed())
        for edit in (self.strengths, self.areas, self.priority, self.steps):
            edit.textChanged.connect(self._changed)
        self.inspectors.valueChanged.connect(lambda _v: self._changed())
        for optional in (self.start, self.end, self.published, self.previous_date, self.plan_due):
            optional.known.toggled.connect(lambda _c: self._changed())
            optional.edit.dateChanged.connect(lambda _d: self._changed())
        self.details.setEnabled(False)
        self.make_actions.setEnabled(False)
        self.enabled.setEnabled(False)
        window_undo(self.service, self.scope, self.strengths, self.areas, self.priority, self.steps)
        for text_field in (self.service, self.scope, self.strengths, self.areas, self.priority, self.steps):
            spelling.attach(text_field, self.ctx.store)
        self.ctx.store.changed.connect(self._store_changed)
        readonly.follow(self.ctx.store, self, self._follow_read_only)
        self._follow_read_only()

    @staticmethod
    def _list(name: str, accessible: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(accessible)
        edit.setTabChangesFocus(True)
        edit.setMaximumHeight(90)
        return edit

    # -- loading --------------------------------------------------------------------------------------------

    def _store_changed(self, changes: Changes) -> None:
        meeting_id = self.ctx.meeting_id
        if self.item_id is None or meeting_id is None:
            return
        if changes.touches_meeting(meeting_id, Kind.INSPECTIONS, Kind.DOCUMENTS, Kind.AGENDA, Kind.MEETINGS):
            self.load_item(self.item_id)

    def load_item(self, item_id: int | None) -> None:
        """Show this item's summary: afresh for another item, brought up to date for the same one."""
        if item_id != self.item_id:
            self.ctx.store.autosaver.flush()
        self.item_id = item_id
        found = self.ctx.store.read(Q.item_inspection, item_id) if item_id is not None else None
        self._loading = True
        try:
            if found is None:
                self.item_id = None
                self._state = None
                self._item_locked = True
                self.enabled.setChecked(False)
                self.enabled.setEnabled(False)
                self.details.setEnabled(False)
                self.make_actions.setEnabled(False)
                return
            self._apply(found, fresh=self._state is None or self._state.id != found.item_id)
        finally:
            self._loading = False

    @staticmethod
    def _values(found: ItemInspection) -> dict[str, object]:
        return {"data": InspectionData.from_record(found.record) if found.record is not None else None}

    def _apply(self, found: ItemInspection, fresh: bool) -> None:
        values = self._values(found)
        if fresh or self._state is None:
            self._state = EditState(found.item_id, found.version, values)
            show = {"data"}
        else:
            show = self._state.refresh(found.version, values)
        if fresh or found.documents != self._documents:
            chosen = self.letter.currentData()
            self.letter.clear()
            self.letter.addItem("(none: add the letter as a document on the Agenda tab)", None)
            for document in found.documents:
                self.letter.addItem(document.name, document.id)
            self.letter.setCurrentIndex(max(0, self.letter.findData(chosen)))
            self._documents = found.documents
        has = found.record is not None
        self._item_locked = found.locked
        self.enabled.setChecked(has)
        self.details.setEnabled(has and not found.locked)
        if "data" in show:
            data = values["data"]
            self._show(data if isinstance(data, InspectionData) else InspectionData())
        self._follow_read_only()

    def _fields(self) -> list[QWidget]:
        """Every field of the summary that the clerk changes, but the dates that may be unknown."""
        return [
            self.inspectorate,
            self.framework,
            self.activity,
            self.service,
            self.inspectors,
            self.scope,
            self.overall,
            self.previous,
            self.display,
            self.letter,
            self.strengths,
            self.areas,
            self.priority,
            self.steps,
            *(c for _a, c in self.area_grades),
        ]

    def _follow_read_only(self) -> None:
        """On a connection that may only read, the summary is shown but not changed: its text can be selected and
        copied, its choices are fixed. Approved minutes disable the whole summary, as before."""
        reason = self.ctx.store.read_only
        may_change = self.item_id is not None and not self._item_locked and not reason
        self.enabled.setEnabled(may_change)
        self.make_actions.setEnabled(may_change and self.enabled.isChecked())
        readonly.set_editable(not reason, *self._fields())
        for optional in (self.start, self.end, self.published, self.previous_date, self.plan_due):
            known = optional.known.isChecked()
            optional.known.setEnabled(not reason)
            optional.edit.setReadOnly(bool(reason))
            optional.edit.setEnabled(known)
            if isinstance(optional, PreciseDate):
                optional.precision.setEnabled(known and not reason)

    def _show(self, data: InspectionData) -> None:
        def pick(combo: QComboBox, value: Any) -> None:
            combo.setCurrentIndex(max(0, combo.findData(value.value if value is not None else None)))

        pick(self.inspectorate, data.inspectorate)
        pick(self.framework, data.framework)
        pick(self.activity, data.activity)
        pick(self.overall, data.overall)
        pick(self.previous, data.previous_judgement)
        grades = {j.area: j.grade for j in data.judgements}
        for area, combo in self.area_grades:
            pick(combo, grades.get(area))
        self.service.setText(data.service)
        self.scope.setText(data.scope)
        self.inspectors.setValue(data.inspectors or 0)
        self._kept = data  # the facts this panel does not show (inspectorates, flags) stay as they are
        self.start.set_precise(data.fieldwork_start, data.fieldwork_start_precision)
        self.end.set_precise(data.fieldwork_end, data.fieldwork_end_precision)
        self.published.set_value(data.published_on)
        self.previous_date.set_precise(data.previous_date, data.previous_date_precision)
        self.plan_due.set_precise(data.action_plan_due, data.action_plan_due_precision)
        self.display.setCurrentIndex(max(0, self.display.findData(data.display)))
        self.letter.setCurrentIndex(max(0, self.letter.findData(data.letter_attachment_id)))
        self.strengths.setPlainText("\n".join(data.strengths))
        self.areas.setPlainText("\n".join(data.areas_for_improvement))
        self.priority.setPlainText("\n".join(data.priority_actions))
        self.steps.setPlainText(
            "\n".join(f"{s.text} | {uk_date(s.due)}" if s.due else s.text for s in data.next_steps)
        )

    # -- saving ---------------------------------------------------------------------------------------------

    def data(self) -> InspectionData:
        steps = []
        for line in _lines(self.steps):
            text, _sep, when = line.partition("|")
            due = None
            if when.strip():
                try:
                    due = parse_uk_date(when)
                except ValueError:
                    text = line  # not a date: keep everything the clerk typed as the step
            steps.append(NextStepRecord(text.strip(), due))
        overall = Judgement(self.overall.currentData())
        judgements = (
            [JudgementRecord(ILACS_JUDGEMENT_AREAS[0], overall)]
            if overall is not Judgement.NOT_GRADED
            else []
        )
        judgements += [
            JudgementRecord(area, Judgement(c.currentData()))
            for area, c in self.area_grades
            if c.currentData()
        ]
        return replace(
            self._kept,
            inspectorate=Inspectorate(self.inspectorate.currentData()),
            framework=InspectionFramework(self.framework.currentData()),
            activity=InspectionActivity(self.activity.currentData()),
            service=self.service.text(),
            fieldwork_start=self.start.value(),
            fieldwork_end=self.end.value(),
            inspectors=self.inspectors.value() or None,
            scope=self.scope.text(),
            published_on=self.published.value(),
            overall=overall,
            judgements=judgements,
            previous_date=self.previous_date.value(),
            previous_judgement=Judgement(self.previous.currentData())
            if self.previous.currentData()
            else None,
            strengths=_lines(self.strengths),
            areas_for_improvement=_lines(self.areas),
            priority_actions=_lines(self.priority),
            next_steps=steps,
            action_plan_due=self.plan_due.value(),
            letter_attachment_id=self.letter.currentData(),
            fieldwork_start_precision=self.start.precision_value(),
            fieldwork_end_precision=self.end.precision_value(),
            previous_date_precision=self.previous_date.precision_value(),
            action_plan_due_precision=self.plan_due.precision_value(),
            display=str(self.display.currentData()),
        )

    def _changed(self) -> None:
        state = self._state
        if self._loading or state is None or state.id != self.item_id or not self.enabled.isChecked():
            return
        data = self.data()
        state.edited("data")
        self.ctx.store.autosaver.schedule(f"inspection:{state.id}", lambda: self._save(state, data))

    def _save(self, state: EditState, data: InspectionData) -> bool:
        def run(version: int | None) -> int | None:
            done = self.ctx.store.run(
                SaveInspection(state.id, data, read_version=version), source=SOURCE, parent=self, flush=False
            )
            return done.result if done is not None else None

        if state.save("data", data, run):
            return True
        found = self.ctx.store.read(Q.item_inspection, state.id)
        if found is None:
            return True  # the item is gone (the clerk has been told): there is nothing left to save to
        state.adopt(found.version, self._values(found))  # the clerk's entries stay on screen
        return False

    def _toggled(self, on: bool) -> None:
        if self._loading or self.item_id is None:
            return
        item_id = self.item_id
        if on:
            self.ctx.store.run(SaveInspection(item_id, self.data()), source=SOURCE, parent=self)
        elif dialogs.confirm(self, "Inspection summary", "Remove the inspection summary of this item?"):
            self.ctx.store.autosaver.drop(f"inspection:{item_id}")
            self.ctx.store.run(RemoveInspection(item_id), source=SOURCE, parent=self)
        self.load_item(item_id)  # as it is now, whatever was decided

    def create_actions(self) -> None:
        if self.item_id is None:
            return
        self.ctx.store.autosaver.flush()
        answer = ask_owner_and_due(self, self.ctx.store.read(Q.action_owners))
        if answer is None or self.item_id is None:
            return
        owner, due = answer
        done = self.ctx.store.run(ActionsFromFindings(self.item_id, owner, due), source=SOURCE, parent=self)
        if done is None:
            return
        status_bar = getattr(self.window(), "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(f"{done.result} actions created from the areas for improvement.", 8000)

    def sizeHint(self) -> Any:  # noqa: N802 - Qt's name
        return super().sizeHint().expandedTo(self.minimumSizeHint())
