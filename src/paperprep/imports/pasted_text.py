"""Text helpers for pasted minutes: cleaning, lines copied out of Word or PDF, dates as councils write them, and
titles typed in capitals.

Nothing here drops a word: joining broken lines keeps every word, and title case only changes letter case.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

MONTH_NAMES = "january february march april may june july august september october november december".split()
MONTHS = {name: n for n, name in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({name[:3]: n for n, name in enumerate(MONTH_NAMES, start=1)})
MONTHS["sept"] = 9
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
WORDED_DATE = re.compile(
    rf"\b{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
MONTH_YEAR = re.compile(rf"\b{_MONTH}\.?,?\s+(?:of\s+)?(\d{{4}})\b", re.IGNORECASE)
YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n").replace("\u200b", "")
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs") else " " for ch in text)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    precision: str  # "day", "month" or "year"
    text: str  # as written


def first_date(text: str, numeric: bool = True) -> FoundDate | None:
    """The first date in `text`, to the day when it can be, else to the month, else to the year."""
    found: list[tuple[int, FoundDate]] = []
    for match in WORDED_DATE.finditer(text):
        day, month, year = match.groups()
        date = make_date(int(year), MONTHS[month.lower().rstrip(".")], int(day))
        if date:
            found.append((match.start(), FoundDate(date, "day", match.group(0))))
            break
    if numeric:
        for match in NUMERIC_DATE.finditer(text):
            day, month, year = match.groups()
            date = make_date(int(year), int(month), int(day))
            if date:
                found.append((match.start(), FoundDate(date, "day", match.group(0))))
                break
    if found:
        return min(found, key=lambda f: f[0])[1]
    return month_or_year(text)


def month_or_year(text: str) -> FoundDate | None:
    match = MONTH_YEAR.search(text)
    if match:
        month, year = match.groups()
        return FoundDate(dt.date(int(year), MONTHS[month.lower()], 1), "month", match.group(0))
    match = YEAR.search(text)
    if match:
        return FoundDate(dt.date(int(match.group(1)), 1, 1), "year", match.group(0))
    return None


# --- titles typed in capitals -------------------------------------------------------------------------------------

ACRONYMS = {
    "SEND",
    "SEN",
    "MASH",
    "MACH",
    "ILACS",
    "JTAI",
    "CQC",
    "HMICFRS",
    "HMIP",
    "HMI",
    "HMCI",
    "SIF",
    "LGA",
    "NHS",
    "ICB",
    "ICS",
    "DFE",
    "DHSC",
    "LAC",
    "CSE",
    "CCE",
    "YOT",
    "YJS",
    "UASC",
    "EHCP",
    "EHCPS",
    "CAMHS",
    "SACRE",
    "PCC",
    "HRA",
    "MTFS",
    "CIL",
    "S106",
    "LDP",
    "UK",
    "EU",
    "IT",
    "ICT",
    "HR",
    "CEO",
    "DCS",
    "DASS",
    "ASC",
    "CSC",
    "OSC",
    "RAG",
    "KPI",
    "KPIS",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "BCF",
    "PFI",
    "LEP",
    "CCTV",
    "GP",
    "GPS",
    "A&E",
    "DBS",
    "EHE",
    "NEET",
    "SEMH",
    "MASIB",
    "LSCB",
    "LSCP",
    "SAB",
    "DOLS",
    "LPS",
    "CIC",
    "HMO",
    "HMOS",
    "PSPO",
    "ASB",
    "MP",
    "MPS",
    "CYP",
    "LADO",
    "SLT",
    "VCS",
    "VCSE",
    "II",
    "III",
    "IV",
    "VI",
    "VII",
    "VIII",
    "IX",
    "XI",
    "XII",
}
MIXED_CASE = {"OFSTED": "Ofsted", "DFE": "DfE", "COVID": "Covid", "COVID-19": "Covid-19", "CAMHS": "CAMHS"}
SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "from",
    "in",
    "into",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "via",
    "per",
    "than",
    "upon",
}


def is_all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    words = [w for w in re.findall(r"[^\W\d_]+", text)]
    return len(letters) >= 6 and len(words) >= 2 and all(ch.isupper() for ch in letters)


def _word_case(word: str, first: bool) -> str:
    core = word.strip("()[]'\"\u2018\u2019\u201c\u201d,.:;!?")
    if not core:
        return word
    upper = core.upper()
    if upper in MIXED_CASE:
        replacement = MIXED_CASE[upper]
    elif upper in ACRONYMS or any(ch.isdigit() for ch in core):
        replacement = core
    elif core.lower() in SMALL_WORDS and not first:
        replacement = core.lower()
    else:
        parts = re.split(r"([\-/\u2013])", core)
        replacement = "".join(
            p
            if p in "-/\u2013"
            else (_word_case(p, True) if p.upper() in ACRONYMS else p[:1] + p[1:].lower())
            for p in parts
        )
        replacement = re.sub(r"(['\u2019])S\b", r"\1s", replacement)
    return word.replace(core, replacement, 1)


def title_case(text: str) -> str:
    """'MAY 2021 OFSTED VISIT FEEDBACK' -> 'May 2021 Ofsted Visit Feedback'; acronyms (SEND, MASH...) stay."""
    if not is_all_caps(text):
        return text
    words = text.split(" ")
    out: list[str] = []
    first = True
    for word in words:
        if not word:
            out.append(word)
            continue
        out.append(_word_case(word, first))
        first = word.endswith(":") or word in ("-", "\u2013", "\u2014")
    return " ".join(out)


# --- lines ---------------------------------------------------------------------------------------------------------

STRUCTURAL = re.compile(
    r"^\s*(?:[\u00b7\u2022\u25cf\u25aa\u25e6\uf0b7\uf0a7\u2013\u2014*\-\u27a2\u2794\u00a7]|o\s|\(?[a-z]{1,2}\)|[a-z][.)]\s|"
    r"\(?\d{1,2}(?:\.\d{1,2})*[.)]?\s|\((?:i{1,3}|iv|v|vi{0,3}|ix|x)\)|RESOLVED|AGREED|RECOMMENDED|NOTED|DECIDED)"
)
_ENDS_SENTENCE = re.compile(r"[.:;!?)\]\"\u201d\u2019]\s*$")


def lines_of(text: str) -> list[str]:
    """Non-blank lines with table bars removed from their ends, and sentences broken across lines (text copied out
    of a PDF or a narrow Word column) joined again."""
    raw = []
    for line in text.split("\n"):
        line = re.sub(r"\s*\|\s*$", "", line.rstrip())
        line = re.sub(r"^(\s*)\|\s*", r"\1", line)
        if line.strip():
            raw.append(line)
    out: list[str] = []
    for line in raw:
        if out and _continues(out[-1], line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _continues(previous: str, line: str) -> bool:
    prev, cur = previous.strip(), line.strip()
    if _indent(line) >= 4 or _indent(previous) >= 4 or STRUCTURAL.match(cur) or _ENDS_SENTENCE.search(prev):
        return False
    if re.match(r"^[^\s:]{1,40}(?:\s[^\s:]+){0,5}\s*:", cur):  # a label such as "Meeting:" or "Decision:"
        return False
    if is_all_caps(prev) and is_all_caps(cur) and len(prev) >= 30:
        return True  # a title in capitals broken across lines
    if is_all_caps(prev) or is_all_caps(cur):
        return False
    if cur[:1].islower() and len(prev) >= 30:
        return True
    return len(prev) >= 40 and bool(_FUNCTION_END.search(prev))


_FUNCTION_END = re.compile(
    r"\b(?:the|of|and|to|a|an|in|for|with|by|on|at|that|from|as|be|was|were|is|are|or|their|its|this|which|"
    r"Children\u2019s|Children's)$"
)
