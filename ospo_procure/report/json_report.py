"""JSON report: {"version": 1, "files": [...]} (schema: docs/json-format.md)."""

from __future__ import annotations

import json
from typing import Any

from ospo_procure.model import FileResult, Waiver

SCHEMA_VERSION = 1


def waiver_dict(w: Waiver) -> dict[str, Any]:
    return {
        "rule": w.rule,
        "match": w.match,
        "pattern": w.pattern,
        "files": w.files,
        "justification": w.justification,
        "approved_by": w.approved_by,
        "approved_on": w.approved_on,
        "source": w.source,
    }


def file_dict(r: FileResult) -> dict[str, Any]:
    return {
        "path": r.path,
        "language": r.language,
        "format": r.format,
        "error": r.error,
        "warnings": r.warnings,
        "words": r.words,
        "findings": [f.to_dict() for f in r.findings],
        "evidence": [e.to_dict() for e in r.evidence],
        "scorecard": r.scorecard.to_dict() if r.scorecard is not None else None,
        "unused_waivers": [waiver_dict(w) for w in r.unused_waivers],
    }


def render(
    results: list[FileResult],
    *,
    rules: Any = None,
    tool_version: str = "",
    unused_waivers: list[Waiver] | None = None,
    **_: Any,
) -> bytes:
    doc = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "ospo-procure", "version": tool_version},
        "files": [file_dict(r) for r in results],
        "unused_waivers": [waiver_dict(w) for w in unused_waivers or []],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
