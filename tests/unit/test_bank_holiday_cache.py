"""England's bank holidays kept in the user's cache folder, keyed by the installed `holidays` package: used
when it matches (the package is then not even imported), built again from the package when the key differs or
the file is damaged, and always the package's own dates."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import holidays
import pytest

from paperprep.services import deadlines as D


@pytest.fixture(autouse=True)
def _fresh_process_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process would: nothing read yet (the user's folders are the test's own)."""
    monkeypatch.setattr(D, "_years", {})


def _package_dates(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


_CHILD = """
import json, sys
from paperprep.services.deadlines import bank_holidays, publication_deadline
deadline = publication_deadline(__import__("datetime").date(2026, 4, 9))
print(json.dumps({"deadline": deadline.isoformat(),
                  "easter": sorted(d.isoformat() for d in bank_holidays(2026)),
                  "imported": "holidays" in sys.modules}))
"""


def _child(tmp_path: Path) -> dict[str, object]:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, env=env, check=True, timeout=120
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert isinstance(data, dict)
    return data


def test_a_second_process_reads_the_cache_without_importing_the_package(tmp_path: Path) -> None:
    first = _child(tmp_path)
    assert first["imported"] is True  # nothing kept yet: the dates come from the package
    assert (tmp_path / "cache" / "paperprep" / D.CACHE_NAME).is_file()
    second = _child(tmp_path)
    assert second["imported"] is False
    assert second["deadline"] == first["deadline"] == "2026-03-30"  # Good Friday and Easter Monday skipped
    assert second["easter"] == first["easter"] == sorted(d.isoformat() for d in _package_dates(2026))


def test_the_dates_are_the_packages_for_2020_to_2035() -> None:
    for year in range(2020, 2036):
        assert D.bank_holidays(year) == _package_dates(year), year
    kept = json.loads(D.cache_file().read_text(encoding="utf-8"))
    assert kept["key"] == D.package_key()
    for year in range(2020, 2036):  # and so are the dates written to the file, as ISO dates
        assert kept["years"][str(year)] == sorted(d.isoformat() for d in _package_dates(year))


def _forged(path: Path, key: str | None) -> None:
    """A cache file in the right shape that says Christmas Day 2030 is a working day."""
    years = {
        str(year): sorted(d.isoformat() for d in _package_dates(year) if d != dt.date(2030, 12, 25))
        for year in range(2028, 2033)
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": D.CACHE_FORMAT, "key": key, "years": years}), encoding="utf-8")


def test_the_forged_file_is_believed_under_the_current_key() -> None:
    """The other tests' forged file would be used if its key matched: what they show is the key at work."""
    _forged(D.cache_file(), D.package_key())
    assert dt.date(2030, 12, 25) not in D.bank_holidays(2030)


def test_a_cache_of_another_package_is_built_again(monkeypatch: pytest.MonkeyPatch) -> None:
    _forged(D.cache_file(), "holidays of another version")
    assert dt.date(2030, 12, 25) in D.bank_holidays(2030)
    kept = json.loads(D.cache_file().read_text(encoding="utf-8"))
    assert kept["key"] == D.package_key()
    assert "2030-12-25" in kept["years"]["2030"]


def test_an_upgraded_package_changes_the_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The key is read from the package's files: a module rewritten by an upgrade gives another key."""
    package = tmp_path / "site" / "holidays"
    (package / "countries").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    module = package / "countries" / "united_kingdom.py"
    module.write_text("# one version\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "holidays")
    key = D.package_key()
    assert key is not None and str(package) in key
    module.write_text("# another, longer version\n", encoding="utf-8")
    assert D.package_key() not in (None, key)


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"format": 1, "key": 3}',
        b"\xff\xfe\x00",
        b'{"format": 1, "key": "K", "years": [1]}',
    ],
)
def test_a_damaged_cache_file_is_built_again(damage: bytes) -> None:
    path = D.cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(damage.replace(b'"K"', json.dumps(D.package_key()).encode()))
    assert D.bank_holidays(2031) == _package_dates(2031)
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["key"] == D.package_key()
    assert kept["years"]["2031"] == sorted(d.isoformat() for d in _package_dates(2031))


def test_an_unwritable_cache_folder_costs_only_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setattr(D, "cache_file", lambda: blocked / D.CACHE_NAME)
    assert D.bank_holidays(2027) == _package_dates(2027)
    assert not list(tmp_path.glob(".*partial"))


def test_the_navigator_works_out_a_deadline_only_for_a_meeting_it_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import Qt

    from paperprep.domain import MeetingStatus
    from paperprep.queries.lists import NavMeeting
    from paperprep.ui.models import ROW_ID_ROLE, NavigatorModel

    asked: list[dt.date] = []
    real = D.publication_deadline

    def counting(day: dt.date, clear_days: int = D.CLEAR_DAYS) -> dt.date:
        asked.append(day)
        return real(day, clear_days)

    monkeypatch.setattr(D, "publication_deadline", counting)
    today = dt.date.today()
    soon, later = today + dt.timedelta(days=60), today + dt.timedelta(days=400)
    meetings = [
        NavMeeting(n, 1, "Cabinet", day, day.year, MeetingStatus.DRAFT_AGENDA, "")
        for n, day in enumerate((soon, later, today - dt.timedelta(days=30)), start=1)
    ]
    model = NavigatorModel()
    model.load([(1, "Cabinet")], meetings)
    assert asked == []  # loaded and listed: nothing worked out yet
    committee = model.index(0, 0)
    years = [model.index(y, 0, committee) for y in range(model.rowCount(committee))]
    rows = [model.index(r, 0, year) for year in years for r in range(model.rowCount(year))]
    (soon_row,) = [row for row in rows if row.data(ROW_ID_ROLE) == 1]
    tip = soon_row.data(Qt.ItemDataRole.ToolTipRole)
    assert asked == [soon] and f"Publish by {real(soon):%d/%m/%Y}" in tip
    assert soon_row.data(Qt.ItemDataRole.ToolTipRole) == tip and asked == [soon]  # written once
    page = model.day_tooltips(later.replace(day=1), later)  # the month shown, up to that meeting
    assert asked == [soon, later] and set(page) == {later}
