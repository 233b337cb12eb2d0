"""Export jobs: read a snapshot in one short transaction, then hand it to a pure writer in paperprep.export.

Each job takes the open Database, reads what it needs in one short transaction (so the file is written without
holding the database), and returns warnings for the clerk. For a public document the job also hands the exporter
the confidential texts, so the finished file can be searched for them before it is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from paperprep.db import Database
from paperprep.domain import Audience
from paperprep.services.actions import ActionFilter, list_actions
from paperprep.services.snapshot import action_records, build_meeting_record, exempt_texts

Progress = Callable[[int, int], bool]


def _meeting_snapshot(db: Database, meeting_id: int, audience: Audience) -> tuple[object, list[str]]:
    with db.transaction() as session:
        record = build_meeting_record(session, meeting_id, audience)
        # Carried-forward actions of earlier exempt items are already left out of a public snapshot.
        forbidden: list[str] = []
        if audience is Audience.PUBLIC:
            from paperprep.export.safety import forbidden_phrases

            forbidden = forbidden_phrases(*exempt_texts(session, meeting_id))
    return record, forbidden


def export_agenda(
    db: Database,
    meeting_id: int,
    out: Path,
    audience: Audience = Audience.PUBLIC,
    template: Path | None = None,
    progress: Progress | None = None,
) -> list[str]:
    from paperprep.export.agenda_docx import write_agenda

    record, forbidden = _meeting_snapshot(db, meeting_id, audience)
    return write_agenda(record, out, template=template, forbidden_texts=forbidden, progress=progress)  # type: ignore[arg-type]


def export_minutes(
    db: Database,
    meeting_id: int,
    out: Path,
    audience: Audience = Audience.PUBLIC,
    template: Path | None = None,
    show_actions: bool = False,
    first_page_number: int | None = None,
    progress: Progress | None = None,
) -> list[str]:
    from paperprep.export.minutes_docx import write_minutes

    record, forbidden = _meeting_snapshot(db, meeting_id, audience)
    return write_minutes(  # type: ignore[no-any-return]
        record,  # type: ignore[arg-type]
        out,
        template=template,
        forbidden_texts=forbidden,
        show_actions=show_actions,
        first_page_number=first_page_number,
        progress=progress,
    )


def export_action_log(
    db: Database,
    out: Path,
    committee_id: int | None = None,
    status: str = "open",
    audience: Audience = Audience.PUBLIC,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> int:
    from paperprep.export.actions_xlsx import write_action_log
    from paperprep.services.committees import get_committee

    with db.transaction() as session:
        rows = action_records(
            list_actions(session, ActionFilter(committee_id=committee_id, status=status)), audience
        )
        title = get_committee(session, committee_id).name if committee_id is not None else "All committees"
    write_action_log(
        rows, out, title=f"Action log: {title}", audience=audience, today=today, progress=progress
    )
    return len(rows)


def export_decisions(
    db: Database, out: Path, committee_id: int | None = None, audience: Audience = Audience.PUBLIC
) -> int:
    from paperprep.export.decisions_xlsx import write_decisions
    from paperprep.services.committees import get_committee
    from paperprep.services.decisions import decision_rows

    with db.transaction() as session:
        rows = decision_rows(session, committee_id, audience)
        title = get_committee(session, committee_id).name if committee_id is not None else "All committees"
    write_decisions(rows, out, title=f"Decisions: {title}")
    return len(rows)
