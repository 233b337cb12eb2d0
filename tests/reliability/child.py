"""The crash harness's child: edits one database through the app's own road until it is killed.

Run as a script by tests/reliability/crash.py: `python child.py DB LOG PLAN.json ROUND`. It edits through the
window's store (ui/store.py, the Workbench and the operations of paperprep.ops) and the window's autosaver
(ui/autosave.py) on an offscreen QApplication, and after each edit it has been told is saved it appends a line to
LOG and fsyncs it. Three kinds of edit, each carrying a unique marker "[r<round>-<n>]":

- body    typed minutes: a paragraph added to an item's minute, saved by the autosaver (SaveMinutesText);
- purpose an item's purpose: a line added, run through the store as the agenda panel does (EditItem);
- item    a new agenda item whose title is the marker (AddItem), a structural edit.

Each field only grows, so every marker ever logged must be found in the database afterwards.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main(db_path: str, log_path: str, plan_path: str, round_: int) -> None:
    from PySide6.QtWidgets import QApplication

    from paperprep import blocks as B
    from paperprep.db import open_database
    from paperprep.ops.agenda import AddItem, EditItem
    from paperprep.ops.minutes import SaveMinutesText
    from paperprep.queries import meeting as Q
    from paperprep.ui.store import Store

    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    meeting: int = plan["meeting"]
    items: list[int] = plan["items"]
    app = QApplication.instance() or QApplication([])
    store = Store(open_database(db_path, daily_backup=False))
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def reported(kind: str, record: int, marker: str) -> None:
        os.write(log, f"{kind}\t{record}\t{marker}\n".encode())
        os.fsync(log)

    bodies = {i: store.read(Q.item_minute, i) for i in items}
    blocks = {i: m.blocks for i, m in bodies.items() if m is not None}
    versions = {i: m.version for i, m in bodies.items() if m is not None}
    purposes = {}
    for i in items:
        details = store.read(Q.item_details, i)
        assert details is not None
        purposes[i] = details.purpose
        versions[i] = details.version
    rng = random.Random(round_)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        marker = f"[r{round_}-{n}]"
        item = rng.choice(items)
        roll = rng.random()
        if roll < 0.6:  # typing in the minutes, through the autosaver
            new_blocks = (*blocks[item], B.paragraph(f"The committee discussed point {marker}."))

            def save(
                item: int = item, new_blocks: tuple[B.Block, ...] = new_blocks, marker: str = marker
            ) -> bool:
                done = store.run(
                    SaveMinutesText(item, new_blocks, versions[item]), source="crash", quiet=True, flush=False
                )
                if done is None:
                    return False
                blocks[item], versions[item] = new_blocks, done.result
                reported("body", item, marker)
                return True

            store.autosaver.schedule(f"body:{item}", save)
            if rng.random() < 0.5:  # sometimes two fields wait together, as when the clerk moves on quickly
                continue
            if not store.autosaver.flush():
                raise SystemExit(f"a save failed: {store.autosaver.reason}")
        elif roll < 0.9:  # a typed detail of an item, through the store
            store.autosaver.flush()  # as a panel's own save would have: its version is the one after the typing
            value = f"{purposes[item]}\n{marker}".strip()
            done = store.run(EditItem(item, "purpose", value, versions[item]), source="crash", quiet=True)
            if done is None:
                raise SystemExit("a purpose could not be saved")
            purposes[item], versions[item] = value, done.result
            reported("purpose", item, marker)
        else:  # a structural edit: it flushes the typing first, as in the window
            added = store.run(AddItem(meeting, f"Item {marker}"), source="crash", quiet=True)
            if added is None:
                raise SystemExit("an item could not be added")
            reported("item", meeting, marker)
        app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
