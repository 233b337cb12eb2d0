"""Realistic demo data: three committees over two municipal years, in the style of published minutes.

Dates are placed relative to `today`, so that the demo always has approved minutes, minutes in draft, and
upcoming meetings with publication deadlines to watch.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db.models import (
    Action,
    AgendaItem,
    Committee,
    InspectionSummary,
    Meeting,
    Person,
    Setting,
    Topic,
)
from paperprep.domain import (
    ILACS_JUDGEMENT_AREAS,
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
from paperprep.services import actions as AC
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services import minutes as MI
from paperprep.services.deadlines import is_working_day, previous_working_day, publication_deadline
from paperprep.services.numbering import municipal_year

COUNCIL = "Borough of Kingsbridge Council"

OFSTED_FOCUSED = [
    B.paragraph(
        "The Sub-Committee was presented with an overview of the findings from the Ofsted focused visit and an "
        "outline of next steps."
    ),
    B.paragraph(
        "It was explained that the visit looked at the front door, and that the Local Authority was given notice "
        "of the visit ten working days in advance. Two inspectors were on site for two days."
    ),
    B.Block(
        B.BlockKind.PARAGRAPH,
        (
            B.Run("Members were informed that there were "),
            B.Run("no priority actions", bold=True),
            B.Run(" identified during the visit."),
        ),
    ),
    B.paragraph("The letter from Ofsted set out the following areas for the service to build on:"),
    B.lettered("the quality of analysis within assessments;"),
    B.lettered("rationales for decisions to step down to early help services; and"),
    B.lettered("the quality of supervision."),
    B.paragraph(
        "Cllr Pryer asked how supervision would be checked. The Director explained that audits would sample "
        "supervision records monthly and report to the Improvement Board."
    ),
]

OFSTED_INSPECTION = [
    B.paragraph(
        "Sue Butcher, Director of Children's Services, presented the findings of the Ofsted inspection of local "
        "authority children's services (ILACS), which judged the service inadequate overall."
    ),
    B.paragraph(
        "Five inspectors were on site for two weeks. They looked at the front door, child protection enquiries "
        "and early help assessments."
    ),
    B.Block(B.BlockKind.PARAGRAPH, (B.Run("Strengths", bold=True),)),
    B.bullet("Front door services are beginning to improve"),
    B.bullet("Leaders have commissioned a robust quality assurance programme"),
    B.Block(B.BlockKind.PARAGRAPH, (B.Run("Areas for improvement", bold=True),)),
    B.bullet("Workforce instability in the assessment service"),
    B.bullet("Unfinished assessments and incomplete records"),
    B.paragraph(
        "Members were informed that the Council must send Ofsted an action plan within 70 working days, and "
        "that Ofsted would carry out monitoring visits until the service is inspected again."
    ),
]

OFSTED_MONITORING = [
    B.paragraph(
        "Sue Butcher, Director of Children's Services, provided members of the Board with an update from the "
        "Ofsted monitoring visit, the first since the inspection that judged the service inadequate."
    ),
    B.paragraph("Two inspectors were on site for two days. Monitoring visits give no grade."),
    B.paragraph(
        "The Director outlined the positives and the areas that need focus. The headline findings were:"
    ),
    B.Block(B.BlockKind.PARAGRAPH, (B.Run("Positives", bold=True),)),
    B.bullet("Front door services have continued to develop and improve, overseen by the Improvement Board"),
    B.bullet("A robust quality assurance programme gives leaders an accurate understanding of practice"),
    B.bullet("Stronger and wider partnerships in the multi-agency children's hub"),
    B.bullet("Improving quality of information", 1),
    B.bullet("Richer information-sharing, leading to better informed decisions", 1),
    B.Block(B.BlockKind.PARAGRAPH, (B.Run("Areas needing focus", bold=True),)),
    B.bullet("Workforce instability and increased demand in the assessment service have slowed throughput"),
    B.bullet("Unfinished assessments and incomplete records have led to delays for some children"),
    B.Block(
        B.BlockKind.PARAGRAPH,
        (
            B.Run("The Board were advised that the areas needing focus would become part of the refreshed "),
            B.Run("Children's Services Improvement Plan", italic=True),
            B.Run("."),
        ),
    ),
]

OFSTED_REINSPECTION = [
    B.paragraph(
        "Sue Butcher, Director of Children's Services, presented the findings of the Ofsted re-inspection of "
        "children's services, which judged the service requires improvement to be good overall, up from "
        "inadequate."
    ),
    B.paragraph(
        "Inspectors found that front door services have continued to improve and that leaders have an accurate "
        "understanding of practice. Workforce instability remains the main risk."
    ),
    B.paragraph(
        "The Board thanked staff across the service. The next Ofsted activity will be the annual engagement "
        "meeting."
    ),
]

EXEMPT_CONTRACT = [
    B.paragraph(
        "The Head of Commissioning presented the tender evaluation for the residential placements framework. "
        "Three bids were received; the preferred bidder, Harbour Care Ltd, scored highest on quality and price."
    ),
    B.lettered("The contract value is £4.2m over four years."),
    B.lettered("Harbour Care Ltd agreed to a 3% efficiency saving from year two."),
]


@dataclass
class _Plan:
    committee: Committee
    people: dict[str, Person] = field(default_factory=dict)


def _working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _month_offset(today: dt.date, months: int, weekday: int) -> dt.date:
    """A working day near the same day of the month `months` from today, on the given weekday if possible."""
    month_index = today.year * 12 + today.month - 1 + months
    year, month = divmod(month_index, 12)
    day = dt.date(year, month + 1, min(today.day, 28))
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    return _working_day(day)


def load_demo(session: Session, today: dt.date | None = None, files_dir: Path | None = None) -> None:
    """Fill an empty database with the demo council.

    `files_dir` is the managed documents folder beside the database (`<stem>-files`, as documents added by the
    clerk); without it, that folder of the database file the session writes to. The demo's reports (Word and
    PDF) are written there; an in-memory database gets none.
    """
    today = today or dt.date.today()
    files_dir = files_dir if files_dir is not None else _files_dir_of(session)
    session.merge(Setting(key="council_name", value=COUNCIL))
    people = _people(session)
    topic = Topic(
        name="Ofsted inspection of children's services",
        description="Inspections and visits of children's social care under ILACS.",
    )
    session.add(topic)

    clsc = C.create_committee(
        session,
        "Children & Learning Overview & Scrutiny Sub-Committee",
        "CLSC",
        kind=CommitteeKind.SUB_COMMITTEE,
        numbering=NumberingScheme.CONTINUOUS,
        default_venue="Council Chamber, Town Hall",
        contact_officer="Rachel Evans, Democratic Services Officer, 01632 960123",
    )
    cpb = C.create_committee(
        session,
        "Corporate Parenting Board",
        "CPB",
        kind=CommitteeKind.BOARD,
        numbering=NumberingScheme.PER_MEETING,
        default_venue="Committee Room 2, Town Hall",
        contact_officer="Rachel Evans, Democratic Services Officer, 01632 960123",
    )
    cab = C.create_committee(
        session,
        "Cabinet",
        "CAB",
        kind=CommitteeKind.CABINET,
        numbering=NumberingScheme.NUMBER_YEAR,
        default_venue="Council Chamber, Town Hall",
        contact_officer="Tom Hughes, Principal Democratic Services Officer, 01632 960456",
    )
    start = dt.date(municipal_year(today) - 1, 5, 1)
    _members(session, clsc, people, ["Pryer", "Ahmed", "Walsh", "Okafor", "Bennett"], start)
    _members(session, cpb, people, ["Ahmed", "Okafor", "Lewis", "Pryer"], start)
    _members(session, cab, people, ["Hartley", "Ahmed", "Walsh", "Lewis"], start)
    C.add_member(session, clsc, people["Singh"], MembershipRole.SUBSTITUTE, start)

    offsets = [-17, -14, -11, -8, -5, -2, 1]
    for n, months in enumerate(offsets[1:]):
        _clsc_meeting(session, clsc, people, _month_offset(today, months, 1), today, n, topic)
    inspected: list[dt.date] = []  # the Board's story: each visit looks back at the one before
    for n, months in enumerate((-15, -9, -3, 2)):
        _cpb_meeting(session, cpb, people, _month_offset(today, months, 2), today, n, topic, inspected)
    for n, months in enumerate((-12, -6, -1)):
        _cabinet_meeting(session, cab, people, _month_offset(today, months, 3), today, n)
    _cabinet_upcoming(session, cab, _working_day(today + dt.timedelta(days=9)))
    session.flush()
    for committee in (clsc, cpb, cab):
        if files_dir is not None:
            _documents(session, committee, files_dir)
        _approve(session, committee, today)
    session.flush()


def _files_dir_of(session: Session) -> Path | None:
    """The managed documents folder of the database file the session writes to, or None (in memory, or on a
    server, where the caller passes the database's own folder)."""
    engine = session.get_bind().engine
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database)
    return path.parent / f"{path.stem}-files"


def _approve(session: Session, committee: Committee, today: dt.date) -> None:
    """Minutes are approved ("signed as a correct record") at the committee's next meeting: the held meetings
    that have a later meeting already held are approved on that meeting's day."""
    meetings = sorted(
        session.scalars(select(Meeting).where(Meeting.committee_id == committee.id)), key=lambda m: m.date
    )
    for meeting, following in zip(meetings, meetings[1:], strict=False):
        if meeting.status is MeetingStatus.DRAFT_MINUTES and following.date <= today:
            M.approve_minutes(session, meeting, following.date)


def _people(session: Session) -> dict[str, Person]:
    councillors = ["Pryer", "Ahmed", "Walsh", "Okafor", "Bennett", "Lewis", "Hartley", "Singh"]
    first = {
        "Pryer": "Janet",
        "Ahmed": "Sadia",
        "Walsh": "Michael",
        "Okafor": "Grace",
        "Bennett": "David",
        "Lewis": "Owen",
        "Hartley": "Helen",
        "Singh": "Arjun",
    }
    people = {
        name: C.get_or_create_person(session, f"{first[name]} {name}", PersonKind.COUNCILLOR)
        for name in councillors
    }
    people["Butcher"] = C.get_or_create_person(
        session, "Sue Butcher", PersonKind.OFFICER, "Director of Children's Services"
    )
    people["Khan"] = C.get_or_create_person(
        session, "Imran Khan", PersonKind.OFFICER, "Head of Commissioning"
    )
    people["Evans"] = C.get_or_create_person(
        session, "Rachel Evans", PersonKind.OFFICER, "Democratic Services Officer"
    )
    people["Moore"] = C.get_or_create_person(session, "Linda Moore", PersonKind.CO_OPTED, "Parent governor")
    return people


def _members(
    session: Session, committee: Committee, people: dict[str, Person], names: list[str], start: dt.date
) -> None:
    roles = [MembershipRole.CHAIR, MembershipRole.VICE_CHAIR] + [MembershipRole.MEMBER] * (len(names) - 2)
    for name, role in zip(names, roles, strict=True):
        C.add_member(session, committee, people[name], role, start)


def _completed(action: Action, today: dt.date) -> None:
    """A demo action done by its due date (not on the day the demo was loaded)."""
    if action.status is ActionStatus.DONE and action.due_date is not None:
        action.completed_on = min(action.due_date, today)


def _status_for(day: dt.date, today: dt.date, newest_past: bool, held: bool = False) -> MeetingStatus:
    if day > today:
        return MeetingStatus.AGENDA_PUBLISHED if (day - today).days <= 40 else MeetingStatus.DRAFT_AGENDA
    if newest_past:
        return MeetingStatus.HELD if held else MeetingStatus.DRAFT_MINUTES
    return MeetingStatus.MINUTES_APPROVED


def _finish(session: Session, meeting: Meeting, status: MeetingStatus, today: dt.date) -> None:
    if status is not MeetingStatus.DRAFT_AGENDA:
        meeting.published_on = min(previous_working_day(publication_deadline(meeting.date)), today)
    if meeting.date <= today:
        start = meeting.start_time or dt.time(18)
        # An evening meeting ends by about eight; a day meeting two hours and ten minutes after it began.
        ended = dt.datetime.combine(meeting.date, start) + dt.timedelta(hours=2, minutes=10)
        meeting.close_time = dt.time(20, 5) if start.hour >= 18 else ended.time()
    # Approved minutes are approved at the next meeting, once every meeting is in place (_approve).
    meeting.status = MeetingStatus.DRAFT_MINUTES if status is MeetingStatus.MINUTES_APPROVED else status


def _attendance(
    session: Session, meeting: Meeting, people: dict[str, Person], apologies: str | None, substitute: bool
) -> None:
    for membership in meeting.committee.memberships:
        if membership.role is MembershipRole.SUBSTITUTE:
            continue
        name = membership.person.name.split()[-1]
        status = AttendanceStatus.APOLOGIES if name == apologies else AttendanceStatus.PRESENT
        MI.set_attendance(session, meeting, membership.person, status)
    if substitute and apologies:
        MI.set_attendance(session, meeting, people["Singh"], AttendanceStatus.SUBSTITUTE, people[apologies])
    MI.set_attendance(session, meeting, people["Butcher"], AttendanceStatus.IN_ATTENDANCE)
    MI.set_attendance(session, meeting, people["Evans"], AttendanceStatus.IN_ATTENDANCE)


def _clsc_meeting(
    session: Session,
    committee: Committee,
    people: dict[str, Person],
    day: dt.date,
    today: dt.date,
    n: int,
    topic: Topic,
) -> None:
    meeting = M.create_meeting(session, committee, day, start_time=dt.time(18, 30))
    if n == 0:
        meeting.first_minute_number = 57  # the database starts mid-year, as the example minutes do
    A.add_standard_items(session, meeting)
    held = day <= today
    ofsted = A.add_item(
        session,
        meeting,
        "Ofsted focused visit feedback",
        ItemKind.REPORT,
        purpose="To receive an overview of the findings from the Ofsted focused visit and the next steps.",
        report_of="Director of Children's Services",
        presenter=people["Butcher"],
    )
    ofsted.topic = topic
    send = A.add_item(
        session,
        meeting,
        "Special educational needs and disabilities: written statement of action",
        ItemKind.REPORT,
        purpose="To scrutinise progress against the written statement of action.",
        report_of="Head of Inclusion",
    )
    verbal = A.add_item(
        session,
        meeting,
        "School place planning update",
        ItemKind.VERBAL_UPDATE,
        purpose="To receive a verbal update on secondary school places for September.",
        presenter_name="Mark Dunn",
        presenter_role="Head of School Organisation",
    )
    if n % 2 == 1:
        secret = A.add_item(
            session,
            meeting,
            "Residential placements framework: contract award",
            ItemKind.REPORT,
            purpose="To consider the tender evaluation for the framework.",
        )
        A.set_exempt(session, secret, (3,), "Residential placements framework")
    else:
        secret = None
    _attendance(session, meeting, people, "Walsh" if n % 2 == 0 else "Bennett", substitute=n % 2 == 0)
    if not held:
        _finish(session, meeting, _status_for(day, today, False), today)
        return
    MI.add_declaration(
        session,
        meeting,
        people["Okafor"],
        DeclarationType.OTHER_REGISTRABLE,
        "Governor at a school named in the report",
        send,
        DeclarationOutcome.REMAINED,
    )
    MI.set_body(session, ofsted, OFSTED_FOCUSED)
    res = MI.add_resolution(session, ofsted, ResolutionWording.RESOLVED, "to note the information")
    _completed(
        AC.add_action(
            session,
            ofsted,
            "Circulate the Ofsted letter and the service's action plan to all members",
            owner="Sue Butcher",
            due_date=day + dt.timedelta(days=14),
            resolution=res,
            status=ActionStatus.DONE if day < today - dt.timedelta(days=60) else ActionStatus.OPEN,
            rag=Rag.GREEN,
        ),
        today,
    )
    late = AC.add_action(
        session,
        ofsted,
        "Report progress on supervision audits to the next meeting",
        owner="Sue Butcher",
        due_date=day + dt.timedelta(days=60),
        resolution=res,
        rag=Rag.AMBER,
    )
    AC.add_update(session, late, "Audit of 40 supervision records under way.", day + dt.timedelta(days=30))
    MI.set_body(
        session,
        send,
        [
            B.paragraph(
                "The Head of Inclusion reported that education, health and care plans issued within 20 weeks "
                "rose from 48% to 71%."
            ),
            B.paragraph(
                "Cllr Ahmed asked about waiting times for speech and language therapy. Officers undertook to "
                "provide figures by locality."
            ),
        ],
    )
    send_res = MI.add_resolution(
        session,
        send,
        ResolutionWording.RESOLVED,
        "That",
        [
            "the progress against the written statement of action be noted;",
            "a further report be brought to the Sub-Committee in six months.",
        ],
    )
    AC.add_action(
        session,
        send,
        "Provide speech and language therapy waiting times by locality",
        owner="Head of Inclusion",
        due_date=day + dt.timedelta(days=28),
        resolution=send_res,
        status=ActionStatus.IN_PROGRESS,
        rag=Rag.RED if n < 3 else Rag.AMBER,
    )
    MI.set_body(
        session, verbal, [B.paragraph("Members received a verbal update on secondary school places.")]
    )
    MI.add_resolution(session, verbal, ResolutionWording.AGREED, "That the update be noted.")
    if secret is not None:
        MI.set_body(session, secret, EXEMPT_CONTRACT)
        secret_res = MI.add_resolution(
            session,
            secret,
            ResolutionWording.RECOMMENDED,
            "to Cabinet that the framework contract be awarded to Harbour Care Ltd.",
        )
        # Bennett sends apologies to these meetings; Walsh is there and asks for the vote against to be recorded.
        MI.record_vote(session, secret_res, people["Walsh"], Vote.AGAINST)
        AC.add_action(
            session,
            secret,
            "Prepare the Cabinet report on the Harbour Care Ltd award",
            owner="Imran Khan",
            due_date=day + dt.timedelta(days=21),
            resolution=secret_res,
        )
    _finish(session, meeting, _status_for(day, today, n == 4), today)


def _cabinet_upcoming(session: Session, committee: Committee, day: dt.date) -> None:
    """A Cabinet meeting close enough that its publication deadline is near: the navigator warns about it."""
    meeting = M.create_meeting(session, committee, day, start_time=dt.time(10, 0))
    A.add_standard_items(session, meeting)
    A.add_item(
        session,
        meeting,
        "Fees and charges 2027/28",
        ItemKind.REPORT,
        purpose="To approve fees and charges for the next financial year.",
        report_of="Director of Finance",
    )
    A.add_item(
        session,
        meeting,
        "Leader's update",
        ItemKind.VERBAL_UPDATE,
        purpose="To receive a verbal update from the Leader of the Council.",
    )


def _cpb_meeting(
    session: Session,
    committee: Committee,
    people: dict[str, Person],
    day: dt.date,
    today: dt.date,
    n: int,
    topic: Topic,
    inspected: list[dt.date],
) -> None:
    meeting = M.create_meeting(session, committee, day, start_time=dt.time(14, 0))
    A.add_standard_items(session, meeting)
    update = A.add_item(
        session,
        meeting,
        "Ofsted update",
        ItemKind.VERBAL_UPDATE,
        purpose="Sue Butcher, Director of Children's Services, will provide an update from Ofsted "
        "to the Board.",
        presenter=people["Butcher"],
    )
    update.topic = topic
    voice = A.add_item(
        session,
        meeting,
        "Voice of the child: Children in Care Council",
        ItemKind.REPORT,
        purpose="To hear from young people about their experience of care.",
    )
    MI.set_attendance(session, meeting, people["Moore"], AttendanceStatus.PRESENT)
    _attendance(session, meeting, people, "Lewis" if n != 1 else None, substitute=False)
    if day > today:
        _finish(session, meeting, _status_for(day, today, False), today)
        return
    summary, body = _inspection(update, day, n, inspected)
    session.add(summary)
    MI.set_body(session, update, body)
    MI.add_resolution(session, update, ResolutionWording.AGREED, "That the update be noted.")
    MI.set_body(
        session,
        voice,
        [
            B.paragraph(
                "Two members of the Children in Care Council spoke about placement "
                "stability and contact with brothers and sisters."
            )
        ],
    )
    res = MI.add_resolution(
        session, voice, ResolutionWording.RESOLVED, "to thank the young people for attending"
    )
    _completed(
        AC.add_action(
            session,
            voice,
            "Arrange a Board visit to the Children in Care Council",
            owner="Rachel Evans",
            due_date=day + dt.timedelta(days=45),
            resolution=res,
            status=ActionStatus.DONE if n == 0 else ActionStatus.OPEN,
        ),
        today,
    )
    _finish(session, meeting, _status_for(day, today, n == 2, held=True), today)


def _inspection(
    item: AgendaItem, day: dt.date, n: int, inspected: list[dt.date]
) -> tuple[InspectionSummary, list[B.Block]]:
    """The Board's story, one step a meeting: a standard inspection judged inadequate, a monitoring visit, then
    the re-inspection that judged the service requires improvement. The words of each minute say the same as
    its structured summary."""
    activity, overall, body = [
        (InspectionActivity.STANDARD_INSPECTION, Judgement.INADEQUATE, OFSTED_INSPECTION),
        (InspectionActivity.MONITORING_VISIT, Judgement.NOT_GRADED, OFSTED_MONITORING),
        (InspectionActivity.RE_INSPECTION, Judgement.REQUIRES_IMPROVEMENT, OFSTED_REINSPECTION),
    ][min(n, 2)]
    graded = overall is not Judgement.NOT_GRADED
    start = day - dt.timedelta(days=45 if graded else 30)
    end = start + dt.timedelta(days=11 if graded else 1)  # two weeks on site; a visit of two days
    areas = [{"area": area, "grade": overall.value} for area in ILACS_JUDGEMENT_AREAS] if graded else []
    if inspected:
        previous_date, previous = inspected[-1], Judgement.INADEQUATE
    else:
        previous_date, previous = day - dt.timedelta(days=1300), Judgement.REQUIRES_IMPROVEMENT
    if graded:
        inspected.append(start)
    next_step = {
        InspectionActivity.STANDARD_INSPECTION: "First monitoring visit: the front door",
        InspectionActivity.MONITORING_VISIT: "Next monitoring visit: care experienced young people",
        InspectionActivity.RE_INSPECTION: "Annual engagement meeting with Ofsted",
    }[activity]
    summary = InspectionSummary(
        item=item,
        inspectorate=Inspectorate.OFSTED,
        framework=InspectionFramework.ILACS_2018,
        activity=activity,
        service="Children's social care",
        fieldwork_start=start,
        fieldwork_end=end,
        inspectors=5 if graded else 2,
        scope="The front door; child protection enquiries; early help assessments",
        published_on=end + dt.timedelta(days=20 if graded else 10),
        overall=overall,
        judgements=json.dumps(areas),
        previous_judgement=previous,
        previous_date=previous_date,
        strengths=json.dumps(
            ["Front door services continue to improve", "Robust quality assurance programme"]
        ),
        areas_for_improvement=json.dumps(
            [
                "Workforce instability in the assessment service",
                "Unfinished assessments and incomplete records",
            ]
        ),
        priority_actions="[]",
        next_steps=json.dumps([{"text": next_step, "due": (day + dt.timedelta(days=120)).isoformat()}]),
        action_plan_due=end + dt.timedelta(days=98) if overall is Judgement.INADEQUATE else None,
    )
    return summary, body


def _cabinet_meeting(
    session: Session, committee: Committee, people: dict[str, Person], day: dt.date, today: dt.date, n: int
) -> None:
    meeting = M.create_meeting(session, committee, day, start_time=dt.time(10, 0))
    A.add_standard_items(session, meeting)
    budget = A.add_item(
        session,
        meeting,
        "Medium term financial strategy",
        ItemKind.REPORT,
        purpose="To approve the medium term financial strategy for consultation.",
        report_of="Director of Finance",
    )
    staffing = A.add_item(
        session,
        meeting,
        "Senior management restructure",
        ItemKind.REPORT,
        purpose="To consider proposals affecting named posts.",
    )
    A.set_exempt(session, staffing, (1, 4), "Staffing matter")
    _attendance(session, meeting, people, "Walsh" if n == 1 else None, substitute=False)
    MI.add_declaration(
        session,
        meeting,
        people["Lewis"],
        DeclarationType.DISCLOSABLE_PECUNIARY,
        "Owns a business in the regeneration area",
        budget,
        DeclarationOutcome.LEFT_ROOM,  # a disclosable pecuniary interest: the member takes no part
    )
    MI.set_body(
        session,
        budget,
        [
            B.paragraph(
                "The Cabinet Member for Finance introduced the strategy, which closes a gap of £6.1m."
            ),
            B.lettered("Savings of £3.4m are proposed across all directorates."),
            B.lettered("Council tax would rise by 4.99%, including the adult social care precept."),
        ],
    )
    res = MI.add_resolution(
        session,
        budget,
        ResolutionWording.RESOLVED,
        "That",
        [
            "the medium term financial strategy be approved for consultation;",
            "the results of consultation be reported to Cabinet in February.",
        ],
    )
    # Walsh sends apologies to the second meeting, and Lewis left the room: Ahmed's abstention is recorded then.
    MI.record_vote(session, res, people["Walsh"] if n != 1 else people["Ahmed"], Vote.ABSTAINED)
    _completed(
        AC.add_action(
            session,
            budget,
            "Launch the budget consultation",
            owner="Director of Finance",
            due_date=day + dt.timedelta(days=10),
            resolution=res,
            status=ActionStatus.DONE if n < 2 else ActionStatus.OPEN,
            rag=Rag.GREEN,
        ),
        today,
    )
    MI.set_body(
        session,
        staffing,
        [
            B.paragraph(
                "The Chief Executive outlined changes to the posts of two named "
                "assistant directors and the consultation with the unions."
            )
        ],
    )
    MI.add_resolution(
        session,
        staffing,
        ResolutionWording.RESOLVED,
        "That the restructure proceed to formal consultation with the affected post holders.",
    )
    _finish(session, meeting, _status_for(day, today, n == 2), today)


# -- the demo's documents: reports in Word and PDF, stored like documents the clerk adds -------------------------


def _documents(session: Session, committee: Committee, files_dir: Path) -> None:
    """Give each report its documents: a report (PDF or Word), the Cabinet's appendix, the Ofsted letters, and
    for every exempt item a confidential report whose text is the exempt information itself."""
    meetings = session.scalars(select(Meeting).where(Meeting.committee_id == committee.id)).all()
    with tempfile.TemporaryDirectory(prefix="paperprep-demo-") as scratch:
        folder = Path(scratch)
        for meeting in meetings:
            for item in sorted(meeting.items, key=lambda i: i.position):
                for name, kind, data in _item_documents(meeting, item):
                    source = folder / _file_name(name)
                    source.write_bytes(data)
                    attachment = A.add_attachment(session, item, source, files_dir, kind)
                    if item.inspection is not None and name.startswith("Ofsted letter"):
                        item.inspection.letter_attachment_id = attachment.id
                    source.unlink()


def _file_name(name: str) -> str:
    """A name every system accepts: "Fees and charges 2027-28.pdf", "SEND - written statement.docx"."""
    name = name.replace(": ", " - ")
    for bad in '\\/:*?"<>|':
        name = name.replace(bad, "-")
    return name


def _item_documents(meeting: Meeting, item: AgendaItem) -> list[tuple[str, AttachmentKind, bytes]]:
    heading = f"{meeting.committee.name}, {meeting.date.day} {meeting.date:%B %Y}"
    report = AttachmentKind.REPORT
    if item.is_exempt:
        paragraphs = ", ".join(str(p) for p in item.paragraphs)
        lines = [
            "NOT FOR PUBLICATION",
            f"Exempt information under paragraph(s) {paragraphs} of Part 1 of Schedule 12A to the Local "
            "Government Act 1972.",
            heading,
            f"Report: {item.title}",
            *(b.text for b in B.loads(item.minutes_body)),
            *_EXEMPT_DETAIL.get(item.title, []),
        ]
        return [(f"{item.title} - exempt report.pdf", report, _pdf(f"{item.title} (exempt)", lines))]
    if item.kind is ItemKind.VERBAL_UPDATE:
        if item.inspection is None:
            return []  # a verbal update has no report
        inspection = item.inspection
        lines = [
            f"Ofsted letter: {inspection.activity.label.lower()} of {COUNCIL}",
            f"Fieldwork: {inspection.fieldwork_start:%d/%m/%Y} to {inspection.fieldwork_end:%d/%m/%Y}, "
            f"{inspection.inspectors} inspectors.",
            f"Overall: {inspection.overall.label}.",
            *(f"Strength: {t}" for t in json.loads(inspection.strengths)),
            *(f"Area for improvement: {t}" for t in json.loads(inspection.areas_for_improvement)),
            "There are no priority actions.",
        ]
        name = f"Ofsted letter - {inspection.activity.label.lower()} {inspection.fieldwork_start:%B %Y}.pdf"
        return [(name, AttachmentKind.APPENDIX, _pdf(f"Ofsted {inspection.activity.label.lower()}", lines))]
    if item.kind is not ItemKind.REPORT:
        return []
    lines = [
        heading,
        f"Report of the {item.report_of}" if item.report_of else "Report to the committee",
        f"Purpose: {item.purpose}" if item.purpose else "",
        "Recommendation: that the committee notes the report and agrees the next steps set out below.",
        *_REPORT_DETAIL.get(item.title, []),
    ]
    lines = [line for line in lines if line]
    out: list[tuple[str, AttachmentKind, bytes]] = []
    if item.title in _WORD_REPORTS:
        out.append((f"{item.title}.docx", report, _docx(item.title, lines)))
    else:
        out.append((f"{item.title}.pdf", report, _pdf(item.title, lines)))
    if item.title == "Medium term financial strategy":
        appendix = [heading, "Appendix A: savings proposals by directorate", *_SAVINGS]
        out.append(
            ("Appendix A - savings proposals.docx", AttachmentKind.APPENDIX, _docx("Appendix A", appendix))
        )
    return out


_WORD_REPORTS = {
    "Special educational needs and disabilities: written statement of action",
    "Voice of the child: Children in Care Council",
}

_REPORT_DETAIL = {
    "Ofsted focused visit feedback": [
        "Ofsted carried out a focused visit looking at the front door. There were no priority actions.",
        "Areas to build on: the quality of analysis within assessments; rationales for decisions to step down "
        "to early help; the quality of supervision.",
    ],
    "Special educational needs and disabilities: written statement of action": [
        "Education, health and care plans issued within 20 weeks rose from 48% to 71%.",
        "Waiting times for speech and language therapy remain the main concern of parents and carers.",
    ],
    "Voice of the child: Children in Care Council": [
        "Members of the Children in Care Council will speak about placement stability and family contact.",
    ],
    "Medium term financial strategy": [
        "The strategy closes a budget gap of £6.1m over three years.",
        "Council tax would rise by 4.99%, including the adult social care precept.",
    ],
    "Fees and charges 2027/28": [
        "Most fees rise with inflation; parking charges are frozen for a year.",
    ],
}

_SAVINGS = [
    "Adults and health: £1.2m",
    "Children's services: £0.9m",
    "Place and environment: £0.8m",
    "Resources: £0.5m",
]

_EXEMPT_DETAIL = {
    "Residential placements framework: contract award": [
        "Tender scores: Harbour Care Ltd 82%, second bidder 74%, third bidder 61%.",
        "Harbour Care Ltd price: £4.2m over four years, with a 3% efficiency saving from year two.",
    ],
    "Senior management restructure": [
        "The posts of the two assistant directors named in this report are proposed for deletion.",
        "Consultation with the post holders and the unions opens after this meeting.",
    ],
}


def _docx(title: str, lines: list[str]) -> bytes:
    """A small Word report: a title and its paragraphs."""
    from docx import Document  # only when the demo is written, so the app starts without python-docx
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]  # python-docx's own default is US Letter; councils print on A4
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = title
    document.core_properties.author = COUNCIL
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return _undated(buffer.getvalue())


# The earliest date a zip member can hold: the demo's Word files carry it instead of the moment they were written.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _undated(package: bytes) -> bytes:
    """The same Word package with every member dated `_ZIP_EPOCH`. python-docx dates each member with the time
    of saving, which made each load of the demo store different bytes (and fingerprints) for the same report."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            fixed = zipfile.ZipInfo(member.filename, _ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = member.external_attr
            target.writestr(fixed, source.read(member))
    return out.getvalue()


def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _wrap(text: str, width: int = 95) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page PDF (A4, Helvetica) written by hand: a bold title, then the paragraphs, wrapped."""
    content = [b"BT", b"/F2 14 Tf", b"56 780 Td", b"18 TL", b"(" + _pdf_text(title) + b") Tj", b"T*"]
    content += [b"/F1 10 Tf", b"14 TL"]
    used = 0
    for paragraph in paragraphs:
        for line in _wrap(paragraph):
            if used >= 48:  # one page is enough for a demo report
                break
            content.append(b"T* (" + _pdf_text(line) + b") Tj")
            used += 1
        content.append(b"T*")
    content.append(b"ET")
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title ("
        + _pdf_text(title)
        + b") /Author ("
        + _pdf_text(COUNCIL)
        + b") /Producer (paperprep) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
