"""The house style: the named styles every paperprep document uses, and how to make them in a template.

A council's own template needs the same style names; any that is missing falls back to a built-in style with a
warning (see docs/templates.md). `build_default_template` makes the template shipped in resources/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

TITLE = "PP Title"
HEADING = "PP Heading"  # a section of the document: Present, Apologies, Part B...
MINUTE_HEADING = "PP Minute Heading"  # "57. Ofsted focused visit feedback"
SUBHEADING = "PP Subheading"  # inside a minute: Strengths, Areas for improvement
BODY = "PP Body"
META = "PP Meta"  # date, venue, contact lines
LETTERED = "PP Lettered"
BULLET = "PP Bullet"
BULLET_2 = "PP Bullet 2"
RESOLUTION = "PP Resolution"
RESOLUTION_PART = "PP Resolution Part"
SIGNATURE = "PP Signature"
TABLE = "PP Table"
MARKING = "PP Marking"  # DRAFT, CONFIDENTIAL and the approval, in the header of every page


@dataclass(frozen=True)
class StyleSpec:
    name: str
    based_on: str
    fallback: str  # built-in style used when a council template lacks this one
    size: float | None = None
    bold: bool = False
    outline: int | None = None  # heading level 0..8: makes it a real heading for navigation and accessibility
    space_before: float = 0
    space_after: float = 6
    indent_cm: float = 0


PARAGRAPH_STYLES = (
    StyleSpec(TITLE, "Title", "Title", 20, True, 0, 0, 12),
    StyleSpec(HEADING, "Heading 1", "Heading 1", 14, True, 0, 12, 6),
    StyleSpec(MINUTE_HEADING, "Heading 2", "Heading 2", 12, True, 1, 12, 6),
    StyleSpec(SUBHEADING, "Heading 3", "Heading 3", 11, True, 2, 6, 3),
    StyleSpec(BODY, "Normal", "Normal", 11, False, None, 0, 8),
    StyleSpec(META, "Normal", "Normal", 10, False, None, 0, 2),
    StyleSpec(LETTERED, "Normal", "List Number", 11, False, None, 0, 6, 1.0),
    StyleSpec(BULLET, "Normal", "List Bullet", 11, False, None, 0, 4, 1.0),
    StyleSpec(BULLET_2, "Normal", "List Bullet 2", 11, False, None, 0, 4, 1.8),
    StyleSpec(RESOLUTION, "Normal", "Normal", 11, False, None, 6, 6),
    StyleSpec(RESOLUTION_PART, "Normal", "List Number", 11, False, None, 0, 4, 1.0),
    StyleSpec(SIGNATURE, "Normal", "Normal", 11, False, None, 24, 6),
    StyleSpec(MARKING, "Header", "Header", 10, True, None, 0, 0),
)


def build_default_template(path: Path) -> None:
    """Write the default house template: A4, English (UK), Arial-compatible fonts and every named style."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.3))
    section.top_margin = section.bottom_margin = Cm(2.0)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    set_language(document)
    for spec in PARAGRAPH_STYLES:
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[spec.based_on]
        style.quick_style = True
        if spec.size:
            style.font.size = Pt(spec.size)
        style.font.bold = spec.bold
        style.font.name = "Arial"
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(spec.space_before), Pt(spec.space_after)
        if spec.indent_cm:
            fmt.left_indent = Cm(spec.indent_cm)
        if spec.outline is not None:
            p_pr = style.element.get_or_add_pPr()
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(spec.outline))
            p_pr.append(outline)
            fmt.keep_with_next = True
    table = styles.add_style(TABLE, WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Table Grid"]
    table.font.size = Pt(10)
    document.core_properties.title = "paperprep house template"
    document.core_properties.language = "en-GB"
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    document.save(str(path))


def set_language(document: Any, language: str = "en-GB") -> None:
    """English (UK) as the default language of every run (docDefaults), so spelling and screen readers agree."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_element.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
