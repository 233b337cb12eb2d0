"""Committee membership: who sits on the committee, in which role, from and to which dates.

Rows are read through the store; each change is one operation, and the table follows the change notice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import MembershipRole, PersonKind
from paperprep.formats import parse_uk_date
from paperprep.ops import Changes, Kind
from paperprep.ops import meetings as opm
from paperprep.queries import lists
from paperprep.queries.lists import MemberRow
from paperprep.ui import dialogs, readonly
from paperprep.ui.models import RowTableModel, uk_date
from paperprep.ui.store import Store


class MembershipModel(RowTableModel):
    headers = ("Name", "Kind", "Role", "From", "To")

    def display(self, row: MemberRow, column: int) -> Any:
        return (row.name, row.kind, row.role, uk_date(row.start_date), uk_date(row.end_date))[column]


class MembersDialog(QDialog):
    def __init__(self, store: Store, committee_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("membersDialog")
        self.store = store
        self.committee_id = committee_id
        self.setWindowTitle("Members")
        self.model = MembershipModel(self)
        self.table = QTableView()
        self.table.setObjectName("membersTable")
        self.table.setAccessibleName("Members")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.add = QPushButton("&Add member...")
        self.end = QPushButton("&End membership...")
        self.remove = QPushButton("&Remove (entered by mistake)")
        buttons = QHBoxLayout()
        for object_name, button in (
            ("addMember", self.add),
            ("endMembership", self.end),
            ("removeMembership", self.remove),
        ):
            button.setObjectName(object_name)
            button.setAccessibleName(button.text().replace("&", "").rstrip("."))
            buttons.addWidget(button)
        buttons.addStretch()
        self.add.clicked.connect(self.add_member)
        self.end.clicked.connect(self.end_selected)
        self.remove.clicked.connect(self.remove_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.resize(700, 420)
        store.changed.connect(self._changed)
        readonly.follow(store, self, self._follow_read_only)
        self._follow_read_only()
        self.reload()

    def _follow_read_only(self) -> None:
        """On a connection that may only read, the members are listed but not changed."""
        reason = self.store.read_only
        readonly.set_editable(not reason, self.add, self.end, self.remove, reason=reason)

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Kind.MEMBERS, Kind.PEOPLE, Kind.COMMITTEES):
            self.reload()

    def reload(self) -> None:
        members = self.store.read(lists.members, self.committee_id)
        self.setWindowTitle(f"Members of the {members.committee_name}")
        self.model.set_rows(members.rows)

    def _selected(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()].id if index.isValid() else None

    def add_member(self) -> None:
        name = dialogs.ask_text(self, "Add member", "Name (without Cllr):")
        if not name or not name.strip():
            return
        kinds = [PersonKind.COUNCILLOR, PersonKind.CO_OPTED]
        kind = dialogs.ask_choice(self, "Add member", "Kind of member:", [k.label for k in kinds])
        if kind is None:
            return
        roles = list(MembershipRole)
        role = dialogs.ask_choice(self, "Add member", "Role on the committee:", [r.label for r in roles], 2)
        if role is None:
            return
        # No start date: the member counts for the meetings already on file, as the clerk expects.
        self.store.run(opm.AddMember(self.committee_id, name, kinds[kind], roles[role], None), parent=self)

    def end_selected(self) -> None:
        membership_id = self._selected()
        if membership_id is None:
            dialogs.show_error(self, "Select the member whose membership ends.")
            return
        text = dialogs.ask_text(
            self, "End membership", "Last day on the committee (dd/mm/yyyy):", uk_date(dt.date.today())
        )
        if text is None:
            return
        try:
            last_day = parse_uk_date(text)
        except ValueError:
            last_day = None
        if last_day is None:
            dialogs.show_error(
                self, f"\u201c{text}\u201d is not a date. Type it as dd/mm/yyyy, e.g. 24/04/2025."
            )
            return
        self.store.run(opm.EndMembership(membership_id, last_day), parent=self)

    def remove_selected(self) -> None:
        membership_id = self._selected()
        if membership_id is not None and dialogs.confirm(
            self, "Remove member", "Remove this membership entirely? Use End membership when a member leaves."
        ):
            self.store.run(opm.RemoveMembership(membership_id), parent=self)
