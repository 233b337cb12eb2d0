"""`paperprep --self-test`: a headless smoke check that this copy of paperprep works, for IT after an install
and for the build of the bundled app, which has no Python of its own to test with.

It opens the real main window on a temporary database (on the offscreen platform when there is no display),
loads the demo council, exports a meeting's minutes (Word) and the action log (Excel), and reads both back.
Nothing of the clerk's is touched: the database, the log, the settings and the home folder of the run all
point into a temporary folder, removed when the run passes and kept (with its log) when it fails.

This half holds no Qt; the window half is paperprep.ui.selftest.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from paperprep.errors import PaperprepError

PASSED = "self-test passed"


def isolate(folder: Path) -> None:
    """Point everything the app reads or writes for the user into `folder`, before Qt or the app looks."""
    home = folder / "home"
    runtime = folder / "runtime"
    for made in (home, runtime):
        made.mkdir(mode=0o700, parents=True, exist_ok=True)
    overrides = {
        "PAPERPREP_DB": str(folder / "paperprep.sqlite"),
        "PAPERPREP_LOG": str(folder / "paperprep.log"),
        "PAPERPREP_SETTINGS": str(folder / "settings.ini"),  # on Windows the registry, which no home reaches
        "HOME": str(home),
        "USERPROFILE": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
    }
    os.environ.update(overrides)
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def document_text(path: Path) -> str:
    """Every piece of text in a Word file: paragraphs, tables, headers and footers."""
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts += [p.text for p in part.paragraphs]
    return "\n".join(parts)


def check_minutes(path: Path, committee: str) -> str:
    """The line to print for good minutes; a PaperprepError for bad ones."""
    if not path.is_file() or path.stat().st_size == 0:
        raise PaperprepError(f"The minutes were not written to {path}.")
    text = document_text(path)
    if committee not in text:
        raise PaperprepError(f"The exported minutes do not name the committee {committee!r}.")
    return f"minutes read back: {len(text.split())} words, naming {committee}"


def check_action_log(path: Path, written: int) -> str:
    """The line to print for a good action log; a PaperprepError for a bad one."""
    from openpyxl import load_workbook

    if not path.is_file() or path.stat().st_size == 0:
        raise PaperprepError(f"The action log was not written to {path}.")
    if written < 1:
        raise PaperprepError("The action log of the demo data holds no action.")
    book = load_workbook(path, read_only=True)
    try:
        cells = sum(
            1 for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
        )
        sheets = len(book.worksheets)
    finally:
        book.close()
    if cells < written:
        raise PaperprepError(f"The action log holds {cells} filled cells for {written} actions.")
    return f"action log read back: {sheets} sheets, {cells} filled cells"


def check_spelling() -> str:
    """The shipped dictionaries are there and read: a known word passes and a misspelt one does not."""
    from paperprep.spelling import DEFAULT_LANGUAGE, load

    lexicon = load(DEFAULT_LANGUAGE)
    if not lexicon.lookup("committee") or lexicon.lookup("comittee"):
        raise PaperprepError(f"The {DEFAULT_LANGUAGE} dictionary does not tell right spelling from wrong.")
    return f"spelling dictionary {DEFAULT_LANGUAGE} loaded"


def _failure(step: str, exc: BaseException, folder: Path | None) -> str:
    """One sentence for a failed step; a bug's traceback goes to the run's own log file first."""
    if isinstance(exc, PaperprepError):
        return f"Self-test failed: {exc.message}"
    if folder is None:  # no temporary folder, so no log of the run's own: nothing else is written to
        return f"Self-test failed while {step} ({type(exc).__name__}: {exc})."
    from paperprep.logs import explain

    explain(exc)  # logs the traceback
    log = folder / "paperprep.log"
    return f"Self-test failed while {step} ({type(exc).__name__}: {exc}); the details are in {log}."


def run_self_test(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step, one line each; 0 when all pass, else 1 after one sentence on `err`."""
    out = out or sys.stdout
    err = err or sys.stderr
    folder: Path | None = None

    def say(line: str) -> None:
        print(f"self-test: {line}", file=out, flush=True)

    step = "setting up a temporary folder"
    try:
        folder = Path(tempfile.mkdtemp(prefix="paperprep-selftest-"))
        isolate(folder)
        from paperprep import __version__
        from paperprep.logs import setup_logging

        setup_logging()
        say(f"paperprep {__version__}, Python {sys.version.split()[0]}, working in a temporary folder")
        step = "checking spelling"
        say(check_spelling())
        step = "driving the main window"
        from paperprep.ui.selftest import run_window_checks

        run = run_window_checks(folder, say)
        step = "reading the minutes back"
        say(check_minutes(run.minutes, run.committee))
        step = "reading the action log back"
        say(check_action_log(run.action_log, run.actions))
    except Exception as exc:  # noqa: BLE001 - every failure is the run's one sentence, never a traceback
        print(f"paperprep: {_failure(step, exc, folder)}", file=err, flush=True)
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    print(PASSED, file=out, flush=True)
    return 0
