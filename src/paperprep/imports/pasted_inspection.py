"""Inspection facts in pasted minute text: who inspected, what kind of visit, when, how many inspectors, the
judgement and the previous one, strengths, areas for improvement, priority actions and next steps.

Dates are read as written in minutes: "13/14th July 2022", "23rd January to 3rd February 2017", "in May 2021".
A date known only to the month is given as the first of that month, with precision "month".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from paperprep import blocks as B
from paperprep.domain import InspectionActivity, Inspectorate, Judgement

MONTHS = {
    m.lower(): n
    for n, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_RANGE_SAME_MONTH = re.compile(
    rf"\b{_DAY}\s*(?:/|-|\u2013|to|and|&)\s*{_DAY}\s+{_MONTH}\s+(\d{{4}})", re.IGNORECASE
)
_RANGE_TWO_MONTHS = re.compile(
    rf"\b{_DAY}\s+{_MONTH}\s*(?:to|-|\u2013|until)\s*{_DAY}\s+{_MONTH}\s+(\d{{4}})", re.IGNORECASE
)
_SINGLE_DAY = re.compile(rf"\b{_DAY}\s+{_MONTH}\s+(\d{{4}})", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{4}})", re.IGNORECASE)
_MONTH_SPAN = re.compile(rf"\b{_MONTH}\s*/\s*{_MONTH}\s+(\d{{4}})", re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_INSPECTORS = re.compile(
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight)\s+(?:\w+\s+)?inspectors\b", re.IGNORECASE
)
_JUDGED = re.compile(
    r"\b(?:judged|rated|graded|found to be|judgement of|judgement was|overall effectiveness (?:was|is|as))\s+"
    r"(?:the service\s+|services\s+|it\s+)?(?:as\s+|to be\s+)?[\u2018\u2019'\"]?"
    r"(outstanding|good|requires improvement(?: to be good)?|inadequate)",
    re.IGNORECASE,
)
_ACTIVITIES = (
    (r"joint targeted area inspection|\bjtai\b", InspectionActivity.JTAI),
    (r"focused visit", InspectionActivity.FOCUSED_VISIT),
    (r"monitoring visit", InspectionActivity.MONITORING_VISIT),
    (r"annual engagement", InspectionActivity.ANNUAL_ENGAGEMENT),
    (r"short inspection", InspectionActivity.SHORT_INSPECTION),
    (r"re-?inspection", InspectionActivity.RE_INSPECTION),
    (r"\bpilot\b", InspectionActivity.PILOT),
    (
        r"standard inspection|full inspection|inspection of (?:children's|adult|local authority)",
        InspectionActivity.STANDARD_INSPECTION,
    ),
    (r"\bassessment\b", InspectionActivity.OTHER),
)
_INSPECTORATES = (
    (r"joint targeted area inspection|\bjtai\b", Inspectorate.JOINT),
    (r"\bofsted\b", Inspectorate.OFSTED),
    (r"\bcqc\b|care quality commission", Inspectorate.CQC),
    (r"\bhmicfrs\b", Inspectorate.HMICFRS),
    (r"hmi probation|probation inspectorate", Inspectorate.HMI_PROBATION),
)
_STRENGTH_HEADINGS = re.compile(r"^(positives|strengths|what is working well|key strengths)", re.IGNORECASE)
_AREA_HEADINGS = re.compile(
    r"^(areas? (?:needing|that need) focus|areas? for (?:further )?(?:improvement|development)|areas? of improvement|"
    r"what needs to improve|areas? to improve)",
    re.IGNORECASE,
)
_NEXT_HEADINGS = re.compile(r"^next steps", re.IGNORECASE)
_AREA_SENTENCE = re.compile(
    r"areas? (?:of|for) (?:further )?(?:improvement|development)[^.]*\.\s*(?:these|they) (?:are|were|include[ds]?)\s+"
    r"(?:the\s+following:?\s*)?([^.]+)\.",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedStep:
    text: str
    due: dt.date | None


@dataclass(frozen=True)
class ParsedInspection:
    inspectorate: Inspectorate
    activity: InspectionActivity
    fieldwork_start: dt.date | None
    fieldwork_end: dt.date | None
    date_precision: str  # "day", "month" or "" when no date was found
    inspectors: int | None
    judgement: Judgement
    previous_judgement: Judgement | None
    previous_date: dt.date | None
    previous_date_text: str
    strengths: tuple[str, ...]
    areas_for_improvement: tuple[str, ...]
    no_priority_actions: bool
    priority_actions: tuple[str, ...]
    next_steps: tuple[ParsedStep, ...]


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), MONTHS[month.lower()], int(day))
    except (ValueError, KeyError):
        return None


def fieldwork(text: str) -> tuple[dt.date | None, dt.date | None, str]:
    """The first real date or date range in `text`, and its precision. "57 May 2021" is no date: there is no 57th."""
    for match in _RANGE_TWO_MONTHS.finditer(text):
        d1, m1, d2, m2, year = match.groups()
        start, end = _date(d1, m1, year), _date(d2, m2, year)
        if start and end and end < start:  # "December to January": the start is in the year before
            start = _date(d1, m1, str(int(year) - 1))
        if start and end:
            return start, end, "day"
    for match in _RANGE_SAME_MONTH.finditer(text):
        d1, d2, month, year = match.groups()
        start, end = _date(d1, month, year), _date(d2, month, year)
        if start and end and start <= end:
            return start, end, "day"
    for match in _SINGLE_DAY.finditer(text):
        day = _date(*match.groups())
        if day:
            return day, day, "day"
    month_year = _MONTH_YEAR.search(text)
    if month_year:
        month, year = month_year.groups()
        return dt.date(int(year), MONTHS[month.lower()], 1), None, "month"
    return None, None, ""


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _month_date(text: str) -> tuple[dt.date | None, str]:
    match = _MONTH_SPAN.search(text)
    if match:
        month, _second, year = match.groups()
        return dt.date(int(year), MONTHS[month.lower()], 1), match.group(0)
    match = _MONTH_YEAR.search(text)
    if match:
        month, year = match.groups()
        return dt.date(int(year), MONTHS[month.lower()], 1), match.group(0)
    return None, ""


def _lists(blocks: tuple[B.Block, ...] | list[B.Block]) -> dict[str, list[str]]:
    """Bullets gathered under the headings they follow."""
    found: dict[str, list[str]] = {"strengths": [], "areas": [], "next": []}
    current = ""
    for block in blocks:
        text = block.text.strip()
        if block.kind is B.BlockKind.PARAGRAPH:
            heading = text.rstrip(":")
            if _STRENGTH_HEADINGS.match(heading) and len(heading) < 60:
                current = "strengths"
            elif _AREA_HEADINGS.match(heading) and len(heading) < 60:
                current = "areas"
            elif _NEXT_HEADINGS.match(heading):
                current = "next"
            elif len(text) > 0:
                current = "" if not text.endswith(":") else current
            continue
        if current and block.kind is B.BlockKind.BULLET:
            found[current].append(text)
    return found


def find_inspection(
    text: str, title: str, blocks: tuple[B.Block, ...] | list[B.Block]
) -> ParsedInspection | None:
    lowered = f"{title}\n{text}".lower()
    inspectorate = next((value for pattern, value in _INSPECTORATES if re.search(pattern, lowered)), None)
    if inspectorate is None:
        return None
    # The activity named in the title wins; otherwise the first one the text mentions.
    activity = next((value for pattern, value in _ACTIVITIES if re.search(pattern, title.lower())), None)
    if activity is None:
        positions = [
            (m.start(), value) for pattern, value in _ACTIVITIES for m in [re.search(pattern, lowered)] if m
        ]
        activity = min(positions, key=lambda p: p[0])[1] if positions else InspectionActivity.OTHER
    current_judgement = Judgement.NOT_GRADED
    previous: Judgement | None = None
    previous_date: dt.date | None = None
    previous_text = ""
    start = end = None
    precision = ""
    for sentence in _sentences(text):
        match = _JUDGED.search(sentence)
        lowered_sentence = sentence.lower()
        is_previous = any(
            w in lowered_sentence
            for w in ("since", "previous", "last inspection", "was judged in", "from the last")
        )
        if match:
            grade = match.group(1).lower()
            judgement = Judgement.REQUIRES_IMPROVEMENT if grade.startswith("requires") else Judgement(grade)
            if is_previous:
                previous = previous or judgement
                previous_date, previous_text = _month_date(sentence)
            elif activity not in (InspectionActivity.FOCUSED_VISIT, InspectionActivity.MONITORING_VISIT):
                current_judgement = judgement
        if (
            precision != "day"
            and not is_previous
            and re.search(r"visit|inspection|took place|fieldwork|on site|assessment", lowered_sentence)
        ):
            s, e, p = fieldwork(sentence)
            # A date to the day beats one to the month: "held in July 2022" then "on 13/14th July 2022".
            if p == "day" or (p and not precision):
                start, end, precision = s, e, p
    if not precision:
        start, end, precision = fieldwork(title)
    inspectors = None
    match = _INSPECTORS.search(text)
    if match:
        word = match.group(1).lower()
        inspectors = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    lists = _lists(blocks)
    areas = list(lists["areas"])
    if not areas:
        match = _AREA_SENTENCE.search(" ".join(text.split()))
        if match:
            areas = [a.strip(" ,") for a in re.split(r",\s*|\s+and\s+", match.group(1)) if a.strip(" ,")]
    no_priority = bool(re.search(r"\bno priority actions?\b", lowered))
    steps = tuple(ParsedStep(s, _month_date(s)[0]) for s in lists["next"])
    return ParsedInspection(
        inspectorate=inspectorate,
        activity=activity,
        fieldwork_start=start,
        fieldwork_end=end,
        date_precision=precision,
        inspectors=inspectors,
        judgement=current_judgement,
        previous_judgement=previous,
        previous_date=previous_date,
        previous_date_text=previous_text,
        strengths=tuple(lists["strengths"]),
        areas_for_improvement=tuple(areas),
        no_priority_actions=no_priority,
        priority_actions=(),
        next_steps=steps,
    )
