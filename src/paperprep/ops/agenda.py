"""Operations on the agenda: items added, moved, removed, renamed and described; Part B; topics; documents."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from paperprep.domain import AttachmentKind, ItemKind
from paperprep.ops.base import Operation, expect_version

if TYPE_CHECKING:  # the parser's patterns are compiled only when a paste is applied
    from paperprep.imports.pasted_model import ParsedMinutes
from paperprep.services import agenda as A
from paperprep.services import meetings as M


@dataclass(frozen=True)
class AddItem(Operation[int]):
    meeting_id: int
    title: str
    kind: ItemKind = ItemKind.REPORT

    @property
    def label(self) -> str:
        return f"Add item {self.title!r}"

    def apply(self, session: Session) -> int:
        return A.add_item(session, M.get_meeting(session, self.meeting_id), self.title, self.kind).id


@dataclass(frozen=True)
class AddStandardItems(Operation[list[int]]):
    meeting_id: int

    @property
    def label(self) -> str:
        return "Add standard items"

    def apply(self, session: Session) -> list[int]:
        return [i.id for i in A.add_standard_items(session, M.get_meeting(session, self.meeting_id))]


@dataclass(frozen=True)
class RemoveItem(Operation[None]):
    item_id: int

    @property
    def label(self) -> str:
        return "Remove item"

    def apply(self, session: Session) -> None:
        A.remove_item(session, A.get_item(session, self.item_id))


@dataclass(frozen=True)
class MoveItem(Operation[int]):
    item_id: int
    to_index: int

    @property
    def label(self) -> str:
        return "Reorder agenda"

    def apply(self, session: Session) -> int:
        return A.move_item(session, A.get_item(session, self.item_id), self.to_index)


@dataclass(frozen=True)
class SetExempt(Operation[None]):
    """Part B: the item is exempt under these Schedule 12A paragraphs, and the public sees `public_title`."""

    item_id: int
    paragraphs: tuple[int, ...]
    public_title: str = ""

    @property
    def label(self) -> str:
        return "Move item to Part B"

    def apply(self, session: Session) -> None:
        A.set_exempt(session, A.get_item(session, self.item_id), self.paragraphs, self.public_title)


@dataclass(frozen=True)
class ClearExempt(Operation[None]):
    item_id: int

    @property
    def label(self) -> str:
        return "Return item to Part A"

    def apply(self, session: Session) -> None:
        A.clear_exempt(session, A.get_item(session, self.item_id))


@dataclass(frozen=True)
class MarkLate(Operation[None]):
    """The item came after the agenda was published: late, with the reason for urgency the minutes record."""

    item_id: int
    reason: str

    @property
    def label(self) -> str:
        return "Mark item as late"

    def apply(self, session: Session) -> None:
        A.mark_late(session, A.get_item(session, self.item_id), self.reason)


@dataclass(frozen=True)
class EditItem(Operation[int]):
    """One typed detail of an item (title, kind, purpose, report of). Returns the item's new version."""

    item_id: int
    field: str
    value: str
    read_version: int | None = None

    @property
    def label(self) -> str:
        return {"title": "Rename item", "kind": "Change item kind", "report_of": "Edit report of"}.get(
            self.field, f"Edit {self.field.replace('_', ' ')}"
        )

    def apply(self, session: Session) -> int:
        item = A.get_item(session, self.item_id)
        expect_version(item, self.read_version, f"item {item.title!r}")
        A.update_item(session, item, **{self.field: self.value})
        session.flush()
        return item.version

    def merge_key(self) -> Hashable | None:
        return ("item", self.item_id, self.field)


@dataclass(frozen=True)
class SetItemTopic(Operation[None]):
    item_id: int
    topic_name: str  # empty: no topic

    @property
    def label(self) -> str:
        return "Set topic"

    def apply(self, session: Session) -> None:
        from paperprep.services.topics import get_or_create_topic, set_item_topic

        name = self.topic_name.strip()
        topic = get_or_create_topic(session, name) if name else None
        set_item_topic(session, A.get_item(session, self.item_id), topic)


@dataclass(frozen=True)
class AddDocument(Operation[int]):
    """Copy a file into the managed store beside the database and attach it. Copies are kept for undo."""

    item_id: int
    source: Path
    store_dir: Path
    kind: AttachmentKind = AttachmentKind.REPORT

    @property
    def label(self) -> str:
        return f"Add document {self.source.name}"

    def apply(self, session: Session) -> int:
        item = A.get_item(session, self.item_id)
        return A.add_attachment(session, item, self.source, self.store_dir, self.kind).id


@dataclass(frozen=True)
class RemoveDocument(Operation[None]):
    attachment_id: int

    @property
    def label(self) -> str:
        return "Remove document"

    def apply(self, session: Session) -> None:
        from paperprep.db.models import Attachment
        from paperprep.errors import NotFoundError

        attachment = session.get(Attachment, self.attachment_id)
        if attachment is None:
            raise NotFoundError("That document is no longer attached.")
        A.remove_attachment(session, attachment)


@dataclass(frozen=True)
class PasteMinutes(Operation[int]):
    """A minute pasted from a published page becomes one new item: one step, undone as one."""

    meeting_id: int
    parsed: ParsedMinutes

    @property
    def label(self) -> str:
        return f"Paste minutes {self.parsed.title or ''}".strip()

    def apply(self, session: Session) -> int:
        from paperprep.imports.pasted_apply import create_item_from_parsed

        return create_item_from_parsed(session, M.get_meeting(session, self.meeting_id), self.parsed).id
