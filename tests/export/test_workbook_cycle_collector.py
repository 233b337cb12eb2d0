"""The action log writer pauses Python's cycle collector while it builds a big workbook (each full collection would
walk every cell object XlsxWriter holds), and always gives it back as it found it: after a log is written, after
an export is cancelled, and when the collector was already off."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from paperprep.domain import ActionStatus, Audience, Rag
from paperprep.errors import ExportCancelled
from paperprep.export.actions_xlsx import write_action_log
from paperprep.records import ActionRecord

ROWS = 1200  # progress is reported every 500 rows


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _rows() -> list[ActionRecord]:
    first = ActionRecord(
        id=1,
        reference="SC 1/21-22/1",
        committee_name="Scrutiny",
        committee_code="SC",
        meeting_id=1,
        meeting_date=dt.date(2021, 7, 6),
        minute_ref="1/21-22",
        item_title="Ofsted focused visit feedback",
        text="Circulate the Ofsted letter to every member of the committee",
        owner="Sue Butcher",
        due_date=dt.date(2021, 8, 1),
        status=ActionStatus.OPEN,
        rag=Rag.AMBER,
        updates=(),
        notes="",
        updated_at=dt.datetime(2021, 7, 7, 9, 30),
    )
    return [dataclasses.replace(first, id=n, text=f"{first.text} ({n})") for n in range(1, ROWS + 1)]


def _write(out: Path, progress: object = None) -> None:
    write_action_log(
        _rows(),
        out,
        title="Action log: Scrutiny",
        audience=Audience.CONFIDENTIAL,
        secret=b"k" * 32,
        today=dt.date(2021, 7, 20),
        progress=progress,  # type: ignore[arg-type]
    )


def test_the_collector_is_off_while_the_rows_are_written_and_on_again_after(
    collector_on: None, tmp_path: Path
) -> None:
    seen: list[bool] = []

    def progress(done: int, total: int) -> bool:
        seen.append(gc.isenabled())
        return True

    out = tmp_path / "log.xlsx"
    _write(out, progress)
    assert seen == [False, False]  # at 500 and 1,000 rows
    assert gc.isenabled()
    assert load_workbook(out)["Actions"].max_row == ROWS + 1


def test_a_cancelled_export_gives_the_collector_back(collector_on: None, tmp_path: Path) -> None:
    out = tmp_path / "log.xlsx"
    with pytest.raises(ExportCancelled):
        _write(out, lambda done, total: False)
    assert gc.isenabled() and not out.exists()


def test_a_collector_already_off_stays_off(collector_on: None, tmp_path: Path) -> None:
    gc.disable()
    _write(tmp_path / "log.xlsx")
    assert not gc.isenabled()
