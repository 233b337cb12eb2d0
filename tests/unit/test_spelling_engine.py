"""The spell-checking engine (British and American dictionaries, what is not checked, the council's words) and the
personal word list kept in the database through an operation."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperprep import spelling
from paperprep.db import open_database
from paperprep.domain import PersonKind
from paperprep.errors import ValidationError
from paperprep.ops import Kind, Workbench
from paperprep.ops.settings import AddToDictionary
from paperprep.queries.settings import known_words
from paperprep.services import committees as C


@pytest.fixture(scope="module")
def uk() -> spelling.Lexicon:
    return spelling.load("en_GB")


def _words(checker: spelling.Checker, text: str) -> list[str]:
    return [text[start : start + length] for start, length in checker.misspelt(text)]


def test_british_spelling_is_right_and_mistakes_are_found(uk: spelling.Lexicon) -> None:
    checker = spelling.Checker(uk)
    text = "Teh quaterly figures were recieved; the organisation's colour programme showed good judgement."
    assert _words(checker, text) == ["Teh", "quaterly", "recieved"]
    assert _words(checker, "The color of the organization") == ["color"]  # -ize is British too (Oxford)
    assert _words(checker, "The children\u2019s centre") == []  # a typographic apostrophe is an apostrophe


def test_american_dictionary_is_the_other_way_round() -> None:
    checker = spelling.Checker(spelling.load("en_US"))
    assert _words(checker, "The color of the organization, its colour and organisation") == [
        "colour",
        "organisation",
    ]


def test_what_is_not_a_word_to_check_is_left_alone(uk: spelling.Lexicon) -> None:
    checker = spelling.Checker(uk)
    text = (
        "See CSSC 57/2 and minute 12(b), the MASH, ILACS and SEND reports for Q3 2024 at "
        "https://example.org/papers/xyzzq and www.example.org/qwrtp, or write to qwrtp.smith@example.org "
        "by 31/03/2025 (the 2nd draft, ref AB12CD). ABCDEFGHIJ is too long for an acronym."
    )
    assert _words(checker, text) == ["ABCDEFGHIJ"]
    assert [w for _s, w in spelling.tokens("co-operation and well-being")] == [
        "co",
        "operation",
        "and",
        "well",
        "being",
    ]


def test_the_councils_words_personal_list_and_ignored_words(uk: spelling.Lexicon) -> None:
    checker = spelling.Checker(uk)
    text = "Cllr Pryer and Cllr Okafor visited Bramblecombe and Quillingford."
    assert _words(checker, text) == ["Pryer", "Okafor", "Bramblecombe", "Quillingford"]
    checker.set_council_words(["Janet Pryer", "Grace Okafor", "Children & Learning Scrutiny"])
    checker.set_personal_words(["bramblecombe"])
    assert _words(checker, text) == ["Quillingford"]
    checker.ignore("Quillingford")
    assert _words(checker, text) == []
    assert spelling.name_words(["Janet Pryer", "Children & Learning Scrutiny"]) == {
        "Janet",
        "Pryer",
        "Children",
        "Learning",
        "Scrutiny",
    }


def test_suggestions_are_few_and_best_first(uk: spelling.Lexicon) -> None:
    checker = spelling.Checker(uk)
    found = checker.suggest("recieve")
    assert found[0] == "receive"
    assert len(checker.suggest("organisaton", limit=2)) == 2
    assert "organisation" in checker.suggest("organisaton")


def test_lookups_are_cached(uk: spelling.Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    lexicon = spelling.Lexicon("en_GB", uk._dictionary)  # a fresh cache over the loaded dictionary
    original = uk._dictionary.lookup
    monkeypatch.setattr(uk._dictionary, "lookup", lambda word: calls.append(word) or original(word))
    checker = spelling.Checker(lexicon)
    checker.misspelt("the committee noted the report and the committee agreed")
    assert sorted(calls) == ["agreed", "and", "committee", "noted", "report", "the"]


def test_an_unknown_language_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValidationError, match="English \\(UK\\) or English \\(US\\)"):
        spelling.load("fr_FR")


def test_word_list_reads_damaged_values_as_empty() -> None:
    assert spelling.read_word_list("") == ()
    assert spelling.read_word_list("{not json") == ()
    assert spelling.read_word_list('{"a": 1}') == ()
    assert spelling.read_word_list('["zeta", "Alpha", 3, "", "zeta"]') == ("Alpha", "zeta")
    assert spelling.read_word_list(spelling.write_word_list(["Ofsted", "MASH"])) == ("MASH", "Ofsted")


def test_add_to_dictionary_is_kept_in_the_database(tmp_path: Path) -> None:
    path = tmp_path / "words.sqlite"
    db = open_database(path)
    with db.transaction() as s:
        committee = C.create_committee(s, "Children & Learning Scrutiny", "CLSC")
        C.add_member(s, committee, C.get_or_create_person(s, "Janet Pryer", PersonKind.COUNCILLOR))
    bench = Workbench(db)
    done = bench.run(AddToDictionary("Bramblecombe"))
    assert done.step.changes.touches(Kind.SETTINGS)
    bench.run(AddToDictionary("  Ofsted\u2019s "))
    bench.run(AddToDictionary("Bramblecombe"))  # twice is once
    with pytest.raises(ValidationError, match="one word at a time"):
        bench.run(AddToDictionary("two words"))
    with pytest.raises(ValidationError, match="one word at a time"):
        bench.run(AddToDictionary("   "))
    db.close()

    again = open_database(path)
    known = Workbench(again).read(known_words)
    again.close()
    assert known.personal == ("Bramblecombe", "Ofsted's")
    assert known.names == ("Children & Learning Scrutiny", "Janet Pryer")
