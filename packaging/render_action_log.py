"""Render the first page of a demo action log workbook to docs/images/action-log.png."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _render import ROOT, demo_database, first_page_png

from paperprep.domain import Audience
from paperprep.ops import exports as jobs


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(Path(tmp))
        book = Path(tmp) / "action-log.xlsx"
        jobs.export_action_log(db, book, status="all", audience=Audience.PUBLIC)
        db.close()
        first_page_png(book, ROOT / "docs" / "images" / "action-log.png", 80)
    return 0


if __name__ == "__main__":
    sys.exit(main())
