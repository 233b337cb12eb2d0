"""Text that reads like a council's minutes, for the benchmark database.

Real minutes are full of names, places, acronyms and rare words, and a search for "Ashby Road" or "CAMHS" matches a
handful of items, not thousands. So the vocabulary is thousands of words with a Zipf distribution: a head of the
words every minute uses, then a long tail of real English words (from the en_GB dictionary the app ships for its
spell checker), with people's names, places and acronyms mixed in at realistic rates. Everything comes from one
seeded random generator, so a run is repeatable.
"""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import paperprep

HEAD = (
    "the of and to in that was a for be were on with by as it had this which members report would from at an "
    "not are been is would service council children young people officer committee should about their they also "
    "there more than all other further noted progress work support director update asked whether following "
    "including how number plan team staff being within could how year new data where schools families care "
    "review strategy funding budget placement placements social workers assessment assessments quality risk "
    "improvement partners partnership health education learning safeguarding practice performance cases local "
    "authority period quarter meeting response national figures residents community services housing contract "
    "provider providers capacity demand pressure savings cost costs consultation timescales outcomes priority "
    "recruitment retention agency vacancy vacancies caseloads supervision audit audits training inspection "
    "inspectors judgement framework evidence monitoring scrutiny governance policy decision recommendations "
    "proposals options approach position impact equality transport highways planning licensing waste libraries "
    "leisure parks climate carbon energy heating repairs tenants rents arrears homelessness accommodation "
    "assured reported confirmed explained responded clarified indicated acknowledged welcomed expressed concern "
    "agreed requested suggested highlighted emphasised recognised commented queried".split()
)

FIRST_NAMES = (
    "Aisha Alan Amanda Andrew Angela Anil Barbara Bernard Bridget Carol Catherine Chloe Christopher Colin Deborah "
    "Declan Denise Derek Eileen Emma Fatima Fiona Gareth Geraint Gillian Graham Hannah Harjit Helen Ian Imran "
    "Jacqueline James Janet Jason Joanne Kamal Karen Keith Kerry Kevin Laura Lesley Linda Lorraine Malcolm Margaret "
    "Martin Megan Michelle Mohammed Nadia Neil Nicola Owen Pamela Patrick Priya Rachel Rhys Richard Rosemary Ruth "
    "Sadia Samantha Sandra Sarah Sean Shirley Simon Siobhan Stephen Susan Tariq Teresa Thomas Tracey Vanessa "
    "Wendy Yasmin".split()
)
SURNAMES = (
    "Abbott Ahmed Akhtar Allsop Ashworth Bainbridge Barraclough Begum Bhatti Blackwood Bradshaw Brierley "
    "Butterworth Carruthers Chaudhry Clegg Cropper Dalby Dewhurst Entwistle Fairclough Farrow Fitzgerald Gorton "
    "Greenhalgh Grimshaw Haworth Heppenstall Hussain Ingham Jagger Kaur Kenyon Lockwood Lomax Mahmood Marsden "
    "McAllister Nuttall Oldroyd Ormerod Pickles Pilling Qureshi Ramsbottom Riaz Schofield Shackleton Singh "
    "Sutcliffe Tattersall Thistlethwaite Uttley Varley Wadsworth Whitehead Wolstenholme Yardley".split()
)
PLACES = (
    "Ashby Road|Barnsdale|Brackenfield|Church Street|Clayworth|Dunford Bridge|Eastmoor|Fairfield Park|"
    "Greenhill|Hallgate|Holmebank|Kirkby Lane|Langthorpe|Longridge|Market Place|Mill Lane|Northfield|"
    "Oakwood|Pendlebury|Queensway|Ravenscliffe|Saltley Green|Stainforth|Thornbury|Upperby|Wharfedale|"
    "Whinmoor|Woodhouse|Yeadon Moor|Station Road"
).split("|")
ACRONYMS = (
    "MASH SEND EHCP CAMHS ILACS LADO NEET DSG HRA ICB SENCO CIN CP CLA UASC PAMS SGO DoLS ASYE ESFA KPI MTFS "
    "RAG SLA JSNA ICS SEMH PRU DBS HMO".split()
)
JOB_TITLES = (
    "Director of Children's Services|Head of Safeguarding|Service Manager, Front Door|Head of Finance|"
    "Assistant Director, Education|Principal Social Worker|Head of Housing|Strategic Lead for SEND|"
    "Head of Commissioning|Virtual School Headteacher"
).split("|")


def _tail_words(limit: int, rng: random.Random) -> list[str]:
    """Real English words for the long tail, from the app's own en_GB dictionary (affix flags dropped)."""
    path = Path(paperprep.__file__).parent / "resources" / "dictionaries" / "en_GB.dic"
    words = []
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="ignore").splitlines()[1:]:
            word = line.split("/", 1)[0].strip()
            if re.fullmatch(r"[a-z]{4,14}", word):
                words.append(word)
    if len(words) < limit:  # no dictionary shipped: made-up but pronounceable words, still a long tail
        syllables = [a + b for a in "bcdfghklmnprstvw" for b in ("a", "e", "i", "o", "u", "ar", "en", "or")]
        while len(words) < limit:
            words.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    rng.shuffle(words)
    return words[:limit]


class TextGen:
    """Sentences, paragraphs and names drawn from a Zipf vocabulary. Deterministic for a seed."""

    def __init__(self, seed: int = 1, vocabulary: int = 6000) -> None:
        self.rng = random.Random(seed)
        words = list(dict.fromkeys(HEAD)) + _tail_words(vocabulary, self.rng)
        self.words = words[:vocabulary]
        weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(self.words))]
        self.cum = list(itertools.accumulate(weights))
        self.people = [f"{f} {s}" for f in FIRST_NAMES for s in SURNAMES]
        self.rng.shuffle(self.people)

    def person(self) -> str:
        return self.rng.choice(self.people[:400])

    def officer(self) -> tuple[str, str]:
        return self.rng.choice(self.people[400:520]), self.rng.choice(JOB_TITLES)

    def place(self) -> str:
        return self.rng.choice(PLACES)

    def words_(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=n)

    def sentence(self, low: int = 12, high: int = 28) -> str:
        words = self.words_(self.rng.randint(low, high))
        roll = self.rng.random()
        if roll < 0.25:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(ACRONYMS))
        if roll > 0.8:
            words.insert(self.rng.randrange(len(words)), self.place())
        if 0.4 < roll < 0.5:
            words.insert(self.rng.randrange(len(words)), f"{self.rng.randint(2, 98)}%")
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def paragraph(self, sentences: tuple[int, int] = (2, 5)) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))

    def asked(self) -> str:
        """The clerk's commonest shape: a member asked, an officer answered."""
        member = self.person().split()[-1]
        officer, title = self.officer()
        return (
            f"Councillor {member} asked {' '.join(self.words_(self.rng.randint(8, 16)))}. "
            f"The {title} ({officer}) explained that {' '.join(self.words_(self.rng.randint(12, 30)))}."
        )

    def title(self) -> str:
        text = " ".join(self.words_(self.rng.randint(3, 7)))
        if self.rng.random() < 0.3:
            text += f" at {self.place()}"
        return text[:1].upper() + text[1:]
