"""Render the first page of sample public minutes (demo data) to docs/images/sample-minutes.png."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from paperprep.db import open_database
from paperprep.domain import Audience
from paperprep.export import jobs
from paperprep.services.demo import load_demo
from paperprep.services.meetings import list_meetings

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "demo.sqlite", daily_backup=False)
        with db.transaction() as s:
            load_demo(s)
            meeting_id = next(
                m.id for m in list_meetings(s) if m.committee_code == "CLSC" and m.item_count > 9
            )
        docx = folder / "sample-minutes.docx"
        jobs.export_minutes(db, meeting_id, docx, Audience.PUBLIC)
        db.close()
        soffice = shutil.which("soffice") or "soffice"
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(docx),
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(folder / "sample-minutes.pdf"),
                str(folder / "page"),
            ],
            check=True,
        )
        target = ROOT / "docs" / "images" / "sample-minutes.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "page.png", target)
        print(f"Written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
