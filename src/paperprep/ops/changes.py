"""What an operation changed, as a value that every open view can test: kinds of record, meetings, ids, origin.

A `Changes` is derived from the rows the transaction really wrote (see paperprep.db.changelog), never declared by
hand, so a view cannot miss a change because an operation forgot to mention it. It carries who made the change (the
origin: one per running app, with the user's name), so that in team mode another clerk's change can reach an open
window by the same road as the clerk's own, and a view can tell its own edits from others'.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from paperprep.db import changelog
from paperprep.db.changelog import DERIVED, RowChange


class Kind(enum.Enum):
    SETTINGS = "settings"
    COMMITTEES = "committees"
    PEOPLE = "people"
    MEMBERS = "members"
    TOPICS = "topics"
    MEETINGS = "meetings"
    ATTENDANCE = "attendance"
    AGENDA = "agenda"
    MINUTES = "minutes"
    DOCUMENTS = "documents"
    DECLARATIONS = "declarations"
    RESOLUTIONS = "resolutions"
    ACTIONS = "actions"
    INSPECTIONS = "inspections"
    AUDIT = "audit"


_TABLE_KINDS: Mapping[str, Kind] = {
    "settings": Kind.SETTINGS,
    "committees": Kind.COMMITTEES,
    "people": Kind.PEOPLE,
    "memberships": Kind.MEMBERS,
    "topics": Kind.TOPICS,
    "meetings": Kind.MEETINGS,
    "attendance": Kind.ATTENDANCE,
    "agenda_items": Kind.AGENDA,
    "attachments": Kind.DOCUMENTS,
    "declarations": Kind.DECLARATIONS,
    "resolutions": Kind.RESOLUTIONS,
    "recorded_votes": Kind.RESOLUTIONS,
    "actions": Kind.ACTIONS,
    "action_updates": Kind.ACTIONS,
    "audit_entries": Kind.AUDIT,
    "inspection_summaries": Kind.INSPECTIONS,
}
# Columns of an agenda item that belong to its minute rather than to the agenda.
_MINUTE_COLUMNS = frozenset({"minutes_body", "minutes_text", "updated_at", "version"})


@dataclass(frozen=True)
class Origin:
    """Who made a change: one running copy of the app (or one CLI command), and the user running it."""

    client: str
    user: str
    database_user: str = ""  # on a shared database, the account of the clerk (told by the server with a notice)

    @property
    def who(self) -> str:
        """The person, as other clerks know them: the database account, else the computer's user name."""
        return self.database_user or self.user


@dataclass(frozen=True)
class Changes:
    """The scope of one committed change. `everything` is for a database switched or restored under the views."""

    label: str
    origin: Origin
    kinds: frozenset[Kind] = frozenset()
    meeting_ids: frozenset[int] = frozenset()
    ids: Mapping[Kind, frozenset[int]] = field(default_factory=dict)
    home_meeting: int | None = None  # the meeting the clerk edited, not one merely renumbered
    source: str = ""  # the view that asked for it, so that it can skip refreshing itself
    everything: bool = False

    def touches(self, *kinds: Kind) -> bool:
        return self.everything or any(k in self.kinds for k in kinds)

    def touches_meeting(self, meeting_id: int | None, *kinds: Kind) -> bool:
        if self.everything:
            return True
        if meeting_id is None or meeting_id not in self.meeting_ids:
            return False
        return not kinds or self.touches(*kinds)

    def ids_of(self, kind: Kind) -> frozenset[int]:
        return self.ids.get(kind, frozenset())

    def is_from(self, origin: Origin) -> bool:
        return self.origin == origin

    @property
    def empty(self) -> bool:
        return not self.everything and not self.kinds


def everything(label: str, origin: Origin) -> Changes:
    return Changes(label, origin, frozenset(Kind), everything=True)


def _kinds(change: RowChange) -> set[Kind]:
    kind = _TABLE_KINDS.get(change.table)
    if kind is None:
        return set()
    if kind is Kind.AGENDA:
        columns = change.changed_columns()
        kinds = set()
        if columns & {"minutes_body", "minutes_text"}:
            kinds.add(Kind.MINUTES)
        if columns - _MINUTE_COLUMNS:
            kinds.add(Kind.AGENDA)
        return kinds
    return {kind}


class _MeetingFinder:
    """The meeting each changed row belongs to, from the images themselves first, then from the database."""

    _PARENT = {
        "resolutions": ("item_id", "agenda_items"),
        "actions": ("item_id", "agenda_items"),
        "attachments": ("item_id", "agenda_items"),
        "inspection_summaries": ("item_id", "agenda_items"),
        "recorded_votes": ("resolution_id", "resolutions"),
        "action_updates": ("action_id", "actions"),
    }
    _DIRECT = frozenset({"agenda_items", "attendance", "declarations", "audit_entries"})

    def __init__(self, conn: Connection, rows: Sequence[RowChange]) -> None:
        self.conn = conn
        self.images: dict[tuple[str, Any], list[Mapping[str, Any]]] = {}
        for row in rows:
            for image in (row.before, row.after):
                if image is not None and "id" in image:
                    self.images.setdefault((row.table, image["id"]), []).append(image)

    def _images(self, table: str, row_id: Any) -> list[Mapping[str, Any]]:
        found = self.images.get((table, row_id))
        if found:
            return found
        row = changelog.current(self.conn, table, (row_id,))
        images: list[Mapping[str, Any]] = [row] if row is not None else []
        self.images[(table, row_id)] = images
        return images

    def meetings(self, table: str, image: Mapping[str, Any]) -> set[int]:
        if table == "meetings":
            return {int(image["id"])}
        if table in self._DIRECT:
            return {int(image["meeting_id"])} if image.get("meeting_id") is not None else set()
        parent = self._PARENT.get(table)
        if parent is None:
            return set()
        column, parent_table = parent
        if image.get(column) is None:
            return set()
        found: set[int] = set()
        for parent_image in self._images(parent_table, image[column]):
            found |= self.meetings(parent_table, parent_image)
        return found


def row_meetings(conn: Connection, rows: Sequence[RowChange]) -> list[frozenset[int]]:
    """The meetings each changed row belongs to (before or after the change), in the order of `rows`."""
    finder = _MeetingFinder(conn, rows)
    out = []
    for row in rows:
        found: set[int] = set()
        for image in (row.before, row.after):
            if image is not None:
                found |= finder.meetings(row.table, image)
        out.append(frozenset(found))
    return out


def derive(
    conn: Connection, rows: Sequence[RowChange], label: str, origin: Origin, source: str = ""
) -> Changes:
    kinds: set[Kind] = set()
    ids: dict[Kind, set[int]] = {}
    meetings: set[int] = set()
    edited: set[int] = set()
    finder = _MeetingFinder(conn, rows)
    for row in rows:
        row_kinds = _kinds(row)
        kinds |= row_kinds
        if len(row.key) == 1 and isinstance(row.key[0], int):
            for kind in row_kinds:
                ids.setdefault(kind, set()).add(row.key[0])
        found: set[int] = set()
        for image in (row.before, row.after):
            if image is not None:
                found |= finder.meetings(row.table, image)
        meetings |= found
        if row.changed_columns() - DERIVED - {"updated_at"} and row.table != "audit_entries":
            edited |= found
    home = next(iter(edited)) if len(edited) == 1 else None
    return Changes(
        label,
        origin,
        frozenset(kinds),
        frozenset(meetings),
        {k: frozenset(v) for k, v in ids.items()},
        home,
        source,
    )


def combine(changes: Iterable[Changes]) -> Changes | None:
    """One notice for several changes (a merged typing step, say)."""
    items = list(changes)
    if not items:
        return None
    ids: dict[Kind, set[int]] = {}
    for c in items:
        for kind, values in c.ids.items():
            ids.setdefault(kind, set()).update(values)
    last = items[-1]
    return Changes(
        last.label,
        last.origin,
        frozenset().union(*(c.kinds for c in items)),
        frozenset().union(*(c.meeting_ids for c in items)),
        {k: frozenset(v) for k, v in ids.items()},
        last.home_meeting,
        last.source,
        any(c.everything for c in items),
    )


# -- team mode: a change notice from another clerk's copy of paperprep --------------------------------------------


def to_notice(changes: Changes) -> str:
    """The payload of the LISTEN/NOTIFY notice that tells other clerks' windows about `changes` (under 8,000
    bytes: see paperprep.db.notify.encode)."""
    from paperprep.db import notify

    return notify.encode(
        changes.label,
        (changes.origin.client, changes.origin.user),
        (k.value for k in changes.kinds),
        changes.meeting_ids,
        {k.value: v for k, v in changes.ids.items()},
        everything=changes.everything,
    )


def from_notice(payload: str) -> Changes | None:
    """The `Changes` a notice describes, or None when the payload is not a paperprep change notice.

    A notice cut down to fit (no ids) names kinds and meetings only, so every view showing them reloads; one cut
    down further reloads everything."""
    from paperprep.db import notify

    data = notify.decode(payload)
    if data is None:
        return None
    known = {k.value: k for k in Kind}
    kinds = frozenset(known[k] for k in data["kinds"] if isinstance(k, str) and k in known)
    meetings = frozenset(int(m) for m in data["meetings"] if isinstance(m, int))
    ids: dict[Kind, frozenset[int]] = {}
    for name, values in (data.get("ids") or {}).items():
        if name in known and isinstance(values, list):
            ids[known[name]] = frozenset(int(v) for v in values if isinstance(v, int))
    client, user = data["origin"]
    label, db_user = data.get("label"), data.get("db_user")
    return Changes(
        label if isinstance(label, str) else "A change by another clerk",
        Origin(client, user, db_user if isinstance(db_user, str) else ""),
        kinds,
        meetings,
        ids,
        None,  # never a step of this window's histories
        "",
        bool(data.get("everything")),
    )


def caught_up(origin: Origin) -> Changes:
    """After the connection to the server came back: notices sent meanwhile are lost, so every view reloads."""
    return Changes(
        "Brought up to date after the connection came back", origin, frozenset(Kind), everything=True
    )
