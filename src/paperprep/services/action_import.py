"""Importing officers' updates: compare the workbook's rows with the database, preview, then apply in one go.

A change is what the officer typed over the values the workbook was exported with (kept in hidden columns). When
paperprep changed the same action after the export, the row is a conflict for the clerk to decide. A row that
cannot be trusted (no id, an edited id, a status typed wrong, a date typed as text) is reported with its row
number and left alone; the other rows still import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from paperprep.db.models import Action
from paperprep.domain import ActionStatus
from paperprep.records import ActionRecord
from paperprep.services.actions import add_update, update_action


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


def check_code(action_id: int, stamp: str, original: str) -> str:
    """Ties a row's hidden values together, so an edited or pasted id is noticed on import."""
    return hashlib.sha256(f"{action_id}|{stamp}|{original}".encode()).hexdigest()[:12]


def original_values(row: ActionRecord) -> str:
    latest = row.latest_update
    return json.dumps(
        {
            "status": row.status.value,
            "due": row.due_date.isoformat() if row.due_date else None,
            "update": latest.text if latest else "",
            "update_date": latest.date.isoformat() if latest else None,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


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
    message: str


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


def _plan_row(session: Session, row: WorkbookRow, today: dt.date) -> RowChange | RowProblem | None:
    try:
        action_id = int(row.action_id)
    except (TypeError, ValueError):
        return RowProblem(row.row, "has no paperprep id (was it pasted from elsewhere?); it was left alone")
    stamp, original = str(row.stamp or ""), str(row.original or "")
    if str(row.check or "") != check_code(action_id, stamp, original):
        return RowProblem(row.row, "has hidden paperprep values that were changed; it was left alone")
    action = session.get(Action, action_id)
    if action is None:
        return RowProblem(
            row.row, f"is action {action_id}, which no longer exists in paperprep; it was left alone"
        )
    try:
        exported = json.loads(original)
    except ValueError:
        return RowProblem(row.row, "has damaged hidden paperprep values; it was left alone")
    status_text = str(row.status or "").strip()
    status = _STATUS_BY_TEXT.get(status_text.casefold())
    if status is None:
        allowed = ", ".join(s.label for s in ActionStatus)
        return RowProblem(
            row.row,
            f"has the status \u201c{status_text}\u201d, which is not one of {allowed}; the row was left alone",
        )
    due = as_date(row.due_date)
    if isinstance(due, str):
        return RowProblem(
            row.row,
            f"has the due date \u201c{due}\u201d, which is not a date (use dd/mm/yyyy); the row was left alone",
        )
    update_date = as_date(row.update_date)
    if isinstance(update_date, str):
        return RowProblem(
            row.row,
            f"has the update date \u201c{update_date}\u201d, which is not a date; the row was left alone",
        )
    changes = []
    if status.value != exported.get("status"):
        changes.append(FieldChange("status", action.status, status))
    exported_due = exported.get("due")
    if (due.isoformat() if due else None) != exported_due:
        changes.append(FieldChange("due_date", action.due_date, due))
    text = " ".join(str(row.latest_update or "").split())
    if text and text != " ".join(str(exported.get("update") or "").split()):
        changes.append(FieldChange("update", "", text))
        update_date = update_date or today
    reference = str(row.reference or "") or f"action {action_id}"
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
    seen: dict[Any, int] = {}
    for row in rows.rows:
        if row.action_id is not None and row.action_id in seen:
            plan.problems.append(
                RowProblem(row.row, f"repeats the action of row {seen[row.action_id]}; it was left alone")
            )
            continue
        if row.action_id is not None:
            seen[row.action_id] = row.row
        result = _plan_row(session, row, today)
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
        lines.append("Problems (these rows were left alone):")
        lines += [f"  Row {p.row} {p.message}." for p in plan.problems]
    return "\n".join(lines)
