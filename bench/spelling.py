"""Spell checking, measured: a 5,000-word minute checked by paperprep's engine against Hunspell's command line on the
same words, and the longest stall of the event loop while the clerk types into that minute in the editor.

    python bench/spelling.py [--quick]

The Hunspell figure needs the `hunspell` command (Debian and Ubuntu: `apt-get install hunspell`; it is for this
comparison only, the app does not use it). It is given the very dictionary the app ships, so both sides check the
same words against the same word list. Without it those figures are left out.

`measure(quick)` returns the figures as a dict, for the benchmark suite to include:

- `dictionary_load_s`: reading the en_GB dictionary (done once, on a worker thread, in the app)
- `check_cold_s`: checking every word of the minute with an empty look-up cache (the first time a minute is shown)
- `check_warm_s`: the same again with the cache filled (what re-checking costs afterwards)
- `hunspell_cli_s`, `hunspell_start_s`: `hunspell -l` on the minute, and on nothing (its start-up and load)
- `check_to_hunspell_ratio`: `check_cold_s` / (`hunspell_cli_s` - `hunspell_start_s`)
- `mistakes_found`, `mistakes_agreeing`: words paperprep marks, and how many of them Hunspell marks too
- `typing_stall_ms`, `typing_stall_off_ms`: the longest gap between event-loop turns while typing into the middle
  of the minute, with spell checking on and off
- `open_stall_ms`, `open_stall_off_ms`: the longest gap while the minute is put into the editor, checked and not
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from paperprep import spelling  # noqa: E402

SEED = 15
WORDS = 5000
PARAGRAPH_WORDS = 90
MISSPELT = ("recieve", "quaterly", "comittee", "seperate", "goverment", "occured", "accomodation", "untill")
SENTENCES = (
    "The Committee received a report from the Director of Children's Services on the quarterly performance figures.",
    "Members noted that the number of children subject to a child protection plan had risen since the last quarter.",
    "Cllr Pryer asked how supervision would be checked, and the Director explained that audits would sample cases.",
    "The Head of Service confirmed that agency staff would be replaced by permanent social workers by the spring.",
    "Officers undertook to circulate the figures for placements outside the county before the next meeting.",
    "The MASH had received more contacts than expected, and the SEND team was reviewing its timescales.",
    "It was noted that the ILACS inspection had judged the service to be good, with leadership outstanding.",
    "Members welcomed the programme of training and asked that the judgement of frontline practitioners be valued.",
    "The organisation of the short breaks service would be reviewed, with parents and carers consulted in June.",
    "See minute CSSC 57/2 and the report at https://democracy.example.gov.uk/ieListDocuments.aspx?MId=4521.",
    "Enquiries about the consultation should be sent to democratic.services@example.gov.uk by 31/03/2025.",
    "The colour coding of the risk register was explained, and the Committee agreed the revised tolerances.",
)


def minute_text(words: int = WORDS, seed: int = SEED) -> list[str]:
    """Paragraphs of about `words` words: minute sentences, a long tail of dictionary words, a few misspellings."""
    rng = random.Random(seed)
    tail = _dictionary_words(rng, 1500)
    paragraphs: list[str] = []
    current: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(SENTENCES).split()
        if rng.random() < 0.5:  # real minutes name things no template has: a tail of rarer words
            at = rng.randrange(len(sentence))
            sentence[at:at] = rng.sample(tail, 3)
        if rng.random() < 0.08:
            sentence[rng.randrange(len(sentence))] = rng.choice(MISSPELT)
        current += sentence
        count += len(sentence)
        if len(current) >= PARAGRAPH_WORDS:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _dictionary_words(rng: random.Random, count: int) -> list[str]:
    """Real words from the shipped en_GB word list (stems without their affix flags), lower case only."""
    lines = (spelling.DICTIONARIES / "en_GB.dic").read_text(encoding="utf-8").splitlines()[1:]
    stems = sorted(
        {line.split("/")[0] for line in lines if line[:1].islower() and line.split("/")[0].isalpha()}
    )
    return rng.sample(stems, count)


def _best(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _engine(paragraphs: list[str], repeat: int) -> dict[str, float]:
    start = time.perf_counter()
    loaded = spelling.load("en_GB")
    figures = {"dictionary_load_s": time.perf_counter() - start}

    def cold() -> None:
        checker = spelling.Checker(spelling.Lexicon("en_GB", loaded._dictionary))  # an empty cache each time
        for paragraph in paragraphs:
            checker.misspelt(paragraph)

    warm_checker = spelling.Checker(loaded)
    for paragraph in paragraphs:
        warm_checker.misspelt(paragraph)
    figures["check_cold_s"] = _best(cold, repeat)
    figures["check_warm_s"] = _best(lambda: [warm_checker.misspelt(p) for p in paragraphs], repeat)
    return figures


def _found(paragraphs: list[str]) -> set[str]:
    checker = spelling.Checker(spelling.load("en_GB"))
    return {p[s : s + n] for p in paragraphs for s, n in checker.misspelt(p)}


def _hunspell(paragraphs: list[str], repeat: int) -> dict[str, float]:
    command = shutil.which("hunspell")
    if command is None:
        print("hunspell is not installed (apt-get install hunspell): its figures are left out.")
        return {}
    dictionary = str(spelling.DICTIONARIES / "en_GB")
    text = "\n".join(paragraphs).encode("utf-8")

    def run(data: bytes) -> bytes:
        args = [command, "-i", "utf-8", "-d", dictionary, "-l"]
        return subprocess.run(args, input=data, capture_output=True, check=True).stdout

    whole = _best(lambda: run(text), repeat)
    start = _best(lambda: run(b""), repeat)
    theirs = set(run(text).decode("utf-8").split())
    ours = _found(paragraphs)
    return {
        "hunspell_cli_s": whole,
        "hunspell_start_s": start,
        "mistakes_found": float(len(ours)),
        "mistakes_agreeing": float(len(ours & theirs)),
    }


def _typing(paragraphs: list[str], quick: bool) -> dict[str, float]:
    """The longest gaps between turns of the event loop: putting the minute in the editor, and typing into it."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from paperprep import blocks as B
    from paperprep.db import open_database
    from paperprep.ui import settings
    from paperprep.ui.minutes_editor import MinutesEditor
    from paperprep.ui.spelling import SpellService, TextSpeller, attach
    from paperprep.ui.store import Store

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="paperprep-bench-"))
    config = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(folder)  # the on/off switch below is not the user's own
    db = open_database(folder / "bench.sqlite")
    store = Store(db)
    settings.set_spelling_enabled(True)
    service = SpellService.of(store)
    editor = MinutesEditor()
    editor.resize(900, 700)
    editor.show()
    speller = attach(editor, store)
    assert isinstance(speller, TextSpeller)
    blocks = tuple(B.Block(B.BlockKind.PARAGRAPH, (B.Run(p),)) for p in paragraphs)
    typed = "The Committee noted the recieved figures and agreed the recommendations. " * (1 if quick else 3)

    gaps: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(1)

    def tick() -> None:
        gaps.append(clock.restart() / 1000.0)

    ticker.timeout.connect(tick)

    def longest(work: Callable[[Callable[[], None]], None]) -> float:
        """Run `work(finish)` inside a measured event loop; the longest gap seen until `finish` is called, in ms."""
        loop = QEventLoop()
        gaps.clear()
        clock.start()
        ticker.start()
        work(loop.quit)
        loop.exec()
        ticker.stop()
        return max(gaps) * 1000.0 if gaps else 0.0

    def wait_until(done: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def open_minute(finish: Callable[[], None]) -> None:
        def put() -> None:
            editor.set_blocks(blocks)
            poll()

        def poll() -> None:
            if speller.busy:
                QTimer.singleShot(5, poll)
            else:
                QTimer.singleShot(50, finish)

        QTimer.singleShot(20, put)

    def type_into_middle(finish: Callable[[], None]) -> None:
        cursor = QTextCursor(editor.document().findBlockByNumber(editor.document().blockCount() // 2))
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        editor.setTextCursor(cursor)
        keys = iter(typed)

        def next_key() -> None:
            key = next(keys, None)
            if key is None:
                QTimer.singleShot(50, finish)
                return
            QTest.keyClicks(editor, key)
            QTimer.singleShot(15, next_key)  # a fast typist: about 65 keys a second

        QTimer.singleShot(20, next_key)

    service.start()  # at once, rather than a moment after a window would be shown
    wait_until(lambda: service.loaded)
    figures = {"open_stall_ms": longest(open_minute)}
    figures["typing_stall_ms"] = longest(type_into_middle)
    service.set_enabled(False)
    wait_until(lambda: not speller.busy)
    figures["open_stall_off_ms"] = longest(open_minute)
    figures["typing_stall_off_ms"] = longest(type_into_middle)
    service.set_enabled(True)
    editor.close()
    store.deleteLater()
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    if config is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = config
    return figures


def measure(quick: bool) -> dict[str, float]:
    """Every figure of this benchmark; `quick` shortens the minute and the repeats (to check that it works)."""
    paragraphs = minute_text(WORDS // 5 if quick else WORDS)
    repeat = 1 if quick else 5
    figures = _engine(paragraphs, repeat)
    figures |= _hunspell(paragraphs, repeat)
    if "hunspell_cli_s" in figures:
        work = max(figures["hunspell_cli_s"] - figures["hunspell_start_s"], 1e-6)
        figures["check_to_hunspell_ratio"] = figures["check_cold_s"] / work
    figures |= _typing(paragraphs, quick)
    return figures


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    quick = "--quick" in args
    words = sum(len(p.split()) for p in minute_text(WORDS // 5 if quick else WORDS))
    figures = measure(quick)
    print(f"Spell checking a minute of {words:,} words")
    for name, value in figures.items():
        print(f"  {name:28} {value:10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
