"""The minutes as a Word document: heading, attendance, each minute (apologies and declarations under their own
items), and the signature block, kept on a page with the end of the last minute.

Every page carries its markings in the header: "DRAFT: subject to approval" until the minutes are approved, then
the meeting that approved them; "CONFIDENTIAL: NOT FOR PUBLICATION" and the Schedule 12A paragraph(s) on a
confidential version. Times, councillors' titles and decisions follow the council's house style.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from paperprep.domain import Audience, Inspectorate, ItemKind, MeetingStatus, Vote
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
from paperprep.export.paper_text import (
    approval_line,
    declaration_sentence,
    generated_blocks,
    item_declarations,
)
from paperprep.formats import precise_date, precise_range
from paperprep.records import InspectionRecord, ItemRecord, MeetingRecord, ResolutionRecord
from paperprep.services.house_style import HouseStyle
from paperprep.services.inspections import stated_in_narrative

DRAFT_MINUTES = "DRAFT: subject to approval"

# How many paragraphs at the end of the last minute stay on the page with the signature block.
KEPT_WITH_SIGNATURE = 2


def write_inspection(doc: DocBuilder, inspection: InspectionRecord, narrative: Sequence[str] = ()) -> None:
    """The inspection summary: a table of facts and judgements, then the findings as lists, each printed once.
    A summary left in the narrative prints no lists (the minute states them); one shown as a table prints only
    the entries that the minute's `narrative` does not already state."""
    doc.heading(f"{inspection.inspectorate.label} {inspection.activity.label.lower()}", S.SUBHEADING)
    fieldwork = precise_range(
        inspection.fieldwork_start, inspection.fieldwork_start_precision, inspection.fieldwork_end, inspection.fieldwork_end_precision
    )
    named = [i.label for i in inspection.inspectorates]
    joint = len(named) > 1 or (bool(named) and inspection.inspectorate is Inspectorate.JOINT)
    rows = [
        ("Inspectorates", _join(named) if joint else ""),
        ("Framework", inspection.framework.label),
        ("Service", inspection.service),
        ("Fieldwork", fieldwork),
        ("Inspectors", str(inspection.inspectors) if inspection.inspectors else ""),
        ("Scope", inspection.scope),
        ("Published", uk_date(inspection.published_on)),
        ("Letter or report", inspection.letter_file_name),
        (
            "Overall judgement",
            "No graded judgement" if inspection.no_graded_judgement else inspection.overall.label,
        ),
    ]
    rows += [(j.area, j.grade.label) for j in inspection.judgements]
    previous_date = precise_date(inspection.previous_date, inspection.previous_date_precision)
    if inspection.previous_judgement is not None:
        rows.append(("Previous judgement", f"{inspection.previous_judgement.label} {previous_date}".strip()))
    elif previous_date:
        rows.append(("Previous inspection", previous_date))
    doc.table(("Aspect", "Judgement or detail"), [r for r in rows if r[1]])
    in_narrative = inspection.display == "narrative"
    stated = stated_in_narrative(
        [
            *inspection.strengths,
            *inspection.areas_for_improvement,
            *inspection.priority_actions,
            *(s.text for s in inspection.next_steps),
        ],
        narrative,
    )

    def fresh(entries: Sequence[str]) -> list[str]:
        return [] if in_narrative else [e for e in entries if e not in stated]

    for title, items in (
        ("Strengths", fresh(inspection.strengths)),
        ("Areas for improvement", fresh(inspection.areas_for_improvement)),
    ):
        if items:
            doc.heading(title, S.SUBHEADING)
            doc.bullets(items)
    priority = fresh(inspection.priority_actions)
    if priority:
        doc.heading("Priority actions", S.SUBHEADING)
        doc.bullets(priority)
    elif not inspection.priority_actions and inspection.no_priority_actions and not in_narrative:
        doc.heading("Priority actions", S.SUBHEADING)
        doc.paragraph("No priority actions.")
    steps = [] if in_narrative else [s for s in inspection.next_steps if s.text not in stated]
    if steps:
        doc.heading("Next steps", S.SUBHEADING)
        doc.bullets([f"{s.text} ({uk_date(s.due)})" if s.due else s.text for s in steps])
    if inspection.action_plan_due:
        due = precise_date(inspection.action_plan_due, inspection.action_plan_due_precision)
        doc.paragraph(
            f"Action plan due {'in' if inspection.action_plan_due_precision != 'day' else 'by'} {due}."
        )
    elif inspection.action_plan_due_text:
        doc.paragraph(f"Action plan due {inspection.action_plan_due_text}.")


def write_resolution(doc: DocBuilder, resolution: ResolutionRecord, style: HouseStyle | None = None) -> None:
    style = style or HouseStyle()
    write_decision(
        doc, resolution.keyword or resolution.wording.label, resolution.text, resolution.parts, style
    )
    if resolution.votes:
        groups = {
            vote: [style.names(v.person.display_name) for v in resolution.votes if v.vote is vote]
            for vote in Vote
        }
        wording = {Vote.FOR: "voted for", Vote.AGAINST: "voted against", Vote.ABSTAINED: "abstained"}
        for vote, names in groups.items():
            if names:
                doc.paragraph(
                    f"In accordance with the rules of procedure, {', '.join(names)} asked that it be "
                    f"recorded that they {wording[vote]}."
                )


def _minute(
    doc: DocBuilder, record: MeetingRecord, item: ItemRecord, style: HouseStyle, show_actions: bool
) -> None:
    doc.heading(f"{item.minute_ref}. {item.title}" if item.minute_ref else item.title, S.MINUTE_HEADING)
    if item.redacted:
        doc.paragraph(exempt_notice(item.exempt_paragraphs_text))
        return
    if item.is_exempt:
        doc.lead(part_b_marking(item.exempt_paragraphs_text), bold=True)
    if item.presenter is not None and not any(item.presenter.name in b.text for b in item.blocks[:1]):
        doc.lead(f"Presented by {style.names(item.presenter.text)}.")
    if item.kind is not ItemKind.DECLARATIONS:
        # Declared at the start of the meeting, and recorded again where the member acted on it.
        for declaration in item_declarations(record, item):
            doc.paragraph(declaration_sentence(declaration, style, at_item=True))
    if item.kind is ItemKind.APOLOGIES and not item.blocks:
        apologies = [style.names(a.person.display_name) for a in record.apologies]
        doc.paragraph(
            f"Apologies for absence were received from {_join(apologies)}."
            if apologies
            else "There were no apologies for absence."
        )
    if item.kind is ItemKind.DECLARATIONS and not item.blocks:
        _declarations(doc, record, style)
    blocks = generated_blocks(item, style)
    doc.blocks(blocks)
    if item.inspection is not None:
        narrative = [b.text for b in blocks]
        narrative += [t for r in item.resolutions for t in (r.text, *r.parts)]
        write_inspection(doc, item.inspection, narrative)
    for resolution in item.resolutions:
        write_resolution(doc, resolution, style)
    if item.kind is ItemKind.EXCLUSION_MOTION and record.exclusion_motion and not item.resolutions:
        write_decision(doc, "RESOLVED", record.exclusion_motion, (), style)
    if show_actions and item.actions:
        doc.table(
            ("Ref", "Action", "Owner", "Due"),
            [(a.reference, a.text, a.owner, uk_date(a.due_date)) for a in item.actions],
        )


def _declarations(doc: DocBuilder, record: MeetingRecord, style: HouseStyle) -> None:
    """Each declaration as the sentence minutes write: who, what interest, in which item, and what they did."""
    for declaration in record.declarations:
        doc.paragraph(declaration_sentence(declaration, style))
    if not record.declarations:
        doc.paragraph("There were no declarations of interest.")


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def markings(record: MeetingRecord) -> list[tuple[str, bool]]:
    """What the header of every page of these minutes says."""
    lines: list[tuple[str, bool]] = []
    if record.status is MeetingStatus.MINUTES_APPROVED:
        lines.append((approval_line(record), False))
    else:
        lines.append((DRAFT_MINUTES, True))
    if record.audience is Audience.CONFIDENTIAL:
        lines += confidential_lines([p for i in record.part_b for p in i.exempt_paragraphs])
    return lines


def write_minutes(
    record: MeetingRecord,
    path: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | None = None,
    forbidden_texts: Sequence[str] = (),
    show_actions: bool = False,
    first_page_number: int | None = None,
    progress: Progress | None = None,
    style: HouseStyle | None = None,
) -> list[str]:
    style = style or HouseStyle()
    doc = DocBuilder(template)
    total = len(record.items) + 2
    tick(progress, 0, total)
    committee = record.committee.name
    title = f"Minutes of the {committee}, {uk_long_date(record.date)}"
    doc.mark_every_page(markings(record))
    doc.heading(f"{committee}: minutes", S.TITLE)
    when = uk_long_date(record.date)
    if record.start_time:
        when += f" at {style.time(record.start_time)}"
    doc.paragraph(
        f"{record.council_name}. Meeting held on {when}" + (f", {record.venue}." if record.venue else "."),
        S.META,
    )

    doc.heading("Present")
    members = [style.names(a.minutes_text) for a in record.present]
    doc.paragraph(", ".join(members) if members else "No members are recorded as present.")
    if record.in_attendance:
        doc.heading("Officers in attendance")
        doc.paragraph(", ".join(a.minutes_text for a in record.in_attendance))
    kinds = {i.kind for i in record.items}
    if ItemKind.APOLOGIES not in kinds:
        doc.heading("Apologies for absence")
        apologies = [style.names(a.person.display_name) for a in record.apologies]
        doc.paragraph(", ".join(apologies) if apologies else "There were no apologies for absence.")
    if ItemKind.DECLARATIONS not in kinds:
        doc.heading("Declarations of interest")
        _declarations(doc, record, style)
    tick(progress, 1, total)

    doc.heading("Minutes")
    done_exclusion = False
    for n, item in enumerate(record.items, start=2):
        if item.is_exempt and not done_exclusion:
            done_exclusion = True
            doc.heading("Part B: exempt items")
        _minute(doc, record, item, style, show_actions)
        tick(progress, n, total)

    # The signature block never stands alone on the last page: the end of the last minute comes with it.
    doc.keep_end_together(KEPT_WITH_SIGNATURE)
    closing = (
        f"The meeting ended at {style.time(record.close_time)}."
        if record.close_time
        else "The meeting ended."
    )
    doc.lead(closing, S.SIGNATURE)
    signature = doc.paragraph(
        "Chair: ______________________________        Date: ________________", S.SIGNATURE
    )
    signature.paragraph_format.keep_together = True
    label = f"{committee} minutes, {uk_date(record.date)}"
    if record.audience is Audience.CONFIDENTIAL:
        label = f"CONFIDENTIAL \u2013 {label}"
    doc.footer(label, first_page_number)
    warnings = doc.save(path, title, f"Minutes of the meeting of {uk_date(record.date)}", forbidden_texts)
    tick(progress, total, total)
    return warnings
