"""Operations, and the workbench that runs them: one road for every change, and undo from data.

An operation is a small frozen class with the clerk's name for what it does (`label`) and `apply(session)`. The
workbench runs it in one committed transaction while the database records every row it writes (before and after
images, paperprep.db.changelog). From that record come both the `Changes` notice for the views and the `Step` that
undo and redo replay: the same mechanism for every operation, and exact, ids, numbers, links and all.

Undo and redo first check that each row is still as the step left it (only the columns the step changed), so an
undo never overwrites a change made since in another window or, in team mode, by another clerk.
"""

from __future__ import annotations

import getpass
import time
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from paperprep.cleaning import clean
from paperprep.db import Database, changelog
from paperprep.db.changelog import RowChange
from paperprep.errors import ConflictError, MinutesLockedError
from paperprep.ops.changes import Changes, Origin, derive

T = TypeVar("T")

# Typing in one field within this many seconds of the last save is one undo step.
MERGE_SECONDS = 4.0
_UNLOCKED_TABLES = frozenset({"actions", "action_updates", "audit_entries"})


class Operation(Generic[T]):
    """One change a clerk can make. Subclasses are frozen dataclasses whose fields are the change's inputs."""

    undoable: ClassVar[bool] = True

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
                changes = derive(conn, rows, op.label, self.origin, source)
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
            _check_unlocked(session, step)
            changelog.begin(conn)
            changelog.restore(conn, _replay_order(step.rows, backwards), backwards)
            _renumber(session, step)
            session.flush()
            rows = changelog.end(conn)
            if changelog.foreign_key_problems(conn):
                raise ConflictError(
                    f"This step cannot be {'undone' if backwards else 'redone'}: something it refers to has "
                    "been removed since. Nothing was changed."
                )
            return derive(conn, rows, label, self.origin, source)


def _check_unlocked(session: Session, step: Step) -> None:
    from paperprep.services.meetings import get_meeting

    if all(r.table in _UNLOCKED_TABLES for r in step.rows):
        return
    for meeting_id in step.changes.meeting_ids:
        try:
            meeting = get_meeting(session, meeting_id)
        except Exception:  # noqa: BLE001 - a meeting that is gone is not locked
            continue
        if meeting.is_locked:
            raise MinutesLockedError(
                "These minutes are approved and locked, so the step cannot be undone or redone. "
                "Reopen them first (Meeting > Reopen minutes)."
            )


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
