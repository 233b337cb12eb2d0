"""People in a pasted minute: who presented and in what role, whose report it was, the questions councillors
asked and who answered them, and who arrived or left during the item."""

from __future__ import annotations

import re

from paperprep import blocks as B
from paperprep.imports.pasted_model import ParsedMovement, ParsedQuestion

_TITLE = r"(?:(?:Cllr\.?|Councillor|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Professor|Prof\.?|Alderman|Deputy)\s+)"
_NAME = rf"(?:{_TITLE}?(?!The\b|A\b|An\b|Members?\b|Officers?\b|It\b|This\b)[A-Z][a-z'\u2019\-]+(?:\s+[A-Z][a-zA-Z'\u2019\-]+){{1,3}}|{_TITLE}[A-Z][a-zA-Z'\u2019\-]+)"
_VERBS = (
    r"(?:provided|presented|gave|introduced|will provide|will present|will give|outlined|reported|explained|"
    r"updated|delivered|took|spoke|summarised|highlighted|attended)"
)
_PRESENTER = (
    re.compile(rf"^(?P<name>{_NAME}),\s+(?:the\s+)?(?P<role>[^,.]{{3,90}}?),?\s+{_VERBS}\b"),
    re.compile(rf"^(?P<name>{_NAME})\s+\((?P<role>[^)]{{3,90}})\),?\s+{_VERBS}\b"),
    re.compile(
        rf"\b(?:presented|introduced|delivered|given) by (?P<name>{_NAME}),\s+(?:the\s+)?(?P<role>[^,.]{{3,90}})"
    ),
    re.compile(
        rf"\b(?:presented|introduced|delivered|given) by (?P<name>{_NAME})\s+\((?P<role>[^)]{{3,90}})\)"
    ),
    re.compile(
        r"\b(?:presented|introduced|delivered) by the (?P<role>(?:[A-Z][\w\u2019'&\-]*)(?:,?\s+(?:[A-Z][\w\u2019'&\-]*|of|and|for|the|&))*)"
    ),
    re.compile(
        r"^The (?P<role>(?:Cabinet Member|Portfolio Holder|Lead Member|(?:Interim |Assistant |Executive |Corporate |"
        r"Strategic |Deputy )?Director|Head|Chief [A-Z]\w+|Service Manager|Senior [A-Z]\w+|Principal [A-Z]\w+|"
        r"Leader)\b[^,.]{0,80}?)\s+" + _VERBS + r"\b"
    ),
    re.compile(rf"^(?P<name>{_NAME})\s+(?:presented|introduced)\s+the\s+(?:report|item|update|presentation)"),
)
REPORT_OF = re.compile(
    r"\b[Rr]eports?\s+(?:of|by|from)\s+(?:the\s+)?(?P<who>(?:[A-Z][\w\u2019'&\-]*)(?:\s+(?:[A-Z][\w\u2019'&\-]*|of|"
    r"and|for|the|&|in|-|\u2013))*)"
)


def presenter(texts: list[str]) -> tuple[str, str]:
    for text in texts:
        for pattern in _PRESENTER:
            match = pattern.search(text)
            if match:
                groups = match.groupdict()
                name = (groups.get("name") or "").strip()
                role = _trim(groups.get("role") or "")
                return name, role
    return "", ""


def _trim(text: str) -> str:
    words = text.strip(" ,.;:").split()
    while words and words[-1].lower() in ("of", "and", "for", "the", "&", "in", "-", "\u2013"):
        words.pop()
    return " ".join(words)


def report_of(text: str) -> str:
    match = REPORT_OF.search(text)
    return _trim(match.group("who")) if match else ""


# --- questions and answers -------------------------------------------------------------------------------------

_ASKER_WORDS = re.compile(
    r"\b(?:Cllr|Councillor|Councillors|Member|Members|member|members|Chair|Chairman|Vice-Chair|Co-opted|co-opted|"
    r"resident|Mr|Mrs|Ms|Dr|Alderman|Deputy|representative|Mayor|Leader)\b"
)
_ASK = re.compile(
    r"^(?:(?:Following|During|In)\s+[^,]{3,60},\s*)?(?P<who>[A-Z][^,;:]{1,60}?)\s+(?:also\s+|then\s+|further\s+)?"
    r"(?P<verb>asked|queried|enquired|questioned|sought clarification|sought assurance|wanted to know|"
    r"raised (?:a )?(?:question|query|concerns?)|requested clarification|challenged)\b"
)
_IN_RESPONSE = re.compile(
    r"^In (?:response|answer|reply) to (?:a |the |further |several )?(?:questions?|quer(?:y|ies)|points?|"
    r"concerns?)(?: (?:from|by) (?P<asker>[^,]{2,60}?))?(?: (?:about|on|regarding|concerning|as to|around) "
    r"(?P<topic>[^,]{3,200}?))?,\s*(?P<who>[^,]{2,80}?)\s+(?:explained|confirmed|said|stated|advised|reported|"
    r"informed|clarified|responded|replied|assured|noted|indicated|outlined|added|told)\b"
)
_ANSWER = re.compile(
    r"^(?P<who>[A-Z][^,;:]{1,80}?)\s+(?:(?:also|further|then)\s+)?(?:explained|confirmed|responded|replied|advised|"
    r"stated|said|informed|clarified|assured|reported|indicated|undertook|acknowledged|added|agreed to|"
    r"highlighted|noted|suggested)\b"
)
_ANSWER_IMPERSONAL = re.compile(
    r"^(?:It was (?:explained|confirmed|advised|clarified|stated|reported|noted)|"
    r"(?:Members|The (?:Committee|Board|Panel|Sub-Committee|Cabinet)) (?:noted|were (?:informed|advised|told|"
    r"assured))|In response\b)"
)


def sentences(text: str) -> list[str]:
    """Sentences, without the paragraph number a minute may start with ("27.2 Councillor...")."""
    found = [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[A-Z\u2018\"(])", text) if s.strip()]
    return [re.sub(r"^\(?\d{1,3}(?:\.\d{1,3})*[.)]?\s+(?=[A-Z(])", "", s) for s in found]


def _is_answer(sentence: str) -> tuple[bool, str]:
    if _ANSWER_IMPERSONAL.match(sentence):
        return True, ""
    match = _ANSWER.match(sentence)
    if match and not _ASK.match(sentence):
        who = match.group("who").strip()
        if len(who.split()) <= 10:
            return True, who
    return False, ""


def questions(blocks: list[B.Block] | tuple[B.Block, ...]) -> tuple[ParsedQuestion, ...]:
    said = [s for block in blocks for s in sentences(block.text)]
    found: list[ParsedQuestion] = []
    n = 0
    while n < len(said):
        sentence = said[n]
        response = _IN_RESPONSE.match(sentence)
        if response:
            found.append(
                ParsedQuestion(
                    (response.group("asker") or "").strip(),
                    (response.group("topic") or "").strip(),
                    response.group("who").strip(),
                    sentence,
                )
            )
            n += 1
            continue
        ask = _ASK.match(sentence)
        asked_by = ""
        if (
            ask
            and _ASKER_WORDS.search(ask.group("who"))
            or ask
            and re.match(rf"^{_NAME}$", ask.group("who").strip())
        ):
            assert ask is not None
            asked_by = ask.group("who").strip()
        elif not sentence.endswith("?"):
            n += 1
            continue
        answer, answered_by = "", ""
        if n + 1 < len(said):
            is_answer, who = _is_answer(said[n + 1])
            if is_answer:
                answer, answered_by = said[n + 1], who
                n += 1
        found.append(ParsedQuestion(asked_by, sentence, answered_by, answer))
        n += 1
    return tuple(found)


# --- arrivals and departures -----------------------------------------------------------------------------------

_MOVE = re.compile(
    rf"(?P<who>{_TITLE}[A-Z][\w\u2019'\-]+(?:\s+[A-Z][\w\u2019'\-]+){{0,2}}|Councillors\s+[A-Z][\w\u2019'\-]+"
    r"(?:(?:,\s*|\s+and\s+)[A-Z][\w\u2019'\-]+)*|[Tt]he (?:Chair|Chairman|Vice-Chair|Vice-Chairman|Mayor|Leader|"
    r"Deputy Leader|Cabinet Member[\w ]{0,40}?|Director[\w ]{0,40}?))\s+(?:had\s+|then\s+|temporarily\s+|briefly\s+|"
    r"subsequently\s+|also\s+)?(?P<verb>left|arrived|joined|returned to|rejoined|re-joined|withdrew from|withdrew|"
    r"entered|departed|exited|retired from)\b(?P<rest>(?:[^.;]|\.(?=\d)|(?<=\b[ap])\.(?=m))*)"
)
_TIME = re.compile(
    r"\b(?:at\s+)?(\d{1,2}[.:]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.))", re.I
)
_KINDS = {
    "left": "left",
    "withdrew from": "left",
    "withdrew": "left",
    "departed": "left",
    "exited": "left",
    "retired from": "left",
    "arrived": "arrived",
    "joined": "arrived",
    "entered": "arrived",
    "returned to": "returned",
    "rejoined": "returned",
    "re-joined": "returned",
}


def movements(blocks: list[B.Block] | tuple[B.Block, ...], extra: list[str]) -> tuple[ParsedMovement, ...]:
    found: list[ParsedMovement] = []
    texts = [s for block in blocks for s in sentences(block.text)] + extra
    for sentence in texts:
        for match in _MOVE.finditer(sentence):
            rest = match.group("rest")
            verb = match.group("verb")
            place = re.search(
                r"\b(?:meeting|room|chamber|item|debate|discussion|consideration)\b", rest, re.I
            )
            if not place and not _TIME.search(rest) and verb not in ("arrived",):
                continue
            time = _TIME.search(rest)
            found.append(
                ParsedMovement(
                    match.group("who").strip(),
                    _KINDS[verb],
                    time.group(1).strip() if time else "",
                    sentence.strip("() "),
                )
            )
    return tuple(found)
