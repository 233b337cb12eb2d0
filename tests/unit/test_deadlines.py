"""Publication deadlines: five clear working days, England's bank holidays."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from paperprep.services.deadlines import deadline_warning, is_working_day, publication_deadline


def test_easter_falls_in_between() -> None:
    assert publication_deadline(dt.date(2025, 4, 24)) == dt.date(2025, 4, 14)


def test_christmas_and_boxing_day() -> None:
    assert publication_deadline(dt.date(2025, 12, 30)) == dt.date(2025, 12, 18)


def test_new_year() -> None:
    assert publication_deadline(dt.date(2026, 1, 6)) == dt.date(2025, 12, 24)


def test_substitute_boxing_day_2026_is_not_a_working_day() -> None:
    assert not is_working_day(dt.date(2026, 12, 28))


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_exactly_five_clear_working_days(meeting: dt.date) -> None:
    deadline = publication_deadline(meeting)
    assert is_working_day(deadline)
    clear = [
        deadline + dt.timedelta(days=n)
        for n in range(1, (meeting - deadline).days)
        if is_working_day(deadline + dt.timedelta(days=n))
    ]
    assert len(clear) == 5
    # The next working day after the deadline would leave only four.
    later = deadline + dt.timedelta(days=1)
    while not is_working_day(later):
        later += dt.timedelta(days=1)
    assert (
        sum(1 for n in range(1, (meeting - later).days) if is_working_day(later + dt.timedelta(days=n))) < 5
    )


def test_warning_when_near_and_when_passed() -> None:
    meeting = dt.date(2025, 4, 24)
    assert deadline_warning(meeting, None, dt.date(2025, 4, 1)) == ""
    assert "Publish by 14/04/2025" in deadline_warning(meeting, None, dt.date(2025, 4, 11))
    assert "passed" in deadline_warning(meeting, None, dt.date(2025, 4, 15))
    assert deadline_warning(meeting, dt.date(2025, 4, 10), dt.date(2025, 4, 15)) == ""
