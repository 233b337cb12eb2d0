"""Child processes of the benchmark suite, each timed from outside as a whole process.

    python bench/probe.py start-app DB      start the app on DB; exit once the main window is shown, its navigator
                                            filled with the database's meetings, and the queued start-up work done
    python bench/probe.py start-bare        the peer: a bare PySide6 QMainWindow, shown, then exit
    python bench/probe.py xlsxwriter DB OUT the peer of the action log export: the same cells and formatting, raw

Each prints one JSON line: {"rss_mb": peak resident memory of the process}.

The app is timed as it is installed, from compiled bytecode (pip and the packaged build ship it): where the
environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE), a checkout would compile every paperprep module on
every start, so the probe keeps the bytecode in bench/.cache/pycache instead.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
from pathlib import Path


def _rss_mb() -> float:
    """Peak resident memory of this process. ru_maxrss would carry over the parent's peak through fork and exec
    (a suite that has just generated a big database would lend it hundreds of MB), so read the address space's
    own high-water mark where Linux gives it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _bytecode_cached() -> None:
    if sys.flags.dont_write_bytecode and sys.pycache_prefix is None:
        sys.pycache_prefix = str(Path(__file__).resolve().parent / ".cache" / "pycache")
        sys.dont_write_bytecode = False


def start_app(db: Path) -> None:
    _bytecode_cached()
    from PySide6.QtCore import QTimer

    from paperprep.logs import setup_logging
    from paperprep.ui.application import make_application, open_main_window

    setup_logging()
    app = make_application()
    window = open_main_window(db)
    if window is None:
        raise SystemExit("the app did not open the benchmark database")

    seen: list[bool] = []

    def interactive() -> None:
        """The window as a clerk sees it: shown, with the meetings listed in its navigator."""
        seen.append(window.isVisible() and window.navigator_pane.model.rowCount() > 0)
        app.quit()

    QTimer.singleShot(0, interactive)  # runs once the window is shown and the queued start-up work is done
    app.exec()
    if seen != [True]:
        raise SystemExit("the main window was not shown with the meetings in its navigator")


def start_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("paperprep"))
    window.resize(1200, 800)
    window.show()
    QTimer.singleShot(0, app.quit)
    app.exec()


HEADERS = ("Reference", "Meeting", "Committee", "Item", "Action", "Owner", "Due date", "Status", "RAG",
           "Latest update", "Update date", "New update", "paperprep id", "paperprep stamp")


def write_xlsxwriter(db: Path, out: Path) -> None:
    """The least work for the same workbook: one raw query, then xlsxwriter with a table, formats and lists."""
    import xlsxwriter

    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT c.code, m.date, c.name, i.title, a.text, a.owner, a.due_date, a.status, a.rag, "
        "(SELECT u.text FROM action_updates u WHERE u.action_id = a.id ORDER BY u.date DESC, u.id DESC LIMIT 1), "
        "(SELECT u.date FROM action_updates u WHERE u.action_id = a.id ORDER BY u.date DESC, u.id DESC LIMIT 1), "
        "i.minute_number, a.number, a.id, a.updated_at "
        "FROM actions a JOIN agenda_items i ON i.id = a.item_id JOIN meetings m ON m.id = i.meeting_id "
        "JOIN committees c ON c.id = m.committee_id ORDER BY m.date, i.position, a.number"
    ).fetchall()
    book = xlsxwriter.Workbook(str(out), {"constant_memory": False})
    sheet = book.add_worksheet("Actions")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    date = book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    red = book.add_format({"bg_color": "#F4CCCC"})
    data = []
    for code, day, name, title, text, owner, due, status, rag, update, update_day, minute, number, ident, stamp in rows:
        data.append([f"{code} {minute}/{number}", day, name, title, text, owner, due or "", status, rag,
                     update or "", update_day or "", "", ident, stamp])
    sheet.add_table(0, 0, len(data), len(HEADERS) - 1, {
        "data": data, "columns": [{"header": h} for h in HEADERS], "style": "Table Style Light 9"})
    for col, width in enumerate((14, 11, 24, 30, 50, 20, 11, 12, 8, 50, 11, 40, 8, 20)):
        sheet.set_column(col, col, width, date if col in (1, 6, 10) else wrap)
    sheet.set_column(12, 13, None, None, {"hidden": True})
    sheet.data_validation(1, 7, len(data), 7, {"validate": "list", "source": ["open", "in_progress", "done",
                                                                               "cancelled"]})
    sheet.data_validation(1, 8, len(data), 8, {"validate": "list", "source": ["none", "green", "amber", "red"]})
    sheet.conditional_format(1, 8, len(data), 8, {"type": "cell", "criteria": "==", "value": '"red"',
                                                  "format": red})
    sheet.freeze_panes(1, 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    book.close()


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "start-app":
        start_app(Path(argv[1]))
    elif mode == "start-bare":
        start_bare()
    elif mode == "xlsxwriter":
        write_xlsxwriter(Path(argv[1]), Path(argv[2]))
    else:
        raise SystemExit(f"unknown probe {mode!r}")
    print(json.dumps({"rss_mb": round(_rss_mb(), 1)}))


if __name__ == "__main__":
    main(sys.argv[1:])
