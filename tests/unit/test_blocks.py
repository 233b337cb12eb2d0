"""The structured minutes body: JSON round trip and pasted plain text that keeps its structure."""

import re

from hypothesis import given
from hypothesis import strategies as st

from paperprep import blocks as B

runs = st.builds(B.Run, st.text(max_size=30), st.booleans(), st.booleans())
block = st.builds(
    B.Block, st.sampled_from(list(B.BlockKind)), st.lists(runs, max_size=4).map(tuple), st.integers(0, 1)
)


@given(st.lists(block, max_size=12))
def test_json_round_trip(blocks) -> None:
    normal = B.normalise(blocks)
    assert B.loads(B.dumps(normal)) == normal
    assert B.blocks_from_json(B.blocks_to_json(blocks)) == normal


def test_pasted_text_keeps_lettering_and_bullets() -> None:
    text = "Members were informed that:\n(a) one\nb) two\n\u00b7 first bullet\n    - second level\n\uf0b7 third\nEnd."
    blocks = B.from_plain_text(text)
    assert [(b.kind.value, b.level, b.text) for b in blocks] == [
        ("paragraph", 0, "Members were informed that:"),
        ("lettered", 0, "one"),
        ("lettered", 0, "two"),
        ("bullet", 0, "first bullet"),
        ("bullet", 1, "second level"),
        ("bullet", 0, "third"),
        ("paragraph", 0, "End."),
    ]


def test_plain_text_letters_restart_after_a_paragraph() -> None:
    blocks = (B.lettered("x"), B.lettered("y"), B.paragraph("p"), B.lettered("z"))
    assert B.to_plain_text(blocks).splitlines() == ["(a) x", "(b) y", "p", "(a) z"]


@given(st.text(max_size=400))
def test_pasting_never_loses_a_word(text) -> None:
    words = re.findall(r"\w+", text)
    out = " ".join(b.text for b in B.from_plain_text(text))
    found = re.findall(r"\w+", out)
    # Only the lettering marks "(a)" and bullet marks may go: they become structure.
    assert len(found) >= len(words) - text.count(")") - text.count("o ")
    for word in words:
        if len(word) > 2:
            assert word in out
