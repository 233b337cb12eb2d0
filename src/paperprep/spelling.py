"""Spell checking, Qt-free: the Hunspell dictionaries shipped in resources/, read by spylls (pure Python, so it
works offline and on Windows without any system package), and the council's own words on top.

A `Lexicon` is one loaded dictionary with a cache of every word looked up (typing re-checks a paragraph at each
key, so almost every look-up after the first is a dict hit). A `Checker` adds what the dictionary cannot know:
the names of the council's people and committees, the personal word list kept in the database, and the words
ignored for this session. It finds the misspelt spans of a run of text, leaving alone what is not a word to
check: numbers, minute references ("CSSC 57/2"), web addresses, e-mail addresses, acronyms such as MASH, ILACS
and SEND, and anything with a digit in it.
"""

from __future__ import annotations

import gc
import json
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperprep.errors import ValidationError

DICTIONARIES = Path(__file__).parent / "resources" / "dictionaries"
LANGUAGES: dict[str, str] = {"en_GB": "English (UK)", "en_US": "English (US)"}
DEFAULT_LANGUAGE = "en_GB"
ACRONYM_LETTERS = 6  # all-capital words up to this long are taken as acronyms (MASH, ILACS, SEND)
SUGGESTIONS = 5
# Words of council business that the general dictionaries lack, known in every council's database.
COUNCIL_WORDS = frozenset({"Cllr", "Cllrs"})
WORDS_KEY = "spelling_words"  # the settings row that holds the personal word list, a JSON list
SUGGESTION_SECONDS = 1.0  # suggestions in spylls can be slow: stop looking after this long

# What is never checked: web and e-mail addresses, and any run of word characters holding a digit (numbers,
# "57/2", "Q3", "2nd", dates).
_SKIP = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[\w'\u2019/.-]*\d[\w'\u2019/.-]*"
)
# A word: letters, with apostrophes inside ("children's", "don't"). Hyphenated words are checked part by part.
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def tokens(text: str) -> Iterator[tuple[int, str]]:
    """The words of `text` worth checking, with where each starts."""
    skipped = [m.span() for m in _SKIP.finditer(text)]
    index = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        while index < len(skipped) and skipped[index][1] <= start:
            index += 1
        if index < len(skipped) and skipped[index][0] < end:
            continue  # part of an address, a reference or a number
        word = match.group()
        if word.isupper() and len(word) <= ACRONYM_LETTERS:
            continue
        yield start, word


def name_words(names: Iterable[str]) -> set[str]:
    """Every word of people's and committees' names ("Janet Pryer" gives Janet and Pryer)."""
    return {word for name in names for _start, word in tokens(name)}


def _folded(word: str) -> str:
    return word.replace("\u2019", "'").casefold()


class Lexicon:
    """One Hunspell dictionary, loaded once, with a cache of the words looked up."""

    def __init__(self, language: str, dictionary: Any) -> None:
        self.language = language
        self._dictionary = dictionary
        self._cache: dict[str, bool] = {}

    def lookup(self, word: str) -> bool:
        found = self._cache.get(word)
        if found is None:
            found = bool(self._dictionary.lookup(word.replace("\u2019", "'")))
            self._cache[word] = found
        return found

    def suggest(self, word: str, limit: int = SUGGESTIONS, seconds: float = SUGGESTION_SECONDS) -> list[str]:
        """At most `limit` suggestions, best first, from what spylls finds within `seconds`."""
        found: list[str] = []
        deadline = time.monotonic() + seconds
        for suggestion in self._dictionary.suggest(word.replace("\u2019", "'")):
            if suggestion not in found:
                found.append(suggestion)
            if len(found) >= limit or time.monotonic() > deadline:
                break
        return found


def _read_dictionary(path: Path) -> Any:
    """Dictionary.from_files, closing the files it opens (spylls leaves them to the garbage collector)."""
    from spylls.hunspell import Dictionary, readers  # imported here: the app starts without them
    from spylls.hunspell.readers.file_reader import FileReader

    class ClosingReader(FileReader):  # type: ignore[misc]
        def __init__(self, name: str, encoding: str = "Windows-1252") -> None:
            self.opened: list[Any] = []
            super().__init__(name, encoding)

        def _open(self, name: str, encoding: str) -> Any:
            opened = super()._open(name, encoding)
            self.opened.append(opened)
            return opened

        def close(self) -> None:
            for opened in self.opened:
                opened.close()

    aff_reader = ClosingReader(f"{path}.aff")
    try:
        aff, context = readers.read_aff(aff_reader)
    finally:
        aff_reader.close()
    dic_reader = ClosingReader(f"{path}.dic", encoding=context.encoding)
    try:
        dic = readers.read_dic(dic_reader, aff=aff, context=context)
    finally:
        dic_reader.close()
    return Dictionary(aff, dic)


_lexicons: dict[str, Lexicon] = {}
_loading = threading.Lock()


def dictionary_path(language: str) -> Path:
    if language not in LANGUAGES:
        raise ValidationError(
            f"There is no dictionary for {language!r}: choose English (UK) or English (US) for spelling."
        )
    return DICTIONARIES / language


def load(language: str = DEFAULT_LANGUAGE) -> Lexicon:
    """The dictionary for `language`, read from resources/ on first use (about a second), then kept.

    Safe to call from a worker thread: two callers at once read the files once.
    """
    path = dictionary_path(language)
    with _loading:
        lexicon = _lexicons.get(language)
        if lexicon is None:
            if not path.with_suffix(".dic").is_file() or not path.with_suffix(".aff").is_file():
                raise ValidationError(
                    f"The {LANGUAGES[language]} dictionary is missing from this installation: "
                    "reinstall paperprep to check spelling."
                )
            lexicon = Lexicon(language, _read_dictionary(path))
            _lexicons[language] = lexicon
            # The dictionary's half a million objects live as long as the process: keep the cycle collector
            # from walking them again on every full collection (about a third of a second each, stalling the
            # window and any export under way). What is alive now is kept for good; that is bounded.
            gc.freeze()
        return lexicon


@dataclass
class Checker:
    """A dictionary and the council's words: what is misspelt in a run of text, and what to put instead."""

    lexicon: Lexicon
    council: set[str] = field(default_factory=set)  # names of people and committees, folded
    personal: set[str] = field(default_factory=set)  # the personal word list, folded
    ignored: set[str] = field(default_factory=set)  # "Ignore", for this session only, folded

    def set_council_words(self, names: Iterable[str]) -> None:
        self.council = {_folded(word) for word in name_words(names)}

    def set_personal_words(self, words: Iterable[str]) -> None:
        self.personal = {_folded(word) for word in words}

    def ignore(self, word: str) -> None:
        self.ignored.add(_folded(word))

    def is_correct(self, word: str) -> bool:
        if word in COUNCIL_WORDS or self.lexicon.lookup(word):
            return True
        folded = _folded(word)
        return folded in self.council or folded in self.personal or folded in self.ignored

    def misspelt(self, text: str) -> list[tuple[int, int]]:
        """(start, length) of each misspelt word in `text`."""
        return [(start, len(word)) for start, word in tokens(text) if not self.is_correct(word)]

    def suggest(self, word: str, limit: int = SUGGESTIONS) -> list[str]:
        return self.lexicon.suggest(word, limit)


def word_for_list(text: str) -> str:
    """A word as it goes into the personal word list: one word, trimmed, or a sentence saying what to do."""
    word = text.strip().replace("\u2019", "'")
    if not word or len(word) > 64 or any(ch.isspace() for ch in word):
        raise ValidationError("Add one word at a time to the dictionary (no spaces, at most 64 letters).")
    return word


def read_word_list(raw: str) -> tuple[str, ...]:
    """The personal word list from its stored JSON, sorted; a damaged value reads as empty rather than failing."""
    try:
        stored = json.loads(raw) if raw else []
    except ValueError:
        return ()
    if not isinstance(stored, list):
        return ()
    return tuple(sorted({w for w in stored if isinstance(w, str) and w}, key=str.casefold))


def write_word_list(words: Iterable[str]) -> str:
    return json.dumps(sorted(set(words), key=str.casefold), ensure_ascii=False)
