"""The agenda as a Word document: heading, membership, Part A items, the exclusion motion and Part B."""

from __future__ import annotations

import os
from collections.abc import Sequence

from paperprep.domain import Audience, ItemKind, MembershipRole
from paperprep.export import docx_styles as S
from paperprep.export.docx_common import DocBuilder, Progress, exempt_notice, tick, uk_date, uk_long_date
from paperprep.export.minutes_docx import write_inspection
from paperprep.records import ItemRecord, MeetingRecord


def _item(doc: DocBuilder, item: ItemRecord) -> None:
    doc.heading(f"{item.minute_ref}. {item.title}" if item.minute_ref else item.title, S.MINUTE_HEADING)
    if item.redacted:
        doc.paragraph(exempt_notice(item.exempt_paragraphs_text))
        return
    if item.kind is ItemKind.VERBAL_UPDATE:
        doc.paragraph("Verbal update.", S.META)
    if item.purpose:
        doc.paragraph(item.purpose)
    if item.report_of:
        doc.paragraph(f"Report of: {item.report_of}", S.META)
    if item.presenter is not None:
        doc.paragraph(f"Presenter: {item.presenter.text}", S.META)
    if item.attachments:
        doc.bullets([f"{a.file_name} ({a.size_text})" for a in item.attachments])
    if item.inspection is not None:
        write_inspection(doc, item.inspection)


def write_agenda(
    record: MeetingRecord,
    path: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | None = None,
    forbidden_texts: Sequence[str] = (),
    progress: Progress | None = None,
) -> list[str]:
    doc = DocBuilder(template)
    total = len(record.items) + 1
    tick(progress, 0, total)
    committee = record.committee.name
    title = f"Agenda of the {committee}, {uk_long_date(record.date)}"
    if record.audience is Audience.CONFIDENTIAL:
        doc.paragraph(
            "CONFIDENTIAL: NOT FOR PUBLICATION. Part B contains exempt information.", S.META, bold=True
        )
    doc.paragraph(record.council_name, S.META, bold=True)
    doc.heading(f"{committee}: agenda", S.TITLE)
    when = uk_long_date(record.date) + (f" at {record.start_time:%H:%M}" if record.start_time else "")
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
        ", ".join(m.person.display_name + roles.get(m.role, "") for m in members) or "To be confirmed."
    )
    tick(progress, 1, total)

    doc.heading("Part A: items open to the press and public")
    part_b_started = False
    for n, item in enumerate(record.items, start=2):
        if item.is_exempt and not part_b_started:
            part_b_started = True
            doc.heading("Part B: exempt items")
            doc.paragraph(
                "The press and public are likely to be excluded from the meeting for the following "
                "item(s), which involve exempt information.",
                S.META,
            )
        _item(doc, item)
        if item.kind is ItemKind.EXCLUSION_MOTION and record.exclusion_motion:
            doc.paragraph("To consider passing the following resolution:", S.META)
            paragraph = doc.paragraph(style=S.RESOLUTION)
            doc.runs(paragraph, [("RESOLVED", True, False), (" - " + record.exclusion_motion, False, False)])
        tick(progress, n, total)
    doc.footer(f"{committee} agenda, {uk_date(record.date)}")
    warnings = doc.save(path, title, f"Agenda for the meeting of {uk_date(record.date)}", forbidden_texts)
    tick(progress, total, total)
    return warnings
