"""PDF scorecard report (reportlab platypus), one section per input file.

Meant to be attached to a procurement file: document name, date, language, overall
score, a bar chart of the nine checklist criteria, each criterion's reasons, evidence
and findings, then every finding with its quoted context. Every style, table and chart
label uses an embedded TrueType font (see `_fonts`), so no unembedded Helvetica ends
up in the file and accented text extracts correctly. Every heading, label and reason is in
the report's language (report/words.py), and the PDF declares that language.
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
from reportlab.pdfbase.pdfmetrics import stringWidth
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
from ospo_procure.report._shared import context_parts, xml_safe
from ospo_procure.report.words import Words, file_language, run_language, words
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
    _ = words(run_language(files, options.lang))
    rule_map = rules_used(all_findings(files), options.rules)
    story: list[Flowable] = []
    for n, fr in enumerate(files):
        if n:
            story.append(PageBreak())
        story += _file_story(fr, st, fonts, date, options, rule_map, words(file_language(fr, options.lang)))
    if not files:
        story.append(Paragraph(_p(_("OSS-friendly tender scorecard")), st["title"]))
        story.append(Paragraph(_p(_("No files were checked.")), st["body"]))
    if results.unused_waivers:
        story += [PageBreak(), Paragraph(_p(_("Waiver files: unused waivers")), st["title"])]
        story += _unused_waivers(results.unused_waivers, st, _)
    title = _("OSS-friendly tender scorecard") + (f": {files[0].path}" if len(files) == 1 else "")
    return _build(story, fonts, title, date, options.tool_version, _, fixed=options.report_date is not None)


def _build(
    story: list[Flowable], fonts: FontSet, title: str, date: dt.date, tool_version: str, _: Words, *, fixed: bool
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
        subject=_("Vendor lock-in review against the OSS-friendly tender checklist"),
        lang=_.lang,
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
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, _("page {n}", n=canvas.getPageNumber()))
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


# long: one story of the file's sections in order
def _file_story(
    fr: FileResult,
    st: dict[str, ParagraphStyle],
    fonts: FontSet,
    date: dt.date,
    options: ReportOptions,
    rule_map: Mapping[str, RuleInfo],
    _: Words,
) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(_p(_("OSS-friendly tender scorecard")), st["title"])]
    story += [_meta_table(fr, st, fonts, date, options, _), Spacer(1, 6)]
    if fr.error:
        story.append(Paragraph(f"<b>{_p(_('This file could not be read:'))}</b> {_p(_.text(fr.error))}", st["error"]))
        return story
    story += [Paragraph(f"<b>{_p(_('Warning:'))}</b> {_p(_.text(w))}", st["small"]) for w in fr.warnings]
    story += _scorecard_story(fr.scorecard, st, fonts, _)
    story.append(CondPageBreak(4 * cm))
    open_n = sum(1 for f in fr.findings if not f.waived)
    heading = _(
        "Findings ({open}, {waived})",
        open=_.ngettext("{n} open", "{n} open", open_n),
        waived=_.ngettext("{n} waived", "{n} waived", len(fr.findings) - open_n),
    )
    story.append(Paragraph(_p(heading), st["h2"]))
    if not fr.findings:
        story.append(Paragraph(_p(_("No lock-in findings.")), st["body"]))
    for n, f in enumerate(fr.findings, start=1):
        story.append(_finding_block(n, f, st, fonts, rule_map.get(f.rule), _))
    if fr.evidence:
        story.append(Paragraph(_p(_("OSS-friendly evidence ({n})", n=len(fr.evidence))), st["h2"]))
        for e in fr.evidence:
            crit = ", ".join(str(c) for c in e.criteria)
            where = _("{where}; criteria {numbers}", where=_.location(e.location), numbers=crit)
            story.append(Paragraph(f"<b>{_p(e.rule)}</b> ({_p(where)}): {_quote(e, _)}", st["body"]))
    if fr.unused_waivers:
        story += [Paragraph(_p(_("Unused waivers")), st["h2"]), *_unused_waivers(fr.unused_waivers, st, _)]
    return story


def _meta_table(
    fr: FileResult, st: dict[str, ParagraphStyle], fonts: FontSet, date: dt.date, options: ReportOptions, _: Words
) -> Table:
    meta = [
        [_("Document"), fr.path],
        [_("Date"), date.isoformat()],
        [_("Language"), fr.language or _("unknown")],
        [_("Format"), fr.format or "—"],
    ]
    if fr.words:
        meta.append([_("Words"), _.num(fr.words)])
    if options.tool_version:
        meta.append([_("Checked with"), f"ospo-procure {options.tool_version}"])
    if options.rules_source:
        meta.append([_("Rules"), _.rules_source(options.rules_source, label=False)])
    rows = [[Paragraph(_p(k), st["cell"]), Paragraph(_p(v), st["cell"])] for k, v in meta]
    return _table(rows, [3.2 * cm, CONTENT_WIDTH - 3.2 * cm], fonts)


def _scorecard_story(card: Scorecard | None, st: dict[str, ParagraphStyle], fonts: FontSet, _: Words) -> list[Flowable]:
    if card is None:
        return [Paragraph(_p(_("No scorecard was computed for this file.")), st["body"])]
    story: list[Flowable] = [Paragraph(_p(_("Overall score: {score}", score=_.score(card.overall))), st["overall"])]
    if card.unreadable:
        message = _("No text could be read from this document (a scanned image?); the scores mean nothing.")
        story.append(Paragraph(_p(message), st["error"]))
    return [*story, _chart(card, fonts, _), *_criteria(card, st, fonts, _)]


def _unused_waivers(waivers: list[Waiver], st: dict[str, ParagraphStyle], _: Words) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(_p(_("These waivers match no finding:")), st["body"])]
    out += [
        Paragraph(f"<b>{_p(head)}</b>: {_p(text)}", st["body"]) for head, text in map(_.unused_waiver_item, waivers)
    ]
    return out


def _chart(card: Scorecard, fonts: FontSet, _: Words) -> Drawing:
    crits = sorted(card.criteria.items())
    height = 26 + 17 * len(crits)
    d = Drawing(CONTENT_WIDTH, height + 24)
    d.initialFontName = fonts.regular  # else the renderer's state starts with Helvetica
    d.add(String(0, height + 10, _("Checklist criteria (0–5)"), fontName=fonts.bold, fontSize=9))
    bc = HorizontalBarChart()
    bc.x, bc.y, bc.width, bc.height = 7.2 * cm, 18, CONTENT_WIDTH - 7.8 * cm, height - 18
    # Drawn bottom-up: reverse so criterion 1 is on top.
    crits = crits[::-1]
    bc.data = [[max(0, min(5, c.score)) for _n, c in crits]]
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
    for i, (_n, c) in enumerate(crits):
        bc.bars[(0, i)].fillColor = colors.HexColor(SCORE_COLORS[max(0, min(5, c.score))])
    d.add(bc)
    return d


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _criteria(card: Scorecard, st: dict[str, ParagraphStyle], fonts: FontSet, _: Words) -> list[Flowable]:
    rows: list[list[Any]] = [
        [
            Paragraph("#", st["cell"]),
            Paragraph(_p(_("Criterion")), st["cell"]),
            Paragraph(_p(_("Score")), st["cell"]),
            Paragraph(_p(_("How the score adds up")), st["cell"]),
        ]
    ]
    for n, c in sorted(card.criteria.items()):
        why = [_p(r) for r in _.criterion_reasons(c)]
        if c.evidence:
            why.append(f"<b>{_p(_('Evidence:'))}</b> " + _.separator.join(_ref(f, _) for f in c.evidence))
        if c.findings:
            why.append(f"<b>{_p(_('Findings:'))}</b> " + _.separator.join(_ref(f, _) for f in c.findings))
        rows.append(
            [
                Paragraph(str(n), st["cell"]),
                Paragraph(_p(c.title), st["cell"]),
                Paragraph(f"<b>{c.score}</b> / 5", st["cell"]),
                Paragraph("<br/>".join(why) or "—", st["cell"]),
            ]
        )
    # The score column fits its header word ("Puntuación", "Pontuação"): a word is not broken.
    score_width = max(1.4 * cm, stringWidth(_("Score"), fonts.bold, st["cell"].fontSize) + 0.5 * cm)
    widths = [0.8 * cm, 5 * cm, score_width, CONTENT_WIDTH - 5.8 * cm - score_width]
    return [Paragraph(_p(_("Criteria")), st["h2"]), _table(rows, widths, fonts, header=True)]


def _ref(f: Finding, _: Words) -> str:
    text = _("{rule} {match} at {where}", rule=f.rule, match=_.quoted(f.match), where=_.location(f.location))
    return _p(text + (f" ({_.waived()})" if f.waived else ""))


def _quote(f: Finding, _: Words) -> str:
    before, match, after = context_parts(f)
    left, right = _.quoted("\0").split("\0")
    return f"{left}{_p(before)}<b>{_p(match)}</b>{_p(after)}{right}"


def _finding_block(
    n: int, f: Finding, st: dict[str, ParagraphStyle], fonts: FontSet, rule: RuleInfo | None, _: Words
) -> Flowable:
    color = SEVERITY_COLORS.get(f.severity, "#333333")
    head = f'<b>{n}. {_p(f.rule)}</b> — <font color="{color}"><b>{_p(_.severity(f.severity).upper())}</b></font>'
    if f.waived:
        head += f' — <font color="#607d8b"><b>{_p(_.waived().upper())}</b></font>'
    where = _p(_.location(f.location)) + (f" — {_p(f.location.heading)}" if f.location.heading else "")
    note = _.finding_note(f)
    rows: list[list[Any]] = [
        [_("Location"), where],
        [_("Context"), _quote(f, _)],
        [_("Message"), _p(f.message) + (f"<br/><i>{_p(_('Note: {note}', note=note))}</i>" if note else "")],
    ]
    if f.role:
        rows.append(
            [_("Role"), _p(_.role(f.role)) + (f" ({_p(_.role_reason(f.role_reason))})" if f.role_reason else "")]
        )
    legal = f.legal_basis or (rule.legal_basis if rule else "")
    suggestion = f.suggestion  # none for a note (the system in place): nothing to replace
    if legal:
        rows.append([_("Legal basis"), _p(legal)])
    if suggestion:
        rows.append([_("Suggestion"), _p(suggestion)])
    if f.waiver is not None:
        rows.append([_("Waiver"), _p(_.waiver(f.waiver))])
    table = _table(
        [[Paragraph(_p(k), st["cell"]), Paragraph(v, st["cell"])] for k, v in rows],
        [2.6 * cm, CONTENT_WIDTH - 2.6 * cm],
        fonts,
    )
    if f.waived:
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f1f3f4"))]))
    return KeepTogether([Paragraph(head, st["h3"]), table, Spacer(1, 4)])
