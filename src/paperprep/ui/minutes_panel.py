"""The minute of one item: presenter, the minutes text, resolutions, the actions they create, and declarations."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.domain import DeclarationType, ResolutionWording
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.numbering import meeting_minute_ref
from paperprep.ui import commands, dialogs
from paperprep.ui.minutes_editor import MinutesEditor
from paperprep.ui.models import RowTableModel, uk_date

if TYPE_CHECKING:
    from paperprep.ui.workspace import MeetingWorkspace


class ResolutionModel(RowTableModel):
    headers = ("Wording", "Text", "Numbered parts")

    def display(self, row: tuple[int, str, str, list[str]], column: int) -> Any:
        if column == 2:
            return " ".join(f"({n}) {p}" for n, p in enumerate(row[3], start=1))
        return row[column + 1]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.UserRole + 1 and index.isValid():
            return self.rows[index.row()][0]
        return super().data(index, role)


class ItemActionModel(RowTableModel):
    headers = ("Ref", "Action", "Owner", "Due", "Status")

    def display(self, row: tuple[int, str, str, str, str, str], column: int) -> Any:
        return row[column + 1]


class DeclarationModel(RowTableModel):
    headers = ("Member", "Interest", "Nature")

    def display(self, row: tuple[int, str, str, str], column: int) -> Any:
        return row[column + 1]


def _named(widget: QWidget, name: str, accessible: str) -> Any:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def _table(model: RowTableModel, name: str, accessible: str) -> QTableView:
    table = _named(QTableView(), name, accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    return table


class MinutesPanel(QWidget):
    def __init__(self, workspace: MeetingWorkspace) -> None:
        super().__init__()
        self.ws = workspace
        self.setObjectName("minutesPanel")
        self.setAccessibleName("Minutes")
        self.item_id: int | None = None
        self._loading = False

        self.item_picker = _named(QComboBox(), "minuteItem", "Item to minute")
        self.item_picker.activated.connect(self._picked)
        self.locked_label = _named(QLabel(), "lockedLabel", "Locked")
        picker = QHBoxLayout()
        item_label = QLabel("&Item")
        item_label.setBuddy(self.item_picker)
        picker.addWidget(item_label)
        picker.addWidget(self.item_picker, 1)
        picker.addWidget(self.locked_label)

        self.presenter = _named(QLineEdit(), "presenterName", "Presenter")
        self.presenter.setPlaceholderText("e.g. Sue Butcher")
        self.presenter_role = _named(QLineEdit(), "presenterRole", "Presenter's role")
        self.presenter_role.setPlaceholderText("e.g. Director of Children's Services")
        self.presenter.textEdited.connect(lambda _t: self._schedule_presenter())
        self.presenter_role.textEdited.connect(lambda _t: self._schedule_presenter())
        who = QHBoxLayout()
        presenter_label = QLabel("Pre&senter")
        presenter_label.setBuddy(self.presenter)
        who.addWidget(presenter_label)
        who.addWidget(self.presenter, 1)
        who.addWidget(self.presenter_role, 1)

        self.editor = MinutesEditor()
        self.editor.blocksChanged.connect(self._schedule_body)
        self.toolbar = _named(QToolBar("Minutes formatting"), "minutesToolbar", "Minutes formatting")
        for action in self.editor.formatting_actions():
            self.toolbar.addAction(action)
        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(who)
        editor_layout.addWidget(self.toolbar)
        minutes_label = QLabel("&Minutes")
        minutes_label.setBuddy(self.editor)
        editor_layout.addWidget(minutes_label)
        editor_layout.addWidget(self.editor)

        self.tabs = _named(QTabWidget(), "minuteTabs", "Decisions, actions and declarations")
        self.tabs.addTab(self._resolutions_tab(), "&Resolutions")
        self.tabs.addTab(self._actions_tab(), "Ac&tions")
        self.tabs.addTab(self._declarations_tab(), "&Declarations")
        self.extra_tabs: list[QWidget] = []

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("minutesSplitter")
        splitter.addWidget(editor_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addWidget(splitter)

    # -- building -------------------------------------------------------------------------------------------

    def _resolutions_tab(self) -> QWidget:
        tab = QWidget()
        self.resolutions = ResolutionModel(self)
        self.resolution_table = _table(self.resolutions, "resolutionTable", "Resolutions")
        self.resolution_table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._resolution_selected()
        )
        self.wording = _named(QComboBox(), "resolutionWording", "Wording")
        for wording in ResolutionWording:
            self.wording.addItem(wording.label, wording.value)
        self.resolution_text = _named(QLineEdit(), "resolutionText", "Resolution text")
        self.resolution_text.setPlaceholderText("to note the information   /   That")
        self.resolution_parts = _named(QPlainTextEdit(), "resolutionParts", "Numbered parts, one per line")
        self.resolution_parts.setTabChangesFocus(True)
        self.resolution_parts.setPlaceholderText("One numbered part per line: (1), (2)... are added for you")
        self.resolution_parts.setMaximumHeight(70)
        self.add_resolution = _named(QPushButton("&Add resolution"), "addResolution", "Add resolution")
        self.update_resolution = _named(QPushButton("&Update"), "updateResolution", "Update resolution")
        self.remove_resolution = _named(QPushButton("Remove"), "removeResolution", "Remove resolution")
        self.add_resolution.clicked.connect(self.add_resolution_from_form)
        self.resolution_text.returnPressed.connect(self.add_resolution_from_form)
        self.update_resolution.clicked.connect(self.update_selected_resolution)
        self.remove_resolution.clicked.connect(self.remove_selected_resolution)
        form = QFormLayout()
        form.addRow("&Wording", self.wording)
        form.addRow("Te&xt", self.resolution_text)
        form.addRow("&Parts", self.resolution_parts)
        buttons = QHBoxLayout()
        for b in (self.add_resolution, self.update_resolution, self.remove_resolution):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QHBoxLayout(tab)
        layout.addWidget(self.resolution_table, 1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(buttons)
        layout.addLayout(right, 1)
        return tab

    def _actions_tab(self) -> QWidget:
        tab = QWidget()
        self.item_actions = ItemActionModel(self)
        self.action_table = _table(self.item_actions, "itemActionTable", "Actions of this item")
        self.action_text = _named(QLineEdit(), "actionText", "Action")
        self.action_owner = _named(QLineEdit(), "actionOwner", "Owner")
        self.action_due = _named(QDateEdit(QDate.currentDate().addDays(28)), "actionDue", "Due date")
        self.action_due.setCalendarPopup(True)
        self.action_due.setDisplayFormat("dd/MM/yyyy")
        self.action_no_due = _named(QCheckBox("No due date"), "actionNoDue", "No due date")
        self.add_action = _named(QPushButton("Add a&ction"), "addAction", "Add action")
        self.remove_action = _named(QPushButton("Remove action"), "removeAction", "Remove action")
        self.add_action.clicked.connect(self.add_action_from_form)
        self.action_text.returnPressed.connect(self.add_action_from_form)
        self.remove_action.clicked.connect(self.remove_selected_action)
        form = QFormLayout()
        form.addRow("Acti&on", self.action_text)
        form.addRow("O&wner", self.action_owner)
        due = QHBoxLayout()
        due.addWidget(self.action_due)
        due.addWidget(self.action_no_due)
        form.addRow("D&ue", due)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_action)
        buttons.addWidget(self.remove_action)
        buttons.addStretch()
        layout = QHBoxLayout(tab)
        layout.addWidget(self.action_table, 1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(buttons)
        layout.addLayout(right, 1)
        return tab

    def _declarations_tab(self) -> QWidget:
        tab = QWidget()
        self.declarations = DeclarationModel(self)
        self.declaration_table = _table(self.declarations, "declarationTable", "Declarations of interest")
        self.add_declaration = _named(QPushButton("Add declaration..."), "addDeclaration", "Add declaration")
        self.remove_declaration = _named(
            QPushButton("Remove declaration"), "removeDeclaration", "Remove declaration"
        )
        self.add_declaration.clicked.connect(self.ask_declaration)
        self.remove_declaration.clicked.connect(self.remove_selected_declaration)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_declaration)
        buttons.addWidget(self.remove_declaration)
        buttons.addStretch()
        layout = QHBoxLayout(tab)
        layout.addWidget(self.declaration_table, 1)
        layout.addLayout(buttons)
        return tab

    def add_extra_tab(self, widget: QWidget, title: str) -> None:
        """Room for more about an item (the inspection summary) without this panel knowing about it."""
        self.tabs.addTab(widget, title)
        self.extra_tabs.append(widget)

    # -- loading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        meeting_id = self.ws.meeting_id
        self.item_picker.clear()
        if meeting_id is None:
            self.show_item(None)
            return

        def items(session: Session) -> list[tuple[int, str]]:
            meeting = M.get_meeting(session, meeting_id)
            return [
                (
                    i.id,
                    f"{meeting_minute_ref(meeting, i.minute_number)}. {i.title}"
                    + (" (Part B)" if i.is_exempt else ""),
                )
                for i in A.ordered_items(meeting)
            ]

        choices = self.ws.store.read(items)
        for item_id, label in choices:
            self.item_picker.addItem(label, item_id)
        ids = [c[0] for c in choices]
        self.show_item(self.item_id if self.item_id in ids else (ids[0] if ids else None))

    def _picked(self, index: int) -> None:
        self.show_item(self.item_picker.itemData(index))

    def show_item(self, item_id: int | None) -> None:
        if item_id != self.item_id:
            self.ws.autosaver.flush()  # the editor is about to show another item: save this one first
        self.item_id = item_id
        self._loading = True
        try:
            index = self.item_picker.findData(item_id) if item_id is not None else -1
            if index >= 0:
                self.item_picker.setCurrentIndex(index)
            if item_id is None:
                self.editor.set_blocks(())
                self.presenter.clear()
                self.presenter_role.clear()
                for model in (self.resolutions, self.item_actions, self.declarations):
                    model.set_rows([])
                self._set_locked(True)
                return
            self._load(item_id)
        finally:
            self._loading = False
        for tab in self.extra_tabs:
            load = getattr(tab, "load_item", None)
            if load is not None:
                load(item_id)

    def _load(self, item_id: int) -> None:
        def read(session: Session) -> dict[str, Any]:
            item = A.get_item(session, item_id)
            meeting = item.meeting
            ref = meeting_minute_ref(meeting, item.minute_number)
            return {
                "locked": meeting.is_locked,
                "blocks": MI.get_body(item),
                "presenter": item.presenter.name if item.presenter else item.presenter_name,
                "role": item.presenter_role or (item.presenter.title if item.presenter else ""),
                "resolutions": [
                    (r.id, r.keyword or r.wording.label, r.text, MI.resolution_parts(r))
                    for r in item.resolutions
                ],
                "actions": [
                    (
                        a.id,
                        f"{meeting.committee.code} {ref}/{a.number}",
                        a.text,
                        a.owner,
                        uk_date(a.due_date),
                        a.status.label,
                    )
                    for a in item.actions
                ],
                "declarations": [
                    (d.id, d.person.name, d.type.label, d.nature)
                    for d in meeting.declarations
                    if d.item_id == item_id
                ],
            }

        data = self.ws.store.read(read)
        if self.editor.blocks() != data["blocks"]:
            self.editor.set_blocks(data["blocks"])
        if self.presenter.text() != data["presenter"]:
            self.presenter.setText(data["presenter"])
        if self.presenter_role.text() != data["role"]:
            self.presenter_role.setText(data["role"])
        self.resolutions.set_rows(data["resolutions"])
        self.item_actions.set_rows(data["actions"])
        self.declarations.set_rows(data["declarations"])
        self._set_locked(data["locked"])

    def _set_locked(self, locked: bool) -> None:
        self.editor.setReadOnly(locked)
        self.presenter.setReadOnly(locked)
        self.presenter_role.setReadOnly(locked)
        self.locked_label.setText(
            "Approved: locked (Meeting > Reopen minutes to change)" if locked and self.item_id else ""
        )
        for w in (
            self.add_resolution,
            self.update_resolution,
            self.remove_resolution,
            self.add_action,
            self.remove_action,
            self.add_declaration,
            self.remove_declaration,
        ):
            w.setEnabled(not locked)

    # -- saving ---------------------------------------------------------------------------------------------

    def _schedule_body(self) -> None:
        if self._loading or self.item_id is None:
            return
        item_id, blocks = self.item_id, self.editor.blocks()
        self.ws.autosaver.schedule(
            f"body:{item_id}",
            lambda: self.ws.store.write(
                lambda s: MI.set_body(s, A.get_item(s, item_id), blocks), "minutes-text"
            ),
        )

    def _schedule_presenter(self) -> None:
        if self._loading or self.item_id is None:
            return
        item_id, name, role = self.item_id, self.presenter.text(), self.presenter_role.text()
        self.ws.autosaver.schedule(
            f"presenter:{item_id}",
            lambda: self.ws.store.write(
                lambda s: MI.set_presenter(s, A.get_item(s, item_id), None, name, role), "minutes-text"
            ),
        )

    def body_blocks(self) -> tuple[B.Block, ...]:
        return self.editor.blocks()

    # -- resolutions ----------------------------------------------------------------------------------------

    def _form_resolution(self) -> tuple[ResolutionWording, str, list[str]]:
        parts = [p.strip() for p in self.resolution_parts.toPlainText().splitlines() if p.strip()]
        return ResolutionWording(self.wording.currentData()), self.resolution_text.text().strip(), parts

    def _resolution_selected(self) -> None:
        index = self.resolution_table.currentIndex()
        if not index.isValid():
            return
        _rid, keyword, text, parts = self.resolutions.rows[index.row()]
        found = self.wording.findText(keyword)
        self.wording.setCurrentIndex(
            found if found >= 0 else self.wording.findData(ResolutionWording.OTHER.value)
        )
        self.resolution_text.setText(text)
        self.resolution_parts.setPlainText("\n".join(parts))

    def add_resolution_from_form(self) -> None:
        if self.item_id is None:
            return
        wording, text, parts = self._form_resolution()
        if not text and not parts:
            dialogs.show_error(
                self, "Type the words of the resolution first, e.g. 'to note the information'."
            )
            return
        self.ws.push(commands.AddResolution(self.ws.store, self.item_id, wording, text, parts))
        self.resolution_text.clear()
        self.resolution_parts.clear()

    def update_selected_resolution(self) -> None:
        index = self.resolution_table.currentIndex()
        if not index.isValid():
            dialogs.show_error(self, "Select the resolution to update in the list first.")
            return
        resolution_id = self.resolutions.rows[index.row()][0]
        wording, text, parts = self._form_resolution()
        self.ws.store.write(
            lambda s: MI.update_resolution(
                s, MI.get_resolution(s, resolution_id), wording=wording, text=text, parts=parts
            ),
            "minutes",
        )

    def remove_selected_resolution(self) -> None:
        index = self.resolution_table.currentIndex()
        if index.isValid():
            self.ws.push(commands.RemoveResolution(self.ws.store, self.resolutions.rows[index.row()][0]))

    # -- actions --------------------------------------------------------------------------------------------

    def add_action_from_form(self) -> None:
        if self.item_id is None:
            return
        text = self.action_text.text().strip()
        if not text:
            dialogs.show_error(self, "Type what is to be done before adding the action.")
            return
        due: dt.date | None = None if self.action_no_due.isChecked() else self.action_due.date().toPython()
        resolution_id = self.resolutions.rows[-1][0] if self.resolutions.rows else None
        self.ws.push(
            commands.AddAction(
                self.ws.store, self.item_id, text, self.action_owner.text(), due, resolution_id
            )
        )
        self.action_text.clear()

    def remove_selected_action(self) -> None:
        index = self.action_table.currentIndex()
        if index.isValid():
            self.ws.push(commands.RemoveAction(self.ws.store, self.item_actions.rows[index.row()][0]))

    # -- declarations ---------------------------------------------------------------------------------------

    def ask_declaration(self) -> None:
        item_id, meeting_id = self.item_id, self.ws.meeting_id
        if item_id is None or meeting_id is None:
            return

        def people(session: Session) -> list[tuple[int, str]]:
            meeting = M.get_meeting(session, meeting_id)
            ids = {m.person_id: m.person.name for m in C.members_on(meeting.committee, meeting.date)}
            ids.update({a.person_id: a.person.name for a in meeting.attendance})
            return sorted(ids.items(), key=lambda p: p[1])

        choices = self.ws.store.read(people)
        pick = dialogs.ask_choice(self, "Declaration of interest", "Member:", [name for _id, name in choices])
        if pick is None:
            return
        types = list(DeclarationType)
        kind = dialogs.ask_choice(
            self, "Declaration of interest", "Type of interest:", [t.label for t in types]
        )
        if kind is None:
            return
        nature = dialogs.ask_text(self, "Declaration of interest", "Nature of the interest:") or ""
        person_id = choices[pick][0]

        def write(session: Session) -> None:
            MI.add_declaration(
                session,
                M.get_meeting(session, meeting_id),
                C.get_person(session, person_id),
                types[kind],
                nature,
                A.get_item(session, item_id),
            )

        self.ws.store.write(write, "minutes")

    def remove_selected_declaration(self) -> None:
        index = self.declaration_table.currentIndex()
        if not index.isValid():
            return
        declaration_id = self.declarations.rows[index.row()][0]
        from paperprep.db.models import Declaration

        def write(session: Session) -> None:
            declaration = session.get(Declaration, declaration_id)
            if declaration is not None:
                MI.remove_declaration(session, declaration)

        self.ws.store.write(write, "minutes")
