"""Plain-text report: one line per finding, the sentence with the match marked, the scorecard."""

from __future__ import annotations

import textwrap
from collections import Counter

from ospo_procure.model import FileResult, Finding, LintRun
from ospo_procure.report import ReportOptions
from ospo_procure.report._shared import role_text, unused_waiver_text
from ospo_procure.termsafe import escape


def marked_sentence(f: Finding, width: int = 220) -> str:
    """The finding's sentence with the match between »«, trimmed around it if long."""
    s, e = f.sentence or (0, len(f.context))
    before, match, after = f.context[s : f.start], f.context[f.start : f.end], f.context[f.end : e]
    if len(before) > width // 2:
        before = "…" + before[-width // 2 :]
    if len(after) > width // 2:
        after = after[: width // 2] + "…"
    return f"{before}»{match}«{after}".strip()


def _where(f: Finding) -> str:
    """LINE for text files, so editors can jump to `path:LINE:`; a location label elsewhere."""
    return str(f.location.line) if f.location.line is not None else f.location.label()


def _finding_lines(path: str, f: Finding, verbose: bool) -> list[str]:
    status = f" [waived: {f.waiver.justification}]" if f.waiver else ""
    note = f" ({f.note})" if f.note and f.note.lower() not in f.message.lower() else ""
    role = f" [{role_text(f)}]" if f.role else ""
    lines = [f"{path}:{_where(f)}: {f.severity} {f.rule} {f.message}{note}{role}{status}"]
    lines.append("    " + marked_sentence(f))
    if verbose or f.severity == "error":
        if f.suggestion:
            lines.extend(textwrap.wrap("fix: " + f.suggestion, 100, initial_indent="    ", subsequent_indent="      "))
        if verbose and f.legal_basis:
            lines.extend(
                textwrap.wrap("basis: " + f.legal_basis, 100, initial_indent="    ", subsequent_indent="      ")
            )
    return lines


def scorecard_lines(r: FileResult, verbose: bool = False) -> list[str]:
    sc = r.scorecard
    if sc is None:
        return []
    head = f"Checklist score for {r.path}: {sc.overall:.1f}/5"
    if sc.unreadable:
        head += " (text could not be read: scores are not meaningful)"
    lines = [head]
    for n, c in sorted(sc.criteria.items()):
        bar = "█" * c.score + "·" * (5 - c.score)
        lines.append(f"  {n}. {bar} {c.score}/5  {c.title}")
        detail = c.reasons if verbose else [t.reason() for t in c.terms] + ([c.cap.reason()] if c.cap else [])
        if detail:
            lines.append("       " + "; ".join(detail))
    return lines


def _file_lines(r: FileResult, options: ReportOptions, counts: Counter[str]) -> list[str]:
    if r.error:
        counts["unreadable"] += 1
        return [f"{r.path}: error: {r.error}", ""]
    out = [f"{r.path}: warning: {w}" for w in r.warnings]
    for f in r.findings:
        out.extend(_finding_lines(r.path, f, options.verbose))
        counts["waived" if f.waived else f.severity] += 1
    counts["evidence"] += len(r.evidence)
    if options.show_evidence:
        for e in r.evidence:
            out.append(f"{r.path}:{_where(e)}: evidence {e.category} ({e.rule}): {e.match}")
    out += [f"{r.path}: warning: {unused_waiver_text(w)}" for w in r.unused_waivers]
    out += scorecard_lines(r, options.verbose)
    return [*out, ""]


def render(results: LintRun, options: ReportOptions) -> bytes:
    out: list[str] = []
    counts: Counter[str] = Counter()
    for r in results.files:
        out += _file_lines(r, options, counts)
    out += [f"warning: {unused_waiver_text(w)}" for w in results.unused_waivers]
    summary = (
        f"{len(results.files)} file(s): {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} info, {counts['waived']} waived; {counts['evidence']} evidence item(s)"
    )
    if counts["unreadable"]:
        summary += f"; {counts['unreadable']} file(s) could not be read"
    out.append(summary)
    # Document text, comment authors and file names come from the tender's author: every line is
    # made terminal-safe (controls, escape sequences, bidi overrides shown as \x1b, \u202e...).
    return ("\n".join(escape(line) for line in out) + "\n").encode("utf-8")
