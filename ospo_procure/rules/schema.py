"""JSON schemas for the files in lint_rules/. Kept in one place; docs/rules.md explains them."""

from __future__ import annotations

from typing import Any

from ospo_procure.constants import LANGUAGES
from ospo_procure.model import EVIDENCE_CATEGORIES, FINDING_CATEGORIES, ROLES, SEVERITIES

LANGS = list(LANGUAGES)
CHECK_NAME = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}


def lang_map(value: dict[str, Any], *, extra: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"enum": LANGS + (extra or [])},
        "additionalProperties": value,
        "minProperties": 1,
    }


STR_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}
TEXT = {"oneOf": [{"type": "string", "minLength": 1}, lang_map({"type": "string", "minLength": 1})]}
OPTIONAL_TEXT = {"oneOf": [{"type": "string"}, lang_map({"type": "string"})]}
REGEXES = {"oneOf": [{"type": "string", "minLength": 1}, STR_LIST]}
CUES = lang_map(STR_LIST, extra=["any"])

SCOPE = {"enum": ["sentence", "before", "after", "block", "clause"]}
WINDOW = {"type": "integer", "minimum": 1, "maximum": 2000}
CUE_CHECK = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cues"],
    "properties": {"cues": CUES, "scope": SCOPE, "window": WINDOW},
}

MATCHER = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "lexicon": {"enum": ["products", "vendors", "formats"]},
        "finding": {"enum": list(FINDING_CATEGORIES)},
        "phrases": lang_map(STR_LIST),
        "terms": {"type": "string", "pattern": "^[a-z0-9_]+$"},
        "attr": {"enum": ["lemma", "lower"]},
        "tokens": lang_map({"type": "array", "items": {"type": "array", "items": {"type": "object"}}}),
        "regex": lang_map(REGEXES, extra=["any"]),
        "requires": CUE_CHECK,
        # products and vendors lexicons: match the open-source entries (true) or the others (false)
        "open_source": {"type": "boolean"},
    },
    "oneOf": [
        {"required": ["lexicon"]},
        {"required": ["phrases"]},
        {"required": ["terms"]},
        {"required": ["tokens"]},
        {"required": ["regex"]},
    ],
}

# A rule's own wording trap: when the cue is found the match is dropped, or (with `role:`)
# given that role. The role of a mention in general comes from roles.yaml, not from here.
EXCEPTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cues"],
    "properties": {
        "name": CHECK_NAME,
        "cues": CUES,
        "scope": SCOPE,
        "window": WINDOW,
        "role": {"enum": list(ROLES)},
        "severity": {"enum": ["warning", "info"]},
        "note": {"oneOf": [{"type": "string"}, lang_map({"type": "string"})]},
    },
}

RULE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "category", "severity", "criteria", "languages", "message", "matchers", "examples"],
    "properties": {
        "id": {"type": "string", "pattern": "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"},
        "kind": {"enum": ["finding", "evidence"]},
        "category": {"enum": list(FINDING_CATEGORIES) + list(EVIDENCE_CATEGORIES)},
        "severity": {"enum": list(SEVERITIES)},
        "criteria": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 9}, "minItems": 1},
        "languages": {"type": "array", "items": {"enum": LANGS}, "minItems": 1},
        "legal_basis": OPTIONAL_TEXT,
        "description": TEXT,
        "message": TEXT,
        "suggestion": OPTIONAL_TEXT,
        "matchers": {"type": "array", "items": MATCHER, "minItems": 1},
        "exceptions": {"type": "array", "items": EXCEPTION},
        "examples": {
            "type": "object",
            "additionalProperties": False,
            "required": ["bad"],
            "properties": {"bad": lang_map(STR_LIST), "good": lang_map(STR_LIST)},
        },
    },
}

RULE_FILE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rules"],
    "properties": {
        "version": {"type": "integer"},
        # {name} -> regex text used in this file's patterns: one list written once ("partner_vendors")
        "macros": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z_]+$"},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "rules": {"type": "array", "items": RULE},
    },
}

# context.yaml: when an ordinary-word product name ("Windows", "Teams") is the product.
CONTEXT_FILE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer"},
        "product_context": CUES,
        "ordinary_context": CUES,
        "edition_words": STR_LIST,
        "language_hints": lang_map(STR_LIST),
    },
}

# A term list (lint_rules/lexicons/terms/NAME.yaml): phrases per language that rules use
# through `terms: NAME`, matched like inline `phrases` (lemma-aware unless attr: lower).
TERMS_FILE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["phrases"],
    "properties": {
        "version": {"type": "integer"},
        "description": {"type": "string"},
        "attr": {"enum": ["lemma", "lower"]},
        "phrases": lang_map(STR_LIST),
    },
}

PRODUCT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "category"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "aliases": STR_LIST,
        "category": {"type": "string"},
        "market": {"type": "string"},
        "ambiguous": STR_LIST,
        "alternatives": STR_LIST,
        "standards": STR_LIST,
        # a vendor's distribution or subscription of open-source software (Red Hat Enterprise Linux)
        "open_source": {"type": "boolean"},
    },
}

PRODUCTS_FILE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["category_findings", "vendors"],
    "properties": {
        "version": {"type": "integer"},
        "category_findings": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"enum": ["brand", "proprietary_technology"]}},
        },
        "vendors": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["vendor", "products"],
                "properties": {
                    "vendor": {"type": "string", "minLength": 1},
                    "aliases": STR_LIST,
                    "ambiguous_vendor": {"type": "boolean"},
                    "products": {"type": "array", "items": PRODUCT},
                },
            },
        },
    },
}

FORMATS_FILE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["formats"],
    "properties": {
        "version": {"type": "integer"},
        "formats": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "open_alternatives"],
                "properties": {
                    "id": {"type": "string"},
                    "extensions": STR_LIST,
                    "names": STR_LIST,
                    "vendor": {"type": "string"},
                    "family": {"type": "string"},
                    "open_alternatives": STR_LIST,
                    "ambiguous": {"type": "boolean"},
                },
            },
        },
        "open_formats": STR_LIST,
    },
}

# roles.yaml: the role of every mention (ospo_procure/roles.py, docs/roles.md).
MENTIONS = ["product", "vendor", "format", "term"]
_FILTERS = {
    "mentions": {"type": "array", "items": {"enum": MENTIONS}, "minItems": 1, "uniqueItems": True},
    "categories": {"type": "array", "items": {"enum": list(FINDING_CATEGORIES)}, "minItems": 1, "uniqueItems": True},
}
CONDITION_NAME = "^[a-z][a-z0-9_]*$"
# A condition a cue group names in `unless:` ("or equivalent" after a licence count does not count),
# stated once under `conditions:` however many groups name it.
ROLE_CONDITION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cues"],
    "properties": {"cues": CUES, "scope": SCOPE, "window": WINDOW},
}
ROLE_CUE_GROUP = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cues"],
    "properties": {
        "cues": CUES,
        "scope": {"enum": ["sentence", "before", "after", "block", "clause", "lead_in"]},
        "window": WINDOW,
        # the cue does not count where this condition is found too: a name under `conditions:`
        # (each condition stated once, however many groups name it)
        "unless": {"type": "string", "pattern": CONDITION_NAME},
        # only products of these markets (products.yaml `market`): "GitHub page", "Zoom link"
        "markets": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "uniqueItems": True},
        # the role stays where the stated object buys the mention's vendor (what is replaced)
        "keeps_role": {"type": "boolean"},
        **_FILTERS,
    },
}
ROLE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["outcome", "note"],
    "properties": {
        "outcome": {"enum": ["rule", "warning", "info", "none"]},
        "note": lang_map({"type": "string", "minLength": 1}),
        "cues": {"type": "array", "items": ROLE_CUE_GROUP},
        "sections": CUES,
        **_FILTERS,
    },
}
ROLES_FILE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["precedence", "mentions", "roles"],
    "properties": {
        "version": {"type": "integer"},
        "precedence": {"type": "array", "items": {"enum": list(ROLES)}, "uniqueItems": True},
        "mentions": {
            "type": "object",
            "additionalProperties": False,
            "required": MENTIONS,
            "properties": {
                m: {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["default"],
                    "properties": {
                        "default": {"enum": [*ROLES, "drop"]},
                        "report": {"type": "array", "items": {"enum": list(ROLES)}},
                        "sections": {"type": "boolean"},
                        "undecided": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["severity", "note"],
                            "properties": {
                                "severity": {"enum": ["warning", "info"]},
                                "note": lang_map({"type": "string", "minLength": 1}),
                            },
                        },
                    },
                }
                for m in MENTIONS
            },
        },
        "roles": {"type": "object", "propertyNames": {"enum": list(ROLES)}, "additionalProperties": ROLE},
        "conditions": {
            "type": "object",
            "propertyNames": {"type": "string", "pattern": CONDITION_NAME},
            "additionalProperties": ROLE_CONDITION,
        },
        # Per finding category: the roles it reports itself; the others are left to the `defer_to`
        # finding of the same product (an object is the brand finding's, not the platform's).
        "findings": {
            "type": "object",
            "propertyNames": {"enum": list(FINDING_CATEGORIES)},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["report", "defer_to"],
                "properties": {
                    "report": {"type": "array", "items": {"enum": list(ROLES)}},
                    "defer_to": {"enum": list(FINDING_CATEGORIES)},
                },
            },
        },
        # A rule whose matches have their own default role (the continuity argument is `continuity`)
        # or report only some roles (a vendor's subscription of open-source software: not `required`).
        "rules": {
            "type": "object",
            "propertyNames": {"type": "string", "pattern": "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {
                    "default": {"enum": list(ROLES)},
                    "report": {"type": "array", "items": {"enum": list(ROLES)}, "minItems": 1, "uniqueItems": True},
                    # roles reported only where the document's stated object buys the mention's vendor
                    "when_bought": {
                        "type": "array",
                        "items": {"enum": list(ROLES)},
                        "minItems": 1,
                        "uniqueItems": True,
                    },
                },
            },
        },
        # Roles stated once for the whole procedure (a direct award justified by an emergency).
        "document": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["role", "cues"],
                "properties": {
                    "role": {"enum": list(ROLES)},
                    "cues": CUES,
                    "note": lang_map({"type": "string", "minLength": 1}),
                    **_FILTERS,
                },
            },
        },
        "attributions": {
            "type": "object",
            "propertyNames": CHECK_NAME,
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["cues"],
                "properties": {
                    "reported_by": {"enum": list(FINDING_CATEGORIES)},
                    "cues": {"type": "array", "items": ROLE_CUE_GROUP, "minItems": 1},
                    **_FILTERS,
                },
            },
        },
        "object_statement": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "title": {"type": "boolean"},
                "headings": CUES,
                "labels": CUES,
                "cues": CUES,
                "vendor_roles": {"type": "array", "items": {"enum": list(ROLES)}, "uniqueItems": True},
            },
        },
    },
}


# lexicons/names.yaml: a lexicon name that holds ordinary words, worded in other languages.
NAMES_FILE = {
    "type": "object",
    "required": ["names"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer"},
        "names": {
            "type": "object",
            "additionalProperties": lang_map({"type": "string", "minLength": 1}),
        },
    },
}
