"""Scorecard data classes (kept apart from the scorer so reporters import no rules code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ospo_procure.model import Finding


@dataclass
class CriterionScore:
    number: int  # 1..9
    title: str
    score: int  # 0..5
    evidence: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why this score, in words

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "score": self.score,
            "reasons": self.reasons,
            "evidence": [_ref(f) for f in self.evidence],
            "findings": [_ref(f) for f in self.findings],
        }


@dataclass
class Scorecard:
    criteria: dict[int, CriterionScore]
    overall: float  # mean of the nine scores, one decimal
    unreadable: bool = False  # no text could be read: scores are not meaningful

    def to_dict(self) -> dict[str, Any]:
        return {
            "criteria": {str(n): c.to_dict() for n, c in sorted(self.criteria.items())},
            "overall": self.overall,
            "unreadable": self.unreadable,
        }


def _ref(f: Finding) -> dict[str, Any]:
    """A compact reference to a finding or evidence item inside the scorecard."""
    return {
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity,
        "match": f.match,
        "location": f.location.to_dict(),
        "waived": f.waived,
    }
