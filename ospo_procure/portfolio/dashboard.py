"""`ospo-procure dashboard STORE -o report.html|.pdf`: the portfolio's KPIs as a page.

Both formats are made from the same `Kpis` and the same charts; the HTML page is one
self-contained file (inline SVG and CSS, no script, nothing loaded from a network), the
PDF is drawn by reportlab with embedded fonts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ospo_procure.errors import UsageError
from ospo_procure.portfolio import charts
from ospo_procure.portfolio.kpis import Kpis, compute
from ospo_procure.portfolio.store import Store

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


Charts = dict[str, Any]  # chart name -> SVG markup (HTML) or PNG bytes (PDF); absent: nothing to draw


def draw_charts(k: Kpis, fmt: str) -> Charts:
    """The charts this portfolio has data for, rendered for `fmt` (html or pdf)."""
    if not k.tenders:
        return {}
    # The PDF's frame is narrower than the page's column: draw narrower, so text keeps its size.
    full, half = (charts.WIDTH, 4.9) if fmt == "html" else (7.4, 3.6)
    wanted: dict[str, Any] = {"signals": charts.signals(k, full)}
    if k.products:
        wanted["products"] = charts.names([(p, n) for p, _, n in k.products], width=full)
    if k.vendors:
        wanted["vendors"] = charts.names(k.vendors, width=half)
    if k.formats:
        wanted["formats"] = charts.names(k.formats, colour="#6a1b9a", width=half)
    if k.criteria:
        wanted["criteria"] = charts.criteria(k, full)
    if k.overall:
        wanted["overall"] = charts.overall(k, full)
    if len(k.periods) >= 2:  # a trend needs two points
        wanted["time"] = charts.over_time(k, full)
    if k.buyers:
        wanted["buyers"] = charts.buyers(k, full)
    render = charts.svg if fmt == "html" else charts.png
    return {name: render(draw) for name, draw in wanted.items()}


def render_dashboard(
    store_path: Path, output: Path, *, top: int = 12, worst: int = 10, lang: str | None = None
) -> Path:
    """Write the dashboard of a result store to OUTPUT (.html or .pdf), atomically, in `lang`
    (default: the language most of the stored tenders are in)."""
    from ospo_procure.fsutil import atomic_write_bytes
    from ospo_procure.portfolio.strings import language

    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise UsageError("the dashboard is written as .html or .pdf; name the output file accordingly", path=output)
    with Store(store_path, create=False) as store:
        lang = lang or portfolio_language(store)
        with language(lang):
            k = compute(store, top=top, worst=worst)
    with language(lang):
        drawn = draw_charts(k, fmt)
        if fmt == "html":
            from ospo_procure.portfolio.dashboard_html import render_html

            data = render_html(k, drawn)
        else:
            from ospo_procure.portfolio.dashboard_pdf import render_pdf

            data = render_pdf(k, drawn)
    return atomic_write_bytes(output, data, inputs=[store_path])


def portfolio_language(store: Store) -> str:
    """The language most stored tenders are in (English when none is known)."""
    from ospo_procure.report.words import REPORT_LANGUAGES

    rows = store.query(
        "SELECT language, COUNT(*) AS n FROM files WHERE language != '' GROUP BY language ORDER BY n DESC, language"
    )
    return next((r[0] for r in rows if r[0] in REPORT_LANGUAGES), "en")
