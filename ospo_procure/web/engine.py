"""The one place where the web application calls the ospo_procure library.

Everything the pages and the API need (lint a file and render its reports, annotate a .docx,
validate a tender spec, preview the clause selection, build a tender package, browse the
clause library, write a waiver entry, read the message catalogue) goes through the functions
below, so a change of library interface is a change in this module only. Functions return
plain data (dicts, bytes, small dataclasses) that can cross a process boundary.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ospo_procure import __version__
from ospo_procure.constants import LANGUAGES as LANGUAGES  # defined once for the whole tool
from ospo_procure.errors import DataError, OspoError

REPORT_FORMATS = ("json", "sarif", "pdf")
Progress = Callable[[str], None]


# --------------------------------------------------------------------------- lint


@dataclass
class BlockView:
    """One block of the document's text, as the review page shows it."""

    text: str
    kind: str
    level: int | None
    label: str


@dataclass
class Review:
    """The outcome of linting one uploaded file: the JSON report and the downloads."""

    filename: str
    report: dict[str, Any]  # exactly `lint --format json`
    outputs: dict[str, bytes] = field(default_factory=dict)  # json, sarif, pdf, docx (annotated)
    blocks: list[BlockView] = field(default_factory=list)
    error: str | None = None  # one line, when the file could not be read

    @property
    def file(self) -> dict[str, Any]:
        return self.report["files"][0]


def max_upload_bytes() -> int:
    """The CLI's input-size limit, applied to uploads too."""
    from ospo_procure.limits import Limits

    return Limits().max_file_bytes


def warm_up() -> None:
    """Load the rules, every language's pipeline and the report fonts once (before forking)."""
    from ospo_procure.matching import compile_rules
    from ospo_procure.report import pdf  # noqa: F401  (reportlab and fonts)
    from ospo_procure.rules import load_ruleset

    ruleset = load_ruleset()
    for lang in LANGUAGES:
        compile_rules(ruleset, lang)


def lint_file(name: str, waiver_file: str | None = None, *, progress: Progress = lambda _: None) -> Review:
    """Lint `name` (a path relative to the working folder, so reports show only the file name).

    Raises OspoError for a usage or data problem (a broken waiver file); a document that cannot
    be read is a Review with `error` set, as in the CLI's JSON output.
    """
    from ospo_procure.limits import Limits
    from ospo_procure.model import LintRun
    from ospo_procure.report import ReportOptions, render, rule_infos
    from ospo_procure.rules import load_ruleset
    from ospo_procure.service import LintOptions, run_lint

    progress("reading")
    # A server's working folder is not the reviewer's project: only the uploaded waiver file counts.
    options = LintOptions(
        fmt="json",
        limits=Limits(),
        waiver_file=Path(waiver_file) if waiver_file else None,
        discover_project=False,
    )
    outcome = run_lint([Path(name)], options)
    report_text = outcome.report or "{}"
    review = Review(filename=name, report=json.loads(report_text))
    review.outputs["json"] = report_text.encode("utf-8")
    result = outcome.results[0]
    if result.error is not None:
        review.error = f"{name}: {result.error}"
        return review
    review.blocks = [BlockView(b.text, b.kind, b.level, b.location.label()) for b in result.blocks]
    progress("reports")
    run = LintRun(outcome.results, outcome.unused_waivers)
    report_options = ReportOptions(rules=rule_infos(load_ruleset()), tool_version=__version__)
    review.outputs["sarif"] = render("sarif", run, report_options)
    review.outputs["pdf"] = render("pdf", run, report_options)
    if name.lower().endswith(".docx"):
        progress("annotating")
        from ospo_procure.report.annotate import annotate_docx

        annotated = Path(name).with_name(Path(name).stem + ".reviewed.docx")
        annotate_docx(Path(name), result, annotated)
        review.outputs["docx"] = annotated.read_bytes()
    return review


def location_label(location: dict[str, Any]) -> str:
    """The short place label ('table 1 r2c3', 'page 3 ¶2') of a JSON location."""
    from ospo_procure.model import Location

    return Location(**location).label()


# ----------------------------------------------------------------------- waivers


def waiver_entry(
    *, rule: str, match: str, files: str, justification: str, approved_by: str, approved_on: str, folder: Path
) -> str:
    """One entry of a waiver file, as YAML text, checked by the same loader the CLI uses."""
    from ospo_procure.waivers import WAIVER_FILE_NAME, load_waivers

    entry = {
        "rule": rule,
        "match": match,
        "files": files,
        "justification": justification.strip(),
        "approved_by": approved_by.strip(),
        "approved_on": approved_on.strip(),
    }
    text = dump_yaml({"waivers": [entry]})
    path = folder / WAIVER_FILE_NAME
    path.write_text(text, encoding="utf-8")
    try:
        load_waivers(path)
    except DataError as err:
        raise DataError(err.message) from None  # the message without the temporary path
    if approved_on.strip():
        try:
            dt.date.fromisoformat(approved_on.strip())
        except ValueError:
            raise DataError(f"approved_on: {approved_on.strip()!r} is not a date (YYYY-MM-DD)") from None
    return text.split("\n", 1)[1]  # drop the "waivers:" line: entries are appended to a file


def waiver_file(entries: list[str]) -> str:
    return "# Justified exceptions; see README 'Justified exceptions (waivers)'.\nwaivers:\n" + "".join(entries)


# ------------------------------------------------------------------------ tender


def spec_schema() -> dict[str, Any]:
    from ospo_procure.tender.spec import SPEC_SCHEMA

    return SPEC_SCHEMA


def licence_names() -> dict[str, str]:
    from ospo_procure.tender.vocab import LICENCES

    return dict(LICENCES)


def example_specs() -> dict[str, Path]:
    from ospo_procure.paths import data_dir

    return {p.stem: p for p in sorted((data_dir("examples") / "specs").glob("*.yaml"))}


def starter_spec(lang: str) -> str:
    from ospo_procure.tender.starter import starter_text

    return starter_text(lang)


def parse_yaml(text: str, *, name: str = "spec.yaml") -> Any:
    """Parse YAML (or JSON, a subset) with the project's safe loader; one-line DataError."""
    from ospo_procure.tender.spec import _dates_to_text
    from ospo_procure.yamlio import load_yaml

    data, _ = load_yaml(Path(name), text=text)
    return _dates_to_text(data)


def dump_yaml(data: Any) -> str:
    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


@dataclass
class SpecProblem:
    at: str  # dotted path of the field ("award_criteria", "budget.currency"), "" for the whole spec
    message: str  # the CLI's message, without file and line


def check_spec(data: dict[str, Any], folder: Path) -> list[SpecProblem]:
    """Every problem the CLI would report for this spec, each tied to the field it concerns.

    The schema is checked field by field (so every field's problem shows at once, with the
    CLI's message); the cross-field checks of `load_spec` and the clause selection run when
    the fields are valid, and stop at their first problem, as the CLI does.
    """
    from ospo_procure.tender.spec import SPEC_SCHEMA
    from ospo_procure.yamlio import validate

    problems: list[SpecProblem] = []
    for key, schema in SPEC_SCHEMA["properties"].items():
        sub = {
            "type": "object",
            "properties": {key: schema},
            "required": [key] if key in SPEC_SCHEMA["required"] else [],
        }
        try:
            validate({key: data[key]} if key in data else {}, sub, "spec.yaml", {})
        except DataError as err:
            where, _, rest = err.message.partition(": ")
            at = where if rest and where.split(".")[0] == key else key
            problems.append(SpecProblem(at, err.message))
    for key in data:
        if key not in SPEC_SCHEMA["properties"]:
            problems.append(SpecProblem("", f"unknown key {key!r}"))
    if problems:
        return problems
    try:
        _load_and_select(data, folder)
    except DataError as err:
        problems.append(SpecProblem(_path_at_line(folder / "spec.yaml", err.line), err.message))
    return problems


def _load_and_select(data: dict[str, Any], folder: Path) -> tuple[Any, list[Any], list[str]]:
    from ospo_procure.paths import data_dir
    from ospo_procure.tender import load_library, load_spec, select
    from ospo_procure.tender.clauses import check_selected

    path = folder / "spec.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    spec = load_spec(path)
    decisions, warnings = select(load_library(data_dir("clause_library")), spec)
    check_selected(decisions, spec)
    return spec, decisions, warnings


def _path_at_line(path: Path, line: int | None) -> str:
    """The dotted key path that starts on `line` of a YAML file (the deepest one)."""
    if line is None:
        return ""
    from ospo_procure.yamlio import load_yaml

    try:
        _, lines = load_yaml(path)
    except DataError:
        return ""
    best: tuple[Any, ...] = ()
    for at, n in lines.items():
        if n == line and len(at) > len(best):
            best = at
    return ".".join(str(k) for k in best)


@dataclass
class ClauseDecision:
    included: bool
    id: str
    version: str
    title: str
    document: str
    section: str
    reason: str
    explain: str  # the line `build --explain` prints


def preview(data: dict[str, Any], folder: Path) -> tuple[list[ClauseDecision], list[str]]:
    """The clause selection for a valid spec: what `build --explain` prints, and the warnings."""
    spec, decisions, warnings = _load_and_select(data, folder)
    lang = spec.language
    out = [
        ClauseDecision(
            d.included,
            d.clause.id,
            d.clause.version,
            d.clause.title.get(lang) or d.clause.title.get("en") or d.clause.id,
            d.clause.document,
            d.clause.section,
            d.reason,
            d.explain(),
        )
        for d in decisions
    ]
    return out, list(warnings)


@dataclass
class Package:
    zip_bytes: bytes
    explain: list[str]
    warnings: list[str]
    summary: list[str]
    files: list[str]


def build_package(spec_text: str, *, progress: Progress = lambda _: None) -> Package:
    """Build a tender (with the PDF) from spec text, in the working folder, and zip it with the spec.

    The spec is written as `spec.yaml` in the working folder, so an error reads exactly as the
    CLI's on a file of that name: `spec.yaml:41: award_criteria: weights sum to 90, ...`.
    """
    from ospo_procure.tender import build_tender

    spec_path, out = Path("spec.yaml"), Path("tender")
    spec_path.write_text(spec_text, encoding="utf-8")
    progress("building")
    result = build_tender(spec_path, out, pdf=True, explain=True)
    buffer = io.BytesIO()
    names = [p.name for p in sorted(result.outputs)]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, src in [*((n, out / n) for n in names), ("spec.yaml", spec_path)]:
            info = zipfile.ZipInfo(f"tender/{name}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, src.read_bytes())
    return Package(buffer.getvalue(), result.explain, list(result.warnings), result.summary(), [*names, "spec.yaml"])


# ----------------------------------------------------------------------- clauses


@dataclass
class ClauseView:
    id: str
    version: str
    status: str
    category: str
    section: str
    document: str
    criteria: list[int]
    languages: list[str]
    title: str
    text: str
    rationale: str
    legal_basis: str
    applies_when: str
    alternatives: list[str]
    last_reviewed: str | None


def clause_library(lang: str) -> list[ClauseView]:
    """Every clause of the bundled library, in document order, its text in `lang` when it has it."""
    from ospo_procure.paths import data_dir
    from ospo_procure.tender import load_library
    from ospo_procure.tender.render import render_clause
    from ospo_procure.tender.validation import sample_variables

    out = []
    for c in load_library(data_dir("clause_library")).ordered():
        shown = lang if lang in c.languages else (c.languages[0] if c.languages else "en")
        try:
            title, text = render_clause(c, shown, sample_variables(c))
        except OspoError:
            title, text = c.title.get(shown, c.id), c.text.get(shown, "")
        out.append(
            ClauseView(
                c.id,
                c.version,
                c.status,
                c.category,
                c.section,
                c.document,
                list(c.criteria),
                list(c.languages),
                title,
                text,
                c.rationale,
                c.legal_basis,
                c.condition.source or "",
                list(c.alternatives),
                c.last_reviewed,
            )
        )
    return out


def criteria_titles(lang: str) -> dict[int, str]:
    """The nine checklist criteria's short titles in `lang` (else English), from the scoring rubric."""
    from ospo_procure.rules import load_ruleset
    from ospo_procure.scoring import load_rubric

    rubric = load_rubric(load_ruleset().directory / "checklist.yaml")
    return {n: c["title"].get(lang) or c["title"]["en"] for n, c in sorted(rubric.criteria.items())}


def vocabulary() -> dict[str, tuple[str, ...]]:
    from ospo_procure.model import FINDING_CATEGORIES, ROLES, SEVERITIES
    from ospo_procure.tender.vocab import CATEGORIES, DOCUMENTS, SECTIONS

    return {
        "severities": SEVERITIES,
        "finding_categories": FINDING_CATEGORIES,
        "roles": ROLES,
        "clause_categories": CATEGORIES,
        "documents": DOCUMENTS,
        "sections": SECTIONS,
    }


# ---------------------------------------------------------------------- messages


def gettext_for(lang: str) -> Any:
    """The message catalogue of `lang` (a gettext.NullTranslations)."""
    from ospo_procure.i18n import translations

    return translations(lang)
