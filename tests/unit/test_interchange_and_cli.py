"""The CLI as a script would use it, and the interchange format's round trip over every demo meeting."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paperprep.app import main
from paperprep.db import open_database
from paperprep.errors import ImportProblem
from paperprep.services.interchange import dump_meeting, load_meeting


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors and --version
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "d.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    return path


def test_demo_lists_at_least_twelve_meetings(demo_db: Path, capsys) -> None:
    code, out, _ = run(capsys, "meetings", "--db", str(demo_db), "--json")
    assert code == 0
    meetings = json.loads(out)
    assert len(meetings) >= 12
    assert len({m["committee"] for m in meetings}) >= 3
    assert {m["status"] for m in meetings} >= {
        "draft_agenda",
        "agenda_published",
        "held",
        "draft_minutes",
        "minutes_approved",
    }
    assert all(len(m["date"]) == 10 and m["date"][4] == "-" for m in meetings)


def test_every_demo_meeting_round_trips(demo_db: Path, tmp_path: Path, capsys) -> None:
    _, out, _ = run(capsys, "meetings", "--db", str(demo_db), "--json")
    ids = [m["id"] for m in json.loads(out)]
    source = open_database(demo_db, daily_backup=False)
    try:
        for meeting_id in ids:
            with source.transaction() as s:
                first = dump_meeting(s, meeting_id)
            target = open_database(tmp_path / f"empty{meeting_id}.sqlite", daily_backup=False)
            try:
                with target.transaction() as s:
                    new_id = load_meeting(s, first)
                with target.transaction() as s:
                    second = dump_meeting(s, new_id)
            finally:
                target.close()
            assert second == first, f"meeting {meeting_id} changed in the round trip"
    finally:
        source.close()


def test_dump_and_load_commands(demo_db: Path, tmp_path: Path, capsys) -> None:
    code, out, _ = run(capsys, "dump", "--db", str(demo_db), "--meeting", "2")
    assert code == 0
    dumped = json.loads(out)
    assert dumped["format"] == "paperprep-meeting" and dumped["format_version"] == 1
    file = tmp_path / "m.json"
    file.write_text(out, encoding="utf-8")
    code, out, _ = run(capsys, "load", "--db", str(tmp_path / "new.sqlite"), str(file))
    assert code == 0 and out.strip().isdigit()


def test_search_finds_the_ofsted_minutes(demo_db: Path, capsys) -> None:
    code, out, _ = run(capsys, "search", "--db", str(demo_db), "priority actions", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits and all(h["kind"] in {"item", "resolution", "action"} for h in hits)
    assert any("priority" in h["snippet"].lower() for h in hits)


def test_search_with_query_syntax_does_not_fail(demo_db: Path, capsys) -> None:
    code, _, err = run(capsys, "search", "--db", str(demo_db), 'NEAR( "ofsted AND :*')
    assert code == 0 and not err


def test_backup_and_check(demo_db: Path, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "copy.sqlite"
    assert run(capsys, "backup", "--db", str(demo_db), "--out", str(out_file))[0] == 0
    code, out, _ = run(capsys, "check", "--db", str(out_file))
    assert code == 0 and "OK" in out


def test_errors_are_one_sentence_with_status_1(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "meetings", "--db", str(tmp_path / "missing.sqlite"))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "paperprep demo" in err


def test_unknown_meeting(demo_db: Path, capsys) -> None:
    code, _, err = run(capsys, "dump", "--db", str(demo_db), "--meeting", "9999")
    assert code == 1 and "no meeting with id 9999" in err


def test_usage_error_exits_2(capsys) -> None:
    code, _, err = run(capsys, "dump", "--meeting", "x")
    assert code == 2 and "usage" in err


def test_load_rejects_bad_json_with_the_place(tmp_path: Path, capsys) -> None:
    file = tmp_path / "bad.json"
    file.write_text(
        json.dumps(
            {
                "format": "paperprep-meeting",
                "format_version": 1,
                "committee": {"name": "X", "code": "X"},
                "meeting": {"date": "06/07/2021"},
            }
        )
    )
    code, _, err = run(capsys, "load", "--db", str(tmp_path / "n.sqlite"), str(file))
    assert code == 1 and "meeting.date" in err and "YYYY-MM-DD" in err
    file.write_text("{not json")
    code, _, err = run(capsys, "load", "--db", str(tmp_path / "n.sqlite"), str(file))
    assert code == 1 and "not valid JSON" in err


def test_load_refuses_newer_format(db) -> None:
    with db.transaction() as s, pytest.raises(ImportProblem, match="newer"):
        load_meeting(s, {"format": "paperprep-meeting", "format_version": 99})


def test_damaged_file_gives_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    with path.open("r+b") as handle:
        handle.seek(0)
        handle.write(b"\x00" * 200)
    for args in (["check"], ["meetings"]):
        result = subprocess.run(
            [sys.executable, "-m", "paperprep", *args, "--db", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "backup" in result.stderr.lower()


def test_version(capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("paperprep ")


def test_every_demo_dump_matches_the_documented_schema(demo_db: Path, capsys) -> None:
    import jsonschema

    schema = json.loads(
        (Path(__file__).parents[2] / "docs" / "meeting.schema.json").read_text(encoding="utf-8")
    )
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    _, out, _ = run(capsys, "meetings", "--db", str(demo_db), "--json")
    for meeting in json.loads(out):
        _, dumped, _ = run(capsys, "dump", "--db", str(demo_db), "--meeting", str(meeting["id"]))
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(json.loads(dumped))]
        assert errors == []
    bad = json.loads(dumped)
    bad["items"][0]["kind"] = "speech"
    assert list(validator.iter_errors(bad))
