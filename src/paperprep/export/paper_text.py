"""The sentences the Word papers write from the records, in the council's house style: declarations, the approval
of minutes, the wording of standard items. Pure text, no python-docx, so each rule is easy to test on its own.
"""

from __future__ import annotations

from dataclasses import replace

from paperprep.blocks import Block
from paperprep.formats import uk_long_date
from paperprep.records import DeclarationRecord, ItemRecord, MeetingRecord
from paperprep.services.house_style import HouseStyle

# Report authors written as a post ("Director of Finance") read "Report of the Director of Finance".
_POSTS = (
    "director", "head", "chief", "assistant", "deputy", "executive", "corporate", "strategic", "interim",
    "service", "monitoring", "section", "leader", "cabinet", "portfolio", "democratic", "senior", "lead",
)  # fmt: skip


def outcome_text(declaration: DeclarationRecord) -> str:
    """What the member did, as recorded: "Left the room and took no part"; "" when not recorded."""
    outcome = getattr(declaration, "outcome", None)
    if outcome is None:
        return ""
    text = str(getattr(outcome, "label", outcome) or "").strip()
    return "" if text.lower() in ("", "none", "not recorded", "not_recorded") else text


def _article(words: str) -> str:
    return "an" if words[:1].lower() in "aeiou" else "a"


def declaration_sentence(declaration: DeclarationRecord, style: HouseStyle, at_item: bool = False) -> str:
    """ "Councillor Grace Okafor declared an other registrable interest (governor at a school named in the report)
    in item 71 and remained in the room." At the item itself the item is not named again."""
    kind = declaration.type.label.lower()
    text = f"{style.names(declaration.person.display_name)} declared {_article(kind)} {kind}"
    nature = " ".join(declaration.nature.split()).rstrip(".")
    if nature:
        text += f" ({nature[:1].lower()}{nature[1:]})"
    if declaration.item_ref and not at_item:
        text += f" in item {declaration.item_ref}"
    outcome = outcome_text(declaration)
    if outcome:
        text += f" and {outcome[:1].lower()}{outcome[1:].rstrip('.')}"
    return text + "."


def approval_line(record: MeetingRecord) -> str:
    """Approved minutes name the meeting that approved them; failing that, the date of approval."""
    approved_at = str(getattr(record, "approved_at", "") or "").strip().rstrip(".")
    if approved_at:
        return f"Approved as a correct record: {approved_at}."
    if record.approved_on is not None:
        return f"Approved as a correct record on {uk_long_date(record.approved_on)}."
    return "Approved as a correct record."


def item_declarations(record: MeetingRecord, item: ItemRecord) -> tuple[DeclarationRecord, ...]:
    """The declarations made about `item`: the item's own list when the records carry it, else matched by id or
    minute reference."""
    own = getattr(item, "declarations", None)
    if own is not None:
        return tuple(own)
    out = []
    for d in record.declarations:
        item_id = getattr(d, "item_id", None)
        if (item_id is not None and item_id == item.id) or (
            item_id is None and d.item_ref and d.item_ref == item.minute_ref
        ):
            out.append(d)
    return tuple(out)


def generated_blocks(item: ItemRecord, style: HouseStyle) -> tuple[Block, ...]:
    """The item's minute; text the records wrote from the data takes the council's title for councillors."""
    if not getattr(item, "generated", False):
        return item.blocks
    return tuple(
        replace(b, runs=tuple(replace(r, text=style.names(r.text)) for r in b.runs)) for b in item.blocks
    )


def report_of(author: str) -> str:
    """ "Report of the Director of Finance"; "Report of Sue Butcher"."""
    author = " ".join(author.split())
    first = author.split(" ", 1)[0].lower()
    return f"Report of the {author}" if first in _POSTS else f"Report of {author}"
