"""Write src/beslut/templates/dokument.docx: the Word template the DOCX renderer fills with docxtpl.

Run once (python tools/make_word_template.py) and commit the result; with a path
(python tools/make_word_template.py templates/dokument.docx) it writes a project's own copy to restyle. A communicator may then
restyle it in Word: fonts, colours, spacing, the letterhead. Keep the {{ … }} tags and the
numbering definitions named "beslut-numrerad" and "beslut-punkt".
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "src" / "beslut" / "templates" / "dokument.docx"


def field(paragraph, instr: str, placeholder: str) -> None:
    """A simple Word field (PAGE, NUMPAGES) that Word and LibreOffice update on display."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def page_number(paragraph) -> None:
    """"2 (6)": page, then the page count in brackets."""
    field(paragraph, "PAGE", "1")
    paragraph.add_run(" (")
    field(paragraph, "NUMPAGES", "1")
    paragraph.add_run(")")


def numbering(doc, name: str, ordered: bool) -> None:
    """An abstract numbering with nine levels; the renderer starts a fresh instance per list."""
    part = doc.part.numbering_part.element
    ids = [int(a.get(qn("w:abstractNumId"))) for a in part.findall(qn("w:abstractNum"))]
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(max(ids) + 1))
    multi = OxmlElement("w:multiLevelType")
    multi.set(qn("w:val"), "multilevel")
    abstract.append(multi)
    name_el = OxmlElement("w:name")
    name_el.set(qn("w:val"), name)
    abstract.append(name_el)
    bullets = ["•", "–", "▪"]
    formats = ["decimal", "lowerLetter", "lowerRoman"]
    for level in range(9):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, val in (("w:start", "1"),
                         ("w:numFmt", formats[level % 3] if ordered else "bullet"),
                         ("w:lvlText", (f"%{level + 1}." if level % 3 == 0 else f"%{level + 1})") if ordered
                          else bullets[level % 3]),
                         ("w:lvlJc", "left")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(425 * (level + 1)))
        ind.set(qn("w:hanging"), "425")
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
    first_num = part.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        part.append(abstract)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT
    doc = Document()
    # Swedish by default: spell checking in Word, hyphenation and PDF language in LibreOffice
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "sv-SE")

    styles = doc.styles
    styles["Normal"].font.name = "Times New Roman"
    styles["Normal"].font.size = Pt(12)
    styles["Normal"].paragraph_format.space_after = Pt(8)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 12),
                       ("Heading 4", 11), ("Heading 5", 11), ("Heading 6", 11)):
        st = styles[name]
        st.font.name = "Arial"
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = name == "Heading 3"
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before = Pt(14 if name != "Title" else 6)
        st.paragraph_format.space_after = Pt(6)
        # the default template draws a rule under Title; a letter does not want it
        ppr = st.element.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
            ppr.remove(ppr.find(qn("w:pBdr")))
    styles["List Paragraph"].paragraph_format.space_after = Pt(4)
    numbering(doc, "beslut-numrerad", ordered=True)
    numbering(doc, "beslut-punkt", ordered=False)

    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.2), Cm(2.6)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header_distance = Cm(1.2)
    section.different_first_page_header_footer = True
    width = section.page_width - section.left_margin - section.right_margin

    # the default Header style has centre and right tabs of its own; ours are set per paragraph
    for name in ("Header", "Footer"):
        tabs = styles[name].element.find(qn("w:pPr"))
        if tabs is not None and tabs.find(qn("w:tabs")) is not None:
            tabs.remove(tabs.find(qn("w:tabs")))

    def first_page_header(header) -> None:
        p = header.paragraphs[0]
        p.style = styles["Header"]
        p.add_run("{%p if logo %}")
        header.add_paragraph(style=styles["Header"]).add_run("{{ logo }}")
        header.add_paragraph(style=styles["Header"]).add_run("{%p endif %}")
        header.add_paragraph(style=styles["Header"]).add_run("{{ organisation }}").bold = True
        q = header.add_paragraph(style=styles["Header"])
        q.paragraph_format.tab_stops.add_tab_stop(Cm(9), WD_TAB_ALIGNMENT.LEFT)
        q.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        q.add_run("{{ forvaltning }}\t{{ datum }}\t{{ dnr_text }}")
        header.add_paragraph(style=styles["Header"]).add_run("{{ handlaggare }}")

    def footer_lines(footer, address: bool) -> None:
        """Page numbers "2 (6)" at the right of every footer; the address on page one only."""
        f = footer.paragraphs[0]
        f.style = styles["Footer"]
        f.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        if address:
            f.add_run("{{ footer_text }}").font.size = Pt(8)
        f.add_run("\t")
        page_number(f)

    first_page_header(section.first_page_header)
    later = section.header.paragraphs[0]
    later.style = styles["Header"]
    later.alignment = 2  # right: the draft mark on later pages
    later.add_run("{% if draft %}{{ labels.draft }}{% endif %}").bold = True
    footer_lines(section.first_page_footer, address=True)
    footer_lines(section.footer, address=False)

    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    body.text = "{%p if draft %}"
    banner = doc.add_paragraph()
    run = banner.add_run("{{ labels.draft }}")
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = RGBColor(0xB0, 0, 0)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if mottagare %}")
    doc.add_paragraph("{{ mottagare }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{%p for line in subtitle %}")
    doc.add_paragraph("{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{p body }}")

    props = doc.core_properties
    props.author = "beslut"
    props.title = "beslut: mall för tjänsteskrivelser och uppdrag"
    props.language = "sv-SE"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
