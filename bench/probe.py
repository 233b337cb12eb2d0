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


HEADERS = ("Reference", "Committee", "Meeting date", "Minute", "Item", "Action", "Owner", "Due date", "Status", "RAG",
           "Latest update", "Update date", "Notes", "From finding", "paperprep id", "paperprep stamp",
           "paperprep original", "paperprep check")
WIDTHS = (17, 24, 12, 8, 30, 45, 20, 12, 13, 10, 45, 12, 25, 30, 10, 18, 10, 12)
HIDDEN = 4  # the last four columns
STATUSES = ("open", "in_progress", "done", "cancelled")


def write_xlsxwriter(db: Path, out: Path) -> None:
    """The least work for the same workbook as `paperprep export actions --status all`: one raw query, then
    xlsxwriter writing the same cells (the 18 columns, four of them hidden, real dates, each row's height from its
    longest text, the hidden values signed with HMAC-SHA256) and the same formatting (the table, header fill,
    validations, conditional colours, print set-up) and the Summary sheet with its chart."""
    import datetime as dt
    import hashlib
    import hmac
    from collections import Counter

    import xlsxwriter

    conn = sqlite3.connect(db)
    latest = "(SELECT u.{} FROM action_updates u WHERE u.action_id = a.id ORDER BY u.date DESC, u.id DESC LIMIT 1)"
    rows = conn.execute(
        "SELECT c.code, c.name, m.date, i.minute_number, i.title, a.text, a.owner, a.due_date, a.status, a.rag, "
        f"{latest.format('text')}, {latest.format('date')}, a.notes, a.source_finding, a.id, a.updated_at, a.number "
        "FROM actions a JOIN agenda_items i ON i.id = a.item_id JOIN meetings m ON m.id = i.meeting_id "
        "JOIN committees c ON c.id = m.committee_id ORDER BY m.date, i.position, a.number"
    ).fetchall()
    secret = b"a benchmark's signing key"
    book = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False,
                                          "strings_to_urls": False})
    sheet = book.add_worksheet("Actions")
    top = {"font_name": "Calibri", "font_size": 11, "valign": "top", "text_wrap": True}
    wrap = book.add_format(top)
    date = book.add_format({**top, "num_format": "DD/MM/YYYY"})
    header = book.add_format({**top, "bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78"})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width - 5 / 7, None, {"hidden": col >= len(HEADERS) - HIDDEN})
    last = len(rows) + 1
    sheet.add_table(0, 0, last - 1, len(HEADERS) - 1, {
        "name": "ActionLog", "style": "Table Style Medium 2",
        "columns": [{"header": h, "header_format": header} for h in HEADERS]})
    day = dt.date.fromisoformat
    for r, (code, name, meeting, minute, title, text, owner, due, status, rag, update, update_day, notes, finding,
            ident, stamp, number) in enumerate(rows, start=1):
        original = json.dumps({"status": status, "due": due,
                               "update_sha256": hashlib.sha256((update or "").encode()).hexdigest(),
                               "update_date": update_day}, separators=(",", ":"))
        check = hmac.digest(secret, f"{ident}|{stamp}|{original}".encode(), "sha256").hex()
        values = (f"{code}/{minute}/{number}", name, day(meeting), str(minute or ""), title, text, owner or "",
                  day(due) if due else None, status, rag, update or "", day(update_day) if update_day else None,
                  notes or "", finding or "", ident, stamp, original, check)
        lines = 1
        for c, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(r, c, value, wrap)
                if c < len(HEADERS) - HIDDEN:
                    lines = max(lines, -(-len(value) // (WIDTHS[c] - 1)))
            elif value is None:
                sheet.write_blank(r, c, None, date)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date)
            else:
                sheet.write_number(r, c, value, wrap)
        sheet.set_row(r, min(409, 15 * lines))
    sheet.data_validation(1, 8, last - 1, 8, {"validate": "list", "source": list(STATUSES)})
    sheet.data_validation(1, 9, last - 1, 9, {"validate": "list", "source": ["Green", "Amber", "Red"]})
    sheet.data_validation(1, 7, last - 1, 7, {"validate": "date", "criteria": ">", "value": 1,
                                              "multi_range": f"H2:H{last} L2:L{last}"})
    for formula, colour in (('AND($H2<>"",$H2<TODAY())', "#F8CBAD"), ('AND($H2<>"",$H2<=TODAY()+14)', "#FFE699"),
                            ('$I2="done"', "#C6EFCE")):
        sheet.conditional_format(f"A2:N{last}", {"type": "formula", "criteria": "=" + formula,
                                                 "format": book.add_format({"bg_color": colour})})
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header("&CAction log: All committees (confidential)")
    sheet.set_footer("&LExported&RPage &P of &N")
    summary = book.add_worksheet("Summary")
    by_status = Counter(row[8] for row in rows)
    summary.write_string(0, 0, "Action log: All committees (confidential)")
    for n, status in enumerate(STATUSES, start=2):
        summary.write_string(n, 0, status)
        summary.write_number(n, 1, by_status.get(status, 0))
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"categories": ["Summary", 2, 0, 5, 0], "values": ["Summary", 2, 1, 5, 1]})
    summary.insert_chart(7, 0, chart)
    owners = Counter(row[6] or "(no owner)" for row in rows)
    for n, (owner, count) in enumerate(sorted(owners.items()), start=24):
        summary.write_string(n, 0, owner)
        summary.write_number(n, 1, count)
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
