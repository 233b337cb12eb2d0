"""The benchmark suite: paperprep on ten years of history, each figure a ratio to a peer measured in the same run.

Run it with `bench/run [--quick] [--json FILE]` (bench/README.md). Machines here are shared and noisy, so no
figure is compared with a fixed number of seconds: app and peer run interleaved, median of several runs, and each
ratio is set against its target. `--quick` uses a small database and one run of each, to prove that every
measure works (CI runs it); its figures mean nothing. `--only startup_ratio,docx_cli_vs_pandoc` measures only
the figures named (and what is measured with them), for working on one of them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")  # the offscreen platform's notes on every window
sys.path.insert(0, str(HERE))

from generate import SCALING_SIZES, generate  # noqa: E402

FIGURE_KEYS = ("startup_ratio", "rss_ratio", "docx_inapp_vs_pandoc", "docx_cli_vs_pandoc", "scaling_ratio",
               "xlsx_vs_xlsxwriter_ratio", "fts_speedup", "search_p95_ms", "open_meeting_ratio", "action_log_ratio",
               "max_stall_ms", "growth_ratio", "spelling_vs_hunspell", "typing_max_stall_ms")
GENERATOR_VERSION = 2  # raise when generate.py or textgen.py changes what they write: cached databases are rebuilt


@dataclass
class Figure:
    key: str
    what: str
    app: float | None  # seconds, MB or ms: see unit
    peer: float | None
    value: float
    target: str
    unit: str = "s"
    notes: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        op, limit = self.target.split()
        return self.value <= float(limit) if op == "<=" else self.value >= float(limit)


def median_pair(app: Callable[[], object], peer: Callable[[], object], repeat: int) -> tuple[float, float]:
    """App and peer interleaved, so that a burst of load elsewhere falls on both; the medians."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(repeat):
        for fn, times in ((app, ours), (peer, theirs)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(theirs)


def run_process(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a process to its end; what it printed as its last JSON line, with "peak_mb": its peak resident memory,
    as the kernel counted it for that one process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args[:4])}...\n{stderr[-2000:]}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    found: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    found["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return found


def peak_of(runs: list[dict[str, Any]]) -> float:
    """The median peak memory of several runs of one process, in MB."""
    return round(statistics.median(run["peak_mb"] for run in runs), 1)


# -- the databases ------------------------------------------------------------------------------------------------


def database(cache: Path, years: int, quick: bool) -> Path:
    """The generated database for this many years, built once per generator version and kept in the cache."""
    per_year = 2 if quick else 10
    path = cache / f"bench-v{GENERATOR_VERSION}-{years}y-{per_year}m.sqlite"
    if not path.exists():
        start = time.perf_counter()
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        counts = generate(partial, years=years, meetings_per_year=per_year,
                          committees=2 if quick else 8)
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        partial.rename(path)
        print(f"  generated {path.name}: {counts} in {time.perf_counter() - start:.0f} s", flush=True)
    return path


@contextlib.contextmanager
def working_copy(source: Path) -> Iterator[Path]:
    """A copy of a cached database for one measure: the app writes settings, backups and logs beside it."""
    with tempfile.TemporaryDirectory(prefix="paperprep-bench-") as folder:
        target = Path(folder) / "bench.sqlite"
        shutil.copyfile(source, target)
        yield target


class Rows:
    """Facts about a benchmark database, read with raw sqlite3."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def one(self, sql: str, *args: object) -> Any:
        return self.conn.execute(sql, args).fetchone()[0]

    def scaling_meeting(self, size: int) -> int:
        return self.one(
            "SELECT m.id FROM meetings m JOIN committees c ON c.id = m.committee_id WHERE c.code = 'SCALE' "
            "AND (SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id) = ?", size)

    def largest_meeting(self) -> int:
        return self.one(
            "SELECT m.id FROM meetings m JOIN committees c ON c.id = m.committee_id WHERE c.code != 'SCALE' "
            "ORDER BY (SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id) DESC, m.date DESC LIMIT 1")

    def latest_meeting(self, code: str = "CSSC") -> int:
        return self.one(
            "SELECT m.id FROM meetings m JOIN committees c ON c.id = m.committee_id WHERE c.code = ? "
            "ORDER BY m.date DESC LIMIT 1", code)

    def open_meeting_rows(self, meeting_id: int) -> int:
        """Every row the workspace shows for a meeting, in the fewest plain queries."""
        c = self.conn
        n = len(c.execute(
            "SELECT m.*, c.* FROM meetings m JOIN committees c ON c.id = m.committee_id WHERE m.id = ?",
            (meeting_id,)).fetchall())
        n += len(c.execute(
            "SELECT i.*, p.name FROM agenda_items i LEFT JOIN people p ON p.id = i.presenter_id "
            "WHERE i.meeting_id = ? ORDER BY i.position", (meeting_id,)).fetchall())
        n += len(c.execute(
            "SELECT r.* FROM resolutions r JOIN agenda_items i ON i.id = r.item_id WHERE i.meeting_id = ?",
            (meeting_id,)).fetchall())
        n += len(c.execute(
            "SELECT a.*, u.* FROM actions a JOIN agenda_items i ON i.id = a.item_id "
            "LEFT JOIN action_updates u ON u.action_id = a.id WHERE i.meeting_id = ?", (meeting_id,)).fetchall())
        n += len(c.execute(
            "SELECT t.*, p.name FROM attendance t JOIN people p ON p.id = t.person_id WHERE t.meeting_id = ?",
            (meeting_id,)).fetchall())
        n += len(c.execute("SELECT * FROM declarations WHERE meeting_id = ?", (meeting_id,)).fetchall())
        n += len(c.execute(
            "SELECT a.*, i.title FROM actions a JOIN agenda_items i ON i.id = a.item_id "
            "JOIN meetings m ON m.id = i.meeting_id WHERE m.committee_id = "
            "(SELECT committee_id FROM meetings WHERE id = ?) AND m.date < (SELECT date FROM meetings WHERE id = ?) "
            "AND a.status IN ('open', 'in_progress')", (meeting_id, meeting_id)).fetchall())
        return n

    def open_actions(self) -> int:
        return len(self.conn.execute(
            "SELECT a.*, i.title, i.minute_number, m.date, c.code, "
            "(SELECT u.text FROM action_updates u WHERE u.action_id = a.id ORDER BY u.date DESC LIMIT 1) "
            "FROM actions a JOIN agenda_items i ON i.id = a.item_id JOIN meetings m ON m.id = i.meeting_id "
            "JOIN committees c ON c.id = m.committee_id WHERE a.status IN ('open', 'in_progress')").fetchall())

    def like_search(self, term: str) -> int:
        pattern = f"%{term}%"
        n = 0
        for table, cols in (("agenda_items", ("title", "purpose", "minutes_text")),
                            ("resolutions", ("keyword", "text", "parts")),
                            ("actions", ("text", "owner", "notes"))):
            where = " OR ".join(f"{col} LIKE ?" for col in cols)
            n += len(self.conn.execute(f"SELECT id FROM {table} WHERE {where}", (pattern,) * len(cols)).fetchall())
        return n

    def search_terms(self, count: int) -> list[str]:
        """What a clerk searches for: names, places, acronyms, rare words, and two-word phrases."""
        from textgen import ACRONYMS, PLACES, SURNAMES

        words = [w for (text,) in self.conn.execute(
            "SELECT minutes_text FROM agenda_items WHERE minutes_text != '' ORDER BY id LIMIT 40")
            for w in text.split() if w.isalpha() and len(w) > 8]
        rare = sorted(set(words))[:: max(1, len(set(words)) // 6)][:6]
        terms = [SURNAMES[3], SURNAMES[17], SURNAMES[40], PLACES[0], PLACES[12], PLACES[21], ACRONYMS[0],
                 ACRONYMS[3], ACRONYMS[9], "placement stability", "recruitment retention", "Councillor " +
                 SURNAMES[8], "Ashby Road"] + rare
        return terms[:count]


# -- the measures ------------------------------------------------------------------------------------------------


class Suite:
    def __init__(self, quick: bool, cache: Path, only: set[str] | None = None) -> None:
        self.quick = quick
        self.only = only  # the figures to measure (--only), or None for all of them
        self.repeat = 1 if quick else 5
        self.cache = cache
        self.figures: list[Figure] = []
        self.memory: dict[str, dict[str, float]] = {}  # the peak memory (MB) of each export process and its peer
        self.python = sys.executable
        # Run the app's processes from compiled bytecode, as an installed copy does: where the environment forbids
        # writing it beside the sources, keep it in the cache folder instead of compiling every module every time.
        self.env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(HERE / ".cache" / "pycache"))
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.app: Any = None

    def wants(self, *keys: str) -> bool:
        """Whether any of these figures is to be measured in this run."""
        return self.only is None or not self.only.isdisjoint(keys)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        app = f"{figure.app:.3f}" if figure.app is not None else "-"
        peer = f"{figure.peer:.3f}" if figure.peer is not None else "-"
        print(f"  {figure.key:<26} {figure.value:9.2f}   target {figure.target:<7} app {app} peer {peer} "
              f"({figure.unit})  {'met' if figure.met else 'MISSED'}", flush=True)

    def qt(self) -> Any:
        if self.app is None:
            from PySide6.QtCore import qInstallMessageHandler

            from paperprep.ui.application import make_application

            quiet = ("This plugin does not support",)  # the offscreen platform's notes on every window
            qInstallMessageHandler(
                lambda _kind, _context, text: None if text.startswith(quiet) else print(text, file=sys.stderr)
            )
            self.app = make_application()
        return self.app

    # startup and memory: whole processes, app and bare window interleaved
    def startup(self, db: Path) -> None:
        with working_copy(db) as path, tempfile.TemporaryDirectory() as home:
            env = dict(self.env, HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
            app_args = [self.python, str(HERE / "probe.py"), "start-app", str(path)]
            bare_args = [self.python, str(HERE / "probe.py"), "start-bare"]
            run_process(app_args, env)  # the first start of the day makes the daily backup: not a cold start
            times: dict[str, list[float]] = {"app": [], "bare": []}
            rss: dict[str, list[float]] = {"app": [], "bare": []}
            for _ in range(self.repeat):
                for name, args in (("app", app_args), ("bare", bare_args)):
                    start = time.perf_counter()
                    out = run_process(args, env)
                    times[name].append(time.perf_counter() - start)
                    rss[name].append(out["rss_mb"])
        app, bare = statistics.median(times["app"]), statistics.median(times["bare"])
        self.add(Figure("startup_ratio", "start to a shown main window", app, bare, app / bare, "<= 1.5"))
        app_mb, bare_mb = statistics.median(rss["app"]), statistics.median(rss["bare"])
        self.add(Figure("rss_ratio", "peak memory of that start", app_mb, bare_mb, app_mb / bare_mb, "<= 1.5",
                        unit="MB"))

    # Word minutes against pandoc on the same content
    def docx(self, db: Path, rows: Rows) -> None:
        from paperprep.db import open_database
        from paperprep.domain import Audience
        from paperprep.ops.exports import export_minutes

        meeting_id = rows.scaling_meeting(SCALING_SIZES[0])
        with working_copy(db) as path:
            folder = path.parent
            markdown = folder / "minutes.md"
            markdown.write_text(_markdown(path, meeting_id), encoding="utf-8")
            pandoc = ["pandoc", str(markdown), "-o", str(folder / "pandoc.docx")]
            database = open_database(path, daily_backup=False)
            try:
                def app() -> None:
                    export_minutes(database, meeting_id, folder / "app.docx", Audience.PUBLIC)

                def peer() -> None:
                    subprocess.run(pandoc, check=True)

                if self.wants("docx_inapp_vs_pandoc"):
                    ours, theirs = median_pair(app, peer, self.repeat)
                    self.add(Figure("docx_inapp_vs_pandoc", "minutes of a 40-item meeting, the export job", ours,
                                    theirs, ours / theirs, "<= 1.0"))
                cli = [self.python, "-m", "paperprep", "export", "minutes", "--db", str(path), "--meeting",
                       str(meeting_id), "--out", str(folder / "cli.docx")]
                if self.wants("docx_cli_vs_pandoc"):
                    runs: dict[str, list[dict[str, Any]]] = {"app": [], "peer": []}
                    ours, theirs = median_pair(lambda: runs["app"].append(run_process(cli, self.env)),
                                               lambda: runs["peer"].append(run_process(pandoc)), self.repeat)
                    self.add(Figure("docx_cli_vs_pandoc", "the same as a `paperprep export minutes` process", ours,
                                    theirs, ours / theirs, "<= 2.0"))
                    self.memory["minutes_export_cli"] = {"app": peak_of(runs["app"]), "pandoc": peak_of(runs["peer"])}
                if not self.wants("scaling_ratio"):
                    return
                small, large = rows.scaling_meeting(SCALING_SIZES[0]), rows.scaling_meeting(SCALING_SIZES[-1])

                def export(meeting: int) -> Callable[[], None]:
                    return lambda: export_minutes(database, meeting, folder / f"m{meeting}.docx", Audience.PUBLIC)

                big, little = median_pair(export(large), export(small), self.repeat)
                self.add(Figure("scaling_ratio", f"export of a {SCALING_SIZES[-1]}-item meeting against a "
                                f"{SCALING_SIZES[0]}-item one", big, little, big / little, "<= 11"))
            finally:
                database.close()

    # the whole action log to Excel against xlsxwriter writing the same cells
    def xlsx(self, db: Path) -> None:
        with working_copy(db) as path:
            folder = path.parent
            app = [self.python, "-m", "paperprep", "export", "actions", "--db", str(path), "--status", "all",
                   "--audience", "confidential", "--out", str(folder / "app.xlsx")]
            peer = [self.python, str(HERE / "probe.py"), "xlsxwriter", str(path), str(folder / "peer.xlsx")]
            runs: dict[str, list[dict[str, Any]]] = {"app": [], "peer": []}
            ours, theirs = median_pair(lambda: runs["app"].append(run_process(app, self.env)),
                                       lambda: runs["peer"].append(run_process(peer, self.env)), self.repeat)
        self.add(Figure("xlsx_vs_xlsxwriter_ratio", "`export actions --status all`", ours, theirs, ours / theirs,
                        "<= 1.2"))
        self.memory["action_log_export_cli"] = {"app": peak_of(runs["app"]), "xlsxwriter": peak_of(runs["peer"])}

    # search through the service against LIKE scans of the same columns
    def search(self, db: Path, rows: Rows) -> None:
        from paperprep.db import open_database
        from paperprep.services.search import search

        terms = rows.search_terms(20)
        database = open_database(db, daily_backup=False)
        ours: list[float] = []
        theirs: list[float] = []
        try:
            for _ in range(max(1, self.repeat // 2)):
                for term in terms:
                    start = time.perf_counter()
                    with database.transaction() as session:
                        search(session, term)
                    ours.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    rows.like_search(term)
                    theirs.append(time.perf_counter() - start)
        finally:
            database.close()
        app, peer = sum(ours), sum(theirs)
        self.add(Figure("fts_speedup", f"{len(terms)} searches, hits resolved to meetings", app, peer, peer / app,
                        ">= 50"))
        p95 = statistics.quantiles(ours, n=20)[-1] * 1000 if len(ours) > 1 else ours[0] * 1000
        self.add(Figure("search_p95_ms", "the slowest 5% of those searches", p95, None, p95, "<= 50", unit="ms"))

    # the workspace and the Action log, in a real (offscreen) main window
    def window_open(self, db: Path) -> Any:
        from paperprep.db import open_database
        from paperprep.ui.main_window import MainWindow

        self.qt()
        window = MainWindow(open_database(db, daily_backup=False))
        window.show()
        self.app.processEvents()
        self.settle(window)
        return window

    def settle(self, window: Any) -> None:
        """Wait for what a shown window does in its first seconds (the spelling dictionary, read 1.5 s after the
        window appears), so that the figures measure a clerk's window at work rather than its start-up."""
        from paperprep.ui.spelling import SpellService

        service = SpellService.of(window.store)
        service.start()
        deadline = time.perf_counter() + 60
        while service.enabled and not service.loaded and time.perf_counter() < deadline:
            self.app.processEvents()
            time.sleep(0.01)

    def open_meeting_time(self, window: Any, meeting_id: int) -> float:
        start = time.perf_counter()
        window.select_meeting(meeting_id)
        self.app.processEvents()
        elapsed = time.perf_counter() - start
        window.select_meeting(None)
        self.app.processEvents()
        return elapsed

    def workspace(self, db: Path, rows: Rows) -> None:
        meeting_id = rows.largest_meeting()
        window = self.window_open(db)
        try:
            ours, theirs = median_pair(lambda: self.open_meeting_time(window, meeting_id),
                                       lambda: rows.open_meeting_rows(meeting_id), self.repeat)
            self.add(Figure("open_meeting_ratio", "open the largest meeting, every panel filled", ours, theirs,
                            ours / theirs, "<= 3"))
            ours, theirs = median_pair(lambda: self.action_log_time(window), rows.open_actions, self.repeat)
            count = window.action_log_window.model.rowCount() if window.action_log_window else 0
            self.add(Figure("action_log_ratio", f"the Action log on all {count} open actions", ours, theirs,
                            ours / theirs, "<= 5"))
            self.add(self.stall(window, rows))
        finally:
            window.store.db.close()
            window.close()

    def action_log_time(self, window: Any) -> float:
        from PySide6.QtCore import QEventLoop, QTimer

        start = time.perf_counter()
        if window.action_log_window is None:
            window.open_action_log()
        log = window.action_log_window
        loop = QEventLoop()
        log.loaded.connect(loop.quit)
        QTimer.singleShot(120_000, loop.quit)
        log.refresh()
        loop.exec()
        log.loaded.disconnect(loop.quit)
        self.app.processEvents()
        return time.perf_counter() - start

    def stall(self, window: Any, rows: Rows) -> Figure:
        """The longest gap between event-loop turns while a 200-item meeting exports and a search runs."""
        from PySide6.QtCore import QEventLoop, QTimer

        from paperprep.domain import Audience
        from paperprep.ops import helper
        from paperprep.ui import dialogs
        from paperprep.ui.export_actions import run_export
        from paperprep.ui.search_dialog import SearchDialog

        meeting_id = rows.scaling_meeting(SCALING_SIZES[1])
        folder = Path(tempfile.mkdtemp(prefix="paperprep-bench-"))
        out = folder / "stall.docx"
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        loop = QEventLoop()
        offer_open = dialogs.offer_open
        dialogs.offer_open = lambda *args, **kwargs: loop.quit()  # type: ignore[assignment]
        try:
            window.select_meeting(meeting_id)
            self.app.processEvents()
            timer.start()
            last[0] = time.perf_counter()
            db = window.store.db
            # As the Export menu runs it: by the export helper, started while the clerk chose the file name.
            helper.prepare(db)
            run_export(window, "Export minutes", out,
                       lambda run: helper.run(db, "export_minutes", meeting_id, out, Audience.PUBLIC,
                                              progress=run.progress))
            search = SearchDialog(window.store, window)
            search.show()
            search.query.setText(rows.search_terms(1)[0])
            search.run_search()
            QTimer.singleShot(300_000, loop.quit)
            loop.exec()
            timer.stop()
            search.close()
        finally:
            dialogs.offer_open = offer_open  # type: ignore[assignment]
            shutil.rmtree(folder, ignore_errors=True)
        worst = max(gaps) * 1000 if gaps else 0.0
        return Figure("max_stall_ms", "longest event-loop stall during an export and a search", worst, None, worst,
                      "<= 100", unit="ms")

    def growth(self, ten: Path, twenty: Path) -> None:
        times = []
        for db in (ten, twenty):
            meeting_id = Rows(db).latest_meeting()
            window = self.window_open(db)
            try:
                self.open_meeting_time(window, meeting_id)  # warm the caches as a clerk's second click would
                times.append(statistics.median(self.open_meeting_time(window, meeting_id)
                                               for _ in range(self.repeat)))
            finally:
                window.store.db.close()
                window.close()
        self.add(Figure("growth_ratio", "open-meeting time, 20 years of data against 10", times[1], times[0],
                        times[1] / times[0], "<= 1.3"))

    def spelling(self) -> None:
        """Issue 15's figures (bench/spelling.py): a 5,000-word minute checked against Hunspell's command line, and
        the longest stall while typing into it with checking on."""
        import spelling as spelling_bench  # bench/spelling.py

        self.qt()
        found = spelling_bench.measure(self.quick)
        cold, hunspell = found["check_cold_s"], found["hunspell_cli_s"] - found["hunspell_start_s"]
        self.add(Figure("spelling_vs_hunspell", "spell-check of a 5,000-word minute, against `hunspell -l`", cold,
                        hunspell, found["check_to_hunspell_ratio"], "<= 1.0"))
        stall = found["typing_stall_ms"]
        self.add(Figure("typing_max_stall_ms", "longest stall typing into that minute, checking on", stall, None,
                        stall, "<= 100", unit="ms"))


def _markdown(path: Path, meeting_id: int) -> str:
    """The public minutes' content as Markdown, for pandoc: the same words and structure as the Word minutes."""
    from paperprep.blocks import BlockKind
    from paperprep.db import open_database
    from paperprep.domain import Audience
    from paperprep.services.snapshot import build_meeting_record

    database = open_database(path, daily_backup=False)
    try:
        with database.transaction() as session:
            record = build_meeting_record(session, meeting_id, Audience.PUBLIC)
    finally:
        database.close()
    lines = [f"# {record.committee.name}", "", f"Minutes of the meeting held on {record.date:%d %B %Y}", ""]
    for item in record.items:
        lines += [f"## {item.minute_ref}. {item.title}", ""]
        letter = 0
        for block in item.blocks:
            if block.kind is BlockKind.LETTERED:
                lines.append(f"{chr(ord('a') + letter % 26)}) {block.text}")
                letter += 1
            elif block.kind is BlockKind.BULLET:
                lines.append(f"- {block.text}")
            else:
                lines += ["", block.text, ""]
        for resolution in item.resolutions:
            lines += ["", f"**RESOLVED** {resolution.text}", ""]
            lines += [f"{n}. {part}" for n, part in enumerate(resolution.parts, 1)]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data and one run of each: proves it works")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache", help="where generated databases are kept")
    parser.add_argument("--only", metavar="KEY[,KEY]", help="measure only these figures (JSON keys, such as "
                        "startup_ratio,docx_cli_vs_pandoc); the others are left out of the table and the JSON")
    args = parser.parse_args(argv)
    only = {key.strip() for key in args.only.split(",") if key.strip()} if args.only else None
    unknown = sorted(only - set(FIGURE_KEYS)) if only else []
    if unknown:
        parser.error(f"no figure named {', '.join(unknown)}; the figures are {', '.join(FIGURE_KEYS)}")
    for peer in ("pandoc", "hunspell"):
        if shutil.which(peer) is None:
            raise SystemExit(f"{peer} is needed as a peer: run bench/run, which installs it, or apt-get install {peer}")
    args.cache.mkdir(exist_ok=True)
    started = time.perf_counter()
    suite = Suite(args.quick, args.cache, only)
    print("paperprep benchmarks" + (" (quick: the figures prove the suite works, nothing more)" if args.quick else ""))
    ten = database(args.cache, 1 if args.quick else 10, args.quick)
    rows = Rows(ten)
    if suite.wants("startup_ratio", "rss_ratio"):
        suite.startup(ten)
    if suite.wants("docx_inapp_vs_pandoc", "docx_cli_vs_pandoc", "scaling_ratio"):
        suite.docx(ten, rows)
    if suite.wants("xlsx_vs_xlsxwriter_ratio"):
        suite.xlsx(ten)
    if suite.wants("fts_speedup", "search_p95_ms"):
        suite.search(ten, rows)
    if suite.wants("open_meeting_ratio", "action_log_ratio", "max_stall_ms"):
        suite.workspace(ten, rows)
    if suite.wants("growth_ratio"):
        suite.growth(ten, database(args.cache, 2 if args.quick else 20, args.quick))
    if suite.wants("spelling_vs_hunspell", "typing_max_stall_ms"):
        suite.spelling()
    elapsed = time.perf_counter() - started
    report = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "quick": args.quick,
        "seconds": round(elapsed, 1),
        **{f.key: round(f.value, 3) for f in suite.figures},
        "export_peak_mb": suite.memory,
        "details": {f.key: {"what": f.what, "app": f.app, "peer": f.peer, "unit": f.unit, "target": f.target,
                            "met": f.met} for f in suite.figures},
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for name, peaks in suite.memory.items():
        print(f"  peak memory of {name.replace('_', ' ')}: " + ", ".join(f"{k} {v:.0f} MB" for k, v in peaks.items()))
    missed = [f.key for f in suite.figures if not f.met]
    print(f"done in {elapsed:.0f} s; " + (f"targets missed: {', '.join(missed)}" if missed else "every target met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
