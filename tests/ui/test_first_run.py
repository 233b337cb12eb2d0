"""A new user's first start: the default database is made, and the demo data can be loaded."""

from __future__ import annotations

from pathlib import Path


def test_first_run_offers_the_demo_and_loads_it(qtbot, tmp_path: Path, monkeypatch, answers) -> None:
    from paperprep.db import default_database_path
    from paperprep.ui.application import make_application, open_main_window

    make_application()
    home_db = default_database_path()
    assert not home_db.exists()
    answers["ask_first_run"] = [True]
    window = open_main_window(None)
    qtbot.addWidget(window)
    assert home_db.exists(), "the per-user database is created on first run"
    with qtbot.waitSignal(window.demoLoaded, timeout=60_000):
        pass
    assert window.navigator.rowCount() == 3
    assert answers["ask_first_run"] == []
    window.close()
    window.db.close()
    # The second start does not ask again.
    again = open_main_window(None)
    qtbot.addWidget(again)
    assert again.navigator.rowCount() == 3
    again.close()
    again.db.close()


def test_start_empty(qtbot, tmp_path: Path, answers) -> None:
    from paperprep.ui.application import make_application, open_main_window

    make_application()
    answers["ask_first_run"] = [False]
    window = open_main_window(tmp_path / "new.sqlite")
    qtbot.addWidget(window)
    assert window.navigator.rowCount() == 0
    assert "New meeting" in window.workspace.heading.text()
    window.close()
    window.db.close()
