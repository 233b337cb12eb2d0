"""File > Print... and Print preview...: the agenda or the minutes of the meeting on screen, printed as published.

What is printed is what the Word export gives: the paper is written in Word, converted to PDF by LibreOffice
(paperprep.ops.exports), and its pages rendered to images (poppler's pdftoppm) and painted onto the printer, page
for page. So a printed agenda is the published agenda, and a public print holds nothing of an exempt item. Where
LibreOffice (or pdftoppm) is missing the clerk is told so, and nothing is printed.

The paper is written and rendered on a worker thread; the preview and the printer dialog then run here.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from paperprep.domain import Audience
from paperprep.ui import dialogs, failures, settings
from paperprep.ui.export_actions import ExportHost, start_helper
from paperprep.ui.worker import run_in_background

# What can be printed: (label, kind, audience).
PAPERS: tuple[tuple[str, str, Audience], ...] = (
    ("Agenda (public)", "agenda", Audience.PUBLIC),
    ("Agenda (confidential)", "agenda", Audience.CONFIDENTIAL),
    ("Minutes (public)", "minutes", Audience.PUBLIC),
    ("Minutes (confidential)", "minutes", Audience.CONFIDENTIAL),
)
DPI = 150  # enough for crisp text on paper, small enough to render quickly

PDFTOPPM_MISSING = (
    "Printing needs poppler's pdftoppm to draw the pages of the PDF, and this computer does not have it. "
    "Install poppler-utils (sudo apt install poppler-utils), or export the paper as PDF (Export menu) and "
    "print that file."
)


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def render_pages(pdf: Path, folder: Path, dpi: int = DPI) -> list[Path]:
    """Each page of `pdf` as a PNG image in `folder`, in page order."""
    tool = pdftoppm()
    if tool is None:
        raise RuntimeError(PDFTOPPM_MISSING)
    prefix = folder / "page"
    subprocess.run(
        [tool, "-png", "-r", str(dpi), str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # pdftoppm pads the page number to the width of the last one: page-1.png or page-01.png...
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def paint_pages(printer: QPrinter, pages: Sequence[Path]) -> int:
    """Paint each page image onto the printer, one sheet each, scaled to the printable area. Returns the count."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    painted = 0
    try:
        for n, path in enumerate(pages):
            image = QImage(str(path))
            if image.isNull():
                continue
            if n:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(
                area.x() + (area.width() - size.width()) // 2,
                area.y() + (area.height() - size.height()) // 2,
                size.width(),
                size.height(),
            )
            painter.drawImage(target, image)
            painted += 1
    finally:
        painter.end()
    return painted


class PrintJob(QObject):
    """A paper ready to print: its page images in a temporary folder, removed when the job is dropped."""

    def __init__(
        self, title: str, pages: list[Path], folder: tempfile.TemporaryDirectory[str], parent: QObject
    ):
        super().__init__(parent)
        self.title = title
        self.pages = pages
        self._folder = folder
        self.preview_printer: QPrinter | None = None

    def printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        printer.setFullPage(True)  # the PDF's own margins are the paper's margins
        return printer

    def paint(self, printer: QPrinter) -> int:
        return paint_pages(printer, self.pages)

    def preview(self, parent: QWidget) -> QPrintPreviewDialog:
        """The preview dialog, built but not shown."""
        # The dialog does not own the printer: the job keeps it alive as long as the dialog may paint on it.
        self.preview_printer = self.printer()
        dialog = QPrintPreviewDialog(self.preview_printer, parent)
        dialog.setObjectName("printPreview")
        dialog.setWindowTitle(f"Print preview: {self.title}")
        dialog.paintRequested.connect(self.paint)
        return dialog

    def close(self) -> None:
        self._folder.cleanup()
        self.deleteLater()


class PrintRun(QObject):
    """Preparing a paper to print, on a worker; `ready` brings the job (or None when it failed)."""

    ready = Signal(object)


def ask_paper(parent: QWidget) -> tuple[str, str, Audience] | None:
    """Which paper to print. Module-level so tests can answer it (through dialogs.ask_choice)."""
    pick = dialogs.ask_choice(parent, "Print", "Which paper of this meeting?", [p[0] for p in PAPERS])
    return PAPERS[pick] if pick is not None else None


def ask_printer(parent: QWidget, printer: QPrinter) -> bool:
    """The printer dialog: True when the clerk chose to print. Module-level so tests can answer it."""
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("printDialog")
    return dialog.exec() == QDialog.DialogCode.Accepted


def missing_tools() -> str | None:
    """The sentence for the clerk when this computer cannot print a paper as published, or None."""
    from paperprep.ops import exports as jobs

    missing = jobs.libreoffice_missing()
    if missing:
        return (
            "Printing lays the paper out exactly as it is published, through a PDF made by LibreOffice. "
            + missing
        )
    if pdftoppm() is None:
        return PDFTOPPM_MISSING
    return None


def print_paper(
    host: ExportHost, preview: bool, paper: tuple[str, str, Audience] | None = None
) -> PrintRun | None:
    """Print, or preview, the agenda or the minutes of the meeting on screen, as the Word export gives them."""
    from paperprep.ops import helper

    parent = host.parent_widget()
    meeting_id = host.current_meeting_id()
    if meeting_id is None:
        dialogs.show_error(parent, "Choose the meeting to print on the left first.")
        return None
    if paper is None:
        start_helper(host)  # while the clerk chooses the paper
    paper = paper or ask_paper(parent)
    if paper is None:
        return None
    missing = missing_tools()
    if missing:
        dialogs.show_error(parent, missing)
        return None
    label, kind, audience = paper
    db = host.store.db
    template = settings.word_template()
    host.store.autosaver.flush()
    run = PrintRun(parent)
    host.show_message(f"Preparing the {label.lower()} to print\u2026")

    def work() -> tuple[list[Path], tempfile.TemporaryDirectory[str]]:
        folder = tempfile.TemporaryDirectory(prefix="paperprep-print-")
        try:
            pdf = Path(folder.name) / f"{kind}.pdf"
            helper.run(db, f"export_{kind}", meeting_id, pdf, audience, template)
            return render_pages(pdf, Path(folder.name)), folder
        except BaseException:
            folder.cleanup()
            raise

    def done(result: tuple[list[Path], tempfile.TemporaryDirectory[str]]) -> None:
        pages, folder = result
        host.show_message("")
        job = PrintJob(label, pages, folder, parent)
        if not pages:
            job.close()
            dialogs.show_error(parent, "The paper has no pages to print.")
            run.ready.emit(None)
            return
        run.ready.emit(job)
        if preview:
            dialog = job.preview(parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _result: job.close())
            dialog.open()
            return
        printer = job.printer()
        if ask_printer(parent, printer):
            job.paint(printer)
            host.show_message(f"{label} sent to the printer ({len(pages)} pages).", 8000)
        job.close()

    def failed(exc: BaseException) -> None:
        host.show_message("")
        run.ready.emit(None)
        if isinstance(exc, RuntimeError) and str(exc) == PDFTOPPM_MISSING:
            dialogs.show_error(parent, PDFTOPPM_MISSING)
        else:
            failures.report(parent, exc)

    run_in_background(work, done, failed)
    return run
