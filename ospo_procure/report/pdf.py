"""PDF scorecard report (reportlab platypus), one section per input file.

Meant to be attached to a procurement file: document name, date, language, overall
score, a bar chart of the nine checklist criteria, each criterion's reasons, evidence
and findings, then every finding with its quoted context. Every style, table and chart
label uses an embedded TrueType font (see `_fonts`), so no unembedded Helvetica ends
up in the file and accented text extracts correctly.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ospo_procure.model import FileResult, Finding, LintRun, Waiver
from ospo_procure.report import ReportOptions
from ospo_procure.report._fonts import FontSet, register_fonts
from ospo_procure.report._protocols import RuleInfo, all_findings, rules_used
from ospo_procure.report._shared import context_parts, role_text, unused_waiver_item, waiver_text, xml_safe
from ospo_procure.scoring_model import Scorecard

SCORE_COLORS = ["#c62828", "#c62828", "#ef6c00", "#f9a825", "#7cb342", "#2e7d32"]
SEVERITY_COLORS = {"error": "#c62828", "warning": "#ef6c00", "info": "#9e7c00"}
CONTENT_WIDTH = A4[0] - 4 * cm


def render(results: LintRun, options: ReportOptions) -> bytes:
    """The PDF report. A fixed `options.report_date` also makes the bytes reproducible."""
    fonts = register_fonts()
    date = options.report_date or dt.date.today()
    st = _styles(fonts)
    files = results.files
    rule_map = rules_used(all_findings(files), options.rules)
    story: list[Flowable] = []
    for n, fr in enumerate(files):
        if n:
            story.append(PageBreak())
        story += _file_story(fr, st, fonts, date, options.tool_version, rule_map)
    if not files:
        story.append(Paragraph("OSS-friendly tender scorecard", st["title"]))
        story.append(Paragraph("No files were checked.", st["body"]))
    if results.unused_waivers:
        story += [PageBreak(), Paragraph("Waiver files: unused waivers", st["title"])]
        story += _unused_waivers(results.unused_waivers, st)
    title = "OSS-friendly tender scorecard" + (f": {files[0].path}" if len(files) == 1 else "")
    return _build(story, fonts, title, date, options.tool_version, fixed=options.report_date is not None)


def _build(
    story: list[Flowable], fonts: FontSet, title: str, date: dt.date, tool_version: str, *, fixed: bool
) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=xml_safe(title),
        author="ospo-procure",
        creator=f"ospo-procure {tool_version}".strip(),
        subject="Vendor lock-in review against the OSS-friendly tender checklist",
        # The canvas declares its initial font on every page: make that ours, not Helvetica.
        initialFontName=fonts.regular,
        initialFontSize=9.5,
        invariant=1 if fixed else None,  # fixed IDs/dates for reproducible tests
    )

    def footer(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(2 * cm, 1.2 * cm, f"ospo-procure {tool_version} · {date.isoformat()}".replace("  ", " "))
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"page {canvas.getPageNumber()}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def _p(text: object) -> str:
    """Escape text for Paragraph mini-markup (and drop characters XML cannot hold)."""
    return escape(xml_safe(str(text)))


def _styles(f: FontSet) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=f.regular, fontSize=9.5, leading=12.5, spaceAfter=3)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0),
        "title": ParagraphStyle("title", parent=base, fontName=f.bold, fontSize=17, leading=21, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=f.bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=5),
        "h3": ParagraphStyle("h3", parent=base, fontName=f.bold, fontSize=10.5, leading=13, spaceBefore=6),
        "overall": ParagraphStyle("overall", parent=base, fontName=f.bold, fontSize=14, leading=18, spaceBefore=6),
        "quote": ParagraphStyle("quote", parent=base, fontName=f.italic, leftIndent=8),
        "error": ParagraphStyle("error", parent=base, textColor=colors.HexColor("#b71c1c")),
    }


def _table(rows: list[list[Any]], widths: list[float], fonts: FontSet, *, header: bool = False) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.regular),  # plain-string cells too, never Helvetica
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style += [
            ("FONTNAME", (0, 0), (-1, 0), fonts.bold),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ]
    t.setStyle(TableStyle(style))
    return t


def _file_story(
    fr: FileResult,
    st: dict[str, ParagraphStyle],
    fonts: FontSet,
    date: dt.date,
    tool_version: str,
    rule_map: Mapping[str, RuleInfo],
) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("OSS-friendly tender scorecard", st["title"])]
    story += [_meta_table(fr, st, fonts, date, tool_version), Spacer(1, 6)]
    if fr.error:
        story.append(Paragraph(f"<b>This file could not be read:</b> {_p(fr.error)}", st["error"]))
        return story
    story += [Paragraph(f"<b>Warning:</b> {_p(w)}", st["small"]) for w in fr.warnings]
    story += _scorecard_story(fr.scorecard, st, fonts)
    story.append(CondPageBreak(4 * cm))
    open_n = sum(1 for f in fr.findings if not f.waived)
    story.append(Paragraph(f"Findings ({open_n} open, {len(fr.findings) - open_n} waived)", st["h2"]))
    if not fr.findings:
        story.append(Paragraph("No lock-in findings.", st["body"]))
    for n, f in enumerate(fr.findings, start=1):
        story.append(_finding_block(n, f, st, fonts, rule_map.get(f.rule)))
    if fr.evidence:
        story.append(Paragraph(f"OSS-friendly evidence ({len(fr.evidence)})", st["h2"]))
        for e in fr.evidence:
            crit = ", ".join(str(c) for c in e.criteria)
            text = f"<b>{_p(e.rule)}</b> ({_p(e.location.label())}; criteria {_p(crit)}): {_quote(e)}"
            story.append(Paragraph(text, st["body"]))
    if fr.unused_waivers:
        story += [Paragraph("Unused waivers", st["h2"]), *_unused_waivers(fr.unused_waivers, st)]
    return story


def _meta_table(
    fr: FileResult, st: dict[str, ParagraphStyle], fonts: FontSet, date: dt.date, tool_version: str
) -> Table:
    meta = [
        ["Document", fr.path],
        ["Date", date.isoformat()],
        ["Language", fr.language or "unknown"],
        ["Format", fr.format or "—"],
    ]
    if fr.words:
        meta.append(["Words", f"{fr.words:,}"])
    if tool_version:
        meta.append(["Checked with", f"ospo-procure {tool_version}"])
    rows = [[Paragraph(_p(k), st["cell"]), Paragraph(_p(v), st["cell"])] for k, v in meta]
    return _table(rows, [3.2 * cm, CONTENT_WIDTH - 3.2 * cm], fonts)


def _scorecard_story(card: Scorecard | None, st: dict[str, ParagraphStyle], fonts: FontSet) -> list[Flowable]:
    if card is None:
        return [Paragraph("No scorecard was computed for this file.", st["body"])]
    story: list[Flowable] = [Paragraph(f"Overall score: {card.overall:.1f} / 5", st["overall"])]
    if card.unreadable:
        message = "No text could be read from this document (image-only?); the scores are not meaningful."
        story.append(Paragraph(message, st["error"]))
    return [*story, _chart(card, fonts), *_criteria(card, st, fonts)]


def _unused_waivers(waivers: list[Waiver], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("These waivers match no finding:", st["body"])]
    out += [Paragraph(f"<b>{_p(head)}</b>: {_p(text)}", st["body"]) for head, text in map(unused_waiver_item, waivers)]
    return out


def _chart(card: Scorecard, fonts: FontSet) -> Drawing:
    crits = sorted(card.criteria.items())
    height = 26 + 17 * len(crits)
    d = Drawing(CONTENT_WIDTH, height + 24)
    d.initialFontName = fonts.regular  # else the renderer's state starts with Helvetica
    d.add(String(0, height + 10, "Checklist criteria (0–5)", fontName=fonts.bold, fontSize=9))
    bc = HorizontalBarChart()
    bc.x, bc.y, bc.width, bc.height = 7.2 * cm, 18, CONTENT_WIDTH - 7.8 * cm, height - 18
    # Drawn bottom-up: reverse so criterion 1 is on top.
    crits = crits[::-1]
    bc.data = [[max(0, min(5, c.score)) for _, c in crits]]
    bc.categoryAxis.categoryNames = [_short(f"{n}. {c.title}") for n, c in crits]
    bc.categoryAxis.labels.fontName = fonts.regular
    bc.categoryAxis.labels.fontSize = 7.5
    bc.categoryAxis.labels.boxAnchor = "e"
    bc.categoryAxis.labels.dx = -4
    bc.valueAxis.valueMin, bc.valueAxis.valueMax, bc.valueAxis.valueStep = 0, 5, 1
    bc.valueAxis.labels.fontName = fonts.regular
    bc.valueAxis.labels.fontSize = 7.5
    bc.barLabels.fontName = fonts.bold
    bc.barLabels.fontSize = 7.5
    bc.barLabels.boxAnchor = "w"
    bc.barLabels.dx = 3
    bc.barLabelFormat = "%d"
    bc.bars.strokeColor = None
    for i, (_, c) in enumerate(crits):
        bc.bars[(0, i)].fillColor = colors.HexColor(SCORE_COLORS[max(0, min(5, c.score))])
    d.add(bc)
    return d


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _criteria(card: Scorecard, st: dict[str, ParagraphStyle], fonts: FontSet) -> list[Flowable]:
    rows: list[list[Any]] = [
        [
            Paragraph("#", st["cell"]),
            Paragraph("Criterion", st["cell"]),
            Paragraph("Score", st["cell"]),
            Paragraph("Why", st["cell"]),
        ]
    ]
    for n, c in sorted(card.criteria.items()):
        why = [_p(r) for r in c.reasons]
        if c.evidence:
            why.append("<b>Evidence:</b> " + "; ".join(_ref(f) for f in c.evidence))
        if c.findings:
            why.append("<b>Findings:</b> " + "; ".join(_ref(f) for f in c.findings))
        rows.append(
            [
                Paragraph(str(n), st["cell"]),
                Paragraph(_p(c.title), st["cell"]),
                Paragraph(f"<b>{c.score}</b> / 5", st["cell"]),
                Paragraph("<br/>".join(why) or "—", st["cell"]),
            ]
        )
    return [
        Paragraph("Criteria", st["h2"]),
        _table(rows, [0.8 * cm, 5 * cm, 1.4 * cm, CONTENT_WIDTH - 7.2 * cm], fonts, header=True),
    ]


def _ref(f: Finding) -> str:
    waived = " (waived)" if f.waived else ""
    return f"{_p(f.rule)} “{_p(f.match)}” at {_p(f.location.label())}{waived}"


def _quote(f: Finding) -> str:
    before, match, after = context_parts(f)
    return f"“{_p(before)}<b>{_p(match)}</b>{_p(after)}”"


def _finding_block(
    n: int, f: Finding, st: dict[str, ParagraphStyle], fonts: FontSet, rule: RuleInfo | None
) -> Flowable:
    color = SEVERITY_COLORS.get(f.severity, "#333333")
    head = f'<b>{n}. {_p(f.rule)}</b> — <font color="{color}"><b>{_p(f.severity.upper())}</b></font>'
    if f.waived:
        head += ' — <font color="#607d8b"><b>WAIVED</b></font>'
    rows: list[list[Any]] = [
        ["Location", _p(f.location.label()) + (f" — {_p(f.location.heading)}" if f.location.heading else "")],
        ["Context", _quote(f)],
        ["Message", _p(f.message) + (f"<br/><i>Note: {_p(f.note)}</i>" if f.note else "")],
    ]
    if f.role:
        rows.append(["Role", _p(role_text(f).removeprefix("role: "))])
    legal = f.legal_basis or (rule.legal_basis if rule else "")
    suggestion = f.suggestion or (rule.suggestion if rule else "")
    if legal:
        rows.append(["Legal basis", _p(legal)])
    if suggestion:
        rows.append(["Suggestion", _p(suggestion)])
    if f.waiver is not None:
        rows.append(["Waiver", _p(waiver_text(f.waiver))])
    table = _table(
        [[Paragraph(k, st["cell"]), Paragraph(v, st["cell"])] for k, v in rows],
        [2.6 * cm, CONTENT_WIDTH - 2.6 * cm],
        fonts,
    )
    if f.waived:
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f1f3f4"))]))
    return KeepTogether([Paragraph(head, st["h3"]), table, Spacer(1, 4)])
