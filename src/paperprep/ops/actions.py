"""Operations on actions and their progress, officers' returned workbooks, and inspection summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from sqlalchemy.orm import Session

from paperprep.domain import ActionStatus, Rag
from paperprep.ops.base import Operation, expect_version
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.action_import import WorkbookRows
from paperprep.services.inspections import InspectionData


@dataclass(frozen=True)
class AddAction(Operation[int]):
    item_id: int
    text: str
    owner: str = ""
    due_date: dt.date | None = None
    resolution_id: int | None = None

    @property
    def label(self) -> str:
        return "Add action"

    def apply(self, session: Session) -> int:
        item = A.get_item(session, self.item_id)
        resolution = MI.get_resolution(session, self.resolution_id) if self.resolution_id else None
        return AC.add_action(
            session, item, self.text, owner=self.owner, due_date=self.due_date, resolution=resolution
        ).id


@dataclass(frozen=True)
class RemoveAction(Operation[None]):
    action_id: int

    @property
    def label(self) -> str:
        return "Remove action"

    def apply(self, session: Session) -> None:
        AC.remove_action(session, AC.get_action(session, self.action_id))


@dataclass(frozen=True)
class UpdateAction(Operation[None]):
    """Status, RAG rating, wording, owner, due date or resolution of one action, from any view of it.

    A field left None is not changed. `clear_due_date` removes the due date; `clear_resolution` says the action
    comes from no resolution of its item."""

    action_id: int
    status: ActionStatus | None = None
    rag: Rag | None = None
    read_version: int | None = None
    text: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    resolution_id: int | None = None
    clear_due_date: bool = False
    clear_resolution: bool = False

    @property
    def label(self) -> str:
        if self.status is not None:
            return f"Set action status to {self.status.label}"
        if self.rag is not None:
            return f"Set RAG rating to {self.rag.label}"
        if self.text is not None:
            return "Edit action wording"
        if self.owner is not None:
            return "Change action owner"
        if self.due_date is not None or self.clear_due_date:
            return "Change action due date"
        if self.resolution_id is not None or self.clear_resolution:
            return "Change action's resolution"
        return "Edit action"

    def apply(self, session: Session) -> None:
        action = AC.get_action(session, self.action_id)
        expect_version(action, self.read_version, "the action")
        changes: dict[str, object] = {}
        if self.status is not None:
            changes["status"] = self.status
        if self.rag is not None:
            changes["rag"] = self.rag
        if self.text is not None:
            changes["text"] = self.text
        if self.owner is not None:
            changes["owner"] = self.owner
        if self.clear_due_date:
            changes["due_date"] = None
        elif self.due_date is not None:
            changes["due_date"] = self.due_date
        if self.clear_resolution:
            changes["resolution"] = None
        elif self.resolution_id is not None:
            changes["resolution"] = MI.get_resolution(session, self.resolution_id)
        AC.update_action(session, action, **changes)


@dataclass(frozen=True)
class AddActionUpdate(Operation[int]):
    action_id: int
    text: str
    date: dt.date | None = None

    @property
    def label(self) -> str:
        return "Add progress update"

    def apply(self, session: Session) -> int:
        return AC.add_update(session, AC.get_action(session, self.action_id), self.text, self.date).id


@dataclass(frozen=True)
class ApplyActionImport(Operation[int]):
    """Officers' returned workbook, planned again inside this transaction so nothing changed since is lost."""

    rows: WorkbookRows = field(hash=False)
    resolve: Mapping[int, str] = field(default_factory=dict, hash=False)
    undoable: ClassVar[bool] = False  # spans many meetings; the preview is where the clerk decides

    @property
    def label(self) -> str:
        return "Import officers' updates"

    def apply(self, session: Session) -> int:
        from paperprep.services.action_import import apply_import, plan_import

        return apply_import(session, plan_import(session, self.rows), self.resolve)


# -- inspections --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveInspection(Operation[int]):
    """The inspection summary of an item, as the panel holds it. Returns the summary's new version."""

    item_id: int
    data: InspectionData = field(hash=False)
    read_version: int | None = None

    @property
    def label(self) -> str:
        return "Edit inspection summary"

    def apply(self, session: Session) -> int:
        from paperprep.services.inspections import set_inspection

        item = A.get_item(session, self.item_id)
        M.ensure_editable(item.meeting)
        if item.inspection is not None:
            expect_version(item.inspection, self.read_version, "the inspection summary")
        summary = set_inspection(session, item, self.data)
        session.flush()
        return summary.version

    def merge_key(self) -> Hashable | None:
        return ("inspection", self.item_id)


@dataclass(frozen=True)
class RemoveInspection(Operation[None]):
    item_id: int

    @property
    def label(self) -> str:
        return "Remove inspection summary"

    def apply(self, session: Session) -> None:
        from paperprep.services.inspections import remove_inspection

        item = A.get_item(session, self.item_id)
        M.ensure_editable(item.meeting)
        remove_inspection(session, item)


@dataclass(frozen=True)
class ActionsFromFindings(Operation[int]):
    """One action for each area for improvement that has none yet. Returns how many were made."""

    item_id: int
    owner: str = ""
    due_date: dt.date | None = None

    @property
    def label(self) -> str:
        return "Actions from areas for improvement"

    def apply(self, session: Session) -> int:
        from paperprep.services.inspections import create_actions_from_areas

        item = A.get_item(session, self.item_id)
        M.ensure_editable(item.meeting)  # new actions are new minutes: refused before any other check
        return len(create_actions_from_areas(session, item, self.owner, self.due_date))

