"""Killing the program mid-write loses nothing that was reported saved, and leaves a sound database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from paperprep.db import check_database, open_database
from paperprep.services.committees import list_committees

WRITER = textwrap.dedent(
    """
    import sys
    from paperprep.db import open_database
    from paperprep.services.committees import create_committee
    db = open_database(sys.argv[1], daily_backup=False)
    n = 0
    while True:
        with db.transaction() as s:
            create_committee(s, f"Committee {n}", f"C{n}")
        print(n, flush=True)  # reported saved only after the commit returned
        n += 1
    """
)


def test_sigkill_while_writing_loses_nothing_reported_saved(tmp_path: Path) -> None:
    path = tmp_path / "kill.sqlite"
    open_database(path).close()
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    reported = []
    for line in process.stdout:
        reported.append(int(line))
        if len(reported) >= 40:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    assert check_database(path).ok
    db = open_database(path)
    with db.transaction() as s:
        names = {c.name for c in list_committees(s)}
    db.close()
    assert {f"Committee {n}" for n in reported} <= names
