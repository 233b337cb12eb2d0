"""The desktop app (Qt). Only this package imports PySide6; `run_gui` is its one entry point."""

from __future__ import annotations

from pathlib import Path


def run_gui(db_path: Path | str | None = None) -> int:
    from paperprep.ui.application import run

    return run(db_path)
