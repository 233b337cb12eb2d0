"""The minutes as a Word document: heading, attendance, declarations, each minute, and the signature line."""

from __future__ import annotations

import os
from collections.abc import Sequence

from paperprep.domain import Audience, ItemKind, Vote
from paperprep.export import docx_styles as S
from paperprep.export.docx_common import DocBuilder, Progress, exempt_notice, tick, uk_date, uk_long_date
from paperprep.records import InspectionRecord, ItemRecord, MeetingRecord, ResolutionRecord


def write_inspection(doc: DocBuilder, inspection: InspectionRecord) -> None:
    """The inspection summary: a table of facts and judgements, then the findings as lists."""
    doc.heading(f"{inspection.inspectorate.label} {inspection.activity.label.lower()}", S.SUBHEADING)
    fieldwork = " to ".join(uk_date(d) for d in (inspection.fieldwork_start, inspection.fieldwork_end) if d)
    rows = [
        ("Framework", inspection.framework.label),
        ("Service", inspection.service),
        ("Fieldwork", fieldwork),
        ("Inspectors", str(inspection.inspectors) if inspection.inspectors else ""),
        ("Scope", inspection.scope),
        ("Published", uk_date(inspection.published_on)),
        ("Letter or report", inspection.letter_file_name),
        ("Overall judgement", inspection.overall.label),
    ]
    rows += [(j.area, j.grade.label) for j in inspection.judgements]
    if inspection.previous_judgement is not None:
        rows.append(
            (
                "Previous judgement",
                f"{inspection.previous_judgement.label} {uk_date(inspection.previous_date)}".strip(),
            )
        )
    doc.table(("Aspect", "Judgement or detail"), [r for r in rows if r[1]])
    for title, items in (
        ("Strengths", inspection.strengths),
        ("Areas for improvement", inspection.areas_for_improvement),
    ):
        if items:
            doc.heading(title, S.SUBHEADING)
            doc.bullets(items)
    doc.heading("Priority actions", S.SUBHEADING)
    if inspection.priority_actions:
        doc.bullets(inspection.priority_actions)
    else:
        doc.paragraph("No priority actions.")
    if inspection.next_steps:
        doc.heading("Next steps", S.SUBHEADING)
        doc.bullets([f"{s.text} ({uk_date(s.due)})" if s.due else s.text for s in inspection.next_steps])
    if inspection.action_plan_due:
        doc.paragraph(f"Action plan due by {uk_date(inspection.action_plan_due)}.")


def write_resolution(doc: DocBuilder, resolution: ResolutionRecord) -> None:
    paragraph = doc.paragraph(style=S.RESOLUTION)
    doc.runs(paragraph, [(resolution.keyword or resolution.wording.label, True, False)])
    if resolution.text:
        doc.runs(
            paragraph,
            [(("" if resolution.text.startswith(("-", ",")) else " ") + resolution.text, False, False)],
        )
    if resolution.parts:
        doc.numbered(resolution.parts)
    if resolution.votes:
        groups = {vote: [v.person.display_name for v in resolution.votes if v.vote is vote] for vote in Vote}
        wording = {Vote.FOR: "voted for", Vote.AGAINST: "voted against", Vote.ABSTAINED: "abstained"}
        for vote, names in groups.items():
            if names:
                doc.paragraph(
                    f"In accordance with the rules of procedure, {', '.join(names)} asked that it be "
                    f"recorded that they {wording[vote]}."
                )


def _minute(doc: DocBuilder, item: ItemRecord, show_actions: bool) -> None:
    doc.heading(f"{item.minute_ref}. {item.title}" if item.minute_ref else item.title, S.MINUTE_HEADING)
    if item.redacted:
        doc.paragraph(exempt_notice(item.exempt_paragraphs_text))
        return
    if item.is_exempt:
        doc.paragraph(
            f"Confidential: exempt information under {item.exempt_paragraphs_text} of Part 1 of "
            "Schedule 12A to the Local Government Act 1972.",
            S.META,
            bold=True,
        )
    if item.presenter is not None and not any(item.presenter.name in b.text for b in item.blocks[:1]):
        doc.paragraph(f"Presented by {item.presenter.text}.", S.META)
    doc.blocks(item.blocks)
    if item.inspection is not None:
        write_inspection(doc, item.inspection)
    for resolution in item.resolutions:
        write_resolution(doc, resolution)
    if show_actions and item.actions:
        doc.table(
            ("Ref", "Action", "Owner", "Due"),
            [(a.reference, a.text, a.owner, uk_date(a.due_date)) for a in item.actions],
        )


def write_minutes(
    record: MeetingRecord,
    path: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | None = None,
    forbidden_texts: Sequence[str] = (),
    show_actions: bool = False,
    first_page_number: int | None = None,
    progress: Progress | None = None,
) -> list[str]:
    doc = DocBuilder(template)
    total = len(record.items) + 2
    tick(progress, 0, total)
    committee = record.committee.name
    title = f"Minutes of the {committee}, {uk_long_date(record.date)}"
    if record.audience is Audience.CONFIDENTIAL:
        doc.paragraph("CONFIDENTIAL: NOT FOR PUBLICATION. Contains exempt information.", S.META, bold=True)
    doc.heading(f"{committee}: minutes", S.TITLE)
    when = uk_long_date(record.date)
    if record.start_time:
        when += f" at {record.start_time:%H:%M}"
    doc.paragraph(
        f"{record.council_name}. Meeting held on {when}" + (f", {record.venue}." if record.venue else "."),
        S.META,
    )

    doc.heading("Present")
    members = [a.minutes_text for a in record.present]
    doc.paragraph(", ".join(members) if members else "No members are recorded as present.")
    if record.in_attendance:
        doc.heading("Officers in attendance")
        doc.paragraph(", ".join(a.minutes_text for a in record.in_attendance))
    doc.heading("Apologies for absence")
    apologies = [a.person.display_name for a in record.apologies]
    doc.paragraph(", ".join(apologies) if apologies else "There were no apologies for absence.")
    doc.heading("Declarations of interest")
    if record.declarations:
        doc.table(
            ("Member", "Item", "Interest", "Nature"),
            [(d.person.display_name, d.item_ref or "", d.type.label, d.nature) for d in record.declarations],
        )
    else:
        doc.paragraph("There were no declarations of interest.")
    tick(progress, 1, total)

    doc.heading("Minutes")
    done_exclusion = False
    for n, item in enumerate(record.items, start=2):
        if item.is_exempt and not done_exclusion:
            done_exclusion = True
            doc.heading("Part B: exempt items")
        _minute(doc, item, show_actions)
        if item.kind is ItemKind.EXCLUSION_MOTION and record.exclusion_motion and not item.resolutions:
            paragraph = doc.paragraph(style=S.RESOLUTION)
            doc.runs(paragraph, [("RESOLVED", True, False), (" - " + record.exclusion_motion, False, False)])
        tick(progress, n, total)

    closing = (
        f"The meeting closed at {record.close_time:%H:%M}." if record.close_time else "The meeting closed."
    )
    doc.paragraph(closing, S.SIGNATURE)
    doc.paragraph("Chair: ______________________________        Date: ________________", S.SIGNATURE)
    doc.footer(f"{committee} minutes, {uk_date(record.date)}", first_page_number)
    warnings = doc.save(path, title, f"Minutes of the meeting of {uk_date(record.date)}", forbidden_texts)
    tick(progress, total, total)
    return warnings
