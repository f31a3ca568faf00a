"""Self-lint: run the project linter over the generated documents (one call per file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ospo_procure.errors import DataError, OspoError
from ospo_procure.model import FileResult


def lint_files(
    files: dict[str, Path], language: str, *, spec: Path | None = None, rules_dir: Path | None = None
) -> dict[str, FileResult]:
    """Lint each generated file (name -> path) with the project's own linter.

    The files sit in a staging folder that is gone by the time the user reads an error, so
    a refusal names the spec and the generated document instead.
    """
    from ospo_procure.lint import lint_document
    from ospo_procure.readers import read_document
    from ospo_procure.rules import load_ruleset

    results: dict[str, FileResult] = {}
    for name, path in files.items():
        try:
            results[name] = lint_document(read_document(path), language=language, ruleset=load_ruleset(rules_dir))
        except OspoError as err:
            raise DataError(
                f"self-lint refused the generated {name}: {err.message} (build with --no-lint to skip it)", path=spec
            ) from None
    return results


def active(findings: list[Any], severity: str | None = None) -> list[Any]:
    """Findings not waived, optionally of one severity."""
    return [f for f in findings if not getattr(f, "waived", False) and (severity is None or f.severity == severity)]


def scorecard_json(results: dict[str, FileResult]) -> dict[str, Any]:
    """scorecard.json: per generated file, its scores and findings (no paths, no times), in the
    shapes of the JSON report (docs/json-format.md)."""
    from ospo_procure.report.json_report import blocks_dict, item_dict, rules_dict, scorecard_dict

    out: dict[str, Any] = {}
    for name, r in sorted(results.items()):
        out[name] = {
            "language": r.language,
            "scorecard": scorecard_dict(r.scorecard, r.findings, None),
            "rules": rules_dict(r.findings),
            "blocks": blocks_dict(r.findings),
            "findings": [item_dict(f) for f in r.findings],
            "evidence": len(r.evidence),
            "warnings": list(r.warnings),
        }
    return {"documents": out}


def summary_lines(results: dict[str, FileResult]) -> list[str]:
    lines: list[str] = []
    for name, r in sorted(results.items()):
        errs, warns = len(active(r.findings, "error")), len(active(r.findings, "warning"))
        score = ""
        if r.scorecard is not None:
            per = " ".join(f"{n}:{c.score}" for n, c in sorted(r.scorecard.criteria.items()))
            score = f"; score {r.scorecard.overall}/5 ({per})"
        lines.append(f"self-lint {name}: {errs} error(s), {warns} warning(s), {len(r.evidence)} evidence{score}")
        for f in active(r.findings):
            if f.severity in ("error", "warning"):
                lines.append(f"  {f.severity}: {f.rule} {f.match!r} at {f.location.label()}")
    return lines
