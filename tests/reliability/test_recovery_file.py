"""Recovery files (paperprep.recovery): operations kept as JSON and read back the same, written privately and
atomically, and a damaged file reported in one sentence and never removed."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from paperprep import blocks as B
from paperprep import recovery as R
from paperprep.domain import Judgement
from paperprep.errors import PaperprepError
from paperprep.ops.actions import SaveInspection
from paperprep.ops.minutes import SaveMinutesText
from paperprep.records import JudgementRecord, NextStepRecord
from paperprep.services.inspections import InspectionData


def _entry(op: object, text: str = "text") -> R.Entry:
    return R.Entry(
        type(op).__name__, R.encode(op), "Meeting", "Item", "Field", text, dt.datetime(2026, 6, 10, 19, 5)
    )


def test_operations_come_back_equal_from_their_json() -> None:
    minute = SaveMinutesText(
        7,
        (B.paragraph("Noted."), B.Block(B.BlockKind.BULLET, (B.Run("bold", bold=True),), 1)),
        read_version=3,
    )
    data = InspectionData(
        service="Children's services",
        fieldwork_start=dt.date(2026, 3, 2),
        inspectors=4,
        overall=Judgement.GOOD,
        judgements=[JudgementRecord("Overall effectiveness", Judgement.GOOD)],
        strengths=["Stable workforce"],
        next_steps=[NextStepRecord("Action plan", dt.date(2026, 9, 1)), NextStepRecord("Review")],
    )
    inspection = SaveInspection(9, data, read_version=None)
    for op in (minute, inspection):
        back = R.decode(type(op), json.loads(json.dumps(R.encode(op))))
        assert back == op


def test_data_that_does_not_fit_is_refused() -> None:
    with pytest.raises(ValueError):
        R.decode(SaveMinutesText, {"item_id": "seven", "blocks": []})
    with pytest.raises(ValueError):
        R.decode(SaveMinutesText, {"blocks": []})  # no item


def test_the_file_is_private_added_to_and_removed_when_empty(tmp_path: Path) -> None:
    db = tmp_path / "data" / "clerk.sqlite"
    db.parent.mkdir()
    first = _entry(SaveMinutesText(1, (B.paragraph("One."),), 2), "One.")
    second = _entry(SaveMinutesText(1, (B.paragraph("Two."),), 2), "Two.")
    path = R.add(db, [first])
    R.add(db, [second])
    assert path == db.parent / "paperprep-recovery" / "clerk.sqlite.json"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [e.text for e in R.read(db)] == ["One.", "Two."]
    assert json.loads(path.read_text(encoding="utf-8"))["entries"][0]["typed_at"] == "2026-06-10T19:05:00"
    assert R.read(tmp_path / "data" / "other.sqlite") == []  # another database has none
    assert sorted(p.name for p in path.parent.iterdir()) == ["clerk.sqlite.json"]  # no partial file left
    R.write(db, [])
    assert not path.exists()


def test_a_damaged_file_is_reported_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "clerk.sqlite"
    path = R.file_for(db)
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(PaperprepError, match="damaged.*It is kept"):
        R.read(db)
    assert path.read_text(encoding="utf-8") == "{not json"


def test_a_folder_that_cannot_be_written_gives_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "clerk.sqlite"
    (tmp_path / "paperprep-recovery").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(PaperprepError, match="could not be written.*Copy the text on screen"):
        R.write(db, [_entry(SaveMinutesText(1, (), 1))])
