"""JUnit XML so CI systems can show tender checks as test results.

One <testsuite> per file; one <testcase> per checklist criterion, failing when its
score is below `min_score`; one "lock-in findings" testcase failing on unwaived
error-level findings. A file that could not be read is an <error>. Warnings, other
findings and unused waivers go to the suite's <system-out>; waiver-file entries that
matched nothing in the whole run, to a last "waiver files" suite. ElementTree does the
escaping; characters XML 1.0 cannot carry are replaced first. Test names and messages are
in the report's language (report/words.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ospo_procure.i18n import N_
from ospo_procure.model import FileResult, Finding, LintRun, Waiver
from ospo_procure.report import ReportOptions
from ospo_procure.report._shared import xml_safe
from ospo_procure.report.words import Words, file_language, run_language, words
from ospo_procure.scoring_model import CriterionScore

LOCKIN_CASE = N_("lock-in findings")


def render(results: LintRun, options: ReportOptions) -> bytes:
    """JUnit XML (UTF-8, with declaration) for all files."""
    root = ET.Element("testsuites", name="ospo-procure")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    suites = [
        _suite(fr, options.min_score, options.tool_version, words(file_language(fr, options.lang)))
        for fr in results.files
    ]
    if results.unused_waivers:
        suites.append(_waiver_suite(results.unused_waivers, words(run_language(results.files, options.lang))))
    for suite in suites:
        root.append(suite)
        for k in totals:
            totals[k] += int(suite.get(k, "0"))
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _x(text: object) -> str:
    return xml_safe(str(text))


def _finding_line(f: Finding, _: Words) -> str:
    line = "- " + _(
        "[{severity}] {rule} at {where}: {match} — {message}",
        severity=_.severity(f.severity),
        rule=f.rule,
        where=_.location(f.location),
        match=_.quoted(f.match),
        message=f.message,
    )
    if f.suggestion:
        line += " " + _("Suggestion: {text}", text=f.suggestion)
    if f.role:
        line += f" ({_.role_text(f)})"
    if f.waiver is not None:
        line += " (" + _("waived: {justification}", justification=_.waiver(f.waiver)) + ")"
    return line


def _case(suite: ET.Element, name: str, classname: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", name=_x(name), classname=_x(classname), time="0")


class _Suite:
    """One <testsuite> and its counters."""

    def __init__(self, name: str, tool_version: str) -> None:
        self.el = ET.Element("testsuite", name=_x(name), time="0")
        self.classname = name
        if tool_version:
            props = ET.SubElement(self.el, "properties")
            ET.SubElement(props, "property", name="ospo-procure.version", value=_x(tool_version))
        self.counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def add(
        self, name: str, outcome: str | None = None, message: str = "", kind: str = "", body: str = "", out: str = ""
    ) -> None:
        case = _case(self.el, name, self.classname)
        self.counts["tests"] += 1
        if outcome is not None:
            el = ET.SubElement(case, outcome, message=_x(message))
            if kind:
                el.set("type", kind)
            if body:
                el.text = _x(body)
            self.counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[outcome]] += 1
        if out:
            ET.SubElement(case, "system-out").text = _x(out)

    def close(self, out_lines: list[str]) -> ET.Element:
        for k, v in self.counts.items():
            self.el.set(k, str(v))
        if out_lines:
            ET.SubElement(self.el, "system-out").text = _x("\n".join(out_lines))
        return self.el


def _suite(fr: FileResult, min_score: int, tool_version: str, _: Words) -> ET.Element:
    suite = _Suite(fr.path, tool_version)
    if fr.error:
        error = _.text(fr.error)
        suite.add(_("read the document"), "error", error, "InputError", error)
    else:
        _scorecard_cases(suite, fr, min_score, _)
        blocking = [f for f in fr.findings if f.severity == "error" and not f.waived]
        if blocking:
            body = "\n".join(_finding_line(f, _) for f in blocking)
            message = _.ngettext(
                "{n} unwaived error-level lock-in finding", "{n} unwaived error-level lock-in findings", len(blocking)
            )
            suite.add(_(LOCKIN_CASE), "failure", message, "lock-in", body)
        else:
            suite.add(_(LOCKIN_CASE))
    # system-out carries the rest (warnings, other findings, unused waivers) for CI log viewers.
    warning = _.severity("warning")
    extra = [f"{warning}: {_.text(w)}" for w in fr.warnings]
    extra += [_finding_line(f, _) for f in fr.findings if f.severity != "error" or f.waived]
    extra += [f"{warning}: {_.unused_waiver(w)}" for w in fr.unused_waivers]
    return suite.close(extra)


def _scorecard_cases(suite: _Suite, fr: FileResult, min_score: int, _: Words) -> None:
    card = fr.scorecard
    if card is None:
        suite.add(_("checklist scorecard"), "skipped", _("the scorecard was not computed"))
        return
    if card.unreadable:
        suite.add(_("document text"), "failure", _("no text could be read (a scanned document?)"), "unreadable")
    for n, c in sorted(card.criteria.items()):
        name = _("criterion {n}: {title}", n=n, title=c.title)
        if card.unreadable:
            suite.add(name, "skipped", _("no text could be read"))
        elif c.score < min_score:
            message = _("score {score}/5 is below the minimum of {minimum}", score=c.score, minimum=min_score)
            suite.add(name, "failure", message, "checklist", _criterion_body(c, _))
        else:
            # A passing criterion shows how its score adds up too (CI log viewers show system-out).
            suite.add(name, out="\n".join(_.criterion_reasons(c)))


def _waiver_suite(unused: list[Waiver], _: Words) -> ET.Element:
    """Waiver-file entries that waived nothing: listed, not failed (they do not change the exit status)."""
    name = _("waiver files")
    suite = ET.Element("testsuite", name=name, tests="1", failures="0", errors="0", skipped="0", time="0")
    _case(suite, _("every waiver matches a finding"), name)
    warning = _.severity("warning")
    ET.SubElement(suite, "system-out").text = _x("\n".join(f"{warning}: {_.unused_waiver(w)}" for w in unused))
    return suite


def _criterion_body(c: CriterionScore, _: Words) -> str:
    """The score, its reasons (base, terms, total) and the items behind them."""
    lines = [_("score {score}/5", score=c.score)]
    lines += [_("reason: {reason}", reason=r) for r in _.criterion_reasons(c)]
    lines += [_finding_line(f, _) for f in c.findings]
    lines += [
        "+ "
        + _("evidence {rule} at {where}: {match}", rule=e.rule, where=_.location(e.location), match=_.quoted(e.match))
        for e in c.evidence
    ]
    return "\n".join(lines)
