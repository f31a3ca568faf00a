"""`clauses validate`: every per-file check, plus the checks that need the whole library."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_procure.errors import DataError
from ospo_procure.model import Block, Document, Location

from .clauses import Clause, load_clause
from .content import clause_paragraphs, marker_problems, number_paragraphs
from .render import render_clause
from .selflint import active
from .vocab import CRITERIA, SAMPLE_VARIABLES


@dataclass
class ValidationReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0
    approved: int = 0


def sample_variables(clause: Clause) -> dict[str, Any]:
    """Sample values for rendering outside a build; free variables show as [name]."""
    values: dict[str, Any] = dict(SAMPLE_VARIABLES)
    for name in clause.variables:
        values.setdefault(name, f"[{name}]")
    return values


def clause_document(clause: Clause, language: str) -> Document:
    """The clause rendered with sample values, as a Document the linter can read."""
    title, text = render_clause(clause, language, sample_variables(clause))
    blocks = [Block(title, Location(part="body", paragraph=1, heading=title), kind="heading", level=2)]
    for i, para in enumerate(clause_paragraphs(text), 2):
        blocks.append(
            Block(
                para.text,
                Location(part="body", paragraph=i, heading=title),
                kind="list_item" if para.bullet else "paragraph",
            )
        )
    return Document(path=f"{clause.path}#{language}", format="txt", blocks=blocks)


# complex: the library-wide checks in turn, in the order the report lists them
def validate_library(folder: str | Path, *, lint: bool = True, rules_dir: str | Path | None = None) -> ValidationReport:
    """Every clause file and the library as a whole; the clause text is linted with `rules_dir`'s rules."""
    root = Path(folder)
    report = ValidationReport()
    if not root.is_dir():
        report.problems.append(str(DataError("clause library folder not found", path=root)))
        return report
    clauses: dict[str, Clause] = {}
    for path in sorted(list(root.glob("*.yaml")) + list(root.glob("*.yml"))):
        report.files += 1
        try:
            clause = load_clause(path)
        except DataError as err:
            report.problems.append(str(err))
            continue
        if clause.id in clauses:
            report.problems.append(
                str(clause.error(f"duplicate clause id {clause.id!r} (also in {clauses[clause.id].path.name})", "id"))
            )
            continue
        clauses[clause.id] = clause
    approved = [c for c in clauses.values() if c.status == "approved"]
    report.approved = len(approved)

    for c in clauses.values():
        for i, alt in enumerate(c.alternatives):
            if alt == c.id:
                report.problems.append(str(c.error("a clause cannot be its own alternative", "alternatives", i)))
            elif alt not in clauses:
                report.problems.append(
                    str(c.error(f"alternative {alt!r} is not a clause in the library", "alternatives", i))
                )
        for lang, text in c.text.items():
            paras = clause_paragraphs(text)
            number_paragraphs(paras, "1.1")
            for problem in marker_problems(paras):
                report.problems.append(str(c.error(f"text.{lang}: {problem}", "text", lang)))
        custom = [v for v in c.variables if v not in SAMPLE_VARIABLES]
        if custom and c.status == "approved":
            report.notes.append(
                f"{c.path.name}: variable(s) {', '.join(custom)} have no default; "
                "every spec that selects this clause must set them under `variables:`"
            )
    covered = {n for c in approved for n in c.criteria}
    for n in CRITERIA:
        if n not in covered:
            report.problems.append(f"{root}: checklist criterion {n} is not covered by any approved clause")

    if lint and approved:
        _lint_clauses(approved, report, rules_dir)
    return report


def _lint_clauses(approved: list[Clause], report: ValidationReport, rules_dir: str | Path | None = None) -> None:
    """An approved clause must not itself trip an error- or warning-level lint rule."""
    from ospo_procure.lint import lint_document
    from ospo_procure.rules import load_ruleset

    ruleset = load_ruleset(rules_dir)
    for c in approved:
        for lang in c.languages:
            try:
                result = lint_document(clause_document(c, lang), language=lang, ruleset=ruleset)
            except DataError as err:
                report.problems.append(str(err))
                continue
            for f in active(result.findings):
                if f.severity in ("error", "warning"):
                    report.problems.append(
                        str(
                            c.error(
                                f"text.{lang} trips lint rule {f.rule} ({f.severity}) on {f.match!r}: {f.message}",
                                "text",
                                lang,
                            )
                        )
                    )
