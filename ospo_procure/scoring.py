"""Checklist scorer: findings + evidence -> a 0-5 score per criterion, with its reasons.

The rubric lives in lint_rules/checklist.yaml. For each criterion:
  score = base + sum(evidence terms) + sum(finding terms), capped, clamped to 0..5, rounded half up.
A term names categories and gives `points` for the first item and `more` for each further
one (distinct places: a span that is both `brand` and `proprietary_technology` counts once;
evidence counts once per sentence),
bounded by `max` (evidence) or `min` (findings). `cap` limits the score while any unwaived
finding of the listed categories remains. Waived findings (justified exceptions) count with
`waived_factor` of their penalty. Info-level findings (e.g. a brand named as the legacy
system) do not count. Silence is not a 5: bases are low where a criterion needs evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ospo_procure.errors import DataError
from ospo_procure.model import (
    EVIDENCE_CATEGORIES,
    FINDING_CATEGORIES,
    FileResult,
    Finding,
)
from ospo_procure.rules.loader import RuleSet
from ospo_procure.scoring_model import CriterionScore, Scorecard
from ospo_procure.yamlio import load_yaml, validate

_CATS = {"type": "array", "items": {"enum": list(FINDING_CATEGORIES) + list(EVIDENCE_CATEGORIES)}, "minItems": 1}
_TERM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["categories", "points"],
    "properties": {
        "categories": _CATS,
        "points": {"type": "number"},
        "more": {"type": "number"},
        "max": {"type": "number"},
        "min": {"type": "number"},
    },
}
RUBRIC_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["criteria"],
    "properties": {
        "version": {"type": "integer"},
        "waived_factor": {"type": "number", "minimum": 0, "maximum": 1},
        "criteria": {
            "type": "object",
            "propertyNames": {"enum": [str(i) for i in range(1, 10)]},
            "minProperties": 9,
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "base"],
                "properties": {
                    "title": {"type": "object", "additionalProperties": {"type": "string"}, "required": ["en"]},
                    "base": {"type": "number", "minimum": 0, "maximum": 5},
                    "evidence": {"type": "array", "items": _TERM},
                    "findings": {"type": "array", "items": _TERM},
                    "cap": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["categories", "score"],
                        "properties": {"categories": _CATS, "score": {"type": "number"}},
                    },
                },
            },
        },
    },
}


@dataclass
class Rubric:
    criteria: dict[int, dict[str, Any]]
    waived_factor: float


@lru_cache(maxsize=8)
def load_rubric(path: Path) -> Rubric:
    data, lines = load_yaml(path)
    # YAML reads `1:` as an int key; the schema speaks of strings.
    if isinstance(data, dict) and isinstance(data.get("criteria"), dict):
        data["criteria"] = {str(k): v for k, v in data["criteria"].items()}
        lines.update(
            {("criteria", str(k[1]), *k[2:]): v for k, v in list(lines.items()) if len(k) > 1 and k[0] == "criteria"}
        )
    validate(data, RUBRIC_SCHEMA, path, lines)
    return Rubric({int(k): v for k, v in data["criteria"].items()}, float(data.get("waived_factor", 0.25)))


def _distinct(items: list[Finding], *, per_sentence: bool = False) -> list[Finding]:
    """One item per place: overlapping spans in the same block count once. For evidence,
    one item per sentence: a sentence listing five open standards is one requirement."""
    out: list[Finding] = []
    for f in sorted(items, key=lambda f: (f.block_index, f.start)):
        if out and out[-1].block_index == f.block_index:
            prev = out[-1]
            if f.start < prev.end or (per_sentence and f.sentence is not None and f.sentence == prev.sentence):
                continue
        out.append(f)
    return out


def _term_value(term: dict[str, Any], n: float) -> float:
    if n <= 0:
        return 0.0
    value = term["points"] + term.get("more", 0.0) * (n - 1)
    if "max" in term:
        value = min(value, term["max"])
    if "min" in term:
        value = max(value, term["min"])
    return value


def _fmt(x: float) -> str:
    return f"{x:+.1f}".replace(".0", "")


def score_result(result: FileResult, ruleset: RuleSet, lang: str | None = None) -> Scorecard:
    rubric = ruleset.rubric or load_rubric(ruleset.directory / "checklist.yaml")  # cached with the rule set
    lang = lang or result.language or "en"
    unreadable = bool(result.document is not None and result.document.unreadable)
    counted = [f for f in result.findings if f.severity != "info"]
    criteria: dict[int, CriterionScore] = {}
    for number, spec in sorted(rubric.criteria.items()):
        title = spec["title"].get(lang) or spec["title"]["en"]
        score = float(spec["base"])
        reasons = [f"base {spec['base']:g} (what the criterion scores with nothing said about it)"]
        evidence_used: list[Finding] = []
        findings_used: list[Finding] = []
        for term in spec.get("evidence", []):
            items = _distinct([e for e in result.evidence if e.category in term["categories"]], per_sentence=True)
            value = _term_value(term, len(items))
            if items:
                score += value
                evidence_used.extend(items)
                reasons.append(f"{_fmt(value)} for {len(items)} × {'/'.join(term['categories'])}")
        for term in spec.get("findings", []):
            items = _distinct([f for f in counted if f.category in term["categories"]])
            active = [f for f in items if not f.waived]
            waived = [f for f in items if f.waived]
            n = len(active) + rubric.waived_factor * len(waived)
            value = _term_value(term, n)
            if items:
                score += value
                findings_used.extend(items)
                extra = f" ({len(waived)} waived, counted ×{rubric.waived_factor:g})" if waived else ""
                reasons.append(f"{_fmt(value)} for {len(items)} × {'/'.join(term['categories'])}{extra}")
        cap = spec.get("cap")
        if cap and any(f.category in cap["categories"] and not f.waived for f in counted) and score > cap["score"]:
            score = float(cap["score"])
            reasons.append(f"capped at {cap['score']:g} while any {'/'.join(cap['categories'])} finding remains")
        final = int(min(5, max(0, math.floor(score + 0.5))))
        criteria[number] = CriterionScore(number, title, final, evidence_used, findings_used, reasons)
    overall = round(sum(c.score for c in criteria.values()) / max(1, len(criteria)), 1)
    if unreadable:
        for c in criteria.values():
            c.reasons.insert(0, "the document's text could not be read (no text layer): score not meaningful")
    return Scorecard(criteria=criteria, overall=overall, unreadable=unreadable)


def check_rubric(ruleset: RuleSet) -> None:
    path = ruleset.directory / "checklist.yaml"
    if not path.is_file():
        raise DataError("missing checklist.yaml (the scoring rubric)", path=ruleset.directory)
    load_rubric(path)
