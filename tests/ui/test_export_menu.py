"""Exporting from the app: the Export menu writes off the GUI thread and offers to open the file."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from paperprep.db import open_database
from paperprep.services.demo import load_demo
from paperprep.services.meetings import list_meetings


def demo_file(tmp_path: Path) -> tuple[Path, int]:
    """A demo database file, and its first meeting."""
    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
        meeting_id = list_meetings(s)[0].id
    db.close()
    return path, meeting_id


def test_export_minutes_from_the_menu(qtbot, tmp_path: Path, open_window, answers, monkeypatch) -> None:
    from paperprep.ui import dialogs

    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
        meeting_id = next(m.id for m in list_meetings(s) if m.committee_code == "CLSC" and m.item_count > 9)
    db.close()
    window = open_window(path)
    window.select_meeting(meeting_id)
    out = tmp_path / "out" / "minutes.docx"
    out.parent.mkdir()
    answers["choose_save_file"] = [out]
    offered: list[tuple[Path, list[str]]] = []
    monkeypatch.setattr(dialogs, "offer_open", lambda _w, p, warnings: offered.append((p, warnings)) or "")
    action = window.findChild(type(window.act_find), "exportMinutesPublic")
    assert action is not None and window.export_menu.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=30_000)
    assert offered == [(out, [])]
    doc = Document(str(out))
    assert doc.core_properties.title.startswith("Minutes of the Children & Learning")
    assert "Harbour Care" not in " ".join(p.text for p in doc.paragraphs)
    from paperprep.ui.export_actions import last_folder

    assert last_folder() == str(out.parent)


def test_exports_are_written_by_a_helper_that_goes_with_its_database(
    qtbot, tmp_path: Path, open_window, answers, monkeypatch
) -> None:
    """The minutes are written by the export helper, a process of its own (so the window never waits for the
    interpreter); opening another database stops that database's helper."""
    import multiprocessing
    import os

    from paperprep.ops import helper
    from paperprep.ui import dialogs

    path, meeting_id = demo_file(tmp_path)
    window = open_window(path)
    window.select_meeting(meeting_id)
    out = tmp_path / "minutes.docx"
    answers["choose_save_file"] = [out]
    offered: list[Path] = []
    monkeypatch.setattr(dialogs, "offer_open", lambda _w, p, _warnings: offered.append(p) or "")
    started: list[object] = []
    monkeypatch.setattr(helper, "_Helper", lambda place, made=helper._Helper: started.append(made(place)) or started[-1])
    from paperprep.ops import exports

    def here(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("written in the window's own process")

    monkeypatch.setattr(exports, "export_minutes", here)  # the helper has its own copy of the module
    window.findChild(type(window.act_find), "exportMinutesPublic").trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=30_000)
    assert offered == [out] and Document(str(out)).paragraphs
    assert len(started) == 1  # started when the file name was asked, and the export then written by it
    place = helper.where(window.store.db)
    assert place is not None and helper._idle[place] is started[0]
    process = helper._idle[place].process
    assert process.pid != os.getpid() and process in multiprocessing.active_children()

    other = tmp_path / "other.sqlite"
    open_database(other).close()
    assert window.switch_database(other)
    assert place not in helper._idle and not process.is_alive()


def test_council_template_chosen_in_the_app(qtbot, tmp_path: Path, open_window, answers, monkeypatch) -> None:
    from paperprep.export import docx_styles as S
    from paperprep.export.docx_common import default_template
    from paperprep.ui import dialogs

    path, meeting_id = demo_file(tmp_path)
    template = Document(str(default_template()))
    template.styles[S.MINUTE_HEADING].name = "Council Item Heading"
    council = tmp_path / "council.docx"
    template.save(str(council))
    window = open_window(path)
    window.select_meeting(meeting_id)
    answers["choose_open_file"] = [council]
    window.findChild(type(window.act_find), "chooseTemplate").trigger()
    out = tmp_path / "agenda.docx"
    answers["choose_save_file"] = [out]
    offered: list[list[str]] = []
    monkeypatch.setattr(dialogs, "offer_open", lambda _w, _p, warnings: offered.append(warnings) or "")
    window.findChild(type(window.act_find), "exportAgendaPublic").trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=30_000)
    assert any("PP Minute Heading" in w for w in offered[0])


def test_closing_while_an_export_is_written_asks_and_stops_it(qtbot, tmp_path: Path, open_window, answers) -> None:
    """Closing the window while an export is still being written asks first; closing stops the export."""
    import time

    from paperprep.errors import ExportCancelled
    from paperprep.ui.export_actions import exports_in_flight, run_export

    path, _meeting = demo_file(tmp_path)
    window = open_window(path)
    out = tmp_path / "action-log.xlsx"

    def job(run) -> list[str]:  # type: ignore[no-untyped-def]
        while run.progress(1, 10):  # as an export does at each step, until it is cancelled
            time.sleep(0.02)
        raise ExportCancelled("The export was cancelled; nothing was written.")

    run = run_export(window, "Export action log", out, job)
    assert exports_in_flight(window) == [out]
    answers["confirm"] = [False]
    window.close()
    assert window.isVisible() and not run.cancelled.is_set()  # the clerk chose to stay: the export goes on
    answers["confirm"] = [True]
    window.close()
    assert not window.isVisible() and run.cancelled.is_set()
    qtbot.waitUntil(lambda: not exports_in_flight(window), timeout=10_000)
    assert not out.exists()
