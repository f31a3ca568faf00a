"""Generate the three docxtpl templates of `ospo-procure build` (plain OOXML, no Word needed).

Run from the checkout: `python templates/make_templates.py` (writes the .docx beside this
script). The output is committed; regenerate it after changing this file. The package is
written part by part from the strings below, so equal input gives equal bytes and nothing
from a library's default template (theme fonts, blue headings, thumbnails) leaks in.

What the templates carry (docs/tender-spec.md, "Templates", lists what an agency's own
template must keep):
- **styles**: restrained and accessible (black text, real Heading styles with outline
  levels, keep-with-next, table header rows that repeat on every page);
- **one multi-level list** linked to the styles `Heading 1` (1.), `Heading 2` (1.1),
  `Clause Paragraph` (1.1.1), `Clause Item` ((a)) and `Clause Subitem` ((i)), so Word and
  LibreOffice number sections, clauses and sub-clauses themselves and renumber them when
  a lawyer inserts one; a separate bullet list for `List Bullet`;
- **fields**: PAGE and NUMPAGES in the footer ("page X of Y", words from the build), and a
  TOC field that the build fills with one entry per heading;
- a title page (no header or footer on it) and the docxtpl loops over the assembled content.

All prose comes from the build (labels per language), so one template serves every
language; the build also sets the language, paper size and margins (by country).

Template language (docxtpl): `{%p ... %}` paragraphs and `{%tr ... %}` table rows vanish
when rendered; `{{ ... }}` are values, autoescaped by the build.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Page: A4 with 25 mm margins (the build resizes for Letter countries). Twips (1/20 pt).
PAGE_W, PAGE_H, MARGIN = 11906, 16838, 1417
TEXT_W = PAGE_W - 2 * MARGIN  # 9072 twips = 160 mm
INDENT = 794  # 14 mm: the text column after a clause number
ITEM = 567  # 10 mm: hanging indent of (a) and (i) items
FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
BODY_SIZE = 21  # half-points: 10.5 pt
TABLE_SIZE = 19  # 9.5 pt
GREY = "595959"
HEADER_FILL = "E7E7E7"
RULE = "808080"


# ---------------------------------------------------------------- small XML writers


def _attrs(**kw: str | int) -> str:
    return "".join(f" w:{k.replace('_', '')}={quoteattr(str(v))}" for k, v in kw.items())


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def run(text: str = "", *, bold: bool = False, rpr: str = "") -> str:
    props = ("<w:b/>" if bold else "") + rpr
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{_t(text) if text else ''}</w:r>"


def field(instr: str, cached: str = "", rpr: str = "") -> str:
    """A complex field: begin, instruction, separate, cached result, end."""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (
        f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{props}<w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
        f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(cached, rpr=rpr)}"
        f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def para(content: str = "", style: str | None = None, ppr: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{content}</w:p>"


def text_para(text: str, style: str | None = None, ppr: str = "") -> str:
    return para(run(text), style, ppr)


def tag(statement: str) -> str:
    """A docxtpl paragraph tag ({%p ... %}); the whole paragraph disappears when rendered."""
    return para(run("{%p " + statement + " %}"))


def row_tag(statement: str, cols: int) -> str:
    cells = "".join(_cell("{%tr " + statement + " %}" if i == 0 else "", 0) for i in range(cols))
    return f"<w:tr>{cells}</w:tr>"


def _cell(content: str, width: int, *, header: bool = False, bold: bool = False, raw: bool = False) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>' if header else ""
    width_xml = f'<w:tcW w:w="{width}" w:type="dxa"/>' if width else ""
    body = content if raw else run(content, bold=bold or header)
    style = "TableHeading" if header else "TableText"
    return f"<w:tc><w:tcPr>{width_xml}{shade}</w:tcPr>{para(body, style)}</w:tc>"


def table(
    widths: list[int],
    header: list[str] | None,
    loop: str,
    cells: list[str],
    total: list[str] | None = None,
    *,
    raw_cells: bool = False,
) -> str:
    """A table whose body row repeats once per item; the header row repeats on every page."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    tbl_pr = (
        '<w:tblPr><w:tblStyle w:val="TenderTable"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        ' w:noHBand="0" w:noVBand="1"/></w:tblPr>'
    )
    rows = ""
    if header is not None:
        head = "".join(_cell(h, w, header=True) for h, w in zip(header, widths, strict=True))
        rows += f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"
    rows += row_tag(loop, len(widths))
    body = "".join(_cell(c, w, raw=raw_cells) for c, w in zip(cells, widths, strict=True))
    rows += f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{body}</w:tr>"
    rows += row_tag("endfor", len(widths))
    if total:
        foot = "".join(_cell(c, w, bold=True) for c, w in zip(total, widths, strict=True))
        rows += f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{foot}</w:tr>"
    return f"<w:tbl>{tbl_pr}<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"


def page_break() -> str:
    return para('<w:r><w:br w:type="page"/></w:r>')


# ---------------------------------------------------------------- document bodies


def _cover(*, with_toc: bool) -> str:
    """Title page: agency, document, title, the particulars (reference, version, date...)."""
    xml = text_para("{{ doc.agency }}", "CoverAgency")
    xml += text_para("{{ doc.heading }}", "Title")
    xml += text_para("{{ doc.title }}", "Subtitle")
    meta_widths = [3402, TEXT_W - 3402]
    xml += table(meta_widths, None, "for m in doc.meta", ["{{ m.label }}", "{{ m.value }}"])
    xml += page_break()
    if with_toc:
        xml += text_para("{{ L.contents }}", "TOCHeading")
        # The build replaces this field's result with one entry per heading.
        xml += para(field('TOC \\o "1-2" \\h \\z \\u', "{{ L.contents }}"))
        xml += page_break()
    return xml


def _paragraphs(var: str, items: str) -> str:
    """Clause and section paragraphs: each kind has its own style (and list level)."""
    xml = tag(f"for {var} in {items}")
    branches = [
        ("clause", "ClauseParagraph"),
        ("item", "ClauseItem"),
        ("subitem", "ClauseSubitem"),
        ("bullet", "ListBullet"),
    ]
    for i, (kind, style) in enumerate(branches):
        xml += tag(f"{'if' if i == 0 else 'elif'} {var}.kind == '{kind}'")
        xml += text_para("{{ " + var + ".text }}", style)
    xml += tag("else")
    xml += text_para("{{ " + var + ".text }}", "BodyText")
    xml += tag("endif")
    xml += tag("endfor")
    return xml


AWARD_WIDTHS = [3402, 1701, TEXT_W - 3402 - 1701]
GRID_WIDTHS = [2551, 1531, TEXT_W - 2551 - 1531 - 1247 - 1247, 1247, 1247]
SOURCE_WIDTHS = [1021, 4422, TEXT_W - 1021 - 4422 - 1021, 1021]


def _sections(*, with_award_table: bool) -> str:
    xml = tag("for s in doc.sections")
    xml += text_para("{{ s.title }}", "Heading1")
    xml += _paragraphs("p", "s.intro")
    xml += tag("for g in s.groups")
    xml += text_para("{{ g.title }}", "Heading2")
    xml += tag("for item in g.entries")
    xml += text_para("{{ item }}", "ListBullet")
    xml += tag("endfor")
    xml += tag("endfor")
    if with_award_table:
        xml += tag("if s.table")
        xml += table(
            AWARD_WIDTHS,
            ["{{ L.criterion }}", "{{ L.weight }}", "{{ L.description }}"],
            "for c in s.table",
            ["{{ c.name }}", "{{ c.weight }}", "{{ c.description }}"],
            total=["{{ L.total }}", "{{ doc.total_weight }}", ""],
        )
        xml += tag("endif")
    xml += tag("for c in s.clauses")
    xml += text_para("{{ c.title }}", "Heading2")
    xml += _paragraphs("q", "c.paragraphs")
    xml += tag("endfor")
    xml += tag("endfor")
    return xml


def _sources_annex() -> str:
    xml = text_para("{{ L.sources }}", "AnnexHeading")
    xml += text_para("{{ L.sources_intro }}", "BodyText")
    # The section number is a cross-reference to the clause heading (REF ... \r): after a
    # lawyer inserts a clause and updates fields, the annex follows the new numbering.
    number = field("REF {{ r.bookmark }} \\r \\h", "{{ r.number }}")
    xml += table(
        SOURCE_WIDTHS,
        ["{{ L.section }}", "{{ L.clause }}", "{{ L.clause_id }}", "{{ L.version }}"],
        "for r in doc.sources",
        [number, run("{{ r.title }}"), run("{{ r.id }}"), run("{{ r.version }}")],
        raw_cells=True,
    )
    return xml


def terms_of_reference() -> str:
    return _cover(with_toc=True) + _sections(with_award_table=True) + _sources_annex()


def contract_annex() -> str:
    return _cover(with_toc=True) + _sections(with_award_table=False) + _sources_annex()


def evaluation_grid() -> str:
    xml = _cover(with_toc=False)
    xml += text_para("{{ L.grid_intro }}", "BodyText")
    xml += table(
        GRID_WIDTHS,
        ["{{ L.criterion }}", "{{ L.weight }}", "{{ L.description }}", "{{ L.score }}", "{{ L.weighted }}"],
        "for c in doc.criteria",
        ["{{ c.name }}", "{{ c.weight }}", "{{ c.description }}", "", ""],
        total=["{{ L.total }}", "{{ doc.total_weight }}", "", "", ""],
    )
    xml += _sections(with_award_table=False) + _sources_annex()
    return xml


def document_xml(body: str) -> str:
    sect = (
        "<w:sectPr>"
        '<w:headerReference w:type="default" r:id="rIdHeader"/>'
        '<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
        '<w:footerReference w:type="default" r:id="rIdFooter"/>'
        '<w:footerReference w:type="first" r:id="rIdFooterFirst"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}"'
        ' w:header="709" w:footer="567" w:gutter="0"/>'
        '<w:cols w:space="708"/><w:titlePg/><w:docGrid w:linePitch="360"/>'
        "</w:sectPr>"
    )
    return f'{XML_DECL}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}{sect}</w:body></w:document>'


def _hdr_ftr(root: str, content: str) -> str:
    return f'{XML_DECL}<w:{root} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{content}</w:{root}>'


HEADER = para(run("{{ doc.agency }}") + "<w:r><w:tab/></w:r>" + run("{{ doc.reference }}"), "Header")
FOOTER = para(
    run("{{ doc.heading }} · {{ L.version }} {{ doc.version }}")
    + "<w:r><w:tab/></w:r>"
    + run("{{ L.page }} ")
    + field("PAGE", "1")
    + run(" {{ L.of }} ")
    + field("NUMPAGES", "1"),
    "Footer",
)


# ---------------------------------------------------------------- styles and numbering


def _rpr(*, size: int | None = None, bold: bool = False, color: str | None = None, caps: bool = False) -> str:
    out = "<w:b/><w:bCs/>" if bold else ""
    out += "<w:caps/>" if caps else ""
    out += f'<w:color w:val="{color}"/>' if color else ""
    out += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else ""
    return f"<w:rPr>{out}</w:rPr>" if out else ""


def _style(
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    kind: str = "paragraph",
    extra: str = "",
    default: bool = False,
) -> str:
    is_default = ' w:default="1"' if default else ""
    head = f'<w:style w:type="{kind}" w:styleId="{style_id}"{is_default}>'
    head += f'<w:name w:val="{name}"/>'
    head += f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    head += f'<w:next w:val="{next_style}"/>' if next_style else ""
    head += '<w:uiPriority w:val="9"/><w:qFormat/>' if name.startswith("heading") else "<w:qFormat/>"
    return head + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + rpr + extra + "</w:style>"


def _num(level: int, num_id: int = 1) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def _spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    line_xml = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{line_xml}/>'


def _ind(left: int, hanging: int = 0) -> str:
    return f'<w:ind w:left="{left}" w:hanging="{hanging}"/>' if hanging else f'<w:ind w:left="{left}"/>'


def styles_xml() -> str:
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{fonts}<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/>'
        '<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault>"
        f"<w:pPrDefault><w:pPr>{_spacing(0, 120, 264)}</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    keep = "<w:keepNext/><w:keepLines/>"
    right_tab = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
    toc_tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>'
    styles = [
        _style("Normal", "Normal", based_on=None, default=True, ppr="<w:widowControl/>"),
        _style("DefaultParagraphFont", "Default Paragraph Font", based_on=None, kind="character", default=True).replace(
            "<w:qFormat/>", '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
        ),
        _style(
            "Title",
            "Title",
            next_style="Subtitle",
            ppr=_spacing(1200, 240, 240) + '<w:contextualSpacing/><w:outlineLvl w:val="9"/>',
            rpr=_rpr(size=48, bold=True),
        ),
        _style("Subtitle", "Subtitle", next_style="Normal", ppr=_spacing(0, 480, 264), rpr=_rpr(size=30)),
        _style(
            "CoverAgency",
            "Cover Agency",
            next_style="Title",
            ppr=f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="6" w:color="{RULE}"/></w:pBdr>' + _spacing(0, 0),
            rpr=_rpr(size=24, bold=True, caps=True),
        ),
        _style(
            "Heading1",
            "heading 1",
            next_style="BodyText",
            ppr=keep + _num(0) + _spacing(360, 120) + _ind(INDENT, INDENT) + '<w:outlineLvl w:val="0"/>',
            rpr=_rpr(size=26, bold=True),
        ),
        _style(
            "Heading2",
            "heading 2",
            next_style="ClauseParagraph",
            ppr=keep + _num(1) + _spacing(240, 80) + _ind(INDENT, INDENT) + '<w:outlineLvl w:val="1"/>',
            rpr=_rpr(size=22, bold=True),
        ),
        _style(
            "AnnexHeading",
            "Annex Heading",
            based_on="Heading1",
            next_style="BodyText",
            ppr='<w:keepNext/><w:keepLines/><w:pageBreakBefore/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
            + _ind(INDENT)
            + '<w:outlineLvl w:val="0"/>',
        ),
        _style("BodyText", "Body Text", next_style="BodyText", ppr=_ind(INDENT) + '<w:jc w:val="both"/>'),
        _style(
            "ClauseParagraph",
            "Clause Paragraph",
            next_style="ClauseParagraph",
            ppr=_num(2) + _ind(INDENT, INDENT) + '<w:jc w:val="both"/>',
        ),
        _style(
            "ClauseItem",
            "Clause Item",
            next_style="ClauseItem",
            ppr=_num(3) + _spacing(0, 80, 264) + _ind(INDENT + ITEM, ITEM) + '<w:jc w:val="both"/>',
        ),
        _style(
            "ClauseSubitem",
            "Clause Subitem",
            next_style="ClauseSubitem",
            ppr=_num(4) + _spacing(0, 80, 264) + _ind(INDENT + 2 * ITEM, ITEM) + '<w:jc w:val="both"/>',
        ),
        _style(
            "ListBullet",
            "List Bullet",
            next_style="ListBullet",
            ppr=_num(0, 2) + _spacing(0, 60, 264) + _ind(INDENT + 425, 425),
        ),
        _style(
            "TOCHeading",
            "TOC Heading",
            next_style="Normal",
            ppr=_spacing(0, 240) + '<w:outlineLvl w:val="9"/>',
            rpr=_rpr(size=26, bold=True),
        ),
        _style(
            "TOC1",
            "toc 1",
            next_style="Normal",
            ppr="<w:keepNext/>" + toc_tab + _spacing(120, 40) + _ind(567, 567),
            rpr=_rpr(bold=True),
        ),
        _style("TOC2", "toc 2", next_style="Normal", ppr=toc_tab + _spacing(0, 40) + _ind(1276, 709)),
        _style("Header", "header", ppr=right_tab + _spacing(0, 0), rpr=_rpr(size=16, color=GREY)),
        _style("Footer", "footer", ppr=right_tab + _spacing(0, 0), rpr=_rpr(size=16, color=GREY)),
        _style("TableText", "Table Text", ppr=_spacing(20, 20, 240), rpr=_rpr(size=TABLE_SIZE)),
        _style("TableHeading", "Table Heading", based_on="TableText", ppr="<w:keepNext/>", rpr=_rpr(bold=True)),
        _style(
            "TenderTable",
            "Tender Table",
            based_on=None,
            kind="table",
            extra=(
                "<w:tblPr>"
                "<w:tblBorders>"
                + "".join(
                    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
                    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
                )
                + "</w:tblBorders>"
                '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
                '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
                "</w:tblPr>"
            ),
        ).replace("<w:qFormat/>", ""),
    ]
    return f'{XML_DECL}<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">{defaults}{"".join(styles)}</w:styles>'


# (format, text, style, indent left, hanging) per level of the clause list.
LEVELS = [
    ("decimal", "%1.", "Heading1", INDENT, INDENT),
    ("decimal", "%1.%2", "Heading2", INDENT, INDENT),
    ("decimal", "%1.%2.%3", "ClauseParagraph", INDENT, INDENT),
    ("lowerLetter", "(%4)", "ClauseItem", INDENT + ITEM, ITEM),
    ("lowerRoman", "(%5)", "ClauseSubitem", INDENT + 2 * ITEM, ITEM),
]


def numbering_xml() -> str:
    levels = ""
    for i in range(9):
        fmt, text, style, left, hanging = LEVELS[i] if i < len(LEVELS) else ("decimal", "", "", 0, 0)
        if i >= len(LEVELS):  # Word expects nine levels; the unused ones continue the pattern
            left, hanging = INDENT + (i - 2) * ITEM, ITEM
            text = ".".join(f"%{n}" for n in range(1, i + 2))
        style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
        levels += (
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{style_xml}'
            f'<w:suff w:val="tab"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>{_ind(left, hanging)}</w:pPr></w:lvl>'
        )
    bullets = ""
    for i in range(9):
        left = INDENT + 425 * (i + 1)
        bullets += (
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{"•" if i % 2 == 0 else "–"}"/><w:lvlJc w:val="left"/>'
            f"<w:pPr>{_ind(left, 425)}</w:pPr>"
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/></w:rPr></w:lvl>'
        )
    return (
        f'{XML_DECL}<w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>{bullets}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        "</w:numbering>"
    )


def settings_xml() -> str:
    return (
        f'{XML_DECL}<w:settings xmlns:w="{W_NS}">'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
        ' w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


# ---------------------------------------------------------------- package

CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def content_types() -> str:
    parts = {
        "/word/document.xml": f"{CT}.document.main+xml",
        "/word/styles.xml": f"{CT}.styles+xml",
        "/word/numbering.xml": f"{CT}.numbering+xml",
        "/word/settings.xml": f"{CT}.settings+xml",
        "/word/header1.xml": f"{CT}.header+xml",
        "/word/header2.xml": f"{CT}.header+xml",
        "/word/footer1.xml": f"{CT}.footer+xml",
        "/word/footer2.xml": f"{CT}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    overrides = "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in parts.items())
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return f'{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'


def core_xml(title: str) -> str:
    return (
        f'{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>ospo-procure</dc:creator>"
        "<cp:lastModifiedBy>ospo-procure</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_xml() -> str:
    return (
        f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>ospo-procure</Application></Properties>"
    )


def package(title: str, body: str) -> bytes:
    parts = {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": _rels(
            [
                ("rId1", f"{REL}/officeDocument", "word/document.xml"),
                (
                    "rId2",
                    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                    "docProps/core.xml",
                ),
                ("rId3", f"{REL}/extended-properties", "docProps/app.xml"),
            ]
        ),
        "docProps/core.xml": core_xml(title),
        "docProps/app.xml": app_xml(),
        "word/document.xml": document_xml(body),
        "word/_rels/document.xml.rels": _rels(
            [
                ("rIdStyles", f"{REL}/styles", "styles.xml"),
                ("rIdNumbering", f"{REL}/numbering", "numbering.xml"),
                ("rIdSettings", f"{REL}/settings", "settings.xml"),
                ("rIdHeader", f"{REL}/header", "header1.xml"),
                ("rIdHeaderFirst", f"{REL}/header", "header2.xml"),
                ("rIdFooter", f"{REL}/footer", "footer1.xml"),
                ("rIdFooterFirst", f"{REL}/footer", "footer2.xml"),
            ]
        ),
        "word/styles.xml": styles_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/settings.xml": settings_xml(),
        "word/header1.xml": _hdr_ftr("hdr", HEADER),
        "word/header2.xml": _hdr_ftr("hdr", para("", "Header")),
        "word/footer1.xml": _hdr_ftr("ftr", FOOTER),
        "word/footer2.xml": _hdr_ftr("ftr", para("", "Footer")),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


TEMPLATES = {
    "terms_of_reference.docx": ("Terms of reference template", terms_of_reference),
    "contract_annex.docx": ("Contract annex template", contract_annex),
    "evaluation_grid.docx": ("Evaluation grid template", evaluation_grid),
}


def main(out_dir: Path = HERE) -> None:
    for name, (title, body) in TEMPLATES.items():
        (out_dir / name).write_bytes(package(title, body()))
        print(f"wrote {out_dir / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
