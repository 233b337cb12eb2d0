"""Minute numbers follow each committee's scheme and stay right through every agenda change."""

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperprep.domain import ItemKind, NumberingScheme
from paperprep.errors import MinutesLockedError, ValidationError
from paperprep.services import agenda as A
from paperprep.services import committees as C
from paperprep.services import meetings as M
from paperprep.services.numbering import meeting_minute_ref


@pytest.fixture
def db(database: Any) -> Any:
    """Every test here runs on both engines: SQLite and PostgreSQL (`database`, tests/conftest.py)."""
    return database


def numbers(meeting):
    return [(i.minute_number, i.is_exempt) for i in A.ordered_items(meeting)]


def test_continuous_through_the_municipal_year_and_restart_in_may(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC", numbering=NumberingScheme.CONTINUOUS)
        may = M.create_meeting(s, c, dt.date(2021, 5, 25))
        july = M.create_meeting(s, c, dt.date(2021, 7, 6))
        next_year = M.create_meeting(s, c, dt.date(2022, 6, 1))
        for m in (july, may, next_year):
            A.add_standard_items(s, m)
        assert [i.minute_number for i in A.ordered_items(may)] == [1, 2, 3, 4, 5]
        assert [i.minute_number for i in A.ordered_items(july)] == [6, 7, 8, 9, 10]
        assert [i.minute_number for i in A.ordered_items(next_year)] == [1, 2, 3, 4, 5]
        A.add_item(s, may, "Budget")
        assert [i.minute_number for i in A.ordered_items(july)] == [7, 8, 9, 10, 11]


def test_first_number_override_runs_on(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        july = M.create_meeting(s, c, dt.date(2021, 7, 6), first_minute_number=57)
        sept = M.create_meeting(s, c, dt.date(2021, 9, 14))
        A.add_item(s, july, "Ofsted visit feedback")
        A.add_item(s, sept, "Budget")
        assert A.ordered_items(july)[0].minute_number == 57
        assert A.ordered_items(sept)[0].minute_number == 58


def test_restart_at_each_meeting(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Board", "CPB", numbering=NumberingScheme.PER_MEETING)
        one = M.create_meeting(s, c, dt.date(2021, 6, 1))
        two = M.create_meeting(s, c, dt.date(2021, 7, 1))
        A.add_standard_items(s, one)
        A.add_standard_items(s, two)
        assert [i.minute_number for i in A.ordered_items(two)] == [1, 2, 3, 4, 5]


def test_number_year_scheme_is_written_with_the_year(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Cabinet", "CAB", numbering=NumberingScheme.NUMBER_YEAR)
        m = M.create_meeting(s, c, dt.date(2019, 3, 12))  # municipal year 2018/19
        item = A.add_item(s, m, "Budget")
        assert meeting_minute_ref(m, item.minute_number) == "1/18"


def test_exempt_items_move_to_part_b_and_bring_the_motion(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        m = M.create_meeting(s, c, dt.date(2021, 7, 6))
        A.add_standard_items(s, m)
        secret = A.add_item(s, m, "Contract award")
        A.add_item(s, m, "Ofsted update")
        A.set_exempt(s, secret, (3,), "Contract matter")
        items = A.ordered_items(m)
        assert [i.title for i in items][-3:] == [
            "Ofsted update",
            "Exclusion of the press and public",
            "Contract award",
        ]
        assert [i.minute_number for i in items] == list(range(1, 9))
        assert items[-1].is_exempt and items[-1].exempt_paragraphs == "3"
        # A Part A item cannot be dragged below the exclusion motion: the move is refused and nothing moves.
        with pytest.raises(ValidationError, match="make it exempt first"):
            A.move_item(s, items[0], 99)
        assert A.ordered_items(m)[-1].title == "Contract award"
        A.clear_exempt(s, secret)
        assert not any(i.is_exempt for i in A.ordered_items(m))


def test_bad_paragraph_is_refused(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        m = M.create_meeting(s, c, dt.date(2021, 7, 6))
        item = A.add_item(s, m, "Contract award")
        with pytest.raises(Exception, match="paragraphs of Schedule 12A"):
            A.set_exempt(s, item, (9,))


def test_approved_minutes_are_not_renumbered_and_are_locked(db) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        first = M.create_meeting(s, c, dt.date(2021, 6, 1))
        second = M.create_meeting(s, c, dt.date(2021, 7, 1))
        A.add_item(s, first, "One")
        A.add_item(s, second, "Two")
        M.approve_minutes(s, second)
        A.add_item(s, first, "Added late")
        assert A.ordered_items(second)[0].minute_number == 2
        with pytest.raises(MinutesLockedError):
            A.add_item(s, second, "Too late")


# Examples of each property test: fewer on PostgreSQL, where each needs a database of its own made in the cluster.
EXAMPLES = {"sqlite": 40, "postgresql": 8}

operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "add_exempt", "remove", "move", "exempt", "unexempt"]), st.integers(0, 30)
    ),
    min_size=1,
    max_size=25,
)


def test_any_sequence_of_changes_keeps_numbers_right(engine_name: str, fresh_database: Any) -> None:
    """On both engines, a new database for each example (fewer on PostgreSQL, where making one takes longer)."""

    @settings(max_examples=EXAMPLES[engine_name], deadline=None)
    @given(ops=operations)
    def any_sequence(ops: list[tuple[str, int]]) -> None:
        with fresh_database() as db:
            _numbers_stay_right(db, ops)

    any_sequence()


def _numbers_stay_right(db: Any, ops: list[tuple[str, int]]) -> None:
    with db.transaction() as s:
        c = C.create_committee(s, "Scrutiny", "SC")
        before = M.create_meeting(s, c, dt.date(2021, 6, 1))
        A.add_standard_items(s, before)
        m = M.create_meeting(s, c, dt.date(2021, 7, 6))
        after = M.create_meeting(s, c, dt.date(2021, 9, 6))
        A.add_item(s, after, "Later")
        for op, n in ops:
            items = A.ordered_items(m)
            pick = items[n % len(items)] if items else None
            if op == "add":
                A.add_item(s, m, f"Item {n}", ItemKind.REPORT, index=n)
            elif op == "add_exempt":
                A.add_item(s, m, f"Secret {n}", exempt_paragraphs=(1 + n % 7,))
            elif pick is None:
                continue
            elif op == "remove":
                try:
                    A.remove_item(s, pick)  # the motion stays while there are exempt items
                except ValidationError:
                    pass
            elif op == "move":
                try:
                    A.move_item(s, pick, n)  # a move across the exclusion motion is refused
                except ValidationError:
                    pass
            elif op == "exempt":
                try:
                    A.set_exempt(s, pick, (3,))  # the motion itself cannot be exempt
                except ValidationError:
                    pass
            elif op == "unexempt":
                A.clear_exempt(s, pick)
        items = A.ordered_items(m)
        flags = [i.is_exempt for i in items]
        assert flags == sorted(flags), "Part B items must follow Part A"
        assert [i.position for i in items] == list(range(len(items)))
        assert [i.minute_number for i in items] == list(range(6, 6 + len(items)))
        assert A.ordered_items(after)[0].minute_number == 6 + len(items)
