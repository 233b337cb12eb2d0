"""Helpers for the operations tests: the demo database built once per engine and copied, a dump of every table,
and operations on real ids of the database as it is now, drawn by a chooser (hypothesis, or a seeded random).

A database is named by its location: an SQLite file's path, or a PostgreSQL database's URL in the test session's
throwaway cluster (tests/pg_support.py). Every helper here reads either, so the same tests run on both engines.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from paperprep import blocks as B
from paperprep.db import Database, open_database
from paperprep.domain import (
    ActionStatus,
    AttachmentKind,
    AttendanceStatus,
    DeclarationOutcome,
    DeclarationType,
    InspectionActivity,
    Inspectorate,
    ItemKind,
    Judgement,
    MeetingStatus,
    Rag,
    ResolutionWording,
    Vote,
)
from paperprep.errors import ConflictError, MinutesLockedError, NotFoundError, ValidationError
from paperprep.imports.pasted import ParsedMinutes, parse_minutes_text
from paperprep.ops import Operation, Step, Workbench
from paperprep.ops import actions as OAC
from paperprep.ops import agenda as OA
from paperprep.ops import meetings as OME
from paperprep.ops import minutes as OM
from paperprep.records import JudgementRecord, NextStepRecord
from paperprep.services.inspections import InspectionData

T = TypeVar("T")
Pick = Callable[[Sequence[T]], T]
Location = str | Path  # an SQLite file, or a postgresql:// URL

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "minutes"
DEMO_TODAY = dt.date(2026, 9, 15)
APPROVED = MeetingStatus.MINUTES_APPROVED.value

# -- reading a database on either engine ------------------------------------------------------------------------


def on_server(location: Location) -> bool:
    return isinstance(location, str) and location.startswith("postgresql://")


class _Reader:
    """One read-only look at a database: `?` placeholders on both engines, rows as tuples."""

    def __init__(self, conn: Any, server: bool) -> None:
        self.conn = conn
        self.server = server

    def execute(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if not self.server:
            return [tuple(r) for r in self.conn.execute(sql, tuple(args)).fetchall()]
        with self.conn.cursor() as cursor:
            cursor.execute(re.sub(r"\?", "%s", sql.replace("%", "%%")), tuple(args))
            return [tuple(r) for r in cursor.fetchall()] if cursor.description else []


@contextmanager
def reading(location: Location) -> Iterator[_Reader]:
    if on_server(location):
        import psycopg

        with psycopg.connect(str(location), autocommit=True) as conn:
            yield _Reader(conn, True)
        return
    with closing(sqlite3.connect(location)) as conn:
        yield _Reader(conn, False)


def rows(location: Location, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with reading(location) as reader:
        return reader.execute(sql, args)


def first(location: Location, sql: str, *args: Any) -> Any:
    """The first column of the first row `sql` finds, which must exist."""
    found = rows(location, sql, *args)
    assert found, sql
    return found[0][0]


def column(location: Location, sql: str, *args: Any) -> list[Any]:
    return [r[0] for r in rows(location, sql, *args)]


def _tables(reader: _Reader) -> list[tuple[str, list[str], bool]]:
    """(table, columns in order, whether it is an FTS5 virtual table) of every table of the data model."""
    if reader.server:
        found: dict[str, list[str]] = {}
        for table, name in reader.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
            "ORDER BY c.table_name, c.ordinal_position"
        ):
            found.setdefault(str(table), []).append(str(name))
        return [(table, columns, False) for table, columns in sorted(found.items())]
    out = []
    for name, sql in reader.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ):
        virtual = str(sql).upper().startswith("CREATE VIRTUAL")
        if name.startswith("fts_") and not virtual:
            continue  # FTS5's own storage, laid out as it likes; the virtual table shows what it holds
        out.append((str(name), [str(r[1]) for r in reader.execute(f'PRAGMA table_info("{name}")')], virtual))
    return out


def _plain(value: Any) -> Any:
    """A value as it can be compared and kept in a set (PostgreSQL gives JSON as dicts and lists)."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


# -- the demo database, built once per engine and copied --------------------------------------------------------


@dataclass
class Template:
    """The demo council on one engine, to copy for each test: a file, or a PostgreSQL template database."""

    location: Location
    cluster: Any = None  # pg_support.Cluster, on PostgreSQL
    copies: list[str] = field(default_factory=list)

    def copy(self, directory: Path) -> Location:
        if self.cluster is None:
            target = directory / f"ops-{uuid.uuid4().hex[:10]}.sqlite"
            shutil.copy(self.location, target)
            return target
        url = str(self.cluster.new_database(template=str(self.location).rsplit("/", 1)[1]))
        self.copies.append(url)
        return url

    def drop_copies(self) -> None:
        """Drop the PostgreSQL copies made so far (a file copy goes with the test's folder)."""
        while self.copies:
            self.cluster.drop_database(self.copies.pop())

    def drop(self) -> None:
        self.drop_copies()
        if self.cluster is not None:
            self.cluster.drop_database(str(self.location))


def _load_demo(location: Location) -> None:
    """The demo council, with the newest approved minutes reopened (so edits there write audit entries too)."""
    db = open_database(location, daily_backup=False)
    try:
        bench = Workbench(db)
        bench.run(OME.LoadDemo(DEMO_TODAY))
        reopened = first(
            location, "SELECT id FROM meetings WHERE status = ? ORDER BY date DESC LIMIT 1", APPROVED
        )
        bench.run(OME.ReopenMinutes(reopened, "A councillor's apologies were left out"))
    finally:
        db.close()


def build_template(directory: Path, cluster: Any = None) -> Template:
    """The demo template: an SQLite file in `directory`, or (given the cluster) a PostgreSQL database."""
    if cluster is not None:
        url = str(cluster.new_database())
        _load_demo(url)
        return Template(url, cluster)
    path = directory / "demo-template.sqlite"
    _load_demo(path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to copy
    return Template(path)


class Templates:
    """The demo template of each engine, built when a test first asks for it (a module's tests on both engines
    may come in any order) and dropped with the module."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.built: dict[str, Template] = {}

    def get(self, engine: str, cluster: Any = None) -> Template:
        if engine not in self.built:
            self.built[engine] = build_template(self.directory, cluster if engine == "postgresql" else None)
        return self.built[engine]

    def drop(self) -> None:
        for template in self.built.values():
            template.drop()


def copy_of(template: Template, directory: Path) -> Location:
    return template.copy(directory)


def open_copy(template: Template, directory: Path) -> Database:
    return open_database(copy_of(template, directory), daily_backup=False)


# -- looking at the database --------------------------------------------------------------------------------------


Dump = dict[str, list[tuple[Any, ...]]]


def dump(location: Location) -> Dump:
    """Every row of every table, but versions (which only go up), sorted; the search index by its contents (on
    SQLite; PostgreSQL's index is over the rows themselves)."""
    out: Dump = {}
    with reading(location) as reader:
        for name, columns, virtual in _tables(reader):
            if virtual:
                found = reader.execute(f'SELECT rowid, * FROM "{name}"')
            else:
                quoted = ", ".join(f'"{c}"' for c in columns if c != "version")
                found = reader.execute(f'SELECT {quoted} FROM "{name}"')
            out[name] = sorted((tuple(_plain(v) for v in r) for r in found), key=repr)
    return out


def versions(location: Location) -> dict[tuple[str, int], int]:
    """(table, id) -> version of every row that has a version."""
    out: dict[tuple[str, int], int] = {}
    with reading(location) as reader:
        for name, columns, virtual in _tables(reader):
            if "version" in columns and "id" in columns and not virtual:
                for row_id, version in reader.execute(f'SELECT id, version FROM "{name}"'):
                    out[(name, row_id)] = version
    return out


def difference(expected: Dump, actual: Dump) -> str:
    """What differs between two dumps, table by table, briefly; empty when they are the same."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        want, got = set(expected.get(table, [])), set(actual.get(table, []))
        if want != got:
            lines.append(
                f"{table}: missing {sorted(want - got, key=repr)[:3]}, extra {sorted(got - want, key=repr)[:3]}"
            )
    return "\n".join(lines)


def assert_same(expected: Dump, actual: Dump, what: str) -> None:
    problems = difference(expected, actual)
    assert not problems and expected == actual, f"{what}:\n{problems}"


def assert_versions_raised(
    step: Step, earlier: Mapping[tuple[str, int], int], later: Mapping[tuple[str, int], int], backwards: bool
) -> None:
    """Versions never go back: every row the replay wrote is above both its last version and its image's."""
    for (table, row_id), version in earlier.items():
        if (table, row_id) in later:
            assert later[(table, row_id)] >= version, f"{table} {row_id}: version went back"
    for change in step.rows:
        target = change.before if backwards else change.after
        if target is None or "version" not in target:
            continue
        key = (change.table, change.key[0])
        floor = max(earlier.get(key, 0), int(target["version"] or 0))
        assert later[key] > floor, f"{change.table} {change.key}: version {later[key]} not above {floor}"


# -- the database as it is now, for choosing real ids ---------------------------------------------------------


@dataclass
class State:
    meetings: list[int]  # not approved: editable
    items: list[tuple[int, int]]  # (item, meeting) of editable meetings
    exempt_items: list[int]
    inspected_items: list[int]
    resolutions: list[tuple[int, int]]  # (resolution, item)
    actions: list[int]
    attendance: list[tuple[int, int]]  # (meeting, person)
    declarations: list[int]
    attachments: list[tuple[int, int]]  # (attachment, item)
    people: list[int]
    councillors: list[int]
    item_versions: dict[int, int] = field(default_factory=dict)
    resolution_versions: dict[int, int] = field(default_factory=dict)
    action_versions: dict[int, int] = field(default_factory=dict)
    meeting_versions: dict[int, int] = field(default_factory=dict)
    inspection_versions: dict[int, int] = field(default_factory=dict)  # by item


def read_state(location: Location) -> State:
    editable = f"(SELECT id FROM meetings WHERE status != '{APPROVED}')"
    of_items = f"(SELECT id FROM agenda_items WHERE meeting_id IN {editable})"
    with reading(location) as reader:

        def ids(sql: str) -> list[Any]:
            return [r[0] if len(r) == 1 else tuple(r) for r in reader.execute(sql)]

        def version_map(sql: str) -> dict[int, int]:
            return {a: b for a, b in reader.execute(sql)}

        return State(
            meetings=ids(f"SELECT id FROM meetings WHERE id IN {editable} ORDER BY id"),
            items=ids(f"SELECT id, meeting_id FROM agenda_items WHERE meeting_id IN {editable} ORDER BY id"),
            exempt_items=ids(f"SELECT id FROM agenda_items WHERE id IN {of_items} AND is_exempt ORDER BY id"),
            inspected_items=ids(
                f"SELECT item_id FROM inspection_summaries WHERE item_id IN {of_items} ORDER BY 1"
            ),
            resolutions=ids(f"SELECT id, item_id FROM resolutions WHERE item_id IN {of_items} ORDER BY id"),
            actions=ids(f"SELECT id FROM actions WHERE item_id IN {of_items} ORDER BY id"),
            attendance=ids(
                f"SELECT meeting_id, person_id FROM attendance WHERE meeting_id IN {editable} ORDER BY id"
            ),
            declarations=ids(f"SELECT id FROM declarations WHERE meeting_id IN {editable} ORDER BY id"),
            attachments=ids(f"SELECT id, item_id FROM attachments WHERE item_id IN {of_items} ORDER BY id"),
            people=ids("SELECT id FROM people ORDER BY id"),
            councillors=ids("SELECT id FROM people WHERE kind = 'councillor' ORDER BY id"),
            item_versions=version_map("SELECT id, version FROM agenda_items"),
            resolution_versions=version_map("SELECT id, version FROM resolutions"),
            action_versions=version_map("SELECT id, version FROM actions"),
            meeting_versions=version_map("SELECT id, version FROM meetings"),
            inspection_versions=version_map("SELECT item_id, version FROM inspection_summaries"),
        )


# -- operations on real ids --------------------------------------------------------------------------------------


class NotApplicable(Exception):
    """The database holds nothing this operation could act on (no documents to remove, say)."""


@dataclass
class Context:
    """Files the operations need: documents to add, the document store, and parsed pasted minutes."""

    directory: Path
    sources: tuple[Path, ...]
    store: Path
    pasted: tuple[ParsedMinutes, ...]

    @classmethod
    def make(cls, directory: Path) -> Context:
        directory.mkdir(parents=True, exist_ok=True)
        pdf = directory / "Report to committee.pdf"
        pdf.write_bytes(
            b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF\n"
        )
        note = directory / "appendix.txt"
        note.write_text("Appendix A: figures for the quarter.\n", encoding="utf-8")
        missing = directory / "not-there.docx"
        fixtures = sorted(FIXTURES.glob("*.txt"))
        pasted = tuple(parse_minutes_text(f.read_text(encoding="utf-8")) for f in fixtures)
        return cls(directory, (pdf, note, missing), directory / "store", pasted)


TITLES = [
    "Budget monitoring: quarter 2",
    "  Spaced    out  title ",
    "",
    "Café naïve “quoted” — title",
    "x" * 501,
]
TEXTS = ["To note the report.", "", "   ", "Ünïcödé text — with a dash", "Line one\nLine two"]
NAMES = ["Cllr Ada Lovelace", "Grace Okafor", "", "Dr Mary Seacole"]
BODIES: list[tuple[B.Block, ...]] = [
    (),
    (B.paragraph("The committee received the report and asked questions."),),
    (B.paragraph("Members noted:"), B.lettered("the rise in referrals;"), B.bullet("caseloads", 1)),
    (B.paragraph("Ünïcödé minute “quoted”"),),
]
DATES: list[dt.date | None] = [None, dt.date(2026, 12, 1), dt.date(2027, 3, 31)]


def _inspection_data(pick: Pick[Any], attachments: Sequence[int]) -> InspectionData:
    variant = pick(["plain", "areas", "bad dates", "bad inspectors", "letter", "bad letter"])
    data = InspectionData(
        inspectorate=pick(list(Inspectorate)),
        activity=pick(list(InspectionActivity)),
        service=pick(["Children's social care", "  Adult  social care ", ""]),
        overall=pick(list(Judgement)),
        judgements=[JudgementRecord("Overall effectiveness", Judgement.GOOD)],
        next_steps=[NextStepRecord("Publish the action plan", dt.date(2026, 12, 1))],
    )
    if variant == "areas":
        data.areas_for_improvement = ["Timeliness of assessments", "Supervision of social workers"]
        data.action_plan_due = dt.date(2027, 1, 31)
    elif variant == "bad dates":
        data.fieldwork_start, data.fieldwork_end = dt.date(2026, 5, 9), dt.date(2026, 5, 1)
    elif variant == "bad inspectors":
        data.inspectors = 0
    elif variant == "letter" and attachments:
        data.letter_attachment_id = pick(list(attachments))
    elif variant == "bad letter":
        data.letter_attachment_id = 987654
    return data


def _version(pick: Pick[Any], versions: Mapping[int, int], key: int) -> int | None:
    """The version the view read: none stated, the current one, or an older one (a conflict)."""
    current = versions.get(key, 1)
    return pick([None, current, current - 1])


def _need(values: Sequence[T]) -> Sequence[T]:
    if not values:
        raise NotApplicable
    return values


Builder = Callable[[State, Pick[Any], Context], Operation[Any]]


def _item(s: State, pick: Pick[Any]) -> int:
    return int(pick(_need(s.items))[0])


def _meeting_items(s: State, meeting: int) -> list[int]:
    return [i for i, m in s.items if m == meeting]


def _add_declaration(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    meeting = pick(_need(s.meetings))
    own = _meeting_items(s, meeting)
    others = [i for i, m in s.items if m != meeting]
    item = pick([None, *own[:3], *others[:1]])
    return OM.AddDeclaration(
        meeting,
        pick(_need(s.people)),
        pick(list(DeclarationType)),
        pick(TEXTS),
        item,
        pick(list(DeclarationOutcome)),
    )


def _add_action(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    item = _item(s, pick)
    own = [r for r, i in s.resolutions if i == item]
    others = [r for r, i in s.resolutions if i != item]
    resolution = pick([None, *own, *others[:1]])
    return OAC.AddAction(item, pick(TEXTS), pick(NAMES), pick(DATES), resolution)


def _edit_item(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    item = _item(s, pick)
    name = pick(["title", "kind", "purpose", "report_of", "presenter_name", "public_title", "minutes_text"])
    value = (
        pick([k.value for k in ItemKind]) if name == "kind" else pick(TITLES if name == "title" else TEXTS)
    )
    return OA.EditItem(item, name, value, _version(pick, s.item_versions, item))


def _meeting_details(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    meeting = pick(_need(s.meetings))
    details = pick(
        [
            {"venue": "Committee Room 2, Town Hall"},
            {"start_time": dt.time(10, 0), "close_time": dt.time(12, 30)},
            {"first_minute_number": 40},
            {"first_minute_number": None},
            {"date": dt.date(2027, 6, 9)},  # into another municipal year: both years are renumbered
            {"date": dt.date(2026, 5, 20), "contact_officer": "Rachel Evans"},
            {"quorum": 3},  # not a detail that can be changed: refused
        ]
    )
    return OME.UpdateMeetingDetails(meeting, dict(details), _version(pick, s.meeting_versions, meeting))


def _set_attendance(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    person = pick(_need(s.people))
    return OM.SetAttendance(
        pick(_need(s.meetings)),
        person,
        pick(list(AttendanceStatus)),
        pick([None, person, *s.councillors[:3]]),
    )


def _remove_attendance(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    meeting, person = pick(_need(s.attendance))
    return OM.RemoveAttendance(meeting, person)


def _set_exempt(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    return OA.SetExempt(_item(s, pick), pick([(3,), (1, 2), (), (8,)]), pick(["", "Contract award", "  "]))


def _clear_exempt(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    return OA.ClearExempt(pick(s.exempt_items or [i for i, _ in _need(s.items)]))


def _inspected_or_any(s: State, pick: Pick[Any]) -> int:
    return int(pick(s.inspected_items)) if s.inspected_items and pick([True, True, False]) else _item(s, pick)


def _save_inspection(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    item = _inspected_or_any(s, pick)
    attachments = [a for a, i in s.attachments if i == item]
    data = _inspection_data(pick, attachments)
    return OAC.SaveInspection(item, data, _version(pick, s.inspection_versions, item))


def _save_minutes(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    item = _item(s, pick)
    return OM.SaveMinutesText(item, pick(BODIES), _version(pick, s.item_versions, item))


def _set_presenter(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    item = _item(s, pick)
    return OM.SetPresenter(
        item, pick(NAMES), pick(["", "Head of Service"]), _version(pick, s.item_versions, item)
    )


def _update_resolution(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    resolution = pick(_need(s.resolutions))[0]
    return OM.UpdateResolution(
        resolution,
        pick(list(ResolutionWording)),
        pick(TEXTS),
        pick([(), ("first part", "second part"), (" ", "")]),
        _version(pick, s.resolution_versions, resolution),
    )


def _update_action(s: State, pick: Pick[Any], c: Context) -> Operation[Any]:
    action = pick(_need(s.actions))
    resolutions = [r[0] for r in s.resolutions]
    return OAC.UpdateAction(
        action,
        pick([None, *ActionStatus]),
        pick([None, *Rag]),
        _version(pick, s.action_versions, action),
        text=pick([None, *TEXTS]),
        owner=pick([None, *NAMES]),
        due_date=pick(DATES),
        resolution_id=pick([None, *resolutions]),
        clear_due_date=pick([False, True]),
        clear_resolution=pick([False, True]),
    )


BUILDERS: dict[type[Operation[Any]], Builder] = {
    OA.AddItem: lambda s, pick, c: OA.AddItem(pick(_need(s.meetings)), pick(TITLES), pick(list(ItemKind))),
    OA.AddStandardItems: lambda s, pick, c: OA.AddStandardItems(pick(_need(s.meetings))),
    OA.RemoveItem: lambda s, pick, c: OA.RemoveItem(_item(s, pick)),
    OA.MoveItem: lambda s, pick, c: OA.MoveItem(_item(s, pick), pick(range(-1, 16))),
    OA.SetExempt: _set_exempt,
    OA.ClearExempt: _clear_exempt,
    OA.EditItem: _edit_item,
    OA.SetItemTopic: lambda s, pick, c: OA.SetItemTopic(
        _item(s, pick), pick(["", "Ofsted inspection of children's services", "Youth justice"])
    ),
    OA.AddDocument: lambda s, pick, c: OA.AddDocument(
        _item(s, pick), pick(c.sources), c.store, pick(list(AttachmentKind))
    ),
    OA.RemoveDocument: lambda s, pick, c: OA.RemoveDocument(pick(_need(s.attachments))[0]),
    OA.PasteMinutes: lambda s, pick, c: OA.PasteMinutes(pick(_need(s.meetings)), pick(c.pasted)),
    OA.MarkLate: lambda s, pick, c: OA.MarkLate(
        _item(s, pick), pick(["The report arrived after publication and the decision cannot wait.", "", " "])
    ),
    OM.SetAttendance: _set_attendance,
    OM.MarkAllPresent: lambda s, pick, c: OM.MarkAllPresent(
        pick(_need(s.meetings)), pick([tuple(s.councillors), tuple(s.councillors[:2]), ()])
    ),
    OM.AddSubstitute: lambda s, pick, c: OM.AddSubstitute(
        pick(_need(s.meetings)), pick(NAMES), pick(_need(s.councillors))
    ),
    OM.AddOfficer: lambda s, pick, c: OM.AddOfficer(
        pick(_need(s.meetings)), pick(NAMES), pick(["", "Director of Children's Services"])
    ),
    OM.RemoveAttendance: _remove_attendance,
    OM.SaveMinutesText: _save_minutes,
    OM.SetPresenter: _set_presenter,
    OM.AddResolution: lambda s, pick, c: OM.AddResolution(
        _item(s, pick),
        pick(list(ResolutionWording)),
        pick(TEXTS),
        pick([(), ("that the plan be approved", "that progress be reported")]),
        pick(["", "deferred"]),
    ),
    OM.UpdateResolution: _update_resolution,
    OM.RemoveResolution: lambda s, pick, c: OM.RemoveResolution(pick(_need(s.resolutions))[0]),
    OM.RecordVote: lambda s, pick, c: OM.RecordVote(
        pick(_need(s.resolutions))[0], pick(_need(s.councillors)), pick([None, *Vote])
    ),
    OM.AddDeclaration: _add_declaration,
    OM.RemoveDeclaration: lambda s, pick, c: OM.RemoveDeclaration(pick(_need(s.declarations))),
    OAC.AddAction: _add_action,
    OAC.RemoveAction: lambda s, pick, c: OAC.RemoveAction(pick(_need(s.actions))),
    OAC.UpdateAction: _update_action,
    OAC.AddActionUpdate: lambda s, pick, c: OAC.AddActionUpdate(
        pick(_need(s.actions)), pick(TEXTS), pick(DATES)
    ),
    OAC.SaveInspection: _save_inspection,
    OAC.RemoveInspection: lambda s, pick, c: OAC.RemoveInspection(_inspected_or_any(s, pick)),
    OAC.ActionsFromFindings: lambda s, pick, c: OAC.ActionsFromFindings(
        _inspected_or_any(s, pick), pick(NAMES), pick(DATES)
    ),
    OME.UpdateMeetingDetails: _meeting_details,
    OME.SetMeetingStatus: lambda s, pick, c: OME.SetMeetingStatus(
        pick(_need(s.meetings)), pick([m for m in MeetingStatus if m is not MeetingStatus.MINUTES_APPROVED])
    ),
}


def seeded(seed: int) -> Pick[Any]:
    chooser = random.Random(seed)
    return lambda values: chooser.choice(list(values))


def build(
    kind: type[Operation[Any]], location: Location, pick: Pick[Any], context: Context
) -> Operation[Any]:
    """An operation of this kind on real ids of the database at `location` (NotApplicable when there are none)."""
    return BUILDERS[kind](read_state(location), pick, context)


# The refusals an operation may meet; anything else (a DatabaseProblem, say) is a failure of the test.
REFUSALS = (ValidationError, NotFoundError, ConflictError, MinutesLockedError)


def dump_without_audit(location: Location) -> Dump:
    out = dump(location)
    out.pop("audit_entries", None)
    return out


def _audit(location: Location) -> set[tuple[Any, ...]]:
    """Each audit row by what it says (id, meeting, time, event, reason, detail, user): its link to an item is left
    out, because removing the item clears that link (ON DELETE SET NULL) while the row itself stays."""
    with reading(location) as reader:
        found = reader.execute(
            'SELECT id, meeting_id, "at", event, reason, detail, "user" FROM audit_entries'
        )
        return {tuple(_plain(v) for v in row) for row in found}


def do_undo_redo(bench: Workbench, path: Location, op: Operation[Any]) -> Step | None:
    """Run `op`, undo it, redo it, checking the whole database each time. None when the op was refused.

    A refused op (bad input, a stale version, locked minutes) must leave the database as it was. Undo must give
    back the database before, row for row, and redo the database after; versions only ever go up. The audit trail
    of approved minutes is the exception: it only grows (an undo or redo there is a change, and is audited too),
    so no audit row is ever taken away.
    """
    before, trail = dump_without_audit(path), _audit(path)
    try:
        done = bench.run(op)
    except REFUSALS:
        assert_same(before, dump_without_audit(path), f"{op!r} was refused but changed the database")
        assert _audit(path) == trail, f"{op!r} was refused but changed the audit trail"
        return None
    after = dump_without_audit(path)
    versions_after = versions(path)
    bench.undo(done.step)
    assert_same(before, dump_without_audit(path), f"undo of {op!r} did not give back the database before it")
    versions_undone = versions(path)
    assert_versions_raised(done.step, versions_after, versions_undone, backwards=True)
    bench.redo(done.step)
    assert_same(after, dump_without_audit(path), f"redo of {op!r} did not give back the database after it")
    assert_versions_raised(done.step, versions_undone, versions(path), backwards=False)
    assert trail <= _audit(path), f"undo or redo of {op!r} took audit rows away"
    return done.step
