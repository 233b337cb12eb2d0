"""The export helper (paperprep.ops.helper): exports written by a process of their own, with progress, cancel,
the export's own errors, and a helper that dies, on both engines."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paperprep.db import open_database
from paperprep.domain import Audience
from paperprep.errors import ExportCancelled, ExportError, NotFoundError, PaperprepError
from paperprep.export.safety import package_text
from paperprep.ops import exports, helper
from paperprep.services.demo import load_demo
from paperprep.services.meetings import list_meetings


@pytest.fixture
def demo(database: Any) -> Iterator[Any]:
    with database.transaction() as s:
        load_demo(s)
    yield database
    helper.shutdown(database)
    assert helper.where(database) not in helper._idle


def _largest_meeting(db: Any) -> int:
    with db.transaction() as s:
        meetings = list_meetings(s)
    return max(meetings, key=lambda m: m.item_count).id


def _helper_pid(db: Any) -> int:
    place = helper.where(db)
    assert place is not None
    pid = helper._idle[place].process.pid
    assert pid is not None
    return pid


def _text(path: Path) -> str:
    return " ".join(package_text(path.read_bytes()).values())


def test_the_helper_writes_what_the_export_writes_here(demo: Any, tmp_path: Path) -> None:
    meeting = _largest_meeting(demo)
    ticks: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        ticks.append((done, total))
        return True

    there = tmp_path / "helper.docx"
    warnings = helper.run(demo, "export_minutes", meeting, there, Audience.PUBLIC, progress=progress)
    here = tmp_path / "here.docx"
    assert warnings == exports.export_minutes(demo, meeting, here, Audience.PUBLIC)
    assert _text(there) == _text(here)
    assert ticks and ticks[-1][0] == ticks[-1][1]  # progress came through, to the end

    first = _helper_pid(demo)
    assert first != os.getpid()
    count = helper.run(demo, "export_action_log", tmp_path / "log.xlsx", status="all", audience=Audience.PUBLIC)
    assert count == exports.export_action_log(demo, tmp_path / "log2.xlsx", status="all", audience=Audience.PUBLIC)
    assert _helper_pid(demo) == first  # the same helper took the second job


def test_cancel_and_errors_come_back_as_the_exports_own(demo: Any, tmp_path: Path) -> None:
    meeting = _largest_meeting(demo)
    out = tmp_path / "cancelled.docx"
    with pytest.raises(ExportCancelled):
        helper.run(demo, "export_minutes", meeting, out, Audience.PUBLIC, progress=lambda done, total: done < 2)
    assert not out.exists()

    with pytest.raises(NotFoundError, match="no meeting with id 987654") as caught:
        helper.run(demo, "export_minutes", 987654, tmp_path / "none.docx", Audience.PUBLIC)
    # The log shows where it happened in the helper, as the cause of the error raised here.
    assert isinstance(caught.value.__cause__, helper.HelperTraceback)
    assert "export_minutes" in caught.value.__cause__.text
    assert "snapshot" in str(caught.value.__cause__) or "export_minutes" in str(caught.value.__cause__)

    with pytest.raises(ValueError):
        helper.run(demo, "backup_to", tmp_path / "copy.sqlite")

    # The helper that cancelled and failed still works.
    assert helper.run(demo, "export_agenda", meeting, tmp_path / "agenda.docx", Audience.PUBLIC) == []


def test_a_helper_that_dies_is_replaced_or_reported(demo: Any, tmp_path: Path) -> None:
    meeting = _largest_meeting(demo)
    helper.prepare(demo)
    place = helper.where(demo)
    assert place is not None
    idle = helper._idle[place]
    idle.process.kill()
    idle.process.join(10)
    # Dead while idle: the next export starts another one.
    helper.run(demo, "export_minutes", meeting, tmp_path / "after.docx", Audience.PUBLIC)
    assert (tmp_path / "after.docx").exists()
    assert helper._idle[place] is not idle

    # Dead mid-export: the clerk is told, and nothing is written.
    def kill_it(done: int, total: int) -> bool:
        if done == 1:
            helper_process = next(
                p for p in __import__("multiprocessing").active_children() if p.name == "paperprep-export-helper"
            )
            helper_process.kill()
            helper_process.join(10)
        return True

    out = tmp_path / "killed.docx"
    with pytest.raises(ExportError, match="stopped unexpectedly"):
        helper.run(demo, "export_minutes", meeting, out, Audience.PUBLIC, progress=kill_it)
    assert not out.exists()
    assert helper.run(demo, "export_minutes", meeting, out, Audience.PUBLIC) == []


def test_one_idle_helper_per_database_and_shutdown_stops_it(demo: Any) -> None:
    helper.prepare(demo)
    helper.prepare(demo)
    pid = _helper_pid(demo)
    processes = [p for p in __import__("multiprocessing").active_children() if p.pid == pid]
    assert len(processes) == 1
    helper.shutdown(demo)
    assert not processes[0].is_alive()
    assert helper.where(demo) not in helper._idle


def test_a_database_in_memory_is_exported_here(tmp_path: Path) -> None:
    db = open_database(tmp_path / "gone.sqlite", daily_backup=False)
    with db.transaction() as s:
        load_demo(s)
    meeting = _largest_meeting(db)
    db.path = tmp_path / "no-such-file.sqlite"  # what another process cannot open
    assert helper.where(db) is None
    out = tmp_path / "here.docx"
    helper.run(db, "export_minutes", meeting, out, Audience.PUBLIC)
    assert out.exists()
    assert not helper._idle
    db.close()


class Unpicklable(Exception):
    def __init__(self, a: str, b: str) -> None:
        super().__init__(f"{a} and {b}")


def test_an_error_that_does_not_pickle_comes_back_by_name() -> None:
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(Unpicklable("one", "two")))
    rebuilt = helper._rebuilt(helper._portable(Unpicklable("one", "two")))
    assert isinstance(rebuilt, RuntimeError)
    assert "Unpicklable: one and two" in str(rebuilt)

    class Odd(PaperprepError):
        def __init__(self, a: str, b: str) -> None:
            super().__init__(f"{a}; {b}")

    Odd.__module__ = "paperprep.errors"
    Odd.__qualname__ = "ExportError"  # found by name as the app's own kind of error
    mine = helper._rebuilt(helper._portable(Odd("disk", "full")))
    assert type(mine) is ExportError and str(mine) == "disk; full"


def test_a_bug_in_the_helper_is_logged_with_the_helpers_traceback() -> None:
    from paperprep.logs import explain, setup_logging

    def deep_in_the_helper() -> None:
        raise KeyError("a bug")

    try:
        deep_in_the_helper()
    except KeyError as exc:
        portable = pickle.loads(pickle.dumps(helper._portable(exc)))  # as it crosses the pipe
    rebuilt = helper._rebuilt(portable)
    try:
        raise rebuilt  # as helper.run raises it on the worker thread
    except KeyError as raised:
        sentence = explain(raised)
    assert sentence.startswith("Sorry, paperprep hit an unexpected problem")
    where = setup_logging()
    assert where is not None
    logged = where.read_text(encoding="utf-8")
    assert "deep_in_the_helper" in logged and "in the export helper process" in logged
