"""The clerk's vocabulary: the fixed choices used across the data model, services, exports and screens.

Each enum's value is what is stored in the database and in the interchange JSON; `label` is what the clerk
reads.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())


class CommitteeKind(_Labelled):
    CABINET = "cabinet"
    SCRUTINY = "scrutiny"
    SUB_COMMITTEE = "sub_committee"
    BOARD = "board"
    PLANNING = "planning"
    LICENSING = "licensing"
    AUDIT = "audit"
    COUNCIL = "council"
    OTHER = "other"


class NumberingScheme(_Labelled):
    """How minute numbers run for a committee."""

    CONTINUOUS = "continuous"  # run on through the municipal year: 57, 58, ...
    PER_MEETING = "per_meeting"  # restart at 1 at every meeting
    NUMBER_YEAR = "number_year"  # run on through the municipal year, written "60/18"


class PersonKind(_Labelled):
    COUNCILLOR = "councillor"
    CO_OPTED = "co_opted"
    OFFICER = "officer"
    OTHER = "other"


class MembershipRole(_Labelled):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    SUBSTITUTE = "substitute"


class MeetingStatus(_Labelled):
    DRAFT_AGENDA = "draft_agenda"
    AGENDA_PUBLISHED = "agenda_published"
    HELD = "held"
    DRAFT_MINUTES = "draft_minutes"
    MINUTES_APPROVED = "minutes_approved"


class AttendanceStatus(_Labelled):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"
    SUBSTITUTE = "substitute"  # present, standing in for a named member
    IN_ATTENDANCE = "in_attendance"  # officers and guests, not members


class ItemKind(_Labelled):
    APOLOGIES = "apologies"
    SUBSTITUTES = "substitutes"
    DECLARATIONS = "declarations"
    PREVIOUS_MINUTES = "previous_minutes"
    ACTION_LOG = "action_log"
    PETITIONS = "petitions"
    REPORT = "report"
    VERBAL_UPDATE = "verbal_update"
    EXCLUSION_MOTION = "exclusion_motion"
    URGENT_BUSINESS = "urgent_business"
    OTHER = "other"


class AttachmentKind(_Labelled):
    REPORT = "report"
    APPENDIX = "appendix"


class DeclarationType(_Labelled):
    DISCLOSABLE_PECUNIARY = "disclosable_pecuniary"
    OTHER_REGISTRABLE = "other_registrable"
    NON_REGISTRABLE = "non_registrable"


class DeclarationOutcome(_Labelled):
    """What the member did about the item after declaring the interest."""

    REMAINED = "remained"
    LEFT_ROOM = "left_room"
    DID_NOT_VOTE = "did_not_vote"

    @property
    def took_no_vote(self) -> bool:
        """True when the member cannot have a vote recorded on the item."""
        return self is not DeclarationOutcome.REMAINED


class ResolutionWording(_Labelled):
    RESOLVED = "resolved"
    AGREED = "agreed"
    RECOMMENDED = "recommended"
    NOTED = "noted"
    OTHER = "other"


class Vote(_Labelled):
    FOR = "for"
    AGAINST = "against"
    ABSTAINED = "abstained"


class ActionStatus(_Labelled):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Rag(_Labelled):
    NONE = "none"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Audience(_Labelled):
    PUBLIC = "public"
    CONFIDENTIAL = "confidential"


class AuditEvent(_Labelled):
    APPROVED = "approved"
    REOPENED = "reopened"
    EDITED = "edited"


class Inspectorate(_Labelled):
    OFSTED = "ofsted"
    CQC = "cqc"
    HMICFRS = "hmicfrs"
    HMI_PROBATION = "hmi_probation"
    JOINT = "joint"
    OTHER = "other"


class InspectionFramework(_Labelled):
    ILACS_2018 = "ilacs_2018"
    SIF_2013 = "sif_2013"
    OTHER = "other"


class InspectionActivity(_Labelled):
    ANNUAL_ENGAGEMENT = "annual_engagement"
    FOCUSED_VISIT = "focused_visit"
    MONITORING_VISIT = "monitoring_visit"
    STANDARD_INSPECTION = "standard_inspection"
    SHORT_INSPECTION = "short_inspection"
    RE_INSPECTION = "re_inspection"
    JTAI = "jtai"
    PILOT = "pilot"
    OTHER = "other"


class Judgement(_Labelled):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NOT_GRADED = "not_graded"

    @property
    def rank(self) -> int | None:
        """4 for Outstanding down to 1 for Inadequate; None for visits that give no grade."""
        return {"outstanding": 4, "good": 3, "requires_improvement": 2, "inadequate": 1}.get(self.value)


ILACS_JUDGEMENT_AREAS: tuple[str, ...] = (
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
)


_LABELS: dict[StrEnum, str] = {
    NumberingScheme.CONTINUOUS: "Continuous through the municipal year (57, 58...)",
    NumberingScheme.PER_MEETING: "Restart at each meeting (1, 2...)",
    NumberingScheme.NUMBER_YEAR: "Number/year through the municipal year (60/18)",
    PersonKind.CO_OPTED: "Co-opted member",
    MembershipRole.VICE_CHAIR: "Vice-Chair",
    MeetingStatus.DRAFT_AGENDA: "Draft agenda",
    MeetingStatus.AGENDA_PUBLISHED: "Agenda published",
    MeetingStatus.MINUTES_APPROVED: "Minutes approved",
    AttendanceStatus.IN_ATTENDANCE: "In attendance",
    AttendanceStatus.APOLOGIES: "Apologies",
    ItemKind.APOLOGIES: "Apologies for absence",
    ItemKind.DECLARATIONS: "Declarations of interest",
    ItemKind.PREVIOUS_MINUTES: "Minutes of the previous meeting",
    ItemKind.ACTION_LOG: "Action log / matters arising",
    ItemKind.PETITIONS: "Petitions and deputations",
    ItemKind.EXCLUSION_MOTION: "Exclusion of the press and public",
    DeclarationType.DISCLOSABLE_PECUNIARY: "Disclosable pecuniary interest",
    DeclarationType.OTHER_REGISTRABLE: "Other registrable interest",
    DeclarationType.NON_REGISTRABLE: "Non-registrable interest",
    DeclarationOutcome.REMAINED: "remained in the meeting",
    DeclarationOutcome.LEFT_ROOM: "left the room and took no part",
    DeclarationOutcome.DID_NOT_VOTE: "did not vote",
    ResolutionWording.RESOLVED: "RESOLVED",
    ResolutionWording.AGREED: "AGREED",
    ResolutionWording.RECOMMENDED: "RECOMMENDED",
    ResolutionWording.NOTED: "NOTED",
    ActionStatus.IN_PROGRESS: "In progress",
    Rag.NONE: "Not set",
    CommitteeKind.SUB_COMMITTEE: "Sub-committee",
    Inspectorate.OFSTED: "Ofsted",
    Inspectorate.CQC: "CQC",
    Inspectorate.HMICFRS: "HMICFRS",
    Inspectorate.HMI_PROBATION: "HMI Probation",
    Inspectorate.JOINT: "Joint inspectorates",
    InspectionFramework.ILACS_2018: "ILACS (2018)",
    InspectionFramework.SIF_2013: "SIF (2013-18)",
    InspectionActivity.ANNUAL_ENGAGEMENT: "Annual engagement meeting",
    InspectionActivity.JTAI: "Joint targeted area inspection (JTAI)",
    InspectionActivity.RE_INSPECTION: "Re-inspection",
    Judgement.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
}

# Schedule 12A to the Local Government Act 1972, Part 1 (England).
SCHEDULE_12A_PARAGRAPHS: dict[int, str] = {
    1: "Information relating to any individual.",
    2: "Information which is likely to reveal the identity of an individual.",
    3: "Information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information).",
    4: "Information relating to any consultations or negotiations, or contemplated consultations or "
    "negotiations, in connection with any labour relations matter.",
    5: "Information in respect of which a claim to legal professional privilege could be maintained "
    "in legal proceedings.",
    6: "Information which reveals that the authority proposes to give a notice, make an order or give a "
    "direction under any enactment.",
    7: "Information relating to any action taken or to be taken in connection with the prevention, "
    "investigation or prosecution of crime.",
}

STANDARD_ITEMS: tuple[tuple[ItemKind, str], ...] = (
    (ItemKind.APOLOGIES, "Apologies for absence"),
    (ItemKind.SUBSTITUTES, "Substitute members"),
    (ItemKind.DECLARATIONS, "Declarations of interest"),
    (ItemKind.PREVIOUS_MINUTES, "Minutes of the previous meeting"),
    (ItemKind.ACTION_LOG, "Action log and matters arising"),
)
