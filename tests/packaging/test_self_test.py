"""`paperprep --self-test` from the source tree: the installed command in a subprocess, as IT would run it, and
its failures told in one sentence."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import paperprep
from paperprep import selftest
from paperprep.errors import PaperprepError

ROOT = Path(__file__).resolve().parents[2]
COMMAND = ROOT / ".venv" / "bin" / "paperprep"
STEPS = (
    "self-test: paperprep ",
    "self-test: spelling dictionary en_GB loaded",
    "self-test: main window opened on a temporary database",
    "self-test: demo data loaded: 3 committees,",
    "self-test: minutes of ",
    "self-test: action log exported to Excel:",
    "self-test: minutes read back:",
    "self-test: action log read back:",
)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_self_test_passes_and_leaves_the_users_folders_alone(tmp_path: Path) -> None:
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERPREP_", "XDG_")) and k != "DISPLAY"}
    env.update(HOME=str(home), TMPDIR=str(temp), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [str(COMMAND), "--self-test"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"self-test: paperprep {paperprep.__version__}, Python {sys.version.split()[0]}, " + (
        "working in a temporary folder"
    )
    assert len(lines) == len(STEPS) + 1
    for line, start in zip(lines, STEPS, strict=False):
        assert line.startswith(start), line
    assert lines[-1] == "self-test passed"
    assert "(offscreen display)" in lines[2]
    # The minutes line names the committee whose minutes were read back.
    committee = lines[4].removeprefix("self-test: minutes of ").split(",")[0]
    assert lines[6].endswith(f"naming {committee}")
    # Nothing written to the home folder it was given, and its own temporary folder removed.
    assert _files(home) == []
    assert list(temp.iterdir()) == []


@pytest.fixture
def restored_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The self-test points the process's environment at its folder: put every such variable back afterwards."""
    for key in (
        "PAPERPREP_DB", "PAPERPREP_LOG", "HOME", "USERPROFILE", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
        "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "APPDATA", "LOCALAPPDATA", "QT_QPA_PLATFORM",
    ):  # fmt: skip
        monkeypatch.setenv(key, os.environ.get(key, "unset-by-test"))


def test_a_failing_step_is_one_sentence_and_exit_1(
    restored_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken() -> str:
        raise PaperprepError("The en_GB dictionary is missing from this installation.")

    monkeypatch.setattr(selftest, "check_spelling", broken)
    monkeypatch.setattr(selftest.tempfile, "tempdir", str(tmp_path))
    out, err = io.StringIO(), io.StringIO()
    assert selftest.run_self_test(out, err) == 1
    assert err.getvalue() == (
        "paperprep: Self-test failed: The en_GB dictionary is missing from this installation.\n"
    )
    assert "self-test passed" not in out.getvalue()
    # The run's folder is kept for a look at what failed.
    assert [p.name.startswith("paperprep-selftest-") for p in tmp_path.iterdir()] == [True]


def test_a_bug_names_the_runs_log_with_its_traceback(
    restored_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken() -> str:
        raise KeyError("aff")

    monkeypatch.setattr(selftest, "check_spelling", broken)
    monkeypatch.setattr(selftest.tempfile, "tempdir", str(tmp_path))
    err = io.StringIO()
    assert selftest.run_self_test(io.StringIO(), err) == 1
    (folder,) = tmp_path.iterdir()
    log = folder / "paperprep.log"
    assert err.getvalue() == (
        f"paperprep: Self-test failed while checking spelling (KeyError: 'aff'); the details are in {log}.\n"
    )
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_minutes_without_the_committee_fail_the_check(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "minutes.docx"
    document = Document()
    document.add_paragraph("Minutes of the meeting of the Licensing Committee")
    document.save(str(path))
    assert selftest.check_minutes(path, "Licensing Committee").endswith("naming Licensing Committee")
    with pytest.raises(PaperprepError, match="do not name the committee 'Cabinet'"):
        selftest.check_minutes(path, "Cabinet")
    with pytest.raises(PaperprepError, match="were not written"):
        selftest.check_minutes(tmp_path / "missing.docx", "Cabinet")


def test_an_action_log_with_fewer_cells_than_actions_fails_the_check(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "actions.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["CAB 12/1", "Report back on the budget", "Finance"])
    book.save(str(path))
    assert selftest.check_action_log(path, 1) == "action log read back: 1 sheets, 3 filled cells"
    with pytest.raises(PaperprepError, match="3 filled cells for 5 actions"):
        selftest.check_action_log(path, 5)
    with pytest.raises(PaperprepError, match="holds no action"):
        selftest.check_action_log(path, 0)
