"""Building a Word document in the council's template: styles with fallbacks, real lists, tables, the markings
and footer on every page, pagination, saving.

python-docx is imported here, when an export runs, never when paperprep starts.

Markings (DRAFT, CONFIDENTIAL and the Schedule 12A paragraphs, the approval) go in the header of every section,
and of its first-page and even-page headers when the template uses them, because a header repeats on every
printed page: a page taken out of the pack still says what it is.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from paperprep.blocks import Block, BlockKind
from paperprep.errors import ExportCancelled, ExportError
from paperprep.export import docx_styles as S
from paperprep.export.safety import check_no_leak, clean_xml_text, safe_write
from paperprep.formats import exempt_notice, uk_date, uk_long_date  # noqa: F401 - used by the papers
from paperprep.services.house_style import DecisionLayout, HouseStyle

Progress = Callable[[int, int], bool]

# The children of w:sectPr that the schema puts after w:pgNumType (ECMA-376 17.6.17).
_AFTER_PG_NUM_TYPE = (
    "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
    "printerSettings", "sectPrChange",
)  # fmt: skip


# Paragraphs and runs are built as XML directly, in the schema's order, once each: python-docx's own road (a run's
# text character by character, every property found or inserted by searching the siblings) costs more than the
# rest of an export. Tags are in Clark notation, worked out once.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _PPR, _PSTYLE, _KEEP_NEXT, _KEEP_LINES = (
    f"{_W}{t}" for t in ("p", "pPr", "pStyle", "keepNext", "keepLines")
)
_NUM_PR, _ILVL, _NUM_ID, _VAL = (f"{_W}{t}" for t in ("numPr", "ilvl", "numId", "val"))
_R, _RPR, _BOLD, _ITALIC, _T, _TAB, _BR = (f"{_W}{t}" for t in ("r", "rPr", "b", "i", "t", "tab", "br"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_RUN_BREAKS = re.compile(r"([\t\r\n])")  # a tab is w:tab, a line break w:br, as python-docx writes them


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
        self._style_ids: dict[str, str | None] = {}
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self._body = body
        self._sect_pr = body.find(qn("w:sectPr"))
        S.set_language(self.doc)
        self._numbering = self.doc.part.numbering_part.element
        self._last_ids: dict[str, int] = {}  # the highest numbering id given so far, by tag (_next_id)
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
        """One more than the highest id of `tag` in the numbering part. The template's ids are read once; after
        that the count goes on here, since every list added goes through this (a minute has one each: scanning
        the part every time cost a 200-item meeting tens of milliseconds)."""
        last = self._last_ids.get(tag)
        if last is None:
            last = max((int(e.get(qn(attribute))) for e in self._numbering.findall(qn(tag))), default=0)
        self._last_ids[tag] = last + 1
        return last + 1

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

    def paragraph(
        self,
        text: str = "",
        style: str = S.BODY,
        bold: bool = False,
        *,
        keep_next: bool = False,
        number: tuple[int, int] | None = None,
    ) -> Any:
        """A paragraph at the end of the body, built in one go: its style, whether it keeps with the next
        paragraph (and whole), its list (num id, level) and its text."""
        p = self._body.makeelement(_P, {})
        if self._sect_pr is not None:
            self._sect_pr.addprevious(p)  # the body's sectPr stays last
        else:
            self._body.append(p)
        # python-docx looks the style up among all styles on every paragraph; the id is looked up once.
        if style not in self._style_ids:
            self._style_ids[style] = self.doc.part.get_style_id(self.style(style), WD_STYLE_TYPE.PARAGRAPH)
        style_id = self._style_ids[style]
        p_pr = etree.SubElement(p, _PPR)  # there even when empty, as python-docx's style setter leaves it
        if style_id is not None:
            etree.SubElement(p_pr, _PSTYLE, {_VAL: style_id})
        if keep_next:
            etree.SubElement(p_pr, _KEEP_NEXT)
            etree.SubElement(p_pr, _KEEP_LINES)
        if number is not None:
            num_pr = etree.SubElement(p_pr, _NUM_PR)
            etree.SubElement(num_pr, _ILVL, {_VAL: str(number[1])})
            etree.SubElement(num_pr, _NUM_ID, {_VAL: str(number[0])})
        if text:
            _add_run(p, clean_xml_text(text), bold, False, properties=True)
        return Paragraph(p, self.doc._body)

    def runs(self, paragraph: Any, parts: Sequence[tuple[str, bool, bool]]) -> Any:
        p = paragraph._p
        for text, bold, italic in parts:
            _add_run(p, clean_xml_text(text), bold, italic)
        return paragraph

    def heading(self, text: str, style: str = S.HEADING) -> Any:
        """A heading that is never left alone at the foot of a page, whatever the template's styles say."""
        return self.paragraph(text, style, keep_next=True)

    def lead(self, text: str, style: str = S.META, bold: bool = False) -> Any:
        """A line that introduces what follows (a marking, "Presented by"): kept with the next paragraph."""
        return self.paragraph(text, style, bold, keep_next=True)

    def blocks(self, blocks: Sequence[Block], lettered_num: int | None = None) -> int | None:
        """Write a minutes body. Returns the lettered list used, so a minute's lettering continues across it."""
        for block in blocks:
            if block.kind is BlockKind.LETTERED:
                if lettered_num is None:
                    lettered_num = self.new_lettered_list()
                p = self.paragraph(style=S.LETTERED, number=(lettered_num, 0))
            elif block.kind is BlockKind.BULLET:
                style = S.BULLET_2 if block.level else S.BULLET
                p = self.paragraph(style=style, number=(self._bullet_num, block.level))
            else:
                p = self.paragraph(style=S.BODY)
                lettered_num = None  # a narrative paragraph ends the lettering, as in the editor
            self.runs(p, [(r.text, r.bold, r.italic) for r in block.runs])
        return lettered_num

    def numbered(self, texts: Sequence[str], style: str = S.RESOLUTION_PART) -> None:
        num = self.new_parts_list()
        for text in texts:
            self.paragraph(text, style, number=(num, 0))

    def bullets(self, texts: Sequence[str]) -> None:
        for text in texts:
            self.paragraph(text, S.BULLET, number=(self._bullet_num, 0))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Any:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.style(S.TABLE)
        header = table.rows[0]
        _row_property(header, "w:tblHeader")  # a real header row, repeated at the top of each page
        for cell, text in zip(header.cells, headers, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(clean_xml_text(text))
            run.bold = True
            keep_with_next(cell.paragraphs[0])  # the header row never ends a page on its own
        _row_property(header, "w:cantSplit")
        for values in rows:
            row = table.add_row()
            _row_property(row, "w:cantSplit")  # a row is never cut in two across a page
            for cell, text in zip(row.cells, values, strict=True):
                cell.text = clean_xml_text(text)
        return table

    # -- pagination -----------------------------------------------------------------------------------------

    def keep_end_together(self, paragraphs: int) -> None:
        """Keep the last `paragraphs` paragraphs written so far with what comes next (the signature block).

        A table among them keeps its last row with what follows. Each paragraph is also kept whole.
        """
        found = 0
        for child in reversed(list(self.doc.element.body)):
            if found >= paragraphs:
                break
            if child.tag == qn("w:p"):
                _keep(child, with_next=True)
                found += 1
            elif child.tag == qn("w:tbl"):
                rows = child.findall(qn("w:tr"))
                if rows:
                    for p in rows[-1].iter(qn("w:p")):
                        _keep(p, with_next=True)
                found += 1

    # -- markings on every page -----------------------------------------------------------------------------

    def mark_every_page(self, lines: Sequence[tuple[str, bool]]) -> None:
        """Write `lines` (text, bold) in the header of every section, below anything the template put there."""
        if not lines:
            return
        style = self._marking_style()
        for header in self._stories("header"):
            paragraphs = list(header.paragraphs)
            reuse = paragraphs[0] if len(paragraphs) == 1 and _is_empty(paragraphs[0]) else None
            for n, (text, bold) in enumerate(lines):
                paragraph = reuse if (n == 0 and reuse is not None) else header.add_paragraph()
                paragraph.style = style
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(clean_xml_text(text))
                run.bold = bold
                if style.name != S.MARKING:
                    run.font.size = Pt(10)
            # A little air between the marking and the paper, without a blank paragraph.
            header.paragraphs[-1].paragraph_format.space_after = Pt(8)

    def _marking_style(self) -> Any:
        """PP Marking if the template has it; otherwise the built-in Header style, quietly: a council's template
        need not restyle the marking for the marking to be there."""
        for name in (S.MARKING, "Header", "Normal"):
            try:
                return self.doc.styles[name]
            except KeyError:
                continue
        return None

    def _stories(self, kind: str) -> list[Any]:
        """The headers (or footers) in use in every section: the main one, and the first-page and even-page
        ones when the template has them switched on, each unlinked from the section before."""
        even = bool(self.doc.settings.odd_and_even_pages_header_footer)
        stories = []
        for section in self.doc.sections:
            wanted = [getattr(section, kind)]
            if section.different_first_page_header_footer:
                wanted.append(getattr(section, f"first_page_{kind}"))
            if even:
                wanted.append(getattr(section, f"even_page_{kind}"))
            for story in wanted:
                story.is_linked_to_previous = False
                stories.append(story)
        return stories

    def footer(self, label: str, first_page_number: int | None = None) -> None:
        """ "Page N of M" in the footer of every section, optionally numbering from a given page (minute books)."""
        for footer in self._stories("footer"):
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
            # Only the first section restarts: later sections carry on counting.
            sect_pr = self.doc.sections[0]._sectPr
            pg = sect_pr.find(qn("w:pgNumType"))
            if pg is None:
                pg = OxmlElement("w:pgNumType")
                later = [sect_pr.find(qn(f"w:{tag}")) for tag in _AFTER_PG_NUM_TYPE]
                following = next((e for e in later if e is not None), None)
                if following is not None:
                    following.addprevious(pg)
                else:
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


def write_decision(doc: DocBuilder, keyword: str, text: str, parts: Sequence[str], style: HouseStyle) -> None:
    """A decision in the house style: "RESOLVED to note..." run in, or "AGREED" alone above "That the update be
    noted." Text that continues the keyword's sentence ("to note...") is always run in. The keyword is bold;
    numbered parts follow as a real list."""
    keyword = keyword.strip() or "RESOLVED"
    text = text.strip()
    # A sentence that carries on from the keyword ("to note the information") cannot stand on a line of its own.
    carries_on = text[:1].islower()
    if style.decision_layout is DecisionLayout.OWN_LINE and not carries_on:
        doc.lead(keyword, S.RESOLUTION, bold=True)
        text = text.lstrip("-,:– ").strip()
        if text:
            doc.paragraph(text, S.RESOLUTION)
    else:
        paragraph = doc.paragraph(style=S.RESOLUTION)
        doc.runs(paragraph, [(keyword, True, False)])
        if text:
            doc.runs(paragraph, [(("" if text.startswith(("-", ",")) else " ") + text, False, False)])
    if parts:
        doc.numbered(parts)


def _add_run(p: Any, text: str, bold: bool, italic: bool, properties: bool = False) -> None:
    """A run at the end of paragraph element `p`: the XML python-docx's add_run writes for the same text (with
    `properties`, the w:rPr its bold setter leaves even when empty)."""
    r = etree.SubElement(p, _R)
    if bold or italic or properties:
        r_pr = etree.SubElement(r, _RPR)
        if bold:
            etree.SubElement(r_pr, _BOLD)
        if italic:
            etree.SubElement(r_pr, _ITALIC)
    for piece in _RUN_BREAKS.split(text) if ("\t" in text or "\r" in text or "\n" in text) else (text,):
        if piece == "\t":
            etree.SubElement(r, _TAB)
        elif piece in ("\r", "\n"):
            etree.SubElement(r, _BR)
        elif piece:
            t = etree.SubElement(r, _T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_XML_SPACE, "preserve")


def keep_with_next(paragraph: Any) -> None:
    _keep(paragraph._p, with_next=True)


def _keep(p: Any, with_next: bool) -> None:
    """w:keepNext (when asked) and w:keepLines on a paragraph element, in the order the schema wants them."""
    p_pr = p.get_or_add_pPr()
    if with_next:
        p_pr.keepNext_val = True
    p_pr.keepLines_val = True


def _row_property(row: Any, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        # CT_TrPr's children are a choice group in any order (ECMA-376 17.4.82), so appending is valid.
        tr_pr.append(element)


def _is_empty(paragraph: Any) -> bool:
    return not paragraph.text.strip() and not paragraph._p.xpath(".//w:drawing | .//w:pict | .//w:fldSimple")


def paragraphs_text(numbers: Sequence[int]) -> str:
    """ "paragraph 3", "paragraphs 1 and 3", "paragraphs 1, 2 and 3"."""
    nums = [str(n) for n in sorted(set(numbers))]
    if not nums:
        return ""
    if len(nums) == 1:
        return f"paragraph {nums[0]}"
    return "paragraphs " + ", ".join(nums[:-1]) + " and " + nums[-1]


def confidential_lines(paragraph_numbers: Sequence[int]) -> list[tuple[str, bool]]:
    """The marking of a confidential paper: the words, then the Schedule 12A paragraph(s) it relies on."""
    lines = [("CONFIDENTIAL: NOT FOR PUBLICATION", True)]
    if paragraph_numbers:
        lines.append(
            (
                f"Not for publication by virtue of {paragraphs_text(paragraph_numbers)} of Part 1 of Schedule 12A "
                "to the Local Government Act 1972.",
                False,
            )
        )
    return lines


def part_b_marking(paragraphs: str) -> str:
    """The line at the head of each Part B item of a confidential paper."""
    return (
        f"CONFIDENTIAL: exempt information under {paragraphs} of Part 1 of Schedule 12A to the Local Government "
        "Act 1972. Not for publication."
    )


def tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ExportCancelled("The export was cancelled; nothing was written.")
