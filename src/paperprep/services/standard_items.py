"""The standard items' minutes, written from the data: apologies, substitutes, declarations, the minutes of the
previous meeting and the matters arising.

While the clerk has not written an item's minute (its stored body is empty), the text written here is what the
minutes and the editor show, and it follows the data: record another apology and the apologies minute says so.
Once the clerk edits the text, the stored text is the minute and is never written over. The previous minutes'
resolution is proposed only while the item has no resolution of its own.

Everything here is a function of the data as it is, so nothing is stored, and undo needs nothing special.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from paperprep import blocks as B
from paperprep.db.models import Action, AgendaItem, Attendance, Declaration, Meeting, Person
from paperprep.domain import ActionStatus, AttendanceStatus, Audience, ItemKind, PersonKind, ResolutionWording
from paperprep.services.actions import ActionFilter, list_actions
from paperprep.services.agenda import DEFAULT_PUBLIC_TITLE
from paperprep.services.meetings import previous_meeting
from paperprep.services.numbering import meeting_action_reference, meeting_minute_ref

GENERATED_KINDS = frozenset(
    {
        ItemKind.APOLOGIES,
        ItemKind.SUBSTITUTES,
        ItemKind.DECLARATIONS,
        ItemKind.PREVIOUS_MINUTES,
        ItemKind.ACTION_LOG,
    }
)


@dataclass(frozen=True, slots=True)
class ProposedResolution:
    wording: ResolutionWording
    text: str


def long_date(day: dt.date) -> str:
    """12 March 2026: the date as minutes write it in a sentence, without the weekday."""
    return f"{day.day} {day:%B %Y}"


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _bare(person: Person) -> str:
    name = person.name.strip()
    for prefix in ("Councillor ", "Cllr. ", "Cllr "):
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix) :].strip()
    return name


def councillor_name(person: Person) -> str:
    """ "Councillor Sadia Ahmed" for a councillor; the name otherwise."""
    return f"Councillor {_bare(person)}" if person.kind is PersonKind.COUNCILLOR else person.name


def _names(people: Sequence[Person]) -> str:
    """ "Councillors A and B", "Councillor A, and Linda Moore": councillors first, then the others by name."""
    councillors = [_bare(p) for p in people if p.kind is PersonKind.COUNCILLOR]
    others = [p.name for p in people if p.kind is not PersonKind.COUNCILLOR]
    parts = []
    if councillors:
        parts.append(("Councillors " if len(councillors) > 1 else "Councillor ") + _join(councillors))
    if others:
        parts.append(_join(others))
    return ", and from ".join(parts)


def _by_surname(person: Person) -> tuple[str, str]:
    name = _bare(person)
    return (name.rsplit(" ", 1)[-1].casefold(), name.casefold())


def _attendance(meeting: Meeting, status: AttendanceStatus) -> list[Attendance]:
    return sorted((a for a in meeting.attendance if a.status is status), key=lambda a: _by_surname(a.person))


def apologies_blocks(meeting: Meeting) -> tuple[B.Block, ...]:
    people = [a.person for a in _attendance(meeting, AttendanceStatus.APOLOGIES)]
    if not people:
        return (B.paragraph("No apologies were received."),)
    return (B.paragraph(f"Apologies for absence were received from {_names(people)}."),)


def substitutes_blocks(meeting: Meeting) -> tuple[B.Block, ...]:
    rows = _attendance(meeting, AttendanceStatus.SUBSTITUTE)
    if not rows:
        return (B.paragraph("There were no substitute members."),)
    out = []
    for row in rows:
        if row.substitute_for is not None:
            out.append(
                B.paragraph(
                    f"{councillor_name(row.person)} substituted for {councillor_name(row.substitute_for)}."
                )
            )
        else:
            out.append(B.paragraph(f"{councillor_name(row.person)} attended as a substitute member."))
    return tuple(out)


def _article(words: str) -> str:
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def declaration_sentence(declaration: Declaration, audience: Audience) -> str:
    """ "Councillor Owen Lewis declared a disclosable pecuniary interest in minute 5/25, Medium term financial
    strategy (owns a business in the regeneration area), and left the room and took no part." """
    kind = declaration.type.label
    text = f"{councillor_name(declaration.person)} declared {_article(kind[:1].lower() + kind[1:])}"
    item = declaration.item
    if item is not None:
        exempt = item.is_exempt and audience is Audience.PUBLIC
        title = (item.public_title or DEFAULT_PUBLIC_TITLE) if exempt else item.title
        ref = meeting_minute_ref(item.meeting, item.minute_number)
        text += f" in minute {ref}, {title}" if ref else f" in the item {title}"
    nature = " ".join(declaration.nature.split()).rstrip(".")
    if nature:
        text += f" ({nature[:1].lower() + nature[1:]})"
    return f"{text}, and {declaration.outcome.label}."


def _declarations(meeting: Meeting) -> list[Declaration]:
    def key(d: Declaration) -> tuple[int, tuple[str, str], int]:
        return (d.item.position if d.item is not None else -1, _by_surname(d.person), d.id or 0)

    return sorted(meeting.declarations, key=key)


def declarations_blocks(meeting: Meeting, audience: Audience) -> tuple[B.Block, ...]:
    declarations = _declarations(meeting)
    if not declarations:
        return (B.paragraph("There were no declarations of interest."),)
    return tuple(B.paragraph(declaration_sentence(d, audience)) for d in declarations)


def previous_minutes_resolution(session: Session, meeting: Meeting) -> ProposedResolution | None:
    """ "That the minutes of the meeting held on 12 March 2026 be approved as a correct record and signed by the
    Chair.", for the committee's previous meeting; None when this is its first."""
    previous = previous_meeting(session, meeting)
    if previous is None:
        return None
    return ProposedResolution(
        ResolutionWording.RESOLVED,
        f"That the minutes of the meeting held on {long_date(previous.date)} be approved as a correct record "
        "and signed by the Chair.",
    )


def matters_arising(session: Session, meeting: Meeting, audience: Audience) -> list[Action]:
    """The actions of the committee's earlier meetings still open when this meeting was held.

    Open now, or completed on or after the meeting's day, so that approved minutes keep the list they had.
    A public list leaves out the actions of exempt items.
    """
    actions = list_actions(session, ActionFilter(committee_id=meeting.committee_id, before=meeting.date))
    out = []
    for action in actions:
        if audience is Audience.PUBLIC and action.item.is_exempt:
            continue
        still_open = action.status.is_open or (
            action.status is ActionStatus.DONE
            and action.completed_on is not None
            and action.completed_on >= meeting.date
        )
        if still_open:
            out.append(action)
    return out


def action_line(action: Action) -> str:
    """ "CLSC 58/25-26/2: Report progress on supervision audits (Sue Butcher, due 12/05/2026). Latest update
    (10/04/2026): Audit of 40 supervision records under way." """
    item = action.item
    reference = meeting_action_reference(item.meeting, item.minute_number, action.number)
    details = [d for d in (action.owner, f"due {action.due_date:%d/%m/%Y}" if action.due_date else "") if d]
    text = f"{reference}: {action.text.rstrip('.')}"
    if details:
        text += f" ({', '.join(details)})"
    text += "."
    if action.updates:
        latest = action.updates[-1]
        text += f" Latest update ({latest.date:%d/%m/%Y}): {latest.text}"
    return text


def action_log_blocks(session: Session, meeting: Meeting, audience: Audience) -> tuple[B.Block, ...]:
    actions = matters_arising(session, meeting, audience)
    if not actions:
        return (B.paragraph("There were no outstanding actions from earlier meetings."),)
    return (
        B.paragraph("Members noted the open actions from earlier meetings:"),
        *(B.bullet(action_line(a)) for a in actions),
    )


def generated_blocks(session: Session, item: AgendaItem, audience: Audience) -> tuple[B.Block, ...]:
    """The text written from the data for a standard item; () for every other kind (and Part B items)."""
    if item.is_exempt or item.kind not in GENERATED_KINDS:
        return ()
    meeting = item.meeting
    if item.kind is ItemKind.APOLOGIES:
        return apologies_blocks(meeting)
    if item.kind is ItemKind.SUBSTITUTES:
        return substitutes_blocks(meeting)
    if item.kind is ItemKind.DECLARATIONS:
        return declarations_blocks(meeting, audience)
    if item.kind is ItemKind.ACTION_LOG:
        return action_log_blocks(session, meeting, audience)
    return ()  # the previous minutes: a resolution, no text


def minute_blocks(session: Session, item: AgendaItem, audience: Audience) -> tuple[tuple[B.Block, ...], bool]:
    """The minute as shown: the clerk's stored text, or, while there is none, the generated text.

    Returns (blocks, generated).
    """
    stored = B.loads(item.minutes_body)
    if stored:
        return stored, False
    generated = generated_blocks(session, item, audience)
    return generated, bool(generated)


def proposed_resolution(session: Session, item: AgendaItem) -> ProposedResolution | None:
    """The resolution written from the data: for the previous minutes, while the item has none of its own."""
    if item.is_exempt or item.kind is not ItemKind.PREVIOUS_MINUTES or item.resolutions:
        return None
    return previous_minutes_resolution(session, item.meeting)
