"""The `ospo-procure` command: a thin click layer over the library.

Heavy modules (spaCy, python-docx, reportlab) are imported inside the commands, so
`ospo-procure --help` starts fast. Every command runs under one error policy
(`cli_common.handle_errors`): a user-caused error is one line on stderr and exit status
2, a bug is one line and exit status 3; lint exits 1 when findings reach --fail-on or
the score is below --fail-under. Choices (languages, formats, severities) and limit
defaults come from where they are defined, never repeated here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ospo_procure import __version__
from ospo_procure.cli_common import handle_errors, lang_option
from ospo_procure.constants import FAIL_ON, SUFFIX_LIST, ExitCode
from ospo_procure.errors import UsageError
from ospo_procure.limits import Limits
from ospo_procure.report import FORMATS, REPORTERS

_DEFAULTS = Limits()
_MB = 1024 * 1024


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ospo-procure")
def main() -> None:
    """Lint public tenders for vendor lock-in and build OSS-friendly tenders.

    \b
    Review a tender:  ospo-procure lint draft.docx
    Build a tender:   ospo-procure build spec.yaml -o out/
    """


def _csv(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


@main.command(help=f"Report vendor lock-in in tender documents ({SUFFIX_LIST}, or folders of them).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the report to FILE (required for "
    + " and ".join(n for n, r in REPORTERS.items() if r.needs_output_file)
    + "); `-o -` writes it to stdout.",
)
@lang_option(help="Language of the documents (default: detected per document).")
@lang_option("--report-lang", help="Language of everything the report says (default: each document's language).")
@click.option(
    "--absolute-paths",
    is_flag=True,
    help="Absolute file paths in the report (default: relative to the current folder).",
)
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Rule folder (default: the project's lint_rules/, found from the current folder upward, else the "
    "bundled one).",
)
@click.option("--select", multiple=True, help="Only these rule ids or categories (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or categories.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Exit 1 when a finding at or above this severity remains.",
)
@click.option(
    "--fail-under", type=click.FloatRange(0, 5), help="Exit 1 when a file's overall checklist score is below N."
)
@click.option(
    "--waivers",
    "waiver_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Waiver file (default: from your project's .ospo-procure.toml or ospo-waivers.yaml, found from the "
    "current folder upward; never beside the tenders).",
)
@click.option(
    "--trust-document-waivers",
    is_flag=True,
    help="Honour 'ospo-procure: allow RULE because ...' comments and marker lines written in the documents "
    "(only for documents you wrote yourself; hidden text never counts).",
)
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Let -o/--annotate write through a symbolic link to its target (refused by default).",
)
@click.option(
    "--annotate",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write a copy of the (single) .docx with one Word comment per finding.",
)
@click.option("--author", default="ospo-procure", show_default=True, help="Author name of the Word comments.")
@click.option("--evidence", "show_evidence", is_flag=True, help="Also list the evidence items (text format).")
@click.option("-v", "--verbose", is_flag=True, help="Show suggestions and legal bases for every finding.")
@click.option(
    "--max-file-mb",
    type=click.IntRange(1),
    default=_DEFAULTS.max_file_bytes // _MB,
    show_default=True,
    help="Refuse input files larger than this.",
)
@click.option(
    "--max-uncompressed-mb",
    type=click.IntRange(1),
    default=_DEFAULTS.max_uncompressed_bytes // _MB,
    show_default=True,
    help="Refuse .docx/.odt whose contents inflate beyond this.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(1),
    default=_DEFAULTS.max_pages,
    show_default=True,
    help="Refuse PDFs with more pages.",
)
@click.option(
    "--max-seconds",
    type=click.FloatRange(1),
    default=_DEFAULTS.max_seconds,
    show_default=True,
    help="Give up reading one document after this long.",
)
@click.option(
    "--max-chars",
    type=click.IntRange(1000),
    default=_DEFAULTS.max_chars,
    show_default=True,
    help="Refuse documents with more text than this.",
)
@handle_errors
def lint(  # long: one parameter per option, passed on to LintOptions
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    lang: str | None,
    report_lang: str | None,
    absolute_paths: bool,
    rules_dir: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    fail_under: float | None,
    waiver_file: Path | None,
    trust_document_waivers: bool,
    follow_symlinks: bool,
    annotate: Path | None,
    author: str,
    show_evidence: bool,
    verbose: bool,
    max_file_mb: int,
    max_uncompressed_mb: int,
    max_pages: int,
    max_seconds: float,
    max_chars: int,
) -> int:
    from ospo_procure.service import LintOptions, run_lint
    from ospo_procure.termsafe import escape

    options = LintOptions(
        fmt=fmt,
        output=output,
        language=lang,
        report_lang=report_lang,
        absolute_paths=absolute_paths,
        rules_dir=rules_dir,
        select=_csv(select),
        ignore=_csv(ignore),
        fail_on=fail_on,
        fail_under=fail_under,
        waiver_file=waiver_file,
        trust_document_waivers=trust_document_waivers,
        follow_symlinks=follow_symlinks,
        annotate=annotate,
        author=author,
        show_evidence=show_evidence,
        verbose=verbose,
        limits=Limits(
            max_file_bytes=max_file_mb * _MB,
            max_uncompressed_bytes=max_uncompressed_mb * _MB,
            max_pages=max_pages,
            max_seconds=max_seconds,
            max_chars=max_chars,
        ),
    )
    outcome = run_lint(list(paths), options)
    if outcome.report is not None:
        click.echo(outcome.report, nl=False)
    if outcome.binary is not None:  # `--format pdf -o -`
        click.echo(outcome.binary, nl=False)
    for line in outcome.messages:
        click.echo(escape(line), err=True)
    return outcome.exit_code


@main.group()
def rules() -> None:
    """List, explain and check the lint rules."""


_rules_option = click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Rule folder (default: the project's lint_rules/, found from the current folder upward, else the bundled one).",
)


def _ruleset(rules_dir: Path | None) -> Any:
    """The rules a `rules` command reads (docs/ospo-workflow.md), said in one line on stderr
    once they loaded (a rule folder that does not load is named by its error)."""
    from ospo_procure.paths import data_source
    from ospo_procure.rules import load_ruleset

    source = data_source("lint_rules", rules_dir)
    ruleset = load_ruleset(source.path)
    click.echo(source.describe(), err=True)
    return ruleset


@rules.command("list")
@_rules_option
@click.option("--category", help="Only rules of this category.")
@lang_option(help="Only rules for this language; messages in it.")
@handle_errors
def rules_list(rules_dir: Path | None, category: str | None, lang: str | None) -> None:
    """One line per rule: id, kind, category, severity, criteria, languages, message."""
    from ospo_procure.cli_common import aligned

    rs = _ruleset(rules_dir)
    rows = []
    for r in rs.rules:
        if (category and r.category != category) or (lang and lang not in r.languages):
            continue
        crit = "crit " + ",".join(map(str, r.criteria))
        rows.append([r.id, r.kind, r.category, r.severity, crit, "/".join(r.languages), r.text("message", lang)])
    for line in aligned(rows):
        click.echo(line)


@rules.command("show")
@click.argument("rule_id")
@_rules_option
@lang_option(default="en", show_default=True)
@handle_errors
def rules_show(rule_id: str, rules_dir: Path | None, lang: str) -> None:
    """Explain one rule: what it detects, why it locks in, its legal basis, examples."""
    from ospo_procure.rules.docs import rule_help

    rs = _ruleset(rules_dir)
    rule = rs.by_id.get(rule_id.upper())
    if rule is None:
        raise UsageError(f"no rule {rule_id!r}; see `ospo-procure rules list`")
    click.echo(rule_help(rule, lang, markdown=False))
    click.echo("")
    for kind, mark in (("bad", "✗"), ("good", "✓")):  # flagged / not flagged, in every language
        for ex_lang, texts in rule.examples[kind].items():
            for t in texts:
                click.echo(f"  {mark} [{ex_lang}] {t}")


@rules.command("check")
@_rules_option
@handle_errors
def rules_check(rules_dir: Path | None) -> int:
    """Validate a rule folder and run every rule's examples (for an OSPO's own CI)."""
    from ospo_procure.rules.check import run_examples
    from ospo_procure.scoring import check_rubric

    rs = _ruleset(rules_dir)
    check_rubric(rs)
    count, failures = run_examples(rs)
    for f in failures:
        click.echo(f"FAIL {f}")
    click.echo(f"{len(rs.rules)} rules, {count} examples: {count - len(failures)} passed, {len(failures)} failed")
    return ExitCode.FINDINGS if failures else ExitCode.OK


def _register_optional_commands() -> None:
    """Commands defined in their own modules (build, init, clauses)."""
    try:
        from ospo_procure import cli_tender
    except ImportError:  # pragma: no cover - partial checkouts
        return
    for name in ("build_cmd", "init_cmd", "clauses_group"):
        cmd: Any = getattr(cli_tender, name, None)
        if cmd is not None:
            main.add_command(cmd)
    # `serve`: the web page (ospo_procure/web/, needs the 'web' extra only when it runs).
    from ospo_procure.web.cli_serve import serve_cmd

    main.add_command(serve_cmd)


_register_optional_commands()


def _register_portfolio_commands() -> None:
    """Portfolio commands (scan, dashboard, export): ospo_procure/cli_portfolio.py."""
    from ospo_procure import cli_portfolio

    for cmd in cli_portfolio.COMMANDS:
        main.add_command(cmd)


_register_portfolio_commands()
