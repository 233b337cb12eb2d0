"""Inspection facts in pasted minute text: who inspected (and, for a joint inspection, which inspectorates), what
kind of visit, when, how many inspectors, the judgement (or that the visit gave none) and the previous one, the
statement of action's due date, strengths, areas for improvement, priority actions and next steps.

Facts are read in context, clause by clause: "since the last inspection in 2019, which judged the service
inadequate" is the previous judgement, not this one. Dates are read as written in minutes ("13/14th July 2022",
"23rd January to 3rd February 2017", "in May 2021", "in 2018"); a date known only to the month or the year is given
as the first day of it, with its precision ("day", "month" or "year") beside it. Each fact keeps the sentence it
came from in `sources`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from paperprep import blocks as B
from paperprep.domain import InspectionActivity, Inspectorate, Judgement
from paperprep.imports.pasted_text import MONTHS, first_date

_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_RANGE_SAME_MONTH = re.compile(
    rf"\b{_DAY}\s*(?:/|-|\u2013|to|and|&)\s*{_DAY}\s+{_MONTH}\s+(\d{{4}})", re.IGNORECASE
)
_RANGE_TWO_MONTHS = re.compile(
    rf"\b{_DAY}\s+{_MONTH}\s*(?:to|-|\u2013|until|and)\s*{_DAY}\s+{_MONTH}\s+(\d{{4}})", re.IGNORECASE
)
_SINGLE_DAY = re.compile(rf"\b{_DAY}\s+{_MONTH}\s+(\d{{4}})", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{4}})", re.IGNORECASE)
_MONTH_SPAN = re.compile(rf"\b{_MONTH}\s*(?:/|and|-|\u2013|to)\s*{_MONTH}\s+(\d{{4}})", re.IGNORECASE)
_YEAR = re.compile(r"\b(20[0-4]\d|19[89]\d)\b")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_INSPECTORS = re.compile(
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight)\s+(?:\w+\s+)?inspectors\b", re.IGNORECASE
)
_GRADE = r"(outstanding|good|requires? improvement(?: to be good)?|required improvement|inadequate)"
_Q = "[\u2018\u2019'\"\u201c\u201d]?"
_VERB = (
    r"(?:judged|rated|graded|assessed|found to be|judgement (?:of|was|is|as)|rating (?:of|was|is|as)|"
    r"(?:outcome|result|grade) (?:of the inspection )?(?:was|is)|overall effectiveness (?:was|is|as|remains?)|"
    r"remains?|remained|received (?:a|an) (?:overall )?(?:judgement|rating|grade) of|awarded|determined)"
)
_JUDGED = re.compile(
    rf"\b{_VERB}\s+(?:{_Q}{_GRADE}\b|[^.;]{{0,80}}?\b(?:as|to be|of|was|is|be|were|are|remains?|remained)\s+(?:one of\s+)?{_Q}{_GRADE}\b)"
    rf"|\b(?:service|services|council|authority|department)\s+(required|requires) improvement\b",
    re.IGNORECASE,
)
_PREVIOUS = re.compile(
    r"\b(?:previous|previously|last (?:full |standard |ilacs |ofsted )?inspect|last (?:judgement|judged)|earlier|"
    r"prior|since the|from the last|at the last|in the last|before that|single inspection framework|"
    r"\bSIF\b|was last)",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:working towards|aim(?:s|ing)? (?:to|for)|ambition|aspir\w+|target|next inspection|would be|will be|"
    r"could be|hope[sd]? to|expected to)\b",
    re.IGNORECASE,
)
_NOT_FIELDWORK = re.compile(
    r"\b(?:published|publication|letter dated|report dated|deadline|due|submitted|next|will take place|expected|"
    r"possible|anticipated|future|by the end of|statement of action|action plan|plan to be|written statement)\b",
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
        r"standard inspection|full inspection|inspection of (?:children's|children\u2019s|adult|local authority)|\bilacs\b",
        InspectionActivity.STANDARD_INSPECTION,
    ),
    (r"\bassessment\b|\bvisit\b", InspectionActivity.OTHER),
)
_INSPECTORATES = (
    (r"\bofsted\b", Inspectorate.OFSTED),
    (r"\bcqc\b|care quality commission", Inspectorate.CQC),
    (r"\bhmicfrs\b|hm inspectorate of constabulary", Inspectorate.HMICFRS),
    (r"hmi probation|probation inspectorate|hm inspectorate of probation", Inspectorate.HMI_PROBATION),
)
_JOINT = re.compile(
    r"joint targeted area inspection|\bjtai\b|\bjoint (?:area |local area )?(?:send )?inspection|"
    r"(?:local )?area send inspection|\bjointly\b",
    re.IGNORECASE,
)
_CATEGORIES = (
    (
        "strengths",
        re.compile(
            r"\b(?:strengths?|positives?|working well|going well|good practice|praised|commended|positive "
            r"findings|what is working)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "areas",
        re.compile(
            r"\b(?:areas? (?:for|of|needing|that need|requiring|to)|improve|improvements?|development|weakness(?:es)?|"
            r"needing focus|need(?:s|ed)? to|further work|recommendations?|concerns?)\b",
            re.IGNORECASE,
        ),
    ),
    ("priority", re.compile(r"\bpriority actions?\b", re.IGNORECASE)),
    (
        "next",
        re.compile(
            r"\bnext steps?\b|\bwill happen next\b|\bfollowing (?:actions|steps) will\b", re.IGNORECASE
        ),
    ),
)
_AREA_SENTENCE = re.compile(
    r"areas? (?:of|for) (?:further )?(?:improvement|development)[^.]*\.\s*(?:these|they) (?:are|were|include[ds]?)\s+"
    r"(?:the\s+following:?\s*)?([^.]+)\.",
    re.IGNORECASE,
)
_NO_PRIORITY = re.compile(
    r"\bno (?:areas? (?:for|of) )?priority actions?\b|\bdid not (?:identify|find|raise|make) any priority actions?\b|"
    r"\bno priority action areas?\b|\bpriority actions?: none\b",
    re.IGNORECASE,
)
_UNGRADED = re.compile(
    r"\b(?:no|not|without|did not (?:result in|give|receive|lead to)|does not (?:result in|give|receive|lead to)|"
    r"do not (?:result in|give|receive))\b[^.]{0,30}\b(?:graded judgements?|grades?|graded|judgements?|ratings?)\b"
    r"|\bungraded\b|\bnarrative letter\b|\bnot graded\b",
    re.IGNORECASE,
)
_ACTION_PLAN = re.compile(
    r"\b(?:written statement of action|statement of action|action plan|improvement plan|post-inspection plan)\b"
    r"(?P<rest>[^.]{0,160})",
    re.IGNORECASE,
)
_DUE = re.compile(
    r"\b(?:by|before|no later than|due(?: on| by| in)?|deadline(?: of| is| was)?|submitted on|within)\s+(?P<when>.+)$",
    re.IGNORECASE,
)
_THANKS = re.compile(r"\b(?:thank(?:s|ed|ing)?|congratulat\w*|gratitude|appreciation)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedStep:
    text: str
    due: dt.date | None
    due_precision: str = "day"  # "day", "month" or "year"; "" without a date


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
    inspectorates: tuple[
        Inspectorate, ...
    ] = ()  # every inspectorate named; for a joint inspection, its members
    fieldwork_start_precision: str = "day"  # "day", "month", "year"; "" without a date
    fieldwork_end_precision: str = "day"
    previous_date_precision: str = "day"
    graded: bool | None = (
        None  # False when the visit gives no graded judgement; None when the text does not say
    )
    action_plan_due: dt.date | None = None  # when the statement of action (or action plan) is due
    action_plan_due_precision: str = ""
    action_plan_due_text: str = ""  # as written: "by 17 October 2019", "within 70 working days"
    sources: dict[str, str] = field(default_factory=dict)  # fact name -> the sentence it was read from


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), MONTHS[month.lower()], int(day))
    except (ValueError, KeyError):
        return None


@dataclass(frozen=True)
class _Found:
    position: int
    start: dt.date
    end: dt.date | None
    precision: str
    text: str


def _dates_in(text: str, years: bool = False) -> list[_Found]:
    """Every date or date range in `text`, by position; a range wins over the single dates inside it."""
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        return all(match.end() <= a or match.start() >= b for a, b in taken)

    for match in _RANGE_TWO_MONTHS.finditer(text):
        d1, m1, d2, m2, year = match.groups()
        start, end = _date(d1, m1, year), _date(d2, m2, year)
        if start and end and end < start:  # "December to January": the start is in the year before
            start = _date(d1, m1, str(int(year) - 1))
        if start and end:
            found.append(_Found(match.start(), start, end, "day", match.group(0)))
            taken.append(match.span())
    for match in _RANGE_SAME_MONTH.finditer(text):
        d1, d2, month, year = match.groups()
        start, end = _date(d1, month, year), _date(d2, month, year)
        if start and end and start <= end and free(match):
            found.append(_Found(match.start(), start, end, "day", match.group(0)))
            taken.append(match.span())
    for match in _SINGLE_DAY.finditer(text):
        day = _date(*match.groups())
        if day and free(match):
            found.append(_Found(match.start(), day, day, "day", match.group(0)))
            taken.append(match.span())
    for match in _MONTH_SPAN.finditer(text):
        if free(match):
            month, _second, year = match.groups()
            found.append(
                _Found(
                    match.start(), dt.date(int(year), MONTHS[month.lower()], 1), None, "month", match.group(0)
                )
            )
            taken.append(match.span())
    for match in _MONTH_YEAR.finditer(text):
        if free(match):
            month, year = match.groups()
            found.append(
                _Found(
                    match.start(), dt.date(int(year), MONTHS[month.lower()], 1), None, "month", match.group(0)
                )
            )
            taken.append(match.span())
    if years:
        for match in _YEAR.finditer(text):
            if free(match) and not re.match(r"[/\-]\d", text[match.end() : match.end() + 2]):
                found.append(
                    _Found(match.start(), dt.date(int(match.group(1)), 1, 1), None, "year", match.group(0))
                )
    return sorted(found, key=lambda f: f.position)


def fieldwork(text: str) -> tuple[dt.date | None, dt.date | None, str]:
    """The first real date or date range in `text`, and its precision. "57 May 2021" is no date: there is no 57th."""
    dates = _dates_in(text)
    best = next((d for d in dates if d.precision == "day"), None) or (dates[0] if dates else None)
    if best is None:
        return None, None, ""
    return best.start, best.end, best.precision


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


_CLAUSE_BREAK = re.compile(
    r",\s+(?:which|when|where|that|who)?\s*|;\s*|\s+(?:which|when|where|but|whereas|and)\s+"
)


def _window(sentence: str, position: int) -> str:
    """The clause around `position`, with the clause before it when this one hangs on it ("..., which judged")."""
    bounds = [0]
    joins: list[bool] = [False]
    for match in _CLAUSE_BREAK.finditer(sentence):
        bounds.append(match.end())
        joins.append(bool(re.search(r"which|when|where|that|who", match.group(0))))
    bounds.append(len(sentence) + 1)
    for n in range(len(bounds) - 1):
        if bounds[n] <= position < bounds[n + 1]:
            start = bounds[n - 1] if joins[n] and n > 0 else bounds[n]
            return sentence[start : bounds[n + 1]]
    return sentence


def _grade(text: str) -> Judgement:
    grade = text.lower()
    if grade.startswith("requ"):
        return Judgement.REQUIRES_IMPROVEMENT
    return Judgement(grade)


def _lists(blocks: tuple[B.Block, ...] | list[B.Block]) -> dict[str, list[str]]:
    """Bullets gathered under the headings, or the phrases ending with a colon, that introduce them."""
    found: dict[str, list[str]] = {"strengths": [], "areas": [], "next": [], "priority": []}
    current = ""
    for block in blocks:
        text = block.text.strip()
        if block.kind is B.BlockKind.PARAGRAPH:
            heading = text.rstrip(":")
            is_heading = (len(heading) < 60 and not heading.endswith(".")) or text.endswith(":")
            if is_heading:
                positions = [
                    (m.start(), name) for name, pattern in _CATEGORIES for m in [pattern.search(heading)] if m
                ]
                if positions:
                    current = min(positions)[1]
                    continue
            if text:
                current = "" if not text.endswith(":") else current
            continue
        if current and block.kind is B.BlockKind.BULLET:
            found[current].append(text)
    return found


def _previous_date(window: str) -> tuple[dt.date | None, str, str]:
    dates = _dates_in(window, years=True)
    if not dates:
        return None, "", ""
    best = dates[0]
    return best.start, best.text, best.precision


def _action_plan(text: str) -> tuple[dt.date | None, str, str, str]:
    for sentence in _sentences(text):
        for match in _ACTION_PLAN.finditer(sentence):
            due = _DUE.search(match.group("rest"))
            if not due:
                continue
            when = due.group("when")
            found = first_date(when)
            written = due.group(0).strip().rstrip(".")
            if found is not None:
                end = when.find(found.text) + len(found.text)
                written = (due.group(0)[: due.group(0).find(when)] + when[:end]).strip()
                return found.date, found.precision, written, sentence
            days = re.match(r"(\d{1,3}|\w+)\s+(?:working\s+)?(?:days|weeks|months)\b", when)
            if days:
                return None, "", (due.group(0)[: due.group(0).find(when)] + days.group(0)).strip(), sentence
    return None, "", "", ""


def find_inspection(
    text: str, title: str, blocks: tuple[B.Block, ...] | list[B.Block]
) -> ParsedInspection | None:
    lowered = f"{title}\n{text}".lower()
    named = tuple(value for pattern, value in _INSPECTORATES if re.search(pattern, lowered))
    joint = _JOINT.search(lowered)
    if joint and (len(named) >= 2 or "targeted" in joint.group(0) or "jtai" in joint.group(0)):
        inspectorate = Inspectorate.JOINT
    elif named:
        inspectorate = named[0]
    else:
        return None
    sources: dict[str, str] = {}
    sentences = _sentences(text)

    def source(name: str, pattern: str) -> None:
        hit = next((s for s in sentences if re.search(pattern, s, re.IGNORECASE)), "")
        if hit:
            sources.setdefault(name, hit)

    source("inspectorate", r"joint|jtai|ofsted|cqc|care quality commission|hmicfrs|probation")
    # The activity named in the title wins; otherwise the first one the text mentions.
    activity: InspectionActivity | None = next(
        (
            value
            for pattern, value in _ACTIVITIES
            if value is not InspectionActivity.OTHER and re.search(pattern, title.lower())
        ),
        None,
    )
    if activity is None:
        positions = [
            (m.start(), n, value)
            for n, (pattern, value) in enumerate(_ACTIVITIES)
            for m in [re.search(pattern, lowered)]
            if m
        ]
        specific = [p for p in positions if p[2] is not InspectionActivity.OTHER]
        activity = min(specific or positions)[2] if positions else InspectionActivity.OTHER
    ungraded_activity = activity in (
        InspectionActivity.FOCUSED_VISIT,
        InspectionActivity.MONITORING_VISIT,
        InspectionActivity.ANNUAL_ENGAGEMENT,
        InspectionActivity.JTAI,
    )
    # Fieldwork: the first date of this visit, to the day if the text gives one anywhere.
    start = end = None
    precision = ""
    for sentence in sentences:
        if not re.search(
            r"visit|inspect|took place|fieldwork|on site|assessment|held", sentence, re.IGNORECASE
        ):
            continue
        for found in _dates_in(sentence, years=False):
            window = _window(sentence, found.position)
            if _PREVIOUS.search(window) or _NOT_FIELDWORK.search(window) or _THANKS.search(window):
                continue
            if found.precision == "day" and precision != "day" or not precision:
                start, end, precision = found.start, found.end, found.precision
                sources["fieldwork_start"] = sentence
            break
        if precision == "day":
            break
    if not precision:
        start, end, precision = fieldwork(title)
        if precision:
            sources["fieldwork_start"] = title
    current_judgement = Judgement.NOT_GRADED
    found_current = False
    previous: Judgement | None = None
    previous_date: dt.date | None = None
    previous_text = previous_precision = ""
    for sentence in sentences:
        for match in _JUDGED.finditer(sentence):
            grade_text = next(g for g in reversed(match.groups()) if g)
            judgement = _grade(grade_text)
            window = _window(sentence, match.start(match.lastindex or 0))
            lead = window[: max(0, window.find(match.group(0)))] if match.group(0) in window else ""
            if _FUTURE.search(window) or re.search(r"\b(?:no|not|none|never)\b", lead, re.IGNORECASE):
                continue  # "working towards a judgement of good", "no area was judged inadequate"
            window_dates = _dates_in(window, years=True)
            earlier = start is not None and any(d.start.year < start.year for d in window_dates)
            if _PREVIOUS.search(window) or earlier:
                if previous is None:
                    previous = judgement
                    sources["previous_judgement"] = sentence
                    date, written, date_precision = _previous_date(window)
                    if date is None:
                        date, written, date_precision = _previous_date(sentence)
                    if date is not None:
                        previous_date, previous_text, previous_precision = date, written, date_precision
                        sources["previous_date"] = sentence
            elif ungraded_activity:
                if activity is InspectionActivity.MONITORING_VISIT and previous is None:
                    previous = judgement  # the judgement still standing while monitoring visits go on
                    sources["previous_judgement"] = sentence
            elif not found_current:
                current_judgement, found_current = judgement, True
                sources["judgement"] = sentence
    if previous_date is None:
        # "the recommendations from the last inspection in 2018": a date for the previous inspection, no grade.
        for sentence in sentences:
            mention = re.search(
                r"\b(?:last|previous|prior|earlier|full)\s+(?:full\s+|standard\s+|ilacs\s+|ofsted\s+)?"
                r"(?:inspection|inspected)\b",
                sentence,
                re.IGNORECASE,
            )
            if mention:
                date, written, date_precision = _previous_date(sentence[mention.start() :])
                if date is not None and (start is None or date < start):
                    previous_date, previous_text, previous_precision = date, written, date_precision
                    sources["previous_date"] = sentence
                    break
    graded: bool | None = None
    ungraded_sentence = next((s for s in sentences if _UNGRADED.search(s)), "")
    if ungraded_activity or ungraded_sentence:
        graded = False
        current_judgement = (
            Judgement.NOT_GRADED if not found_current or ungraded_activity else current_judgement
        )
        if ungraded_sentence:
            sources["graded"] = ungraded_sentence
    if found_current and not ungraded_activity:
        graded = True
    inspectors = None
    counted = _INSPECTORS.search(text)
    if counted:
        word = counted.group(1).lower()
        inspectors = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        source("inspectors", re.escape(counted.group(0)))
    lists = _lists(blocks)
    areas = list(lists["areas"])
    if not areas:
        listed = _AREA_SENTENCE.search(" ".join(text.split()))
        if listed:
            areas = [a.strip(" ,") for a in re.split(r",\s*|\s+and\s+", listed.group(1)) if a.strip(" ,")]
            source("areas_for_improvement", r"areas? (?:of|for) (?:further )?(?:improvement|development)")
    no_priority = bool(_NO_PRIORITY.search(lowered))
    if no_priority:
        source("no_priority_actions", _NO_PRIORITY.pattern)
    steps = []
    for step in lists["next"]:
        if _THANKS.search(step):
            continue  # "The Director thanked everyone..." closes the list: it is no step
        when = first_date(step, numeric=False)
        steps.append(ParsedStep(step, when.date if when else None, when.precision if when else ""))
    due, due_precision, due_text, due_sentence = _action_plan(text)
    if due_sentence:
        sources["action_plan_due"] = due_sentence
    if activity is not InspectionActivity.OTHER:
        source("activity", [p for p, v in _ACTIVITIES if v is activity][0])
    return ParsedInspection(
        inspectorate=inspectorate,
        activity=activity,
        fieldwork_start=start,
        fieldwork_end=end,
        date_precision=precision if precision in ("day", "month") else ("month" if precision else ""),
        inspectors=inspectors,
        judgement=current_judgement,
        previous_judgement=previous,
        previous_date=previous_date,
        previous_date_text=previous_text,
        strengths=tuple(lists["strengths"]),
        areas_for_improvement=tuple(areas),
        no_priority_actions=no_priority,
        priority_actions=tuple(lists["priority"]),
        next_steps=tuple(steps),
        inspectorates=named,
        fieldwork_start_precision=precision,
        fieldwork_end_precision=precision if end is not None else "",
        previous_date_precision=previous_precision if previous_date is not None else "",
        graded=graded,
        action_plan_due=due,
        action_plan_due_precision=due_precision,
        action_plan_due_text=due_text,
        sources=sources,
    )
