"""Every fixture in tests/fixtures/minutes/ is a minute written in the layout of one council's published pages (our
own invented text, copying structure only); beside it, a .json lists the facts that matter. Each fact is checked.

A fact's key is a path into the output of `paperprep parse` (docs/parse.md): "resolution.text",
"questions.0.asked_by", "inspection.sources.judgement"; "block_kinds" lists the blocks' kinds ("bullet:1" for a
second-level bullet) and "<list>.length" a list's length.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from paperprep.imports.pasted import parse_minutes_text, parsed_to_json

FIXTURES = Path(__file__).parents[1] / "fixtures" / "minutes"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def _value(data: Any, path: str) -> Any:
    if path == "block_kinds":
        return [b["kind"] + (f":{b['level']}" if b["kind"] == "bullet" else "") for b in data["blocks"]]
    here = data
    keys = path.split(".")
    for n, key in enumerate(keys):
        if key == "length" and n == len(keys) - 1 and isinstance(here, list):
            return len(here)
        if isinstance(here, list) and not key.isdigit():
            return [item[key] for item in here]  # "inspection.next_steps.due": the due date of every step
        here = here[int(key)] if isinstance(here, list) else here[key]
    return here


def test_enough_fixtures_from_enough_layouts() -> None:
    assert len(NAMES) >= 30
    assert all((FIXTURES / f"{name}.json").exists() for name in NAMES), "every fixture has its expected facts"
    described = [
        json.loads((FIXTURES / f"{n}.json").read_text(encoding="utf-8"))["layout_described"] for n in NAMES
    ]
    councils = {m.group(1) for text in described for m in [re.search(r"\(([^()]+) style\)", text)] if m}
    assert len(councils) >= 10, councils
    layouts = {
        parsed_to_json(parse_minutes_text((FIXTURES / f"{n}.txt").read_text("utf-8")))["layout"]
        for n in NAMES
    }
    assert len(layouts) >= 7, layouts


@pytest.mark.parametrize("name", NAMES)
def test_every_expected_fact(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))["expect"]
    data = parsed_to_json(parse_minutes_text((FIXTURES / f"{name}.txt").read_text(encoding="utf-8")))
    wrong = {
        path: {"expected": want, "found": _value(data, path)}
        for path, want in expected.items()
        if _value(data, path) != want
    }
    assert wrong == {}


@pytest.mark.parametrize("name", NAMES)
def test_no_word_of_a_fixture_is_lost(name: str) -> None:
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    dumped = json.dumps(parsed_to_json(parse_minutes_text(text)), ensure_ascii=False).casefold()
    furniture = {
        "pdf",
        "icon",
        "kb",
        "mb",
        "view",
        "full",
    }  # "pdf icon PDF 136 KB", "... view the full minutes text"
    lost = [w for w in re.findall(r"[^\W\d_]+", text.casefold()) if w not in dumped and w not in furniture]
    assert lost == []
