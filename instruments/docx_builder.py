"""The default DOCX templates, built in code so that their layout follows GB/T 9704-2012 exactly.

``manage.py instruments_build_templates`` writes them to ``instruments/templates_docx/``; staff open a
copy in Word, edit it and upload it as their town's version. The layout:

- A4 (210 × 297 mm); 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm → bottom 35 mm, right 26 mm (§5.2.1);
- 22 lines × 28 characters (§5.2.3): a document grid with line pitch 225 mm / 22 and character pitch
  156 mm / 28, and body lines at the same fixed pitch;
- body text 3号 (16 pt) 仿宋_GB2312, fallback 仿宋 (§5.2.2); title 2号 (22 pt) 方正小标宋简体, fallback 宋体
  (§7.3.1); 发文机关标志 red 小标宋, 35 mm below the top of the 版心 (§7.2.4); 发文字号 two lines below it,
  then a red rule as wide as the 版心 4 mm lower (§7.2.5, §7.2.7); 主送机关 flush left one line below the
  title (§7.3.2); paragraphs indented two characters (§7.3.3); 署名 and 成文日期 with the date four
  characters from the right (§7.3.5); 版记 in 4号 between rules (§7.4);
- page numbers 4号 half-width 宋体 digits between 一字线 ("— 1 —"), odd pages right and even pages left,
  one character in from the edge (§7.5).

Fallback fonts are declared in the font table (``w:altName``), so Word and LibreOffice substitute
宋体/仿宋 where 方正小标宋简体/仿宋_GB2312 are not installed.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_docx"

# GB/T 9704-2012 page geometry.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28

# Chinese type sizes (字号) in points.
SIZE_1 = Pt(26)  # 1号
SIZE_2 = Pt(22)  # 2号
SIZE_3 = Pt(16)  # 3号
SIZE_4 = Pt(14)  # 4号
SIZE_XIAOCHU = Pt(36)  # 小初

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEITI, KAITI, KAITI_FALLBACK = "黑体", "楷体_GB2312", "楷体"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)

LINE_PITCH_PT = TEXT_HEIGHT_MM / 25.4 * 72 / LINES_PER_PAGE  # ≈ 28.99 pt
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE  # ≈ 15.79 pt
LINE_PITCH_TWIPS = int(LINE_PITCH_PT * 20)  # 579
CHAR_SPACE = round((CHAR_PITCH_PT - 16) * 4096)  # -849: relative to the 16 pt body font


def _set_fonts(run_or_style_font_element, name: str, *, east_asia: str | None = None) -> None:
    rpr = run_or_style_font_element
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), name)
    rfonts.set(qn("w:eastAsia"), east_asia or name)


def _font(run, name: str, size, *, bold: bool = False, colour: RGBColor | None = None, ascii_name: str | None = None):
    run.font.size = size
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    _set_fonts(run._element.get_or_add_rPr(), ascii_name or name, east_asia=name)
    return run


def _fixed_lines(paragraph, *, pitch_pt: float = LINE_PITCH_PT, before_pt: float = 0, after_pt: float = 0):
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch_pt)
    fmt.space_before = Pt(before_pt)
    fmt.space_after = Pt(after_pt)
    return paragraph


def _border(paragraph, side: str, *, size_eighths: int, colour: str = "000000", space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), colour)
    borders.append(line)


def _page_setup(section) -> None:
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(15)
    # The 一字线 of the page number sits 7 mm below the 版心: 35 mm − 7 mm − one 4号 line (≈ 5 mm).
    section.footer_distance = Mm(23)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _page_number_paragraph(footer, *, odd: bool) -> None:
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if odd:
        fmt.right_indent = SIZE_4  # 单页码居右空一字
    else:
        fmt.left_indent = SIZE_4  # 双页码居左空一字
    _font(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    run = _font(paragraph.add_run(), PAGE_NUMBER_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._element.append(t)
    _font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)


def _font_fallbacks(document) -> None:
    """Declare 方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体 in the font table."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    xml = part.blob.decode("utf-8")
    entries = ""
    for name, alt in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK), (KAITI, KAITI_FALLBACK),
                      (TITLE_FALLBACK, None), (BODY_FALLBACK, None), (HEITI, None)):
        if f'w:name="{name}"' in xml:
            continue
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        entries += (f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="86"/>'
                    f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>')
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _base_document():
    document = Document()
    _page_setup(document.sections[0])
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = False
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number_paragraph(section.footer, odd=True)
    _page_number_paragraph(section.even_page_footer, odd=False)
    _font_fallbacks(document)
    core = document.core_properties
    core.author = "Fazhi"
    core.title = ""
    core.comments = "GB/T 9704-2012"
    return document


def _para(document, text: str = "", *, align=None, indent_chars: float = 0, right_chars: float = 0,
          font: str = BODY_FONT, size=SIZE_3, bold: bool = False, colour=None, before_pt: float = 0,
          pitch_pt: float = LINE_PITCH_PT, container=None):
    paragraph = (container or document).add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _fixed_lines(paragraph, pitch_pt=pitch_pt, before_pt=before_pt)
    if indent_chars:
        paragraph.paragraph_format.first_line_indent = Pt(16 * indent_chars)
    if right_chars:
        paragraph.paragraph_format.right_indent = Pt(16 * right_chars)
    if text:
        _font(paragraph.add_run(text), font, size, bold=bold, colour=colour)
    return paragraph


def _blank(document, lines: int = 1):
    for _ in range(lines):
        _para(document)


def _masthead(document, *, with_file_mark: bool) -> None:
    """版头: 发文机关标志 (red), 发文字号, the red rule."""
    mark = "{{ issuer }}文件" if with_file_mark else "{{ issuer }}"
    # 35 mm from the top of the 版心 to the top of the 发文机关标志.
    _para(document, mark, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=SIZE_XIAOCHU, colour=RED,
          before_pt=35 / 25.4 * 72, pitch_pt=48)
    _blank(document, 2)
    number = _para(document, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    # The red rule 4 mm below the 发文字号, as wide as the 版心.
    _border(number, "bottom", size_eighths=12, colour="FF0000", space=int(4 / 25.4 * 72))


def _title(document, text: str = "{{ title }}") -> None:
    _blank(document, 2)
    _para(document, text, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=SIZE_2, pitch_pt=LINE_PITCH_PT)
    _blank(document, 1)


def _body(document) -> None:
    _para(document, "{%p if recipient %}")
    _para(document, "{{ recipient }}：")
    _para(document, "{%p endif %}")
    _para(document, "{%p for paragraph in paragraphs %}")
    _para(document, "{{ paragraph }}", indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(document, "{%p endfor %}")
    _para(document, "{%p if attachments %}")
    _blank(document, 1)
    _para(document, "附件：{% for a in attachments %}{{ loop.index }}. {{ a }}{% if not loop.last %}；{% endif %}"
          "{% endfor %}", indent_chars=2)
    _para(document, "{%p endif %}")


def _signature(document) -> None:
    _blank(document, 2)
    # 署名 above the date; the 成文日期 four characters from the right (加盖印章的公文, §7.3.5.1).
    _para(document, "{{ signature }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    _para(document, "{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    _para(document, "{%p if note %}")
    _para(document, "（{{ note }}）", indent_chars=2)
    _para(document, "{%p endif %}")


def _record_slip(document) -> None:
    """版记: 抄送机关, 印发机关 and 印发日期 between rules, in 4号 (§7.4)."""
    _para(document, "{%p if cc or printed_by %}")
    _blank(document, 1)
    cc = _para(document, "{% if cc %}抄送：{{ cc }}。{% endif %}", size=SIZE_4, font=BODY_FONT)
    cc.paragraph_format.left_indent = SIZE_4
    cc.paragraph_format.right_indent = SIZE_4
    _border(cc, "top", size_eighths=8)
    _border(cc, "bottom", size_eighths=4)
    printed = _para(document, "{{ printed_by }}{% if printed_by %}\u3000\u3000{% endif %}{{ printed_date_cn }}印发",
                    size=SIZE_4)
    printed.paragraph_format.left_indent = SIZE_4
    printed.paragraph_format.right_indent = SIZE_4
    _border(printed, "bottom", size_eighths=8)
    _para(document, "{%p endif %}")


def build_notice():
    """通知 (and the other general 公文 kinds): the 文件 layout of GB/T 9704-2012 §7."""
    document = _base_document()
    _masthead(document, with_file_mark=True)
    _title(document)
    _body(document)
    _signature(document)
    _record_slip(document)
    return document


def build_generic():
    """Any kind without its own template: 发文机关署名 as masthead, the kind's name as title, paragraphs."""
    document = _base_document()
    _masthead(document, with_file_mark=False)
    _title(document)
    _body(document)
    _signature(document)
    return document


def _cell(cell, text: str = "", *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT):
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _fixed_lines(paragraph, pitch_pt=22)
    if text:
        _font(paragraph.add_run(text), HEITI if bold else BODY_FONT, SIZE_4)
    return paragraph


def _cell_paragraph(cell, text: str, *, indent: bool = False):
    paragraph = cell.add_paragraph()
    _fixed_lines(paragraph, pitch_pt=22)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(28)
    _font(paragraph.add_run(text), BODY_FONT, SIZE_4)
    return paragraph


def build_post_handover():
    """岗位交接单: a form (table) with the post, both holders, duties, open items and three signatures."""
    document = _base_document()
    _para(document, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=SIZE_3)
    _para(document, "{{ title }}", align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=SIZE_2)
    _para(document, "{% if number %}编号：{{ number }}{% endif %}", align=WD_ALIGN_PARAGRAPH.RIGHT, size=SIZE_4)
    table = document.add_table(rows=10, cols=4)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(28), Mm(50), Mm(28), Mm(50)]
    for row in table.rows:
        for idx, width in enumerate(widths):
            row.cells[idx].width = width
    rows = table.rows
    pairs = [
        (0, "岗位名称", "{{ position }}", "所属板块", "{{ sector }}"),
        (1, "移交人", "{{ from_holder }}", "接交人", "{{ to_holder }}"),
        (2, "交接日期", "{{ handover_date_cn }}", "监交人", "{{ supervisor }}"),
    ]
    for r, l1, v1, l2, v2 in pairs:
        _cell(rows[r].cells[0], l1, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(rows[r].cells[1], v1)
        _cell(rows[r].cells[2], l2, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(rows[r].cells[3], v2)
    spans = [
        (3, "交接原因", "{{ reason }}"),
        (6, "移交资料", "{{ materials }}"),
        (7, "交接说明", "{{ note }}"),
    ]
    for r, label, value in spans:
        _cell(rows[r].cells[0], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(rows[r].cells[1].merge(rows[r].cells[3]), value)
    lists = [
        (4, "职责清单", "duties", "{{ loop.index }}. {{ d }}"),
        (5, "在办事项", "pending_items",
         "{{ loop.index }}. {{ d.title }}{% if d.status %}（{{ d.status }}）{% endif %}"
         "{% if d.deadline %}，期限 {{ d.deadline }}{% endif %}"),
    ]
    for r, label, name, line in lists:
        _cell(rows[r].cells[0], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        merged = rows[r].cells[1].merge(rows[r].cells[3])
        _cell(merged, "{% if not " + name + " %}无{% endif %}")
        _cell_paragraph(merged, "{%p for d in " + name + " %}")
        _cell_paragraph(merged, line)
        _cell_paragraph(merged, "{%p endfor %}")
    for r, labels in ((8, ("移交人（签字）", "接交人（签字）")), (9, ("监交人（签字）", "日期"))):
        for c, label in enumerate(labels):
            _cell(rows[r].cells[c * 2], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            _cell(rows[r].cells[c * 2 + 1], "")
    _para(document, "")
    _para(document, "本单一式三份，移交人、接交人、{{ issuer }}各执一份。", size=SIZE_4)
    return document


BUILDERS = {
    "generic.docx": build_generic,
    "notice.docx": build_notice,
    "post_handover.docx": build_post_handover,
}


def build_bytes(filename: str) -> bytes:
    buffer = BytesIO()
    BUILDERS[filename]().save(buffer)
    return buffer.getvalue()


def build_all(directory: Path = TEMPLATES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for filename in BUILDERS:
        path = directory / filename
        path.write_bytes(build_bytes(filename))
        written.append(path)
    return written
