"""Reading an action log workbook that officers have filled in: the rows as plain values, with their row numbers.

Columns are found by their headings, so a workbook whose columns were moved still reads. Nothing is judged here:
the service compares the rows with the database and reports what is wrong.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from paperprep.errors import ImportProblem
from paperprep.services.action_import import WorkbookRow, WorkbookRows

SHEET = "Actions"
NEEDED = ("paperprep id", "Status", "Latest update", "Update date", "Due date")


def read_action_workbook(path: str | os.PathLike[str]) -> WorkbookRows:
    from openpyxl import load_workbook

    file = Path(path)
    if not file.is_file():
        raise ImportProblem(f"There is no file at {file}. Check the path.")
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportProblem(
            f"{file.name} cannot be read as an Excel workbook ({type(exc).__name__})."
        ) from None
    try:
        if SHEET not in book.sheetnames:
            raise ImportProblem(
                f"{file.name} has no sheet called \u201c{SHEET}\u201d, so it is not a paperprep action log. "
                "Import the workbook that paperprep exported."
            )
        ws = book[SHEET]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
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
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
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
    finally:
        book.close()
    return WorkbookRows(file.name, tuple(out))
