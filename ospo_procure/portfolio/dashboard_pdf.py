"""The dashboard as a PDF (reportlab platypus, A4, embedded DejaVu or Vera fonts): the same
sections and charts as the HTML page, charts as 200-dpi images, and the list of
lowest-scoring tenders linked to their reports inside the document."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ospo_procure.portfolio.charts import SCORE_COLOURS
from ospo_procure.portfolio.dashboard import Charts
from ospo_procure.portfolio.kpis import HEADLINE, Kpis, TenderReport
from ospo_procure.portfolio.strings import place, quoted, severity_label, text
from ospo_procure.report._fonts import FontSet, register_fonts
from ospo_procure.report._shared import xml_safe

WIDTH = A4[0] - 3.2 * cm
NAVY = colors.HexColor("#12263a")
RED = colors.HexColor("#b71c1c")
MUTED = colors.HexColor("#5f6368")
LINE = colors.HexColor("#e0e0e0")
SEVERITY = {"error": "#c62828", "warning": "#ef6c00", "info": "#8d6e00", "waived": "#607d8b"}


def _ts(commands: list[Any]) -> TableStyle:
    """A table style whose cells default to our embedded font (reportlab's default is Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts().regular), *commands])


def _e(s: object) -> str:
    return escape(xml_safe(str(s)))


def _styles(f: FontSet) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=f.regular, fontSize=9, leading=12, textColor=colors.HexColor("#1b1b1b"))
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=f.bold, fontSize=19, leading=23, textColor=NAVY),
        "subtitle": ParagraphStyle("subtitle", parent=base, textColor=MUTED, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=f.bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=2),
        "h3": ParagraphStyle("h3", parent=base, fontName=f.bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2),
        "lead": ParagraphStyle("lead", parent=base, textColor=MUTED, fontSize=8.5, leading=11, spaceAfter=4),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "big": ParagraphStyle("big", parent=base, fontName=f.bold, fontSize=20, leading=23, textColor=RED),
        "bignavy": ParagraphStyle("bignavy", parent=base, fontName=f.bold, fontSize=20, leading=23, textColor=NAVY),
    }


def _chart(c: bytes | None, width: float = WIDTH) -> list[Flowable]:
    if c is None:
        return []
    img = Image(io.BytesIO(c))
    scale = width / img.imageWidth
    img.drawWidth, img.drawHeight = width, img.imageHeight * scale
    return [img]


def _tiles(k: Kpis, st: dict[str, ParagraphStyle]) -> Table:
    cells = []
    for c in HEADLINE:
        s = k.shares[c]
        cells.append(
            [
                Paragraph(f"{s.ratio * 100:.0f}%", st["big"]),
                Paragraph(_e(_cap(text(f"cat_{c}"))), st["cell"]),
                Paragraph(_e(text("kpi_of", count=s.count, total=s.total)), st["small"]),
            ]
        )
    cells.append(
        [
            Paragraph(f"{k.mean:.1f}", st["bignavy"]),
            Paragraph(_e(text("kpi_mean")), st["cell"]),
            Paragraph(_e(text("kpi_mean_detail")), st["small"]),
        ]
    )
    t = Table([cells], colWidths=[WIDTH / 5] * 5)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.5, LINE),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, LINE),
        ("LINEABOVE", (0, 0), (3, 0), 3, RED),
        ("LINEABOVE", (4, 0), (4, 0), 3, NAVY),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    t.setStyle(_ts(style))
    return t


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _section(title: str, lead: str, st: dict[str, ParagraphStyle], body: list[Flowable]) -> list[Flowable]:
    head: list[Flowable] = [Paragraph(_e(title), st["h2"])]
    if lead:
        head.append(Paragraph(_e(lead), st["lead"]))
    # Keep a heading with the start of what it introduces.
    return [CondPageBreak(6 * cm), KeepTogether([*head, *body[:1]]), *body[1:]]


def _score_cell(v: float | int, f: FontSet) -> Table:
    band = max(0, min(5, int(v + 0.5)))
    shown = f"{v:.1f}" if isinstance(v, float) else str(v)
    ink = "#1b1b1b" if band in (3, 4) else "#ffffff"
    p = Paragraph(
        f'<font color="{ink}">{shown}</font>',
        ParagraphStyle("sc", fontName=f.bold, fontSize=8, leading=10, alignment=1),
    )
    t = Table([[p]], colWidths=[1.0 * cm], rowHeights=[0.45 * cm])
    t.setStyle(
        _ts(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(SCORE_COLOURS[band])),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return t


def _worst_table(k: Kpis, st: dict[str, ParagraphStyle], f: FontSet) -> Table:
    head = [
        Paragraph(_e(text(h)), st["small"])
        for h in ("col_rank", "col_tender", "col_buyer", "col_date", "col_score", "col_errors", "col_issues")
    ]
    rows: list[list[Any]] = [head]
    for i, r in enumerate(k.worst, 1):
        rows.append(
            [
                Paragraph(str(i), st["cell"]),
                Paragraph(f'<a href="#t{r.id}" color="#0b57d0">{_e(r.name)}</a>', st["cell"]),
                Paragraph(_e(r.buyer or text("unknown")), st["cell"]),
                Paragraph(_e(r.date or "–"), st["cell"]),
                _score_cell(r.overall, f),
                Paragraph(str(r.errors), st["cell"]),
                Paragraph(_e(", ".join(text(f"short_{c}") for c in r.categories[:4])), st["small"]),
            ]
        )
    t = Table(
        rows, colWidths=[0.7 * cm, 5.4 * cm, 3.2 * cm, 2.0 * cm, 1.3 * cm, 1.2 * cm, WIDTH - 13.8 * cm], repeatRows=1
    )
    t.setStyle(
        _ts(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


def _report(r: TenderReport, st: dict[str, ParagraphStyle], f: FontSet) -> list[Flowable]:
    meta = text(
        "report_meta",
        buyer=r.buyer or text("unknown"),
        date=r.date or text("unknown"),
        language=r.language,
        words=f"{r.words:,}",
    )
    crit = Table(
        [[_score_cell(s, f) for _, _, s in r.scores], [Paragraph(str(n), st["small"]) for n, _, _ in r.scores]],
        colWidths=[WIDTH / 9] * 9,
    )
    crit.setStyle(_ts([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    rows = []
    for x in r.findings:
        sev = "waived" if x["waived"] else x["severity"]
        rows.append(
            [
                Paragraph(
                    f'<font color="{SEVERITY[sev]}"><b>{_e(severity_label(x["severity"], x["waived"]).upper())}</b></font>',
                    st["small"],
                ),
                Paragraph(
                    f"<i>{_e(quoted(x['match']))}</i><br/>{_e(place(x['location']))} · {_e(x['rule'])}", st["cell"]
                ),
                Paragraph(_e(x["message"]), st["cell"]),
            ]
        )
    title = Paragraph(f'<a name="t{r.id}"/>{_e(r.name)} — {r.overall:.1f}', st["h3"])
    out: list[Flowable] = [
        CondPageBreak(5 * cm),
        title,
        Paragraph(_e(meta), st["small"]),
        Paragraph(_e(text("report_source", source=r.source)), st["small"]),
        Spacer(1, 4),
        crit,
        Paragraph(_e(text("report_findings", n=len(r.findings) + r.more)), st["h3"]),
    ]
    if rows:
        t = Table(rows, colWidths=[2.0 * cm, 5.6 * cm, WIDTH - 7.6 * cm])
        t.setStyle(_ts([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE)]))
        out.append(t)
    else:
        out.append(Paragraph(_e(text("report_no_findings")), st["lead"]))
    if r.more:
        out.append(Paragraph(_e(text("report_more", n=r.more)), st["lead"]))
    return out


def _story(k: Kpis, c: Charts, st: dict[str, ParagraphStyle], f: FontSet) -> list[Flowable]:
    period = text("period", first=k.first_date, last=k.last_date) if k.first_date else ""
    story: list[Flowable] = [
        Paragraph(_e(text("title")), st["title"]),
        Paragraph(
            _e(text("subtitle", tenders=f"{k.tenders:,}", period=period, generated=k.generated, version=k.version)),
            st["subtitle"],
        ),
    ]
    if not k.tenders:
        return [*story, Paragraph(_e(text("nothing")), st["body"])]
    story += [_tiles(k, st), Spacer(1, 6)]
    story += _section(text("h_signals"), text("p_signals"), st, _chart(c.get("signals")))
    if c.get("products") or c.get("vendors") or c.get("formats"):
        body: list[Flowable] = []
        if c.get("products"):
            body.append(KeepTogether([Paragraph(_e(text("chart_products")), st["h3"]), *_chart(c.get("products"))]))
        pair = [
            [Paragraph(_e(text(label)), st["h3"]), *_chart(chart, WIDTH / 2 - 0.3 * cm)]
            for label, chart in (("chart_vendors", c.get("vendors")), ("chart_formats", c.get("formats")))
            if chart
        ]
        if pair:
            side = Table([pair], colWidths=[WIDTH / 2] * len(pair))
            side.setStyle(_ts([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            body.append(side)
        story += _section(text("h_names"), text("p_names"), st, body)
    else:
        story += _section(text("h_names"), text("none_named"), st, [])
    story += _section(text("h_scores"), text("p_scores"), st, _chart(c.get("criteria")))
    story += _section(text("h_overall"), text("p_overall"), st, _chart(c.get("overall")))
    if c.get("time"):
        note = [Paragraph(_e(text("undated", n=k.undated)), st["lead"])] if k.undated else []
        story += _section(text("h_time"), text("p_time"), st, [*_chart(c.get("time")), *note])
    elif k.periods:
        story += _section(text("h_time"), text("one_period", n=k.periods[0].tenders, period=k.periods[0].label), st, [])
    else:
        story += _section(text("h_time"), text("no_dates"), st, [])
    if c.get("buyers"):
        story += _section(text("h_buyers"), text("p_buyers"), st, _chart(c.get("buyers")))
    else:
        story += _section(text("h_buyers"), text("no_buyers"), st, [])
    story += _section(text("h_worst"), text("p_worst"), st, [_worst_table(k, st, f)])
    story += [PageBreak(), Paragraph(_e(text("h_reports")), st["h2"])]
    for r in k.worst:
        story += _report(r, st, f)
    if k.unreadable:
        rows = [[Paragraph(_e(s), st["small"]), Paragraph(_e(why), st["cell"])] for s, why in k.unreadable[:200]]
        t = Table(rows, colWidths=[WIDTH * 0.45, WIDTH * 0.55])
        t.setStyle(_ts([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE)]))
        story += _section(text("h_unreadable"), text("p_unreadable", n=len(k.unreadable)), st, [t])
    story += _section(text("h_method"), "", st, [Paragraph(_e(text("p_method", rules=k.rules or "–")), st["lead"])])
    return story


def render_pdf(k: Kpis, c: Charts, **_: Any) -> bytes:
    fonts = register_fonts()
    st = _styles(fonts)
    buf = io.BytesIO()
    footer = text("footer", version=k.version, store=k.store)

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(1.6 * cm, 1.0 * cm, footer)
        canvas.drawRightString(A4[0] - 1.6 * cm, 1.0 * cm, str(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=1.6 * cm,
        rightMargin=1.6 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.6 * cm,
        title=text("title"),
        author="ospo-procure",
        invariant=1,
        initialFontName=fonts.regular,  # the canvas declares it on every page: ours, not Helvetica
        initialFontSize=9,
    )
    doc.build(_story(k, c, st, fonts), onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
