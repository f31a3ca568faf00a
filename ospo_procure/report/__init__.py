"""Reporters: every output format is made from the same `LintRun`, through one interface.

Each reporter module defines

    render(results: LintRun, options: ReportOptions) -> bytes

and is listed once in `REPORTERS`, which is also where the CLI takes its `--format`
choices from. Every option any reporter reads is a field of `ReportOptions`; a
reporter ignores the ones that do not concern it. Reporters never import the readers:
what they know about the file comes from the `FileResult` (its blocks and their source
maps). The annotated Word copy (report/annotate.py) is not a reporter: it writes a
document, not a report.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from ospo_procure.model import LintRun
from ospo_procure.report._protocols import RuleInfo, RuleView

RenderFn = Callable[[LintRun, "ReportOptions"], bytes]


@dataclass(frozen=True)
class ReportOptions:
    """Everything a reporter may be told, besides the results themselves."""

    rules: Mapping[str, RuleInfo] | None = None  # rule documentation; reporters fall back to the findings
    tool_version: str = ""
    verbose: bool = False  # text: suggestion and legal basis for every finding
    show_evidence: bool = False  # text: list evidence items too
    min_score: int = 3  # junit: a criterion scoring below this fails
    report_date: dt.date | None = None  # pdf: the date printed (fixed = reproducible bytes); default today
    # The language of everything the report says (`--report-lang`); None: each file's own language
    # (report/words.py). Findings are worded when linted: lint with the same language (LintOptions).
    lang: str | None = None
    # File paths as given relative to the current folder (SARIF: to %SRCROOT%), or absolute.
    absolute_paths: bool = False
    # The rule folder used, for the report's metadata: "lint_rules/" (a project's), "bundled", or "" (unsaid).
    rules_source: str = ""


@dataclass(frozen=True)
class Reporter:
    """One output format: its name, where its `render` lives, and how it is written."""

    name: str
    module: str
    description: str
    needs_output_file: bool = False  # page-like output: written to a file (or `-o -`), never to a terminal
    binary: bool = False  # bytes, not UTF-8 text (`-o -` writes them as they are)

    def load(self) -> RenderFn:
        """The reporter's render function (imported on first use: reportlab is slow to import)."""
        return cast(RenderFn, importlib.import_module(self.module).render)


REPORTERS: dict[str, Reporter] = {
    r.name: r
    for r in (
        Reporter("text", "ospo_procure.report.text", "one line per finding, then the scorecard"),
        Reporter("json", "ospo_procure.report.json_report", "everything, for programs (docs/json-format.md)"),
        Reporter("sarif", "ospo_procure.report.sarif", "SARIF 2.1.0 for code-scanning services"),
        Reporter("html", "ospo_procure.report.html", "one self-contained review page", needs_output_file=True),
        Reporter(
            "pdf",
            "ospo_procure.report.pdf",
            "a scorecard report to file with the tender",
            needs_output_file=True,
            binary=True,
        ),
        Reporter("junit", "ospo_procure.report.junit", "JUnit XML: criteria and findings as CI test results"),
    )
}
FORMATS = tuple(REPORTERS)


def render(fmt: str, results: LintRun, options: ReportOptions | None = None) -> bytes:
    """Render `results` in format `fmt` (one of FORMATS), with the paths the options ask for."""
    from ospo_procure.report.paths import with_report_paths

    reporter = REPORTERS.get(fmt)
    if reporter is None:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    options = options or ReportOptions()
    return reporter.load()(with_report_paths(results, absolute=options.absolute_paths), options)


def rule_infos(ruleset: Any, lang: str = "en") -> dict[str, RuleView]:
    """What reporters need to know about each rule (the RuleInfo protocol of report/_protocols.py)."""
    from ospo_procure.rules.docs import rule_help

    return {
        r.id: RuleView(
            id=r.id,
            category=r.category,
            severity=r.severity,
            message=r.text("message", lang),
            suggestion=r.text("suggestion", lang),
            legal_basis=r.text("legal_basis", lang),
            criteria=r.criteria,
            kind=r.kind,
            help=rule_help(r, lang),
        )
        for r in ruleset.rules
    }
