"""Importing officers' updates: compare the workbook's rows with the database, preview, then apply in one go.

A change is what the officer typed over the values the workbook was exported with (kept in hidden columns). When
paperprep changed the same action after the export, the row is a conflict for the clerk to decide. A row that
cannot be trusted (no id, an edited id, a status typed wrong, a date typed as text) is reported with its row
number and left alone; the other rows still import.

The hidden values are signed: an HMAC-SHA256 over the action id, the stamp and the values as exported, keyed by a
secret that only this database holds (the `settings` table). Anyone can edit a workbook, but nobody without the
database can point a row at another action and make its check come out right, so such a row is refused, never
applied. The preview names each row's action by its reference as the database has it, so what the clerk is shown
is what would change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from paperprep.db.models import Action, Setting
from paperprep.domain import ActionStatus
from paperprep.records import ActionRecord
from paperprep.services.actions import add_update, update_action
from paperprep.services.numbering import meeting_action_reference

SECRET_KEY = "workbook_secret"
# Excel holds at most 32,767 characters (UTF-16 units) in a cell. A longer text is written cut, ending in this
# marker, and a cell that still ends in it is read back as "unchanged" for its field.
CELL_LIMIT = 32_767
LONG_TEXT_MARKER = "[... continues in paperprep: text too long for Excel]"


@dataclass(frozen=True)
class WorkbookRow:
    row: int  # the sheet's row number, as the officer sees it
    action_id: Any
    stamp: Any
    original: Any
    check: Any
    reference: Any
    status: Any
    due_date: Any
    latest_update: Any
    update_date: Any


@dataclass(frozen=True)
class WorkbookRows:
    file_name: str
    rows: tuple[WorkbookRow, ...]


def as_date(value: Any) -> dt.date | None | str:
    """A cell's date, None for an empty cell, or the text it holds when that is not a date (for the report)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return text


def workbook_secret(session: Session, *, create: bool = False) -> bytes | None:
    """This database's key for the workbooks' check codes; made (32 random bytes) on first need when `create`."""
    setting = session.get(Setting, SECRET_KEY)
    if setting is not None and len(setting.value) == 64:
        try:
            return bytes.fromhex(setting.value)
        except ValueError:
            pass  # damaged: a new key is made below, and workbooks signed with the old one are refused
    if not create:
        return None
    value = secrets.token_hex(32)
    try:
        with session.begin_nested():  # another export may have made it at the same moment: then use that one
            session.merge(Setting(key=SECRET_KEY, value=value))
    except IntegrityError:
        setting = session.get(Setting, SECRET_KEY)
        value = setting.value if setting is not None else value
    return bytes.fromhex(value)


def check_code(secret: bytes, action_id: int, stamp: str, original: str) -> str:
    """Signs a row's hidden values, so an edited, pasted or forged id is noticed on import."""
    message = f"{action_id}|{stamp}|{original}".encode("utf-8", "surrogatepass")
    return hmac.digest(secret, message, "sha256").hex()  # the one-shot C path: once per row of a 50,000-row log


def check_matches(secret: bytes | None, action_id: int, stamp: str, original: str, check: str) -> bool:
    if secret is None:
        return False
    return hmac.compare_digest(check_code(secret, action_id, stamp, original), check.strip().lower())


def update_digest(text: str) -> str:
    """What the hidden values keep of the latest update: a digest of its words, however long the text is, so the
    hidden cell never meets Excel's cell limit. Spacing is ignored, as officers' spreadsheets change it."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def original_values(row: ActionRecord, clean: Callable[[str], str] = lambda text: text) -> str:
    """The values as exported, as the hidden cell holds them: ASCII JSON, so no cleaning of text can change it.
    `clean` is what the writer does to the visible text, so the digest is of the text the officer sees.

    Every value is an ASCII word, an ISO date, a hex digest or null, none of them with anything JSON escapes: so
    the text is put together directly, the same as `json.dumps(..., separators=(",", ":"))` writes it (a test
    holds the two to the same text), in a quarter of the time, once per row of a 50,000-row log."""
    latest = row.latest_update
    due = f'"{row.due_date.isoformat()}"' if row.due_date else "null"
    when = f'"{latest.date.isoformat()}"' if latest else "null"
    digest = update_digest(clean(latest.text) if latest else "")
    return f'{{"status":"{row.status.value}","due":{due},"update_sha256":"{digest}","update_date":{when}}}'


_STATUS_BY_TEXT = {s.label.casefold(): s for s in ActionStatus} | {s.value: s for s in ActionStatus}


@dataclass(frozen=True)
class FieldChange:
    field: str  # "status", "due_date" or "update"
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    row: int
    action_id: int
    reference: str
    changes: tuple[FieldChange, ...]
    update_date: dt.date | None = None


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str  # completes "Row 14: ...": what is wrong, and that the row was not applied
    reference: str = ""  # the action's reference in the database, when the row is known to be that action's

    @property
    def sentence(self) -> str:
        where = f"Row {self.row}" + (f", {self.reference}" if self.reference else "")
        return f"{where}: {self.message}."


@dataclass
class ImportPlan:
    file_name: str
    changes: list[RowChange] = field(default_factory=list)
    conflicts: list[RowChange] = field(default_factory=list)  # also changed in paperprep since the export
    problems: list[RowProblem] = field(default_factory=list)
    unchanged: int = 0


def _uk(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, ActionStatus):
        return value.label
    return "(empty)" if value in (None, "") else str(value)


def action_reference_of(action: Action) -> str:
    """The reference of the action as the database has it now, whatever the workbook's own column says."""
    return meeting_action_reference(action.item.meeting, action.item.minute_number, action.number)


def _plan_row(
    session: Session, row: WorkbookRow, today: dt.date, secret: bytes | None
) -> RowChange | RowProblem | None:
    try:
        action_id = int(row.action_id)
    except (TypeError, ValueError):
        return RowProblem(
            row.row, "this row has no paperprep id (was it pasted from elsewhere?), so it was left alone"
        )
    stamp, original = str(row.stamp or ""), str(row.original or "")
    if not check_matches(secret, action_id, stamp, original, str(row.check or "")):
        return RowProblem(
            row.row,
            "this row's hidden check does not match, so its hidden paperprep values may have been changed (or it "
            "comes from another database's workbook); it was not applied",
        )
    action = session.get(Action, action_id)
    if action is None:
        return RowProblem(
            row.row,
            f"this row is action {action_id}, which no longer exists in paperprep, so it was left alone",
        )
    reference = action_reference_of(action)
    try:
        exported = json.loads(original)
    except ValueError:
        return RowProblem(
            row.row, "this row has damaged hidden paperprep values, so it was left alone", reference
        )
    status_text = str(row.status or "").strip()
    status = _STATUS_BY_TEXT.get(status_text.casefold())
    if status is None:
        allowed = ", ".join(s.label for s in ActionStatus)
        return RowProblem(
            row.row,
            f"the status \u201c{status_text}\u201d is not one of {allowed}, so the row was left alone",
            reference,
        )
    due = as_date(row.due_date)
    if isinstance(due, str):
        return RowProblem(
            row.row,
            f"the due date \u201c{due}\u201d is not a date (use dd/mm/yyyy), so the row was left alone",
            reference,
        )
    update_date = as_date(row.update_date)
    if isinstance(update_date, str):
        return RowProblem(
            row.row,
            f"the update date \u201c{update_date}\u201d is not a date (use dd/mm/yyyy), so the row was left alone",
            reference,
        )
    changes = []
    if status.value != exported.get("status"):
        changes.append(FieldChange("status", action.status, status))
    exported_due = exported.get("due")
    if (due.isoformat() if due else None) != exported_due:
        changes.append(FieldChange("due_date", action.due_date, due))
    text = " ".join(str(row.latest_update or "").split())
    # A text too long for Excel was written cut, ending in the marker: while the marker is there, it is the
    # exported text, not a new update.
    if text and not text.endswith(LONG_TEXT_MARKER) and update_digest(text) != exported.get("update_sha256"):
        changes.append(FieldChange("update", "", text))
        update_date = update_date or today
    # A value the database already holds is no change: a workbook imported twice, or an update typed in both.
    changes = [fc for fc in changes if not _already(action, fc)]
    if not changes:
        return None
    return RowChange(
        row.row,
        action_id,
        reference,
        tuple(changes),
        update_date if isinstance(update_date, dt.date) else None,
    )


def _already(action: Action, change: FieldChange) -> bool:
    if change.field == "status":
        return bool(action.status is change.new)
    if change.field == "due_date":
        return bool(action.due_date == change.new)
    if change.field == "update":
        text = " ".join(str(change.new).split())
        return any(" ".join(u.text.split()) == text for u in action.updates)
    return False


def plan_import(session: Session, rows: WorkbookRows, today: dt.date | None = None) -> ImportPlan:
    today = today or dt.date.today()
    plan = ImportPlan(rows.file_name)
    secret = workbook_secret(session)
    seen: dict[Any, int] = {}
    for row in rows.rows:
        if row.action_id is not None and row.action_id in seen:
            plan.problems.append(
                RowProblem(
                    row.row, f"this row repeats the action of row {seen[row.action_id]}, so it was left alone"
                )
            )
            continue
        if row.action_id is not None:
            seen[row.action_id] = row.row
        result = _plan_row(session, row, today, secret)
        if result is None:
            plan.unchanged += 1
        elif isinstance(result, RowProblem):
            plan.problems.append(result)
        else:
            action = session.get(Action, result.action_id)
            assert action is not None
            stamp = str(row.stamp or "")
            if action.updated_at.isoformat(timespec="seconds") != stamp:
                plan.conflicts.append(result)
            else:
                plan.changes.append(result)
    return plan


def apply_import(session: Session, plan: ImportPlan, resolve: Mapping[int, str] | None = None) -> int:
    """Apply the planned changes (and the conflicts the clerk resolved as "theirs"). Returns how many were applied.

    The caller's transaction makes it all or nothing.
    """
    resolve = resolve or {}
    chosen = plan.changes + [c for c in plan.conflicts if resolve.get(c.action_id) == "theirs"]
    applied = 0
    for change in chosen:
        action = session.get(Action, change.action_id)
        if action is None:
            continue
        for fc in change.changes:
            if fc.field == "status":
                update_action(session, action, status=fc.new)
            elif fc.field == "due_date":
                update_action(session, action, due_date=fc.new)
            elif fc.field == "update":
                add_update(session, action, fc.new, change.update_date)
            applied += 1
    return applied


def describe_plan(plan: ImportPlan) -> str:
    """The preview the app shows and `import actions --dry-run` prints."""
    lines = [
        f"{plan.file_name}: {sum(len(c.changes) for c in plan.changes)} changes, {len(plan.conflicts)} "
        f"conflicts, {len(plan.problems)} rows with problems, {plan.unchanged} rows unchanged."
    ]

    def describe(change: RowChange) -> list[str]:
        out = []
        for fc in change.changes:
            if fc.field == "update":
                when = f" ({change.update_date:%d/%m/%Y})" if change.update_date else ""
                out.append(f"  Row {change.row}, {change.reference}: new update{when}: {fc.new}")
            else:
                name = "status" if fc.field == "status" else "due date"
                out.append(f"  Row {change.row}, {change.reference}: {name} {_uk(fc.old)} -> {_uk(fc.new)}")
        return out

    if plan.changes:
        lines.append("Changes:")
        for change in plan.changes:
            lines += describe(change)
    if plan.conflicts:
        lines.append(
            "Conflicts (changed in paperprep since the export; not applied unless you choose the officer's):"
        )
        for change in plan.conflicts:
            lines += describe(change)
    if plan.problems:
        lines.append("Problems (these rows were refused and left alone):")
        lines += [f"  {p.sentence}" for p in plan.problems]
    return "\n".join(lines)
