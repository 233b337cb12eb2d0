"""Shared by the render scripts: a demo database, and the first page of a document as a PNG."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from paperprep.db import Database, open_database
from paperprep.services.demo import load_demo

ROOT = Path(__file__).resolve().parents[1]


def demo_database(folder: Path) -> Database:
    db = open_database(folder / "demo.sqlite", daily_backup=False)
    with db.transaction() as s:
        load_demo(s)
    return db


def first_page_png(document: Path, target: Path, dpi: int) -> Path:
    """Convert with LibreOffice, render page one with pdftoppm, and copy it to `target`."""
    folder = document.parent
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
            str(document),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(folder / f"{document.stem}.pdf"),
            str(folder / "page"),
        ],
        check=True,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / "page.png", target)
    print(f"Written {target.relative_to(ROOT)}")
    return target
