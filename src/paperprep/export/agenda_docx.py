"""The agenda as a Word document: heading, membership, Part A items, the exclusion motion and Part B.

An agenda lists; the minutes record. Each item gives its number (1, 2, 3, or the minute numbers, as the house style
says), its title, its purpose (or the council's standard wording for a standard item), the report's author and
its documents. Inspection findings belong in the minutes and are not printed here. Every page of a draft agenda
says DRAFT, and every page of a confidential version says so, with its Schedule 12A paragraph(s).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from paperprep.domain import AttachmentKind, Audience, ItemKind, MeetingStatus, MembershipRole
from paperprep.export import docx_styles as S
from paperprep.export.docx_common import (
    DocBuilder,
    Progress,
    confidential_lines,
    exempt_notice,
    part_b_marking,
    tick,
    uk_date,
    uk_long_date,
    write_decision,
)
from paperprep.export.paper_text import report_of
from paperprep.records import ItemRecord, MeetingRecord
from paperprep.services.house_style import AgendaNumbers, HouseStyle

DRAFT_AGENDA = "DRAFT"


def item_number(item: ItemRecord, position: int, style: HouseStyle) -> str:
    """The number the agenda prints: its place on this agenda, or the minute number it will take."""
    if style.agenda_numbers is AgendaNumbers.MINUTE_NUMBERS and item.minute_ref:
        return item.minute_ref
    return str(position)


def _item(doc: DocBuilder, record: MeetingRecord, item: ItemRecord, number: str, style: HouseStyle) -> None:
    doc.heading(f"{number}. {item.title}", S.MINUTE_HEADING)
    if item.is_late:
        doc.lead("Late item", bold=True)
        if item.urgency_reason.strip():
            doc.paragraph(f"Reason for urgency: {item.urgency_reason.strip()}", S.META)
    if item.redacted:
        doc.paragraph(exempt_notice(item.exempt_paragraphs_text))
        return
    if item.is_exempt:
        doc.lead(part_b_marking(item.exempt_paragraphs_text), bold=True)
    if item.kind is ItemKind.VERBAL_UPDATE:
        doc.lead("Verbal update", bold=True)
    purpose = item.purpose.strip() or style.standard_wording(item.kind)
    if purpose:
        doc.paragraph(purpose)
    if item.kind is ItemKind.EXCLUSION_MOTION and record.exclusion_motion:
        write_decision(doc, "RESOLVED", record.exclusion_motion, (), style)
    if item.report_of:
        doc.paragraph(report_of(item.report_of), S.META)
    if item.presenter is not None:
        doc.paragraph(f"Presented by {style.names(item.presenter.text)}", S.META)
    if item.attachments:
        reports = [a for a in item.attachments if a.kind is AttachmentKind.REPORT]
        others = [a for a in item.attachments if a.kind is not AttachmentKind.REPORT]
        for label, files in (("Report attached:", reports), ("Additional documents:", others)):
            if files:
                doc.lead(label)
                doc.bullets([f"{a.file_name} ({a.size_text})" for a in files])


def markings(record: MeetingRecord) -> list[tuple[str, bool]]:
    """What the header of every page of this agenda says."""
    lines: list[tuple[str, bool]] = []
    if record.status is MeetingStatus.DRAFT_AGENDA:
        lines.append((DRAFT_AGENDA, True))
    if record.audience is Audience.CONFIDENTIAL:
        lines += confidential_lines([p for i in record.part_b for p in i.exempt_paragraphs])
    return lines


def write_agenda(
    record: MeetingRecord,
    path: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | None = None,
    forbidden_texts: Sequence[str] = (),
    progress: Progress | None = None,
    style: HouseStyle | None = None,
) -> list[str]:
    style = style or HouseStyle()
    doc = DocBuilder(template)
    total = len(record.items) + 1
    tick(progress, 0, total)
    committee = record.committee.name
    title = f"Agenda of the {committee}, {uk_long_date(record.date)}"
    doc.mark_every_page(markings(record))
    doc.paragraph(record.council_name, S.META, bold=True)
    doc.heading(f"{committee}: agenda", S.TITLE)
    when = uk_long_date(record.date) + (f" at {style.time(record.start_time)}" if record.start_time else "")
    doc.paragraph(f"Date and time: {when}", S.META)
    if record.venue:
        doc.paragraph(f"Venue: {record.venue}", S.META)
    if record.contact_officer:
        doc.paragraph(f"Contact officer: {record.contact_officer}", S.META)
    published = record.published_on or record.publication_deadline
    doc.paragraph(f"Date of publication: {uk_date(published)}", S.META)

    doc.heading("Membership")
    roles = {MembershipRole.CHAIR: " (Chair)", MembershipRole.VICE_CHAIR: " (Vice-Chair)"}
    members = [m for m in record.members if m.role is not MembershipRole.SUBSTITUTE]
    doc.paragraph(
        ", ".join(style.names(m.person.display_name) + roles.get(m.role, "") for m in members)
        or "To be confirmed."
    )
    tick(progress, 1, total)

    doc.heading("Part A: items open to the press and public")
    part_b_started = False
    for n, item in enumerate(record.items, start=1):
        if item.is_exempt and not part_b_started:
            part_b_started = True
            doc.heading("Part B: exempt items")
            doc.paragraph(
                "The press and public are likely to be excluded from the meeting for the following "
                "item(s), which involve exempt information.",
                S.META,
            )
        _item(doc, record, item, item_number(item, n, style), style)
        tick(progress, n + 1, total)
    label = f"{committee} agenda, {uk_date(record.date)}"
    if record.audience is Audience.CONFIDENTIAL:
        label = f"CONFIDENTIAL \u2013 {label}"
    doc.footer(label)
    warnings = doc.save(path, title, f"Agenda for the meeting of {uk_date(record.date)}", forbidden_texts)
    tick(progress, total, total)
    return warnings
