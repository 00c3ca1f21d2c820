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

import zipfile
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
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


def _cell_paragraph(cell, text: str, *, indent: bool = False, align=None):
    paragraph = cell.add_paragraph()
    if align is not None:
        paragraph.alignment = align
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


# --- dedicated layouts: enforcement instruments (全国/重庆 行政执法文书样式) and mediation ---------------------
#
# Form-type instruments (审批表, 笔录, 送达回证, 报告) are bordered tables in 4号 type; decision-type instruments
# (决定书, 告知书, 通知书, 申请书) are documents: 发文机关 name and the instrument's name as headings, 文号 flush
# right, recipient or party block, the step's paragraphs as the body, fixed clauses the law requires, seal,
# signature and date. Every layout prints ``paragraphs|omit(omit_prefixes)`` somewhere: the lines a service wrote
# that the layout does not already show in its own fields (see enforcement/documents.py), so nothing is lost.

LEFT, CENTER, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)
FORM_WIDTHS_MM = (30, 48, 30, 48)  # four columns, 156 mm = the 版心

BODY = ["{%p for paragraph in paragraphs|omit(omit_prefixes) %}", "{{ paragraph }}", "{%p endfor %}"]
OFFICERS = ("{% for o in officers %}{{ o.name }}（执法证号：{{ o.credential }}）{% if not loop.last %}、{% endif %}"
            "{% endfor %}")
RECORD_OFFICERS = OFFICERS.replace("in officers", "in record_officers")
ID_LABEL = "{% if party_is_org %}统一社会信用代码{% else %}身份证件号码{% endif %}"
NAME_LABEL = "{% if party_is_org %}单位名称{% else %}姓名{% endif %}"
ADDRESS_LABEL = "{% if party_is_org %}住所{% else %}住址{% endif %}"
PARTY_ROWS = [
    ("pair", "当事人类型", "{{ party_kind }}", "联系电话", "{{ party_phone }}"),
    ("pair", NAME_LABEL, "{{ party_name }}", ID_LABEL, "{{ party_id_number }}"),
    ("row", ADDRESS_LABEL, "{{ party_address }}"),
]
DATE_BLANK = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"
SIGN_BLANK = "签名：\u3000\u3000\u3000\u3000\u3000\u3000日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日"
REMEDY = ("如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起"
          "行政诉讼。申请行政复议或者提起行政诉讼的，本决定不停止执行，法律另有规定的除外。")
ENFORCE_CLAUSE = ("当事人逾期不申请行政复议、不提起行政诉讼，又不履行本决定的，本机关将依法申请人民法院强制执行。")
PAY_ONSPOT = ("依法当场收缴罚款的，执法人员当场出具罚没款专用票据；未当场收缴的，当事人应当自收到本决定书之日起"
              "十五日内到指定银行{% if payment_bank %}（{{ payment_bank }}）{% endif %}或者通过电子支付系统缴纳罚款。"
              "逾期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款数额。")


def _cell_lines(cell, lines, *, align=LEFT, sign: str = "") -> None:
    """Fill a table cell with paragraphs (docxtpl ``{%p …%}`` tags allowed as their own lines); ``sign`` adds a
    right-aligned signature/date line at the bottom."""
    lines = [lines] if isinstance(lines, str) else list(lines)
    if lines and lines[-1].startswith("{%p") and not sign:
        lines.append("")  # a cell keeps at least one paragraph whatever the loops produce
    first, *rest = lines or [""]
    _cell(cell, first, align=align)
    for line in rest:
        _cell_paragraph(cell, line)
    if sign:
        _cell_paragraph(cell, sign, align=RIGHT)


def _label(cell, text: str) -> None:
    _cell(cell, text, bold=True, align=CENTER)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _form_table(document, rows, *, widths=FORM_WIDTHS_MM):
    """A bordered form. Row specs: ("pair", l1, v1, l2, v2) · ("row", label, lines) · ("sign", label, lines,
    sign) · ("full", lines) · ("cols", c1, c2, c3, c4) · ("head", c1, c2, c3, c4) · ("tr", "{%tr … %}")."""
    table = document.add_table(rows=len(rows), cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for idx, width in enumerate(widths):
        table.columns[idx].width = Mm(width)  # the grid (LibreOffice/WPS) as well as each cell (Word)
    for row in table.rows:
        for idx, width in enumerate(widths):
            row.cells[idx].width = Mm(width)
    last = len(widths) - 1
    for row, spec in zip(table.rows, rows, strict=True):
        kind, *args = spec
        cells = row.cells
        if kind == "pair":
            l1, v1, l2, v2 = args
            _label(cells[0], l1)
            _cell_lines(cells[1], v1)
            _label(cells[2], l2)
            _cell_lines(cells[3], v2)
        elif kind in ("row", "sign"):
            label, lines, *sign = args
            _label(cells[0], label)
            _cell_lines(cells[1].merge(cells[last]) if last > 1 else cells[1], lines, sign=sign[0] if sign else "")
        elif kind == "full":
            _cell_lines(cells[0].merge(cells[last]), args[0])
        elif kind in ("cols", "head"):
            for idx, text in enumerate(args):
                if kind == "head":
                    _label(cells[idx], text)
                else:
                    _cell_lines(cells[idx], text, align=CENTER)
        elif kind == "tr":
            _cell(cells[0], args[0])
        else:  # pragma: no cover - a typo in a spec
            raise ValueError(kind)
    return table


def _form_heading(document, *, issuer: str = "{{ issuer }}") -> None:
    _para(document, issuer, align=CENTER, font=TITLE_FONT, size=SIZE_3)
    _para(document, "{{ kind_name }}", align=CENTER, font=TITLE_FONT, size=SIZE_2)
    _para(document, "{% if number %}{{ number }}{% elif case_number %}案号：{{ case_number }}{% endif %}",
          align=RIGHT, size=SIZE_4)


def _footer_signatures(document, text: str) -> None:
    """Signature lines at the bottom of every page (笔录 are signed page by page), above the page number."""
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0].insert_paragraph_before()
        paragraph.alignment = LEFT
        _font(paragraph.add_run(text), BODY_FONT, SIZE_4)


def _seal_signature(document, *, seal: str = "（印章）") -> None:
    _blank(document, 1)
    _para(document, seal, align=RIGHT, right_chars=6)
    _para(document, "{{ signature }}", align=RIGHT, right_chars=4)
    _para(document, "{{ date_cn }}", align=RIGHT, right_chars=4)


def _form(rows, *, footer: str = "", after=(), seal: bool = False, issuer: str = "{{ issuer }}",
          widths=FORM_WIDTHS_MM):
    def build():
        document = _base_document()
        _form_heading(document, issuer=issuer)
        _form_table(document, rows, widths=widths)
        for line in after:
            _para(document, line, size=SIZE_4)
        if seal:
            _seal_signature(document)
        if footer:
            _footer_signatures(document, footer)
        return document
    return build


def _indented(document, lines) -> None:
    for line in lines:
        if line.startswith("{%p"):
            _para(document, line)
        else:
            _para(document, line, indent_chars=2, align=JUSTIFY)


PARTY_BLOCK = [
    "当事人：{{ party_name }}",
    ID_LABEL + "：{{ party_id_number }}",
    ADDRESS_LABEL + "：{{ party_address }}",
    "{%p if party_phone %}", "联系电话：{{ party_phone }}", "{%p endif %}",
]


def _document(*, party: bool = False, recipient: bool = True, before=(), intro=(), fixed=(), closing=(),
              contact=False, attachments=()):
    """A decision-type instrument: 发文机关 and name as headings, 文号 flush right, recipient or party block, body,
    fixed clauses, seal, signature and date."""
    def build():
        document = _base_document()
        _para(document, "{{ issuer }}", align=CENTER, font=TITLE_FONT, size=SIZE_2)
        _para(document, "{{ kind_name }}", align=CENTER, font=TITLE_FONT, size=SIZE_2)
        _para(document, "{{ number }}", align=RIGHT)
        _blank(document, 1)
        if recipient:
            _para(document, "{%p if recipient %}")
            _para(document, "{{ recipient }}：")
            _para(document, "{%p endif %}")
        for line in before:
            _para(document, line)
        if party:
            for line in PARTY_BLOCK:
                _para(document, line)
        _indented(document, intro)
        _indented(document, [BODY[0].replace("omit(omit_prefixes)", "omit(omit_prefixes, recipient)"), *BODY[1:]])
        _indented(document, fixed)
        if contact:
            _indented(document, ["联系人：{{ contact }}{% if town_phone %}\u3000联系电话：{{ town_phone }}{% endif %}",
                                 "{%p if town_address %}", "联系地址：{{ town_address }}", "{%p endif %}"])
        for line in closing:
            _para(document, line, indent_chars=2 if line == "此致" else 0)
        if attachments:
            _blank(document, 1)
            _para(document, "附件：" + attachments[0], indent_chars=2)
            for line in attachments[1:]:
                _para(document, line, indent_chars=5)
        _seal_signature(document)
        return document
    return build


FORM_SPECS = {
    "filing_approval": _form([
        ("pair", "案件来源", "{{ source }}", "立案日期", "{{ date_cn }}"),
        ("row", "案由", "{{ cause }}"),
        ("pair", "违法时间", "{{ act_date_cn }}", "违法地点", "{{ place }}"),
        *PARTY_ROWS,
        ("row", "简要案情", "{{ facts }}"),
        ("row", "立案依据", ["{{ basis_citation }}", "{%p if basis_text %}", "{{ basis_text }}", "{%p endif %}"]),
        ("sign", "承办人意见", ["建议立案调查。", "执法人员：" + OFFICERS], "签名：\u3000\u3000\u3000\u3000\u3000\u3000"
         "日期：{{ date_cn }}"),
        ("sign", "承办机构意见", [""], SIGN_BLANK),
        ("sign", "负责人审批意见", BODY, "签名：\u3000\u3000\u3000\u3000\u3000\u3000日期：{{ date_cn }}"),
    ]),
    "inspection_record": _form([
        ("row", "检查时间", "{{ record_from }} 至 {{ record_to }}"),
        ("row", "检查地点", "{{ place }}"),
        ("row", "执法人员及证号", RECORD_OFFICERS),
        ("pair", "记录人", "{{ recorder }}", "记录设备", "{{ device }}"),
        ("pair", "被检查人", "{{ party_name }}", ID_LABEL, "{{ party_id_number }}"),
        ("pair", ADDRESS_LABEL, "{{ party_address }}", "联系电话", "{{ party_phone }}"),
        ("full", ["执法人员已出示执法证件：{% if credentials_shown %}是{% else %}否{% endif %}。",
                  "我们是{{ issuer }}的执法人员，已向你出示执法证件，现依法进行现场检查（勘验），请予配合。你有权进行"
                  "陈述和申辩；认为执法人员与本案有直接利害关系的，可以申请回避。"]),
        ("row", "检查事项", "{{ record_title }}"),
        ("row", "现场检查（勘验）情况", ["{%p for line in record_lines %}", "{{ line }}", "{%p endfor %}", *BODY,
                                "以上笔录已阅，与事实相符。"]),
    ], footer="被检查人签名：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000执法人员签名："),
    "interview_record": _form([
        ("row", "询问时间", "{{ record_from }} 至 {{ record_to }}"),
        ("row", "询问地点", "{{ place }}"),
        ("row", "询问人及证号", RECORD_OFFICERS),
        ("pair", "记录人", "{{ recorder }}", "记录设备", "{{ device }}"),
        ("pair", "被询问人", "{{ party_name }}", ID_LABEL, "{{ party_id_number }}"),
        ("pair", ADDRESS_LABEL, "{{ party_address }}", "联系电话", "{{ party_phone }}"),
        ("full", ["执法人员已出示执法证件：{% if credentials_shown %}是{% else %}否{% endif %}。",
                  "问：我们是{{ issuer }}的执法人员，这是我们的执法证件，请过目。现依法向你调查了解有关情况，你应当"
                  "如实回答，不得提供虚假情况。你有陈述、申辩的权利；认为执法人员与本案有直接利害关系的，可以申请"
                  "回避。你是否申请回避？"]),
        ("row", "询问事项", "{{ record_title }}"),
        ("row", "询问记录", ["{%p for line in record_lines %}", "{{ line }}", "{%p endfor %}", *BODY,
                         "以上笔录已阅，与我所说相符。"]),
    ], footer="被询问人签名：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000执法人员签名："),
    "statement_record": _form([
        ("pair", "当事人", "{{ party_name }}", "陈述申辩日期", "{{ date_cn }}"),
        ("row", "案由", "{{ cause }}"),
        ("row", "陈述申辩意见", ["{% if statement_waived %}当事人明确放弃陈述、申辩权利。{% else %}{{ statement_text }}"
                           "{% endif %}", *BODY]),
        ("sign", "复核意见", "{{ statement_review }}", "签名：\u3000\u3000\u3000\u3000\u3000\u3000日期：{{ date_cn }}"),
    ], footer="陈述申辩人签名：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000执法人员签名："),
    "hearing_record": _form([
        ("row", "案由", "{{ cause }}"),
        ("pair", "听证时间", "{{ hearing_on_cn }}", "听证方式", "{{ hearing_mode }}"),
        ("pair", "听证主持人", "{{ hearing_host }}", "记录人", "{{ recorder }}"),
        ("pair", "当事人", "{{ party_name }}", "委托代理人", ""),
        ("row", "案件调查人员", OFFICERS),
        ("full", ["主持人宣布听证纪律，核对听证参加人身份，告知当事人享有申请回避、陈述、申辩和质证的权利。"]),
        ("row", "听证记录", BODY),
        ("row", "笔录核对", "{% if hearing_record_signed %}当事人已核对并签字确认。{% else %}当事人未签字确认。"
                        "{% endif %}"),
    ], footer="当事人签名：\u3000\u3000\u3000\u3000听证主持人签名：\u3000\u3000\u3000\u3000记录人签名："),
    "collective_discussion_record": _form([
        ("row", "案由", "{{ cause }}"),
        ("pair", "当事人", "{{ party_name }}", "讨论时间", "{{ discussion_on_cn }}"),
        ("row", "出席人员", "{{ participants }}"),
        ("pair", "列席人员", OFFICERS, "记录人", "{{ recorder }}"),
        ("row", "案件基本情况", ["{{ facts }}", "{%p if proposed_penalty %}", "拟处理意见：{{ proposed_penalty }}",
                           "{%p endif %}"]),
        ("row", "讨论记录", ["{%p for line in minutes_lines %}", "{{ line }}", "{%p endfor %}"]),
        ("row", "不同意见", "{% if dissent %}{{ dissent }}{% else %}无{% endif %}"),
        ("row", "讨论决定", ["{{ conclusion }}", *BODY]),
        ("sign", "出席人员签名", [""], "{{ date_cn }}"),
    ]),
    "legal_review_opinion": _form([
        ("pair", "当事人", "{{ party_name }}", "执法事项编码", "{{ matter_code }}"),
        ("row", "案由", "{{ cause }}"),
        ("row", "承办人员", OFFICERS),
        ("row", "违法事实", "{{ facts }}"),
        ("row", "拟处理意见", "{{ proposed_penalty }}"),
        ("row", "审核内容", "对执法主体、管辖权限、执法人员资格、案件事实、证据、适用法律依据、程序、裁量基准运用和"
                        "法律文书等进行审核。"),
        ("pair", "审核结论", "{{ review_result }}", "审核日期", "{{ reviewed_on_cn }}"),
        ("row", "审核意见", ["{{ review_opinion }}", *BODY]),
        ("sign", "审核人员", "{{ reviewer_name }}（法律职业资格证书编号：{{ reviewer_qualification }}）",
         "签名：\u3000\u3000\u3000\u3000\u3000\u3000日期：{{ reviewed_on_cn }}"),
    ]),
    "investigation_report": _form([
        ("pair", "立案日期", "{{ filed_on_cn }}", "执法事项编码", "{{ matter_code }}"),
        ("row", "案由", "{{ cause }}"),
        *PARTY_ROWS,
        ("row", "承办人员", OFFICERS),
        ("row", "违法事实", "{{ facts }}"),
        ("row", "证据", ["{%p for e in evidence %}", "{{ loop.index }}. {{ e }}", "{%p endfor %}",
                       "{% if not evidence %}无{% endif %}"]),
        ("row", "适用依据", ["{{ basis_citation }}", "{%p if basis_text %}", "{{ basis_text }}", "{%p endif %}"]),
        ("row", "处罚种类和幅度", "{{ penalty_kinds }}{% if fine_range %}；罚款{{ fine_range }}{% endif %}"),
        ("sign", "调查人员意见", BODY, "签名：\u3000\u3000\u3000\u3000\u3000\u3000日期：{{ date_cn }}"),
        ("sign", "承办机构意见", [""], SIGN_BLANK),
        ("sign", "负责人意见", [""], SIGN_BLANK),
    ]),
    "closing_report": _form([
        ("pair", "立案日期", "{{ filed_on_cn }}", "结案日期", "{{ date_cn }}"),
        ("row", "案由", "{{ cause }}"),
        ("pair", "当事人", "{{ party_name }}", ID_LABEL, "{{ party_id_number }}"),
        ("pair", "决定书文号", "{{ decision_number }}", "决定日期", "{{ decided_on_cn }}"),
        ("pair", "处理结果", "{{ outcome }}", "罚款（元）", "{{ fine }}"),
        ("row", "处罚内容", "{{ penalty_text }}"),
        ("row", "执行情况", "{{ execution }}"),
        ("sign", "结案报告", ["{{ closing_summary }}", *BODY], "承办人签名：\u3000\u3000\u3000\u3000\u3000\u3000"
         "日期：{{ date_cn }}"),
        ("sign", "承办机构意见", [""], SIGN_BLANK),
        ("sign", "负责人审批意见", [""], SIGN_BLANK),
    ]),
    "proof_of_service": _form([
        ("row", "送达文书名称及文号",
         "{{ served_document }}{% if decision_number %}（{{ decision_number }}）{% endif %}"),
        ("row", "受送达人", "{{ party_name }}"),
        ("row", "送达地点", "{{ service_place }}"),
        ("pair", "送达方式", "{{ service_method }}", "送达日期", "{{ date_cn }}"),
        ("row", "送达人", OFFICERS),
        ("sign", "收件人签名", [""], "\u3000\u3000年\u3000\u3000月\u3000\u3000日"),
        ("row", "代收人及代收理由", ""),
        ("row", "见证人", ""),
        ("row", "备注", BODY),
    ], seal=True),
    "seizure_list": _form([
        ("pair", "当事人", "{{ party_name }}", "联系电话", "{{ party_phone }}"),
        ("row", "案由", "{{ cause }}"),
        ("row", "物品清单", BODY),
        ("sign", "执法人员", OFFICERS, "签名：\u3000\u3000\u3000\u3000\u3000\u3000日期：{{ date_cn }}"),
        ("sign", "当事人确认", "以上清单与实际相符。", SIGN_BLANK),
    ], seal=True),
    "transfer_materials": _form([
        ("pair", "当事人", "{{ party_name }}", "移送日期", "{{ date_cn }}"),
        ("row", "案由", "{{ cause }}"),
        ("row", "接收机关", "{{ recipient }}"),
        ("row", "移送材料", BODY),
        ("sign", "移送人", OFFICERS, "签名：\u3000\u3000\u3000\u3000\u3000\u3000日期：{{ date_cn }}"),
        ("sign", "接收人", [""], SIGN_BLANK),
    ], seal=True),
    "onspot_decision": _form([
        *PARTY_ROWS,
        ("pair", "违法时间", "{{ act_date_cn }}", "违法地点", "{{ place }}"),
        ("row", "违法事实", "{{ facts }}"),
        ("row", "处罚依据", ["{{ basis_citation }}", "{%p if basis_text %}", "{{ basis_text }}", "{%p endif %}"]),
        ("row", "处罚内容", "{% if penalty_text %}{{ penalty_text }}{% elif fine %}罚款{{ fine }}元{% endif %}"),
        ("row", "罚款缴纳方式和期限", PAY_ONSPOT),
        ("row", "救济途径", REMEDY),
        ("row", "执法人员及证号", OFFICERS),
        ("row", "备注", BODY),
        ("sign", "当事人签收", [""], "\u3000\u3000年\u3000\u3000月\u3000\u3000日"),
    ], seal=True),
}

CONTESTABLE = [ENFORCE_CLAUSE, REMEDY]
DOCUMENT_SPECS = {
    "notice_of_intended_penalty": _document(fixed=[
        "逾期未提出陈述、申辩{% if hearing_offered %}或者听证要求{% endif %}的，视为放弃上述权利。"], contact=True),
    "penalty_decision": _document(party=True, recipient=False, fixed=CONTESTABLE),
    "no_penalty_decision": _document(party=True, recipient=False, fixed=[REMEDY]),
    "correction_order": _document(contact=True),
    "demand_notice": _document(contact=True),
    "enforcement_application": _document(
        recipient=False,
        before=["申请人：{{ issuer }}", "{%p if town_address %}", "地址：{{ town_address }}", "{%p endif %}",
                "被申请人："],
        party=True, closing=["此致", "{{ recipient }}"],
        attachments=["1. 行政处罚决定书及送达回证", "2. 履行催告书及送达回证", "3. 其他证明材料"]),
    "hearing_notice": _document(contact=True),
    "payment_deferral": _document(),
    "transfer_letter": _document(),
    "sampling_notice": _document(party=True, recipient=False),
    "preservation_notice": _document(party=True, recipient=False),
    "preservation_decision": _document(party=True, recipient=False),
    "seizure_decision": _document(party=True, recipient=False, fixed=[REMEDY]),
    "seizure_extension": _document(party=True, recipient=False, fixed=[REMEDY]),
    "seizure_release": _document(party=True, recipient=False),
    "seizure_disposal": _document(party=True, recipient=False, fixed=[REMEDY]),
    "recusal_decision": _document(),
    "crime_transfer": _document(),
}


def build_mediation_agreement():
    """人民调解协议书 (人民调解法第二十九条): parties, facts, terms, performance, effect, signatures, seal."""
    build = _form([
        ("head", "当事人", "姓名（名称）", "联系电话", "住所（地址）"),
        ("tr", "{%tr for p in parties %}"),
        ("cols", "{{ p.side }}", "{{ p.name }}", "{{ p.phone }}", "{{ p.address }}"),
        ("tr", "{%tr endfor %}"),
        ("row", "纠纷类型", "{{ dispute_kind }}"),
        ("row", "纠纷主要事实、争议事项", "{{ summary }}"),
        ("row", "协议内容", ["经人民调解委员会调解，各方当事人自愿达成如下协议：", *BODY]),
        ("row", "履行方式、期限", "{{ performance }}"),
        ("full", ["经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。",
                  "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
                  "本协议一式{{ copies }}份，当事人各执一份，人民调解委员会留存一份。",
                  "当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"]),
        ("tr", "{%tr for p in parties %}"),
        ("sign", "当事人（签名、盖章或按指印）", "{{ p.side }}：{{ p.name }}", DATE_BLANK),
        ("tr", "{%tr endfor %}"),
        ("sign", "人民调解员（签名）", "{{ mediator }}", DATE_BLANK),
        ("sign", "人民调解委员会（印章）", "{{ committee }}", "{{ date_cn }}"),
    ], issuer="{{ committee }}", after=["{%p if note %}", "{{ note }}", "{%p endif %}"],
        widths=(34, 40, 30, 52))
    return build()


def build_petition_opinion():
    """信访事项处理意见书 (信访工作条例第三十二条、第三十四条)."""
    return _document(intro=[
        "你{% if people and people > 1 %}们{% endif %}于{{ received_on_cn }}通过{{ channel }}提出的“{{ subject }}”"
        "信访事项（查询码：{{ petition_code }}）收悉。经调查核实，现将处理意见答复如下："])()


DEDICATED = {
    **{f"{code}.docx": build for code, build in FORM_SPECS.items()},
    **{f"{code}.docx": build for code, build in DOCUMENT_SPECS.items()},
    "mediation_agreement.docx": build_mediation_agreement,
    "petition_opinion.docx": build_petition_opinion,
}

BUILDERS = {
    "generic.docx": build_generic,
    "notice.docx": build_notice,
    "post_handover.docx": build_post_handover,
    **DEDICATED,
}

# A fixed timestamp for every ZIP member, so the same code builds byte-identical files.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def _deterministic(data: bytes) -> bytes:
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def build_bytes(filename: str) -> bytes:
    buffer = BytesIO()
    BUILDERS[filename]().save(buffer)
    return _deterministic(buffer.getvalue())


def build_all(directory: Path = TEMPLATES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for filename in BUILDERS:
        path = directory / filename
        path.write_bytes(build_bytes(filename))
        written.append(path)
    return written
