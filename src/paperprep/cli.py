"""The command-line interface, for scripts, checks and IT: reads through services, changes through operations.

Every command that changes data runs the same operation (paperprep.ops) as the window, so the CLI and the app
cannot disagree about what a change does.

Errors are one line on stderr that says what is wrong and what to do, with exit status 1; usage errors exit 2
(argparse). No traceback reaches the user: an unexpected error is logged to a file and reported in one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from paperprep import __version__
from paperprep.errors import PaperprepError, ValidationError


def _location(text: str) -> Path | str:
    """A database file, or a shared PostgreSQL database's address (postgresql://user@host:port/db), kept whole."""
    return text if text.lower().startswith(("postgresql://", "postgres://")) else Path(text)


def _db_arg(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--db", type=_location, required=required, metavar="PATH", help="the database file, or postgresql://..."
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperprep", description="Committee agendas, minutes and action logs for council clerks."
    )
    parser.add_argument("--version", action="version", version=f"paperprep {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="a headless check of this installation on a temporary database; your own data is not touched",
    )
    _db_arg(parser, required=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="create a database filled with realistic demo data")
    _db_arg(p)

    p = sub.add_parser("meetings", help="list meetings: id, committee, date, status")
    _db_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("dump", help="print one meeting as JSON in the interchange format")
    _db_arg(p)
    p.add_argument("--meeting", type=int, required=True, metavar="ID")

    p = sub.add_parser("load", help="add a meeting from the interchange format and print its new id")
    _db_arg(p)
    p.add_argument("file", type=Path, metavar="FILE.json")

    p = sub.add_parser("search", help="full-text search")
    _db_arg(p)
    p.add_argument("text", nargs="+")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="integrity and schema check")
    _db_arg(p)

    p = sub.add_parser(
        "backup",
        help="a consistent copy, also while the app has the database open; of a shared database, an offline copy",
    )
    _db_arg(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE")

    p = sub.add_parser("sync", help="send the changes made in an offline copy back to the shared database")
    _db_arg(p)
    p.add_argument("--to", metavar="URL", help="the shared database (default: the one the copy was made from)")
    p.add_argument(
        "--resolve",
        choices=["keep-mine", "take-theirs"],
        help="settle what changed on both sides: send the copy's version, or take the shared database's",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("restore", help="replace the database with a backup (a copy of it is kept first)")
    _db_arg(p)
    p.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE")

    p = sub.add_parser("migrate", help="bring a database (a file, or postgresql://...) to this version's schema")
    _db_arg(p)

    p = sub.add_parser("parse", help="print as JSON the structure found in pasted minute text")
    p.add_argument("file", type=Path, metavar="FILE.txt")

    export = sub.add_parser("export", help="write Word and PDF papers and Excel logs")
    esub = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    for name, helptext, out_help in (
        ("agenda", "the agenda of a meeting", "FILE.docx|FILE.pdf"),
        ("minutes", "the minutes of a meeting", "FILE.docx|FILE.pdf"),
        (
            "pack",
            "the agenda pack: agenda and papers in one PDF, and a folder of the separate PDFs",
            "FILE.pdf",
        ),
    ):
        p = esub.add_parser(name, help=helptext)
        _db_arg(p)
        p.add_argument("--meeting", type=int, required=True, metavar="ID")
        p.add_argument(
            "--out",
            type=Path,
            required=True,
            metavar=out_help,
            help="a PDF when the name ends in .pdf (LibreOffice)",
        )
        p.add_argument("--audience", choices=["public", "confidential"], default="public")
        p.add_argument("--template", type=Path, metavar="FILE.docx", help="the council's own Word template")
        if name == "minutes":
            p.add_argument("--with-actions", action="store_true", help="show action owners and due dates")
            p.add_argument(
                "--first-page", type=int, metavar="N", help="number the first page N (minute books)"
            )
    p = esub.add_parser("actions", help="the action log as an Excel workbook")
    _db_arg(p)
    p.add_argument("--committee", type=int, metavar="ID")
    p.add_argument("--status", choices=["open", "all"], default="open")
    p.add_argument("--audience", choices=["public", "confidential"], default="public")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    p = esub.add_parser("decisions", help="the register of resolutions as an Excel workbook")
    _db_arg(p)
    p.add_argument("--committee", type=int, metavar="ID")
    p.add_argument(
        "--audience",
        choices=["public", "confidential"],
        default="public",
        help="public: exempt items show their neutral title and no wording",
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")

    imp = sub.add_parser("import", help="read updates back")
    isub = imp.add_subparsers(dest="what", metavar="WHAT", required=True)
    p = isub.add_parser("actions", help="read officers' updates from an action log workbook")
    _db_arg(p)
    p.add_argument("file", type=Path, metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="show the changes without applying them")
    p = isub.add_parser("minutes", help="add meetings from published minutes documents (.txt, .docx, .pdf)")
    _db_arg(p)
    p.add_argument("file", type=Path, metavar="FILE|FOLDER", help="a minutes document, or a folder of them")
    p.add_argument("--dry-run", action="store_true", help="read and report each file without importing it")
    p.add_argument("--json", action="store_true", help="print each file's outcome as JSON")
    return parser


def _open(path: Path, create: bool = False) -> Any:
    from paperprep.db import open_database

    return open_database(path, create=create)


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_demo(args: argparse.Namespace) -> int:
    from paperprep.ops import Workbench
    from paperprep.ops.meetings import LoadDemo
    from paperprep.services.meetings import list_meetings

    db = _open(args.db, create=True)
    try:
        bench = Workbench(db)
        if bench.read(list_meetings):
            raise ValidationError(f"{args.db} already has meetings. Give the path of a new file for the demo data.")
        bench.run(LoadDemo())
        count = len(bench.read(list_meetings))
    finally:
        db.close()
    print(f"Demo data written to {args.db}: {count} meetings.")
    return 0


def cmd_meetings(args: argparse.Namespace) -> int:
    from paperprep.services.meetings import list_meetings

    db = _open(args.db)
    try:
        with db.transaction() as session:
            rows = list_meetings(session)
    finally:
        db.close()
    if args.json:
        _print_json([r.to_json() for r in rows])
    else:
        for r in rows:
            print(f"{r.id:>5}  {r.date:%d/%m/%Y}  {r.committee_code:<8} {r.status.label:<18} {r.committee}")
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    from paperprep.services.interchange import dump_meeting

    db = _open(args.db)
    try:
        with db.transaction() as session:
            data = dump_meeting(session, args.meeting)
    finally:
        db.close()
    _print_json(data)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from paperprep.errors import ImportProblem
    from paperprep.ops import Workbench
    from paperprep.ops.meetings import LoadMeeting

    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportProblem(f"{args.file} cannot be read ({exc.strerror}). Check the path.") from None
    except RecursionError:
        raise ImportProblem(
            f"{args.file} is nested too deeply to be a meeting file. Check it against docs/meeting.schema.json."
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        if "digits" in str(exc):  # Python's limit on reading very long whole numbers
            raise ImportProblem(
                f"{args.file} holds a number too long to read. Check it against docs/meeting.schema.json."
            ) from None
        raise ImportProblem(f"{args.file} is not valid JSON ({exc}). Check the file.") from None
    db = _open(args.db, create=True)
    try:
        new_id = Workbench(db).run(LoadMeeting(data)).result
    finally:
        db.close()
    print(new_id)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from paperprep.services.search import search

    db = _open(args.db)
    try:
        with db.transaction() as session:
            results = search(session, " ".join(args.text))
    finally:
        db.close()
    if args.json:
        _print_json([r.to_json() for r in results])
    else:
        for r in results:
            print(f"{r.meeting_date:%d/%m/%Y}  {r.committee_code} {r.minute_ref:<7} {r.kind:<10} {r.snippet}")
        if not results:
            print("Nothing found.")
    return 0


def restore_command(db: Path, backup: Path) -> str:
    """The exact command that puts `backup` back in place of `db`, quoted for a shell."""
    import shlex

    return f"paperprep restore --db {shlex.quote(str(db))} --from {shlex.quote(str(backup))}"


def cmd_check(args: argparse.Namespace) -> int:
    from paperprep.db import check_database

    report = check_database(args.db)
    if report.ok:
        print(f"{args.db}: OK (schema {report.revision}).")
        return 0
    problems = " ".join("; ".join(report.problems).split())  # the integrity report spans lines
    print(f"{args.db} has problems: {problems}.", file=sys.stderr)
    if report.damaged and report.good_backup is not None:
        print(
            f"The file is damaged. The most recent good backup is {report.good_backup}; restore it with: "
            f"{restore_command(args.db, report.good_backup)} (a copy of the damaged file is kept beside it).",
            file=sys.stderr,
        )
    elif report.damaged:
        print(
            "The file is damaged and no backup beside it passes the integrity check. Keep the file as it is "
            "and ask IT to restore it from the council's backups.",
            file=sys.stderr,
        )
    else:
        print(
            "Restore it from a backup with paperprep restore, or keep a copy and ask for help.", file=sys.stderr
        )
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    from paperprep.db.backup import copy_database
    from paperprep.db.engine import check_header
    from paperprep.errors import CorruptDatabaseError, DatabaseProblem

    if isinstance(args.db, str):  # a shared database: a complete SQLite copy to take offline
        from paperprep.db.offline import make_offline_copy

        report = make_offline_copy(args.db, args.out)
        print(
            f"Offline copy of {report.source} written to {args.out} ({report.rows} records). Open it with "
            f"paperprep --db {args.out}; send your changes back with paperprep sync --db {args.out}."
        )
        return 0
    if not args.db.is_file():
        raise DatabaseProblem(f"There is no database at {args.db}. Check the path.")
    if args.db.stat().st_size == 0:
        raise CorruptDatabaseError(f"{args.db} is an empty file (0 bytes), not a database: there is nothing to copy.")
    check_header(args.db)
    copy_database(args.db, args.out)
    print(f"Backup written to {args.out}.")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Send an offline copy's changes to the server. Conflicts are listed and not sent (exit status 1), or, with
    --resolve, settled by that choice where they can be; what is left is listed (exit status 1)."""
    from paperprep.db import open_database
    from paperprep.db.offline import server_address
    from paperprep.ops import Workbench
    from paperprep.ops.sync import Choice, SendOfflineChanges, Settling, read_copy, rebase_copy

    if not isinstance(args.db, Path):
        raise ValidationError(
            "paperprep sync sends the changes of an offline copy: give the copy with --db FILE.sqlite, and the "
            "shared database with --to postgresql://... if it is not the one the copy came from."
        )
    origin, rows = read_copy(args.db)
    address = server_address(origin, args.to)
    db = open_database(address, daily_backup=False)
    settling: Settling | None = None
    kept: Path | None = None
    try:
        if not db.on_server:
            raise ValidationError(f"{address} is not a shared database. Give one with --to postgresql://...")
        bench = Workbench(db)
        result = bench.run(SendOfflineChanges(origin, rows), source="paperprep sync").result
        server_time = bench.read(_server_time)
        where = db.location
        rebase_copy(args.db, origin, result, server_time)
        if args.resolve:
            settling = Settling()
            if result.conflicts:
                kept, settling = _settle_sync(args, bench, result.conflicts, Choice(args.resolve))
    finally:
        db.close()
    if settling is not None:
        result.updated += settling.sent.updated
        result.inserted += settling.sent.inserted
        result.deleted += settling.sent.deleted
    if args.json:
        report: dict[str, Any] = {
            "server": where,
            "updated": result.updated,
            "inserted": result.inserted,
            "deleted": result.deleted,
        }
        if settling is None:
            report["conflicts"] = [c.as_json() for c in result.conflicts]
        else:
            report["settled"] = [{**c.as_json(), "choice": args.resolve} for c in settling.settled]
            report["conflicts"] = [{**c.as_json(), "left_because": why} for c, why in settling.left]
            report["kept_copy"] = str(kept) if kept else None
        _print_json(report)
    else:
        print(
            f"Sent to {where}: {result.updated} changed, {result.inserted} added, {result.deleted} removed."
        )
        if settling is None:
            if result.conflicts:
                print(
                    f"{len(result.conflicts)} not sent, because they were also changed on the server (your text "
                    f"stays in {args.db}; settle them with --resolve keep-mine|take-theirs, or in the app with "
                    "File > Send my changes):"
                )
            for c in result.conflicts:
                _print_sync_conflict(c)
        else:
            _print_settling(args, settling, kept)
    if settling is None:
        return 1 if result.conflicts else 0
    if settling.left:
        count = len(settling.left)
        print(
            f"paperprep: {count} {'change is' if count == 1 else 'changes are'} still not sent and stay in "
            f"{args.db}: open it in the app (paperprep --db {args.db}) and settle "
            f"{'it' if count == 1 else 'them'} with File > Send my changes.",
            file=sys.stderr,
        )
        return 1
    return 0


def _settle_sync(
    args: argparse.Namespace, server: Any, conflicts: list[Any], choice: Any
) -> tuple[Path | None, Any]:
    """--resolve: every conflict the choice can settle, settled on both sides. Before the server's versions are
    taken, the copy is kept as it was beside it, so no offline text is lost."""
    import datetime as dt

    from paperprep.db import open_database
    from paperprep.db.backup import copy_database
    from paperprep.ops import Workbench
    from paperprep.ops.sync import Choice, settle_all, unresolvable

    kept: Path | None = None
    if choice is Choice.TAKE_THEIRS and any(not unresolvable(c) for c in conflicts):
        stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        kept = copy_database(args.db, args.db.with_name(f"{args.db.stem}-before-take-theirs-{stamp}.sqlite"))
    copy_db = open_database(args.db, daily_backup=False)
    try:
        settling = settle_all(server, Workbench(copy_db), args.db, conflicts, choice, source="paperprep sync")
    finally:
        copy_db.close()
    return kept, settling


def _print_sync_conflict(c: Any, why: str = "") -> None:
    print(f"  {c.table} {c.key}, {c.reference}: {c.reason}")
    if why:
        print(f"    {why}")
    for column in sorted(set(c.offline) | set(c.server)):
        print(f"    {column}: offline {c.offline.get(column)!r}; server {c.server.get(column)!r}")


def _print_settling(args: argparse.Namespace, settling: Any, kept: Path | None) -> None:
    mine = args.resolve == "keep-mine"
    if settling.settled:
        how = "your version sent" if mine else "the shared database's version taken into the copy"
        print(f"{len(settling.settled)} settled, {how} (the values each side had are below):")
        for c in settling.settled:
            _print_sync_conflict(c)
    if kept is not None:
        print(f"The copy as it was before is kept in {kept}.")
    if settling.left:
        print(f"{len(settling.left)} not settled:")
        for c, why in settling.left:
            _print_sync_conflict(c, why)


def _server_time(session: Any) -> str:
    from sqlalchemy import text

    return str(session.execute(text("SELECT now()")).scalar_one().isoformat())


def cmd_restore(args: argparse.Namespace) -> int:
    from paperprep.db import restore_database

    kept = restore_database(args.db, args.source)
    print(
        f"{args.db} restored from {args.source}."
        + (f" The previous content is kept in {kept}." if kept else "")
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from paperprep.db import open_database, schema_revision

    db = open_database(args.db, create=True, daily_backup=False)
    try:
        revision = schema_revision(db)
        where = db.location
        before = db.migrated_from
    finally:
        db.close()
    print(f"{where} is at schema {revision}" + (f" (upgraded from {before})." if before else "."))
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from paperprep.errors import ImportProblem
    from paperprep.imports.pasted import parse_minutes_text, parsed_to_json

    try:
        text = args.file.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise ImportProblem(f"{args.file} cannot be read ({exc.strerror}). Check the path.") from None
    _print_json(parsed_to_json(parse_minutes_text(text)))
    return 0


def _audience(name: str) -> Any:
    from paperprep.domain import Audience

    return Audience(name)


def cmd_export(args: argparse.Namespace) -> int:
    from paperprep.ops import exports as jobs

    db = _open(args.db)
    try:
        if args.what == "agenda":
            warnings = jobs.export_agenda(db, args.meeting, args.out, _audience(args.audience), args.template)
        elif args.what == "minutes":
            warnings = jobs.export_minutes(
                db,
                args.meeting,
                args.out,
                _audience(args.audience),
                args.template,
                args.with_actions,
                args.first_page,
            )
        elif args.what == "pack":
            warnings = jobs.export_pack(db, args.meeting, args.out, _audience(args.audience), args.template)
        elif args.what == "actions":
            count = jobs.export_action_log(
                db, args.out, args.committee, args.status, _audience(args.audience)
            )
            warnings = []
            print(f"{count} actions written to {args.out}.")
        else:
            count = jobs.export_decisions(db, args.out, args.committee, _audience(args.audience))
            warnings = []
            print(f"{count} decisions written to {args.out}.")
    finally:
        db.close()
    for warning in warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    if args.what in ("agenda", "minutes", "pack"):
        print(f"Written {args.out}.")
    if args.what == "pack":
        print(f"The separate PDFs to publish are in {jobs.pack_folder(args.out)}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    if args.what == "minutes":
        return cmd_import_minutes(args)
    from paperprep.imports.actions_xlsx import read_action_workbook
    from paperprep.ops import Workbench
    from paperprep.ops.actions import ApplyActionImport
    from paperprep.services.action_import import describe_plan, plan_import

    rows = read_action_workbook(args.file)
    db = _open(args.db)
    try:
        bench = Workbench(db)
        print(describe_plan(bench.read(lambda session: plan_import(session, rows))))
        if args.dry_run:
            return 0
        # Planned again inside the applying transaction, so nothing changed in between is overwritten.
        applied = bench.run(ApplyActionImport(rows)).result
        print(f"{applied} changes applied.")
    finally:
        db.close()
    return 0


def _minutes_outcome(path: Path, bench: Any, dry_run: bool) -> dict[str, Any]:
    """Import one minutes document (or, with dry_run, only read it): its outcome, never an exception."""
    from paperprep.imports.minutes_document import read_minutes_document
    from paperprep.logs import explain
    from paperprep.ops.imports import ImportMinutesDocument, meeting_on_file

    outcome: dict[str, Any] = {"file": str(path)}
    try:
        doc = read_minutes_document(path)
        outcome.update(
            committee=doc.committee,
            date=doc.date.isoformat() if doc.date else None,
            items=len(doc.items),
            attendees=len(doc.attendees),
            notes=list(doc.notes),
        )
        if doc.problems:
            return {**outcome, "outcome": "problem", "message": doc.problems[0]}
        existing = bench.read(lambda session: meeting_on_file(session, doc.committee, doc.date))
        if existing is not None:
            return {**outcome, "outcome": "already_on_file", "meeting": existing}
        if dry_run:
            return {**outcome, "outcome": "would_create", "meeting": None}
        done = bench.run(ImportMinutesDocument(doc)).result
        kind = "created" if done.created else "already_on_file"
        return {**outcome, "outcome": kind, "meeting": done.meeting_id}
    except Exception as exc:  # noqa: BLE001 - one file's failure is its line; the others still go in
        return {**outcome, "outcome": "problem", "message": explain(exc)}


def _minutes_line(outcome: dict[str, Any]) -> str:
    name = Path(outcome["file"]).name
    when = ""
    if outcome.get("date"):
        import datetime as dt

        when = f" ({outcome.get('committee')}, {dt.date.fromisoformat(outcome['date']):%d/%m/%Y})"
    kind = outcome["outcome"]
    if kind == "created":
        return f"{name}: created meeting {outcome['meeting']}{when}, {outcome['items']} items."
    if kind == "already_on_file":
        return f"{name}: already on file as meeting {outcome['meeting']}{when}; nothing added."
    if kind == "would_create":
        return f"{name}: would create a meeting{when}, {outcome['items']} items, {outcome['attendees']} attendees."
    return f"{name}: {outcome['message']}"


def cmd_import_minutes(args: argparse.Namespace) -> int:
    """Each file in its own transaction: one file's problem leaves nothing of it and stops no other."""
    from paperprep.imports.minutes_document import minutes_files
    from paperprep.ops import Workbench

    files = minutes_files(args.file)
    if not files:
        raise ValidationError(f"{args.file} holds no .txt, .docx or .pdf file to import.")
    db = _open(args.db, create=not args.dry_run)
    try:
        bench = Workbench(db)
        outcomes = [_minutes_outcome(path, bench, args.dry_run) for path in files]
    finally:
        db.close()
    if args.json:
        _print_json(outcomes)
    else:
        for outcome in outcomes:
            print(_minutes_line(outcome))
    return 1 if any(o["outcome"] == "problem" for o in outcomes) else 0


COMMANDS = {
    "demo": cmd_demo,
    "meetings": cmd_meetings,
    "dump": cmd_dump,
    "load": cmd_load,
    "search": cmd_search,
    "check": cmd_check,
    "backup": cmd_backup,
    "sync": cmd_sync,
    "restore": cmd_restore,
    "migrate": cmd_migrate,
    "parse": cmd_parse,
    "export": cmd_export,
    "import": cmd_import,
}


def report_unexpected(exc: BaseException) -> str:
    """The one sentence for a failure; a bug's details go to the log file first (paperprep.logs)."""
    from paperprep.logs import explain

    return explain(exc)


def run(args: argparse.Namespace) -> int:
    """Run one command. Expected failures print one line and return 1."""
    try:
        return COMMANDS[args.command](args)
    except PaperprepError as exc:
        print(f"paperprep: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("paperprep: stopped.", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"paperprep: {report_unexpected(exc)}", file=sys.stderr)
        return 1


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
