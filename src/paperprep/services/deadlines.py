"""Publication deadlines: five clear working days before the meeting (England).

"Clear" days exclude the day of publication, the day of the meeting, weekends and bank holidays. Bank holidays
come from the `holidays` package (England), never from a hand-made table: councils have had to move meetings after
forgetting Easter.

Importing that package and building England's set costs a fifth of a second (more on a busy machine), on every
start that shows a meeting still to come and in every paper exported. So the package's dates are kept in a
small file in the user's cache folder ("bank-holidays-england.json", ISO dates by year), keyed by the identity
of the installed package, read without importing it: where it lives, and the size and modification time of its
United Kingdom module. An upgraded package changes that key, and the dates are built again from it; so is a
file that cannot be read, or that holds anything unexpected. A cache that cannot be written costs only the
time: the dates still come from the package, and the clerk is never told.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

CLEAR_DAYS = 5
CACHE_NAME = "bank-holidays-england.json"
CACHE_FORMAT = 1
# When the package has to be read, the years around today are built with the year asked for: one import then
# serves every date a clerk's meetings are likely to need.
YEARS_AROUND = 30

# This process's dates, read from the cache or built from the package.
_years: dict[int, frozenset[dt.date]] = {}


def cache_file() -> Path:
    """Where the package's dates are kept between runs: the user's cache folder."""
    from platformdirs import user_cache_path

    return user_cache_path("paperprep", appauthor=False) / CACHE_NAME


def package_key() -> str | None:
    """The identity of the installed `holidays` package, found without importing it: the place of the package
    and the size and modification time (ns) of the modules that make England's dates. None when it cannot be
    told (then the dates come from the package every time)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    parts = [spec.origin]
    for module in (package / "countries" / "united_kingdom.py", package / "__init__.py"):
        try:
            info = module.stat()
        except OSError:
            info = None
        if info is not None:
            parts.append(f"{module.name}:{info.st_size}:{info.st_mtime_ns}")
    if len(parts) == 1 and getattr(sys, "frozen", False):
        # A packaged build ships the package inside itself: the build's own executable is its identity.
        try:
            info = Path(sys.executable).stat()
        except OSError:
            return None
        parts.append(f"{sys.executable}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts) if len(parts) > 1 else None


def _read_cache(path: Path, key: str) -> dict[int, frozenset[dt.date]] | None:
    """The years kept in the cache file; None when it is missing, unreadable, damaged or of another key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("key") != key:
            return None
        years = data["years"]
        if not isinstance(years, dict):
            return None
        return {
            int(year): frozenset(dt.date.fromisoformat(day) for day in days) for year, days in years.items()
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write_cache(path: Path, key: str, years: dict[int, frozenset[dt.date]]) -> None:
    """Write the cache whole or not at all: into a temporary file beside it, renamed into place."""
    data = {
        "format": CACHE_FORMAT,
        "key": key,
        "years": {str(year): sorted(day.isoformat() for day in days) for year, days in sorted(years.items())},
    }
    temp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, indent=0) + "\n")
        temp.replace(path)
    except OSError:
        pass  # only a cache: the dates are right without it, and the next run tries again
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass


def _from_package(years: set[int]) -> dict[int, frozenset[dt.date]]:
    import holidays

    england = holidays.country_holidays("GB", subdiv="ENG", years=sorted(years))
    found: dict[int, set[dt.date]] = {year: set() for year in years}
    for day in england:
        if day.year in found:
            found[day.year].add(day)
    return {year: frozenset(days) for year, days in found.items()}


def bank_holidays(year: int) -> frozenset[dt.date]:
    """England's bank holidays in `year`, as the `holidays` package has them (see the module's note)."""
    known = _years.get(year)
    if known is not None:
        return known
    key = package_key()
    path = cache_file() if key is not None else None
    cached = _read_cache(path, key) if path is not None and key is not None else None
    if cached is not None and year in cached:
        _years.update(cached)
        return cached[year]
    this_year = dt.date.today().year
    wanted = set(range(this_year - YEARS_AROUND, this_year + YEARS_AROUND + 1)) | {year} | set(cached or ())
    built = _from_package(wanted)
    if path is not None and key is not None:
        _write_cache(path, key, built)
    _years.update(built)
    return built[year]


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


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
