"""Scorecard data classes (kept apart from the scorer so reporters import no rules code).

A criterion's score is explained by its parts: the rubric's `base`, one `ScoreTerm` per
rubric term that applied (its points, and the items behind them), and the `cap` when
one was applied. `reasons` words them in English; a reporter in another language can
word the same parts itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ospo_procure.model import Finding

UNREADABLE_REASON = "the document's text could not be read (no text layer): score not meaningful"


@dataclass(frozen=True)
class ScoreTerm:
    """One rubric term that applied: `count` distinct items of `categories` gave `points`."""

    kind: Literal["evidence", "findings"]
    categories: tuple[str, ...]
    count: int
    points: float
    waived: int = 0  # findings among `count` that are waived (each counted x waived_factor)
    waived_factor: float = 1.0
    rules: tuple[str, ...] = ()  # the term counts only these rules' items (empty: the whole categories)

    def label(self) -> str:
        cats = "/".join(self.categories)
        return f"{cats} ({', '.join(self.rules)})" if self.rules else cats

    def reason(self) -> str:
        extra = f" ({self.waived} waived, counted ×{self.waived_factor:g})" if self.waived else ""
        return f"{_signed(self.points)} for {self.count} × {self.label()}{extra}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "categories": list(self.categories),
            "count": self.count,
            "points": self.points,
            "waived": self.waived,
            "rules": list(self.rules),
        }


@dataclass(frozen=True)
class ScoreCap:
    """The score was capped at `score` while an unwaived finding of `categories` remains."""

    score: float
    categories: tuple[str, ...]

    def reason(self) -> str:
        return f"capped at {self.score:g} while any {'/'.join(self.categories)} finding remains"


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
    unreadable: bool = False  # no text could be read: the score is not meaningful
    total: float | None = None  # base + terms after the cap, before clamping and rounding

    @property
    def reasons(self) -> list[str]:
        """Why this score, in words: the base, each term, the cap."""
        out = [UNREADABLE_REASON] if self.unreadable else []
        out.append(f"base {self.base:g} (what the criterion scores with nothing said about it)")
        out += [t.reason() for t in self.terms]
        if self.cap is not None:
            out.append(self.cap.reason())
        if self.total is not None:
            out.append(f"total {self.total:g} → {self.score} (kept within 0-5, rounded half up)")
        return out


@dataclass(frozen=True)
class Scorecard:
    criteria: dict[int, CriterionScore]
    overall: float  # mean of the nine scores, one decimal
    unreadable: bool = False  # no text could be read: scores are not meaningful


def _signed(x: float) -> str:
    return f"{x:+.1f}".replace(".0", "")
