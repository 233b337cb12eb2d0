"""Building a Word document in the council's template: styles with fallbacks, real lists, tables, footer, saving.

python-docx is imported here, when an export runs, never when paperprep starts.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from paperprep.blocks import Block, BlockKind
from paperprep.errors import ExportCancelled, ExportError
from paperprep.export import docx_styles as S
from paperprep.export.safety import check_no_leak, clean_xml_text, safe_write
from paperprep.formats import exempt_notice, uk_date, uk_long_date  # noqa: F401 - used by the papers

Progress = Callable[[int, int], bool]


def default_template() -> Path:
    return Path(str(resources.files("paperprep") / "resources" / "template.docx"))


class DocBuilder:
    """One document being written. Collects warnings (missing styles) for the clerk."""

    def __init__(self, template: str | os.PathLike[str] | None = None) -> None:
        path = Path(template) if template is not None else default_template()
        if not path.is_file():
            raise ExportError(
                f"The template {path} does not exist. Choose the council's .docx template again."
            )
        try:
            self.doc = Document(str(path))
        except Exception as exc:  # python-docx raises several kinds for a file that is not a Word document
            raise ExportError(
                f"The template {path.name} cannot be read as a Word document ({exc})."
            ) from None
        self.warnings: list[str] = []
        self._missing: set[str] = set()
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        S.set_language(self.doc)
        self._numbering = self.doc.part.numbering_part.element
        self._lettered_abstract = self._add_abstract("lowerLetter", ["(%1)"], [720], "PP lettered")
        self._parts_abstract = self._add_abstract("decimal", ["(%1)"], [720], "PP numbered parts")
        self._bullet_abstract = self._add_abstract("bullet", ["\u2022", "\u25e6"], [720, 1440], "PP bullets")
        self._bullet_num = self._add_num(self._bullet_abstract)

    # -- styles ---------------------------------------------------------------------------------------------

    def style(self, name: str) -> Any:
        styles = self.doc.styles
        try:
            return styles[name]
        except KeyError:
            pass
        spec = next((s for s in S.PARAGRAPH_STYLES if s.name == name), None)
        fallback = spec.fallback if spec else ("Table Grid" if name == S.TABLE else "Normal")
        if name not in self._missing:
            self._missing.add(name)
            self.warnings.append(
                f"The template has no style \u201c{name}\u201d; \u201c{fallback}\u201d was used instead."
            )
        try:
            return styles[fallback]
        except KeyError:
            return styles["Normal"]

    # -- numbering ------------------------------------------------------------------------------------------

    def _next_id(self, tag: str, attribute: str) -> int:
        ids = [int(e.get(qn(attribute))) for e in self._numbering.findall(qn(tag))]
        return max(ids, default=0) + 1

    def _add_abstract(self, fmt: str, texts: Sequence[str], indents: Sequence[int], name: str) -> int:
        abstract_id = self._next_id("w:abstractNum", "w:abstractNumId")
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "hybridMultilevel" if len(texts) > 1 else "singleLevel")
        abstract.append(multi)
        label = OxmlElement("w:name")
        label.set(qn("w:val"), name)
        abstract.append(label)
        for level, (text, indent) in enumerate(zip(texts, indents, strict=True)):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(level))
            for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text), ("w:lvlJc", "left")):
                element = OxmlElement(tag)
                element.set(qn("w:val"), value)
                lvl.append(element)
            p_pr = OxmlElement("w:pPr")
            ind = OxmlElement("w:ind")
            ind.set(qn("w:left"), str(indent))
            ind.set(qn("w:hanging"), "426")
            p_pr.append(ind)
            lvl.append(p_pr)
            abstract.append(lvl)
        # Schema order: every abstractNum comes before the first num.
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        return abstract_id

    def _add_num(self, abstract_id: int, restart: bool = False) -> int:
        num_id = self._next_id("w:num", "w:numId")
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(abstract_id))
        num.append(ref)
        if restart:
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), "0")
            start = OxmlElement("w:startOverride")
            start.set(qn("w:val"), "1")
            override.append(start)
            num.append(override)
        self._numbering.append(num)
        return num_id

    def new_lettered_list(self) -> int:
        """A new list of lettered paragraphs, starting again at (a): one per minute."""
        return self._add_num(self._lettered_abstract, restart=True)

    def new_parts_list(self) -> int:
        return self._add_num(self._parts_abstract, restart=True)

    @staticmethod
    def _number(paragraph: Any, num_id: int, level: int = 0) -> None:
        p_pr = paragraph._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), str(level))
        num = OxmlElement("w:numId")
        num.set(qn("w:val"), str(num_id))
        num_pr.append(ilvl)
        num_pr.append(num)
        p_pr.append(num_pr)

    # -- content --------------------------------------------------------------------------------------------

    def paragraph(self, text: str = "", style: str = S.BODY, bold: bool = False) -> Any:
        paragraph = self.doc.add_paragraph(style=self.style(style))
        if text:
            run = paragraph.add_run(clean_xml_text(text))
            run.bold = bold or None
        return paragraph

    def runs(self, paragraph: Any, parts: Sequence[tuple[str, bool, bool]]) -> Any:
        for text, bold, italic in parts:
            run = paragraph.add_run(clean_xml_text(text))
            if bold:
                run.bold = True
            if italic:
                run.italic = True
        return paragraph

    def heading(self, text: str, style: str = S.HEADING) -> Any:
        return self.paragraph(text, style)

    def blocks(self, blocks: Sequence[Block], lettered_num: int | None = None) -> int | None:
        """Write a minutes body. Returns the lettered list used, so a minute's lettering continues across it."""
        for block in blocks:
            if block.kind is BlockKind.LETTERED:
                if lettered_num is None:
                    lettered_num = self.new_lettered_list()
                p = self.paragraph(style=S.LETTERED)
                self._number(p, lettered_num)
            elif block.kind is BlockKind.BULLET:
                p = self.paragraph(style=S.BULLET_2 if block.level else S.BULLET)
                self._number(p, self._bullet_num, block.level)
            else:
                p = self.paragraph(style=S.BODY)
                lettered_num = None  # a narrative paragraph ends the lettering, as in the editor
            self.runs(p, [(r.text, r.bold, r.italic) for r in block.runs])
        return lettered_num

    def numbered(self, texts: Sequence[str], style: str = S.RESOLUTION_PART) -> None:
        num = self.new_parts_list()
        for text in texts:
            self._number(self.paragraph(text, style), num)

    def bullets(self, texts: Sequence[str]) -> None:
        for text in texts:
            self._number(self.paragraph(text, S.BULLET), self._bullet_num, 0)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Any:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.style(S.TABLE)
        header = table.rows[0]
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # marked as a header row, repeated on each page
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, text in zip(header.cells, headers, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(clean_xml_text(text))
            run.bold = True
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = clean_xml_text(text)
        return table

    def footer(self, label: str, first_page_number: int | None = None) -> None:
        """ "Page N of M" in the footer of every section, optionally numbering from a given page (minute books)."""
        for section in self.doc.sections:
            footer = section.footer
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(clean_xml_text(f"{label} \u2013 Page "))
            self._field(paragraph, "PAGE", "1")
            paragraph.add_run(" of ")
            self._field(paragraph, "NUMPAGES", "1")
            for run in paragraph.runs:
                run.font.size = Pt(9)
            if first_page_number is not None:
                sect_pr = section._sectPr
                pg = sect_pr.find(qn("w:pgNumType"))
                if pg is None:
                    pg = OxmlElement("w:pgNumType")
                    sect_pr.append(pg)
                pg.set(qn("w:start"), str(first_page_number))

    @staticmethod
    def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), f" {instruction} \\* MERGEFORMAT ")
        run = OxmlElement("w:r")
        r_pr = OxmlElement("w:rPr")
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "18")  # 9 pt, like the words around it
        r_pr.append(size)
        run.append(r_pr)
        text = OxmlElement("w:t")
        text.text = placeholder
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

    # -- finishing ------------------------------------------------------------------------------------------

    def save(
        self, path: str | os.PathLike[str], title: str, subject: str, forbidden: Sequence[str]
    ) -> list[str]:
        props = self.doc.core_properties
        props.title = clean_xml_text(title)
        props.subject = clean_xml_text(subject)
        props.language = "en-GB"
        props.author = "paperprep"
        props.comments = ""
        props.keywords = ""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        data = buffer.getvalue()
        check_no_leak(data, forbidden)
        safe_write(path, data)
        return self.warnings


def tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ExportCancelled("The export was cancelled; nothing was written.")
