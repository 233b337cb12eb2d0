"""Undoable structural edits: items, Part B, meeting status, resolutions and actions.

Each command does its change through the services in one committed transaction, and its undo makes the reverse
change the same way, so undo survives nothing but the session (the database is always the truth). A command whose
first run fails marks itself obsolete, so the undo stack never offers to undo something that did not happen.
Text edits undo inside the editors instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from paperprep.domain import ActionStatus, ItemKind, MeetingStatus, ResolutionWording
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.interchange import dump_item, load_item
from paperprep.ui.store import Store


class StoreCommand(QUndoCommand):
    scope = "agenda"

    def __init__(self, store: Store, text: str) -> None:
        super().__init__(text)
        self.store = store
        self._first = True

    def do(self, session: Session) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def reverse(self, session: Session) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def redo(self) -> None:
        ok = self.store.try_write(self.do, self.scope)
        if not ok and self._first:
            self.setObsolete(True)
        self._first = False

    def undo(self) -> None:
        self.store.try_write(self.reverse, self.scope)


class AddItem(StoreCommand):
    def __init__(self, store: Store, meeting_id: int, title: str, kind: ItemKind, **details: Any) -> None:
        super().__init__(store, f"Add item {title!r}")
        self.meeting_id, self.title, self.kind, self.details = meeting_id, title, kind, details
        self.item_id: int | None = None

    def do(self, session: Session) -> None:
        item = A.add_item(
            session, M.get_meeting(session, self.meeting_id), self.title, self.kind, **self.details
        )
        self.item_id = item.id

    def reverse(self, session: Session) -> None:
        if self.item_id is not None:
            A.remove_item(session, A.get_item(session, self.item_id))


class AddStandardItems(StoreCommand):
    def __init__(self, store: Store, meeting_id: int) -> None:
        super().__init__(store, "Add standard items")
        self.meeting_id = meeting_id
        self.item_ids: list[int] = []

    def do(self, session: Session) -> None:
        self.item_ids = [i.id for i in A.add_standard_items(session, M.get_meeting(session, self.meeting_id))]

    def reverse(self, session: Session) -> None:
        for item_id in self.item_ids:
            A.remove_item(session, A.get_item(session, item_id))


class RemoveItem(StoreCommand):
    def __init__(self, store: Store, item_id: int) -> None:
        super().__init__(store, "Remove item")
        self.item_id = item_id
        self.meeting_id = 0
        self.saved: dict[str, Any] = {}
        self.position = 0

    def do(self, session: Session) -> None:
        item = A.get_item(session, self.item_id)
        self.meeting_id, self.position = item.meeting_id, item.position
        self.saved = dump_item(item)
        self.setText(f"Remove item {item.title!r}")
        A.remove_item(session, item)

    def reverse(self, session: Session) -> None:
        meeting = M.get_meeting(session, self.meeting_id)
        item = load_item(session, meeting, self.saved, index=self.position)
        self.item_id = item.id


class MoveItem(StoreCommand):
    def __init__(self, store: Store, item_id: int, to_index: int) -> None:
        super().__init__(store, "Reorder agenda")
        self.item_id, self.to_index = item_id, to_index
        self.from_index = 0

    def do(self, session: Session) -> None:
        item = A.get_item(session, self.item_id)
        self.from_index = item.position
        A.move_item(session, item, self.to_index)

    def reverse(self, session: Session) -> None:
        A.move_item(session, A.get_item(session, self.item_id), self.from_index)


class SetExempt(StoreCommand):
    def __init__(self, store: Store, item_id: int, paragraphs: tuple[int, ...], public_title: str) -> None:
        super().__init__(store, "Move item to Part B")
        self.item_id, self.paragraphs, self.public_title = item_id, paragraphs, public_title
        self.position = 0
        self.motion_id: int | None = None

    def do(self, session: Session) -> None:
        item = A.get_item(session, self.item_id)
        self.position = item.position
        before = {i.id for i in item.meeting.items}
        A.set_exempt(session, item, self.paragraphs, self.public_title)
        added = [i for i in item.meeting.items if i.id not in before and i.kind is ItemKind.EXCLUSION_MOTION]
        self.motion_id = added[0].id if added else None

    def reverse(self, session: Session) -> None:
        item = A.get_item(session, self.item_id)
        A.clear_exempt(session, item)
        if self.motion_id is not None:
            A.remove_item(session, A.get_item(session, self.motion_id))
        A.move_item(session, item, self.position)


class ClearExempt(StoreCommand):
    def __init__(self, store: Store, item_id: int) -> None:
        super().__init__(store, "Return item to Part A")
        self.item_id = item_id
        self.paragraphs: tuple[int, ...] = ()
        self.public_title = ""

    def do(self, session: Session) -> None:
        item = A.get_item(session, self.item_id)
        self.paragraphs, self.public_title = item.paragraphs, item.public_title
        A.clear_exempt(session, item)

    def reverse(self, session: Session) -> None:
        A.set_exempt(session, A.get_item(session, self.item_id), self.paragraphs, self.public_title)


class SetStatus(StoreCommand):
    scope = "meetings"

    def __init__(self, store: Store, meeting_id: int, status: MeetingStatus) -> None:
        super().__init__(store, f"Set status to {status.label}")
        self.meeting_id, self.status = meeting_id, status
        self.old: MeetingStatus = status
        self.old_published: dt.date | None = None

    def do(self, session: Session) -> None:
        meeting = M.get_meeting(session, self.meeting_id)
        self.old, self.old_published = meeting.status, meeting.published_on
        M.set_status(session, meeting, self.status)

    def reverse(self, session: Session) -> None:
        meeting = M.get_meeting(session, self.meeting_id)
        M.set_status(session, meeting, self.old)
        meeting.published_on = self.old_published


class AddResolution(StoreCommand):
    scope = "minutes"

    def __init__(
        self, store: Store, item_id: int, wording: ResolutionWording, text: str, parts: list[str]
    ) -> None:
        super().__init__(store, f"Add resolution ({wording.label})")
        self.item_id, self.wording, self.words, self.parts = item_id, wording, text, parts
        self.resolution_id: int | None = None

    def do(self, session: Session) -> None:
        item = A.get_item(session, self.item_id)
        self.resolution_id = MI.add_resolution(session, item, self.wording, self.words, self.parts).id

    def reverse(self, session: Session) -> None:
        if self.resolution_id is not None:
            MI.remove_resolution(session, MI.get_resolution(session, self.resolution_id))


class RemoveResolution(StoreCommand):
    scope = "minutes"

    def __init__(self, store: Store, resolution_id: int) -> None:
        super().__init__(store, "Remove resolution")
        self.resolution_id = resolution_id
        self.saved: tuple[int, ResolutionWording, str, list[str], str] | None = None

    def do(self, session: Session) -> None:
        r = MI.get_resolution(session, self.resolution_id)
        self.saved = (r.item_id, r.wording, r.text, MI.resolution_parts(r), r.keyword)
        MI.remove_resolution(session, r)

    def reverse(self, session: Session) -> None:
        assert self.saved is not None
        item_id, wording, text, parts, keyword = self.saved
        self.resolution_id = MI.add_resolution(
            session, A.get_item(session, item_id), wording, text, parts, keyword
        ).id


class AddAction(StoreCommand):
    scope = "actions"

    def __init__(
        self,
        store: Store,
        item_id: int,
        text: str,
        owner: str,
        due: dt.date | None,
        resolution_id: int | None = None,
    ) -> None:
        super().__init__(store, "Add action")
        self.item_id, self.text_, self.owner, self.due, self.resolution_id = (
            item_id,
            text,
            owner,
            due,
            resolution_id,
        )
        self.action_id: int | None = None

    def do(self, session: Session) -> None:
        item = A.get_item(session, self.item_id)
        resolution = MI.get_resolution(session, self.resolution_id) if self.resolution_id else None
        self.action_id = AC.add_action(
            session, item, self.text_, owner=self.owner, due_date=self.due, resolution=resolution
        ).id

    def reverse(self, session: Session) -> None:
        if self.action_id is not None:
            AC.remove_action(session, AC.get_action(session, self.action_id))


class RemoveAction(StoreCommand):
    scope = "actions"

    def __init__(self, store: Store, action_id: int) -> None:
        super().__init__(store, "Remove action")
        self.action_id = action_id
        self.saved: dict[str, Any] = {}

    def do(self, session: Session) -> None:
        a = AC.get_action(session, self.action_id)
        self.saved = {
            "item_id": a.item_id,
            "text": a.text,
            "owner": a.owner,
            "due": a.due_date,
            "status": a.status,
            "rag": a.rag,
            "resolution_id": a.resolution_id,
            "updates": [(u.date, u.text) for u in a.updates],
        }
        AC.remove_action(session, a)

    def reverse(self, session: Session) -> None:
        s = self.saved
        resolution = MI.get_resolution(session, s["resolution_id"]) if s["resolution_id"] else None
        action = AC.add_action(
            session,
            A.get_item(session, s["item_id"]),
            s["text"],
            owner=s["owner"],
            due_date=s["due"],
            resolution=resolution,
            status=s["status"],
            rag=s["rag"],
        )
        for date, text in s["updates"]:
            AC.add_update(session, action, text, date)
        self.action_id = action.id


class SetActionStatus(StoreCommand):
    scope = "actions"

    def __init__(self, store: Store, action_id: int, status: ActionStatus) -> None:
        super().__init__(store, f"Set action status to {status.label}")
        self.action_id, self.status = action_id, status
        self.old = status

    def do(self, session: Session) -> None:
        action = AC.get_action(session, self.action_id)
        self.old = action.status
        AC.update_action(session, action, status=self.status)

    def reverse(self, session: Session) -> None:
        AC.update_action(session, AC.get_action(session, self.action_id), status=self.old)
