"""A PDF of the Terms of Reference, drawn with reportlab from the assembled content.

Built from the same `DocContent` as the .docx (not by converting it), so it needs no office
suite. A Unicode TrueType font is registered and set on every style and table so accented
text is embedded and extracts correctly; `invariant=1` drops the creation date and random
document id, so equal input gives equal bytes.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from ospo_procure.errors import DataError

from .content import DocContent, Para

_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/local/share/fonts/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans-Bold.ttf"),
)


def _register_fonts() -> tuple[str, str]:
    """DejaVu Sans when installed, else reportlab's bundled Vera (Latin-1 covers á ñ ç ã õ)."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "OspoSans" in pdfmetrics.getRegisteredFontNames():
        return "OspoSans", "OspoSans-Bold"
    pairs = list(_FONT_CANDIDATES)
    for folder in rl_config.TTFSearchPath:
        pairs.append((str(Path(folder) / "Vera.ttf"), str(Path(folder) / "VeraBd.ttf")))
    import reportlab

    fonts = Path(reportlab.__file__).parent / "fonts"
    pairs.append((str(fonts / "Vera.ttf"), str(fonts / "VeraBd.ttf")))
    for regular, bold in pairs:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("OspoSans", regular))
            pdfmetrics.registerFont(TTFont("OspoSans-Bold", bold))
            return "OspoSans", "OspoSans-Bold"
    raise DataError("no Unicode TrueType font found for the PDF (install fonts-dejavu-core)")


def render_pdf(content: DocContent) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _register_fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5, spaceAfter=5)
    styles = {
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=20, leading=24, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=13, leading=16, spaceAfter=10),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=14, leading=18, spaceBefore=12, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=bold, fontSize=9, leading=11.5, spaceAfter=0),
        "body": base,
    }
    L = content.labels

    def para(text: str, style: str = "body") -> Paragraph:
        # Paragraph parses mini-markup: escape so "R&D <ICT>" prints literally.
        return Paragraph(escape(text), styles[style])

    def paras(items: list[Para]) -> list:
        out: list = []
        bullets: list = []
        for p in [*items, Para("", bullet=False)]:
            if p.bullet:
                bullets.append(ListItem(para(p.text), leftIndent=12))
                continue
            if bullets:
                out.append(ListFlowable(bullets, bulletType="bullet", bulletFontName=regular, start="•", leftIndent=12))
                bullets = []
            if p.text:
                out.append(para(p.text))
        return out

    def table(rows: list[list[str]], widths: list[float], header: bool = True, total: bool = False) -> Table:
        data = [
            [para(c, "cellb" if (header and i == 0) or (total and i == len(rows) - 1) else "cell") for c in row]
            for i, row in enumerate(rows)
        ]
        t = Table(data, colWidths=widths, repeatRows=1 if header else 0)
        style = [
            ("FONTNAME", (0, 0), (-1, -1), regular),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")))
        t.setStyle(TableStyle(style))
        return t

    story: list = [para(content.heading, "title"), para(content.title, "subtitle")]
    story.append(table([[m["label"], m["value"]] for m in content.meta], [55 * mm, 115 * mm], header=False))
    story.append(Spacer(1, 6 * mm))
    for s in content.sections:
        story.append(para(f"{s.number}. {s.title}", "h1"))
        story += paras(s.intro)
        for g in s.groups:
            story.append(para(f"{g.number} {g.title}", "h2"))
            story += paras([Para(i, bullet=True) for i in g.entries])
        if s.table:
            rows = [[L["criterion"], L["weight"], L["description"]]]
            rows += [[c["name"], c["weight"], c["description"]] for c in s.table]
            rows.append([L["total"], content.total_weight, ""])
            story.append(table(rows, [55 * mm, 25 * mm, 90 * mm], total=True))
        for c in s.clauses:
            story.append(para(f"{c.number} {c.title}", "h2"))
            story += paras(c.paragraphs)
    story.append(para(L["sources"], "h1"))
    story.append(para(L["sources_intro"]))
    rows = [[L["section"], L["clause"], L["clause_id"], L["version"]]]
    rows += [[r["number"], r["title"], r["id"], r["version"]] for r in content.sources]
    story.append(table(rows, [20 * mm, 75 * mm, 55 * mm, 20 * mm]))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        invariant=1,
        initialFontName=regular,
        initialFontSize=10,
        title=content.title,
        author=content.meta[0]["value"],
        creator="ospo-procure",
        producer="ospo-procure",
        subject=content.heading,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawString(20 * mm, 10 * mm, f"{content.title} · {content.meta[1]['value']}")
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
