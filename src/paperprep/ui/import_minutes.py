"""File > Import minutes…: published minutes documents (.txt, .docx, .pdf), one file or a folder of years, read on
a worker, previewed file by file (committee, date, items, attendees, already on file, problems), then imported,
each file as one operation in its own transaction, as `paperprep import minutes` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from paperprep.errors import PaperprepError
from paperprep.logs import explain
from paperprep.ui import dialogs, failures
from paperprep.ui.export_actions import ExportHost, last_folder
from paperprep.ui.worker import run_in_background

if TYPE_CHECKING:  # the document reader's patterns are compiled only when minutes are imported
    from paperprep.imports.minutes_document import MinutesDocument
    from paperprep.ops import Workbench

TITLE = "Import minutes"
DOCUMENTS = "Minutes documents (*.docx *.pdf *.txt)"


@dataclass(frozen=True)
class FileRow:
    """One file in the preview: the meeting it holds, or why it cannot be imported."""

    path: Path
    document: MinutesDocument | None
    on_file: int | None  # the meeting already on file
    problem: str

    @property
    def importable(self) -> bool:
        return self.document is not None and not self.problem and self.on_file is None

    def cells(self) -> tuple[str, str, str, str, str]:
        doc = self.document
        if doc is None:
            return self.path.name, "", "", "", self.problem
        when = f"{doc.date:%d/%m/%Y}" if doc.date else ""
        if self.problem:
            outcome = self.problem
        elif self.on_file is not None:
            outcome = "Already on file: it will not be imported again"
        else:
            outcome = "New meeting" + (f" ({len(doc.notes)} things to check)" if doc.notes else "")
        return (
            f"{self.path.name}: {doc.committee}",
            when,
            str(len(doc.items)),
            str(len(doc.attendees)),
            outcome,
        )


class ImportPreviewDialog(QDialog):
    """Every file found, what it holds and what will happen to it; Import brings in the new meetings."""

    HEADERS = ("File and committee", "Date", "Items", "Attendees", "Outcome")

    def __init__(self, parent: QWidget | None, rows: list[FileRow]) -> None:
        super().__init__(parent)
        self.setObjectName("importMinutesPreview")
        self.setWindowTitle(TITLE)
        layout = QVBoxLayout(self)
        new = sum(1 for r in rows if r.importable)
        summary = QLabel(
            f"{len(rows)} files read: {new} new meetings to import, "
            f"{sum(1 for r in rows if r.on_file is not None)} already on file, "
            f"{sum(1 for r in rows if r.problem)} with problems."
        )
        summary.setObjectName("importMinutesSummary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.table = QTableWidget(len(rows), len(self.HEADERS))
        self.table.setObjectName("importMinutesTable")
        self.table.setAccessibleName("Files to import")
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row.cells()):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        notes = [
            f"{r.path.name}: {note}" for r in rows if r.document is not None for note in r.document.notes
        ]
        if notes:
            layout.addWidget(QLabel("To check after the import:"))
            layout.addWidget(dialogs.QPlainTextEditReadOnly("\n".join(notes)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importMinutesButton")
        self.import_button.setEnabled(new > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 420)


def choose_sources(parent: QWidget | None) -> list[Path] | None:
    """Files, or a folder, to import; None when cancelled. Module-level so tests can answer it."""
    choice = dialogs.ask_choice(
        parent, TITLE, "Import from:", ["Minutes files\u2026", "A folder of minutes\u2026"]
    )
    if choice is None:
        return None
    if choice == 0:
        names, _ = QFileDialog.getOpenFileNames(parent, TITLE, last_folder(), DOCUMENTS)
        return [Path(n) for n in names] or None
    folder = QFileDialog.getExistingDirectory(parent, TITLE, last_folder())
    return [Path(folder)] if folder else None


def ask_import(parent: QWidget | None, rows: list[FileRow]) -> bool:
    """Show the preview; True when the clerk chooses Import. Module-level so tests can answer it."""
    return ImportPreviewDialog(parent, rows).exec() == QDialog.DialogCode.Accepted


class MinutesImportRun(QObject):
    """An import in flight: read and previewed off the GUI thread, then imported here file by file."""

    finished = Signal(object)  # the ids of the meetings created


class ImportMinutesCommands:
    """File > Import minutes…, bound to the window it runs for."""

    def __init__(self, host: ExportHost) -> None:
        self.host = host

    def import_minutes(self) -> MinutesImportRun | None:
        host = self.host
        parent = host.parent_widget()
        sources = choose_sources(parent)
        if not sources:
            return None
        host.store.autosaver.flush()
        run = MinutesImportRun(parent)
        bench = host.store.bench
        host.show_message("Reading the minutes\u2026")

        def work() -> list[FileRow]:
            rows: list[FileRow] = []
            for source in sources:
                try:
                    from paperprep.imports.minutes_document import minutes_files

                    paths = minutes_files(source)
                except PaperprepError as exc:
                    rows.append(FileRow(source, None, None, exc.message))
                    continue
                for path in paths:
                    rows.append(_read(path, bench))
            return rows

        def done(rows: list[FileRow]) -> None:
            host.show_message("")  # clears the line
            created: list[int] = []
            if not rows:
                dialogs.show_info(parent, TITLE, "No .docx, .pdf or .txt file was found there.")
            elif ask_import(parent, rows):
                created = self._apply(rows)
            run.finished.emit(created)

        def failed(exc: BaseException) -> None:
            host.show_message("")  # clears the line
            failures.report(parent, exc)
            run.finished.emit([])

        run_in_background(work, done, failed)
        return run

    def _apply(self, rows: list[FileRow]) -> list[int]:
        """Each new meeting in its own operation: a file that fails leaves nothing, and the others still go in."""
        host = self.host
        created: list[int] = []
        failed: list[str] = []
        reasons: list[str] = []
        host.store.failed.connect(reasons.append)
        try:
            for row in rows:
                if not row.importable or row.document is None:
                    continue
                reasons.clear()
                from paperprep.ops.imports import ImportMinutesDocument

                op = ImportMinutesDocument(row.document)
                done = host.store.run(op, parent=host.parent_widget(), quiet=True)
                if done is None:
                    failed.append(f"{row.path.name}: {reasons[-1] if reasons else 'not imported.'}")
                elif done.result.created:
                    created.append(done.result.meeting_id)
        finally:
            host.store.failed.disconnect(reasons.append)
        lines = [f"{len(created)} meetings imported."]
        if failed:
            lines.append("Not imported, and nothing of them kept:")
            lines.extend(failed)
        dialogs.show_info(host.parent_widget(), TITLE, "\n".join(lines))
        host.show_message(lines[0], 8000)
        return created


def _read(path: Path, bench: Workbench) -> FileRow:
    from paperprep.imports.minutes_document import read_minutes_document
    from paperprep.ops.imports import meeting_on_file

    try:
        doc = read_minutes_document(path)
    except Exception as exc:  # noqa: BLE001 - one file that cannot be read is its row, with its sentence
        return FileRow(path, None, None, explain(exc))
    problem = doc.problems[0] if doc.problems else ""
    on_file = None
    if not problem:
        on_file = bench.read(lambda session: meeting_on_file(session, doc.committee, doc.date))
    return FileRow(path, doc, on_file, problem)
