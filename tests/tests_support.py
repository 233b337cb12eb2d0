"""Helpers for the document tests and scripts: LibreOffice conversion and a blank-page check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def to_pdf(files: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Convert with LibreOffice in one call (its start-up is the slow part). Fails, never skips, without it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for the document tests: run scripts/setup, which installs it"
    outdir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    pdfs = [outdir / (f.stem + ".pdf") for f in files]
    for pdf in pdfs:
        assert pdf.exists() and pdf.stat().st_size > 1000, (
            f"LibreOffice did not convert {pdf.name}: {result.stdout}"
        )
    return pdfs


def first_page_ink(pdf: Path, tmp: Path) -> float:
    """The share of the first page that is not white, rendered with pdftoppm at 40 dpi."""
    from PySide6.QtGui import QImage

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is needed for the document tests: run scripts/setup"
    prefix = tmp / pdf.stem
    subprocess.run(
        [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True, timeout=120
    )
    png = next(tmp.glob(pdf.stem + "*.png"))
    image = QImage(str(png))
    assert not image.isNull()
    dark = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark / ((image.height() // 2) * (image.width() // 2))
