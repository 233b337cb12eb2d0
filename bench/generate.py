"""Ten years of a council's meetings for the benchmark suite: about 20,000 items and 50,000 actions.

Rows go in through SQLAlchemy Core in bulk (the services would take minutes for this much), but the shape is what
the services make: contiguous positions, minute numbers by the committee's scheme, JSON minutes bodies, and the
search index filled by the same triggers the app uses.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from sqlalchemy import insert

from paperprep import blocks as B
from paperprep.db import open_database
from paperprep.db.models import Action, ActionUpdate, AgendaItem, Committee, Meeting, Resolution
from paperprep.domain import ActionStatus, ItemKind, MeetingStatus, NumberingScheme, Rag, ResolutionWording

WORDS = (
    "members were informed that the service had improved assessments supervision placement stability front door "
    "early help budget savings consultation report progress children families schools partnership quality"
).split()


def _sentence(rng: random.Random, n: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(path: Path, years: int = 10, committees: int = 8, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    db = open_database(path, daily_backup=False)
    counts = {"meetings": 0, "items": 0, "actions": 0}
    start = dt.date(2016, 5, 1)
    with db.transaction() as s:
        conn = s.connection()
        for c in range(committees):
            committee_id = conn.execute(
                insert(Committee).values(
                    name=f"Committee {c}",
                    code=f"C{c}",
                    kind="other",
                    numbering=NumberingScheme.CONTINUOUS.value,
                    year_start_month=5,
                    default_venue="Town Hall",
                    contact_officer="",
                    archived=False,
                )
            ).inserted_primary_key[0]
            for y in range(years):
                number = 1
                for m in range(10):  # about ten meetings a year
                    day = start + dt.timedelta(days=365 * y + 36 * m + c)
                    meeting_id = conn.execute(
                        insert(Meeting).values(
                            committee_id=committee_id,
                            date=day,
                            venue="Town Hall",
                            contact_officer="",
                            status=MeetingStatus.MINUTES_APPROVED.value,
                            updated_at=dt.datetime(2020, 1, 1),
                        )
                    ).inserted_primary_key[0]
                    counts["meetings"] += 1
                    for position in range(25):
                        if counts["items"] >= 20_000:
                            break
                        body = [
                            B.paragraph(_sentence(rng)),
                            B.lettered(_sentence(rng, 10)),
                            B.bullet(_sentence(rng, 8)),
                        ]
                        item_id = conn.execute(
                            insert(AgendaItem).values(
                                meeting_id=meeting_id,
                                position=position,
                                minute_number=number,
                                title=f"Report {number}: " + _sentence(rng, 5),
                                kind=ItemKind.REPORT.value,
                                purpose=_sentence(rng, 12),
                                report_of="",
                                presenter_name="",
                                presenter_role="",
                                is_exempt=False,
                                exempt_paragraphs="",
                                public_title="",
                                minutes_body=B.dumps(body),
                                minutes_text=B.to_plain_text(body),
                                updated_at=dt.datetime(2020, 1, 1),
                            )
                        ).inserted_primary_key[0]
                        number += 1
                        counts["items"] += 1
                        res_id = conn.execute(
                            insert(Resolution).values(
                                item_id=item_id,
                                position=0,
                                wording=ResolutionWording.RESOLVED.value,
                                keyword="",
                                text="to note the report",
                                parts="[]",
                            )
                        ).inserted_primary_key[0]
                        for n in range(1, 4 if counts["actions"] < 50_000 else 1):
                            status = rng.choice(list(ActionStatus)).value
                            action_id = conn.execute(
                                insert(Action).values(
                                    item_id=item_id,
                                    resolution_id=res_id,
                                    number=n,
                                    text=_sentence(rng, 9),
                                    owner=f"Officer {rng.randrange(40)}",
                                    due_date=day + dt.timedelta(days=30 * n),
                                    status=status,
                                    rag=rng.choice(list(Rag)).value,
                                    notes="",
                                    source_finding="",
                                    created_at=dt.datetime(2020, 1, 1),
                                    updated_at=dt.datetime(2020, 1, 1),
                                )
                            ).inserted_primary_key[0]
                            counts["actions"] += 1
                            conn.execute(
                                insert(ActionUpdate).values(action_id=action_id, date=day, text="Under way.")
                            )
    db.close()
    return counts


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench.sqlite")
    print(generate(target))
