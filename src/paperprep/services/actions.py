"""Actions that resolutions create: owners, due dates, status, RAG and dated progress updates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from paperprep.db.models import Action, ActionUpdate, AgendaItem, Committee, Meeting, Resolution
from paperprep.domain import ActionStatus, Audience, NumberingScheme, Rag
from paperprep.errors import MinutesLockedError, NotFoundError, ValidationError
from paperprep.formats import action_reference
from paperprep.records import ActionRecord, ActionUpdateRecord
from paperprep.services.meetings import ensure_editable
from paperprep.services.numbering import minute_ref, municipal_year


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def get_action(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFoundError(f"There is no action with id {action_id}.")
    return action


def add_action(
    session: Session,
    item: AgendaItem,
    text: str,
    *,
    owner: str = "",
    due_date: dt.date | None = None,
    resolution: Resolution | None = None,
    status: ActionStatus = ActionStatus.OPEN,
    rag: Rag = Rag.NONE,
    source_finding: str = "",
) -> Action:
    """Add an action to an item (and optionally the resolution that created it); it is numbered n in "57/n"."""
    ensure_editable(item.meeting)
    text = text.strip()
    if not text:
        raise ValidationError("The action has no text. Say what is to be done.")
    if resolution is not None and resolution.item_id != item.id:
        raise ValidationError("That resolution belongs to another item.")
    number = (max((a.number for a in item.actions), default=0)) + 1
    action = Action(
        item=item,
        resolution_id=resolution.id if resolution else None,
        number=number,
        text=text,
        owner=owner.strip(),
        due_date=due_date,
        status=status,
        rag=rag,
        source_finding=source_finding.strip(),
        completed_on=dt.date.today() if status is ActionStatus.DONE else None,
    )
    session.add(action)
    session.flush()
    return action


_ACTION_FIELDS = {"text", "owner", "due_date", "status", "rag", "notes", "resolution"}
# What the approved minutes say of an action: it changes only once they are reopened. The rest is progress.
MINUTED_FIELDS = frozenset({"text", "resolution"})


def _ensure_minuted_unchanged(action: Action, changes: dict[str, object]) -> None:
    meeting = action.item.meeting
    if not meeting.is_locked:
        return
    moved = [
        key
        for key in MINUTED_FIELDS & changes.keys()
        if (
            str(changes[key]).strip() != action.text
            if key == "text"
            else getattr(changes[key], "id", None) != action.resolution_id
        )
    ]
    if moved:
        raise MinutesLockedError(
            f"The minutes of {meeting.committee.name} on {meeting.date:%d/%m/%Y} are approved, so the "
            f"action's {'wording' if 'text' in moved else 'resolution'} is part of the record and cannot change. "
            "Record progress in the action log, or reopen the minutes (with a reason) to correct them."
        )


def update_action(session: Session, action: Action, **changes: object) -> bool:
    """Change an action. Returns whether anything changed; updated_at moves only then (used to spot conflicts).

    `resolution` is the Resolution of the action's item that the action comes from, or None for none."""
    _ensure_minuted_unchanged(action, changes)
    changed = False
    if "resolution" in changes:
        resolution = changes.pop("resolution")
        if resolution is not None and not isinstance(resolution, Resolution):
            raise ValidationError("The action's resolution is not a resolution.")
        if resolution is not None and resolution.item_id != action.item_id:
            raise ValidationError(
                "That resolution belongs to another item; an action comes from its own item."
            )
        new_id = resolution.id if resolution is not None else None
        if action.resolution_id != new_id:
            action.resolution_id = new_id
            changed = True
    if (
        "due_date" in changes
        and changes["due_date"] is not None
        and not isinstance(changes["due_date"], dt.date)
    ):
        raise ValidationError("The due date is not a date. Use dd/mm/yyyy.")
    for key, value in changes.items():
        if key not in _ACTION_FIELDS:
            raise ValidationError(f"{key} is not a detail of an action that can be changed.")
        if key == "status":
            value = ActionStatus(str(value))
        elif key == "rag":
            value = Rag(str(value))
        elif key == "text":
            value = str(value).strip()
            if not value:
                raise ValidationError("The action has no text. Say what is to be done.")
        elif isinstance(value, str):
            value = value.strip()
        if getattr(action, key) != value:
            setattr(action, key, value)
            changed = True
            if key == "status":
                action.completed_on = dt.date.today() if value is ActionStatus.DONE else None
    if changed:
        action.updated_at = _now()
        session.flush()
    return changed


def add_update(session: Session, action: Action, text: str, date: dt.date | None = None) -> ActionUpdate:
    text = text.strip()
    if not text:
        raise ValidationError("The update has no text. Type the progress to record.")
    update = ActionUpdate(action=action, date=date or dt.date.today(), text=text)
    session.add(update)
    action.updated_at = _now()
    session.flush()
    return update


def remove_action(session: Session, action: Action) -> None:
    ensure_editable(action.item.meeting)
    session.delete(action)
    session.flush()


@dataclass(frozen=True, slots=True)
class ActionFilter:
    committee_id: int | None = None
    owner: str | None = None
    status: str = "all"  # "open", "done", "overdue" or "all"
    text: str | None = None
    today: dt.date | None = None
    meeting_id: int | None = None
    before: dt.date | None = None  # from meetings held before this date


def action_query(flt: ActionFilter) -> Select[tuple[Action]]:
    query = (
        select(Action)
        .join(AgendaItem, AgendaItem.id == Action.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Committee, Committee.id == Meeting.committee_id)
    )
    if flt.committee_id is not None:
        query = query.where(Meeting.committee_id == flt.committee_id)
    if flt.meeting_id is not None:
        query = query.where(AgendaItem.meeting_id == flt.meeting_id)
    if flt.before is not None:
        query = query.where(Meeting.date < flt.before)
    if flt.owner:
        query = query.where(func.lower(Action.owner).contains(flt.owner.lower()))
    open_states = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
    is_open = Action.status.in_(open_states)
    if flt.committee_id is not None or flt.meeting_id is not None:
        # The same rows, said so that no index on the status can serve it: SQLite would otherwise walk every open
        # action of every committee through the status index, where from the committee's (or the meeting's)
        # items it reaches only its own: the matters arising of one committee read about ten times faster.
        is_open = Action.status.not_in(tuple(s for s in ActionStatus if s not in open_states))
    if flt.status == "open":
        query = query.where(is_open)
    elif flt.status == "done":
        query = query.where(Action.status.not_in(open_states))
    elif flt.status == "overdue":
        query = query.where(is_open, Action.due_date < (flt.today or dt.date.today()))
    if flt.text:
        needle = f"%{flt.text.lower()}%"
        query = query.where(or_(func.lower(Action.text).like(needle), func.lower(Action.owner).like(needle)))
    return query.order_by(Meeting.date, AgendaItem.position, Action.number)


def list_actions(session: Session, flt: ActionFilter) -> list[Action]:
    """The actions matching `flt`, with everything an action log row shows loaded in a fixed number of queries."""
    query = action_query(flt).options(
        contains_eager(Action.item).contains_eager(AgendaItem.meeting).contains_eager(Meeting.committee),
        selectinload(Action.updates),
    )
    return list(session.scalars(query).unique())


def action_log_records(
    session: Session, flt: ActionFilter, audience: Audience = Audience.CONFIDENTIAL
) -> list[ActionRecord]:
    """The action log's rows for `flt`, read with two Core queries straight into frozen records.

    The same records as snapshot.action_records(list_actions(...)) gives, without building an ORM object per
    action, item, meeting and update: that is what made the log of ten years slow to open. A public log leaves
    out every action of an exempt item."""
    query = action_query(flt).with_only_columns(
        Action.id,
        Action.number,
        Action.text,
        Action.owner,
        Action.due_date,
        Action.status,
        Action.rag,
        Action.notes,
        Action.updated_at,
        Action.source_finding,
        Action.version,
        AgendaItem.minute_number,
        AgendaItem.title,
        AgendaItem.public_title,
        AgendaItem.is_exempt,
        Meeting.id,
        Meeting.date,
        Committee.name,
        Committee.code,
        Committee.numbering,
        Committee.year_start_month,
        maintain_column_froms=False,
    )
    if audience is Audience.PUBLIC:
        query = query.where(AgendaItem.is_exempt.is_(False))
    conn = session.connection()  # Core rows, without the ORM's per-row loading layer
    rows = conn.execute(query).all()
    updates: dict[int, list[ActionUpdateRecord]] = {}
    if rows:
        ids = action_query(flt).with_only_columns(Action.id, maintain_column_froms=False).order_by(None)
        for action_id, date, text in conn.execute(
            select(ActionUpdate.action_id, ActionUpdate.date, ActionUpdate.text)
            .where(ActionUpdate.action_id.in_(ids.scalar_subquery()))
            .order_by(ActionUpdate.action_id, ActionUpdate.date, ActionUpdate.id)
        ).all():
            updates.setdefault(action_id, []).append(ActionUpdateRecord(date, text))
    none: tuple[ActionUpdateRecord, ...] = ()
    # An item's actions share its minute number and the meeting's period: what their references are written
    # from is worked out once an item (written for action 0, the 0 then dropped), the action's number added last.
    refs: dict[tuple[int, int | None], tuple[str, str]] = {}
    records = []
    for (
        action_id, number, text, owner, due_date, status, rag, notes, updated_at, source_finding, version,
        minute_number, title, public_title, is_exempt, meeting_id, meeting_date, committee_name, code,
        numbering, start_month,
    ) in rows:  # fmt: skip
        known = refs.get((meeting_id, minute_number))
        if known is None:
            year = municipal_year(meeting_date, start_month)
            if numbering is NumberingScheme.PER_MEETING:
                stem = action_reference(code, minute_number, 0, meeting_date=meeting_date)
            else:
                stem = action_reference(code, minute_number, 0, year=year)
            known = refs[meeting_id, minute_number] = (
                stem.removesuffix("0"),
                minute_ref(minute_number, numbering, year),
            )
        found = updates.get(action_id)
        records.append(
            ActionRecord(
                id=action_id,
                reference=f"{known[0]}{number}",
                committee_name=committee_name,
                committee_code=code,
                meeting_id=meeting_id,
                meeting_date=meeting_date,
                minute_ref=known[1],
                item_title=public_title if is_exempt else title,
                text=text,
                owner=owner,
                due_date=due_date,
                status=status,
                rag=rag,
                updates=tuple(found) if found else none,
                notes=notes,
                updated_at=updated_at,
                source_finding=source_finding,
                version=version,
            )
        )
    return records


def carried_forward_filter(meeting: Meeting) -> ActionFilter:
    """Open actions from this committee's earlier meetings: they come back as matters arising."""
    return ActionFilter(committee_id=meeting.committee_id, status="open", before=meeting.date)


def owners(session: Session) -> list[str]:
    return [o for o in session.scalars(select(Action.owner).distinct().order_by(Action.owner)) if o]
