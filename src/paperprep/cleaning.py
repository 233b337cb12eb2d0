"""What a clerk can paste is stored, cleaned one documented way, at the one boundary every change crosses.

Every operation's text is cleaned before it runs (paperprep.ops.base), so no path can store text that the
database, Word or Excel cannot hold:
- a lone surrogate (half of a character, left by a broken copy) becomes U+FFFD, the replacement character;
- a vertical tab or form feed (Word's line and page breaks) becomes a line break;
- any other control character (C0 except tab and line breaks, DEL, and C1) is dropped;
- everything else, including every language's letters and emoji, is kept as typed.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

T = TypeVar("T")

_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAKS = re.compile("[\x0b\x0c]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    if text.isprintable() or not (_SURROGATE.search(text) or _BREAKS.search(text) or _CONTROL.search(text)):
        return text
    return _CONTROL.sub("", _BREAKS.sub("\n", _SURROGATE.sub("\ufffd", text)))


def clean(value: T) -> T:
    """`value` with every string inside it cleaned: plain strings, tuples, lists, dicts and dataclasses."""
    return _clean(value)  # type: ignore[no-any-return]


def _clean(value: Any) -> Any:
    if type(value) is str:  # not enums, whose members are str too
        return clean_text(value)
    if isinstance(value, tuple):
        cleaned = tuple(_clean(v) for v in value)
        return value if cleaned == value else (type(value)(*cleaned) if hasattr(value, "_fields") else cleaned)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = _clean(old)
            if new is not old and new != old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
