"""Load and validate a tender spec (YAML); derive the clause variables and condition values."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_procure.errors import DataError
from ospo_procure.yamlio import LineMap, line_of, load_yaml, read_data_file, validate

from .country import Setup, resolve
from .vocab import (
    DEFAULT_VARIABLES,
    HOSTING,
    LANGUAGES,
    LICENCES,
    PROCUREMENT_TYPES,
    SPEC_VARIABLES,
)

_TEXT = {"type": "string", "minLength": 1}
_REQ_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "text"],
        "properties": {"id": _TEXT, "text": _TEXT},
    },
}

SPEC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "agency",
        "country",
        "language",
        "title",
        "reference",
        "procurement_type",
        "licence",
        "background",
        "award_criteria",
        "has_personal_data",
        "hosting",
    ],
    "properties": {
        "agency": _TEXT,
        "agency_short": _TEXT,
        "country": _TEXT,
        "language": {"enum": list(LANGUAGES)},
        "title": _TEXT,
        "reference": _TEXT,
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "version": {"type": ["string", "number"]},
        "paper": {"enum": ["A4", "Letter"]},
        "locale": {"type": "string", "pattern": r"^(en|es|pt|fr)-([A-Z]{2}|419)$"},
        "procurement_type": {"enum": list(PROCUREMENT_TYPES)},
        "background": _TEXT,
        "needs": {"type": "array", "items": _TEXT},
        "functional_requirements": _REQ_LIST,
        "non_functional_requirements": _REQ_LIST,
        "budget": {
            "type": "object",
            "additionalProperties": False,
            "required": ["amount", "currency"],
            "properties": {
                "amount": {"type": "number", "exclusiveMinimum": 0},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
        },
        "timeline": {
            "type": "object",
            "additionalProperties": False,
            "required": ["duration_months"],
            "properties": {
                "start": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "duration_months": {"type": "integer", "minimum": 1, "maximum": 240},
                "milestones": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["name", "month"],
                        "properties": {"name": _TEXT, "month": {"type": "integer", "minimum": 0}},
                    },
                },
            },
        },
        "award_criteria": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "weight"],
                "properties": {
                    "name": _TEXT,
                    "weight": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
                    "description": {"type": "string"},
                },
            },
        },
        "licence": {"enum": list(LICENCES)},
        "repository": {
            "type": "object",
            "additionalProperties": False,
            "required": ["url"],
            "properties": {
                "url": {"type": "string", "pattern": r"^https?://[^\s]+$"},
                "platform": _TEXT,
            },
        },
        "has_personal_data": {"type": "boolean"},
        "hosting": {"enum": list(HOSTING)},
        "reuses_existing_oss": {"type": "boolean"},
        "prefer_oss": {"type": "boolean"},
        "clauses": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "include": {"type": "array", "items": {"type": "string"}},
                "exclude": {"type": "array", "items": {"type": "string"}},
            },
        },
        "variables": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z_][a-z0-9_]*$"},
            "additionalProperties": {"type": ["string", "number", "boolean"]},
        },
    },
}


@dataclass
class TenderSpec:
    path: Path
    data: dict[str, Any]
    lines: LineMap
    sha256: str

    @property
    def language(self) -> str:
        return self.data["language"]

    @property
    def version(self) -> str:
        """The document version on the title page and in the footer ("1.0" by default)."""
        value = self.data.get("version", "1.0")
        return str(value).strip() or "1.0"

    def issue_date(self) -> dt.date:
        """The date on the title page: `date`, else $SOURCE_DATE_EPOCH (reproducible builds), else today."""
        if self.data.get("date"):
            return dt.date.fromisoformat(self.data["date"])
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        return dt.date.today()

    def setup(self) -> tuple[Setup, list[str]]:
        """Language tag, paper and margins from the country table (or the spec's own choice)."""
        return resolve(
            self.data["country"], self.language, paper=self.data.get("paper"), locale=self.data.get("locale")
        )

    def line(self, *at: Any) -> int | None:
        return line_of(self.lines, at)

    def error(self, message: str, *at: Any) -> DataError:
        return DataError(message, path=self.path, line=self.line(*at))

    @property
    def includes(self) -> list[str]:
        return list((self.data.get("clauses") or {}).get("include") or [])

    @property
    def excludes(self) -> list[str]:
        return list((self.data.get("clauses") or {}).get("exclude") or [])

    def variables(self) -> dict[str, Any]:
        """Every value clause text may use; optional ones are absent when the spec lacks them."""
        d = self.data
        out: dict[str, Any] = {
            "agency": d["agency"],
            "agency_short": d.get("agency_short") or d["agency"],
            "country": d["country"],
            "title": d["title"],
            "reference": d["reference"],
            "procurement_type": d["procurement_type"],
            "licence": d["licence"],
            "licence_name": LICENCES[d["licence"]],
        }
        if d.get("repository"):
            out["repository_url"] = d["repository"]["url"]
        if d.get("budget"):
            out["currency"] = d["budget"]["currency"]
            out["budget_amount"] = format_amount(d["budget"]["amount"], self.language)
        if d.get("timeline"):
            out["contract_months"] = d["timeline"]["duration_months"]
        out.update(DEFAULT_VARIABLES)
        out.update(d.get("variables") or {})
        return out

    def conditions(self) -> dict[str, Any]:
        """The values `applies_when` conditions see (documented in docs/tender-spec.md)."""
        d = self.data
        repo = d.get("repository") or {}
        budget = d.get("budget") or {}
        return {
            "procurement_type": d["procurement_type"],
            "licence": d["licence"],
            "repository_url": repo.get("url"),
            "has_repository": bool(repo.get("url")),
            "platform": repo.get("platform"),
            "has_personal_data": d["has_personal_data"],
            "hosting": d["hosting"],
            "reuses_existing_oss": bool(d.get("reuses_existing_oss", False)),
            "prefer_oss": bool(d.get("prefer_oss", False)),
            "language": d["language"],
            "country": d["country"],
            "has_budget": bool(budget),
            "budget_amount": budget.get("amount"),
            "currency": budget.get("currency"),
            "contract_months": (d.get("timeline") or {}).get("duration_months"),
        }


def format_amount(amount: float, language: str) -> str:
    """Thousands separators as readers of that language expect: 250,000 / 250.000 / 250 000."""
    text = f"{amount:,.2f}" if amount != int(amount) else f"{int(amount):,}"
    if language in ("es", "pt"):
        return text.translate(str.maketrans(",.", ".,"))
    if language == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def _dates_to_text(value: Any) -> Any:
    # YAML turns 2026-03-01 into a date; the schema and the manifest want the ISO text.
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def load_spec(path: str | Path) -> TenderSpec:
    """Parse and validate a spec; every problem is a DataError naming file and line."""
    p = Path(path)
    raw, text = read_data_file(p)
    data, lines = load_yaml(p, text=text)
    if not isinstance(data, dict):
        raise DataError("a tender spec is a YAML mapping (key: value lines)", path=p, line=1)
    data = _dates_to_text(data)
    validate(data, SPEC_SCHEMA, p, lines)
    spec = TenderSpec(p, data, lines, hashlib.sha256(raw).hexdigest())
    _check_semantics(spec)
    return spec


def _check_semantics(spec: TenderSpec) -> None:
    d = spec.data
    total = sum(c["weight"] for c in d["award_criteria"])
    if abs(total - 100) > 1e-9:
        raise spec.error(f"award_criteria: weights sum to {total:g}, they must sum to 100", "award_criteria")
    _unique(spec, "award_criteria", "name", "award criterion")
    _unique(spec, "functional_requirements", "id", "requirement id")
    _unique(spec, "non_functional_requirements", "id", "requirement id")
    functional = {r["id"] for r in d.get("functional_requirements", [])}
    for i, r in enumerate(d.get("non_functional_requirements", [])):
        if r["id"] in functional:
            raise spec.error(
                f"requirement id {r['id']!r} is used in both requirement lists", "non_functional_requirements", i, "id"
            )
    timeline = d.get("timeline") or {}
    for i, m in enumerate(timeline.get("milestones", [])):
        if m["month"] > timeline["duration_months"]:
            raise spec.error(
                f"milestone {m['name']!r} at month {m['month']} falls after the contract end "
                f"(duration_months: {timeline['duration_months']})",
                "timeline",
                "milestones",
                i,
                "month",
            )
    for value, at in ((timeline.get("start"), ("timeline", "start")), (d.get("date"), ("date",))):
        if value is None:
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise spec.error(f"{'.'.join(at)}: {value!r} is not a valid date", *at) from None
    locale = d.get("locale")
    if locale and not locale.startswith(spec.language + "-"):
        raise spec.error(f"locale: {locale!r} is not a variant of the spec language {spec.language!r}", "locale")
    for key in d.get("variables") or {}:
        if key in SPEC_VARIABLES:
            raise spec.error(
                f"variables.{key}: {key!r} comes from the spec itself; set it at the top level, not under variables",
                "variables",
                key,
            )
    both = set(spec.includes) & set(spec.excludes)
    if both:
        cid = min(both)
        raise spec.error(
            f"clause {cid!r} is both included and excluded", "clauses", "exclude", spec.excludes.index(cid)
        )


def _unique(spec: TenderSpec, key: str, field: str, label: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(spec.data.get(key) or []):
        if item[field] in seen:
            raise spec.error(f"duplicate {label} {item[field]!r}", key, i, field)
        seen.add(item[field])
