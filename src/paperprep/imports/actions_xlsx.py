"""Reading an action log workbook that officers have filled in: the rows as plain values, with their row numbers.

Columns are found by their headings, so a workbook whose columns were moved still reads. Nothing is judged here:
the service compares the rows with the database and reports what is wrong.

A returned workbook is a file from outside, so it is measured before it is read: its size on disk, then its zip
directory (what each part unpacks to, and how far out of proportion to its packed size), and only then is it read,
in openpyxl's read-only mode, which streams the sheet, up to a limit of rows. A zip bomb is refused from its
directory alone, in a moment and without unpacking anything. (Python's zip reader never unpacks a part beyond the
size its directory states, so the directory's figures bound what reading can cost.)
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

from paperprep.errors import ImportProblem
from paperprep.services.action_import import WorkbookRow, WorkbookRows

SHEET = "Actions"
NEEDED = ("paperprep id", "Status", "Latest update", "Update date", "Due date")
MB = 1024 * 1024
MAX_FILE = 20 * MB  # the largest workbook read: a log of 100,000 long actions is far smaller
MAX_UNPACKED = 500 * MB  # all the parts together, unpacked
MAX_SHEET = 300 * MB  # one sheet's XML, unpacked
MAX_RATIO = 100  # unpacked to packed, for a part over RATIO_FROM: spreadsheet XML packs 5 to 20 times
RATIO_FROM = 1 * MB
MAX_ROWS = 100_000
EXCEL_ROWS = 1_048_576  # the last row of an Excel sheet
MAX_HEADER_COLUMNS = 200  # the headings are looked for in the first 200 columns


def _measure(file: Path) -> None:
    """Refuse, from its size and its zip directory alone, a file too big or out of proportion to read."""
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ImportProblem(
            f"{file.name} cannot be read ({exc.strerror}). Check the file and try again."
        ) from None
    if size > MAX_FILE:
        raise ImportProblem(
            f"{file.name} is {size / MB:.0f} MB, larger than the {MAX_FILE // MB} MB an action log can be, so it "
            "was not read: import the workbook that paperprep exported."
        )
    try:
        with zipfile.ZipFile(file) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportProblem(
            f"{file.name} cannot be read as an Excel workbook (it is not an .xlsx file): save it from Excel as an "
            "Excel Workbook (.xlsx) and import it again."
        ) from None
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(1, part.compress_size):
            raise ImportProblem(
                f"{file.name} was not read: a part of it ({part.filename}) would unpack to "
                f"{part.file_size / MB:,.0f} MB from {part.compress_size / MB:,.1f} MB, which no workbook does "
                "(the file may be damaged or hostile)."
            )
        if part.filename.startswith("xl/worksheets/") and part.file_size > MAX_SHEET:
            raise ImportProblem(
                f"{file.name} was not read: one of its sheets would unpack to {part.file_size / MB:,.0f} MB, more "
                f"than the {MAX_SHEET // MB} MB paperprep reads; import the workbook that paperprep exported."
            )
    if total > MAX_UNPACKED:
        raise ImportProblem(
            f"{file.name} was not read: it would unpack to {total / MB:,.0f} MB, more than the "
            f"{MAX_UNPACKED // MB} MB paperprep reads; import the workbook that paperprep exported."
        )


def read_action_workbook(path: str | os.PathLike[str]) -> WorkbookRows:
    from openpyxl import load_workbook

    file = Path(path)
    if not file.is_file():
        raise ImportProblem(f"There is no file at {file}. Check the path.")
    _measure(file)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportProblem(
            f"{file.name} cannot be read as an Excel workbook ({type(exc).__name__})."
        ) from None
    try:
        return _rows(file, book)
    except ImportProblem:
        raise
    except Exception as exc:  # a damaged sheet is found only as it is read
        raise ImportProblem(
            f"{file.name} cannot be read as an Excel workbook, as it is damaged ({type(exc).__name__}): save it "
            "again from Excel and import it again."
        ) from None
    finally:
        book.close()


def _rows(file: Path, book: Any) -> WorkbookRows:
    if SHEET not in book.sheetnames:
        raise ImportProblem(
            f"{file.name} has no sheet called \u201c{SHEET}\u201d, so it is not a paperprep action log. "
            "Import the workbook that paperprep exported."
        )
    ws = book[SHEET]
    header = next(ws.iter_rows(max_row=1, max_col=MAX_HEADER_COLUMNS, values_only=True), None)
    if header is None:
        raise ImportProblem(f"The {SHEET} sheet of {file.name} is empty.")
    columns = {str(name).strip(): n for n, name in enumerate(header) if name is not None}
    missing = [name for name in NEEDED if name not in columns]
    if missing:
        raise ImportProblem(
            f"The {SHEET} sheet of {file.name} has no column {', '.join(missing)}. Import the workbook that "
            "paperprep exported, with its columns."
        )

    def get(values: tuple[Any, ...], name: str) -> Any:
        n = columns.get(name)
        return values[n] if n is not None and n < len(values) else None

    out = []
    # Only the columns up to the last heading are read, however wide the sheet claims to be, and no row past
    # Excel's last, whatever row numbers the file gives. Empty rows below the limit are passed over (a sheet
    # may claim more rows than it holds); any row with something in it there refuses the workbook.
    rows = ws.iter_rows(min_row=2, max_row=EXCEL_ROWS, max_col=max(columns.values()) + 1, values_only=True)
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if number > MAX_ROWS + 1:
            raise ImportProblem(
                f"The {SHEET} sheet of {file.name} has more than {MAX_ROWS:,} rows, more than any action log, "
                "so it was not read: delete the rows below the actions and import it again."
            )
        out.append(
            WorkbookRow(
                number,
                get(values, "paperprep id"),
                get(values, "paperprep stamp"),
                get(values, "paperprep original"),
                get(values, "paperprep check"),
                get(values, "Reference"),
                get(values, "Status"),
                get(values, "Due date"),
                get(values, "Latest update"),
                get(values, "Update date"),
            )
        )
    return WorkbookRows(file.name, tuple(out))
