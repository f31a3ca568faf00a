"""The clause library: load and validate clause files, select clauses for a spec, coverage.

One YAML file per clause (`clause_library/<id>.yaml`). Per-file checks happen on load, so a
broken clause stops every build with `file:line`; library-wide checks (criterion coverage,
alternatives, self-lint of the clause text) live in `validate_library` (`clauses validate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_procure.errors import DataError
from ospo_procure.yamlio import LineMap, line_of, load_yaml, validate

from . import render
from .conditions import Condition, ConditionError, parse
from .spec import TenderSpec, _dates_to_text
from .vocab import (
    CATEGORIES,
    CONDITION_NAMES,
    CRITERIA,
    DOCUMENTS,
    LANGUAGES,
    REQUIRED_CLAUSE_LANGUAGES,
    SECTIONS,
    STATUSES,
)

_KEBAB = "^[a-z0-9]+(-[a-z0-9]+)*$"
_PER_LANG = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"enum": list(LANGUAGES)},
    "additionalProperties": {"type": "string", "minLength": 1},
}
CLAUSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "version", "status", "category", "section", "document", "criteria", "title", "text"],
    "properties": {
        "id": {"type": "string", "pattern": _KEBAB},
        "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$"},
        "status": {"enum": list(STATUSES)},
        "category": {"enum": list(CATEGORIES)},
        "section": {"enum": list(SECTIONS)},
        "document": {"enum": list(DOCUMENTS)},
        "criteria": {"type": "array", "uniqueItems": True, "items": {"type": "integer", "minimum": 1, "maximum": 9}},
        "variables": {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "pattern": "^[a-z_][a-z0-9_]*$"},
        },
        "applies_when": {"type": "string", "minLength": 1},
        "alternatives": {"type": "array", "uniqueItems": True, "items": {"type": "string", "pattern": _KEBAB}},
        "rationale": {"type": "string"},
        "legal_basis": {"type": "string"},
        "last_reviewed": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "title": _PER_LANG,
        "text": _PER_LANG,
    },
}


@dataclass
class Clause:
    id: str
    version: str
    status: str
    category: str
    section: str
    document: str
    criteria: list[int]
    variables: list[str]
    condition: Condition
    alternatives: list[str]
    title: dict[str, str]
    text: dict[str, str]
    rationale: str = ""
    legal_basis: str = ""
    last_reviewed: str | None = None
    path: Path = field(default_factory=Path)
    lines: LineMap = field(default_factory=dict, repr=False)

    @property
    def languages(self) -> list[str]:
        return [lang for lang in LANGUAGES if lang in self.title and lang in self.text]

    def line(self, *at: Any) -> int | None:
        return line_of(self.lines, at)

    def error(self, message: str, *at: Any) -> DataError:
        return DataError(message, path=self.path, line=self.line(*at))

    def sort_key(self) -> tuple[int, int, str]:
        return SECTIONS.index(self.section), CATEGORIES.index(self.category), self.id


@dataclass
class Library:
    folder: Path
    clauses: dict[str, Clause]

    def ordered(self) -> list[Clause]:
        return sorted(self.clauses.values(), key=Clause.sort_key)

    def approved(self) -> list[Clause]:
        return [c for c in self.ordered() if c.status == "approved"]

    def get(self, clause_id: str) -> Clause:
        try:
            return self.clauses[clause_id]
        except KeyError:
            raise DataError(f"no clause {clause_id!r} in {self.folder}") from None


def load_clause(path: Path) -> Clause:
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise DataError("a clause file is a YAML mapping", path=path, line=1)
    data = _dates_to_text(data)
    validate(data, CLAUSE_SCHEMA, path, lines)
    if data["id"] != path.stem:
        raise DataError(
            f"id {data['id']!r} differs from the file name {path.stem!r}", path=path, line=line_of(lines, ("id",))
        )
    if set(data["title"]) != set(data["text"]):
        missing = sorted(set(data["title"]) ^ set(data["text"]))
        raise DataError(
            f"title and text must have the same languages (mismatch: {', '.join(missing)})",
            path=path,
            line=line_of(lines, ("text",)),
        )
    if data["status"] == "approved":
        lacking = [lang for lang in REQUIRED_CLAUSE_LANGUAGES if lang not in data["text"]]
        if lacking:
            raise DataError(
                f"approved clause lacks language(s) {', '.join(lacking)} (approved clauses need en, es and pt)",
                path=path,
                line=line_of(lines, ("text",)),
            )
    source = data.get("applies_when", "true")
    try:
        condition = parse(source)
        condition.check_names(CONDITION_NAMES)
    except ConditionError as exc:
        raise DataError(
            f"applies_when, column {exc.column}: {exc.message}", path=path, line=line_of(lines, ("applies_when",))
        ) from None
    clause = Clause(
        id=data["id"],
        version=data["version"],
        status=data["status"],
        category=data["category"],
        section=data["section"],
        document=data["document"],
        criteria=list(data["criteria"]),
        variables=list(data.get("variables", [])),
        condition=condition,
        alternatives=list(data.get("alternatives", [])),
        title=data["title"],
        text=data["text"],
        rationale=data.get("rationale", ""),
        legal_basis=data.get("legal_basis", ""),
        last_reviewed=data.get("last_reviewed"),
        path=path,
        lines=lines,
    )
    _check_variables(clause)
    return clause


def _check_variables(clause: Clause) -> None:
    """Every language must compile and use only declared variables; each declared one is used."""
    declared = set(clause.variables)
    used_anywhere: set[str] = set()
    for field_name in ("title", "text"):
        for lang, source in getattr(clause, field_name).items():
            used = render.variables_used(source, clause, (field_name, lang))
            extra = used - declared
            if extra:
                raise clause.error(
                    f"{field_name}.{lang} uses undeclared variable(s) {', '.join(sorted(extra))}; add them to `variables`",
                    field_name,
                    lang,
                )
            used_anywhere |= used
    unused = declared - used_anywhere
    if unused:
        raise clause.error(f"variables declares {', '.join(sorted(unused))} but no text uses it", "variables")


def load_library(folder: str | Path) -> Library:
    root = Path(folder)
    if not root.is_dir():
        raise DataError("clause library folder not found", path=root)
    files = sorted(list(root.glob("*.yaml")) + list(root.glob("*.yml")))
    clauses: dict[str, Clause] = {}
    for path in files:
        clause = load_clause(path)
        if clause.id in clauses:  # x.yaml and x.yml
            raise clause.error(f"duplicate clause id {clause.id!r} (also in {clauses[clause.id].path.name})", "id")
        clauses[clause.id] = clause
    return Library(root, clauses)


# ---------------------------------------------------------------- selection


@dataclass
class Decision:
    clause: Clause
    included: bool
    reason: str

    def explain(self) -> str:
        mark = "+" if self.included else "-"
        return f"{mark} {self.clause.id}@{self.clause.version} [{self.clause.document}/{self.clause.section}]: {self.reason}"


def select(library: Library, spec: TenderSpec, *, strict: bool = False) -> tuple[list[Decision], list[str]]:
    """Decide, for every clause, whether it goes in and why. Returns (decisions, warnings)."""
    warnings: list[str] = []
    for key, ids in (("include", spec.includes), ("exclude", spec.excludes)):
        for i, cid in enumerate(ids):
            if cid not in library.clauses:
                raise spec.error(
                    f"clauses.{key}: unknown clause id {cid!r} (see `ospo-procure clauses list`)", "clauses", key, i
                )
    env = spec.conditions()
    includes, excludes = set(spec.includes), set(spec.excludes)
    decisions: list[Decision] = []
    for clause in library.ordered():
        cond = clause.condition.source
        holds = clause.condition.evaluate(env)
        if clause.id in excludes:
            decisions.append(Decision(clause, False, "excluded by the spec (clauses.exclude)"))
        elif clause.id in includes:
            at = ("clauses", "include", spec.includes.index(clause.id))
            if clause.status == "deprecated":
                alts = ", ".join(clause.alternatives) or "none listed"
                raise spec.error(f"clauses.include: clause {clause.id!r} is deprecated (alternatives: {alts})", *at)
            if clause.status == "draft":
                if strict:
                    raise spec.error(f"clauses.include: clause {clause.id!r} is a draft (refused with --strict)", *at)
                warnings.append(
                    f"{spec.path}:{spec.line(*at)}: including draft clause {clause.id!r}; "
                    f"have it approved before publishing the tender"
                )
            note = "" if holds else f"; overrides applies_when: {cond} (false)"
            decisions.append(Decision(clause, True, f"included by the spec (clauses.include){note}"))
        elif clause.status != "approved":
            decisions.append(Decision(clause, False, f"status is {clause.status}"))
        elif holds:
            decisions.append(Decision(clause, True, f"applies_when: {cond} (true)"))
        else:
            decisions.append(Decision(clause, False, f"applies_when: {cond} (false)"))
    _resolve_alternatives(decisions, includes, warnings)
    return decisions, warnings


def _resolve_alternatives(decisions: list[Decision], includes: set[str], warnings: list[str]) -> None:
    """Alternatives are mutually exclusive: an explicit include wins, else the first in order."""
    chosen: dict[str, Decision] = {d.clause.id: d for d in decisions if d.included}
    for d in decisions:
        if not d.included or d.clause.id in includes:
            continue
        for alt in d.clause.alternatives:
            other = chosen.get(alt)
            if other is None or other is d or not other.included:
                continue
            if alt in includes:
                d.included, d.reason = False, f"replaced by its alternative {alt!r} (included by the spec)"
            elif other.clause.sort_key() < d.clause.sort_key():
                d.included, d.reason = False, f"alternative {alt!r} was already selected"
                warnings.append(f"{d.clause.path}: applies_when overlaps with alternative {alt!r}; kept {alt!r}")
            if not d.included:
                break


def check_selected(decisions: list[Decision], spec: TenderSpec) -> None:
    """Each selected clause must exist in the spec's language and get all its variables."""
    lang = spec.language
    available = spec.variables()
    for d in decisions:
        if not d.included:
            continue
        c = d.clause
        if lang not in c.text:
            raise spec.error(
                f"clause {c.id!r} ({c.path.name}) has no {lang!r} text; translate it or exclude it (clauses.exclude)",
                "language",
            )
        missing = [v for v in c.variables if v not in available]
        if missing:
            raise spec.error(
                f"clause {c.id!r} ({c.path.name}) needs {', '.join(missing)}, which this spec does not provide "
                f"({_hint(missing[0])})",
                *_where(missing[0]),
            )


def _hint(var: str) -> str:
    return {
        "repository_url": "add repository.url",
        "currency": "add budget",
        "budget_amount": "add budget",
        "contract_months": "add timeline.duration_months",
    }.get(var, f"set variables.{var}")


def _where(var: str) -> tuple[str, ...]:
    return {
        "repository_url": ("repository",),
        "currency": ("budget",),
        "budget_amount": ("budget",),
        "contract_months": ("timeline",),
    }.get(var, ("variables",))


# ---------------------------------------------------------------- coverage


def coverage(library: Library, *, statuses: tuple[str, ...] = ("approved",)) -> dict[int, list[str]]:
    """Criterion number -> ids of clauses (with the given statuses) that claim it."""
    out: dict[int, list[str]] = {n: [] for n in CRITERIA}
    for c in library.ordered():
        if c.status in statuses:
            for n in c.criteria:
                out[n].append(c.id)
    return out


def coverage_table(library: Library, *, statuses: tuple[str, ...] = ("approved",)) -> str:
    """A plain-text clause × criterion matrix, one row per clause and a totals row."""
    rows = [c for c in library.ordered() if c.status in statuses]
    width = max([len("clause")] + [len(c.id) for c in rows])
    head = "clause".ljust(width) + "  " + " ".join(str(n) for n in CRITERIA)
    lines = [head, "-" * len(head)]
    for c in rows:
        lines.append(c.id.ljust(width) + "  " + " ".join("x" if n in c.criteria else "." for n in CRITERIA))
    cov = coverage(library, statuses=statuses)
    lines.append("-" * len(head))
    lines.append("total".ljust(width) + "  " + " ".join(str(min(len(cov[n]), 9)) if cov[n] else "!" for n in CRITERIA))
    gaps = [str(n) for n in CRITERIA if not cov[n]]
    if gaps:
        lines.append(f"uncovered criteria: {', '.join(gaps)}")
    return "\n".join(lines)
