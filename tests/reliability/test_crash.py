"""The crash harness in CI: 10 SIGKILLs of a child editing through the autosaver, the store and the operations.

After each kill, `paperprep check` must pass (integrity_check ok, foreign_key_check empty) and every edit the
child logged as saved must be in the database. The full run is 50 kills, by hand or in a nightly job:

    .venv/bin/python tests/reliability/crash.py --kills 50

(see docs/reliability.md). POSIX only, which CI (Linux) is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reliability import crash

pytestmark = pytest.mark.reliability


@pytest.mark.slow
def test_ten_kills_lose_nothing_reported_saved_and_leave_a_sound_database(tmp_path: Path) -> None:
    assert os.name == "posix", "the crash harness sends SIGKILL: run it on Linux or macOS"
    outcome = crash.run(10, tmp_path, report=False)
    assert outcome.problems == []
    assert outcome.kills == 10
    assert outcome.edits["body"] > 0 and outcome.edits["purpose"] > 0  # both roads were exercised
    assert outcome.saved >= 20


def test_the_check_finds_a_lost_edit_and_ignores_a_line_cut_short(tmp_path: Path) -> None:
    db_path, log_path, plan_path = tmp_path / "crash.sqlite", tmp_path / "saved.log", tmp_path / "plan.json"
    crash.prepare(db_path, plan_path)
    item = json.loads(plan_path.read_text(encoding="utf-8"))["items"][0]
    log_path.write_text(f"body\t{item}\t[r1-1]\npurpose\t{item}\t[r1-2", encoding="utf-8")
    problems, edits = crash.check(db_path, log_path)
    assert problems == [f"lost: the body edit [r1-1] of record {item} was reported saved"]
    assert sum(edits.values()) == 1  # the last line, without its newline, was never reported
