"""Realistic demo data: three committees over two municipal years, in the style of published minutes.

Dates are placed relative to `today`, so that the demo always has approved minutes, minutes in draft, and
upcoming meetings with publication deadlines to watch.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db.models import Committee, InspectionSummary, Meeting, Person, Setting, Topic
from paperprep.domain import (
    ActionStatus,
    AttendanceStatus,
    CommitteeKind,
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

OFSTED_MONITORING = [
    B.paragraph(
        "Sue Butcher, Director of Children's Services, provided members of the Board with an update from the "
        "Ofsted monitoring visit."
    ),
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


def load_demo(session: Session, today: dt.date | None = None) -> None:
    """Fill an empty database with the demo council."""
    today = today or dt.date.today()
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
    for n, months in enumerate((-15, -9, -3, 2)):
        _cpb_meeting(session, cpb, people, _month_offset(today, months, 2), today, n, topic)
    for n, months in enumerate((-12, -6, -1)):
        _cabinet_meeting(session, cab, people, _month_offset(today, months, 3), today, n)
    _cabinet_upcoming(session, cab, _working_day(today + dt.timedelta(days=9)))
    session.flush()


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
        meeting.close_time = (
            dt.time(20, 5) if (meeting.start_time or dt.time(18)).hour >= 18 else dt.time(12, 10)
        )
    if status is MeetingStatus.MINUTES_APPROVED:
        M.approve_minutes(session, meeting, meeting.date + dt.timedelta(days=35))
    else:
        meeting.status = status


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
    )
    MI.set_body(session, ofsted, OFSTED_FOCUSED)
    res = MI.add_resolution(session, ofsted, ResolutionWording.RESOLVED, "to note the information")
    AC.add_action(
        session,
        ofsted,
        "Circulate the Ofsted letter and the service's action plan to all members",
        owner="Sue Butcher",
        due_date=day + dt.timedelta(days=14),
        resolution=res,
        status=ActionStatus.DONE if day < today - dt.timedelta(days=60) else ActionStatus.OPEN,
        rag=Rag.GREEN,
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
        MI.record_vote(session, secret_res, people["Bennett"], Vote.AGAINST)
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
    MI.set_body(session, update, OFSTED_MONITORING)
    MI.add_resolution(session, update, ResolutionWording.AGREED, "That the update be noted.")
    # The Board's story: an inadequate judgement, a monitoring visit, then a re-inspection.
    activity, overall = [
        (InspectionActivity.STANDARD_INSPECTION, Judgement.INADEQUATE),
        (InspectionActivity.MONITORING_VISIT, Judgement.NOT_GRADED),
        (InspectionActivity.RE_INSPECTION, Judgement.REQUIRES_IMPROVEMENT),
    ][min(n, 2)]
    areas = (
        [{"area": "Overall effectiveness", "grade": overall.value}]
        if overall is not Judgement.NOT_GRADED
        else []
    )
    summary = InspectionSummary(
        item=update,
        inspectorate=Inspectorate.OFSTED,
        framework=InspectionFramework.ILACS_2018,
        activity=activity,
        service="Children's social care",
        fieldwork_start=day - dt.timedelta(days=30),
        fieldwork_end=day - dt.timedelta(days=29 if overall is Judgement.NOT_GRADED else 19),
        inspectors=2 if overall is Judgement.NOT_GRADED else 5,
        scope="The front door; child protection enquiries; early help assessments",
        overall=overall,
        judgements=json.dumps(areas),
        previous_judgement=Judgement.INADEQUATE,
        previous_date=day - dt.timedelta(days=900),
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
        next_steps=json.dumps(
            [
                {
                    "text": "Next monitoring visit: care experienced young people",
                    "due": (day + dt.timedelta(days=120)).isoformat(),
                }
            ]
        ),
    )
    session.add(summary)
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
    AC.add_action(
        session,
        voice,
        "Arrange a Board visit to the Children in Care Council",
        owner="Rachel Evans",
        due_date=day + dt.timedelta(days=45),
        resolution=res,
        status=ActionStatus.DONE if n == 0 else ActionStatus.OPEN,
    )
    _finish(session, meeting, _status_for(day, today, n == 2, held=True), today)


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
    MI.record_vote(session, res, people["Walsh"] if n != 1 else people["Lewis"], Vote.ABSTAINED)
    AC.add_action(
        session,
        budget,
        "Launch the budget consultation",
        owner="Director of Finance",
        due_date=day + dt.timedelta(days=10),
        resolution=res,
        status=ActionStatus.DONE if n < 2 else ActionStatus.OPEN,
        rag=Rag.GREEN,
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
