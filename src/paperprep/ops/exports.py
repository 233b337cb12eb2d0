"""Export jobs: read a snapshot in one short transaction, then hand it to a pure writer in paperprep.export.

Each job takes the open Database, reads what it needs in one short transaction (so the file is written without
holding the database), and returns warnings for the clerk. For a public document the job also hands the exporter
the confidential texts, so the finished file can be searched for them before it is written.

A paper written to a name that ends in .pdf is written as Word first, then converted by LibreOffice into a tagged
PDF (export/pdf.py); a public PDF is searched again, as text, before it is written. The agenda pack
(export/pack.py) is always a PDF, with a folder of the separate PDFs beside it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select

from paperprep.db import Database
from paperprep.db.models import AgendaItem, Attachment
from paperprep.domain import Audience
from paperprep.errors import ValidationError
from paperprep.formats import exempt_notice, uk_long_date
from paperprep.records import MeetingRecord
from paperprep.services.actions import ActionFilter, action_log_records, action_query, list_actions
from paperprep.services.house_style import HouseStyle, house_style
from paperprep.services.snapshot import (
    action_log_exempt_texts,
    build_meeting_record,
    decision_records,
    decisions_exempt_texts,
    exempt_texts,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Progress = Callable[[int, int], bool]
T = TypeVar("T")


def _forbidden(texts: tuple[list[str], list[str]]) -> list[str]:
    from paperprep.export.safety import forbidden_phrases

    return forbidden_phrases(*texts)


def _checked(out: Path, forbidden: Sequence[str], write: Callable[[Path], T]) -> T:
    """Write a public file the one safe way: into a temporary file, read back and searched for every forbidden
    phrase (every XML part of a Word or Excel file, document properties included; the text, bookmarks and
    properties of a PDF), and only then moved into place in one step. A file that fails is never written, and
    an older file of that name is kept."""
    if not forbidden:
        return write(out)
    from paperprep.export.pdf import check_pdf_file_no_leak
    from paperprep.export.safety import check_no_leak, safe_write

    with tempfile.TemporaryDirectory(prefix="paperprep-check-") as work:
        temp = Path(work) / (out.name or "export")
        result = write(temp)
        data = temp.read_bytes()
        if is_pdf(out):
            check_pdf_file_no_leak(data, forbidden, "The public PDF")
        else:
            check_no_leak(data, forbidden)
        safe_write(out, data)
    return result


def _meeting_snapshot(
    db: Database, meeting_id: int, audience: Audience
) -> tuple[MeetingRecord, list[str], HouseStyle]:
    with db.transaction() as session:
        record = build_meeting_record(session, meeting_id, audience)
        # Carried-forward actions of earlier exempt items are already left out of a public snapshot; their text is
        # among the forbidden phrases all the same.
        forbidden: list[str] = []
        if audience is Audience.PUBLIC:
            forbidden = _forbidden(exempt_texts(session, meeting_id))
        style = house_style(session)
    return record, forbidden, style


def export_agenda(
    db: Database,
    meeting_id: int,
    out: Path,
    audience: Audience = Audience.PUBLIC,
    template: Path | None = None,
    progress: Progress | None = None,
) -> list[str]:
    from paperprep.export.agenda_docx import write_agenda

    if is_pdf(out):
        _require_libreoffice()
    record, forbidden, style = _meeting_snapshot(db, meeting_id, audience)

    def write(path: Path, ticks: Progress | None) -> list[str]:
        return write_agenda(
            record, path, template=template, forbidden_texts=forbidden, progress=ticks, style=style
        )

    return _paper(out, write, forbidden, progress)


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

    if is_pdf(out):
        _require_libreoffice()
    record, forbidden, style = _meeting_snapshot(db, meeting_id, audience)

    def write(path: Path, ticks: Progress | None) -> list[str]:
        return write_minutes(
            record,
            path,
            template=template,
            forbidden_texts=forbidden,
            show_actions=show_actions,
            first_page_number=first_page_number,
            progress=ticks,
            style=style,
        )

    return _paper(out, write, forbidden, progress)


def _paper(
    out: Path, write: Callable[[Path, Progress | None], list[str]], forbidden: Sequence[str], progress: Progress | None
) -> list[str]:
    """Write a Word paper to `out`, or its PDF when `out` ends in .pdf; a public one is checked before it lands."""
    if is_pdf(out):
        return _as_pdf(write, out, forbidden, progress)
    return _checked(out, forbidden, lambda path: write(path, progress))


# -- PDF ------------------------------------------------------------------------------------------------------


def is_pdf(out: Path) -> bool:
    """A paper is written as PDF when its name ends in .pdf, and as Word otherwise."""
    return out.suffix.lower() == ".pdf"


def libreoffice_missing() -> str | None:
    """The sentence for the clerk when this computer cannot write PDFs (no LibreOffice), or None when it can."""
    from paperprep.export.pdf import libreoffice_missing as missing

    return missing()


def _require_libreoffice() -> None:
    from paperprep.export.pdf import require_libreoffice

    require_libreoffice()


def _halves(progress: Progress | None) -> tuple[Progress | None, Progress | None]:
    """Progress for two stages of one job: writing the Word document, then converting it."""
    if progress is None:
        return None, None
    report = progress
    return (lambda done, total: report(done, 2 * total)), (
        lambda done, total: report(total + done, 2 * total)
    )


def _as_pdf(
    write: Callable[[Path, Progress | None], list[str]],
    out: Path,
    forbidden: Sequence[str],
    progress: Progress | None,
) -> list[str]:
    from paperprep.export.pdf import check_pdf_file_no_leak, convert_to_pdf
    from paperprep.export.safety import safe_write

    first, second = _halves(progress)
    with tempfile.TemporaryDirectory(prefix="paperprep-pdf-") as work_name:
        work = Path(work_name)
        docx = work / "paper.docx"
        warnings = write(docx, first)
        (pdf,) = convert_to_pdf(
            [docx], work / "pdf", cancelled=lambda: second is not None and second(0, 1) is False
        )
        check_pdf_file_no_leak(pdf, forbidden, "The public PDF")
        safe_write(out, pdf.read_bytes())
    if second is not None:
        second(1, 1)
    return warnings


def attachment_store(db: Database) -> Path:
    """The folder of the database's managed copies of attachments."""
    return db.path.parent / f"{db.path.stem}-files"


def _stored_files(db: Database, record: MeetingRecord) -> tuple[dict[int, Path], list[Path]]:
    """The stored copy of each attachment in the record; and, for a public record, those of the exempt items
    (read only to prove that none of their text reaches the public pack)."""
    store = attachment_store(db)
    ids = [a.id for item in record.items for a in item.attachments]
    with db.transaction() as session:
        names = (
            dict(
                session.execute(select(Attachment.id, Attachment.stored_name).where(Attachment.id.in_(ids)))
                .tuples()
                .all()
            )
            if ids
            else {}
        )
        exempt: list[str] = []
        if record.audience is Audience.PUBLIC:
            exempt = list(
                session.scalars(
                    select(Attachment.stored_name)
                    .join(AgendaItem, Attachment.item_id == AgendaItem.id)
                    .where(AgendaItem.meeting_id == record.id, AgendaItem.is_exempt.is_(True))
                )
            )
    return {i: store / n for i, n in names.items() if n}, [store / n for n in exempt if n]


def export_pack(
    db: Database,
    meeting_id: int,
    out: Path,
    audience: Audience = Audience.PUBLIC,
    template: Path | None = None,
    progress: Progress | None = None,
) -> list[str]:
    """The agenda pack as one PDF, and beside it a folder (`pack_folder`) of the separate PDFs to publish."""
    from paperprep.export.agenda_docx import item_number, write_agenda
    from paperprep.export.pack import PackDocument, PackItem, write_pack

    if not is_pdf(out):
        raise ValidationError(f"An agenda pack is a PDF: give a file name that ends in .pdf, not {out.name}.")
    _require_libreoffice()
    record, forbidden, style = _meeting_snapshot(db, meeting_id, audience)
    stored, exempt_files = _stored_files(db, record)
    items = []
    for position, item in enumerate(record.items, start=1):
        documents = tuple(
            PackDocument(a.file_name, stored.get(a.id, attachment_store(db) / "missing"), a.kind.label)
            for a in item.attachments
        )
        withheld = ""
        if item.redacted:
            withheld = exempt_notice(item.exempt_paragraphs_text) + " Its papers are not published."
        # Numbered as the agenda numbers it, so that the contents page and the bookmarks match the agenda.
        items.append(PackItem(item_number(item, position, style), item.title, documents, withheld))
    first, second = _halves(progress)
    with tempfile.TemporaryDirectory(prefix="paperprep-pack-") as work_name:
        agenda = Path(work_name) / "agenda.docx"
        warnings = write_agenda(
            record, agenda, template=template, forbidden_texts=forbidden, progress=first, style=style
        )
        confidential = audience is Audience.CONFIDENTIAL
        result = write_pack(
            agenda,
            items,
            out,
            title=f"{record.committee.name}, {uk_long_date(record.date)}",
            subtitle=[
                record.council_name,
                "Confidential pack: not for publication" if confidential else "Public pack",
            ],
            confidential=confidential,
            folder=pack_folder(out),
            forbidden=forbidden,
            exempt_documents=exempt_files,
            progress=second,
        )
    return warnings + result.warnings


def pack_folder(out: Path) -> Path:
    """The folder of separate PDFs written beside a pack: pack.pdf -> pack-papers/. (Not "-files": that is how
    the database's own folder of attachments is named.)"""
    return out.with_name(f"{out.stem}-papers")


def export_action_log(
    db: Database,
    out: Path,
    committee_id: int | None = None,
    status: str = "open",
    audience: Audience = Audience.PUBLIC,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> int:
    from paperprep.export.actions_xlsx import cycles_paused

    # Ten years of actions are a few hundred thousand objects, read and written without making a cycle: the
    # collector, walking them again and again as they arrive, took a third of the time of reading them.
    with cycles_paused():
        return _export_action_log(db, out, committee_id, status, audience, progress, today)


def _export_action_log(
    db: Database,
    out: Path,
    committee_id: int | None,
    status: str,
    audience: Audience,
    progress: Progress | None,
    today: dt.date | None,
) -> int:
    from paperprep.export.actions_xlsx import write_action_log
    from paperprep.services.action_import import workbook_secret
    from paperprep.services.committees import get_committee

    # The key that signs the rows is made the first time, in a transaction of its own, so the long read below
    # never holds a write lock.
    with db.transaction() as session:
        secret = workbook_secret(session, create=True)
    assert secret is not None
    with db.transaction() as session:
        flt = ActionFilter(committee_id=committee_id, status=status)
        # The rows come from the Core read; the ORM objects are built only for a public log, whose leak check
        # needs the exempt items' texts.
        rows = action_log_records(session, flt, audience)
        forbidden = (
            _forbidden(action_log_exempt_texts(session, list_actions(session, flt)))
            if audience is Audience.PUBLIC and _any_exempt_action(session, flt)
            else []  # only an exempt item's texts are forbidden: without one, the ORM load finds nothing
        )
        title = get_committee(session, committee_id).name if committee_id is not None else "All committees"
    # The writer itself reads the finished workbook back for every forbidden phrase, and only then moves it into
    # place in one step, as `_checked` does for the papers.
    write_action_log(
        rows,
        out,
        title=f"Action log: {title}",
        audience=audience,
        secret=secret,
        today=today,
        progress=progress,
        forbidden=forbidden,
    )
    return len(rows)


def _any_exempt_action(session: Session, flt: ActionFilter) -> bool:
    """Whether any action of the log belongs to an exempt item: one query, where loading the ten years
    of actions as objects to find their exempt items takes seconds."""
    query = action_query(flt).order_by(None).where(AgendaItem.is_exempt.is_(True))
    return bool(session.scalar(select(query.exists())))


def export_decisions(
    db: Database, out: Path, committee_id: int | None = None, audience: Audience = Audience.PUBLIC
) -> int:
    from paperprep.export.decisions_xlsx import write_decisions
    from paperprep.services.committees import get_committee

    with db.transaction() as session:
        rows = decision_records(session, committee_id, audience)
        forbidden = (
            _forbidden(decisions_exempt_texts(session, committee_id)) if audience is Audience.PUBLIC else []
        )
        title = get_committee(session, committee_id).name if committee_id is not None else "All committees"
    # Checked for forbidden phrases and moved into place by the writer, as the action log is.
    write_decisions(rows, out, title=f"Decisions: {title}", forbidden=forbidden)
    return len(rows)
