"""A single self-contained HTML review page: no scripts, no remote loads.

Per file: the scorecard (pure CSS score bars, each criterion's reasons, evidence and
findings), then the tender text block by block with every finding highlighted, then a
findings table that the highlights link to (readable without JavaScript; hover titles
are a bonus). Every piece of document text goes through `html.escape`, and a CSP meta
forbids scripts anyway, so a tender containing `<script>` only ever shows it as text.
The page is in the report's language (report/words.py): `lang` on <html>, and the tender's
own text marked with its own `lang`.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ospo_procure.model import SEVERITY_RANK, Block, FileResult, Finding, LintRun, Waiver
from ospo_procure.report import ReportOptions
from ospo_procure.report._protocols import RuleInfo, all_findings, rules_used
from ospo_procure.report._shared import context_parts
from ospo_procure.report.words import Words, file_language, run_language, words

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;
max-width:70rem;padding:1rem 1.5rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{border-bottom:2px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
.bar{display:inline-block;width:10rem;height:.8rem;background:#e4e4e4;border-radius:.2rem;vertical-align:middle}
.fill{display:block;height:100%;border-radius:.2rem}
.s0{width:0}.s1{width:20%;background:#c62828}.s2{width:40%;background:#ef6c00}
.s3{width:60%;background:#f9a825}.s4{width:80%;background:#7cb342}.s5{width:100%;background:#2e7d32}
.overall{font-size:1.3rem;font-weight:bold}
.doc{border:1px solid #ddd;padding:.5rem 1rem;background:#fcfcfc}
.blk{margin:.4rem 0}.loc{color:#666;font-size:.75rem;margin-right:.4rem;white-space:nowrap}
mark{padding:0 .1rem;border-radius:.15rem;color:inherit}
mark.sev-error{background:#ffcdd2;border-bottom:2px solid #c62828}
mark.sev-warning{background:#ffe0b2;border-bottom:2px solid #ef6c00}
mark.sev-info{background:#fff9c4;border-bottom:2px solid #f9a825}
mark.evidence{background:#c8e6c9;border-bottom:2px solid #2e7d32}
mark.waived{background:#eceff1;border-bottom:2px dashed #607d8b}
mark.overlap{outline:1px dotted #333}
a.hl{color:inherit;text-decoration:none}
sup.ref a{font-size:.7rem;text-decoration:none}
tr.waived td{color:#555;background:#f5f7f8}
.badge{display:inline-block;padding:0 .35rem;border-radius:.25rem;font-size:.8rem;color:#fff}
.b-error{background:#c62828}.b-warning{background:#ef6c00}.b-info{background:#9e7c00}
.b-waived{background:#607d8b}.b-evidence{background:#2e7d32}
.error{border-left:4px solid #c62828;background:#ffebee;padding:.5rem .8rem}
.warn{border-left:4px solid #ef6c00;background:#fff3e0;padding:.5rem .8rem}
.quote{font-style:italic}
@media print{a.hl{text-decoration:none}details{display:block}}
"""


@dataclass
class _Item:
    """A finding or evidence item with its anchor number in this report."""

    f: Finding
    anchor: str  # "f-3" or "e-2"
    number: str  # "3" or "E2"


# Findings are immutable values: the scorecard's references are equal to (often the
# same as) the report's findings, so one dict finds the report item of either.
_Index = dict[Finding, _Item]


def render(results: LintRun, options: ReportOptions) -> bytes:
    """The whole report as one UTF-8 HTML document."""
    files = results.files
    rule_map = rules_used(all_findings(files), options.rules)
    items: _Index = {}
    for fr in files:
        for f in fr.findings:
            items.setdefault(f, _Item(f, f"f-{len(items) + 1}", str(len(items) + 1)))
    nf = len(items)
    for fr in files:
        for e in fr.evidence:
            ne = len(items) - nf + 1
            items.setdefault(e, _Item(e, f"e-{ne}", f"E{ne}"))

    _ = words(run_language(files, options.lang))
    title = _("Vendor lock-in review")
    meta = [
        f"ospo-procure {options.tool_version}".strip(),
        _.ngettext("{n} file", "{n} files", len(files)),
        _("checklist: the IDB's OSS-friendly tender checklist (9 criteria, scored 0–5)"),
    ]
    if options.rules_source:
        meta.append(_.rules_source(options.rules_source))
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(_.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(" · ".join(meta))}</p>',
    ]
    out += _overview(files, _, options.lang)
    for n, fr in enumerate(files, start=1):
        out += _file_section(n, fr, items, rule_map, words(file_language(fr, options.lang)))
    if results.unused_waivers:
        out += ['<section id="waiver-files">', f"<h2>{_e(_('Waiver files: unused waivers'))}</h2>"]
        out += [*_unused_waivers(results.unused_waivers, _), "</section>"]
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _overview(results: list[FileResult], _: Words, forced: str | None) -> list[str]:
    heads = [_("File"), _("Language"), _("Overall score"), _("Findings (open / waived)"), _("Evidence"), _("Status")]
    rows = [
        f"<h2>{_e(_('Summary'))}</h2>",
        "<table>",
        "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr>",
    ]
    for n, fr in enumerate(results, start=1):
        if fr.error:
            status = f'<span class="badge b-error">{_e(_("not read"))}</span> ' + _e(_.text(fr.error))
        else:
            worst = fr.worst_severity()
            status = (
                f'<span class="badge b-{worst}">{_e(_.severity(worst))}</span>' if worst else _e(_("no open findings"))
            )
        overall = _e(_.score(fr.scorecard.overall)) if fr.scorecard is not None else "—"
        open_n = sum(1 for f in fr.findings if not f.waived)
        rows.append(
            f'<tr><td><a href="#file-{n}">{_e(fr.path)}</a></td><td>{_e(fr.language or "—")}</td>'
            f"<td>{overall}</td><td>{open_n} / {len(fr.findings) - open_n}</td>"
            f"<td>{len(fr.evidence)}</td><td>{status}</td></tr>"
        )
    rows.append("</table>")
    return rows


def _file_section(n: int, fr: FileResult, items: _Index, rule_map: Mapping[str, RuleInfo], _: Words) -> list[str]:
    meta = [
        _("format {format}", format=fr.format) if fr.format else "",
        _("language {language}", language=fr.language) if fr.language else "",
        _.ngettext("{n} word", "{n} words", fr.words) if fr.words else "",
    ]
    out = [f'<section id="file-{n}">', f"<h2>{_e(fr.path)}</h2>"]
    if any(meta):
        out.append(f'<p class="meta">{_e(" · ".join(m for m in meta if m))}</p>')
    if fr.error:
        out.append(f'<p class="error"><strong>{_e(_("Could not read this file:"))}</strong> {_e(_.text(fr.error))}</p>')
        return [*out, "</section>"]
    for w in fr.warnings:
        out.append(f'<p class="warn"><strong>{_e(_("Warning:"))}</strong> {_e(_.text(w))}</p>')
    out += _scorecard(fr, items, _)
    lang = f' lang="{_e(fr.language)}"' if fr.language else ""
    if fr.blocks:
        out.append(f"<h3>{_e(_('Document text'))}</h3>")
        out.append(f'<div class="doc"{lang}>')
        by_block: dict[int, list[_Item]] = {}
        for f in [*fr.findings, *fr.evidence]:
            by_block.setdefault(f.block_index, []).append(items[f])
        for i, block in enumerate(fr.blocks):
            out.append(_block(block, by_block.get(i, []), _))
        out.append("</div>")
    else:
        text = _("The document text is not included in this report; findings are shown with their context below.")
        out.append(f"<p><em>{_e(text)}</em></p>")
    out += _findings_table(fr, items, rule_map, lang, _)
    out += _evidence_table(fr, items, lang, _)
    if fr.unused_waivers:
        out += [f"<h3>{_e(_('Unused waivers'))}</h3>", *_unused_waivers(fr.unused_waivers, _)]
    return [*out, "</section>"]


def _unused_waivers(waivers: list[Waiver], _: Words) -> list[str]:
    items = [f"<li><strong>{_e(head)}</strong>: {_e(text)}</li>" for head, text in map(_.unused_waiver_item, waivers)]
    return [f'<div class="warn"><p>{_e(_("These waivers match no finding:"))}</p><ul>', *items, "</ul></div>"]


def _scorecard(fr: FileResult, items: _Index, _: Words) -> list[str]:
    card = fr.scorecard
    if card is None:
        return [f"<p><em>{_e(_('No scorecard was computed for this file.'))}</em></p>"]
    out = [
        f"<h3>{_e(_('Scorecard'))}</h3>",
        f'<p class="overall">{_e(_("Overall: {score}", score=_.score(card.overall)))}</p>',
    ]
    if card.unreadable:
        text = _("No text could be read from this document (a scanned image?); the scores below mean nothing.")
        out.append(f'<p class="error">{_e(text)}</p>')
    heads = ["#", _("Criterion"), _("Score"), _("How the score adds up")]
    out.append("<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr>")
    for num, c in sorted(card.criteria.items()):
        score = max(0, min(5, int(c.score)))
        # The base, each term and the total are always shown; the items behind them fold away.
        reasons = "<br>".join(_e(r) for r in _.criterion_reasons(c))
        why: list[str] = []
        if c.evidence:
            why.append(f"<li>{_e(_('Evidence:'))} " + _links(c.evidence, items, _) + "</li>")
        if c.findings:
            why.append(f"<li>{_e(_('Findings:'))} " + _links(c.findings, items, _) + "</li>")
        if why:
            summary = _(
                "{evidence}, {findings}",
                evidence=_.ngettext("{n} evidence item", "{n} evidence items", len(c.evidence)),
                findings=_.ngettext("{n} finding", "{n} findings", len(c.findings)),
            )
            reasons += f"<details><summary>{_e(summary)}</summary><ul>{''.join(why)}</ul></details>"
        out.append(
            f"<tr><td>{num}</td><td>{_e(c.title)}</td>"
            f'<td><span class="bar" title="{_e(_("{score} of 5", score=score))}"><span class="fill s{score}"></span>'
            f"</span> {score}/5</td><td>{reasons}</td></tr>"
        )
    out.append("</table>")
    return out


def _links(findings: Iterable[Finding], items: _Index, _: Words) -> str:
    links = []
    for f in findings:
        it = items.get(f)
        label = f"{_e(f.rule)}: {_e(_.quoted(f.match))}" + (f" ({_e(_.waived())})" if f.waived else "")
        links.append(f'<a href="#{it.anchor}">[{it.number}] {label}</a>' if it else label)
    return ", ".join(links)


def _mark_class(covering: list[_Item]) -> str:
    findings = [it.f for it in covering if it.f.kind != "evidence"]
    open_ = [f for f in findings if not f.waived]
    if open_:
        worst = max(open_, key=lambda f: SEVERITY_RANK.get(f.severity, 0)).severity
        cls = f"sev-{worst}"
    elif findings:
        cls = "waived"
    else:
        cls = "evidence"
    return cls + (" overlap" if len(covering) > 1 else "")


def _title(it: _Item, _: Words) -> str:
    f = it.f
    what = _("evidence") if f.kind == "evidence" else _.severity(f.severity)
    text = f"[{it.number}] {f.rule} ({what}): {f.message}"
    if f.role:
        text += f" [{_.role_text(f)}]"
    if f.waiver is not None:
        text += " — " + _("waived: {justification}", justification=f.waiver.justification)
    return text


def _block(block: Block, block_items: list[_Item], _: Words) -> str:
    text = block.text
    located = [it for it in block_items if _located(it.f, text)]
    body = _highlighted(text, located, _)
    placed = {id(it) for it in located}
    unlocated = [it for it in block_items if id(it) not in placed]
    if unlocated:  # offsets did not match the block text: still link them
        body += " " + " ".join(f'<sup class="ref"><a href="#{it.anchor}">{it.number}</a></sup>' for it in unlocated)
    label = f'<span class="loc">{_e(_.location(block.location))}</span>'
    if block.kind == "heading":
        level = min(6, 3 + (block.level or 1))
        return f'<h{level} class="blk">{label}{body}</h{level}>'
    return f'<p class="blk k-{_e(block.kind)}">{label}{body}</p>'


def _located(f: Finding, text: str) -> bool:
    """True when the finding's offsets point at its match in this text."""
    return 0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.match


def _highlighted(text: str, located: list[_Item], _: Words) -> str:
    """The escaped text with each item's span marked, and its reference number after it."""
    # Split at every span boundary so overlapping findings each get their own pieces. One sweep
    # over the cuts with the spans open at each one: linear in findings, not quadratic.
    cuts = sorted({0, len(text), *(it.f.start for it in located), *(it.f.end for it in located)})
    order = {id(it): n for n, it in enumerate(located)}
    starting: dict[int, list[_Item]] = {}
    ending: dict[int, list[_Item]] = {}
    for it in located:
        starting.setdefault(it.f.start, []).append(it)
        ending.setdefault(it.f.end, []).append(it)
    open_items: list[_Item] = []
    pieces: list[str] = []
    for a, b in itertools.pairwise(cuts):
        seg = _e(text[a:b])
        if a in starting or a in ending:
            open_items = sorted(
                [it for it in open_items if it.f.end > a] + starting.get(a, []), key=lambda it: order[id(it)]
            )
        if open_items:  # every open span covers [a, b): the cuts include all ends
            title = _e("\n".join(_title(it, _) for it in open_items))
            seg = (
                f'<a class="hl" href="#{open_items[0].anchor}"><mark class="{_mark_class(open_items)}" '
                f'title="{title}">{seg}</mark></a>'
            )
        pieces.append(seg)
        ended = ending.get(b, [])
        if ended:  # numbers of spans ending together stay apart: "2,3", not "23"
            links = ",".join(f'<a id="m-{it.anchor}" href="#{it.anchor}">{it.number}</a>' for it in ended)
            pieces.append(f'<sup class="ref">{links}</sup>')
    return "".join(pieces)


def _quoted(f: Finding, _: Words) -> str:
    """The tender's words around the match, in the report language's quotation marks (a <q>
    element would take the browser's, English ones in some browsers whatever the page's lang)."""
    before, match, after = context_parts(f)
    left, right = _.quoted("\0").split("\0")
    return f'<span class="quote">{_e(left)}{_e(before)}<strong>{_e(match)}</strong>{_e(after)}{_e(right)}</span>'


def _header_row(heads: list[str]) -> str:
    return "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr>"


def _findings_table(fr: FileResult, items: _Index, rule_map: Mapping[str, RuleInfo], lang: str, _: Words) -> list[str]:
    if not fr.findings:
        return [f"<h3>{_e(_('Findings'))}</h3>", f"<p>{_e(_('No lock-in findings.'))}</p>"]
    heads = [
        "#",
        _("Rule"),
        _("Severity"),
        _("Location"),
        _("Context"),
        _("Message"),
        _("Legal basis"),
        _("Suggestion"),
    ]
    out = [f"<h3>{_e(_('Findings'))}</h3>", "<table>", _header_row(heads)]
    back_title = _e(_("back to the text"))
    for f in fr.findings:
        it = items[f]
        rule = rule_map.get(f.rule)
        legal = f.legal_basis or (rule.legal_basis if rule else "")
        suggestion = f.suggestion  # none for a note (the system in place): nothing to replace
        sev = f'<span class="badge b-{_e(f.severity)}">{_e(_.severity(f.severity))}</span>'
        message = _e(f.message)
        note = _.finding_note(f)
        if note:
            message += f"<br><small>{_e(_('Note: {note}', note=note))}</small>"
        if f.role:
            message += f'<br><small class="role">{_e(_.role_text(f))}</small>'
        if f.waiver is not None:
            sev += f' <span class="badge b-waived">{_e(_.waived())}</span>'
            message += f"<br><strong>{_e(_('Waived:'))}</strong> {_e(_.waiver(f.waiver))}"
        back = f' <a href="#m-{it.anchor}" title="{back_title}">↩</a>' if fr.blocks else ""
        row_class = ' class="waived"' if f.waived else ""
        out.append(
            f'<tr id="{it.anchor}"{row_class}>'
            f"<td>{it.number}{back}</td><td><code>{_e(f.rule)}</code><br><small>{_e(_.category(f.category))}</small></td>"
            f"<td>{sev}</td><td>{_e(_.location(f.location))}</td><td{lang}>{_quoted(f, _)}</td>"
            f"<td>{message}</td><td>{_e(legal)}</td><td>{_e(suggestion)}</td></tr>"
        )
    out.append("</table>")
    return out


def _evidence_table(fr: FileResult, items: _Index, lang: str, _: Words) -> list[str]:
    if not fr.evidence:
        return []
    heads = ["#", _("Rule"), _("Location"), _("Context"), _("Criteria")]
    out = [f"<h3>{_e(_('OSS-friendly evidence'))}</h3>", "<table>", _header_row(heads)]
    back_title = _e(_("back to the text"))
    for f in fr.evidence:
        it = items[f]
        back = f' <a href="#m-{it.anchor}" title="{back_title}">↩</a>' if fr.blocks else ""
        out.append(
            f'<tr id="{it.anchor}"><td>{it.number}{back}</td><td><code>{_e(f.rule)}</code><br>'
            f"<small>{_e(_.category(f.category))}</small></td><td>{_e(_.location(f.location))}</td>"
            f"<td{lang}>{_quoted(f, _)}</td><td>{_e(', '.join(str(c) for c in f.criteria))}</td></tr>"
        )
    out.append("</table>")
    return out
