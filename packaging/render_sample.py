"""Render the first page of sample public minutes (demo data) to docs/images/sample-minutes.png."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _render import ROOT, demo_database, first_page_png

from paperprep.domain import Audience
from paperprep.ops import exports as jobs
from paperprep.services.meetings import list_meetings


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(Path(tmp))
        with db.transaction() as s:
            meeting_id = next(
                m.id for m in list_meetings(s) if m.committee_code == "CLSC" and m.item_count > 9
            )
        docx = Path(tmp) / "sample-minutes.docx"
        jobs.export_minutes(db, meeting_id, docx, Audience.PUBLIC)
        db.close()
        first_page_png(docx, ROOT / "docs" / "images" / "sample-minutes.png", 70)
    return 0


if __name__ == "__main__":
    sys.exit(main())
