"""How the app and its papers write things for the clerk: UK dates and times, action references, the exempt
notice and presenters. One module, so the screen and the papers never disagree. Dates in files stay ISO 8601.
"""

from __future__ import annotations

import datetime as dt


def uk_date(day: dt.date | None) -> str:
    """24/04/2025, or "" when there is no date."""
    return f"{day:%d/%m/%Y}" if day else ""


DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)  # how much of a date is known: "in May 2021" is a month, "in 2019" a year


def precise_date(day: dt.date | None, precision: str = DAY) -> str:
    """A date as far as it is known: 24/04/2025, May 2021 or 2021 (never 01/05/2021 for "May 2021")."""
    if day is None:
        return ""
    if precision == MONTH:
        return f"{day:%B %Y}"
    if precision == YEAR:
        return str(day.year)
    return uk_date(day)


def precise_range(
    start: dt.date | None, start_precision: str, end: dt.date | None, end_precision: str
) -> str:
    """Two dates as far as each is known, such as fieldwork "May 2021 to 14/05/2021"; either may be missing."""
    return " to ".join(precise_date(d, p) for d, p in ((start, start_precision), (end, end_precision)) if d)


def iso_precise(day: dt.date | None, precision: str = DAY) -> str | None:
    """ISO 8601 to the known precision, for files: 2025-04-24, 2021-05 or 2021; None when there is no date."""
    if day is None:
        return None
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if precision == YEAR:
        return f"{day.year:04d}"
    return day.isoformat()


def parse_iso_precise(text: str) -> tuple[dt.date, str]:
    """2025-04-24, 2021-05 or 2021 as (the date, or the first day of the month or year; its precision).
    Raises ValueError for anything else."""
    text = text.strip()
    parts = text.split("-")
    if len(parts) == 1 and len(text) == 4 and text.isdigit():
        return dt.date(int(text), 1, 1), YEAR
    if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2 and text.replace("-", "").isdigit():
        return dt.date(int(parts[0]), int(parts[1]), 1), MONTH
    if len(text) == 10:
        return dt.date.fromisoformat(text), DAY
    raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD, YYYY-MM or YYYY.")


def uk_long_date(day: dt.date) -> str:
    """Thursday 24 April 2025."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def parse_uk_date(text: str) -> dt.date | None:
    """24/04/2025 (or 24/4/25) as a date; None for blank. Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date: write it as dd/mm/yyyy, e.g. 24/04/2025.")


def clock(time: dt.time | None) -> str:
    """18:30 on screen; "" when there is no time."""
    return f"{time:%H:%M}" if time else ""


def action_reference(
    committee_code: str,
    minute_number: int | None,
    number: int,
    *,
    year: int | None = None,
    meeting_date: dt.date | None = None,
) -> str:
    """The reference of an action, unique across the whole database: committee, minute, period, action.

    Minute numbers that run through a municipal year are unique within it, so the year says the rest:
    "CLSC 57/25-26/2" (`year` is the calendar year the municipal year began). Where numbers restart at every
    meeting, the meeting's date does: "CPB 7/09.07.25/1".
    """
    minute = "?" if minute_number is None else str(minute_number)
    if meeting_date is not None:
        period = f"{meeting_date:%d.%m.%y}"
    elif year is not None:
        period = f"{year % 100:02d}-{(year + 1) % 100:02d}"
    else:
        return f"{committee_code} {minute}/{number}"
    return f"{committee_code} {minute}/{period}/{number}"


def exempt_notice(paragraphs_text: str) -> str:
    """What a public paper says in place of an exempt item's content."""
    return f"Exempt information under {paragraphs_text} of Part 1 of Schedule 12A to the Local Government Act 1972."


def presenter(name: str, role: str) -> str:
    """Sue Butcher, Director of Children's Services."""
    return f"{name}, {role}" if name and role else (name or role)
