"""The minutes body as structure: blocks of runs, not HTML.

A minute is a sequence of blocks. A block is a narrative paragraph, a lettered sub-paragraph ((a), (b)... lettered
by whoever renders it, never typed) or a bullet at level 0 or 1. Its text is a sequence of runs with bold and
italic. The database, the interchange JSON, the editor and the Word exporter all speak this one format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from paperprep.errors import ValidationError


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    LETTERED = "lettered"
    BULLET = "bullet"


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.bold:
            data["bold"] = True
        if self.italic:
            data["italic"] = True
        return data


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    runs: tuple[Run, ...] = field(default_factory=tuple)
    level: int = 0  # bullets only: 0 or 1

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value, "runs": [run.to_json() for run in self.runs]}
        if self.kind is BlockKind.BULLET:
            data["level"] = self.level
        return data

    @classmethod
    def plain(cls, kind: BlockKind, text: str, level: int = 0) -> Block:
        return cls(kind, (Run(text),) if text else (), level)


def paragraph(text: str) -> Block:
    return Block.plain(BlockKind.PARAGRAPH, text)


def lettered(text: str) -> Block:
    return Block.plain(BlockKind.LETTERED, text)


def bullet(text: str, level: int = 0) -> Block:
    return Block.plain(BlockKind.BULLET, text, level)


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """Text that UTF-8 (and so the database) can hold: a lone surrogate becomes the replacement character."""
    return _SURROGATE.sub("\ufffd", text)


def _merge_runs(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Join neighbouring runs with the same formatting and drop empty ones, so equal text has one form."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if _SURROGATE.search(run.text):
            run = Run(storable(run.text), run.bold, run.italic)
        if merged and merged[-1].bold == run.bold and merged[-1].italic == run.italic:
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return tuple(merged)


def normalise(blocks: Iterable[Block]) -> tuple[Block, ...]:
    out = []
    for block in blocks:
        level = max(0, min(1, block.level)) if block.kind is BlockKind.BULLET else 0
        out.append(Block(block.kind, _merge_runs(block.runs), level))
    return tuple(out)


def blocks_from_json(data: Any) -> tuple[Block, ...]:
    """Read blocks from their JSON form, rejecting anything that is not that form."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ValidationError("The minutes body must be a list of blocks.")
    blocks = []
    for index, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            raise ValidationError(f"Block {index} of the minutes body is not an object.")
        try:
            kind = BlockKind(raw.get("kind", "paragraph"))
        except ValueError:
            raise ValidationError(
                f"Block {index} has an unknown kind {raw.get('kind')!r}; use paragraph, lettered or bullet."
            ) from None
        runs_raw = raw.get("runs")
        if runs_raw is None and "text" in raw:
            runs_raw = [{"text": raw["text"]}]
        if not isinstance(runs_raw, list):
            raise ValidationError(f"Block {index} of the minutes body has no list of runs.")
        runs = []
        for run in runs_raw:
            if not isinstance(run, dict) or not isinstance(run.get("text", ""), str):
                raise ValidationError(f"Block {index} has a run without text.")
            runs.append(Run(run.get("text", ""), bool(run.get("bold")), bool(run.get("italic"))))
        level = raw.get("level", 0)
        if not isinstance(level, int):
            raise ValidationError(f"Block {index} has a level that is not a whole number.")
        blocks.append(Block(kind, tuple(runs), level))
    return normalise(blocks)


def blocks_to_json(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [block.to_json() for block in normalise(blocks)]


def dumps(blocks: Sequence[Block]) -> str:
    return json.dumps(blocks_to_json(blocks), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> tuple[Block, ...]:
    if not text:
        return ()
    return blocks_from_json(json.loads(text))


def letter(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: the lettering of sub-paragraphs."""
    result = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        result = chr(ord("a") + rem) + result
    return result


def to_plain_text(blocks: Sequence[Block]) -> str:
    """A readable plain-text rendering: lettered paragraphs lettered, bullets marked. Used for search and copy."""
    lines: list[str] = []
    letter_index = 0
    for block in blocks:
        if block.kind is BlockKind.LETTERED:
            lines.append(f"({letter(letter_index)}) {block.text}")
            letter_index += 1
            continue
        if block.kind is BlockKind.BULLET:
            lines.append("  " * block.level + "\u2022 " + block.text)
        else:
            lines.append(block.text)
        if block.kind is BlockKind.PARAGRAPH:
            letter_index = 0
    return "\n".join(lines)


_LETTER_RE = re.compile(r"^\s*\(?([a-z]{1,2})\)\s+(.*)$")
_BULLET_RE = re.compile(r"^(\s*)(?:[\u2022\u00b7\u25cf\u25aa\u25e6\uf0b7*\-\u2013o])\s+(.*)$")


def from_plain_text(text: str) -> tuple[Block, ...]:
    """Turn pasted plain text into blocks, keeping lettering and bullets as structure.

    Each non-empty line is a block. "(a) ..." or "a) ..." becomes a lettered paragraph; a line that starts with a
    bullet character becomes a bullet, at level 1 when indented. Nothing typed is dropped: anything else is a
    paragraph.
    """
    blocks: list[Block] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        match = _LETTER_RE.match(line)
        if match:
            blocks.append(lettered(match.group(2).strip()))
            continue
        match = _BULLET_RE.match(line)
        if match:
            indent = len(match.group(1).expandtabs(4))
            blocks.append(bullet(match.group(2).strip(), 1 if indent >= 4 else 0))
            continue
        blocks.append(paragraph(line.strip()))
    return normalise(blocks)
