"""The dashboard as one self-contained HTML page: inline CSS and SVG charts, no script,
nothing fetched (a CSP meta forbids it), readable offline and printable."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ospo_procure.portfolio.dashboard import Charts
from ospo_procure.portfolio.kpis import HEADLINE, Kpis, TenderReport
from ospo_procure.portfolio.strings import current_language, place, quoted, severity_label, text

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"
CSS = """
:root{--ink:#1b1b1b;--muted:#5f6368;--line:#e0e0e0;--red:#b71c1c;--bg:#f6f7f9}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--ink);
background:var(--bg);line-height:1.45;font-size:15px}
main{max-width:72rem;margin:0 auto;padding:1.5rem 2rem 3rem}
header{background:#12263a;color:#fff;padding:1.6rem 0 1.4rem}
header .in{max-width:72rem;margin:0 auto;padding:0 2rem}
header h1{margin:0 0 .3rem;font-size:1.75rem;font-weight:700}
header p{margin:0;color:#c7d3df;font-size:.95rem}
section{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1.1rem 1.4rem 1.2rem;margin:1.2rem 0}
h2{font-size:1.2rem;margin:0 0 .25rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
p.lead{color:var(--muted);margin:.1rem 0 .8rem;font-size:.9rem}
.tiles{display:grid;grid-template-columns:repeat(5,1fr);gap:.8rem;margin:1.2rem 0}
.tile{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.9rem 1rem;border-top:4px solid var(--red)}
.tile.score{border-top-color:#12263a}
.tile .big{font-size:2.1rem;font-weight:700;color:var(--red);line-height:1.1}
.tile.score .big{color:#12263a}
.tile .what{font-size:.88rem;margin:.25rem 0 .35rem}
.tile .n{font-size:.78rem;color:var(--muted)}
svg.chart{width:100%;height:auto;display:block}
.two{display:grid;grid-template-columns:1fr 1fr;gap:1.2rem}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .45rem;text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:.8rem;text-transform:uppercase;letter-spacing:.02em}
td.nowrap{white-space:nowrap}
td.tender{min-width:13rem;word-break:break-word}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pill{display:inline-block;font-size:.72rem;padding:.05rem .4rem;border-radius:1rem;background:#fdecea;color:#8e0000;
margin:0 .2rem .2rem 0;white-space:nowrap}
.sc{display:inline-block;min-width:2.4rem;text-align:center;border-radius:.25rem;color:#fff;font-weight:700;padding:0 .3rem}
.s0{background:#7f0000}.s1{background:#c62828}.s2{background:#ef6c00}.s3{background:#f9a825;color:#1b1b1b}
.s4{background:#7cb342;color:#1b1b1b}.s5{background:#2e7d32}
.report{border-top:1px solid var(--line);padding-top:.6rem;margin-top:1rem}
.report .meta{color:var(--muted);font-size:.85rem;margin:.1rem 0 .5rem}
.report .src{font-size:.78rem;color:var(--muted);word-break:break-all}
.crit{display:grid;grid-template-columns:repeat(9,1fr);gap:.3rem;margin:.3rem 0 .7rem}
.crit div{text-align:center;font-size:.72rem;color:var(--muted)}
.crit .sc{display:block;margin-bottom:.15rem;font-size:.9rem}
.sev{display:inline-block;font-size:.7rem;padding:0 .35rem;border-radius:.2rem;color:#fff;text-transform:uppercase}
.sev-error{background:#c62828}.sev-warning{background:#ef6c00}.sev-info{background:#8d6e00}.sev-waived{background:#607d8b}
q{font-style:italic}
.muted{color:var(--muted)}
a{color:#0b57d0}
footer{color:var(--muted);font-size:.8rem;text-align:center;margin:2rem 0 0}
@media (max-width:900px){.tiles{grid-template-columns:repeat(2,1fr)}.two{grid-template-columns:1fr}}
@media print{body{background:#fff}section{break-inside:avoid;border:none}header{background:#fff;color:#000}
header p{color:#444}}
"""

_e = html.escape


def _pct(count: int, total: int) -> str:
    return f"{count * 100 / total:.0f}%" if total else "–"


def _chart(c: str | None, label: str) -> str:
    if c is None:
        return ""
    svg = c.replace("<svg ", f'<svg role="img" aria-label="{_e(label)}" ', 1)
    return f"<figure style='margin:0'>{svg}</figure>"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _tiles(k: Kpis) -> str:
    out = []
    for c in HEADLINE:
        s = k.shares[c]
        out.append(
            f"<div class='tile'><div class='big'>{_pct(s.count, s.total)}</div>"
            f"<div class='what'>{_e(_cap(text(f'cat_{c}')))}</div>"
            f"<div class='n'>{_e(text('kpi_of', count=s.count, total=s.total))}</div></div>"
        )
    out.append(
        f"<div class='tile score'><div class='big'>{k.mean:.1f}</div><div class='what'>{_e(text('kpi_mean'))}</div>"
        f"<div class='n'>{_e(text('kpi_mean_detail'))}</div></div>"
    )
    return f"<div class='tiles'>{''.join(out)}</div>"


def _section(title: str, lead: str, body: str, anchor: str = "") -> str:
    ident = f" id='{anchor}'" if anchor else ""
    lead_html = f"<p class='lead'>{_e(lead)}</p>" if lead else ""
    return f"<section{ident}><h2>{_e(title)}</h2>{lead_html}{body}</section>"


def _score(v: float | int) -> str:
    band = max(0, min(5, int(v + 0.5)))
    shown = f"{v:.1f}" if isinstance(v, float) else str(v)
    return f"<span class='sc s{band}'>{shown}</span>"


def _link(r: TenderReport) -> str:
    """A link to the source document on disk (the package, for a member)."""
    try:
        uri = Path(r.path).as_uri()
    except ValueError:
        return _e(r.source)
    return f"<a href='{_e(uri)}'>{_e(r.source)}</a>"


def _worst_table(k: Kpis) -> str:
    rows = []
    for i, r in enumerate(k.worst, 1):
        issues = "".join(f"<span class='pill'>{_e(text(f'short_{c}'))}</span>" for c in r.categories[:4])
        rows.append(
            f"<tr><td class='num'>{i}</td><td class='tender'><a href='#t{r.id}'>{_e(r.name)}</a></td>"
            f"<td>{_e(r.buyer or text('unknown'))}</td><td class='nowrap'>{_e(r.date or '–')}</td>"
            f"<td class='num'>{_score(r.overall)}</td><td class='num'>{r.errors}</td><td>{issues}</td></tr>"
        )
    head = "".join(
        f"<th>{_e(text(h))}</th>"
        for h in ("col_rank", "col_tender", "col_buyer", "col_date", "col_score", "col_errors", "col_issues")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _report(r: TenderReport) -> str:
    crit = "".join(f"<div title='{_e(title)}'>{_score(score)}{n}</div>" for n, title, score in r.scores)
    items = []
    for f in r.findings:
        sev = "waived" if f["waived"] else f["severity"]
        waiver = f"<br><span class='muted'>{_e(text('waived', why=f['waiver']))}</span>" if f["waived"] else ""
        items.append(
            f"<tr><td><span class='sev sev-{sev}'>{_e(severity_label(f['severity'], f['waived']))}</span></td>"
            f"<td><i>{_e(quoted(f['match']))}</i>"
            f"<br><span class='muted'>{_e(place(f['location']))} · {_e(f['rule'])}</span></td>"
            f"<td>{_e(f['message'])}{waiver}</td></tr>"
        )
    more = f"<p class='muted'>{_e(text('report_more', n=r.more))}</p>" if r.more else ""
    findings = (
        f"<table><tbody>{''.join(items)}</tbody></table>{more}"
        if items
        else f"<p class='muted'>{_e(text('report_no_findings'))}</p>"
    )
    meta = text(
        "report_meta",
        buyer=r.buyer or text("unknown"),
        date=r.date or text("unknown"),
        language=r.language,
        words=f"{r.words:,}",
    )
    return (
        f"<div class='report' id='t{r.id}'><h3>{_score(r.overall)} {_e(r.name)}</h3>"
        f"<div class='meta'>{_e(meta)} · <a href='#worst'>{_e(text('report_back'))}</a></div>"
        f"<div class='src'>{_link(r)}</div>"
        f"<h3>{_e(text('report_scores'))}</h3><div class='crit'>{crit}</div>"
        f"<h3>{_e(text('report_findings', n=len(r.findings) + r.more))}</h3>{findings}</div>"
    )


def _body(k: Kpis, c: Charts) -> str:
    parts = [_tiles(k)]
    parts.append(_section(text("h_signals"), text("p_signals"), _chart(c.get("signals"), text("h_signals"))))
    if c.get("products") or c.get("vendors") or c.get("formats"):
        products = _chart(c.get("products"), text("chart_products"))
        names = f"<h3>{_e(text('chart_products'))}</h3>{products}" if products else ""
        side = "".join(
            f"<div><h3>{_e(text(label))}</h3>{_chart(chart, text(label))}</div>"
            for label, chart in (("chart_vendors", c.get("vendors")), ("chart_formats", c.get("formats")))
            if chart
        )
        parts.append(_section(text("h_names"), text("p_names"), names + f"<div class='two'>{side}</div>"))
    else:
        parts.append(_section(text("h_names"), text("none_named"), ""))
    parts.append(_section(text("h_scores"), text("p_scores"), _chart(c.get("criteria"), text("h_scores"))))
    parts.append(_section(text("h_overall"), text("p_overall"), _chart(c.get("overall"), text("h_overall"))))
    if c.get("time"):
        note = f"<p class='lead'>{_e(text('undated', n=k.undated))}</p>" if k.undated else ""
        parts.append(_section(text("h_time"), text("p_time"), _chart(c.get("time"), text("h_time")) + note))
    elif k.periods:
        parts.append(
            _section(text("h_time"), text("one_period", n=k.periods[0].tenders, period=k.periods[0].label), "")
        )
    else:
        parts.append(_section(text("h_time"), text("no_dates"), ""))
    if c.get("buyers"):
        parts.append(_section(text("h_buyers"), text("p_buyers"), _chart(c.get("buyers"), text("h_buyers"))))
    else:
        parts.append(_section(text("h_buyers"), text("no_buyers"), ""))
    parts.append(_section(text("h_worst"), text("p_worst"), _worst_table(k), anchor="worst"))
    parts.append(_section(text("h_reports"), "", "".join(_report(r) for r in k.worst)))
    return "".join(parts)


def _unreadable(k: Kpis) -> str:
    if not k.unreadable:
        return ""
    rows = "".join(f"<tr><td class='src'>{_e(s)}</td><td>{_e(why)}</td></tr>" for s, why in k.unreadable[:200])
    more = (
        f"<p class='muted'>{_e(text('more_unreadable', n=len(k.unreadable) - 200))}</p>"
        if len(k.unreadable) > 200
        else ""
    )
    return _section(
        text("h_unreadable"), text("p_unreadable", n=len(k.unreadable)), f"<table><tbody>{rows}</tbody></table>{more}"
    )


def render_html(k: Kpis, c: Charts, **_: Any) -> bytes:
    period = text("period", first=k.first_date, last=k.last_date) if k.first_date else ""
    subtitle = text("subtitle", tenders=f"{k.tenders:,}", period=period, generated=k.generated, version=k.version)
    body = _body(k, c) if k.tenders else f"<section><p>{_e(text('nothing'))}</p></section>"
    page = f"""<!DOCTYPE html>
<html lang="{current_language()}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(text("title"))}</title><style>{CSS}</style></head>
<body><header><div class="in"><h1>{_e(text("title"))}</h1><p>{_e(subtitle)}</p></div></header>
<main>{body}{_unreadable(k)}
{_section(text("h_method"), "", f"<p class='lead'>{_e(text('p_method', rules=k.rules or '–'))}</p>")}
<footer>{_e(text("footer", version=k.version, store=k.store))}</footer></main></body></html>
"""
    return page.encode("utf-8")
