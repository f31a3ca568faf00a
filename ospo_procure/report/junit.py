"""JUnit XML so CI systems can show tender checks as test results.

One <testsuite> per file; one <testcase> per checklist criterion, failing when its
score is below `min_score`; one "lock-in findings" testcase failing on unwaived
error-level findings. A file that could not be read is an <error>. ElementTree does
the escaping; characters XML 1.0 cannot carry are replaced first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ospo_procure.model import FileResult, Finding
from ospo_procure.report._protocols import RuleInfo
from ospo_procure.report._shared import waiver_text, xml_safe

LOCKIN_CASE = "lock-in findings"


def render(
    results: list[FileResult],
    *,
    rules: dict[str, RuleInfo] | None = None,
    tool_version: str = "",
    min_score: int = 3,
) -> bytes:
    """JUnit XML (UTF-8, with declaration) for all files."""
    root = ET.Element("testsuites", name="ospo-procure")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for fr in results:
        suite = _suite(fr, min_score, tool_version)
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
    if f.waiver is not None:
        line += f" (waived: {waiver_text(f.waiver)})"
    return line


def _case(suite: ET.Element, name: str, classname: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", name=_x(name), classname=_x(classname), time="0")


def _suite(fr: FileResult, min_score: int, tool_version: str) -> ET.Element:
    suite = ET.Element("testsuite", name=_x(fr.path), time="0")
    if tool_version:
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="ospo-procure.version", value=_x(tool_version))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def add(name: str, outcome: str | None = None, message: str = "", kind: str = "", body: str = "") -> None:
        case = _case(suite, name, fr.path)
        counts["tests"] += 1
        if outcome is not None:
            el = ET.SubElement(case, outcome, message=_x(message))
            if kind:
                el.set("type", kind)
            if body:
                el.text = _x(body)
            counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[outcome]] += 1

    if fr.error:
        add("read document", "error", fr.error, "InputError", fr.error)
    else:
        card = fr.scorecard
        if card is None:
            add("checklist scorecard", "skipped", "scorecard not computed")
        else:
            if card.unreadable:
                add("document text", "failure", "no text could be read (image-only document?)", "unreadable")
            for n, c in sorted(card.criteria.items()):
                name = f"criterion {n}: {c.title}"
                if card.unreadable:
                    add(name, "skipped", "no text could be read")
                elif c.score < min_score:
                    add(
                        name,
                        "failure",
                        f"score {c.score}/5 is below the minimum of {min_score}",
                        "checklist",
                        _criterion_body(c.score, c.reasons, c.findings, c.evidence),
                    )
                else:
                    add(name)
        blocking = [f for f in fr.findings if f.severity == "error" and not f.waived]
        if blocking:
            add(
                LOCKIN_CASE,
                "failure",
                f"{len(blocking)} unwaived error-level lock-in finding(s)",
                "lock-in",
                "\n".join(_finding_line(f) for f in blocking),
            )
        else:
            add(LOCKIN_CASE)
    for k, v in counts.items():
        suite.set(k, str(v))
    # system-out carries the rest (warnings, other findings) for CI log viewers.
    extra = [f"warning: {w}" for w in fr.warnings]
    extra += [_finding_line(f) for f in fr.findings if f.severity != "error" or f.waived]
    if extra:
        ET.SubElement(suite, "system-out").text = _x("\n".join(extra))
    return suite


def _criterion_body(
    score: int, reasons: Iterable[str], findings: Iterable[Finding], evidence: Iterable[Finding]
) -> str:
    lines = [f"score {score}/5"]
    lines += [f"reason: {r}" for r in reasons]
    lines += [_finding_line(f) for f in findings]
    lines += [f"+ evidence {e.rule} at {e.location.label()}: “{e.match}”" for e in evidence]
    return "\n".join(lines)
