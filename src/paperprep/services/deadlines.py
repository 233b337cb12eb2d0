"""Publication deadlines: five clear working days before the meeting (England).

"Clear" days exclude the day of publication, the day of the meeting, weekends and bank holidays. Bank holidays
come from the `holidays` package (England), never from a hand-made table: councils have had to move meetings after
forgetting Easter.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

CLEAR_DAYS = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def previous_working_day(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


@lru_cache(maxsize=4096)
def publication_deadline(meeting_date: dt.date, clear_days: int = CLEAR_DAYS) -> dt.date:
    """The latest working day on which the agenda can be published for a meeting on `meeting_date`."""
    day = meeting_date
    for _ in range(clear_days):
        day = previous_working_day(day)
    return previous_working_day(day)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` and up to and including `end` (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def deadline_warning(meeting_date: dt.date, published_on: dt.date | None, today: dt.date) -> str:
    """A short warning for the navigator, or "" when there is nothing to worry about."""
    if published_on is not None or meeting_date < today:
        return ""
    deadline = publication_deadline(meeting_date)
    if today > deadline:
        return f"Publication deadline passed on {deadline:%d/%m/%Y}"
    left = working_days_between(today, deadline)
    if left <= 2:
        return f"Publish by {deadline:%d/%m/%Y} ({left} working day{'s' if left != 1 else ''} left)"
    return ""
