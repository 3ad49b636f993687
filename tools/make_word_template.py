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
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

#: One typography in all three formats (src/beslut/fonts; render/context.py FONTS names them too).
BODY_FONT = "Noto Serif"
HEADING_FONT = "Noto Sans"
CS_FONT = "Noto Sans Arabic"  # Arabic and Persian script (Word's complex-script slot)
EAST_ASIA_FONT = "Droid Sans Fallback"  # Chinese, Japanese, Korean

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


def paragraph_style(doc, name: str, base: str = "Normal", *, font: str | None = None, size: int | None = None,
                    bold: bool = False, italic: bool = False, keep_next: bool = False, space_after: int | None = None,
                    space_before: int | None = None, color: RGBColor | None = None):
    """A named paragraph style: every paragraph beslut writes has one, so a communicator restyles by name."""
    styles = doc.styles
    st = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = styles[base]
    st.quick_style = True
    if font:
        st.font.name = font
    if size:
        st.font.size = Pt(size)
    st.font.bold = bold or None
    st.font.italic = italic or None
    if color is not None:
        st.font.color.rgb = color
    pf = st.paragraph_format
    pf.keep_with_next = keep_next or None
    pf.keep_together = True
    pf.widow_control = True
    if space_after is not None:
        pf.space_after = Pt(space_after)
    if space_before is not None:
        pf.space_before = Pt(space_before)
    return st


def set_fonts(rpr, ascii_font: str) -> None:
    """The family for Latin text, with the bundled fallbacks for Arabic/Persian and CJK text."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), ascii_font)
    fonts.set(qn("w:hAnsi"), ascii_font)
    fonts.set(qn("w:cs"), CS_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)


def clean_settings(doc) -> None:
    """Word 2013+ layout (compatibilityMode 15), so Word does not open the file in compatibility mode."""
    settings = doc.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def header_table(header, width):
    """The first page's letterhead: sender at the left, the kind of document and the fields at the right."""
    table = header.add_table(rows=1, cols=2, width=width)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(10.5), width - Cm(10.5)
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)
    return left, right


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
    set_fonts(rpr_default, BODY_FONT)

    styles = doc.styles
    styles["Normal"].font.name = BODY_FONT
    set_fonts(styles["Normal"].element.get_or_add_rPr(), BODY_FONT)
    styles["Normal"].font.size = Pt(11)
    # the PDF's rhythm: typst sets 11 pt Noto Serif 14.7 pt apart (cap height + 0.62 em leading)
    # and 1.1 em between paragraphs; Word's single spacing for Noto is 15 pt, so 0.98 of it, and
    # 5 pt after a paragraph, make a page of Word hold what a page of the PDF holds
    styles["Normal"].paragraph_format.line_spacing = 0.98
    styles["Normal"].paragraph_format.space_after = Pt(5)
    styles["Normal"].paragraph_format.widow_control = True
    # the same hierarchy as the PDF and the HTML: title 18, level 1 14, level 2 12, level 3 11 italic;
    # spacing measured against the PDF in LibreOffice (a heading sits 27 pt below the line before it
    # and 21 pt above the next, as typst sets it), so a DOCX page holds what a PDF page holds
    for name, size, italic in (("Title", 18, False), ("Heading 1", 14, False), ("Heading 2", 12, False),
                               ("Heading 3", 11, True), ("Heading 4", 11, True), ("Heading 5", 11, True),
                               ("Heading 6", 11, True)):
        st = styles[name]
        st.font.name = HEADING_FONT
        set_fonts(st.element.get_or_add_rPr(), HEADING_FONT)
        st.font.size = Pt(size)
        st.font.bold = name not in ("Heading 4", "Heading 5", "Heading 6")
        st.font.italic = italic
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 10 if name != "Title" else 6)
        st.paragraph_format.space_after = Pt(3)
        st.paragraph_format.keep_with_next = True
        st.paragraph_format.keep_together = True
        # the default template draws a rule under Title; a letter does not want it
        ppr = st.element.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
            ppr.remove(ppr.find(qn("w:pBdr")))
    styles["List Paragraph"].paragraph_format.space_after = Pt(2)  # typst sets list items a line apart
    styles["List Paragraph"].paragraph_format.keep_together = True
    paragraph_style(doc, "Etikett", bold=True, keep_next=True, space_after=0, space_before=4)
    paragraph_style(doc, "Mottagare", space_after=4)
    paragraph_style(doc, "Undertitel", space_after=4)
    paragraph_style(doc, "Utkast", font=HEADING_FONT, size=16, bold=True, color=RGBColor(0xB0, 0, 0))
    paragraph_style(doc, "Underskrift part", keep_next=True, space_after=2)
    paragraph_style(doc, "Underskriftslinje", keep_next=True, space_after=2, space_before=30)
    paragraph_style(doc, "Underskrift namn", keep_next=True, space_after=2)
    paragraph_style(doc, "Underskrift titel", space_after=2)
    paragraph_style(doc, "Avgränsning", space_after=8)
    paragraph_style(doc, "Tabelltext", space_after=0)
    paragraph_style(doc, "Brevhuvud", "Header", font=HEADING_FONT, size=9, space_after=2)
    paragraph_style(doc, "Brevhuvud kommun", "Brevhuvud", size=11, bold=True)
    paragraph_style(doc, "Sidfot", "Footer", font=HEADING_FONT, size=8)
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.underline = True
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    numbering(doc, "beslut-numrerad", ordered=True)
    numbering(doc, "beslut-punkt", ordered=False)
    clean_settings(doc)

    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.6)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header_distance = Cm(1.0)
    section.different_first_page_header_footer = True
    width = section.page_width - section.left_margin - section.right_margin

    # the default Header style has centre and right tabs of its own; ours are set per paragraph
    for name in ("Header", "Footer"):
        tabs = styles[name].element.find(qn("w:pPr"))
        if tabs is not None and tabs.find(qn("w:tabs")) is not None:
            tabs.remove(tabs.find(qn("w:tabs")))

    def first_page_header(header) -> None:
        """Letterhead: the logo beside the kommun's name, förvaltning, handläggare; fields at the right.

        A table cell wraps a long line instead of running into its neighbour, and Word moves the
        body down when the letterhead is taller than the margin: nothing is overprinted."""
        header.paragraphs[0].style = styles["Brevhuvud"]
        top = header.paragraphs[0]
        top.add_run("{% if page_number == 'sidhuvud' %}")
        top.alignment = 2
        page_number(top)
        top.add_run("{% endif %}")
        left, right = header_table(header, width)
        p = left.paragraphs[0]
        p.style = styles["Brevhuvud kommun"]
        p.add_run("{{ logo }}")
        p.add_run(" {{ organisation }}")
        left.add_paragraph("{{ forvaltning }}", style=styles["Brevhuvud"])
        left.add_paragraph("{%p for line in handlaggare_lines %}", style=styles["Brevhuvud"])
        left.add_paragraph("{{ line }}", style=styles["Brevhuvud"])
        left.add_paragraph("{%p endfor %}", style=styles["Brevhuvud"])
        q = right.paragraphs[0]
        q.style = styles["Brevhuvud"]
        q.text = "{%p if document_type %}"
        for text in ("{{ document_type }}", "{%p endif %}", "{%p for f in fields %}", "{{ f.text }}", "{%p endfor %}"):
            r = right.add_paragraph(style=styles["Brevhuvud"]).add_run(text)
            r.bold = text == "{{ document_type }}"
        for para in right.paragraphs:
            para.alignment = 2

    def later_header(header) -> None:
        """Pages after the first: the running header and the page number where the profile asks."""
        p = header.paragraphs[0]
        p.style = styles["Brevhuvud"]
        p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        p.add_run("{{ running }}")
        p.add_run("{% if page_number == 'sidhuvud' %}\t")
        page_number(p)
        p.add_run("{% endif %}")
        d = header.add_paragraph(style=styles["Brevhuvud"])
        d.alignment = 2  # right: the draft mark on later pages
        d.add_run("{% if draft %}{{ labels.draft }}{% endif %}").bold = True

    def footer_lines(footer, address: bool) -> None:
        """Page numbers "2 (6)" at the right of every footer; the address on page one only."""
        f = footer.paragraphs[0]
        f.style = styles["Sidfot"]
        f.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        if address:
            f.add_run("{{ footer_text }}")
        f.add_run("{% if page_number == 'sidfot' %}\t")
        page_number(f)
        f.add_run("{% endif %}")

    first_page_header(section.first_page_header)
    later_header(section.header)
    footer_lines(section.first_page_footer, address=True)
    footer_lines(section.footer, address=False)

    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    body.text = "{%p if draft %}"
    doc.add_paragraph("{{ labels.draft }}", style="Utkast")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if mottagare %}")
    doc.add_paragraph("{{ mottagare }}", style="Mottagare")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{%p for line in subtitle %}")
    doc.add_paragraph("{{ line }}", style="Undertitel")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{p body }}")

    props = doc.core_properties
    props.author = "beslut"
    props.title = "beslut: mall för tjänsteskrivelser och uppdrag"
    props.language = "sv-SE"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    add_font_fallbacks(out)
    slim(out)
    print(f"wrote {out}")
    return 0


#: The bundled families as Word's font table describes them, so Word on a machine without Noto
#: substitutes a font of the same kind (a serif for the body, a sans for headings) of similar
#: metrics: PANOSE class, family and the alternative name Word tries first.
FONT_ENTRIES = {
    BODY_FONT: ("02020600060500020200", "roman", "Cambria"),
    HEADING_FONT: ("020B0502040504020204", "swiss", "Calibri"),
}


def add_font_fallbacks(path: Path) -> None:
    """Describe the bundled fonts in word/fontTable.xml (python-docx's template does not know them)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "word/fontTable.xml":
                xml = data.decode("utf-8")
                extra = "".join(
                    f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
                    f'<w:charset w:val="00"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
                    for name, (panose, family, alt) in FONT_ENTRIES.items() if f'w:name="{name}"' not in xml)
                data = xml.replace("</w:fonts>", extra + "</w:fonts>").encode("utf-8")
            z.writestr(info, data)


#: Styles the renderer asks for by name (render/wordml.py) or the template's tags use; with the
#: styles these are based on or linked to, and the defaults, they are all the template keeps.
USED_STYLES = {"Normal", "Title", *(f"Heading {n}" for n in range(1, 10)), "Quote", "macro", "List Paragraph",
               "Table Grid", "Normal Table", "No List", "Default Paragraph Font", "Hyperlink", "Header", "Footer",
               "Etikett", "Mottagare", "Undertitel", "Utkast", "Underskrift part", "Underskriftslinje",
               "Underskrift namn", "Underskrift titel", "Avgränsning", "Tabelltext", "Brevhuvud", "Brevhuvud kommun",
               "Sidfot"}


def slim(path: Path) -> None:
    """Leave out what python-docx's default template carries and no beslut document uses.

    Its 178 styles (mostly table styles) and the Word 2007 copy of them (stylesWithEffects.xml)
    are 790 kB of XML that every DOCX build would parse, serialise and compress again: the
    template keeps the styles above, and drops stylesWithEffects.xml (Word 2010 and later read
    styles.xml) and the thumbnail (a picture of another text).
    """
    import re
    import zipfile

    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    dropped = {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"}
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist() if info.filename not in dropped]
    out = []
    for info, data in entries:
        if info.filename == "word/styles.xml":
            root = etree.fromstring(data)
            styles = {s.get(f"{{{w}}}styleId"): s for s in root.findall(f"{{{w}}}style")}
            # Word writes built-in names in lower case ("heading 1"); python-docx shows "Heading 1"
            names = {s.find(f"{{{w}}}name").get(f"{{{w}}}val").casefold(): sid for sid, s in styles.items()}
            keep = {sid for sid, s in styles.items() if s.get(f"{{{w}}}default") == "1"}
            todo = [names[n.casefold()] for n in USED_STYLES if n.casefold() in names] + list(keep)
            while todo:
                sid = todo.pop()
                keep.add(sid)
                for tag in ("basedOn", "link", "next"):
                    ref = styles[sid].find(f"{{{w}}}{tag}")
                    if ref is not None and ref.get(f"{{{w}}}val") in styles and ref.get(f"{{{w}}}val") not in keep:
                        todo.append(ref.get(f"{{{w}}}val"))
            for sid, style in styles.items():
                if sid not in keep:
                    root.remove(style)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        elif info.filename in ("[Content_Types].xml", "word/_rels/document.xml.rels", "_rels/.rels"):
            text = data.decode("utf-8")
            for name in dropped:
                text = re.sub(r"<(Override|Relationship)\b[^>]*" + re.escape(name.split("/", 1)[1]) + r'"[^>]*/>', "",
                              text)
            data = text.encode("utf-8")
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            z.writestr(info, data)


if __name__ == "__main__":
    sys.exit(main())
