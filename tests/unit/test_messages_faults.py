"""Clear messages for faults of the machine and of the input: a full disk, hostile JSON, side files the clerk may
not write. Each gives one sentence and exit 1, never "unexpected problem", and loses or changes nothing."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import event

from paperprep import cli
from paperprep.db import backup as B
from paperprep.db import open_database, restore_database
from paperprep.errors import DISK_FULL, DiskFullError
from paperprep.logs import explain
from paperprep.services import committees as C

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _committees(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM committees ORDER BY name")]
    finally:
        conn.close()


def _with_committee(path: Path, name: str = "Scrutiny") -> Path:
    db = open_database(path, daily_backup=False)
    with db.transaction() as s:
        C.create_committee(s, name, name[:3].upper())
    db.close()
    return path


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.run(cli.parse_args(args))
    err = capsys.readouterr().err
    return code, err


# --- a full disk -----------------------------------------------------------------------------------------------


def test_a_backup_on_a_full_disk_says_so_and_keeps_the_older_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _with_committee(tmp_path / "clerk.sqlite")
    out = tmp_path / "copies" / "copy.sqlite"
    out.parent.mkdir()
    out.write_bytes(b"yesterday's copy")

    def full(_fd: int) -> None:
        raise ENOSPC

    monkeypatch.setattr(B.os, "fsync", full)
    code, err = _cli(["backup", "--db", str(path), "--out", str(out)], capsys)
    assert (code, err) == (1, f"paperprep: {DISK_FULL}\n")
    assert out.read_bytes() == b"yesterday's copy"
    assert sorted(p.name for p in out.parent.iterdir()) == ["copy.sqlite"]


def test_sqlite_full_is_a_full_disk_not_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _with_committee(tmp_path / "clerk.sqlite")
    db = open_database(path, daily_backup=False)
    db.engine.dispose()

    def tiny(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA max_page_count = 1")  # SQLite then answers "database or disk is full"

    event.listen(db.engine, "connect", tiny)
    with pytest.raises(DiskFullError) as caught, db.transaction() as s:
        for n in range(200):
            C.create_committee(s, f"Committee {n} " + "x" * 150, f"C{n}")
    db.close()
    assert str(caught.value) == DISK_FULL
    assert _committees(path) == ["Scrutiny"]


def test_a_restore_on_a_full_disk_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _with_committee(tmp_path / "clerk.sqlite", "Before")
    backup = B.copy_database(path, tmp_path / "backup.sqlite")
    with path.open("r+b") as handle:  # damaged, so the restore writes a new file and renames it
        handle.write(b"\x00" * 100)
    damaged = path.read_bytes()
    files = sorted(p.name for p in tmp_path.iterdir())

    def full(_fd: int) -> None:
        raise ENOSPC

    monkeypatch.setattr(B.os, "fsync", full)
    with pytest.raises(DiskFullError):
        restore_database(path, backup)
    assert path.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no partial file, no half-kept copy


def test_a_raw_full_disk_anywhere_is_explained_as_one() -> None:
    assert explain(OSError(errno.ENOSPC, "No space left on device")) == DISK_FULL
    assert explain(sqlite3.OperationalError("database or disk is full")) == DISK_FULL


# --- hostile JSON ----------------------------------------------------------------------------------------------


def _meeting() -> dict[str, object]:
    return {
        "format": "paperprep-meeting",
        "format_version": 1,
        "committee": {"name": "Audit", "code": "AUD"},
        "meeting": {"date": "2025-04-24"},
        "items": [{"title": "Apologies", "minute_number": 1}],
    }


def _load(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str, Path]:
    path = tmp_path / "clerk.sqlite"
    if not path.exists():
        _with_committee(path)
    file = tmp_path / "meeting.json"
    file.write_text(text, encoding="utf-8")
    code, err = _cli(["load", "--db", str(path), str(file)], capsys)
    return code, err, path


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' * 50_000 + "1" + "}" * 50_000,
        json.dumps({**_meeting(), "items": [{"title": "x", "minutes": [[[[[[[]]]]]]] * 3}]}),
        '{"format": "paperprep-meeting", "format_version": ' + "9" * 5000 + "}",
    ],
    ids=["nested list", "nested object", "nested minutes", "5000 digits"],
)
def test_nested_or_endless_json_gives_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code, err, path = _load(tmp_path, capsys, text)
    assert code == 1
    assert err.startswith("paperprep: ") and err.count("\n") == 1
    assert "unexpected" not in err
    assert _committees(path) == ["Scrutiny"]


HUGE = 10**40


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m["committee"].update(year_start_month=HUGE),
        lambda m: m["items"][0].update(minute_number=HUGE),
        lambda m: m["items"][0].update(actions=[{"text": "Report back", "number": HUGE}]),
        lambda m: m["items"][0].update(attachments=[{"file_name": "a.pdf", "size_bytes": -HUGE}]),
        lambda m: m["items"][0].update(inspection={"inspectors": HUGE}),
        lambda m: m.update(format_version=HUGE),
        lambda m: m["items"][0].update(title=HUGE),
        lambda m: m["items"][0].update(resolutions=[{"text": "Noted", "votes": [{"person": "Janet Pryer"}]}]),
        lambda m: m.update(items={"title": "not a list"}),
        lambda m: m.update(attendance=["Janet Pryer"]),
        lambda m: m["meeting"].update(date=HUGE),
        lambda m: m["meeting"].update(start_time=[19, 0]),
        lambda m: m.update(committee="Scrutiny"),
    ],
)
def test_huge_numbers_and_wrong_types_give_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: object
) -> None:
    meeting = _meeting()
    change(meeting)  # type: ignore[operator]
    code, err, path = _load(tmp_path, capsys, json.dumps(meeting))
    assert code == 1
    assert err.startswith("paperprep: ") and err.count("\n") == 1
    assert "unexpected" not in err
    assert _committees(path) == ["Scrutiny"]


# --- side files the clerk may not write --------------------------------------------------------------------------


def test_a_read_only_folder_with_another_users_wal_file_gives_one_sentence(tmp_path: Path) -> None:
    """Run as a user who may not write the folder nor the -wal file. The files are made read-only; as root (who
    writes anything) the CLI runs without the capabilities that override file permissions, so it meets them as
    any clerk would, while still reading the checkout it runs from (which "nobody" may not)."""
    with tempfile.TemporaryDirectory(dir="/tmp") as outer:
        folder = Path(outer) / "shared"
        folder.mkdir()
        path = _with_committee(folder / "clerk.sqlite")
        keeper = sqlite3.connect(path)
        keeper.execute("PRAGMA journal_mode = WAL")
        keeper.execute("INSERT INTO settings (key, value) VALUES ('council', 'Northshire')")
        keeper.commit()
        # Leave the -wal and -shm behind, as another user's crashed program would.
        shutil.copy(path.with_name("clerk.sqlite-wal"), folder / "wal")
        shutil.copy(path.with_name("clerk.sqlite-shm"), folder / "shm")
        keeper.close()
        (folder / "wal").rename(path.with_name("clerk.sqlite-wal"))
        (folder / "shm").rename(path.with_name("clerk.sqlite-shm"))
        snapshot = {p: p.read_bytes() for p in (path, path.with_name("clerk.sqlite-wal"))}
        os.chmod(path.with_name("clerk.sqlite-wal"), 0o444)
        os.chmod(path.with_name("clerk.sqlite-shm"), 0o444)
        os.chmod(path, 0o666)
        os.chmod(folder, 0o555)
        os.chmod(outer, 0o755)
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
        env = dict(os.environ, HOME=outer, PAPERPREP_LOG=str(Path(outer) / "none" / "paperprep.log"))
        try:
            result = subprocess.run(
                [*prefix, sys.executable, "-m", "paperprep", "meetings", "--db", str(path)],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
            )
        finally:
            os.chmod(folder, 0o755)
        assert result.returncode == 1
        assert result.stderr.startswith(f"paperprep: paperprep cannot write beside the database in {folder}: ")
        assert result.stderr.count("\n") == 1 and "clerk.sqlite-wal" in result.stderr
        assert path.read_bytes() == snapshot[path]
        assert path.with_name("clerk.sqlite-wal").read_bytes() == snapshot[path.with_name("clerk.sqlite-wal")]
        assert stat.S_IMODE(path.with_name("clerk.sqlite-wal").stat().st_mode) == 0o444
