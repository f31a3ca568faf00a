"""Click commands for assembling tenders: `build`, `init` and the `clauses` group.

`cli.py` registers `build_cmd`, `init_cmd` and `clauses_group` on the main group. Heavy
modules (docxtpl, reportlab, the linter) are imported inside the commands so that
`ospo-procure --help` stays fast. Every command runs under the one error policy of
`cli_common.handle_errors` and returns its exit status.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ospo_procure.cli_common import handle_errors, lang_option
from ospo_procure.constants import ExitCode

_dir = click.Path(file_okay=False, path_type=Path)


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM (`kill`, a CI timeout) unwinds like Ctrl-C, so the build removes its staging folder."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command("build")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=_dir, required=True, help="Folder for the generated documents.")
@click.option("--pdf", is_flag=True, help="Also write terms_of_reference.pdf.")
@click.option("--strict", is_flag=True, help="Exit 1 on any error-level self-lint finding; refuse draft clauses.")
@click.option("--explain", is_flag=True, help="Print, for every clause, whether it was included and why.")
@click.option(
    "--clauses",
    "clause_dir",
    type=_dir,
    help="Clause library folder (default: the project's clause_library/, else the bundled one).",
)
@click.option(
    "--rules",
    "rules_dir",
    type=_dir,
    help="Rule folder for the self-lint (default: the project's lint_rules/, else the bundled one).",
)
@click.option(
    "--template",
    "--templates",
    "template_dir",
    type=_dir,
    help="The agency's own template folder (the three .docx files; see docs/tender-spec.md).",
)
@click.option("--no-lint", is_flag=True, help="Skip the self-lint of the generated documents.")
@handle_errors
def build_cmd(
    spec: Path,
    out_dir: Path,
    pdf: bool,
    strict: bool,
    explain: bool,
    clause_dir: Path | None,
    rules_dir: Path | None,
    template_dir: Path | None,
    no_lint: bool,
) -> int:
    """Assemble the tender documents of SPEC (a tender spec YAML) into a folder."""
    from ospo_procure.tender import build_tender

    clauses = _data("clause_library", clause_dir)
    rules = _data("lint_rules", rules_dir) if not no_lint else None
    with _terminate_as_exit():
        result = build_tender(
            spec,
            out_dir,
            clause_dir=clauses.path,
            rules_dir=rules.path if rules is not None else None,
            template_dir=template_dir,
            pdf=pdf,
            strict=strict,
            explain=explain,
            lint=not no_lint,
        )
    for line in result.explain:
        click.echo(line)
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    included = sum(1 for d in result.decisions if d.included)
    click.echo(f"built {len(result.outputs)} files in {result.out_dir} ({included} clauses)")
    for source in (clauses, rules):  # the OSPO's own data is said; the bundled data goes without saying
        if source is not None and source.origin == "project":
            click.echo(source.describe())
    for line in result.summary():
        click.echo(line)
    if strict and result.findings:
        click.echo(f"--strict: {len(result.findings)} error-level finding(s) in the generated documents", err=True)
        return ExitCode.FINDINGS
    return ExitCode.OK


@click.command("init")
@lang_option(
    "--lang", "language", default="en", show_default=True, help="Language of the spec, its comments and sample text."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("tender-spec.yaml"),
    show_default=True,
    help="Where to write the starter spec.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def init_cmd(language: str, output: Path, force: bool) -> None:
    """Write a commented starter tender spec to edit, then `ospo-procure build` it."""
    from ospo_procure.tender.starter import write_starter

    write_starter(language, output, force=force)
    click.echo(f"wrote {output}; edit it, then run: ospo-procure build {output} -o out/")


@click.group("clauses")
def clauses_group() -> None:
    """List, show, validate and measure the clause library."""


_clauses_opt = click.option(
    "--clauses",
    "clause_dir",
    type=_dir,
    help="Clause library folder (default: the project's clause_library/, found from the current folder "
    "upward, else the bundled one).",
)


def _data(name: str, explicit: Path | None) -> Any:
    """The data folder a command uses: the option's, the project's or the bundled one
    (docs/ospo-workflow.md). Commands say which with their result; an error names the file."""
    from ospo_procure.paths import data_source

    return data_source(name, explicit)


def _library(clause_dir: Path | None) -> Any:
    """The clause library, loaded; which one is said on stderr once it loaded."""
    from ospo_procure.tender.clauses import load_library

    source = _data("clause_library", clause_dir)
    library = load_library(source.path)
    click.echo(source.describe(), err=True)
    return library


@clauses_group.command("list")
@_clauses_opt
@click.option("--category", help="Only this category (e.g. licensing).")
@click.option("--criterion", type=click.IntRange(1, 9), help="Only clauses that serve this checklist criterion.")
@lang_option("--lang", "language", help="Only clauses available in this language.")
@click.option("--status", type=click.Choice(("draft", "approved", "deprecated")), help="Only this status.")
@handle_errors
def clauses_list(
    clause_dir: Path | None, category: str | None, criterion: int | None, language: str | None, status: str | None
) -> None:
    """One line per clause: id, version, status, document/section, criteria, title."""
    from ospo_procure.cli_common import aligned

    lib = _library(clause_dir)
    rows = []
    for c in lib.ordered():
        if (
            (category and c.category != category)
            or (status and c.status != status)
            or (criterion and criterion not in c.criteria)
            or (language and language not in c.text)
        ):
            continue
        title = c.title.get(language or "en") or next(iter(c.title.values()))
        crit = ",".join(map(str, c.criteria)) or "-"
        rows.append([c.id, c.version, c.status, f"{c.document}/{c.section}", f"[{crit}] {title}"])
    for line in aligned(rows):
        click.echo(line)
    click.echo(f"{len(rows)} clause(s)", err=True)


@clauses_group.command("show")
@click.argument("clause_id")
@_clauses_opt
@lang_option("--lang", "language", default="en", show_default=True)
@click.option("--raw", is_flag=True, help="Show the template text instead of rendering it with sample values.")
@handle_errors
def clauses_show(clause_id: str, clause_dir: Path | None, language: str, raw: bool) -> None:
    """Show one clause: its metadata and its text in one language."""
    from ospo_procure.errors import UsageError
    from ospo_procure.tender.render import render_clause
    from ospo_procure.tender.validation import sample_variables

    c = _library(clause_dir).get(clause_id)
    if language not in c.text:
        raise UsageError(f"clause {c.id!r} has no {language!r} text (has: {', '.join(c.languages)})")
    click.echo(f"{c.id} {c.version} ({c.status}) — {c.path}")
    click.echo(f"category: {c.category}   document: {c.document}   section: {c.section}")
    click.echo(f"criteria: {', '.join(map(str, c.criteria)) or '-'}   languages: {', '.join(c.languages)}")
    click.echo(f"applies_when: {c.condition.source}")
    if c.variables:
        click.echo(f"variables: {', '.join(c.variables)}")
    if c.alternatives:
        click.echo(f"alternatives: {', '.join(c.alternatives)}")
    if c.legal_basis:
        click.echo(f"legal basis: {c.legal_basis}")
    if c.rationale:
        click.echo(f"rationale: {c.rationale.strip()}")
    if c.last_reviewed:
        click.echo(f"last reviewed: {c.last_reviewed}")
    click.echo("")
    if raw:
        title, text = c.title[language], c.text[language]
    else:
        title, text = render_clause(c, language, sample_variables(c))
    click.echo(title)
    click.echo("-" * len(title))
    click.echo(text.strip())


@clauses_group.command("validate")
@_clauses_opt
@click.option("--no-lint", is_flag=True, help="Skip linting the clause text with the project linter.")
@handle_errors
def clauses_validate(clause_dir: Path | None, no_lint: bool) -> int:
    """Check every clause file and the library as a whole; exit 2 when anything is wrong.

    The clause text is linted with the project's rules (or the bundled ones).
    """
    from ospo_procure.tender.validation import validate_library

    library = _data("clause_library", clause_dir)
    rules = _data("lint_rules", None) if not no_lint else None
    report = validate_library(library.path, lint=not no_lint, rules_dir=rules.path if rules is not None else None)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for problem in report.problems:
        click.echo(problem)
    checked = "; ".join(s.describe() for s in (library, rules) if s is not None)
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) in {report.files} clause file(s); {checked}", err=True)
        return ExitCode.ERROR
    click.echo(f"ok: {report.files} clause file(s), {report.approved} approved, all criteria covered; {checked}")
    return ExitCode.OK


@clauses_group.command("coverage")
@_clauses_opt
@click.option("--all-statuses", is_flag=True, help="Count draft and deprecated clauses too.")
@handle_errors
def clauses_coverage(clause_dir: Path | None, all_statuses: bool) -> None:
    """A clause × checklist-criterion matrix (x = the clause serves the criterion)."""
    from ospo_procure.tender.clauses import coverage_table

    statuses = ("approved", "draft", "deprecated") if all_statuses else ("approved",)
    click.echo(coverage_table(_library(clause_dir), statuses=statuses))
