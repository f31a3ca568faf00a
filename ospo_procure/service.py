"""The lint command as a library call: options in, report and exit status out.

The CLI only parses options and prints; tests call `run_lint` directly. The report is
rendered by the reporter the format names (`report.REPORTERS`) from one `LintRun`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_procure import __version__
from ospo_procure.constants import SUFFIX_LIST, ExitCode
from ospo_procure.errors import UsageError
from ospo_procure.fsutil import STDOUT, Protected, atomic_write_bytes, check_output
from ospo_procure.limits import Limits
from ospo_procure.model import SEVERITY_RANK, FileResult, LintRun, Waiver


@dataclass
class LintOptions:
    fmt: str = "text"
    output: Path | None = None
    language: str | None = None
    rules_dir: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "error"
    fail_under: float | None = None
    waiver_file: Path | None = None
    annotate: Path | None = None
    author: str = "ospo-procure"
    show_evidence: bool = False
    verbose: bool = False
    # The language of everything the report says (None: each document's own).
    report_lang: str | None = None
    absolute_paths: bool = False  # report paths absolute instead of relative to the current folder
    limits: Limits = field(default_factory=Limits)
    # Trust boundaries (SECURITY.md): in-document waivers are honoured only when trusted;
    # the reviewer's project configuration is searched from `project_start` (default: cwd).
    trust_document_waivers: bool = False
    follow_symlinks: bool = False
    project_start: Path | None = None
    discover_project: bool = True  # False: only `waiver_file` (e.g. a server, whose cwd is not a project)


@dataclass
class LintOutcome:
    results: list[FileResult]
    report: str | None  # text to print on stdout (None when written to a file)
    messages: list[str]  # lines for stderr
    exit_code: int
    unused_waivers: list[Waiver] = field(default_factory=list)
    binary: bytes | None = None  # a binary report (pdf) for stdout, with `-o -`


def exit_status(results: list[FileResult], fail_on: str, fail_under: float | None) -> int:
    # A file whose text could not be read (an error, or an image-only PDF) is never a pass.
    if any(r.unusable for r in results):
        return ExitCode.ERROR
    threshold = SEVERITY_RANK.get(fail_on)
    for r in results:
        if threshold is not None and any(SEVERITY_RANK[f.severity] >= threshold and not f.waived for f in r.findings):
            return ExitCode.FINDINGS
        if fail_under is not None and r.scorecard is not None and r.scorecard.overall < fail_under:
            return ExitCode.FINDINGS
    return ExitCode.OK


def run_lint(paths: list[Path], options: LintOptions) -> LintOutcome:
    from ospo_procure.lint import expand_paths, lint_paths
    from ospo_procure.report import REPORTERS, render
    from ospo_procure.reviewer import files_in_use
    from ospo_procure.waivers import WaiverIndex

    reporter = REPORTERS.get(options.fmt)
    if reporter is None:
        raise UsageError(f"unknown format {options.fmt!r} (choose from {', '.join(REPORTERS)})")
    if reporter.needs_output_file and options.output is None:
        raise UsageError(f"--format {options.fmt} needs -o FILE (or -o - for stdout)")
    files = expand_paths(paths)
    if not files:
        raise UsageError(f"no lintable files ({SUFFIX_LIST}) in the given paths")
    if options.annotate is not None and (len(files) != 1 or files[0].suffix.lower() != ".docx"):
        raise UsageError("--annotate needs exactly one .docx input")
    config, rules, ruleset = _project(files, options)
    # Every output is checked before any work: one clear line, nothing linted for nothing.
    protected = files_in_use(config, ruleset.directory)
    output = _checked_outputs(options, files, protected)
    waivers = WaiverIndex(config=config, limits=options.limits)
    results = lint_paths(
        files,
        language=options.language,
        ruleset=ruleset,
        limits=options.limits,
        waivers=waivers,
        report_language=options.report_lang,
    )
    unused = waivers.unused()

    # A project's own rules are said (and every report's metadata names the rules); the bundled
    # ones, or those the user named with --rules, go without saying.
    messages: list[str] = [rules.describe()] if rules.origin == "project" else []
    messages += config.notes
    annotate_status = _annotate(options, files, results, protected, messages)
    data = render(options.fmt, LintRun(results, unused), _report_options(options, ruleset, rules, results))
    report, binary = None, None
    if output is not None:
        atomic_write_bytes(output, data, inputs=files, protected=protected, follow_symlinks=options.follow_symlinks)
        messages.append(f"{options.fmt} report written to {output}")
    elif reporter.binary:
        binary = data
    else:
        report = data.decode("utf-8")
    code = max(exit_status(results, options.fail_on, options.fail_under), annotate_status)
    return LintOutcome(results, report, messages, code, unused, binary)


def _project(files: list[Path], options: LintOptions) -> tuple[Any, Any, Any]:
    """The reviewer's configuration, the rule folder it points to (or --rules, or the bundled
    one) and the rules loaded from it, narrowed by --select/--ignore."""
    from ospo_procure.paths import data_source
    from ospo_procure.reviewer import reviewer_config
    from ospo_procure.rules import load_ruleset

    config = reviewer_config(
        files,
        waiver_file=options.waiver_file,
        trust_document_waivers=options.trust_document_waivers,
        start=options.project_start,
        discover_project=options.discover_project,
    )
    rules = data_source("lint_rules", options.rules_dir, config)
    ruleset = load_ruleset(rules.path)
    if options.select or options.ignore:
        ruleset = ruleset.select(options.select, options.ignore)
        if not ruleset.rules:
            raise UsageError("--select/--ignore leave no rules to run")
    return config, rules, ruleset


def _report_options(options: LintOptions, ruleset: Any, rules: Any, results: list[FileResult]) -> Any:
    from ospo_procure.report import ReportOptions, rule_infos
    from ospo_procure.report.words import run_language

    return ReportOptions(
        rules=rule_infos(ruleset, run_language(results, options.report_lang)),
        tool_version=__version__,
        verbose=options.verbose,
        show_evidence=options.show_evidence,
        lang=options.report_lang,
        absolute_paths=options.absolute_paths,
        rules_source=rules.shown,
    )


def _checked_outputs(options: LintOptions, files: list[Path], protected: Iterable[Protected]) -> Path | None:
    """The report file (None for stdout), after checking it and the annotated copy's path."""
    to_stdout = options.output is not None and str(options.output) == STDOUT
    output = None if options.output is None or to_stdout else options.output
    for out in (output, options.annotate):
        if out is not None:
            check_output(out, inputs=files, protected=protected, follow_symlinks=options.follow_symlinks)
    return output


def _annotate(
    options: LintOptions,
    files: list[Path],
    results: list[FileResult],
    protected: Iterable[Protected],
    messages: list[str],
) -> int:
    """Write the annotated Word copy when asked; its exit status (it may fail on its own)."""
    if options.annotate is None or not results or results[0].error is not None:
        return ExitCode.OK
    from ospo_procure.report.annotate import annotate_to_file

    line, status = annotate_to_file(
        files[0],
        results[0],
        options.annotate,
        author=options.author,
        limits=options.limits,
        protected=protected,
        follow_symlinks=options.follow_symlinks,
        lang=options.report_lang,
    )
    messages.append(line)
    return status
