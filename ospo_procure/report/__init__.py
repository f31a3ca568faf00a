"""Reporters: every output format is made from the same FileResult objects.

Each reporter module exposes ``render(results, *, rules=None, tool_version="") -> bytes``;
the annotated Word copy (report/annotate.py) is the exception, as it writes a document.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from ospo_procure.model import FileResult
from ospo_procure.report._protocols import RuleView

FORMATS = {
    "text": "ospo_procure.report.text",
    "json": "ospo_procure.report.json_report",
    "sarif": "ospo_procure.report.sarif",
    "html": "ospo_procure.report.html",
    "pdf": "ospo_procure.report.pdf",
    "junit": "ospo_procure.report.junit",
}
NEEDS_OUTPUT_FILE = frozenset({"pdf", "html"})


def rule_infos(ruleset: Any, lang: str = "en") -> dict[str, RuleView]:
    """What reporters need to know about each rule (the RuleInfo protocol of report/_protocols.py)."""
    from ospo_procure.rules.docs import rule_help

    return {
        r.id: RuleView(
            id=r.id,
            category=r.category,
            severity=r.severity,
            message=r.text("message", lang),
            suggestion=r.text("suggestion", lang),
            legal_basis=r.legal_basis,
            criteria=r.criteria,
            kind=r.kind,
            help=rule_help(r, lang),
        )
        for r in ruleset.rules
    }


def render(fmt: str, results: list[FileResult], **kwargs: Any) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(FORMATS[fmt])
    # Reporters take the options that concern them; pass only those they declare.
    params = inspect.signature(module.render).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        kwargs = {k: v for k, v in kwargs.items() if k in params}
    return module.render(results, **kwargs)
