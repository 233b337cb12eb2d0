"""Render the first page of a demo action log workbook to docs/images/action-log.png."""

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

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "demo.sqlite", daily_backup=False)
        with db.transaction() as s:
            load_demo(s)
        book = folder / "action-log.xlsx"
        jobs.export_action_log(db, book, status="all", audience=Audience.PUBLIC)
        db.close()
        soffice = shutil.which("soffice") or "soffice"
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                        "--outdir", str(folder), str(book)], check=True, capture_output=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(folder / "action-log.pdf"),
                        str(folder / "page")], check=True)
        target = ROOT / "docs" / "images" / "action-log.png"
        shutil.copyfile(folder / "page.png", target)
        print(f"Written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
