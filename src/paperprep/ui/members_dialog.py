"""Committee membership: who sits on the committee, in which role, from and to which dates."""

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
from sqlalchemy.orm import Session

from paperprep.domain import MembershipRole, PersonKind
from paperprep.services import committees as C
from paperprep.ui import dialogs
from paperprep.ui.models import RowTableModel, uk_date
from paperprep.ui.store import Store


class MembershipModel(RowTableModel):
    headers = ("Name", "Kind", "Role", "From", "To")

    def display(self, row: tuple[int, str, str, str, Any, Any], column: int) -> Any:
        _id, name, kind, role, start, end = row
        return (name, kind, role, uk_date(start), uk_date(end))[column]


class MembersDialog(QDialog):
    def __init__(self, store: Store, committee_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("membersDialog")
        self.store = store
        self.committee_id = committee_id
        name = store.read(lambda s: C.get_committee(s, committee_id).name)
        self.setWindowTitle(f"Members of the {name}")
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
        self.reload()

    def reload(self) -> None:
        def rows(session: Session) -> list[tuple[int, str, str, str, Any, Any]]:
            committee = C.get_committee(session, self.committee_id)
            order = {MembershipRole.CHAIR: 0, MembershipRole.VICE_CHAIR: 1, MembershipRole.MEMBER: 2}
            memberships = sorted(
                committee.memberships,
                key=lambda m: (m.end_date is not None, order.get(m.role, 3), m.person.name),
            )
            return [
                (m.id, m.person.name, m.person.kind.label, m.role.label, m.start_date, m.end_date)
                for m in memberships
            ]

        self.model.set_rows(self.store.read(rows))

    def _selected(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()][0] if index.isValid() else None

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
        committee_id = self.committee_id

        def write(session: Session) -> None:
            person = C.get_or_create_person(session, name, kinds[kind])
            # No start date: the member counts for the meetings already on file, as the clerk expects.
            C.add_member(session, C.get_committee(session, committee_id), person, roles[role], None)

        self.store.write(write, "attendance")
        self.reload()

    def end_selected(self) -> None:
        membership_id = self._selected()
        if membership_id is None:
            dialogs.show_error(self, "Select the member whose membership ends.")
            return
        text = dialogs.ask_text(
            self, "End membership", "Last day on the committee (dd/mm/yyyy):", f"{dt.date.today():%d/%m/%Y}"
        )
        if text is None:
            return
        try:
            last_day = dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
        except ValueError:
            dialogs.show_error(
                self, f"\u201c{text}\u201d is not a date. Type it as dd/mm/yyyy, e.g. 24/04/2025."
            )
            return
        self.store.write(
            lambda s: C.end_membership(s, C.get_membership(s, membership_id), last_day), "attendance"
        )
        self.reload()

    def remove_selected(self) -> None:
        membership_id = self._selected()
        if membership_id is not None and dialogs.confirm(
            self, "Remove member", "Remove this membership entirely? Use End membership when a member leaves."
        ):
            self.store.write(
                lambda s: C.remove_membership(s, C.get_membership(s, membership_id)), "attendance"
            )
            self.reload()
