"""The agenda: add, reorder, remove and move items to Part B, with minute numbers kept right.

Positions are contiguous (0, 1, 2...) and Part B (exempt) items always follow Part A, so that the exclusion motion
and the minute numbers come out right whatever the clerk does.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from paperprep.db.models import AgendaItem, Attachment, Meeting, Person
from paperprep.domain import STANDARD_ITEMS, AttachmentKind, ItemKind, MeetingStatus
from paperprep.errors import NotFoundError, ValidationError
from paperprep.services.meetings import ensure_editable
from paperprep.services.numbering import renumber_meeting

DEFAULT_PUBLIC_TITLE = "Exempt item"


def get_item(session: Session, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFoundError(f"There is no agenda item with id {item_id}.")
    return item


def ordered_items(meeting: Meeting) -> list[AgendaItem]:
    return sorted(meeting.items, key=lambda i: i.position)


def _is_motion(item: AgendaItem) -> bool:
    return item.kind is ItemKind.EXCLUSION_MOTION and not item.is_exempt


def _in_order(items: list[AgendaItem]) -> list[AgendaItem]:
    """Part A, then the exclusion motion, then Part B; each group keeps the order it was given in."""
    public = [i for i in items if not i.is_exempt and not _is_motion(i)]
    motion = [i for i in items if _is_motion(i)]
    return public + motion + [i for i in items if i.is_exempt]


def _bounds(items: list[AgendaItem], item: AgendaItem) -> tuple[int, int]:
    """Where `item` may stand among `items` (which do not hold it): the first and the last index allowed."""
    public = sum(1 for i in items if not i.is_exempt and not _is_motion(i))
    motions = sum(1 for i in items if _is_motion(i))
    if item.is_exempt:
        return public + motions, len(items)
    if _is_motion(item):
        return public, public + motions
    return 0, public


def _reflow(session: Session, meeting: Meeting, items: list[AgendaItem]) -> None:
    """Store `items` in this order, kept as the record needs it (every public item, then the exclusion of the
    press and public, then the exempt items), then renumber."""
    for position, item in enumerate(_in_order(items)):
        if item.position != position:
            item.position = position
    session.flush()
    session.expire(meeting, ["items"])
    renumber_meeting(session, meeting)


def check_order(meeting: Meeting) -> None:
    """Raise ValidationError unless every public item comes before the exclusion motion, which comes directly
    before the first exempt item."""
    items = ordered_items(meeting)
    if items != _in_order(items):
        raise ValidationError(
            f"The agenda of {meeting.committee.name} on {meeting.date:%d/%m/%Y} is out of order: every public "
            "item must come before the exclusion of the press and public, and the exempt items after it."
        )


def _title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("The item has no title. Type a title for it.")
    if len(title) > 500:
        raise ValidationError(
            "The title is longer than 500 characters. Shorten it and put the rest in the purpose."
        )
    return title


def add_item(
    session: Session,
    meeting: Meeting,
    title: str,
    kind: ItemKind = ItemKind.REPORT,
    *,
    purpose: str = "",
    report_of: str = "",
    presenter: Person | None = None,
    presenter_name: str = "",
    presenter_role: str = "",
    exempt_paragraphs: tuple[int, ...] = (),
    public_title: str = "",
    index: int | None = None,
    exclusion_motion: bool = True,
) -> AgendaItem:
    """Add an item at `index` (default: the end of its part).

    An exempt item brings the exclusion motion with it unless `exclusion_motion` is False (loading a file that
    already says where its motion is).
    """
    ensure_editable(meeting)
    if kind is ItemKind.EXCLUSION_MOTION:
        if exempt_paragraphs:
            raise ValidationError(
                "The exclusion of the press and public is itself a public item: it cannot be exempt."
            )
        if any(_is_motion(i) for i in meeting.items):
            raise ValidationError(
                "The meeting already has the exclusion of the press and public; one motion covers every "
                "exempt item. Choose another kind for the new item."
            )
    item = AgendaItem(
        meeting=meeting,
        title=_title(title),
        kind=kind,
        purpose=purpose.strip(),
        report_of=report_of.strip(),
        presenter=presenter,
        presenter_name=presenter_name.strip(),
        presenter_role=presenter_role.strip(),
        position=len(meeting.items),
        minutes_body="[]",
    )
    if exempt_paragraphs:
        _apply_exempt(item, exempt_paragraphs, public_title)
    items = [i for i in ordered_items(meeting) if i is not item]
    session.add(item)
    session.flush()
    low, high = _bounds(items, item)
    index = high if index is None else max(low, min(index, high))
    items.insert(index, item)
    _reflow(session, meeting, items)
    if item.is_exempt and exclusion_motion:
        ensure_exclusion_motion(session, meeting)
    return item


def add_standard_items(session: Session, meeting: Meeting) -> list[AgendaItem]:
    """Add the usual opening items that the meeting does not have yet, at the top in the usual order."""
    ensure_editable(meeting)
    have = {i.kind for i in meeting.items}
    added = []
    for offset, (kind, title) in enumerate(k for k in STANDARD_ITEMS if k[0] not in have):
        added.append(add_item(session, meeting, title, kind, index=offset))
    return added


def remove_item(session: Session, item: AgendaItem) -> None:
    meeting = item.meeting
    ensure_editable(meeting)
    if _is_motion(item) and any(i.is_exempt for i in meeting.items):
        raise ValidationError(
            "The exempt items need the exclusion of the press and public before them. Return the exempt items "
            "to Part A (or remove them) first, then remove the motion."
        )
    items = [i for i in ordered_items(meeting) if i is not item]
    session.delete(item)
    session.flush()
    _reflow(session, meeting, items)


def move_item(session: Session, item: AgendaItem, to_index: int) -> int:
    """Move an item to `to_index` in the whole agenda. Returns where it landed.

    A move that would put a public item after the exclusion of the press and public, an exempt item before it,
    or the motion anywhere but directly before the exempt items, is refused with what to do instead.
    """
    meeting = item.meeting
    ensure_editable(meeting)
    items = [i for i in ordered_items(meeting) if i is not item]
    to_index = max(0, min(to_index, len(items)))
    low, high = _bounds(items, item)
    if not low <= to_index <= high:
        has_motion = any(_is_motion(i) for i in items)
        if _is_motion(item):
            raise ValidationError(
                "The exclusion of the press and public stays directly before the exempt items. "
                "Move the other items instead."
            )
        if item.is_exempt:
            where = "after the exclusion of the press and public" if has_motion else "after the public items"
            raise ValidationError(
                f"{item.title!r} is exempt (Part B), so it stays {where}. To move it into Part A, "
                "return it to Part A first."
            )
        where = "before the exclusion of the press and public" if has_motion else "before the exempt items"
        raise ValidationError(
            f"{item.title!r} is a public (Part A) item, so it stays {where}. To move it into Part B, "
            "make it exempt first."
        )
    items.insert(to_index, item)
    _reflow(session, meeting, items)
    return item.position


def _apply_exempt(item: AgendaItem, paragraphs: tuple[int, ...], public_title: str) -> None:
    bad = [p for p in paragraphs if p not in range(1, 8)]
    if bad or not paragraphs:
        raise ValidationError(
            "An exempt item needs one or more paragraphs of Schedule 12A, numbered 1 to 7. Choose the paragraph(s)."
        )
    item.is_exempt = True
    item.exempt_paragraphs = ",".join(str(p) for p in sorted(set(paragraphs)))
    item.public_title = " ".join(public_title.split()) or item.public_title or DEFAULT_PUBLIC_TITLE


def set_exempt(
    session: Session, item: AgendaItem, paragraphs: tuple[int, ...], public_title: str = ""
) -> None:
    """Move an item to Part B, exempt under the given Schedule 12A paragraph(s)."""
    meeting = item.meeting
    ensure_editable(meeting)
    if item.kind is ItemKind.EXCLUSION_MOTION:
        raise ValidationError(
            "The exclusion of the press and public is itself a public item: it cannot be exempt. "
            "Choose the item that holds the exempt information."
        )
    was_exempt = item.is_exempt
    _apply_exempt(item, paragraphs, public_title)
    if not was_exempt:
        items = [i for i in ordered_items(meeting) if i is not item] + [item]
        _reflow(session, meeting, items)
    ensure_exclusion_motion(session, meeting)


def clear_exempt(session: Session, item: AgendaItem) -> None:
    """Move an item back to Part A, at the end of it."""
    meeting = item.meeting
    ensure_editable(meeting)
    if not item.is_exempt:
        return
    item.is_exempt = False
    item.exempt_paragraphs = ""
    items = [i for i in ordered_items(meeting) if i is not item]
    items.insert(_bounds(items, item)[1], item)  # the end of Part A, before the motion
    _reflow(session, meeting, items)


def agenda_published(meeting: Meeting) -> bool:
    """The agenda is out (published, or the meeting held) and the minutes are not approved: a change to the agenda
    now needs a supplementary agenda or a republication notice, or the Chair's agreement that an item is urgent."""
    return meeting.status not in (MeetingStatus.DRAFT_AGENDA, MeetingStatus.MINUTES_APPROVED)


def mark_late(session: Session, item: AgendaItem, reason: str) -> None:
    """Mark an item as late (added after the agenda was published), with the reason for urgency that the minutes
    record (Local Government Act 1972 s.100B(4)). An empty reason is refused; marking again replaces the reason."""
    meeting = item.meeting
    ensure_editable(meeting)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            "Give the reason for urgency: the minutes must say why the item could not wait for the next meeting."
        )
    if item.is_late and item.urgency_reason == reason:
        return
    item.is_late = True
    item.urgency_reason = reason
    session.flush()


def clear_late(session: Session, item: AgendaItem) -> None:
    ensure_editable(item.meeting)
    if item.is_late or item.urgency_reason:
        item.is_late = False
        item.urgency_reason = ""
        session.flush()


def ensure_exclusion_motion(session: Session, meeting: Meeting) -> AgendaItem | None:
    """Part B needs the exclusion of the press and public before it: add the motion as the last Part A item."""
    if not any(i.is_exempt for i in meeting.items):
        return None
    existing = next((i for i in meeting.items if i.kind is ItemKind.EXCLUSION_MOTION), None)
    if existing is not None:
        return existing
    return add_item(session, meeting, "Exclusion of the press and public", ItemKind.EXCLUSION_MOTION)


def exclusion_motion_text(paragraphs: set[int] | list[int] | tuple[int, ...]) -> str:
    nums = sorted(set(paragraphs))
    if not nums:
        return ""
    if len(nums) == 1:
        para = f"paragraph {nums[0]}"
    else:
        para = "paragraphs " + ", ".join(str(n) for n in nums[:-1]) + f" and {nums[-1]}"
    return (
        "That under Section 100A(4) of the Local Government Act 1972 the press and public be excluded from the "
        "meeting for the following item(s) of business on the grounds that it involves the likely disclosure of "
        f"exempt information as defined in {para} of Part 1 of Schedule 12A of the Act, and that the public "
        "interest in maintaining the exemption outweighs the public interest in disclosing the information."
    )


_ITEM_FIELDS = {"title", "kind", "purpose", "report_of", "presenter_name", "presenter_role", "public_title"}


def update_item(session: Session, item: AgendaItem, **changes: object) -> None:
    ensure_editable(item.meeting)
    for key, value in changes.items():
        if key == "presenter":
            item.presenter = value if isinstance(value, Person) else None
            continue
        if key == "topic_id":
            item.topic_id = value if isinstance(value, int) else None
            continue
        if key not in _ITEM_FIELDS:
            raise ValidationError(f"{key} is not a detail of an agenda item that can be changed here.")
        if key == "title":
            value = _title(str(value))
        elif key == "kind":
            value = ItemKind(str(value))
            _check_kind_change(item, value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(item, key, value)
    session.flush()
    if "kind" in changes:
        _reflow(session, item.meeting, ordered_items(item.meeting))


def _check_kind_change(item: AgendaItem, kind: ItemKind) -> None:
    """An item may become, or stop being, the exclusion motion only where the agenda's order allows it."""
    meeting = item.meeting
    if kind is ItemKind.EXCLUSION_MOTION and item.kind is not ItemKind.EXCLUSION_MOTION:
        if item.is_exempt:
            raise ValidationError(
                "An exempt item cannot be the exclusion of the press and public. Return it to Part A first."
            )
        if any(_is_motion(i) for i in meeting.items if i is not item):
            raise ValidationError(
                "The meeting already has the exclusion of the press and public. Keep one motion: change the "
                "kind of this item to something else."
            )
    if item.kind is ItemKind.EXCLUSION_MOTION and kind is not ItemKind.EXCLUSION_MOTION:
        if any(i.is_exempt for i in meeting.items):
            raise ValidationError(
                "The exempt items need the exclusion of the press and public before them, so this item stays "
                "the motion. Return the exempt items to Part A first."
            )


def _pdf_pages(data: bytes) -> int | None:
    if not data.startswith(b"%PDF"):
        return None
    count = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    return count or None


def add_attachment(
    session: Session,
    item: AgendaItem,
    source: Path,
    store_dir: Path,
    kind: AttachmentKind = AttachmentKind.REPORT,
) -> Attachment:
    """Copy a file into the managed store (named by its sha256) and attach it to the item."""
    ensure_editable(item.meeting)
    source = Path(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"{source.name} cannot be read ({exc.strerror}). Check the file and try again."
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    suffix = source.suffix.lower()[:10]
    stored = f"{digest[:2]}/{digest}{suffix}"
    target = Path(store_dir) / stored
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(source, partial)
        partial.replace(target)
    attachment = Attachment(
        item=item,
        file_name=source.name,
        kind=kind,
        size_bytes=len(data),
        page_count=_pdf_pages(data),
        sha256=digest,
        stored_name=stored,
    )
    session.add(attachment)
    session.flush()
    return attachment


def remove_attachment(session: Session, attachment: Attachment) -> None:
    ensure_editable(attachment.item.meeting)
    session.delete(attachment)
    session.flush()
