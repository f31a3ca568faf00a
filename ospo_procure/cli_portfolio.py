"""Click commands for portfolios: `scan`, `dashboard` and `export`.

Thin: options in, one library call (ospo_procure.portfolio), a summary out. Registered on
the main group by cli.py; every command runs under the one error policy
(`cli_common.handle_errors`) and returns its exit status.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ospo_procure.cli_common import handle_errors, lang_option
from ospo_procure.constants import ExitCode
from ospo_procure.portfolio.store import DEFAULT_STORE

_MAX_LISTED_ERRORS = 20


@click.command("scan")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--store",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_STORE,
    show_default=True,
    help="SQLite result store (created if missing; a re-scan only lints what changed).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1),
    default=os.cpu_count() or 1,
    show_default="all cores",
    help="Worker processes.",
)
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786); without it a local cluster is started.")
@click.option(
    "--staging",
    type=click.Path(path_type=Path, file_okay=False),
    help="Dask: folder for result partitions, shared with the workers (default: STORE.parts beside the store).",
)
@lang_option(help="Language of every tender (default: detected).")
@lang_option("--report-lang", help="Language of the stored findings and of this summary (default: each tender's).")
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Rule folder (default: the project's lint_rules/, found from the current folder upward, else the bundled one).",
)
@click.option("--waivers", "waiver_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--metadata",
    "metadata_csv",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="CSV with columns path,buyer,date,title: the tenders' buyers and dates for the dashboard.",
)
@click.option("--prune", is_flag=True, help="Forget stored tenders below the scanned folders that no longer exist.")
@handle_errors
def scan_cmd(
    paths: tuple[str, ...],
    store: Path,
    jobs: int,
    engine: str,
    scheduler: str | None,
    staging: Path | None,
    lang: str | None,
    report_lang: str | None,
    rules_dir: Path | None,
    waiver_file: Path | None,
    metadata_csv: Path | None,
    prune: bool,
) -> int:
    """Lint a portfolio of tenders into a result store.

    PATHS are files, folders, quoted globs ('archive/**/*.pdf'), zip packages of tender
    documents and OCDS release files (.json, .jsonl). Files that cannot be read are
    reported and skipped; Ctrl-C keeps what was done, and the same command resumes.
    """
    from ospo_procure.paths import data_source
    from ospo_procure.portfolio.progress import terminal_progress
    from ospo_procure.portfolio.scan import ScanOptions, scan
    from ospo_procure.portfolio.strings import language

    rules = data_source("lint_rules", rules_dir)
    options = ScanOptions(
        store=store,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        staging=staging,
        rules_dir=rules.path,
        language=lang,
        report_lang=report_lang,
        waiver_file=waiver_file,
        metadata_csv=metadata_csv,
        prune=prune,
    )
    with language(report_lang):
        summary = scan(list(paths), options, progress=terminal_progress())
        code = _scan_summary(summary)
    if rules.origin == "project":  # the OSPO's own rules are said; the bundled ones go without saying
        click.echo(rules.describe(), err=True)
    return code


def _scan_summary(summary: Any) -> int:
    """What the scan tells the user on stderr, and its exit status."""
    from ospo_procure.portfolio.strings import text

    for source, reason in summary.errors[:_MAX_LISTED_ERRORS]:
        click.echo(text("scan_unreadable", source=source, reason=reason), err=True)
    if len(summary.errors) > _MAX_LISTED_ERRORS:
        click.echo(text("scan_more_unreadable", n=len(summary.errors) - _MAX_LISTED_ERRORS), err=True)
    if summary.interrupted:
        click.echo(text("scan_interrupted", linted=summary.linted), err=True)
        return ExitCode.INTERRUPTED
    if summary.metadata_rows:
        click.echo(text("scan_metadata", n=summary.metadata_rows), err=True)
    if summary.pruned:
        click.echo(text("scan_pruned", n=summary.pruned), err=True)
    click.echo(
        text(
            "scan_summary",
            found=summary.found,
            linted=summary.linted,
            unchanged=summary.unchanged,
            errors=len(summary.errors),
            seconds=summary.seconds,
            store=summary.store,
        ),
        err=True,
    )
    return ExitCode.ERROR if summary.errors else ExitCode.OK


@click.command("dashboard")
@click.argument("store", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="report.html or report.pdf"
)
@click.option(
    "--top", type=click.IntRange(3, 50), default=12, show_default=True, help="Products, vendors, buyers shown."
)
@click.option(
    "--worst", type=click.IntRange(1, 100), default=10, show_default=True, help="Lowest-scoring tenders shown."
)
@lang_option("--report-lang", help="Language of the page (default: the language most tenders are in).")
@handle_errors
def dashboard_cmd(store: Path, output: Path, top: int, worst: int, report_lang: str | None) -> int:
    """The OSPO's KPI page of a scanned portfolio, as self-contained HTML or PDF."""
    from ospo_procure.portfolio.dashboard import render_dashboard
    from ospo_procure.portfolio.strings import text

    path = render_dashboard(store, output, top=top, worst=worst, lang=report_lang)
    click.echo(text("dashboard_written", path=path), err=True)
    return ExitCode.OK


@click.command("export")
@click.argument("store", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@handle_errors
def export_cmd(store: Path, out_dir: Path, fmt: str) -> int:
    """Write the store's files, findings and scores tables as CSV or Parquet (OUTPUT/<table>.<format>)."""
    from ospo_procure.portfolio.export import export_store
    from ospo_procure.portfolio.strings import text

    for table, rows, path in export_store(store, out_dir, fmt):
        click.echo(text("export_written", table=table, rows=rows, path=path), err=True)
    return ExitCode.OK


COMMANDS = (scan_cmd, dashboard_cmd, export_cmd)
