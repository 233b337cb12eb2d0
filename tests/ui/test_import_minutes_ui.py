"""File > Import minutes… in the real main window: choose files, preview each, import; the meeting appears."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QMenu

from paperprep.db import open_database
from paperprep.queries import lists
from paperprep.services.meetings import list_meetings

DOCUMENTS = Path(__file__).parent.parent / "fixtures" / "documents"
PRINTED = DOCUMENTS / "moderngov-printed-minutes.txt"
AGENDA_PAGE = DOCUMENTS / "agenda-and-minutes-page.txt"


def _import(
    qtbot, window, monkeypatch, sources: list[Path], accept: bool = True
) -> tuple[list[object], list[int]]:  # type: ignore[no-untyped-def]
    from paperprep.ui import import_minutes

    previews: list[object] = []
    monkeypatch.setattr(import_minutes, "choose_sources", lambda _parent: sources)
    monkeypatch.setattr(import_minutes, "ask_import", lambda _parent, rows: previews.append(rows) or accept)
    # The command File > Import minutes... runs, on the window's own instance.
    assert window.act_import_minutes in window.findChild(QMenu, "fileMenu").actions()
    run = window.minutes_import.import_minutes()
    assert run is not None
    with qtbot.waitSignal(run.finished, timeout=30_000) as finished:
        pass
    return previews, finished.args[0]


def test_import_minutes_previews_each_file_then_imports_the_new_ones(
    qtbot, tmp_path: Path, open_window, answers, monkeypatch
) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "planning.txt").write_text(AGENDA_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "damaged.pdf").write_bytes(b"%PDF-1.5 not really")
    path = tmp_path / "clerk.sqlite"
    window = open_window(path)
    changes: list[object] = []
    window.store.changed.connect(changes.append)

    previews, created = _import(qtbot, window, monkeypatch, [PRINTED, folder])
    (rows,) = previews
    outcomes = {row.path.name: row.cells() for row in rows}  # type: ignore[attr-defined]
    assert set(outcomes) == {"moderngov-printed-minutes.txt", "planning.txt", "damaged.pdf"}
    printed = outcomes["moderngov-printed-minutes.txt"]
    assert printed[0].endswith("Adult Social Care and Health Scrutiny Committee")
    assert printed[1:4] == ("14/05/2025", "8", "14") and printed[4].startswith("New meeting")
    assert "cannot be read" in outcomes["damaged.pdf"][4]
    assert len(created) == 2 and changes  # the views were told
    assert answers["_errors"] == []
    navigator = window.store.read(lists.navigator)
    assert sorted(m.id for m in navigator.meetings) == sorted(created)
    assert {name for _id, name in navigator.committees} == {
        "Adult Social Care and Health Scrutiny Committee",
        "Planning Committee",
    }
    db = open_database(path)
    with db.transaction() as session:
        dates = sorted(m.date for m in list_meetings(session))
    db.close()
    assert dates == [dt.date(2024, 11, 19), dt.date(2025, 5, 14)]

    previews, created = _import(qtbot, window, monkeypatch, [PRINTED])
    (rows,) = previews
    (row,) = rows  # type: ignore[misc]
    assert row.cells()[4].startswith("Already on file") and not row.importable
    assert created == []


def test_cancelling_the_preview_imports_nothing(
    qtbot, tmp_path: Path, open_window, answers, monkeypatch
) -> None:
    path = tmp_path / "clerk.sqlite"
    window = open_window(path)
    previews, created = _import(qtbot, window, monkeypatch, [PRINTED], accept=False)
    assert len(previews) == 1 and created == []
    db = open_database(path)
    with db.transaction() as session:
        assert list_meetings(session) == []
    db.close()


def test_the_preview_dialog_lists_every_file(qtbot, tmp_path: Path) -> None:
    from paperprep.imports.minutes_document import read_minutes_document
    from paperprep.ui.application import make_application
    from paperprep.ui.import_minutes import FileRow, ImportPreviewDialog

    make_application()
    rows = [
        FileRow(PRINTED, read_minutes_document(PRINTED), None, ""),
        FileRow(AGENDA_PAGE, read_minutes_document(AGENDA_PAGE), 7, ""),
        FileRow(tmp_path / "x.pdf", None, None, "x.pdf cannot be read as a PDF: it may be damaged."),
    ]
    dialog = ImportPreviewDialog(None, rows)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 3
    assert table.item(1, 4).text().startswith("Already on file")
    assert table.item(2, 4).text().startswith("x.pdf cannot be read")
    assert dialog.import_button.isEnabled()
    only_old = ImportPreviewDialog(None, rows[1:])
    qtbot.addWidget(only_old)
    assert not only_old.import_button.isEnabled()
