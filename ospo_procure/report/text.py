"""Plain-text report: one line per finding, the sentence with the match marked, the scorecard.

Everything it says is in the report's language (report/words.py): each file's part in that
file's, the closing summary in the run's.
"""

from __future__ import annotations

import textwrap
from collections import Counter

from ospo_procure.model import FileResult, Finding, LintRun
from ospo_procure.report import ReportOptions
from ospo_procure.report.words import Words, file_language, run_language, words
from ospo_procure.termsafe import escape

WIDTH = 100


def marked_sentence(f: Finding, width: int = 220) -> str:
    """The finding's sentence with the match between »«, trimmed around it if long."""
    s, e = f.sentence or (0, len(f.context))
    before, match, after = f.context[s : f.start], f.context[f.start : f.end], f.context[f.end : e]
    if len(before) > width // 2:
        before = "…" + before[-width // 2 :]
    if len(after) > width // 2:
        after = after[: width // 2] + "…"
    return f"{before}»{match}«{after}".strip()


def _where(f: Finding, _: Words) -> str:
    """LINE for text files, so editors can jump to `path:LINE:`; a location label elsewhere."""
    return str(f.location.line) if f.location.line is not None else _.location(f.location)


def _wrapped(label: str, text: str) -> list[str]:
    return textwrap.wrap(f"{label}: {text}", WIDTH, initial_indent="    ", subsequent_indent="      ")


def _finding_lines(path: str, f: Finding, verbose: bool, _: Words) -> list[str]:
    note = _.finding_note(f)
    line = f"{path}:{_where(f, _)}: {_.severity(f.severity)} {f.rule} {f.message}"
    if note:
        line += f" ({note})"
    if f.role:
        line += f" [{_.role_text(f)}]"
    if f.waiver:
        line += " [" + _("waived: {justification}", justification=f.waiver.justification) + "]"
    lines = [line, "    " + marked_sentence(f)]
    if verbose or f.severity == "error":
        if f.suggestion:
            # Translators: the label before the suggested rewording of a finding, in the terminal report.
            lines += _wrapped(_("fix"), f.suggestion)
        if verbose and f.legal_basis:
            # Translators: the label before a finding's legal basis, in the terminal report.
            lines += _wrapped(_("basis"), f.legal_basis)
    return lines


def scorecard_lines(r: FileResult, _: Words) -> list[str]:
    """The scorecard: the overall score, then each criterion with its base, terms and total."""
    sc = r.scorecard
    if sc is None:
        return []
    head = _("Checklist score for {path}: {score}", path=r.path, score=_.score(sc.overall))
    if sc.unreadable:
        head += " " + _("(the text could not be read: the scores mean nothing)")
    lines = [head]
    for n, c in sorted(sc.criteria.items()):
        bar = "█" * c.score + "·" * (5 - c.score)
        lines.append(f"  {n}. {bar} {c.score}/5  {c.title}")
        lines += textwrap.wrap(
            _.separator.join(_.criterion_reasons(c)), WIDTH, initial_indent=" " * 7, subsequent_indent=" " * 7
        )
    return lines


def _file_lines(r: FileResult, options: ReportOptions, counts: Counter[str]) -> list[str]:
    _ = words(file_language(r, options.lang))
    if r.error:
        counts["unreadable"] += 1
        return [f"{r.path}: {_.severity('error')}: {_.text(r.error)}", ""]
    warning = _.severity("warning")
    out = [f"{r.path}: {warning}: {_.text(w)}" for w in r.warnings]
    for f in r.findings:
        out.extend(_finding_lines(r.path, f, options.verbose, _))
        counts["waived" if f.waived else f.severity] += 1
    counts["evidence"] += len(r.evidence)
    if options.show_evidence:
        for e in r.evidence:
            out.append(
                f"{r.path}:{_where(e, _)}: "
                + _(
                    "evidence {category} ({rule}): {match}", category=_.category(e.category), rule=e.rule, match=e.match
                )
            )
    out += [f"{r.path}: {warning}: {_.unused_waiver(w)}" for w in r.unused_waivers]
    out += scorecard_lines(r, _)
    return [*out, ""]


def summary_line(counts: Counter[str], files: int, _: Words) -> str:
    """'1 file: 6 errors, 0 warnings, 0 notes, 0 waived; 1 evidence item'."""
    parts = [
        _.ngettext("{n} error", "{n} errors", counts["error"]),
        _.ngettext("{n} warning", "{n} warnings", counts["warning"]),
        _.ngettext("{n} note", "{n} notes", counts["info"]),
        _.ngettext("{n} waived", "{n} waived", counts["waived"]),
    ]
    line = _(
        "{files}: {findings}; {evidence}",
        files=_.ngettext("{n} file", "{n} files", files),
        findings=", ".join(parts),
        evidence=_.ngettext("{n} evidence item", "{n} evidence items", counts["evidence"]),
    )
    if counts["unreadable"]:
        line += "; " + _.ngettext("{n} file could not be read", "{n} files could not be read", counts["unreadable"])
    return line


def render(results: LintRun, options: ReportOptions) -> bytes:
    out: list[str] = []
    counts: Counter[str] = Counter()
    for r in results.files:
        out += _file_lines(r, options, counts)
    _ = words(run_language(results.files, options.lang))
    out += [f"{_.severity('warning')}: {_.unused_waiver(w)}" for w in results.unused_waivers]
    out.append(summary_line(counts, len(results.files), _))
    # Document text, comment authors and file names come from the tender's author: every line is
    # made terminal-safe (controls, escape sequences, bidi overrides shown as \x1b, \u202e...).
    return ("\n".join(escape(line) for line in out) + "\n").encode("utf-8")
