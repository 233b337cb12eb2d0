"""Operations, and the workbench that runs them: one road for every change, and undo from data.

An operation is a small frozen class with the clerk's name for what it does (`label`) and `apply(session)`. The
workbench runs it in one committed transaction while the database records every row it writes (before and after
images, paperprep.db.changelog). From that record come both the `Changes` notice for the views and the `Step` that
undo and redo replay: the same mechanism for every operation, and exact, ids, numbers, links and all.

Undo and redo first check that each row is still as the step left it (only the columns the step changed), so an
undo never overwrites a change made since in another window or, in team mode, by another clerk.

Approved minutes are the record, and the workbench keeps them so, from the same row images, for every operation
and every replay alike (`_keep_the_record`): a locked meeting refuses every change but an action's progress; every
change to a meeting that was ever approved is written to the audit trail, before and after; a meeting being
approved (or loaded as approved) has its minutes frozen as they are.
"""

from __future__ import annotations

import getpass
import json
import time
import uuid
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from paperprep.cleaning import clean
from paperprep.db import Database, changelog, notify
from paperprep.db.changelog import RowChange
from paperprep.domain import AuditEvent, MeetingStatus
from paperprep.errors import ConflictError, MinutesLockedError
from paperprep.ops.changes import Changes, Origin, derive, row_meetings, to_notice

T = TypeVar("T")

# Typing in one field within this many seconds of the last save is one undo step.
MERGE_SECONDS = 4.0
APPROVED = MeetingStatus.MINUTES_APPROVED.value
# The columns of an action that record its progress, in the action log, after its minutes are approved: status,
# RAG, notes, a revised due date and a new owner (the minutes keep the wording, owner and date as minuted).
PROGRESS_COLUMNS = frozenset(
    {"status", "rag", "notes", "due_date", "owner", "owner_id", "completed_on", "updated_at", "version"}
)
# Moved by the database or derived from the rest: never a change of the record on their own, never in the audit.
NOT_AUDITED = frozenset({"version", "updated_at", "minute_number"})
# Written when minutes are approved (paperprep.services.snapshot.freeze_minutes), never by the clerk.
FROZEN_COLUMNS = frozenset({"approved_record", "minuted_text", "minuted_owner", "minuted_due_date"})
# The meeting's own record of approval and reopening: each has its own audit entry.
_LIFECYCLE_COLUMNS = frozenset({"status", "approved_on", "approved_at_meeting_id"})


class Operation(Generic[T]):
    """One change a clerk can make. Subclasses are frozen dataclasses whose fields are the change's inputs."""

    undoable: ClassVar[bool] = True
    # Reopening approved minutes is the one change a locked meeting accepts besides an action's progress.
    reopens: ClassVar[bool] = False

    @property
    def label(self) -> str:
        raise NotImplementedError

    def apply(self, session: Session) -> T:
        raise NotImplementedError

    def merge_key(self) -> Hashable | None:
        """Typing saves of the same field share a key, and merge into one undo step."""
        return None


@dataclass(frozen=True)
class Step:
    """A committed operation, with the row images that undo and redo replay."""

    label: str
    rows: tuple[RowChange, ...]
    changes: Changes
    undoable: bool = True
    merge_key: Hashable | None = None
    at: float = field(default_factory=time.monotonic)

    def merged_with(self, newer: Step) -> Step:
        return replace(
            newer,
            rows=changelog.merge(self.rows, newer.rows),
            changes=replace(
                newer.changes,
                kinds=self.changes.kinds | newer.changes.kinds,
                meeting_ids=self.changes.meeting_ids | newer.changes.meeting_ids,
            ),
        )

    def can_merge(self, newer: Step) -> bool:
        return (
            self.merge_key is not None
            and self.merge_key == newer.merge_key
            and newer.at - self.at < MERGE_SECONDS
        )


@dataclass(frozen=True)
class Done(Generic[T]):
    result: T
    step: Step


def expect_version(record: Any, version: int | None, what: str) -> None:
    """Refuse an edit made from a view that read an older version of the record."""
    if version is not None and record.version != version:
        raise ConflictError(
            f"{what[:1].upper()}{what[1:]} was changed elsewhere (in another window, or by another clerk) since "
            "you opened it. Your change was not saved; it is still on screen."
        )


def _replay_order(rows: tuple[RowChange, ...], backwards: bool) -> list[RowChange]:
    """Deletions, then updates, then insertions, so that no unique key is held twice on the way."""

    def rank(change: RowChange) -> int:
        target = change.before if backwards else change.after
        source = change.after if backwards else change.before
        return 0 if target is None else (2 if source is None else 1)

    return sorted(rows, key=rank)


class Workbench:
    """Runs operations and reads for one open database. Qt-free: the CLI uses it as the window's store does."""

    def __init__(self, db: Database, user: str | None = None) -> None:
        self.db = db
        self.origin = Origin(uuid.uuid4().hex[:12], user or _user())

    def read(self, query: Callable[[Session], T]) -> T:
        with self.db.transaction() as session:
            return query(session)

    def run(self, op: Operation[T], source: str = "") -> Done[T]:
        op = clean(op)  # the one boundary: lone surrogates and control characters never reach the record
        try:
            with self.db.transaction() as session:
                conn = session.connection()
                changelog.begin(conn)
                result = op.apply(session)
                session.flush()
                rows = changelog.end(conn)
                rows, notice = _keep_the_record(session, rows, op.label, self.origin, op.reopens)
                changes = derive(conn, notice, op.label, self.origin, source)
                _tell_other_clerks(conn, changes)
        except StaleDataError:
            raise ConflictError(
                f"{op.label} was not saved: the record changed in the meantime (another window or another "
                "clerk). Look again, then repeat the change."
            ) from None
        merge_key = op.merge_key()
        return Done(result, Step(op.label, rows, changes, op.undoable, merge_key))

    def undo(self, step: Step, source: str = "") -> Changes:
        return self._replay(step, backwards=True, source=source)

    def redo(self, step: Step, source: str = "") -> Changes:
        return self._replay(step, backwards=False, source=source)

    def _replay(self, step: Step, backwards: bool, source: str) -> Changes:
        if not step.undoable:
            raise ConflictError(f"{step.label} cannot be undone.")
        label = f"{'Undo' if backwards else 'Redo'} {step.label}"
        with self.db.transaction(foreign_keys=False) as session:
            conn = session.connection()
            changelog.check(conn, step.rows, backwards)
            changelog.begin(conn)
            changelog.restore(conn, _replay_order(step.rows, backwards), backwards)
            _renumber(session, step)
            session.flush()
            # What ON DELETE SET NULL does with foreign keys on: an audit entry outlives the item it names.
            conn.exec_driver_sql(
                "UPDATE audit_entries SET item_id = NULL WHERE item_id IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM agenda_items WHERE agenda_items.id = audit_entries.item_id)"
            )
            rows = changelog.end(conn)
            if changelog.foreign_key_problems(conn):
                raise ConflictError(
                    f"This step cannot be {'undone' if backwards else 'redone'}: something it refers to has "
                    "been removed since. Nothing was changed."
                )
            _rows, notice = _keep_the_record(session, rows, label, self.origin, reopens=False)
            changes = derive(conn, notice, label, self.origin, source)
            _tell_other_clerks(conn, changes)
            return changes

    def writable(self) -> bool:
        """Whether this connection may change the record: False for a viewer's account on a shared database."""
        return self.read(lambda session: notify.writable(session.connection()))

    def database_user(self) -> str | None:
        """The database user on a shared database (one login role per clerk), None on a file."""
        return self.read(lambda session: notify.database_user(session.connection()))


def _tell_other_clerks(conn: Connection, changes: Changes) -> None:
    """On a shared database, the change notice for other clerks' windows, sent in this transaction so that the
    server delivers it when the change commits, and never for one that rolls back. Nothing on a file."""
    if conn.dialect.name == "postgresql" and not changes.empty:
        notify.send(conn, to_notice(changes))


# -- approved minutes are the record ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MeetingState:
    """A meeting touched by an operation, before it and after it (None: not there)."""

    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    approved_before: bool  # an approval entry in its audit trail from before this operation

    @property
    def locked(self) -> bool:
        return self.before is not None and self.before.get("status") == APPROVED

    @property
    def ever_approved(self) -> bool:
        """Approved once, before this operation (perhaps reopened since)."""
        if self.before is None:
            return False
        return self.locked or self.before.get("approved_on") is not None or self.approved_before

    @property
    def being_approved(self) -> bool:
        """Approved by this operation, or added as approved (a loaded meeting, the demo)."""
        return self.after is not None and self.after.get("status") == APPROVED and not self.locked


def _audited(rows: Sequence[RowChange], *events: AuditEvent) -> set[int]:
    """The meetings for which these rows add an audit entry of one of these events."""
    wanted = {event.value for event in events}
    return {
        int(r.after["meeting_id"])
        for r in rows
        if r.table == "audit_entries" and r.before is None and r.after is not None and r.after.get("event") in wanted
    }


def _meeting_states(conn: Connection, rows: Sequence[RowChange], ids: set[int]) -> dict[int, _MeetingState]:
    images = {int(r.key[0]): r for r in rows if r.table == "meetings"}
    added_approvals = _audited(rows, AuditEvent.APPROVED)
    states = {}
    for meeting_id in sorted(ids):
        approvals = conn.execute(
            text("SELECT count(*) FROM audit_entries WHERE meeting_id = :meeting AND event = :event"),
            {"meeting": meeting_id, "event": AuditEvent.APPROVED.value},
        ).scalar()
        approved_before = int(approvals or 0) > (1 if meeting_id in added_approvals else 0)
        change = images.get(meeting_id)
        if change is not None:
            states[meeting_id] = _MeetingState(change.before, change.after, approved_before)
        else:
            now = changelog.current(conn, "meetings", (meeting_id,))
            states[meeting_id] = _MeetingState(now, now, approved_before)
    return states


def _allowed_on_locked(change: RowChange) -> bool:
    """What may change in a meeting whose minutes are approved: an action's progress, and its audit trail."""
    if change.table == "audit_entries":
        return change.before is None
    if change.table == "action_updates":
        return True
    columns = change.changed_columns()
    if change.before is not None and change.after is not None and columns <= {"version", "updated_at"}:
        return True  # touched, not changed (approved minutes are never renumbered)
    return (
        change.table == "actions"
        and change.before is not None
        and change.after is not None
        and (columns <= PROGRESS_COLUMNS)
    )


def _refuse(state: _MeetingState, change: RowChange) -> MinutesLockedError:
    if change.table == "meetings" and change.after is None:
        return MinutesLockedError(
            "These minutes have been approved, so the meeting is part of the council's record and cannot be "
            "deleted. Correct it instead: reopen the minutes, with a reason."
        )
    what = changelog.describe(change)
    if change.table == "actions" and change.before is not None and change.after is not None:
        what = "the action's wording"
    return MinutesLockedError(
        f"These minutes are approved, so {what} cannot change: nothing was saved. Reopen them first "
        "(Meeting > Reopen minutes, with a reason), or record an action's progress in the action log."
    )


def _audit_detail(label: str, change: RowChange) -> str | None:
    """The audit entry's detail for one row: what, which row, and each column before and after (whole)."""
    columns = sorted(change.changed_columns() - NOT_AUDITED - FROZEN_COLUMNS)
    if not columns:
        return None
    kind = "added" if change.before is None else ("removed" if change.after is None else "changed")
    detail = {
        "operation": label,
        "table": change.table,
        "row": list(change.key),
        "change": kind,
        "before": {c: change.before.get(c) for c in columns} if change.before is not None else None,
        "after": {c: change.after.get(c) for c in columns} if change.after is not None else None,
    }
    return json.dumps(detail, ensure_ascii=False, separators=(",", ":"), default=str)


def _item_of(session: Session, change: RowChange) -> int | None:
    """The agenda item the row belongs to, when it still exists (the audit entry points at it)."""
    from paperprep.db.models import AgendaItem

    image = change.after if change.after is not None else change.before
    assert image is not None
    item_id = image.get("id") if change.table == "agenda_items" else image.get("item_id")
    if not isinstance(item_id, int) or change.after is None:
        return None
    return item_id if session.get(AgendaItem, item_id) is not None else None


def _keep_the_record(
    session: Session, rows: tuple[RowChange, ...], label: str, origin: Origin, reopens: bool
) -> tuple[tuple[RowChange, ...], tuple[RowChange, ...]]:
    """Apply the rules of approved minutes to what an operation (or a replay) wrote, before it commits.

    Refuses (MinutesLockedError, so the transaction rolls back) any change to a locked meeting but an action's
    progress, and the deletion of a meeting ever approved; audits every other change to a meeting ever approved;
    freezes minutes being approved, and audits an approval that has no entry yet (a meeting loaded as approved).
    Returns the rows for the step (with the columns frozen at approval) and the rows for the change notice (with
    the audit rows written, which are in no step: no undo takes them away).
    """
    from paperprep.db.models import AuditEntry
    from paperprep.services.meetings import get_meeting
    from paperprep.services.snapshot import freeze_minutes

    conn = session.connection()
    owners = row_meetings(conn, rows)
    states = _meeting_states(conn, rows, set().union(*owners) if owners else set())
    lifecycle = _audited(rows, AuditEvent.APPROVED, AuditEvent.REOPENED)
    entries: list[AuditEntry] = []
    for change, meetings in zip(rows, owners, strict=True):
        for meeting_id in meetings:
            state = states[meeting_id]
            if change.table == "meetings" and change.after is None and state.ever_approved:
                raise _refuse(state, change)
            if state.locked and not reopens and not _allowed_on_locked(change):
                raise _refuse(state, change)
            if not state.ever_approved or change.table == "audit_entries":
                continue
            if change.table == "meetings" and meeting_id in lifecycle:
                change = RowChange(  # noqa: PLW2901 - the approval or reopening says this part itself
                    change.table,
                    change.key,
                    {k: v for k, v in (change.before or {}).items() if k not in _LIFECYCLE_COLUMNS},
                    {k: v for k, v in (change.after or {}).items() if k not in _LIFECYCLE_COLUMNS},
                )
            detail = _audit_detail(label, change)
            if detail is not None:
                entries.append(
                    AuditEntry(
                        meeting_id=meeting_id,
                        item_id=_item_of(session, change),
                        event=AuditEvent.EDITED,
                        detail=detail,
                        user=origin.user,
                    )
                )
    approving = [m for m, state in states.items() if state.being_approved]
    if not entries and not approving:
        return rows, rows
    changelog.begin(conn)
    for meeting_id in approving:
        meeting = get_meeting(session, meeting_id)
        if meeting_id not in lifecycle:
            entries.append(
                AuditEntry(
                    meeting_id=meeting_id,
                    event=AuditEvent.APPROVED,
                    detail=f"{label}: added as approved minutes",
                    user=origin.user,
                )
            )
        freeze_minutes(session, meeting)
    session.add_all(entries)
    session.flush()
    written = changelog.end(conn)
    frozen = tuple(r for r in written if r.table != "audit_entries")
    return rows + frozen, rows + tuple(r for r in written if r.table == "audit_entries")


def _renumber(session: Session, step: Step) -> None:
    """Numbers are derived: bring them in line with the restored rows (a no-op when nothing came between)."""
    from paperprep.services.meetings import get_meeting
    from paperprep.services.numbering import renumber_meeting

    if not any(r.table in ("agenda_items", "meetings") for r in step.rows):
        return
    for meeting_id in sorted(step.changes.meeting_ids):
        try:
            meeting = get_meeting(session, meeting_id)
        except Exception:  # noqa: BLE001 - removed by this very replay
            continue
        renumber_meeting(session, meeting)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some locked-down machines
        return "clerk"
