"""The minute's body: paragraphs, lettered paragraphs, numbered paragraphs and bullets on two levels, and the
resolution that closes it, with or without its keyword.

Letters and numbers are kept: lettered blocks lose their "(b)" (the renderer letters them again) but the label is
given back in `labels`; numbered paragraphs ("2.1 ...", "1) ...") keep their number in their text.
"""

from __future__ import annotations

import re

from paperprep import blocks as B
from paperprep.domain import ResolutionWording
from paperprep.imports.pasted_layout import is_furniture
from paperprep.imports.pasted_model import ParsedResolution

KEYWORD = re.compile(
    r"^\s*(?:(?P<label>\d{1,3}(?:\.\d{1,3})*\.?)\s+)?(?P<welsh>(?:PENDERFYNWYD|Penderfynwyd)\s*/\s*)?"
    r"(?P<kw>RESOLVED|AGREED|RECOMMENDED|NOTED|DECIDED|RESOLUTION|RESOLVE|PENDERFYNWYD"
    r"|(?:Resolved|Agreed|Recommended|Decided|Penderfynwyd)(?=\s*(?:[:\-\u2013\u2014(]|that\b|That\b|to\b|To\b|$)))\b"
    r"(?P<rest>.*)$"
)
_IT_WAS = re.compile(
    r"^\s*(?:It was|The (?:[A-Z][\w\-]*\s?){1,5}?|Members|Cabinet)\s+(?:then\s+|therefore\s+|unanimously\s+)?"
    r"(?P<kw>RESOLVED|AGREED|RECOMMENDED|resolved)\b\s*(?P<rest>(?:that|That|to|To|:|\u2013|-).*)$"
)
_SEPARATORS = " \t:-\u2013\u2014"
_PARTS = re.compile(r"\((\d{1,2})\)\s*")
_NUMBERED_PART = re.compile(r"^\s*(?:\(?(\d{1,2})[.)]|\((\d{1,2})\)|\(([a-z])\)|([a-z])\))\s+(.*)$")
_LETTER = re.compile(r"^\s*(?:\(([a-z]{1,2})\)|([a-z])[.)])\s+(.*)$")
_ROMAN = re.compile(r"^\s*\((i{1,3}|iv|v|vi{0,3}|ix|x)\)\s+(.*)$")
_ROMANS = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
_BULLET = re.compile(
    r"^(\s*)([\u00b7\u2022\u25cf\u25aa\u25e6\uf0b7\uf0a7\u2013\u2014*\-\u27a2\u2794\u00a7\u2023\u2043]|o(?=\s))\s*(.*)$"
)
_NUMBERED = re.compile(r"^\s*(\(\d{1,3}\)|\d{1,3}[.)]|\d{1,3}(?:\.\d{1,3})+\.?)\s+(\S.*)$")
_HEADING_WORDS = re.compile(
    r"^(positives|strengths|key strengths|areas needing focus|areas for improvement|areas for development|"
    r"areas for further development|areas of improvement|next steps|key findings|findings|recommendations|"
    r"background|cefndir|what is working well|what needs to improve|discussion|questions|key points|summary)\b",
    re.IGNORECASE,
)
_AFTERWORD = re.compile(
    r"^\s*(?:\(.*\)|The meeting (?:closed|ended|finished)\b.*|Chair(?:man)?:?\s*\.*|Signed\b.*)$"
)
_WORDINGS = {
    "RESOLVED": ResolutionWording.RESOLVED,
    "RESOLVE": ResolutionWording.RESOLVED,
    "RESOLUTION": ResolutionWording.RESOLVED,
    "PENDERFYNWYD": ResolutionWording.RESOLVED,
    "AGREED": ResolutionWording.AGREED,
    "RECOMMENDED": ResolutionWording.RECOMMENDED,
    "NOTED": ResolutionWording.NOTED,
}


def keyword_start(line: str) -> re.Match[str] | None:
    return KEYWORD.match(line) or _IT_WAS.match(line)


def is_heading(line: str) -> bool:
    stripped = line.strip()
    return bool(_HEADING_WORDS.match(stripped)) and len(stripped) < 60 and not stripped.endswith(".")


def _inline_parts(text: str) -> tuple[str, tuple[str, ...]]:
    """ "That (1) the report be noted; (2) ..." -> ("That", ("the report be noted;", ...))."""
    pieces = _PARTS.split(text)
    if len(pieces) < 3:
        return text.strip(), ()
    head = pieces[0].strip()
    return head, tuple(p.strip() for p in pieces[2::2] if p.strip())


def parse_resolution(
    lines: list[str], keyword: str = "", wording: ResolutionWording | None = None
) -> ParsedResolution:
    """The resolution from its lines: the first may start with the keyword; numbered or lettered parts follow, and
    bullets inside a part are that part's list."""
    first = lines[0] if lines else ""
    match = keyword_start(first) if not keyword else None
    if match is not None:
        keyword = match.group("kw")
        welsh = match.groupdict().get("welsh")
        rest = [match.group("rest").strip(_SEPARATORS)] + [line for line in lines[1:]]
    else:
        rest = list(lines)
    upper = keyword.upper()
    if match is not None and welsh:
        keyword = welsh + keyword  # "PENDERFYNWYD / RESOLVED", as written
    if wording is None:
        wording = _WORDINGS.get(upper, ResolutionWording.OTHER if keyword else ResolutionWording.RESOLVED)
    head: list[str] = []
    parts: list[str] = []
    items: list[list[str]] = []
    for raw in rest:
        line = raw.strip()
        if not line:
            continue
        numbered = _NUMBERED_PART.match(line)
        bullet = _BULLET.match(raw)
        if numbered:
            text = numbered.group(5).strip()
            parts.append(text)
            items.append([])
        elif bullet and bullet.group(3).strip():
            if parts:
                items[-1].append(bullet.group(3).strip())
            elif head and head[-1].rstrip().endswith((":", "-", "\u2013")):
                parts.append(bullet.group(3).strip())
                items.append([])
            else:
                head.append(bullet.group(3).strip())
        elif parts:
            if items[-1]:
                items[-1][-1] += " " + line
            else:
                parts[-1] += " " + line
        else:
            head.append(line)
    text, inline = _inline_parts(" ".join(head))
    all_parts = list(inline) + [
        part + (" " + "; ".join(found) if found else "") for part, found in zip(parts, items, strict=True)
    ]
    part_items = tuple(() for _ in inline) + tuple(tuple(found) for found in items)
    if not any(part_items):
        part_items = ()
    return ParsedResolution(wording, keyword, text, tuple(all_parts), part_items)


def _numbered_resolution_start(lines: list[str]) -> int | None:
    """ "1. That... 2. That... 3. The following points were raised: · ..." with no keyword before it: the line where
    such a run of numbered parts begins, when it runs to the end of the minute."""
    for n, line in enumerate(lines):
        match = _NUMBERED_PART.match(line)
        if not (match and (match.group(1) or match.group(2)) == "1"):
            continue
        if not re.match(r"^(?:That|that)\b", match.group(5).strip()):
            continue
        if all(
            _NUMBERED_PART.match(later) or _BULLET.match(later) or later.startswith((" ", "\t"))
            for later in lines[n + 1 :]
        ):
            return n
    return None


def body_blocks(
    lines: list[str], furniture: list[str]
) -> tuple[list[B.Block], list[str], ParsedResolution | None, list[str]]:
    """Blocks, their labels, the resolution found in the minute, and the words of a keyword resolution kept as
    written (for sources)."""
    kept = []
    for line in lines:
        if is_furniture(line):
            furniture.append(line.strip())
        else:
            kept.append(line)
    lines = kept
    blocks: list[B.Block] = []
    labels: list[str] = []
    resolution_lines: list[str] = []
    resolution_at = _numbered_resolution_start(lines)
    after: list[str] = []
    under_list = False
    list_indent: int | None = None
    previous_letter = ""
    for n, raw in enumerate(lines):
        line = raw.rstrip()
        stripped = line.strip()
        if resolution_lines:
            if _AFTERWORD.match(stripped) and not _NUMBERED_PART.match(stripped):
                after.append(stripped)
            else:
                resolution_lines.append(line)
            continue
        if n == resolution_at or keyword_start(line):
            resolution_lines.append(line)
            continue
        if is_heading(stripped):
            blocks.append(B.Block(B.BlockKind.PARAGRAPH, (B.Run(stripped, bold=True),)))
            labels.append("")
            under_list, list_indent = True, None
            continue
        roman = _ROMAN.match(line)
        if roman and not (previous_letter and ord(roman.group(1)[0]) == ord(previous_letter[-1]) + 1):
            blocks.append(B.bullet(roman.group(2).strip(), 1))
            labels.append(f"({roman.group(1)})")
            continue
        letter = _LETTER.match(line)
        if letter and letter.group(3).strip() and not (letter.group(2) == "o"):
            mark = letter.group(1) or letter.group(2)
            blocks.append(B.lettered(letter.group(3).strip()))
            labels.append(f"({mark})" if letter.group(1) else stripped[: len(mark) + 1])
            previous_letter = mark
            under_list, list_indent = stripped.endswith(":"), None
            continue
        bullet = _BULLET.match(line)
        if bullet and bullet.group(3).strip():
            indent = len(bullet.group(1).expandtabs(4))
            if list_indent is None:
                list_indent = indent
            second = bullet.group(2) in ("o", "\u25e6", "\u25aa", "\u00a7", "\uf0a7", "\u2043")
            level = 1 if second or indent >= list_indent + 3 else 0
            blocks.append(B.bullet(bullet.group(3).strip(), level))
            labels.append("")
            under_list = True
            continue
        numbered = _NUMBERED.match(line)
        if numbered:
            blocks.append(B.paragraph(stripped))
            labels.append(numbered.group(1))
            under_list, list_indent = stripped.endswith(":"), None
            continue
        if stripped.endswith(":"):
            blocks.append(B.paragraph(stripped))  # "...reviewed the following:" introduces a list
            labels.append("")
            under_list, list_indent = True, None
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        if under_list and indent >= 4:
            blocks.append(B.bullet(stripped))
            labels.append("")
            continue
        under_list, list_indent = False, None
        blocks.append(B.paragraph(stripped))
        labels.append("")
    resolution: ParsedResolution | None = None
    if resolution_lines:
        if resolution_at is not None and not keyword_start(resolution_lines[0]):
            resolution = parse_resolution(resolution_lines, keyword="", wording=ResolutionWording.RESOLVED)
        else:
            resolution = parse_resolution(resolution_lines)
    elif blocks and blocks[-1].kind is B.BlockKind.PARAGRAPH and re.match(r"^That\b", blocks[-1].text):
        # "That the report be noted." closing the minute: the resolution, its bold keyword lost in the copy.
        resolution = parse_resolution([blocks.pop().text], keyword="", wording=ResolutionWording.RESOLVED)
        labels.pop()
    for line in after:
        blocks.append(B.paragraph(line))
        labels.append("")
    return blocks, labels, resolution, resolution_lines
