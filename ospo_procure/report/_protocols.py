"""What the reporters need to know about a rule, independent of the rules engine.

The lint run passes the loaded rule set as ``ReportOptions.rules``; reporters must also work without it
(tests, or a JSON re-render), so every lookup falls back to the data that each
`Finding` already carries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ospo_procure.model import FileResult, Finding


@runtime_checkable
class RuleInfo(Protocol):
    """The attributes of a lint rule that the reporters read (duck-typed, read-only)."""

    @property
    def id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def severity(self) -> str: ...  # error | warning | info
    @property
    def message(self) -> str: ...
    @property
    def suggestion(self) -> str: ...
    @property
    def legal_basis(self) -> str: ...
    @property
    def criteria(self) -> tuple[int, ...]: ...
    @property
    def kind(self) -> str: ...  # finding | evidence
    @property
    def help(self) -> str: ...  # markdown documentation


@dataclass(frozen=True)
class RuleView:
    """A RuleInfo reconstructed from a finding, used when no rule set is supplied."""

    id: str
    category: str
    severity: str
    message: str
    suggestion: str
    legal_basis: str
    criteria: tuple[int, ...]
    kind: str
    help: str

    @classmethod
    def from_finding(cls, f: Finding) -> RuleView:
        return cls(
            id=f.rule,
            category=f.category,
            severity=f.severity,
            message=f.message,
            suggestion=f.suggestion,
            legal_basis=f.legal_basis,
            criteria=tuple(f.criteria),
            kind=f.kind,
            help="",
        )


def rules_used(findings: Iterable[Finding], rules: Mapping[str, RuleInfo] | None) -> dict[str, RuleInfo]:
    """The rules behind `findings`, in order of first use, looked up in `rules` when known."""
    used: dict[str, RuleInfo] = {}
    for f in findings:
        if f.rule in used:
            continue
        info = rules.get(f.rule) if rules else None
        used[f.rule] = info if info is not None else RuleView.from_finding(f)
    return used


def all_findings(results: Iterable[FileResult]) -> list[Finding]:
    """Every lock-in finding (waived included) across the results, in input order."""
    return [f for r in results for f in r.findings]
