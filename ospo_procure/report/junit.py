"""JUnit XML so CI systems can show tender checks as test results.

One <testsuite> per file; one <testcase> per checklist criterion, failing when its
score is below `min_score`; one "lock-in findings" testcase failing on unwaived
error-level findings. A file that could not be read is an <error>. Warnings, other
findings and unused waivers go to the suite's <system-out>; waiver-file entries that
matched nothing in the whole run, to a last "waiver files" suite. ElementTree does the
escaping; characters XML 1.0 cannot carry are replaced first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ospo_procure.model import FileResult, Finding, LintRun, Waiver
from ospo_procure.report import ReportOptions
from ospo_procure.report._shared import role_text, unused_waiver_text, waiver_text, xml_safe

LOCKIN_CASE = "lock-in findings"


def render(results: LintRun, options: ReportOptions) -> bytes:
    """JUnit XML (UTF-8, with declaration) for all files."""
    root = ET.Element("testsuites", name="ospo-procure")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    suites = [_suite(fr, options.min_score, options.tool_version) for fr in results.files]
    if results.unused_waivers:
        suites.append(_waiver_suite(results.unused_waivers))
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


def _finding_line(f: Finding) -> str:
    line = f"- [{f.severity}] {f.rule} at {f.location.label()}: “{f.match}” — {f.message}"
    if f.suggestion:
        line += f" Suggestion: {f.suggestion}"
    if f.role:
        line += f" ({role_text(f)})"
    if f.waiver is not None:
        line += f" (waived: {waiver_text(f.waiver)})"
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

    def add(self, name: str, outcome: str | None = None, message: str = "", kind: str = "", body: str = "") -> None:
        case = _case(self.el, name, self.classname)
        self.counts["tests"] += 1
        if outcome is not None:
            el = ET.SubElement(case, outcome, message=_x(message))
            if kind:
                el.set("type", kind)
            if body:
                el.text = _x(body)
            self.counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[outcome]] += 1

    def close(self, out_lines: list[str]) -> ET.Element:
        for k, v in self.counts.items():
            self.el.set(k, str(v))
        if out_lines:
            ET.SubElement(self.el, "system-out").text = _x("\n".join(out_lines))
        return self.el


def _suite(fr: FileResult, min_score: int, tool_version: str) -> ET.Element:
    suite = _Suite(fr.path, tool_version)
    if fr.error:
        suite.add("read document", "error", fr.error, "InputError", fr.error)
    else:
        _scorecard_cases(suite, fr, min_score)
        blocking = [f for f in fr.findings if f.severity == "error" and not f.waived]
        if blocking:
            body = "\n".join(_finding_line(f) for f in blocking)
            suite.add(
                LOCKIN_CASE, "failure", f"{len(blocking)} unwaived error-level lock-in finding(s)", "lock-in", body
            )
        else:
            suite.add(LOCKIN_CASE)
    # system-out carries the rest (warnings, other findings, unused waivers) for CI log viewers.
    extra = [f"warning: {w}" for w in fr.warnings]
    extra += [_finding_line(f) for f in fr.findings if f.severity != "error" or f.waived]
    extra += [f"warning: {unused_waiver_text(w)}" for w in fr.unused_waivers]
    return suite.close(extra)


def _scorecard_cases(suite: _Suite, fr: FileResult, min_score: int) -> None:
    card = fr.scorecard
    if card is None:
        suite.add("checklist scorecard", "skipped", "scorecard not computed")
        return
    if card.unreadable:
        suite.add("document text", "failure", "no text could be read (image-only document?)", "unreadable")
    for n, c in sorted(card.criteria.items()):
        name = f"criterion {n}: {c.title}"
        if card.unreadable:
            suite.add(name, "skipped", "no text could be read")
        elif c.score < min_score:
            message = f"score {c.score}/5 is below the minimum of {min_score}"
            suite.add(
                name, "failure", message, "checklist", _criterion_body(c.score, c.reasons, c.findings, c.evidence)
            )
        else:
            suite.add(name)


def _waiver_suite(unused: list[Waiver]) -> ET.Element:
    """Waiver-file entries that waived nothing: listed, not failed (they do not change the exit status)."""
    suite = ET.Element("testsuite", name="waiver files", tests="1", failures="0", errors="0", skipped="0", time="0")
    _case(suite, "every waiver matches a finding", "waiver files")
    ET.SubElement(suite, "system-out").text = _x("\n".join(f"warning: {unused_waiver_text(w)}" for w in unused))
    return suite


def _criterion_body(
    score: int, reasons: Iterable[str], findings: Iterable[Finding], evidence: Iterable[Finding]
) -> str:
    lines = [f"score {score}/5"]
    lines += [f"reason: {r}" for r in reasons]
    lines += [_finding_line(f) for f in findings]
    lines += [f"+ evidence {e.rule} at {e.location.label()}: “{e.match}”" for e in evidence]
    return "\n".join(lines)
