"""The meeting's actions read the fast way give what the slow way gave: the matters arising (a committee's open
actions from earlier meetings) read with Core and with a status test no index serves are the open actions of the
whole council narrowed by hand, on SQLite and PostgreSQL; and on SQLite they are reached from the committee's own
meetings, not through every open action there is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, text

from paperprep.db.models import Action, Meeting
from paperprep.domain import ActionStatus, Audience
from paperprep.ops.base import Workbench
from paperprep.ops.meetings import LoadDemo
from paperprep.queries import meeting as Q
from paperprep.records import ActionRecord
from paperprep.services.actions import ActionFilter, action_log_records, action_query, list_actions
from paperprep.services.snapshot import action_records

STATUSES = tuple(ActionStatus)


def _demo_with_every_status(database: Any) -> None:
    """The demo council, its actions given every status in turn, so that some of each meeting's are still open
    and some are done or cancelled."""
    Workbench(database).run(LoadDemo())
    with database.transaction() as session:
        for n, action in enumerate(session.scalars(select(Action).order_by(Action.id))):
            action.status = STATUSES[n % len(STATUSES)]


def _meetings(session: Any) -> list[tuple[int, int, dt.date]]:
    return [tuple(row) for row in session.execute(select(Meeting.id, Meeting.committee_id, Meeting.date))]


def test_matters_arising_are_the_councils_open_actions_narrowed_by_hand(database: Any) -> None:
    _demo_with_every_status(database)
    with database.transaction() as session:
        committee_of = {m: c for m, c, _d in _meetings(session)}
        # No committee: the plain status test, served by the status index.
        every_open = action_log_records(session, ActionFilter(status="open"))
        assert every_open and {r.status for r in every_open} == {ActionStatus.OPEN, ActionStatus.IN_PROGRESS}
        carried_somewhere = False
        for meeting_id, committee_id, day in _meetings(session):
            found = Q.meeting_actions(session, meeting_id)
            assert found is not None
            expected = tuple(
                r for r in every_open if committee_of[r.meeting_id] == committee_id and r.meeting_date < day
            )
            assert found.carried == expected
            carried_somewhere = carried_somewhere or bool(expected)
        assert carried_somewhere  # the demo has matters arising to compare


def test_a_meetings_own_actions_are_what_the_orm_road_gives(database: Any) -> None:
    _demo_with_every_status(database)
    with database.transaction() as session:
        for meeting_id, _committee_id, _day in _meetings(session):
            found = Q.meeting_actions(session, meeting_id)
            assert found is not None
            flt = ActionFilter(meeting_id=meeting_id)
            assert found.own == tuple(action_records(list_actions(session, flt), Audience.CONFIDENTIAL))


def test_overdue_and_open_in_one_committee_are_the_councils_narrowed(database: Any) -> None:
    _demo_with_every_status(database)
    today = dt.date(2026, 1, 1)
    with database.transaction() as session:
        committee_of = {m: c for m, c, _d in _meetings(session)}
        for status in ("open", "overdue", "done", "all"):
            council = action_log_records(session, ActionFilter(status=status, today=today))
            for committee_id in set(committee_of.values()):
                scoped = action_log_records(
                    session, ActionFilter(committee_id=committee_id, status=status, today=today)
                )
                narrowed = [r for r in council if committee_of[r.meeting_id] == committee_id]
                assert scoped == narrowed, (status, committee_id)


def test_an_unknown_meeting_has_no_actions(database: Any) -> None:
    _demo_with_every_status(database)
    with database.transaction() as session:
        assert Q.meeting_actions(session, 10_000_000) is None


def _plan(session: Any, flt: ActionFilter) -> list[str]:
    compiled = action_query(flt).compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    return [str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]


def test_matters_arising_are_reached_from_the_committees_meetings(db: Any) -> None:
    _demo_with_every_status(db)
    with db.transaction() as session:
        meeting_id, committee_id, day = max(_meetings(session), key=lambda m: m[2])
        plan = _plan(session, ActionFilter(committee_id=committee_id, status="open", before=day))
        assert any("ix_meetings_committee_date" in step for step in plan), plan
        assert not any("ix_actions_status_due" in step for step in plan), plan
        # The whole council's open actions still use the status index: there it is the narrowest way in.
        assert any("ix_actions_status_due" in step for step in _plan(session, ActionFilter(status="open")))
        assert Q.meeting_actions(session, meeting_id) is not None


def test_records_of_one_item_keep_their_own_numbers(database: Any) -> None:
    """The reference of an item's actions is written once an item: each action still ends with its number."""
    _demo_with_every_status(database)
    with database.transaction() as session:
        records: list[ActionRecord] = action_log_records(session, ActionFilter())
        orm = action_records(list_actions(session, ActionFilter()), Audience.CONFIDENTIAL)
        assert [r.reference for r in records] == [r.reference for r in orm]
        assert len({r.reference for r in records}) == len(records)
