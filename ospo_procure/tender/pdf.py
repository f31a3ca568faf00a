"""A PDF of the Terms of Reference, drawn with reportlab from the assembled content.

Built from the same `DocContent` as the .docx (not by converting it), so it needs no office
suite, and laid out like it: the country's paper and margins, a title page, a table of
contents with page numbers, numbers hanging in the margin column (1., 1.1, 1.1.1, (a), (i)),
"page X of Y" in the footer, headings kept with what follows them, table header rows
repeated on every page, PDF bookmarks for every heading and the document language set.

A Unicode TrueType font is registered and set on every style and table so accented text is
embedded and extracts correctly; `invariant=1` drops the creation date and random document
id, so equal input gives equal bytes. Very long paragraphs are drawn in pieces, so drawing
time stays linear in their length (reportlab re-wraps a paragraph's remainder on every page).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ospo_procure.errors import DataError

from .content import DocContent, Para
from .country import Setup, resolve

# Liberation Sans has Arial's metrics (the .docx font), so both documents wrap alike.
_FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf",
    ),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/local/share/fonts/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans-Bold.ttf"),
)
CHUNK_CHARS = 3000  # longest piece of a paragraph handed to reportlab at once
MM = 72 / 25.4
INDENT = 14 * MM  # the text column after a number, as in the .docx template
ITEM = 10 * MM


def _register_fonts() -> tuple[str, str]:
    """Liberation Sans or DejaVu Sans when installed, else reportlab's bundled Vera (Latin-1)."""
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
            pdfmetrics.registerFontFamily("OspoSans", normal="OspoSans", bold="OspoSans-Bold")
            return "OspoSans", "OspoSans-Bold"
    raise DataError("no Unicode TrueType font found for the PDF (install fonts-liberation or fonts-dejavu-core)")


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Split a long paragraph at sentence ends (else at spaces) into pieces of about `size`."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind(". "), window.rfind("; "), window.rfind("? "), window.rfind("! "))
        if cut < size // 3:
            cut = window.rfind(" ")
        cut = size if cut < size // 3 else cut + 1
        out.append(text[start : start + cut].strip())
        start += cut
    out.append(text[start:].strip())
    return [c for c in out if c]


def _styles(regular: str, bold: str) -> dict[str, Any]:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle

    # embeddedHyphenation: a long id such as "eligibility-no-manufacturer-authorisation" breaks
    # at its hyphens, as in the word processor, never inside a word.
    base = ParagraphStyle(
        "base",
        fontName=regular,
        fontSize=10.5,
        leading=13.9,
        spaceAfter=6,
        bulletFontName=regular,
        embeddedHyphenation=1,
    )
    body = ParagraphStyle("body", parent=base, leftIndent=INDENT, alignment=TA_JUSTIFY)
    toc = ParagraphStyle("toc", parent=base, fontSize=9.5, bulletFontSize=9.5, leading=12, spaceAfter=0.5)
    heading = ParagraphStyle("h", parent=base, fontName=bold, bulletFontName=bold, leftIndent=INDENT, keepWithNext=1)
    return {
        "agency": ParagraphStyle("agency", parent=base, fontName=bold, fontSize=12, leading=15, spaceAfter=0),
        "title": ParagraphStyle(
            "title", parent=base, fontName=bold, fontSize=24, leading=29, spaceBefore=60, spaceAfter=12
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=15, leading=19, spaceAfter=24),
        "contents": ParagraphStyle("contents", parent=base, fontName=bold, fontSize=13, leading=17, spaceAfter=12),
        "h1": ParagraphStyle(
            "h1", parent=heading, fontSize=13, bulletFontSize=13, leading=17, spaceBefore=18, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=heading, fontSize=11, bulletFontSize=11, leading=14.5, spaceBefore=12, spaceAfter=4
        ),
        "annex": ParagraphStyle("annex", parent=heading, fontSize=13, leading=17, spaceAfter=6),
        "body": body,
        "clause": ParagraphStyle("clause", parent=body, bulletIndent=0),
        "item": ParagraphStyle("item", parent=body, leftIndent=INDENT + ITEM, bulletIndent=INDENT, spaceAfter=4),
        "subitem": ParagraphStyle(
            "subitem", parent=body, leftIndent=INDENT + 2 * ITEM, bulletIndent=INDENT + ITEM, spaceAfter=4
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=INDENT + 7.5 * MM, bulletIndent=INDENT, spaceAfter=3
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=bold, fontSize=9.5, leading=12, spaceAfter=0),
        "toc0": ParagraphStyle(
            "toc0", parent=toc, fontName=bold, bulletFontName=bold, leftIndent=10 * MM, spaceBefore=3
        ),
        "toc1": ParagraphStyle("toc1", parent=toc, leftIndent=22.5 * MM, bulletIndent=10 * MM),
    }


class _Layout:
    """The story (flowables) and the page furniture of one document."""

    def __init__(self, content: DocContent, setup: Setup) -> None:
        self.content = content
        self.regular, self.bold = _register_fonts()
        self.styles = _styles(self.regular, self.bold)
        self.page_w, self.page_h = setup.paper.points
        self.margin = setup.paper.margin_mm * MM
        self.text_w = self.page_w - 2 * self.margin
        self._keys = iter(range(1, 10**6))

    def para(self, text: str, style: str, number: str = "", toc: int | None = None) -> Any:
        from reportlab.platypus import Paragraph

        # Paragraph parses mini-markup: escape so "R&D <ICT>" prints literally.
        p = Paragraph(escape(text), self.styles[style], bulletText=escape(number) if number else None)
        if toc is not None:  # a heading: afterFlowable bookmarks it and lists it in the TOC
            p._ospo_toc = (toc, f"h{next(self._keys)}")
        return p

    def paras(self, items: list[Para]) -> list[Any]:
        out: list[Any] = []
        for p in items:
            style = p.kind if p.kind in ("clause", "item", "subitem", "bullet") else "body"
            number = "•" if p.kind == "bullet" else p.number
            pieces = chunks(p.text)
            for i, piece in enumerate(pieces):
                f = self.para(piece, style, number if i == 0 else "")
                if len(pieces) > 1:  # pieces of one paragraph: no gap between them
                    f.style = _piece_style(f.style, first=i == 0, last=i == len(pieces) - 1)
                out.append(f)
        return out

    def table(self, rows: list[list[str]], fractions: list[float], header: bool = True, total: bool = False) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        bold_rows = {0} if header else set()
        if total:
            bold_rows.add(len(rows) - 1)
        data = [[self.para(c, "cellb" if i in bold_rows else "cell") for c in row] for i, row in enumerate(rows)]
        t = Table(data, colWidths=[f * self.text_w for f in fractions], repeatRows=1 if header else 0, hAlign="LEFT")
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.regular),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4.25),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4.25),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E7E7E7")))
        t.setStyle(TableStyle(style))
        return t

    def story(self) -> list[Any]:
        from reportlab.lib import colors
        from reportlab.platypus import HRFlowable, PageBreak, TableStyle
        from reportlab.platypus.tableofcontents import TableOfContents

        c, L = self.content, self.content.labels
        story: list[Any] = [
            self.para(c.agency.upper(), "agency"),
            HRFlowable(width="100%", thickness=0.75, color=colors.HexColor("#808080"), spaceBefore=4),
            self.para(c.heading, "title"),
            self.para(c.title, "subtitle"),
        ]
        story += [self.table([[m["label"], m["value"]] for m in c.meta], [0.375, 0.625], header=False), PageBreak()]
        toc = TableOfContents(dotsMinLevel=0)
        toc.levelStyles = [self.styles["toc0"], self.styles["toc1"]]
        toc.tableStyle = TableStyle(
            [("FONTNAME", (0, 0), (-1, -1), self.regular), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        )
        story += [self.para(L["contents"], "contents"), toc, PageBreak()]
        for s in c.sections:
            story.append(self.para(s.title, "h1", f"{s.number}.", toc=0))
            story += self.paras(s.intro)
            for g in s.groups:
                story.append(self.para(g.title, "h2", g.number, toc=1))
                story += self.paras([Para(i, "bullet") for i in g.entries])
            if s.table:
                rows = [[L["criterion"], L["weight"], L["description"]]]
                rows += [[r["name"], r["weight"], r["description"]] for r in s.table]
                rows.append([L["total"], c.total_weight, ""])
                story.append(self.table(rows, [0.375, 0.1875, 0.4375], total=True))
                story[-1].spaceAfter = 6
            for block in s.clauses:
                story.append(self.para(block.title, "h2", block.number, toc=1))
                story += self.paras(block.paragraphs)
        story += [PageBreak(), self.para(L["sources"], "annex", toc=0), self.para(L["sources_intro"], "body")]
        rows = [[L["section"], L["clause"], L["clause_id"], L["version"]]]
        rows += [[r["number"], r["title"], r["id"], r["version"]] for r in c.sources]
        story.append(self.table(rows, [0.1125, 0.4875, 0.2875, 0.1125]))
        return story

    def furniture(self, canvas: Any, page: int, total: int) -> None:
        """Header and "page X of Y" footer; the title page carries neither."""
        if page == 1:
            return
        from reportlab.lib import colors

        c, L = self.content, self.content.labels
        canvas.saveState()
        canvas.setFont(self.regular, 8)
        canvas.setFillColor(colors.HexColor("#595959"))
        top, bottom, right = self.page_h - 12.5 * MM, 10 * MM, self.page_w - self.margin
        canvas.drawString(self.margin, top, c.agency)
        canvas.drawRightString(right, top, c.reference)
        canvas.drawString(self.margin, bottom, f"{c.heading} · {L['version']} {c.version}")
        canvas.drawRightString(right, bottom, f"{L['page']} {page} {L['of']} {total}")
        canvas.restoreState()


def render_pdf(content: DocContent, setup: Setup | None = None) -> bytes:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import SimpleDocTemplate

    if setup is None:
        setup = resolve("", content.language, paper="A4", locale=content.locale)[0]
    layout = _Layout(content, setup)

    class NumberedCanvas(Canvas):
        """Holds pages back until the end, so every footer can say 'of Y'."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                layout.furniture(self, self._pageNumber, len(self._pages))
                super().showPage()
            super().save()

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, flowable: Any) -> None:
            entry = getattr(flowable, "_ospo_toc", None)
            if entry is None:
                return
            level, name = entry
            text = flowable.getPlainText()
            number = flowable.bulletText or ""
            self.canv.bookmarkPage(name)
            self.canv.addOutlineEntry(f"{number} {text}".strip(), name, level=level, closed=level > 0)
            label = f"<bullet>{number}</bullet>" if number else ""
            self.notify("TOCEntry", (level, f'{label}<a href="#{name}">{escape(text)}</a>', self.page, None))

    buf = io.BytesIO()
    doc = Doc(
        buf,
        pagesize=(layout.page_w, layout.page_h),
        invariant=1,
        initialFontName=layout.regular,
        initialFontSize=10.5,
        title=f"{content.heading}: {content.title}",
        author=content.agency,
        creator="ospo-procure",
        producer="ospo-procure",
        subject=content.reference,
        lang=content.locale,
        leftMargin=layout.margin,
        rightMargin=layout.margin,
        topMargin=layout.margin,
        bottomMargin=layout.margin,
    )
    doc.multiBuild(layout.story(), canvasmaker=NumberedCanvas)
    return buf.getvalue()


def _piece_style(style: Any, *, first: bool, last: bool) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        f"{style.name}-piece",
        parent=style,
        spaceBefore=style.spaceBefore if first else 0,
        spaceAfter=style.spaceAfter if last else 0,
    )
