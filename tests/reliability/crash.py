"""The crash harness: a child process edits a database through the app's own road and is SIGKILLed at random
moments; after each kill the database must pass `paperprep check` and hold every edit the child logged as saved.

Run it (POSIX) from the repository root:

    .venv/bin/python tests/reliability/crash.py --kills 50

It prints one line per kill and a summary, and exits 1 (saying what was lost or what the check found) on a
failure. The child is tests/reliability/child.py; `--seed` repeats a run's random moments, `--keep DIR` keeps
the database and the log in DIR. The CI test (tests/reliability/test_crash.py) runs 10 kills.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CHILD = Path(__file__).with_name("child.py")
ITEMS = 3
READY_SECONDS = 60.0


@dataclass
class Outcome:
    kills: int = 0
    edits: Counter[str] = field(default_factory=Counter)  # edits logged as saved, by kind
    problems: list[str] = field(default_factory=list)

    @property
    def saved(self) -> int:
        return sum(self.edits.values())


def prepare(db_path: Path, plan_path: Path) -> None:
    """A committee, a meeting and a few items to edit, made through the app's own code."""
    from paperprep.db import open_database
    from paperprep.domain import MembershipRole, PersonKind
    from paperprep.ops import Workbench
    from paperprep.ops.agenda import AddItem
    from paperprep.ops.meetings import CreateMeeting
    from paperprep.services import committees as C

    db = open_database(db_path, daily_backup=False)
    try:
        with db.transaction() as s:
            committee = C.create_committee(s, "Resilience Scrutiny", "RSC")
            chair = C.get_or_create_person(s, "Janet Pryer", PersonKind.COUNCILLOR)
            C.add_member(s, committee, chair, MembershipRole.CHAIR, dt.date(2020, 5, 1))
            committee_id = committee.id
        bench = Workbench(db)
        meeting = bench.run(CreateMeeting(committee_id, dt.date(2026, 6, 10))).result
        items = [bench.run(AddItem(meeting, f"Report {n}")).result for n in range(1, ITEMS + 1)]
    finally:
        db.close()
    plan_path.write_text(json.dumps({"meeting": meeting, "items": items}), encoding="utf-8")


def logged(log_path: Path) -> list[tuple[str, int, str]]:
    """The edits the child reported saved. A last line cut short by the kill was not yet reported."""
    if not log_path.exists():
        return []
    lines = log_path.read_text(encoding="utf-8").split("\n")[:-1]  # only whole lines (ending in a newline)
    out = []
    for line in lines:
        kind, record, marker = line.split("\t")
        out.append((kind, int(record), marker))
    return out


def check(db_path: Path, log_path: Path) -> tuple[list[str], Counter[str]]:
    """What `paperprep check` says, and every logged edit that is not in the database."""
    problems = []
    result = subprocess.run(
        [sys.executable, "-m", "paperprep", "check", "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        problems.append(
            f"paperprep check failed ({result.returncode}): {result.stdout}{result.stderr}".strip()
        )
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT id, meeting_id, title, purpose, minutes_text FROM agenda_items"
        ).fetchall()
    finally:
        conn.close()
    bodies = {r[0]: r[4] or "" for r in rows}
    purposes = {r[0]: r[3] or "" for r in rows}
    titles = {(r[1], r[2]) for r in rows}
    edits = logged(log_path)
    for kind, record, marker in edits:
        if kind == "body":
            found = marker in bodies.get(record, "")
        elif kind == "purpose":
            found = marker in purposes.get(record, "")
        else:
            found = (record, f"Item {marker}") in titles
        if not found:
            problems.append(f"lost: the {kind} edit {marker} of record {record} was reported saved")
    return problems, Counter(kind for kind, _r, _m in edits)


def run(kills: int, workdir: Path, seed: int | None = None, report: bool = True) -> Outcome:
    """Kill the child `kills` times, checking the database after each kill."""
    rng = random.Random(seed)
    db_path, log_path, plan_path = workdir / "crash.sqlite", workdir / "saved.log", workdir / "plan.json"
    prepare(db_path, plan_path)
    outcome = Outcome()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for round_ in range(1, kills + 1):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(db_path), str(log_path), str(plan_path), str(round_)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None and child.stderr is not None
        started = time.monotonic()
        line = child.stdout.readline()  # "ready": set up, about to edit
        if line.strip() != "ready":
            child.kill()
            child.wait()
            outcome.problems.append(f"round {round_}: the child did not start: {child.stderr.read().strip()}")
            break
        time.sleep(rng.uniform(0.05, 0.8))
        if child.poll() is not None:
            outcome.problems.append(
                f"round {round_}: the child stopped by itself: {child.stderr.read().strip()}"
            )
            break
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=READY_SECONDS)
        child.stdout.close()
        child.stderr.close()
        outcome.kills += 1
        problems, outcome.edits = check(db_path, log_path)
        if report:
            print(
                f"kill {round_}/{kills}: {outcome.saved} edits reported saved so far, "
                f"{len(problems)} problems ({time.monotonic() - started:.1f} s)",
                flush=True,
            )
        if problems:
            outcome.problems += [f"after kill {round_}: {p}" for p in problems]
            break
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tests/reliability/crash.py",
        description="SIGKILL a child that edits through the app's autosave and operations, then check the database.",
    )
    parser.add_argument("--kills", type=int, default=50, help="how many times to kill the child (50)")
    parser.add_argument("--seed", type=int, default=None, help="repeat the random moments of an earlier run")
    parser.add_argument(
        "--keep", type=Path, default=None, metavar="DIR", help="keep the database and log here"
    )
    args = parser.parse_args(argv)
    if os.name != "posix":
        print("The crash harness needs POSIX signals (Linux or macOS).", file=sys.stderr)
        return 1
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        outcome = run(args.kills, args.keep, args.seed)
    else:
        with tempfile.TemporaryDirectory(prefix="paperprep-crash-") as where:
            outcome = run(args.kills, Path(where), args.seed)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(outcome.edits.items()))
    print(
        f"{outcome.kills} kills, {outcome.saved} edits reported saved ({kinds}), {len(outcome.problems)} problems"
    )
    for problem in outcome.problems:
        print(problem, file=sys.stderr)
    return 1 if outcome.problems or outcome.kills < args.kills else 0


if __name__ == "__main__":
    sys.exit(main())
