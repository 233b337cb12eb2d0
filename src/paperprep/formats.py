"""How the app and its papers write things for the clerk: UK dates and times, action references, the exempt
notice and presenters. One module, so the screen and the papers never disagree. Dates in files stay ISO 8601.
"""

from __future__ import annotations

import datetime as dt


def uk_date(day: dt.date | None) -> str:
    """24/04/2025, or "" when there is no date."""
    return f"{day:%d/%m/%Y}" if day else ""


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
