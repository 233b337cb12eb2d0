"""The agenda: items in order with minute numbers and Part A / Part B, reordering, exempt items and documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from paperprep.domain import AttachmentKind, ItemKind
from paperprep.records import AttachmentRecord
from paperprep.services import agenda as A
from paperprep.services import meetings as M
from paperprep.services.numbering import meeting_minute_ref
from paperprep.services.topics import get_or_create_topic, list_topics, set_item_topic
from paperprep.ui import commands, dialogs
from paperprep.ui.models import AgendaModel, AgendaRow, RowTableModel

if TYPE_CHECKING:
    from paperprep.ui.workspace import MeetingWorkspace


class AttachmentModel(RowTableModel):
    headers = ("Document", "Kind", "Size")

    def display(self, row: tuple[int, str, str, str], column: int) -> str:
        return str(row[column + 1])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.UserRole + 1 and index.isValid():
            return self.rows[index.row()][0]
        return super().data(index, role)


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", ""))
    button.setToolTip(tip)
    return button


class AgendaPanel(QWidget):
    itemActivated = Signal(int)  # open this item's minutes

    def __init__(self, workspace: MeetingWorkspace) -> None:
        super().__init__()
        self.ws = workspace
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
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(self._activated)

        self.add_standard = _button(
            "Add &standard items", "addStandardItems", "Apologies, substitutes, declarations..."
        )
        self.add_report = _button("Add &report", "addReport", "Add a report (Ctrl+Shift+A)")
        self.add_verbal = _button("Add &verbal update", "addVerbalUpdate", "An item with no report")
        self.remove = _button("Remo&ve", "removeItem", "Remove the selected item (Delete)")
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
        self.title.textEdited.connect(lambda _t: self._schedule("title"))
        self.report_of.textEdited.connect(lambda _t: self._schedule("report_of"))
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
        form.addRow("&Kind", self.kind)
        form.addRow("&Purpose", self.purpose)
        form.addRow("Report &of", self.report_of)
        form.addRow("To&pic", self.topic)

        self.attachments = AttachmentModel(self)
        self.attachment_table = QTableView()
        self.attachment_table.setObjectName("attachmentTable")
        self.attachment_table.setAccessibleName("Documents")
        self.attachment_table.setModel(self.attachments)
        self.attachment_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attachment_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.attachment_table.verticalHeader().setVisible(False)
        self.attachment_table.setMaximumHeight(110)
        self.attachment_table.doubleClicked.connect(lambda _i: self.open_attachment())
        self.add_file = _button("Add &document...", "addAttachment", "Attach the report or an appendix")
        self.open_file = _button("Op&en document", "openAttachment", "Open the selected document")
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
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("agendaSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_details())
        self._loading = False
        self.setTabOrder(self.table, self.title)

    # -- loading --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        meeting_id = self.ws.meeting_id
        selected = self.selected_id()
        if meeting_id is None:
            self.model.set_rows([])
            self._show_details()
            return

        def rows(session: Session) -> tuple[list[AgendaRow], bool]:
            meeting = M.get_meeting(session, meeting_id)
            out = []
            for item in A.ordered_items(meeting):
                who = item.report_of or (item.presenter.name if item.presenter else item.presenter_name)
                docs = ", ".join(a.file_name for a in item.attachments)
                out.append(
                    AgendaRow(
                        item.id,
                        meeting_minute_ref(meeting, item.minute_number),
                        item.title,
                        item.kind.label,
                        item.is_exempt,
                        item.exempt_paragraphs,
                        who,
                        docs,
                    )
                )
            return out, meeting.is_locked

        agenda, locked = self.ws.store.read(rows)
        self.model.locked = locked
        self.model.set_rows(agenda)
        for widget in (
            self.add_standard,
            self.add_report,
            self.add_verbal,
            self.remove,
            self.up,
            self.down,
            self.part_b,
            self.part_a,
            self.add_file,
        ):
            widget.setEnabled(not locked)
        for field in (self.title, self.report_of):
            field.setReadOnly(locked)
        self.purpose.setReadOnly(locked)
        self.kind.setEnabled(not locked)
        if selected is not None:
            self.select(selected)
        self._show_details()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[index.row()].id

    def select(self, item_id: int) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 2))

    def _show_details(self) -> None:
        item_id = self.selected_id()
        self._loading = True
        try:
            if item_id is None:
                for w in (self.title, self.report_of):
                    w.clear()
                self.purpose.clear()
                self.attachments.set_rows([])
                return

            def details(session: Session) -> tuple[str, str, str, str, list[tuple[int, str, str, str]]]:
                item = A.get_item(session, item_id)
                self._topics = [t.name for t in list_topics(session)]
                self._topic_name = item.topic.name if item.topic else ""
                docs = []
                for a in item.attachments:
                    size = AttachmentRecord(
                        a.id, a.file_name, a.kind, a.size_bytes, a.page_count, a.sha256
                    ).size_text
                    docs.append((a.id, a.file_name, a.kind.label, size))
                return item.title, item.kind.value, item.purpose, item.report_of, docs

            title, kind, purpose, report_of, docs = self.ws.store.read(details)
            if self.title.text() != title:
                self.title.setText(title)
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
            if self.purpose.toPlainText() != purpose:
                self.purpose.setPlainText(purpose)
            if self.report_of.text() != report_of:
                self.report_of.setText(report_of)
            self.attachments.set_rows(docs)
            self.topic.clear()
            self.topic.addItem("")
            self.topic.addItems(self._topics)
            self.topic.setCurrentText(self._topic_name)
        finally:
            self._loading = False

    # -- editing --------------------------------------------------------------------------------------------

    def _purpose_changed(self) -> None:
        if not self._loading:
            self._schedule("purpose")

    def _schedule(self, field: str) -> None:
        item_id = self.selected_id()
        if item_id is None or self._loading:
            return
        values = {
            "title": self.title.text(),
            "kind": ItemKind(self.kind.currentData()),
            "purpose": self.purpose.toPlainText(),
            "report_of": self.report_of.text(),
        }
        value = values[field]

        def save() -> None:
            if field == "title" and not str(value).strip():
                return  # an empty title is not saved; the old one stays until the clerk types one
            self.ws.store.write(
                lambda s: A.update_item(s, A.get_item(s, item_id), **{field: value}), "agenda-text"
            )

        self.ws.autosaver.schedule(f"item:{item_id}:{field}", save)

    def _topic_chosen(self) -> None:
        item_id = self.selected_id()
        name = self.topic.currentText().strip()
        if item_id is None or self._loading or name == getattr(self, "_topic_name", ""):
            return
        self._topic_name = name

        def write(session: Session) -> None:
            set_item_topic(
                session, A.get_item(session, item_id), get_or_create_topic(session, name) if name else None
            )

        self.ws.store.write(write, "agenda-text")

    def _rename(self, row: AgendaRow, column: int, value: object) -> None:
        title = str(value).strip()
        if title and title != row.title:
            self.ws.store.write(lambda s: A.update_item(s, A.get_item(s, row.id), title=title), "agenda")

    def _move_to(self, item_id: int, target: int) -> None:
        self.ws.push(commands.MoveItem(self.ws.store, item_id, target))
        self.select(item_id)

    def _activated(self, index: QModelIndex) -> None:
        if index.column() != 2 or self.model.locked:
            self._open_current()

    def _open_current(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.itemActivated.emit(item_id)

    def add_standard_items(self) -> None:
        if self.ws.meeting_id is not None:
            self.ws.push(commands.AddStandardItems(self.ws.store, self.ws.meeting_id))

    def add_item(self, kind: ItemKind = ItemKind.REPORT, title: str | None = None) -> None:
        """Add an item and put its title up for typing in place, like a new row in a spreadsheet."""
        if self.ws.meeting_id is None:
            dialogs.show_error(self, "Choose a meeting first, or make one with Meeting > New meeting.")
            return
        placeholder = "New verbal update" if kind is ItemKind.VERBAL_UPDATE else "New report"
        command = commands.AddItem(self.ws.store, self.ws.meeting_id, title or placeholder, kind)
        self.ws.push(command)
        if command.item_id is None:
            return
        self.ws.tabs.setCurrentWidget(self)
        self.select(command.item_id)
        self.table.setFocus()
        if title is None:
            self.table.edit(self.model.index(self.model.row_of(command.item_id), 2))

    def remove_selected(self) -> None:
        item_id = self.selected_id()
        if item_id is not None and not self.model.locked:
            self.ws.push(commands.RemoveItem(self.ws.store, item_id))

    def move_selected(self, step: int) -> None:
        item_id = self.selected_id()
        if item_id is None or self.model.locked:
            return
        row = self.model.row_of(item_id)
        target = row + step
        if 0 <= target < len(self.model.rows):
            self.ws.push(commands.MoveItem(self.ws.store, item_id, target))
            self.select(item_id)

    def make_exempt(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            return
        answer = dialogs.ask_paragraphs(self, self.model.rows[self.model.row_of(item_id)].title)
        if answer is None:
            return
        paragraphs, public_title = answer
        if not paragraphs:
            dialogs.show_error(self, "Tick at least one paragraph of Schedule 12A to make the item exempt.")
            return
        self.ws.push(commands.SetExempt(self.ws.store, item_id, paragraphs, public_title))
        self.select(item_id)

    def make_public(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.ws.push(commands.ClearExempt(self.ws.store, item_id))
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
        if path is None:
            return
        kind = AttachmentKind.REPORT if not self.attachments.rows else AttachmentKind.APPENDIX
        store_dir = self.ws.files_dir()
        self.ws.store.write(
            lambda s: A.add_attachment(s, A.get_item(s, item_id), path, store_dir, kind), "agenda"
        )

    def open_attachment(self) -> None:
        index = self.attachment_table.currentIndex()
        if not index.isValid():
            return
        attachment_id = self.attachments.rows[index.row()][0]
        from paperprep.db.models import Attachment

        stored = self.ws.store.read(lambda s: s.get(Attachment, attachment_id).stored_name)  # type: ignore[union-attr]
        path = self.ws.files_dir() / stored
        if not stored or not path.exists():
            dialogs.show_error(
                self, "The managed copy of this document is missing. Remove it and add the file again."
            )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
