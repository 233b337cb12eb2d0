"""The interchange format: one meeting as JSON, for scripts, checks and moving meetings between databases.

`dump_meeting` and `load_meeting` are inverses: dump, load into any database, dump again gives the same JSON
(database ids are never part of it). docs/interchange.md and docs/meeting.schema.json describe the format.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db.models import InspectionSummary, Meeting, Membership, Person, Topic
from paperprep.domain import (
    ActionStatus,
    AttachmentKind,
    AttendanceStatus,
    CommitteeKind,
    DeclarationOutcome,
    DeclarationType,
    InspectionActivity,
    InspectionFramework,
    Inspectorate,
    ItemKind,
    Judgement,
    MeetingStatus,
    MembershipRole,
    NumberingScheme,
    PersonKind,
    Rag,
    ResolutionWording,
    Vote,
)
from paperprep.errors import ImportProblem, PaperprepError
from paperprep.formats import DAY, iso_precise, parse_iso_precise
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.inspections import DISPLAYS
from paperprep.services.meetings import get_meeting

FORMAT = "paperprep-meeting"
FORMAT_VERSION = 1
# The largest whole number a file may give (JSON's safe integers); SQLite itself stops at 2**63.
LARGEST_NUMBER = 2**53 - 1


def _iso(value: dt.date | dt.time | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value.isoformat()


def _person(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"name": person.name, "kind": person.kind.value, "title": person.title}


def _inspection(summary: InspectionSummary) -> dict[str, Any]:
    return {
        "inspectorate": summary.inspectorate.value,
        "framework": summary.framework.value,
        "activity": summary.activity.value,
        "service": summary.service,
        "fieldwork_start": iso_precise(summary.fieldwork_start, summary.fieldwork_start_precision),
        "fieldwork_end": iso_precise(summary.fieldwork_end, summary.fieldwork_end_precision),
        "inspectors": summary.inspectors,
        "scope": summary.scope,
        "published_on": _iso(summary.published_on),
        "overall": summary.overall.value,
        "judgements": json.loads(summary.judgements or "[]"),
        "previous_date": iso_precise(summary.previous_date, summary.previous_date_precision),
        "previous_judgement": summary.previous_judgement.value if summary.previous_judgement else None,
        "strengths": json.loads(summary.strengths or "[]"),
        "areas_for_improvement": json.loads(summary.areas_for_improvement or "[]"),
        "priority_actions": json.loads(summary.priority_actions or "[]"),
        "next_steps": json.loads(summary.next_steps or "[]"),
        "action_plan_due": iso_precise(summary.action_plan_due, summary.action_plan_due_precision),
        "action_plan_due_text": summary.action_plan_due_text,
        "inspectorates": json.loads(summary.inspectorates or "[]"),
        "no_graded_judgement": summary.no_graded_judgement,
        "no_priority_actions": summary.no_priority_actions,
        "display": summary.display,
    }


def dump_meeting(session: Session, meeting_id: int) -> dict[str, Any]:
    meeting = get_meeting(session, meeting_id)
    committee = meeting.committee
    items = A.ordered_items(meeting)
    index_of = {item.id: n for n, item in enumerate(items)}
    members = sorted(
        (m for m in committee.memberships if m.active_on(meeting.date)),
        key=lambda m: (m.role.value, m.person.name),
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "committee": {
            "name": committee.name,
            "code": committee.code,
            "kind": committee.kind.value,
            "numbering": committee.numbering.value,
            "year_start_month": committee.year_start_month,
        },
        "meeting": {
            "date": _iso(meeting.date),
            "start_time": _iso(meeting.start_time),
            "close_time": _iso(meeting.close_time),
            "venue": meeting.venue,
            "status": meeting.status.value,
            "published_on": _iso(meeting.published_on),
            "approved_on": _iso(meeting.approved_on),
            "contact_officer": meeting.contact_officer,
        },
        "members": [
            {
                "person": _person(m.person),
                "role": m.role.value,
                "start_date": _iso(m.start_date),
                "end_date": _iso(m.end_date),
            }
            for m in members
        ],
        "attendance": [
            {
                "person": _person(a.person),
                "status": a.status.value,
                "substitute_for": _person(a.substitute_for),
                "note": a.note,
            }
            for a in sorted(meeting.attendance, key=lambda a: (a.status.value, a.person.name))
        ],
        "declarations": [
            {
                "person": _person(d.person),
                "item": index_of.get(d.item_id) if d.item_id is not None else None,
                "type": d.type.value,
                "nature": d.nature,
                "outcome": d.outcome.value,
            }
            for d in sorted(meeting.declarations, key=lambda d: (d.person.name, d.id))
        ],
        "items": [dump_item(item) for item in items],
    }


def dump_item(item: Any) -> dict[str, Any]:
    """One item in the interchange form: used for the meeting file and to undo a removal."""
    resolution_index = {r.id: n for n, r in enumerate(item.resolutions)}
    return {
        "minute_number": item.minute_number,
        "title": item.title,
        "kind": item.kind.value,
        "purpose": item.purpose,
        "report_of": item.report_of,
        "presenter": {
            "person": _person(item.presenter),
            "name": item.presenter_name,
            "role": item.presenter_role,
        },
        "exempt": item.is_exempt,
        "exempt_paragraphs": list(item.paragraphs),
        "public_title": item.public_title,
        "topic": item.topic.name if item.topic else None,
        "minutes": B.blocks_to_json(B.loads(item.minutes_body)),
        "resolutions": [
            {
                "wording": r.wording.value,
                "keyword": r.keyword,
                "text": r.text,
                "parts": MI.resolution_parts(r),
                "votes": [
                    {"person": _person(v.person), "vote": v.vote.value}
                    for v in sorted(r.votes, key=lambda v: v.person.name)
                ],
            }
            for r in item.resolutions
        ],
        "actions": [
            {
                "number": a.number,
                "text": a.text,
                "owner": a.owner,
                "due_date": _iso(a.due_date),
                "status": a.status.value,
                "rag": a.rag.value,
                "notes": a.notes,
                "source_finding": a.source_finding,
                "resolution": resolution_index.get(a.resolution_id) if a.resolution_id else None,
                "updates": [{"date": _iso(u.date), "text": u.text} for u in a.updates],
            }
            for a in item.actions
        ],
        "attachments": [
            {
                "file_name": a.file_name,
                "kind": a.kind.value,
                "size_bytes": a.size_bytes,
                "page_count": a.page_count,
                "sha256": a.sha256,
            }
            for a in item.attachments
        ],
        "inspection": _inspection(item.inspection) if item.inspection is not None else None,
    }


# --- loading -------------------------------------------------------------------------------------------------


class _Reader:
    """Reads values out of untrusted JSON, naming the exact place of any problem."""

    def __init__(self, data: Any, where: str) -> None:
        self.data = data
        self.where = where
        if not isinstance(data, dict):
            raise ImportProblem(
                f"{where} should be an object. Check the file against docs/meeting.schema.json."
            )

    def _fail(self, key: str, what: str) -> ImportProblem:
        return ImportProblem(f"{self.where}.{key} {what}. Check the file against docs/meeting.schema.json.")

    def sub(self, key: str) -> _Reader:
        return _Reader(self.data.get(key), f"{self.where}.{key}")

    def opt_sub(self, key: str) -> _Reader | None:
        return None if self.data.get(key) is None else self.sub(key)

    def seq(self, key: str) -> list[Any]:
        value = self.data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._fail(key, "should be a list")
        return value

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._fail(key, "should be text")
        return value

    def num(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail(key, "should be a whole number")
        if abs(value) > LARGEST_NUMBER:
            raise self._fail(key, "is a number too large to store")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "should be true or false")
        return value

    def enum(self, key: str, cls: Any, default: Any = None) -> Any:
        value = self.data.get(key)
        if value is None:
            if default is None:
                raise self._fail(key, "is missing")
            return default
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise self._fail(key, f"is {value!r}, which is not one of: {allowed}") from None

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self._fail(key, f"is {value!r}, not a date written YYYY-MM-DD") from None

    def precise_date(self, key: str) -> tuple[dt.date | None, str]:
        """A date known to the day, the month or the year: 2025-04-24, 2021-05 or 2021, and its precision."""
        value = self.data.get(key)
        if value is None:
            return None, DAY
        try:
            return parse_iso_precise(str(value))
        except ValueError:
            raise self._fail(
                key, f"is {value!r}, not a date written YYYY-MM-DD (or YYYY-MM or YYYY when only that is known)"
            ) from None

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in allowed:
            raise self._fail(key, f"is {value!r}, which is not one of: {', '.join(allowed)}")
        return value

    def time(self, key: str) -> dt.time | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return dt.time.fromisoformat(str(value))
        except ValueError:
            raise self._fail(key, f"is {value!r}, not a time written HH:MM") from None


def _load_person(session: Session, reader: _Reader | None) -> Person | None:
    if reader is None:
        return None
    kind = reader.enum("kind", PersonKind, PersonKind.COUNCILLOR)
    return C.get_or_create_person(session, reader.text("name"), kind, reader.text("title"))


def load_meeting(session: Session, data: Any) -> int:
    """Add the meeting described by `data` (committee and people found or created) and return its new id."""
    root = _Reader(data, "meeting file")
    if root.text("format", FORMAT) != FORMAT:
        raise ImportProblem(
            "This JSON is not a paperprep meeting file (its format is not paperprep-meeting)."
        )
    version = root.num("format_version") or 0
    if version > FORMAT_VERSION:
        raise ImportProblem(
            f"This meeting file uses format version {version}, newer than this paperprep understands "
            f"({FORMAT_VERSION}). Install the latest paperprep to load it."
        )
    try:
        return _load(session, root)
    except ImportProblem:
        raise
    except PaperprepError as exc:
        raise ImportProblem(f"The meeting file cannot be loaded: {exc.message}") from None
    except RecursionError:
        raise ImportProblem(
            "The meeting file is nested too deeply to read. Check it against docs/meeting.schema.json."
        ) from None
    except OverflowError:  # a number the checks above do not bound, refused by SQLite as it is stored
        raise ImportProblem(
            "The meeting file holds a number too large to store. Check it against docs/meeting.schema.json."
        ) from None


def _load(session: Session, root: _Reader) -> int:
    cr = root.sub("committee")
    committee = C.find_committee(session, cr.text("code")) or C.find_committee(session, cr.text("name"))
    if committee is None:
        committee = C.create_committee(
            session,
            cr.text("name"),
            cr.text("code"),
            kind=cr.enum("kind", CommitteeKind, CommitteeKind.OTHER),
            numbering=cr.enum("numbering", NumberingScheme, NumberingScheme.CONTINUOUS),
            year_start_month=cr.num("year_start_month") or 5,
        )
    mr = root.sub("meeting")
    meeting_date = mr.date("date")
    if meeting_date is None:
        raise ImportProblem("meeting file.meeting.date is missing. Give the meeting date as YYYY-MM-DD.")
    for n, raw in enumerate(root.seq("members")):
        r = _Reader(raw, f"members[{n}]")
        person = _load_person(session, r.sub("person"))
        assert person is not None
        role = r.enum("role", MembershipRole, MembershipRole.MEMBER)
        known = any(m.person_id == person.id and m.active_on(meeting_date) for m in committee.memberships)
        if not known:
            session.add(
                Membership(
                    committee=committee,
                    person=person,
                    role=role,
                    start_date=r.date("start_date"),
                    end_date=r.date("end_date"),
                )
            )
    items_raw = root.seq("items")
    first_number = None
    if items_raw and isinstance(items_raw[0], dict):
        first_number = _Reader(items_raw[0], "items[0]").num("minute_number")
    meeting = M.create_meeting(
        session,
        committee,
        meeting_date,
        start_time=mr.time("start_time"),
        venue=mr.text("venue"),
        contact_officer=mr.text("contact_officer"),
        first_minute_number=first_number,
    )
    meeting.close_time = mr.time("close_time")
    meeting.published_on = mr.date("published_on")
    for n, raw in enumerate(root.seq("attendance")):
        r = _Reader(raw, f"attendance[{n}]")
        person = _load_person(session, r.sub("person"))
        assert person is not None
        MI.set_attendance(
            session,
            meeting,
            person,
            r.enum("status", AttendanceStatus),
            _load_person(session, r.opt_sub("substitute_for")),
            r.text("note"),
        )
    items = [load_item(session, meeting, raw, f"items[{n}]") for n, raw in enumerate(items_raw)]
    A.ensure_exclusion_motion(session, meeting)  # a file with exempt items but no motion gets one
    for n, raw in enumerate(root.seq("declarations")):
        r = _Reader(raw, f"declarations[{n}]")
        person = _load_person(session, r.sub("person"))
        assert person is not None
        index = r.num("item")
        if index is not None and not 0 <= index < len(items):
            raise ImportProblem(
                f"declarations[{n}].item points at item {index}, which the file does not have."
            )
        MI.add_declaration(
            session,
            meeting,
            person,
            r.enum("type", DeclarationType),
            r.text("nature"),
            items[index] if index is not None else None,
            r.enum("outcome", DeclarationOutcome, DeclarationOutcome.REMAINED),
        )
    status = mr.enum("status", MeetingStatus, MeetingStatus.DRAFT_AGENDA)
    meeting.status = status
    meeting.approved_on = mr.date("approved_on")
    session.flush()
    return meeting.id


def _exempt_paragraphs(r: _Reader, exempt: bool) -> tuple[int, ...]:
    """The item's Schedule 12A paragraphs. An exempt item must give a non-empty list of whole numbers 1 to 7, or
    the file is refused: never loaded as a public item. A public item must give none."""
    raw = r.data.get("exempt_paragraphs")
    title = r.data.get("title")
    named = f"{r.where} (\u201c{title}\u201d)" if isinstance(title, str) and title.strip() else r.where
    valid = (
        isinstance(raw, list)
        and bool(raw)
        and all(isinstance(p, int) and not isinstance(p, bool) and 1 <= p <= 7 for p in raw)
    )
    if exempt:
        if not valid:
            shown = "missing" if "exempt_paragraphs" not in r.data else json.dumps(raw)
            raise ImportProblem(
                f"{named} is marked exempt but its exempt_paragraphs are {shown}: an exempt item needs a list of "
                "one or more Schedule 12A paragraph numbers, whole numbers 1 to 7, such as [3]. Correct the file "
                "and load it again; nothing was loaded."
            )
        return tuple(sorted(set(raw)))
    if raw not in (None, []):
        raise ImportProblem(
            f"{named} gives exempt_paragraphs {json.dumps(raw)} but is not marked exempt. Set \"exempt\": true "
            "if it is a Part B item, or remove its paragraphs; nothing was loaded."
        )
    return ()


def load_item(
    session: Session, meeting: Meeting, data: Any, where: str = "item", index: int | None = None
) -> Any:
    """Add one item from its interchange form, at `index` (default: the end of its part)."""
    r = _Reader(data, where)
    exempt = r.flag("exempt")
    paragraphs = _exempt_paragraphs(r, exempt)
    presenter = r.opt_sub("presenter")
    item = A.add_item(
        session,
        meeting,
        r.text("title"),
        r.enum("kind", ItemKind, ItemKind.OTHER),
        purpose=r.text("purpose"),
        report_of=r.text("report_of"),
        presenter=_load_person(session, presenter.opt_sub("person")) if presenter else None,
        presenter_name=presenter.text("name") if presenter else "",
        presenter_role=presenter.text("role") if presenter else "",
        exempt_paragraphs=paragraphs if exempt else (),
        public_title=r.text("public_title"),
        index=len(meeting.items) if index is None else index,
        exclusion_motion=False,
    )
    if not exempt:
        item.public_title = r.text("public_title")
    topic_name = r.text("topic")
    if topic_name:
        topic = session.scalar(select(Topic).where(Topic.name == topic_name))
        if topic is None:
            topic = Topic(name=topic_name)
            session.add(topic)
        item.topic = topic
    try:
        body = B.blocks_from_json(r.data.get("minutes") or [])
    except PaperprepError as exc:
        raise ImportProblem(f"{r.where}.minutes: {exc.message}") from None
    MI.set_body(session, item, body)
    resolutions = []
    for n, raw in enumerate(r.seq("resolutions")):
        rr = _Reader(raw, f"{r.where}.resolutions[{n}]")
        parts = [str(p) for p in rr.seq("parts")]
        resolution = MI.add_resolution(
            session,
            item,
            rr.enum("wording", ResolutionWording, ResolutionWording.RESOLVED),
            rr.text("text"),
            parts,
            rr.text("keyword"),
        )
        for m, vote_raw in enumerate(rr.seq("votes")):
            vr = _Reader(vote_raw, f"{rr.where}.votes[{m}]")
            person = _load_person(session, vr.sub("person"))
            assert person is not None
            MI.record_vote(session, resolution, person, vr.enum("vote", Vote))
        resolutions.append(resolution)
    for n, raw in enumerate(r.seq("actions")):
        ar = _Reader(raw, f"{r.where}.actions[{n}]")
        res_index = ar.num("resolution")
        action = AC.add_action(
            session,
            item,
            ar.text("text"),
            owner=ar.text("owner"),
            due_date=ar.date("due_date"),
            resolution=resolutions[res_index]
            if res_index is not None and 0 <= res_index < len(resolutions)
            else None,
            status=ar.enum("status", ActionStatus, ActionStatus.OPEN),
            rag=ar.enum("rag", Rag, Rag.NONE),
            source_finding=ar.text("source_finding"),
        )
        action.number = ar.num("number") or action.number
        action.notes = ar.text("notes")
        for m, update_raw in enumerate(ar.seq("updates")):
            ur = _Reader(update_raw, f"{ar.where}.updates[{m}]")
            AC.add_update(session, action, ur.text("text"), ur.date("date"))
    for n, raw in enumerate(r.seq("attachments")):
        at = _Reader(raw, f"{r.where}.attachments[{n}]")
        from paperprep.db.models import Attachment

        session.add(
            Attachment(
                item=item,
                file_name=at.text("file_name"),
                kind=at.enum("kind", AttachmentKind, AttachmentKind.REPORT),
                size_bytes=at.num("size_bytes") or 0,
                page_count=at.num("page_count"),
                sha256=at.text("sha256"),
            )
        )
    inspection = r.opt_sub("inspection")
    if inspection is not None:
        session.add(_load_inspection(item, inspection))
    session.flush()
    return item


def _load_inspection(item: Any, r: _Reader) -> InspectionSummary:
    start, start_precision = r.precise_date("fieldwork_start")
    end, end_precision = r.precise_date("fieldwork_end")
    previous, previous_precision = r.precise_date("previous_date")
    plan_due, plan_precision = r.precise_date("action_plan_due")
    priority = [str(s) for s in r.seq("priority_actions")]
    no_priority = r.data.get("no_priority_actions")
    if no_priority is None:
        no_priority = not priority  # files from before the flag: an empty list meant none
    elif not isinstance(no_priority, bool):
        raise r._fail("no_priority_actions", "should be true or false")
    inspectorates = [
        _Reader({f"inspectorates[{n}]": v}, r.where).enum(f"inspectorates[{n}]", Inspectorate)
        for n, v in enumerate(r.seq("inspectorates"))
    ]
    return InspectionSummary(
        item=item,
        inspectorate=r.enum("inspectorate", Inspectorate, Inspectorate.OFSTED),
        framework=r.enum("framework", InspectionFramework, InspectionFramework.OTHER),
        activity=r.enum("activity", InspectionActivity, InspectionActivity.OTHER),
        service=r.text("service"),
        fieldwork_start=start,
        fieldwork_start_precision=start_precision,
        fieldwork_end=end,
        fieldwork_end_precision=end_precision,
        inspectors=r.num("inspectors"),
        scope=r.text("scope"),
        published_on=r.date("published_on"),
        overall=r.enum("overall", Judgement, Judgement.NOT_GRADED),
        judgements=json.dumps(r.seq("judgements"), ensure_ascii=False),
        previous_date=previous,
        previous_date_precision=previous_precision,
        previous_judgement=r.enum("previous_judgement", Judgement, None)
        if r.data.get("previous_judgement")
        else None,
        strengths=json.dumps([str(s) for s in r.seq("strengths")], ensure_ascii=False),
        areas_for_improvement=json.dumps(
            [str(s) for s in r.seq("areas_for_improvement")], ensure_ascii=False
        ),
        priority_actions=json.dumps(priority, ensure_ascii=False),
        next_steps=json.dumps(r.seq("next_steps"), ensure_ascii=False),
        action_plan_due=plan_due,
        action_plan_due_precision=plan_precision,
        action_plan_due_text=r.text("action_plan_due_text"),
        inspectorates=json.dumps([i.value for i in dict.fromkeys(inspectorates)]),
        no_graded_judgement=r.flag("no_graded_judgement"),
        no_priority_actions=no_priority and not priority,
        display=r.choice("display", DISPLAYS, DISPLAYS[0]),
    )
