"""Scorecard data classes (kept apart from the scorer so reporters import no rules code).

A criterion's score is explained by its parts: the rubric's `base`, one `ScoreTerm` per
rubric term that applied (its points, and the items behind them), the `cap` when one was
applied, the `bound` when a fact of the whole document raised it or held it down, and the
`total` they add up to before it is kept within 0-5 and rounded. They are data; `reasons(lang)` words them in a
language (report/words.py), the same way in every report format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ospo_procure.model import Finding


@dataclass(frozen=True)
class ScoreTerm:
    """One rubric term that applied: `count` distinct items of `categories` gave `points`."""

    kind: Literal["evidence", "findings"]
    categories: tuple[str, ...]
    count: int
    points: float
    waived: int = 0  # findings among `count` that are waived (each counted x waived_factor)
    waived_factor: float = 1.0
    rules: tuple[str, ...] = ()  # the rules the term counts, when the rubric names them (else all)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "categories": list(self.categories),
            "rules": list(self.rules),
            "count": self.count,
            "points": self.points,
            "waived": self.waived,
        }


@dataclass(frozen=True)
class ScoreCap:
    """The score was capped at `score` while an unwaived finding of `categories` remains."""

    score: float
    categories: tuple[str, ...]


@dataclass(frozen=True)
class ScoreBound:
    """A fact of the whole document (`fact`, worded in the rubric's `says` for each language),
    shown by the document's own `words`, raised the score to `score` (a `floor`: award criteria
    listed without weights are "mid", not silence) or held it down to `score` (a `ceiling`:
    licensing terms set are not "high" on criterion 8)."""

    kind: Literal["floor", "ceiling"]
    score: float
    fact: str
    says: dict[str, str]
    words: str


@dataclass(frozen=True)
class CriterionScore:
    number: int  # 1..9
    title: str
    score: int  # 0..5: base + terms, capped, clamped, rounded half up
    evidence: tuple[Finding, ...] = ()
    findings: tuple[Finding, ...] = ()
    base: float = 0.0
    terms: tuple[ScoreTerm, ...] = ()
    cap: ScoreCap | None = None
    bound: ScoreBound | None = None
    unreadable: bool = False  # no text could be read: the score is not meaningful
    total: float | None = None  # base + terms after the cap or bound, before clamping and rounding

    def reasons(self, lang: str | None = None) -> list[str]:
        """Why this score, in words of `lang` (default English): base, each term, cap, total."""
        from ospo_procure.report.words import words

        return words(lang).criterion_reasons(self)


@dataclass(frozen=True)
class Scorecard:
    criteria: dict[int, CriterionScore]
    overall: float  # mean of the nine scores, one decimal
    unreadable: bool = False  # no text could be read: scores are not meaningful
