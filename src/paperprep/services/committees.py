"""Committees, people and memberships."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from paperprep.db.models import Committee, Membership, Person
from paperprep.domain import CommitteeKind, MembershipRole, NumberingScheme, PersonKind
from paperprep.errors import NotFoundError, ValidationError


def _clean(text: str, what: str, limit: int = 200) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(f"The {what} is empty. Type a {what}.")
    if len(text) > limit:
        raise ValidationError(f"The {what} is longer than {limit} characters. Shorten it.")
    return text


def create_committee(
    session: Session,
    name: str,
    code: str,
    *,
    kind: CommitteeKind = CommitteeKind.OTHER,
    numbering: NumberingScheme = NumberingScheme.CONTINUOUS,
    year_start_month: int = 5,
    default_venue: str = "",
    contact_officer: str = "",
) -> Committee:
    name = _clean(name, "committee name")
    code = _clean(code, "short code", 16).upper().replace(" ", "")
    if not 1 <= year_start_month <= 12:
        raise ValidationError("The municipal year must start in a month from 1 to 12.")
    if session.scalar(select(Committee.id).where(Committee.name == name)) is not None:
        raise ValidationError(f"There is already a committee called {name}. Choose another name.")
    if session.scalar(select(Committee.id).where(Committee.code == code)) is not None:
        raise ValidationError(f"The short code {code} is already used by another committee. Choose another.")
    committee = Committee(
        name=name,
        code=code,
        kind=kind,
        numbering=numbering,
        year_start_month=year_start_month,
        default_venue=default_venue,
        contact_officer=contact_officer,
    )
    session.add(committee)
    session.flush()
    return committee


def update_committee(
    session: Session,
    committee: Committee,
    name: str,
    code: str,
    kind: CommitteeKind,
    numbering: NumberingScheme,
    year_start_month: int,
) -> None:
    """Change a committee's settings. A new numbering scheme or year start renumbers its unapproved minutes."""
    name = _clean(name, "committee name")
    code = _clean(code, "short code", 16).upper().replace(" ", "")
    if not 1 <= year_start_month <= 12:
        raise ValidationError("The municipal year must start in a month from 1 to 12.")
    if (
        session.scalar(select(Committee.id).where(Committee.name == name, Committee.id != committee.id))
        is not None
    ):
        raise ValidationError(f"There is already a committee called {name}. Choose another name.")
    if (
        session.scalar(select(Committee.id).where(Committee.code == code, Committee.id != committee.id))
        is not None
    ):
        raise ValidationError(f"The short code {code} is already used by another committee. Choose another.")
    renumber = (committee.numbering, committee.year_start_month) != (numbering, year_start_month)
    committee.name, committee.code, committee.kind = name, code, kind
    committee.numbering, committee.year_start_month = numbering, year_start_month
    session.flush()
    if renumber:
        from paperprep.db.models import Meeting
        from paperprep.services.numbering import municipal_year, renumber_year

        dates = session.scalars(select(Meeting.date).where(Meeting.committee_id == committee.id))
        for year in sorted({municipal_year(d, year_start_month) for d in dates}):
            renumber_year(session, committee, year)


def get_committee(session: Session, committee_id: int) -> Committee:
    committee = session.get(Committee, committee_id)
    if committee is None:
        raise NotFoundError(
            f"There is no committee with id {committee_id}. List them with paperprep meetings."
        )
    return committee


def list_committees(session: Session, include_archived: bool = False) -> list[Committee]:
    query = select(Committee).order_by(Committee.name)
    if not include_archived:
        query = query.where(Committee.archived.is_(False))
    return list(session.scalars(query))


def find_committee(session: Session, name_or_code: str) -> Committee | None:
    return session.scalar(
        select(Committee).where((Committee.name == name_or_code) | (Committee.code == name_or_code.upper()))
    )


def get_or_create_person(
    session: Session, name: str, kind: PersonKind = PersonKind.COUNCILLOR, title: str = ""
) -> Person:
    name = _clean(name, "name")
    if kind is PersonKind.COUNCILLOR and name.lower().startswith("cllr "):
        name = name[5:].strip()
    person = session.scalar(select(Person).where(Person.name == name, Person.kind == kind))
    if person is None:
        person = Person(name=name, kind=kind, title=title.strip())
        session.add(person)
        session.flush()
    elif title and not person.title:
        person.title = title.strip()
    return person


def get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"There is no person with id {person_id}.")
    return person


def list_people(session: Session, kind: PersonKind | None = None) -> list[Person]:
    query = select(Person).order_by(Person.name)
    if kind is not None:
        query = query.where(Person.kind == kind)
    return list(session.scalars(query))


def add_member(
    session: Session,
    committee: Committee,
    person: Person,
    role: MembershipRole = MembershipRole.MEMBER,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Membership:
    if start_date and end_date and end_date < start_date:
        raise ValidationError("A membership cannot end before it starts. Check the dates.")
    membership = Membership(
        committee=committee, person=person, role=role, start_date=start_date, end_date=end_date
    )
    session.add(membership)
    session.flush()
    return membership


def members_on(committee: Committee, day: dt.date) -> list[Membership]:
    """The committee's members on a day: chair, vice-chair, members, then substitutes, each by name."""
    order = {MembershipRole.CHAIR: 0, MembershipRole.VICE_CHAIR: 1, MembershipRole.MEMBER: 2}
    active = [m for m in committee.memberships if m.active_on(day)]
    return sorted(active, key=lambda m: (order.get(m.role, 3), m.person.name))


def get_membership(session: Session, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFoundError(f"There is no membership with id {membership_id}.")
    return membership


def end_membership(session: Session, membership: Membership, last_day: dt.date) -> None:
    """The member leaves the committee after `last_day`; earlier meetings still show them."""
    if membership.start_date and last_day < membership.start_date:
        raise ValidationError("A membership cannot end before it starts. Choose a later date.")
    membership.end_date = last_day
    session.flush()


def remove_membership(session: Session, membership: Membership) -> None:
    session.delete(membership)
    session.flush()
