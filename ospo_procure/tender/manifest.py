"""build-manifest.json: what went into a build, with hashes and no timestamps (reproducible)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .clauses import Decision
from .content import DocContent


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_manifest(
    *,
    version: str,
    language: str,
    spec_name: str,
    spec_sha256: str,
    decisions: list[Decision],
    docs: dict[str, DocContent],
    templates: dict[str, bytes],
    outputs: dict[str, bytes],
    lint: dict[str, Any] | None,
) -> dict[str, Any]:
    numbers = {(kind, c["id"]): c["number"] for kind, d in docs.items() for c in d.sources}
    return {
        "tool": "ospo-procure",
        "version": version,
        "language": language,
        "spec": {"file": spec_name, "sha256": spec_sha256},
        "clauses": [
            {
                "id": d.clause.id,
                "version": d.clause.version,
                "status": d.clause.status,
                "document": d.clause.document,
                "section": d.clause.section,
                "number": numbers.get((d.clause.document, d.clause.id)),
                "reason": d.reason,
            }
            for d in decisions
            if d.included
        ],
        "skipped": [
            {"id": d.clause.id, "version": d.clause.version, "reason": d.reason} for d in decisions if not d.included
        ],
        "templates": [{"name": n, "sha256": sha256(b)} for n, b in sorted(templates.items())],
        "outputs": [{"name": n, "sha256": sha256(b)} for n, b in sorted(outputs.items())],
        "self_lint": lint,
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
