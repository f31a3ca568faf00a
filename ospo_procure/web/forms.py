"""The tender form, generated from the tender-spec JSON schema (ospo_procure/tender/spec.py).

Each schema property becomes a field whose widget follows its type: text (or a text area for
long text), a choice for an enum, a number, yes/no for a required boolean, a checkbox for an
optional one, one line per item for a list of text, a group for an object and a table of rows
for a list of objects. `HINTS` only adds what a schema cannot say: the label and help a person
reads, the group a field belongs to, and text areas for long text. A new schema property shows
up in the form without a change here (in the "More" group, labelled with its name).

Field names in the HTML are the spec's key paths: `budget.amount`, `award_criteria.2.weight`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ospo_procure.i18n import N_

# key path (row indexes as "*") -> (label, help); labels are translated when shown.
HINTS: dict[str, tuple[str, str]] = {
    "agency": (N_("Contracting authority"), N_("Full name of the agency that buys.")),
    "agency_short": (N_("Short name"), N_("Used in clause text; defaults to the full name.")),
    "country": (N_("Country"), ""),
    "language": (N_("Language of the tender documents"), ""),
    "title": (N_("Title"), N_("What is procured, in a few words: for example, Case management platform.")),
    "reference": (N_("File reference"), N_("Printed in the title block and the footer.")),
    "procurement_type": (N_("Type of procurement"), ""),
    "background": (
        N_("Background"),
        N_("Paragraphs separated by a blank line; lines starting with '- ' become bullets."),
    ),
    "needs": (N_("Needs"), N_("One need per line.")),
    "functional_requirements": (N_("Functional requirements"), N_("Each with a unique id, such as FR-01.")),
    "non_functional_requirements": (N_("Non-functional requirements"), N_("Each with a unique id, such as NFR-01.")),
    "*.id": (N_("Id"), ""),
    "*.text": (N_("Requirement"), ""),
    "budget": (N_("Budget"), N_("Leave both empty if the budget is not published.")),
    "budget.amount": (N_("Amount"), ""),
    "budget.currency": (N_("Currency"), N_("ISO 4217 code: USD, EUR, BRL...")),
    "timeline": (N_("Timeline"), N_("Leave empty if not known yet.")),
    "timeline.start": (N_("Start date"), N_("YYYY-MM-DD")),
    "timeline.duration_months": (N_("Duration (months)"), ""),
    "timeline.milestones": (N_("Milestones"), ""),
    "timeline.milestones.*.name": (N_("Milestone"), ""),
    "timeline.milestones.*.month": (N_("Month"), ""),
    "award_criteria": (N_("Award criteria"), N_("The weights must sum to 100.")),
    "award_criteria.*.name": (N_("Criterion"), ""),
    "award_criteria.*.weight": (N_("Weight"), ""),
    "award_criteria.*.description": (N_("Description"), ""),
    "licence": (N_("Licence of the deliverables"), N_("The open-source licence the software will carry.")),
    "repository": (N_("Code repository"), ""),
    "repository.url": (N_("Repository address"), N_("https://... where the source code will be published.")),
    "repository.platform": (N_("Platform"), N_("For example: gitlab, github, forgejo.")),
    "has_personal_data": (N_("Will the system hold personal data?"), ""),
    "hosting": (N_("Who runs the system?"), ""),
    "reuses_existing_oss": (
        N_("A specific open-source code base was pre-identified"),
        N_("Tick when the services are procured around a known open-source project."),
    ),
    "prefer_oss": (
        N_("Prefer open-source solutions"),
        N_("Unticked: open source is admissible on an equal footing. Ticked: preferred where equivalent."),
    ),
    "clauses": (N_("Clause choices"), N_("Clause ids from the clause library, one per line.")),
    "clauses.include": (N_("Always include"), ""),
    "clauses.exclude": (N_("Never include"), ""),
    "variables": (
        N_("Clause variables"),
        N_("One 'name: value' per line, for example: support_months: 12."),
    ),
}
GROUPS: list[tuple[str, list[str]]] = [
    (N_("The buyer"), ["agency", "agency_short", "country", "language"]),
    (N_("What is procured"), ["title", "reference", "procurement_type", "background", "needs"]),
    (N_("Requirements"), ["functional_requirements", "non_functional_requirements"]),
    (N_("Budget and timeline"), ["budget", "timeline"]),
    (N_("Award criteria"), ["award_criteria"]),
    (N_("Openness"), ["licence", "repository", "prefer_oss", "reuses_existing_oss"]),
    (N_("Data and hosting"), ["has_personal_data", "hosting"]),
    (N_("Advanced"), ["clauses", "variables"]),
]
MORE_GROUP = N_("More")
LONG_TEXT = {"background", "*.text", "award_criteria.*.description"}
EXTRA_ROWS = 1  # empty rows offered below the filled ones
MIN_ROWS = {"award_criteria": 3, "functional_requirements": 2, "non_functional_requirements": 2}


@dataclass
class Field:
    name: str  # key path with real indexes: "award_criteria.0.weight"
    key: str  # key path with "*" for row indexes: "award_criteria.*.weight"
    widget: str  # text | textarea | select | number | yesno | checkbox | lines | mapping | group | rows | date
    label: str
    help: str = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    value: Any = None
    children: list[Field] = field(default_factory=list)  # group: its fields; rows: the columns (template)
    rows: list[list[Field]] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    step: str = "any"
    pattern: str | None = None
    error: str | None = None

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


def _hint(key: str) -> tuple[str, str]:
    if key in HINTS:
        return HINTS[key]
    tail = "*." + key.rsplit(".", 1)[-1]
    return HINTS.get(tail, (key.rsplit(".", 1)[-1].replace("_", " ").capitalize(), ""))


def _widget(key: str, schema: Mapping[str, Any], required: bool) -> str:
    kind = schema.get("type")
    if "enum" in schema:
        return "select"
    if kind == "boolean":
        return "yesno" if required else "checkbox"
    if kind in ("number", "integer"):
        return "number"
    if kind == "array":
        return "rows" if schema.get("items", {}).get("type") == "object" else "lines"
    if kind == "object":
        return "group" if "properties" in schema else "mapping"
    if str(schema.get("pattern", "")).startswith(r"^\d{4}-\d{2}-\d{2}"):
        return "date"
    generic = "*." + key.rsplit(".", 1)[-1]
    return "textarea" if key in LONG_TEXT or generic in LONG_TEXT else "text"


def _lookup(values: Mapping[str, Any], path: list[str]) -> Any:
    node: Any = values
    for part in path:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return None
    return node


def _field(
    name: str,
    key: str,
    schema: Mapping[str, Any],
    required: bool,
    values: Mapping[str, Any],
    options: Mapping[str, list[tuple[str, str]]],
    extra: Mapping[str, int] | None = None,
) -> Field:
    label, help_text = _hint(key)
    widget = _widget(key, schema, required)
    f = Field(name, key, widget, label, help_text, required)
    f.value = _lookup(values, name.split("."))
    if widget == "select":
        f.options = options.get(key) or [(str(v), str(v)) for v in schema["enum"]]
    elif widget == "number":
        f.minimum = schema.get("minimum", schema.get("exclusiveMinimum"))
        f.maximum = schema.get("maximum")
        f.step = "1" if schema.get("type") == "integer" else "any"
    elif widget in ("text", "textarea"):
        f.pattern = schema.get("pattern")
    elif widget == "group":
        req = set(schema.get("required", []))
        f.children = [
            _field(f"{name}.{k}", f"{key}.{k}", s, k in req, values, options, extra)
            for k, s in schema["properties"].items()
        ]
    elif widget == "rows":
        item = schema["items"]
        req = set(item.get("required", []))
        present = f.value if isinstance(f.value, list) else []
        count = max(len(present) + EXTRA_ROWS, MIN_ROWS.get(key, 1)) + (extra or {}).get(name, 0)
        f.children = [
            _field(f"{name}.*.{k}", f"{key}.*.{k}", s, k in req, {}, options) for k, s in item["properties"].items()
        ]
        f.rows = [
            [
                _field(f"{name}.{i}.{k}", f"{key}.*.{k}", s, k in req, values, options)
                for k, s in item["properties"].items()
            ]
            for i in range(count)
        ]
    return f


def build_form(
    schema: Mapping[str, Any],
    values: Mapping[str, Any],
    options: Mapping[str, list[tuple[str, str]]] | None = None,
    extra_rows: Mapping[str, int] | None = None,
) -> list[tuple[str, list[Field]]]:
    """The form's groups of fields, filled with `values` (a spec as a dict)."""
    options = options or {}
    required = set(schema.get("required", []))
    props: dict[str, Any] = schema["properties"]
    fields = {k: _field(k, k, s, k in required, values, options, extra_rows) for k, s in props.items()}
    groups: list[tuple[str, list[Field]]] = []
    placed: set[str] = set()
    for title, keys in GROUPS:
        members = [fields[k] for k in keys if k in fields]
        placed.update(k for k in keys if k in fields)
        if members:
            groups.append((title, members))
    rest = [f for k, f in fields.items() if k not in placed]
    if rest:
        groups.append((MORE_GROUP, rest))
    return groups


def display(f: Field) -> str:
    """The field's value as the text its widget shows."""
    v = f.value
    if v is None:
        return ""
    if f.widget == "lines" and isinstance(v, list):
        return "\n".join(str(x) for x in v)
    if f.widget == "mapping" and isinstance(v, Mapping):
        return "\n".join(f"{k}: {x}" for k, x in v.items())
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def all_fields(groups: list[tuple[str, list[Field]]]) -> list[Field]:
    out: list[Field] = []

    def walk(f: Field) -> None:
        out.append(f)
        for c in f.children if f.widget == "group" else []:
            walk(c)
        for row in f.rows:
            for c in row:
                walk(c)

    for _, members in groups:
        for f in members:
            walk(f)
    return out


def attach_errors(groups: list[tuple[str, list[Field]]], problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Put each (key path, message) on the deepest field whose name is a prefix of the path.

    Returns the problems that belong to no field (shown above the form)."""
    fields = {f.name: f for f in all_fields(groups)}
    loose: list[tuple[str, str]] = []
    for at, message in problems:
        parts = at.split(".") if at else []
        while parts and ".".join(parts) not in fields:
            parts.pop()
        target = fields.get(".".join(parts)) if parts else None
        if target is None:
            loose.append((at, message))
        else:
            target.error = f"{target.error} {message}" if target.error else message
    return loose


# ------------------------------------------------------------------ form -> spec


def _number(text: str, integer: bool) -> Any:
    try:
        value = float(text.replace(",", ".")) if not integer else int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            return text  # the schema names the problem: "'ten' is not of type 'number'"
        return as_float
    if not integer and value == int(value):
        return int(value)
    return value


def _convert(schema: Mapping[str, Any], raw: str, parse_mapping: Callable[[str], Any]) -> Any:
    kind = schema.get("type")
    if kind in ("number", "integer"):
        return _number(raw, kind == "integer")
    if kind == "boolean":
        return raw in ("yes", "on", "true", "1")
    if kind == "array":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if kind == "object" and "properties" not in schema:
        return parse_mapping(raw)
    return raw.replace("\r\n", "\n").strip()


def spec_from_form(
    schema: Mapping[str, Any], form: Mapping[str, str], parse_mapping: Callable[[str], Any]
) -> dict[str, Any]:
    """The spec a submitted form describes; empty optional fields and empty rows are left out."""
    out: dict[str, Any] = {}
    for key, sub in schema["properties"].items():
        value = _from_form(key, sub, form, parse_mapping)
        if value is not None:
            out[key] = value
    return out


# complex: one branch per JSON-schema type a form field can have
def _from_form(name: str, schema: Mapping[str, Any], form: Mapping[str, str], parse_mapping: Any) -> Any:
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        group = {}
        for k, s in schema["properties"].items():
            v = _from_form(f"{name}.{k}", s, form, parse_mapping)
            if v is not None:
                group[k] = v
        return group or None
    if kind == "array" and schema.get("items", {}).get("type") == "object":
        indexes = sorted({int(k.split(".")[len(name.split("."))]) for k in form if _row_key(k, name)})
        rows = []
        for i in indexes:
            row = _from_form(f"{name}.{i}", schema["items"], form, parse_mapping)
            if row:
                rows.append(row)
        return rows or None
    raw = form.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = _convert(schema, str(raw), parse_mapping)
    if kind == "boolean" and "enum" not in schema and form.get(name) == "no":
        return False
    if value == [] or value == {}:
        return None
    return value


def _row_key(key: str, name: str) -> bool:
    prefix = name + "."
    if not key.startswith(prefix):
        return False
    rest = key[len(prefix) :].split(".", 1)
    return rest[0].isdigit()


def rows_requested(form: Mapping[str, str]) -> dict[str, int]:
    """`add_row=award_criteria` (the "Add a row" button) asks for one more empty row there."""
    target = form.get("add_row")
    return {target: 1} if target else {}
