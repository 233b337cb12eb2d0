"""What the pasted-minutes reader finds: frozen records, JSON-ready through dataclasses.asdict.

Fields added after the first version all have defaults, so code that builds or reads the older records still works.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from paperprep import blocks as B
from paperprep.domain import ResolutionWording
from paperprep.imports.pasted_inspection import ParsedInspection


@dataclass(frozen=True)
class ParsedAttachment:
    name: str
    size_text: str  # "PDF 136 KB", as the page showed it
    size_bytes: int


@dataclass(frozen=True)
class ParsedResolution:
    wording: ResolutionWording
    keyword: str  # as written: RESOLVED, AGREED, Decision...; "" when the minute closed with "That..." alone
    text: str
    parts: tuple[str, ...]
    # The list each numbered part introduced ("3. The following points were raised:" then bullets), part by part;
    # the same items are also written into the part's text, after its colon.
    part_items: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ParsedQuestion:
    asked_by: str  # "Cllr Hughes", "Members", "A Member"; "" when the minute does not say
    question: str  # the sentence as minuted
    answered_by: str  # "Officers", "The Director"; "" when not said or not answered
    answer: str


@dataclass(frozen=True)
class ParsedMovement:
    who: str  # "Councillor Nicholas"
    movement: str  # "left", "arrived", "returned"
    time: str  # "7.45 pm" as written, or ""
    text: str  # the sentence


@dataclass(frozen=True)
class ParsedMinutes:
    title: str
    meeting_date: dt.date | None
    committee: str
    item_number: int | None
    purpose: str
    attachments: tuple[ParsedAttachment, ...]
    presenter_name: str
    presenter_role: str
    blocks: tuple[B.Block, ...]
    resolution: ParsedResolution | None
    truncated: bool
    inspection: ParsedInspection | None
    title_as_written: str = ""
    item_reference: str = ""  # the item's number as printed: "57", "35/20", "3a"
    report_of: str = ""  # "Director of Children's Services", from "Report of the Director of..."
    reasons: str = ""  # a decision notice's "Reasons:" / "Reasons for the decision:"
    alternative_options: str = ""
    decision_number: str = ""
    block_labels: tuple[str, ...] = ()  # per block, the letter or number it had: "(b)", "2.1", "1." or ""
    questions: tuple[ParsedQuestion, ...] = ()
    movements: tuple[ParsedMovement, ...] = ()
    layout: str = ""  # the kind of page recognised (see docs/parse.md)
    page_lines: tuple[str, ...] = ()  # heading lines read into the fields above, kept as written
    furniture: tuple[str, ...] = ()  # lines recognised as page furniture and left out of the minute
