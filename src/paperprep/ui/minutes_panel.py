"""The minute of one item: presenter, the minutes text, resolutions, the actions they create, and declarations."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
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

from paperprep import blocks as B
from paperprep.domain import ResolutionWording
from paperprep.ops import Changes, Done, Kind, Operation
from paperprep.ops.actions import AddAction, RemoveAction
from paperprep.ops.minutes import (
    AddDeclaration,
    AddResolution,
    RemoveDeclaration,
    RemoveResolution,
    SaveMinutesText,
    SetPresenter,
    UpdateResolution,
)
from paperprep.queries import meeting as Q
from paperprep.queries.meeting import DeclarationRow, ItemActionRow, ItemMinute, ResolutionRow
from paperprep.ui import dialogs, readonly, spelling, style, team
from paperprep.ui.context import EditState, MeetingContext, window_undo
from paperprep.ui.minutes_editor import MinutesEditor
from paperprep.ui.models import RowTableModel

SOURCE = "minutes"


class ResolutionModel(RowTableModel):
    headers = ("Wording", "Text", "Numbered parts")

    def display(self, row: ResolutionRow, column: int) -> Any:
        if column == 2:
            return " ".join(f"({n}) {p}" for n, p in enumerate(row.parts, start=1))
        return (row.keyword, row.text)[column]


class ItemActionModel(RowTableModel):
    headers = ("Ref", "Action", "Owner", "Due", "Status")

    def display(self, row: ItemActionRow, column: int) -> Any:
        return (row.reference, row.text, row.owner, row.due, row.status.label)[column]


class DeclarationModel(RowTableModel):
    headers = ("Member", "Interest", "Nature", "Outcome")

    def display(self, row: DeclarationRow, column: int) -> Any:
        return (row.person, row.type, row.nature, row.outcome)[column]


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
    style.fit_columns(table, stretch=1)
    table.verticalHeader().setVisible(False)
    return table


class MinutesPanel(QWidget):
    def __init__(self, context: MeetingContext) -> None:
        super().__init__()
        self.ctx = context
        self.setObjectName("minutesPanel")
        self.setAccessibleName("Minutes")
        self.item_id: int | None = None
        self._loading = False
        self._state: EditState | None = None  # the shown item's typed fields: minutes text and presenter
        self._choices: tuple[Q.ItemChoice, ...] = ()
        self._focus_mode = False
        self._approved = True  # the minute shown is of approved minutes (or none is shown): locked

        self.item_picker = _named(QComboBox(), "minuteItem", "Item to minute")
        self.item_picker.activated.connect(self._picked)
        self.item_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item_picker.setMinimumContentsLength(24)
        self.locked_label = _named(QLabel(), "lockedLabel", "Locked")
        self.locked_label.setWordWrap(True)
        self.locked_label.hide()
        # Team mode: who else has this minute open (paperprep.ui.team); empty and hidden otherwise.
        self.presence_label = _named(QLabel(), "presenceLabel", "Also editing")
        self.presence_label.setWordWrap(True)
        self.presence_label.hide()
        self.presenter = _named(QLineEdit(), "presenterName", "Presenter")
        self.presenter.setPlaceholderText("e.g. Sue Butcher")
        self.presenter_role = _named(QLineEdit(), "presenterRole", "Presenter's role")
        self.presenter_role.setPlaceholderText("e.g. Director of Children's Services")
        self.presenter.textEdited.connect(lambda _t: self._schedule_presenter())
        self.presenter_role.textEdited.connect(lambda _t: self._schedule_presenter())
        # One line for the item and who presented it, so that the minutes text below has the height.
        picker = QHBoxLayout()
        item_label = QLabel("I&tem")
        item_label.setBuddy(self.item_picker)
        picker.addWidget(item_label)
        picker.addWidget(self.item_picker, 3)
        self.presenter_box = QWidget()
        who = QHBoxLayout(self.presenter_box)
        who.setContentsMargins(0, 0, 0, 0)
        presenter_label = QLabel("Pre&senter")
        presenter_label.setBuddy(self.presenter)
        who.addWidget(presenter_label)
        who.addWidget(self.presenter, 2)
        who.addWidget(self.presenter_role, 2)
        picker.addWidget(self.presenter_box, 4)

        self.editor = MinutesEditor()
        self.editor.blocksChanged.connect(self._schedule_body)
        self.toolbar = _named(QToolBar("Minutes formatting"), "minutesToolbar", "Minutes formatting")
        for action in self.editor.formatting_actions():
            self.toolbar.addAction(action)
        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(2)
        heading = QHBoxLayout()
        # Not "&Minutes": Alt+M is the Meeting menu's, on every tab.
        self.minutes_label = QLabel("Minute &body")
        self.minutes_label.setObjectName("minutesHeading")
        font = self.minutes_label.font()
        font.setBold(True)
        self.minutes_label.setFont(font)
        self.minutes_label.setBuddy(self.editor)
        heading.addWidget(self.minutes_label)
        heading.addWidget(self.toolbar, 1)
        editor_layout.addLayout(heading)
        editor_layout.addWidget(self.editor, 1)

        self.tabs = _named(QTabWidget(), "minuteTabs", "Decisions, actions and declarations")
        self.tabs.addTab(self._resolutions_tab(), "&Resolutions")
        self.tabs.addTab(self._actions_tab(), "A&ctions")
        self.tabs.addTab(self._declarations_tab(), "&Declarations")
        self.extra_tabs: list[QWidget] = []

        # The minutes text takes most of the height; the resolutions and the rest sit below a handle that
        # remembers where the clerk left it (ui.settings.MINUTES_SPLITTER) and can be pulled right down.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("minutesSplitter")
        self.splitter.addWidget(editor_box)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, True)
        self.splitter.setSizes([700, 220])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(picker)
        layout.addWidget(self.locked_label)
        layout.addWidget(self.presence_label)
        layout.addWidget(self.splitter, 1)
        window_undo(
            self.presenter,
            self.presenter_role,
            self.editor,
            self.resolution_text,
            self.resolution_parts,
            self.action_text,
            self.action_owner,
        )
        for text_field in (self.editor, self.resolution_text, self.resolution_parts, self.action_text):
            spelling.attach(text_field, self.ctx.store)
        self._set_locked(True)
        self.ctx.store.changed.connect(self._changed)
        self.ctx.store.presenceChanged.connect(self._show_presence)
        readonly.follow(self.ctx.store, self, lambda: self._set_locked(self._approved))

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
        form.addRow("Reso&lution", self.resolution_text)
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
        self.add_action = _named(QPushButton("Add action"), "addAction", "Add action")
        self.remove_action = _named(QPushButton("Remove action"), "removeAction", "Remove action")
        self.add_action.clicked.connect(self.add_action_from_form)
        self.action_text.returnPressed.connect(self.add_action_from_form)
        self.remove_action.clicked.connect(self.remove_selected_action)
        form = QFormLayout()
        form.addRow("&Action", self.action_text)
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

    def set_focus_mode(self, on: bool) -> None:
        """Only the item's title and its minutes text (View > Focus on the minutes)."""
        self._focus_mode = on
        for widget in (self.presenter_box, self.toolbar, self.minutes_label, self.tabs):
            widget.setVisible(not on)
        self.locked_label.setVisible(bool(self.locked_label.text()) and not on)

    def add_extra_tab(self, widget: QWidget, title: str) -> None:
        """Room for more about an item (the inspection summary) without this panel knowing about it."""
        self.tabs.addTab(widget, title)
        self.extra_tabs.append(widget)

    # -- loading --------------------------------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        meeting_id = self.ctx.meeting_id
        if meeting_id is None:
            return
        if changes.touches_meeting(
            meeting_id,
            Kind.AGENDA,
            Kind.MINUTES,
            Kind.RESOLUTIONS,
            Kind.ACTIONS,
            Kind.DECLARATIONS,
            Kind.ATTENDANCE,  # the apologies and substitutes items are written from the attendance
            Kind.MEETINGS,
        ) or changes.touches(Kind.PEOPLE, Kind.COMMITTEES):
            self.reload()

    def reload(self) -> None:
        meeting_id = self.ctx.meeting_id
        choices = self.ctx.store.read(Q.minute_items, meeting_id) if meeting_id is not None else ()
        if choices != self._choices:
            self._choices = choices
            self.item_picker.clear()
            for choice in choices:
                self.item_picker.addItem(choice.label, choice.id)
        ids = [c.id for c in choices]
        self.show_item(self.item_id if self.item_id in ids else (ids[0] if ids else None))

    def _picked(self, index: int) -> None:
        self.show_item(self.item_picker.itemData(index))

    def show_item(self, item_id: int | None) -> None:
        """Show the minute of this item: afresh for another item, brought up to date for the same one."""
        if item_id != self.item_id:
            self.ctx.store.autosaver.flush()  # the editor is about to show another item: save this one first
        self.item_id = item_id
        minute = self.ctx.store.read(Q.item_minute, item_id) if item_id is not None else None
        self._loading = True
        try:
            index = self.item_picker.findData(item_id) if item_id is not None else -1
            if index >= 0 and index != self.item_picker.currentIndex():
                self.item_picker.setCurrentIndex(index)
            if minute is None:
                self.item_id = None
                self._state = None
                self.editor.set_blocks(())
                self.presenter.clear()
                self.presenter_role.clear()
                for model in (self.resolutions, self.item_actions, self.declarations):
                    model.set_rows(())
                self._set_locked(True)
            else:
                self._show(minute)
        finally:
            self._loading = False
        for tab in self.extra_tabs:
            load = getattr(tab, "load_item", None)
            if load is not None:
                load(self.item_id)
        self.ctx.store.set_editing(self.item_id)
        self._show_presence()

    def _show_presence(self) -> None:
        line = team.presence_line(self.ctx.store.editors(self.item_id))
        if line != self.presence_label.text():
            self.presence_label.setText(line)
        self.presence_label.setVisible(bool(line))

    @staticmethod
    def _values(minute: ItemMinute) -> dict[str, object]:
        return {"blocks": minute.blocks, "presenter": (minute.presenter, minute.role)}

    def _show(self, minute: ItemMinute) -> None:
        values = self._values(minute)
        fresh = self._state is None or self._state.id != minute.item_id
        if fresh:
            self._state = EditState(minute.item_id, minute.version, values)
            show = {"blocks", "presenter"}
        else:
            assert self._state is not None
            show = self._state.refresh(minute.version, values)
        self._put(minute, show, keep_cursor=not fresh)
        self.resolutions.set_rows(minute.resolutions)
        self.item_actions.set_rows(minute.actions)
        self.declarations.set_rows(minute.declarations)
        self._set_locked(minute.locked)

    def _put(self, minute: ItemMinute, fields: set[str], keep_cursor: bool) -> None:
        if "blocks" in fields and self.editor.blocks() != minute.blocks:
            self.editor.set_blocks(minute.blocks, keep_cursor=keep_cursor)
        if "presenter" in fields:
            for line, text in ((self.presenter, minute.presenter), (self.presenter_role, minute.role)):
                if line.text() != text:
                    position = line.cursorPosition()
                    line.setText(text)
                    line.setCursorPosition(min(position, len(text)) if keep_cursor else len(text))

    def _set_locked(self, approved: bool) -> None:
        """Approved minutes are locked; on a connection that may only read, every minute is (the window's bar
        says why). Read-only text can still be selected and copied."""
        self._approved = approved
        locked = approved or bool(self.ctx.store.read_only)
        has_item = self.item_id is not None
        for field in (self.editor, self.presenter, self.presenter_role, self.toolbar, self.tabs):
            field.setEnabled(has_item)  # nothing can be typed when no item is shown
        readonly.set_editable(
            not locked,
            self.editor,
            self.presenter,
            self.presenter_role,
            self.wording,
            self.resolution_text,
            self.resolution_parts,
            self.action_text,
            self.action_owner,
            self.action_due,
            self.action_no_due,
        )
        self.locked_label.setText(
            "Approved: locked (Meeting > Reopen minutes to change)" if approved and has_item else ""
        )
        self.locked_label.setVisible(bool(self.locked_label.text()) and not self._focus_mode)
        for w in (
            self.add_resolution,
            self.update_resolution,
            self.remove_resolution,
            self.add_action,
            self.remove_action,
            self.add_declaration,
            self.remove_declaration,
        ):
            w.setEnabled(has_item and not locked)

    # -- saving ---------------------------------------------------------------------------------------------

    def _schedule_body(self) -> None:
        state = self._state
        if self._loading or state is None or state.id != self.item_id:
            return
        blocks = self.editor.blocks()
        state.edited("blocks")
        self.ctx.store.autosaver.schedule(
            f"body:{state.id}",
            lambda: self._save(state, "blocks", blocks, SaveMinutesText(state.id, blocks)),
        )

    def _schedule_presenter(self) -> None:
        state = self._state
        if self._loading or state is None or state.id != self.item_id:
            return
        name, role = self.presenter.text(), self.presenter_role.text()
        state.edited("presenter")
        self.ctx.store.autosaver.schedule(
            f"presenter:{state.id}",
            lambda: self._save(state, "presenter", (name, role), SetPresenter(state.id, name, role)),
        )

    def _save(self, state: EditState, field: str, value: object, op: SaveMinutesText | SetPresenter) -> bool:
        store = self.ctx.store
        # A stale minute text (saved meanwhile by another clerk, or another window on the same file): both
        # versions, and the clerk's choice (paperprep.ui.team).
        resolves = isinstance(op, SaveMinutesText)

        def run(version: int | None) -> int | None:
            done = store.run(
                replace(op, read_version=version), source=SOURCE, parent=self, flush=False, conflicts=resolves
            )
            return done.result if done is not None else None

        if state.save(field, value, run):
            return True
        conflict = resolves and store.conflict()
        minute = store.read(Q.item_minute, state.id)
        if minute is None:
            return True  # the item is gone (the clerk has been told): there is nothing left to save to
        if conflict and isinstance(op, SaveMinutesText):
            return self._resolve(state, op.blocks, minute)
        show = state.adopt(minute.version, self._values(minute))
        if state is self._state:
            self._put_quietly(minute, show)
        return False

    def _put_quietly(self, minute: ItemMinute, show: set[str]) -> None:
        """Show the minute as stored without the editors' change signals counting as the clerk's typing."""
        self._loading = True
        try:
            self._put(minute, show, keep_cursor=True)
        finally:
            self._loading = False

    def _resolve(self, state: EditState, mine: tuple[B.Block, ...], minute: ItemMinute) -> bool:
        """The minute text was saved elsewhere since the clerk's version was read: show both, and do what the clerk
        chooses. Keep mine and merge save over the version now stored (stating it); take theirs shows it and puts
        the clerk's text on the clipboard. Closing the dialog keeps the clerk's text on screen, unsaved."""
        store = self.ctx.store
        label = next((c.label for c in self._choices if c.id == state.id), "")
        conflict = team.Conflict(
            f"the minute of {label}" if label else "this minute",
            mine,
            minute.blocks,
            store.changed_by(Kind.MINUTES, state.id),
        )
        answer = team.ask_conflict(self, conflict)
        values = self._values(minute)
        current = state is self._state
        if answer is None:
            show = state.adopt(minute.version, values)
            if current:
                self._put_quietly(minute, show)
            return False
        if answer.choice is team.Choice.THEIRS:
            QGuiApplication.clipboard().setText(team.clipboard_text(mine))
            state.dirty.discard("blocks")
            state.adopt(minute.version, values)
            if current:
                self._loading = True
                try:
                    self._put(minute, {"blocks"}, keep_cursor=True)
                finally:
                    self._loading = False
            store.autosaver.fail("")
            return True
        chosen = answer.text if not isinstance(answer.text, str) else B.from_plain_text(answer.text)
        state.adopt(minute.version, values)  # the next save states the version now stored
        if current and chosen != self.editor.blocks():
            self._loading = True
            try:
                self.editor.set_blocks(chosen, keep_cursor=True)
            finally:
                self._loading = False

        def run(version: int | None) -> int | None:
            done = store.run(
                SaveMinutesText(state.id, chosen, read_version=version), source=SOURCE, parent=self, flush=False
            )
            return done.result if done is not None else None

        return state.save("blocks", chosen, run)

    def body_blocks(self) -> tuple[B.Block, ...]:
        return self.editor.blocks()

    def _run(self, op: Operation[Any]) -> Done[Any] | None:
        return self.ctx.store.run(op, source=SOURCE, parent=self)

    # -- resolutions ----------------------------------------------------------------------------------------

    def _form_resolution(self) -> tuple[ResolutionWording, str, tuple[str, ...]]:
        parts = tuple(p.strip() for p in self.resolution_parts.toPlainText().splitlines() if p.strip())
        return ResolutionWording(self.wording.currentData()), self.resolution_text.text().strip(), parts

    def _resolution_selected(self) -> None:
        index = self.resolution_table.currentIndex()
        if not index.isValid() or not 0 <= index.row() < len(self.resolutions.rows):
            return
        row: ResolutionRow = self.resolutions.rows[index.row()]
        self.wording.setCurrentIndex(max(0, self.wording.findData(row.wording.value)))
        self.resolution_text.setText(row.text)
        self.resolution_parts.setPlainText("\n".join(row.parts))

    def add_resolution_from_form(self) -> None:
        if self.item_id is None:
            return
        wording, text, parts = self._form_resolution()
        if not text and not parts:
            dialogs.show_error(
                self, "Type the words of the resolution first, e.g. 'to note the information'."
            )
            return
        if self._run(AddResolution(self.item_id, wording, text, parts)) is not None:
            self.resolution_text.clear()
            self.resolution_parts.clear()

    def update_selected_resolution(self) -> None:
        index = self.resolution_table.currentIndex()
        if not index.isValid():
            dialogs.show_error(self, "Select the resolution to update in the list first.")
            return
        row: ResolutionRow = self.resolutions.rows[index.row()]
        wording, text, parts = self._form_resolution()
        self._run(UpdateResolution(row.id, wording, text, parts, read_version=row.version))

    def remove_selected_resolution(self) -> None:
        index = self.resolution_table.currentIndex()
        if index.isValid():
            self._run(RemoveResolution(self.resolutions.rows[index.row()].id))

    # -- actions --------------------------------------------------------------------------------------------

    def add_action_from_form(self) -> None:
        if self.item_id is None:
            return
        text = self.action_text.text().strip()
        if not text:
            dialogs.show_error(self, "Type what is to be done before adding the action.")
            return
        day = self.action_due.date().toPython()
        due = day if not self.action_no_due.isChecked() and isinstance(day, dt.date) else None
        resolution_id = self.resolutions.rows[-1].id if self.resolutions.rows else None
        op = AddAction(self.item_id, text, self.action_owner.text().strip(), due, resolution_id)
        if self._run(op) is not None:
            self.action_text.clear()

    def remove_selected_action(self) -> None:
        index = self.action_table.currentIndex()
        if index.isValid():
            self._run(RemoveAction(self.item_actions.rows[index.row()].id))

    # -- declarations ---------------------------------------------------------------------------------------

    def ask_declaration(self) -> None:
        """One form: the member, the type and nature of the interest, the item, and what the member did."""
        from paperprep.ui import declaration_dialog

        item_id, meeting_id = self.item_id, self.ctx.meeting_id
        if item_id is None or meeting_id is None:
            return
        members = self.ctx.store.read(Q.declaration_people, meeting_id)
        items = self.ctx.store.read(Q.minute_items, meeting_id)
        answer = declaration_dialog.ask_declaration(self, members, items, item_id)
        if answer is None:
            return
        self._run(
            AddDeclaration(
                meeting_id, answer.person_id, answer.type, answer.nature, answer.item_id, answer.outcome
            )
        )

    def remove_selected_declaration(self) -> None:
        index = self.declaration_table.currentIndex()
        if index.isValid():
            self._run(RemoveDeclaration(self.declarations.rows[index.row()].id))
