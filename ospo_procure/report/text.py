"""Plain-text report: one line per finding, the sentence with the match marked, the scorecard."""

from __future__ import annotations

import textwrap
from typing import Any

from ospo_procure.model import FileResult, Finding, Waiver
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
    lines = [f"{path}:{_where(f)}: {f.severity} {f.rule} {f.message}{note}{status}"]
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
        detail = c.reasons[1:] if not verbose else c.reasons
        if detail:
            lines.append("       " + "; ".join(detail))
    return lines


def render(
    results: list[FileResult],
    *,
    verbose: bool = False,
    show_evidence: bool = False,
    show_score: bool = True,
    unused_waivers: list[Waiver] | None = None,
    **_: Any,
) -> bytes:
    out: list[str] = []
    counts = {"error": 0, "warning": 0, "info": 0, "waived": 0, "evidence": 0, "unreadable": 0}
    for r in results:
        if r.error:
            out.append(f"{r.path}: error: {r.error}")
            counts["unreadable"] += 1
            continue
        for w in r.warnings:
            out.append(f"{r.path}: warning: {w}")
        for f in r.findings:
            out.extend(_finding_lines(r.path, f, verbose))
            counts["waived" if f.waived else f.severity] += 1
        counts["evidence"] += len(r.evidence)
        if show_evidence:
            for e in r.evidence:
                out.append(f"{r.path}:{_where(e)}: evidence {e.category} ({e.rule}): {e.match}")
        for uw in r.unused_waivers:
            out.append(f"{r.path}: warning: unused waiver for {uw.rule} ({uw.source}): it matches no finding")
        if show_score:
            out.extend(scorecard_lines(r, verbose))
        out.append("")
    for uw in unused_waivers or []:
        out.append(f"warning: unused waiver for {uw.rule} ({uw.source}): it matches no finding")
    summary = (
        f"{len(results)} file(s): {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} info, {counts['waived']} waived; {counts['evidence']} evidence item(s)"
    )
    if counts["unreadable"]:
        summary += f"; {counts['unreadable']} file(s) could not be read"
    out.append(summary)
    # Document text, comment authors and file names come from the tender's author: every line is
    # made terminal-safe (controls, escape sequences, bidi overrides shown as \x1b, \u202e...).
    return ("\n".join(escape(line) for line in out) + "\n").encode("utf-8")
