"""The agenda: items in order with minute numbers and Part A / Part B, reordering, exempt items and documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import AttachmentKind, ItemKind
from paperprep.ops import Changes, Done, Kind, Operation
from paperprep.ops.agenda import (
    AddDocument,
    AddItem,
    AddStandardItems,
    ClearExempt,
    EditItem,
    MarkLate,
    MoveItem,
    RemoveItem,
    SetExempt,
    SetItemTopic,
)
from paperprep.queries import meeting as Q
from paperprep.queries.meeting import DocumentRow, ItemDetails
from paperprep.ui import dialogs, readonly, style, team
from paperprep.ui.context import EditState, MeetingContext, window_undo
from paperprep.ui.guide import open_path
from paperprep.ui.models import AgendaModel, AgendaRow, RowTableModel

SOURCE = "agenda"
_TEXT_FIELDS = ("title", "kind", "purpose", "report_of", "public_title")


class AttachmentModel(RowTableModel):
    headers = ("Document", "Kind", "Size")

    def display(self, row: DocumentRow, column: int) -> str:
        return (row.name, row.kind, row.size)[column]


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", ""))
    button.setToolTip(tip)
    return button


class AgendaPanel(QWidget):
    itemActivated = Signal(int)  # open this item's minutes

    def __init__(self, context: MeetingContext) -> None:
        super().__init__()
        self.ctx = context
        self._item: EditState | None = None  # the item whose details are shown
        self._details: ItemDetails | None = None
        self.setObjectName("agendaPanel")
        self.setAccessibleName("Agenda")
        self.model = AgendaModel(self)
        self.model.on_edit = self._rename
        self.model.on_move = self._move_to
        self.table = QTableView()
        self.table.setObjectName("agendaTable")
        self.table.setAccessibleName("Agenda items")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        style.fit_columns(self.table, stretch=2)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(self._activated)

        self.add_standard = _button(
            "Add &standard items", "addStandardItems", "Apologies, substitutes, declarations..."
        )
        self.add_report = _button("Add &report", "addReport", "Add a report (Ctrl+Shift+A)")
        self.add_verbal = _button("Add verba&l update", "addVerbalUpdate", "An item with no report")
        self.remove = _button("Remove", "removeItem", "Remove the selected item (Delete)")
        self.up = _button("Move &up", "moveUp", "Ctrl+Up")
        self.down = _button("Move do&wn", "moveDown", "Ctrl+Down")
        self.part_b = _button("Part &B (exempt)...", "moveToPartB", "Exempt under Schedule 12A")
        self.part_a = _button("Back to Part &A", "moveToPartA", "No longer exempt")
        buttons = QHBoxLayout()
        for b in (
            self.add_standard,
            self.add_report,
            self.add_verbal,
            self.remove,
            self.up,
            self.down,
            self.part_b,
            self.part_a,
        ):
            buttons.addWidget(b)
        buttons.addStretch()
        self.add_standard.clicked.connect(self.add_standard_items)
        self.add_report.clicked.connect(lambda: self.add_item(ItemKind.REPORT))
        self.add_verbal.clicked.connect(lambda: self.add_item(ItemKind.VERBAL_UPDATE))
        self.remove.clicked.connect(self.remove_selected)
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))
        self.part_b.clicked.connect(self.make_exempt)
        self.part_a.clicked.connect(self.make_public)
        for keys, slot in (
            ("Ctrl+Up", lambda: self.move_selected(-1)),
            ("Ctrl+Down", lambda: self.move_selected(1)),
            ("Delete", self.remove_selected),
            ("Return", self._open_current),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        # Details of the selected item
        self.title = QLineEdit()
        self.title.setObjectName("itemTitle")
        self.title.setAccessibleName("Item title")
        self.kind = QComboBox()
        self.kind.setObjectName("itemKind")
        self.kind.setAccessibleName("Item kind")
        for kind in ItemKind:
            self.kind.addItem(kind.label, kind.value)
        self.purpose = QPlainTextEdit()
        self.purpose.setObjectName("itemPurpose")
        self.purpose.setAccessibleName("Purpose")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setMaximumHeight(80)
        self.report_of = QLineEdit()
        self.report_of.setObjectName("itemReportOf")
        self.report_of.setAccessibleName("Report of")
        # What the public papers print instead of the title, while the item is in Part B.
        self.public_title = QLineEdit()
        self.public_title.setObjectName("itemPublicTitle")
        self.public_title.setAccessibleName("Public title")
        self.public_title.setPlaceholderText("Part B items only: the neutral title printed in public papers")
        self.public_title.setToolTip("What the public will see in place of the title while the item is exempt")
        self.title.textEdited.connect(lambda _t: self._schedule("title"))
        self.report_of.textEdited.connect(lambda _t: self._schedule("report_of"))
        self.public_title.textEdited.connect(lambda _t: self._schedule("public_title"))
        self.purpose.textChanged.connect(self._purpose_changed)
        self.kind.activated.connect(lambda _i: self._schedule("kind"))
        self.topic = QComboBox()
        self.topic.setObjectName("itemTopic")
        self.topic.setAccessibleName("Topic followed across meetings")
        self.topic.setEditable(True)
        self.topic.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        topic_line = self.topic.lineEdit()
        assert topic_line is not None
        topic_line.setPlaceholderText("e.g. Ofsted inspection of children's services")
        topic_line.editingFinished.connect(self._topic_chosen)
        self.topic.activated.connect(lambda _i: self._topic_chosen())
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("Public title", self.public_title)
        form.addRow("&Kind", self.kind)
        form.addRow("&Purpose", self.purpose)
        form.addRow("Report of", self.report_of)
        form.addRow("Topi&c", self.topic)

        self.attachments = AttachmentModel(self)
        self.attachment_table = QTableView()
        self.attachment_table.setObjectName("attachmentTable")
        self.attachment_table.setAccessibleName("Documents")
        self.attachment_table.setModel(self.attachments)
        self.attachment_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        style.fit_columns(self.attachment_table, stretch=0)
        self.attachment_table.verticalHeader().setVisible(False)
        self.attachment_table.setMaximumHeight(110)
        self.attachment_table.doubleClicked.connect(lambda _i: self.open_attachment())
        self.add_file = _button("Add &document...", "addAttachment", "Attach the report or an appendix")
        self.open_file = _button("Open document", "openAttachment", "Open the selected document")
        files = QHBoxLayout()
        files.addWidget(self.add_file)
        files.addWidget(self.open_file)
        files.addStretch()
        self.add_file.clicked.connect(self.add_attachment)
        self.open_file.clicked.connect(self.open_attachment)

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addLayout(form)
        details_layout.addWidget(self.attachment_table)
        details_layout.addLayout(files)
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("agendaSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setCollapsible(0, False)  # the details can be pulled right down; the sizes are remembered
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(splitter)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_details())
        self._loading = False
        self._agenda_published = False
        self.setTabOrder(self.table, self.title)
        window_undo(self.title, self.purpose, self.report_of, self.public_title, topic_line)
        self._enable_details(False, False)
        self.ctx.store.changed.connect(self._changed)
        readonly.follow(self.ctx.store, self, self.reload)

    # -- loading --------------------------------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        meeting_id = self.ctx.meeting_id
        if meeting_id is None:
            return
        # MINUTES too: saving an item's minute raises the item's version, which the next edit here states.
        if changes.touches_meeting(
            meeting_id, Kind.AGENDA, Kind.MINUTES, Kind.DOCUMENTS, Kind.MEETINGS
        ) or changes.touches(Kind.PEOPLE, Kind.COMMITTEES, Kind.TOPICS):
            self.reload()

    def reload(self) -> None:
        meeting_id = self.ctx.meeting_id
        selected = self.selected_id()
        found = self.ctx.store.read(Q.agenda, meeting_id) if meeting_id is not None else None
        self._agenda_published = found is not None and found.published
        # Approved minutes, or an account that may only read: nothing edits in place, nothing moves.
        locked = (found.locked if found is not None else True) or bool(self.ctx.store.read_only)
        self.model.locked = locked
        self.model.set_rows(found.rows if found is not None else ())
        for widget in (
            self.add_standard,
            self.add_report,
            self.add_verbal,
            self.remove,
            self.up,
            self.down,
            self.part_b,
            self.part_a,
        ):
            widget.setEnabled(found is not None and not locked)
        if selected is not None and self.model.row_of(selected) >= 0 and self.selected_id() != selected:
            self.select(selected)  # shows the details through the selection
        else:
            self._show_details()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not 0 <= index.row() < len(self.model.rows):
            return None
        return self.model.rows[index.row()].id

    def select(self, item_id: int) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 2))

    def _row(self, item_id: int) -> AgendaRow | None:
        row = self.model.row_of(item_id)
        return self.model.rows[row] if row >= 0 else None

    def _enable_details(self, has_item: bool, locked: bool) -> None:
        """Nothing can be typed into the details when no item is selected; an approved meeting's are read-only, and
        so is every item's on a connection that may only read."""
        locked = locked or bool(self.ctx.store.read_only)
        for widget in (
            self.title,
            self.kind,
            self.purpose,
            self.report_of,
            self.topic,
            self.attachment_table,
        ):
            widget.setEnabled(has_item)
        readonly.set_editable(not locked, self.title, self.report_of, self.public_title, self.purpose)
        row = self._row(self._item.id) if has_item and self._item is not None else None
        self.public_title.setEnabled(row is not None and row.is_exempt)
        self.kind.setEnabled(has_item and not locked)
        self.topic.setEnabled(has_item and not locked)
        self.add_file.setEnabled(has_item and not locked)
        self.open_file.setEnabled(has_item)

    def _values(self, details: ItemDetails) -> dict[str, object]:
        row = self._row(details.id)
        return {
            "title": details.title,
            "kind": details.kind.value,
            "purpose": details.purpose,
            "report_of": details.report_of,
            "public_title": row.public_title if row is not None and row.is_exempt else "",
        }

    def _show_details(self) -> None:
        """Show the selected item's details: afresh for another item, or brought up to date for the same one."""
        item_id = self.selected_id()
        if self._item is not None and self._item.id != item_id:
            self.ctx.store.autosaver.flush()  # typing in the item left behind is saved first
            item_id = self.selected_id()
        details = self.ctx.store.read(Q.item_details, item_id) if item_id is not None else None
        self._loading = True
        try:
            if details is None:
                self._item = None
                self._details = None
                for line in (self.title, self.report_of, self.public_title):
                    line.clear()
                self.purpose.clear()
                self.topic.clear()
                self.attachments.set_rows(())
                self._enable_details(False, False)
                return
            values = self._values(details)
            fresh = self._item is None or self._item.id != details.id
            if fresh:
                self._item = EditState(details.id, details.version, values)
                show = set(_TEXT_FIELDS)
            else:
                assert self._item is not None
                show = self._item.refresh(details.version, values)
            self._put(details, show, keep_cursor=not fresh)
            self._show_topics(details)
            self.attachments.set_rows(details.documents)
            self._details = details
            self._enable_details(True, details.locked)
        finally:
            self._loading = False

    def _put(self, details: ItemDetails, fields: set[str], keep_cursor: bool = True) -> None:
        """Show these fields of the item. `keep_cursor`: the same item, so the cursor stays where the clerk had it."""
        if "title" in fields and self.title.text() != details.title:
            _set_line(self.title, details.title, keep_cursor)
        if "kind" in fields:
            self.kind.setCurrentIndex(max(0, self.kind.findData(details.kind.value)))
        if "purpose" in fields and self.purpose.toPlainText() != details.purpose:
            _set_plain(self.purpose, details.purpose, keep_cursor)
        if "report_of" in fields and self.report_of.text() != details.report_of:
            _set_line(self.report_of, details.report_of, keep_cursor)
        if "public_title" in fields:
            public = str(self._values(details)["public_title"])
            if self.public_title.text() != public:
                _set_line(self.public_title, public, keep_cursor)

    def _show_topics(self, details: ItemDetails) -> None:
        old = self._details
        if old is not None and old.id == details.id:
            line = self.topic.lineEdit()
            if line is not None and line.hasFocus() and self.topic.currentText() != old.topic:
                return  # the clerk is typing a topic: it is saved when they leave the field
            if old.topics == details.topics and old.topic == details.topic:
                return
        self.topic.clear()
        self.topic.addItem("")
        self.topic.addItems(list(details.topics))
        self.topic.setCurrentText(details.topic)

    # -- editing --------------------------------------------------------------------------------------------

    def _purpose_changed(self) -> None:
        if not self._loading:
            self._schedule("purpose")

    def _schedule(self, field: str) -> None:
        state = self._item
        if state is None or self._loading or state.id != self.selected_id():
            return
        values: dict[str, str] = {
            "title": self.title.text(),
            "kind": str(self.kind.currentData()),
            "purpose": self.purpose.toPlainText(),
            "report_of": self.report_of.text(),
            "public_title": self.public_title.text(),
        }
        value = values[field]
        state.edited(field)
        self.ctx.store.autosaver.schedule(f"item:{state.id}:{field}", lambda: self._save(state, field, value))

    def _save(self, state: EditState, field: str, value: str) -> bool:
        autosaver = self.ctx.store.autosaver
        if field == "title" and not value.strip():
            autosaver.fail("An agenda item needs a title: the old one is kept until you type one.")
            return False

        # A stale text (saved meanwhile by another clerk, or another window on the same file): both versions, and
        # the clerk's choice (paperprep.ui.team).
        resolves = field in _RESOLVED
        if state.save(field, value, self._runner(state, field, value, conflicts=resolves)):
            return True
        conflict = resolves and self.ctx.store.conflict()
        details = self.ctx.store.read(Q.item_details, state.id)
        if details is None:
            return True  # the item is gone (the clerk has been told): there is nothing left to save to
        if conflict:
            return self._resolve(state, field, value, details)
        show = state.adopt(details.version, self._values(details))
        if state is self._item:
            self._loading = True
            try:
                self._put(details, show)
            finally:
                self._loading = False
        return False

    def _runner(
        self, state: EditState, field: str, value: str, conflicts: bool = False
    ) -> Callable[[int | None], int | None]:
        def run(version: int | None) -> int | None:
            done = self.ctx.store.run(
                EditItem(state.id, field, value, read_version=version),
                source=SOURCE,
                parent=self,
                flush=False,
                conflicts=conflicts,
            )
            return done.result if done is not None else None

        return run

    def _resolve(self, state: EditState, field: str, mine: str, details: ItemDetails) -> bool:
        """The field was saved elsewhere since the clerk's text was read: both versions, and the clerk's choice.
        Keep mine and merge save over the version now stored; take theirs shows it, the clerk's text going to the
        clipboard; closing the dialog keeps the clerk's text on screen, unsaved."""
        values = self._values(details)
        store = self.ctx.store
        conflict = team.Conflict(
            f"the {_RESOLVED[field]} of {details.title!r}",
            mine,
            str(values[field]),
            store.changed_by(Kind.AGENDA, state.id),
        )
        answer = team.ask_conflict(self, conflict)
        current = state is self._item
        if answer is not None and answer.choice is team.Choice.THEIRS:
            QGuiApplication.clipboard().setText(mine)
            state.dirty.discard(field)
        show = state.adopt(details.version, values)
        if answer is not None and answer.choice is team.Choice.THEIRS:
            show.add(field)
        if current:
            self._loading = True
            try:
                self._put(details, show)
            finally:
                self._loading = False
        if answer is None:
            return False
        if answer.choice is team.Choice.THEIRS:
            return True
        text = answer.text if isinstance(answer.text, str) else ""
        if field != "purpose":
            text = " ".join(text.split())  # one line
        if field == "title" and not text.strip():
            store.autosaver.fail("An agenda item needs a title: the old one is kept until you type one.")
            return False
        if current:
            self._loading = True
            try:
                widget = {"title": self.title, "report_of": self.report_of, "public_title": self.public_title}
                if field == "purpose":
                    _set_plain(self.purpose, text, True)
                else:
                    _set_line(widget[field], text, True)
            finally:
                self._loading = False
        return state.save(field, text, self._runner(state, field, text))

    def _run(self, op: Operation[Any]) -> Done[Any] | None:
        return self.ctx.store.run(op, source=SOURCE, parent=self)

    def _topic_chosen(self) -> None:
        item_id = self.selected_id()
        name = self.topic.currentText().strip()
        if item_id is None or self._loading or self._details is None or self._details.id != item_id:
            return
        if name == self._details.topic:
            return
        self._run(SetItemTopic(item_id, name))

    def _rename(self, row: AgendaRow, column: int, value: object) -> None:
        title = str(value).strip()
        if not title or title == row.title:
            return
        current = self._row(row.id)
        version = current.version if current is not None else row.version
        self._run(EditItem(row.id, "title", title, read_version=version))

    def _move_to(self, item_id: int, target: int) -> None:
        if not self._may_change_published("Changing the order of the agenda"):
            return
        if self._run(MoveItem(item_id, target)) is not None:
            self.select(item_id)

    def _activated(self, index: QModelIndex) -> None:
        if index.column() != 2 or self.model.locked:
            self._open_current()

    def _open_current(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.itemActivated.emit(item_id)

    # -- changes to a published agenda ---------------------------------------------------------------------

    def _published(self) -> bool:
        return self._agenda_published  # read with the agenda, which every committed change reloads

    def _may_change_published(self, what: str) -> bool:
        """On a published agenda, say what the change needs and ask whether to go on. True: go on."""
        if not self._published():
            return True
        return dialogs.confirm(
            self,
            "The agenda is published",
            f"The agenda of this meeting has been published. {what} now needs a supplementary agenda or a "
            "notice that the agenda has been republished, unless the Chair agrees the item is urgent and the "
            "reason for urgency is recorded in the minutes (Local Government Act 1972 s.100B(4)).\n\n"
            "Make the change?",
        )

    def _offer_late(self, item_id: int) -> None:
        """Offer to mark the item as late, with the reason for urgency the minutes will record."""
        row = self._row(item_id)
        if row is not None and row.is_late:
            return
        if not dialogs.confirm(
            self,
            "Late item",
            "Mark the item as late (added after the agenda was published), with the reason for urgency?",
        ):
            return
        reason = dialogs.ask_text(
            self, "Reason for urgency", "Why can the item not wait until the next meeting?"
        )
        if reason is not None and reason.strip():
            self._run(MarkLate(item_id, reason.strip()))

    def add_standard_items(self) -> None:
        if self.ctx.meeting_id is not None and self._may_change_published("Adding items"):
            self._run(AddStandardItems(self.ctx.meeting_id))

    def add_item(self, kind: ItemKind = ItemKind.REPORT, title: str | None = None) -> None:
        """Add an item and put its title up for typing in place, like a new row in a spreadsheet."""
        if self.ctx.meeting_id is None:
            dialogs.show_error(self, "Choose a meeting first, or make one with Meeting > New meeting.")
            return
        published = self._published()
        if published and not self._may_change_published("Adding an item"):
            return
        placeholder = "New verbal update" if kind is ItemKind.VERBAL_UPDATE else "New report"
        done = self._run(AddItem(self.ctx.meeting_id, title or placeholder, kind))
        if done is None:
            return
        item_id = done.result
        if published:
            self._offer_late(item_id)
        self.ctx.show_tab(self)
        self.select(item_id)
        self.table.setFocus()
        if title is None:
            self.table.edit(self.model.index(self.model.row_of(item_id), 2))

    def remove_selected(self) -> None:
        item_id = self.selected_id()
        if item_id is not None and not self.model.locked and self._may_change_published("Removing an item"):
            self._run(RemoveItem(item_id))

    def move_selected(self, step: int) -> None:
        item_id = self.selected_id()
        if item_id is None or self.model.locked:
            return
        target = self.model.row_of(item_id) + step
        if 0 <= target < len(self.model.rows):
            self._move_to(item_id, target)

    def make_exempt(self) -> None:
        item_id = self.selected_id()
        row = self._row(item_id) if item_id is not None else None
        if item_id is None or row is None or self.model.locked:
            return
        stored = tuple(int(p) for p in row.paragraphs.split(",") if p.strip().isdigit())
        answer = dialogs.ask_paragraphs(
            self, row.title, paragraphs=stored, public_title=row.public_title if row.is_exempt else ""
        )
        if answer is None:
            return
        paragraphs, public_title = answer
        if not paragraphs:
            dialogs.show_error(self, "Tick at least one paragraph of Schedule 12A to make the item exempt.")
            return
        if row.is_exempt and paragraphs == stored and public_title == row.public_title:
            return  # reviewed, nothing changed
        if not self._may_change_published("Moving an item to Part B"):
            return
        if self._run(SetExempt(item_id, tuple(paragraphs), public_title)) is not None:
            self.select(item_id)

    def make_public(self) -> None:
        item_id = self.selected_id()
        if item_id is not None and not self.model.locked:
            if not self._may_change_published("Moving an item to Part A"):
                return
            if self._run(ClearExempt(item_id)) is not None:
                self.select(item_id)

    def add_attachment(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            dialogs.show_error(self, "Select the item the document belongs to, then add it.")
            return
        path = dialogs.choose_open_file(
            self,
            "Add a document",
            str(Path.home()),
            "Documents (*.pdf *.docx *.doc *.xlsx *.odt);;All files (*)",
        )
        if path is None or self.selected_id() != item_id:
            return
        published = self._published()
        if published and not self._may_change_published("Adding a paper"):
            return
        kind = AttachmentKind.REPORT if not self.attachments.rows else AttachmentKind.APPENDIX
        if self._run(AddDocument(item_id, Path(path), self.ctx.files_dir(), kind)) is not None and published:
            self._offer_late(item_id)

    def open_attachment(self) -> None:
        index = self.attachment_table.currentIndex()
        if not index.isValid():
            return
        attachment_id = self.attachments.rows[index.row()].id
        stored = self.ctx.store.read(Q.stored_file_name, attachment_id)
        path = self.ctx.files_dir() / stored
        if not stored or not path.exists():
            dialogs.show_error(
                self, "The managed copy of this document is missing. Remove it and add the file again."
            )
            return
        open_path(self, path)


# The typed fields whose stale save shows both versions (the kind is a choice, not a text), and their names.
_RESOLVED = {"title": "title", "purpose": "purpose", "report_of": "report of", "public_title": "public title"}


def _set_line(line: QLineEdit, text: str, keep_cursor: bool) -> None:
    """New text from the database; for the same item, with the cursor kept where the clerk had it."""
    position = line.cursorPosition()
    line.setText(text)
    if keep_cursor:
        line.setCursorPosition(min(position, len(text)))


def _set_plain(edit: QPlainTextEdit, text: str, keep_cursor: bool) -> None:
    position = edit.textCursor().position()
    edit.setPlainText(text)
    if keep_cursor:
        cursor = edit.textCursor()
        cursor.setPosition(min(position, len(text)))
        edit.setTextCursor(cursor)
