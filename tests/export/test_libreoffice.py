"""Real office software opens what paperprep writes: LibreOffice converts each kind of export to PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperprep.domain import Audience
from paperprep.ops import exports as jobs
from paperprep.services.meetings import list_meetings
from tests_support import first_page_ink, to_pdf


@pytest.mark.libreoffice
def test_word_exports_convert_to_pdf_with_a_first_page_that_is_not_blank(demo_db, tmp_path: Path) -> None:
    with demo_db.transaction() as s:
        meeting_id = next(m.id for m in list_meetings(s) if m.committee_code == "CLSC" and m.item_count > 9)
    files = []
    for kind, export in (("agenda", jobs.export_agenda), ("minutes", jobs.export_minutes)):
        for audience in Audience:
            out = tmp_path / f"{kind}-{audience.value}.docx"
            export(demo_db, meeting_id, out, audience)
            files.append(out)
    pdfs = to_pdf(files, tmp_path / "pdf", tmp_path / "profile")
    for pdf in pdfs:
        ink = first_page_ink(pdf, tmp_path)
        assert 0.01 < ink < 0.6, f"{pdf.name}: first page is {ink:.1%} ink"
