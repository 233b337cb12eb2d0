"""Opening a database that is already at the current schema does no migration work, Alembic included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from paperprep.db import MIGRATIONS, head_revision, known_revisions, open_database


def test_the_head_read_from_the_files_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite"
    open_database(path, daily_backup=False).close()
    code = (
        "import sys\n"
        "from paperprep.db import open_database\n"
        f"open_database({str(path)!r}, daily_backup=False).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
