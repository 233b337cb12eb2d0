"""Whole minutes documents brought in as meetings: one operation, one transaction, per file.

The committee is found by name (or created), and the meeting is created with its items in the document's order and
numbers, each item's minutes, resolution and actions, then its attendance (people found by name, or created, as a
loaded meeting file does) and declarations. A meeting of the same committee on the same date is reported as
already on file and left as it is: importing a folder twice adds nothing. An item the document marks exempt goes
to Part B with the Schedule 12A paragraphs it states; without valid paragraphs the file is refused, whole.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from paperprep.db.models import AgendaItem, Committee, Meeting
from paperprep.domain import (
    AttendanceStatus,
    CommitteeKind,
    ItemKind,
    MeetingStatus,
    NumberingScheme,
    PersonKind,
)
from paperprep.errors import ImportProblem, PaperprepError
from paperprep.imports.minutes_document import MinutesDocument
from paperprep.imports.pasted_apply import create_item_from_parsed
from paperprep.ops.base import Operation
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI


@dataclass(frozen=True)
class MinutesImported:
    """What importing one document did: the meeting created, or the one already on file."""

    meeting_id: int
    created: bool
    items: int
    attendees: int
    notes: tuple[str, ...] = ()


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("&", "and").split())


def find_committee(session: Session, name: str) -> Committee | None:
    """The committee a document names: by name (ignoring case, spacing and "&"/"and") or by short code."""
    found = C.find_committee(session, name)
    if found is not None:
        return found
    wanted = _key(name)
    return next(
        (c for c in C.list_committees(session, include_archived=True) if _key(c.name) == wanted), None
    )


def meeting_on_file(session: Session, committee_name: str, date: dt.date | None) -> int | None:
    """The id of the committee's meeting on that date, when there is one: the document is already on file."""
    if date is None:
        return None
    committee = find_committee(session, committee_name)
    if committee is None:
        return None
    return session.scalar(
        select(Meeting.id)
        .where(Meeting.committee_id == committee.id, Meeting.date == date)
        .order_by(Meeting.id)
    )


_KIND_WORDS = (
    ("cabinet", CommitteeKind.CABINET),
    ("sub-committee", CommitteeKind.SUB_COMMITTEE),
    ("sub committee", CommitteeKind.SUB_COMMITTEE),
    ("scrutiny", CommitteeKind.SCRUTINY),
    ("planning", CommitteeKind.PLANNING),
    ("licensing", CommitteeKind.LICENSING),
    ("audit", CommitteeKind.AUDIT),
    ("board", CommitteeKind.BOARD),
)


def _committee_kind(name: str) -> CommitteeKind:
    low = name.casefold()
    if low in ("council", "full council") or low.endswith(" council"):
        return CommitteeKind.COUNCIL
    return next((kind for word, kind in _KIND_WORDS if word in low), CommitteeKind.OTHER)


def _new_code(session: Session, name: str) -> str:
    """A short code from the name's initials ("Adult Social Care and Health Scrutiny" → "ASCHS"), made unique."""
    words = [
        w
        for w in re.findall(r"[A-Za-z]+", name)
        if w.casefold() not in ("and", "of", "the", "for", "committee")
    ]
    base = ("".join(w[0] for w in words).upper() or "COMM")[:12]
    code, n = base, 1
    while session.scalar(select(Committee.id).where(Committee.code == code)) is not None:
        n += 1
        code = f"{base[:12]}{n}"
    return code


@dataclass(frozen=True)
class ImportMinutesDocument(Operation[MinutesImported]):
    """One published minutes document as a meeting (paperprep import minutes; File > Import minutes)."""

    document: MinutesDocument = field(hash=False)
    undoable: ClassVar[bool] = False  # an import is not undone: the meeting can be deleted

    @property
    def label(self) -> str:
        return f"Import minutes from {self.document.source}" if self.document.source else "Import minutes"

    def apply(self, session: Session) -> MinutesImported:
        doc = self.document
        named = f"{doc.source}: " if doc.source else ""
        if doc.problems:
            raise ImportProblem(named + doc.problems[0])
        assert doc.date is not None  # a document without its date has a problem above
        existing = meeting_on_file(session, doc.committee, doc.date)
        if existing is not None:
            return MinutesImported(existing, False, len(doc.items), len(doc.attendees))
        try:
            return self._create(session, doc)
        except ImportProblem:
            raise
        except PaperprepError as exc:
            raise ImportProblem(f"{named}{exc.message} Nothing from this file was imported.") from None

    def _create(self, session: Session, doc: MinutesDocument) -> MinutesImported:
        assert doc.date is not None
        committee = find_committee(session, doc.committee)
        if committee is None:
            committee = C.create_committee(
                session,
                doc.committee,
                _new_code(session, doc.committee),
                kind=_committee_kind(doc.committee),
                numbering=NumberingScheme.NUMBER_YEAR if doc.numbered_as_year else NumberingScheme.CONTINUOUS,
            )
        first = next((item.number for item in doc.items if item.number is not None), None)
        meeting = M.create_meeting(
            session,
            committee,
            doc.date,
            start_time=doc.start_time,
            venue=doc.venue,
            first_minute_number=first if first is not None and first >= 1 else None,
        )
        meeting.close_time = doc.close_time
        items: dict[int, AgendaItem] = {}
        for found in doc.items:
            if found.kind is ItemKind.EXCLUSION_MOTION and any(
                i.kind is ItemKind.EXCLUSION_MOTION for i in meeting.items
            ):
                item = next(
                    i for i in meeting.items if i.kind is ItemKind.EXCLUSION_MOTION
                )  # added for Part B
                MI.set_body(session, item, found.parsed.blocks)
                if found.parsed.resolution is not None:
                    r = found.parsed.resolution
                    MI.add_resolution(session, item, r.wording, r.text or "the motion", r.parts, r.keyword)
            else:
                item = create_item_from_parsed(
                    session,
                    meeting,
                    found.parsed,
                    exempt_paragraphs=found.exempt_paragraphs if found.exempt else None,
                    public_title=found.title if found.exempt else "",
                )
                if found.kind not in (ItemKind.REPORT, ItemKind.VERBAL_UPDATE):
                    A.update_item(session, item, kind=found.kind)
                if found.parsed.report_of:
                    item.report_of = found.parsed.report_of[:300]
            resolution = item.resolutions[0] if item.resolutions else None
            for action in found.actions:
                AC.add_action(
                    session,
                    item,
                    action.text,
                    owner=action.owner[:200],
                    due_date=action.due_date,
                    resolution=resolution,
                )
            if found.number is not None:
                items.setdefault(found.number, item)
        A.ensure_exclusion_motion(session, meeting)
        people = {}
        for attendee in doc.attendees:
            person = C.get_or_create_person(session, attendee.name, attendee.kind, attendee.title[:200])
            people[attendee.name.casefold()] = person
        for attendee in doc.attendees:
            stood_for = None
            if attendee.status is AttendanceStatus.SUBSTITUTE:
                stood_for = people.get(attendee.substitute_for.casefold()) or C.get_or_create_person(
                    session, attendee.substitute_for, PersonKind.COUNCILLOR
                )
            MI.set_attendance(
                session,
                meeting,
                people[attendee.name.casefold()],
                attendee.status,
                stood_for,
                attendee.note[:200],
            )
        for declaration in doc.declarations:
            person = people.get(declaration.name.casefold()) or C.get_or_create_person(
                session, declaration.name, PersonKind.COUNCILLOR
            )
            about = items.get(declaration.item_number) if declaration.item_number is not None else None
            MI.add_declaration(
                session, meeting, person, declaration.type, declaration.nature, about, declaration.outcome
            )
        meeting.status = MeetingStatus.DRAFT_MINUTES
        session.flush()
        return MinutesImported(meeting.id, True, len(meeting.items), len(doc.attendees), doc.notes)
