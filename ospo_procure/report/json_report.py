"""JSON report: {"version": 1, "files": [...]} (schema: docs/json-format.md).

Streamed: the document is produced piece by piece from generators, one finding at a
time, and each finding is encoded by the json module's C encoder on one line. (A
single `json.dumps(..., indent=2)` of the whole report builds every dict first and runs
the pure-Python encoder, several times slower.) The layout stays readable: the outer
structure is indented, and each finding, evidence item, criterion and waiver is one line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from ospo_procure.model import FileResult, LintRun
from ospo_procure.report import ReportOptions
from ospo_procure.scoring_model import Scorecard

SCHEMA_VERSION = 1
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


class _Line(dict[str, Any]):
    """A value written on one line (by the C encoder); everything else is laid out over lines."""


def render(results: LintRun, options: ReportOptions) -> bytes:
    return "".join(_chunks(results, options)).encode("utf-8")


def _chunks(results: LintRun, options: ReportOptions) -> Iterator[str]:
    """The report as successive pieces of text, produced as the files are walked."""
    doc = {
        "version": SCHEMA_VERSION,
        "tool": _Line(name="ospo-procure", version=options.tool_version),
        "files": (file_dict(r) for r in results.files),
        "unused_waivers": (_Line(w.to_dict()) for w in results.unused_waivers),
    }
    yield from _pieces(doc, "")
    yield "\n"


def file_dict(r: FileResult) -> dict[str, Any]:
    """One file's entry; its lists are generators, encoded one item at a time."""
    return {
        "path": r.path,
        "language": r.language,
        "format": r.format,
        "error": r.error,
        "warnings": r.warnings,
        "words": r.words,
        "unreadable": r.unreadable,
        "findings": (_Line(f.to_dict()) for f in r.findings),
        "evidence": (_Line(e.to_dict()) for e in r.evidence),
        "scorecard": _scorecard(r.scorecard),
        "unused_waivers": (_Line(w.to_dict()) for w in r.unused_waivers),
    }


def _scorecard(card: Scorecard | None) -> dict[str, Any] | None:
    if card is None:
        return None
    criteria = {str(n): _Line(c.to_dict()) for n, c in sorted(card.criteria.items())}
    return {"criteria": criteria, "overall": card.overall, "unreadable": card.unreadable}


def _pieces(value: Any, indent: str) -> Iterator[str]:
    """JSON text of `value`; generators count as lists and are consumed once."""
    if isinstance(value, _Line) or not isinstance(value, (dict, list, tuple, Iterator)):
        yield _ENCODE(value)
    elif isinstance(value, dict):
        yield from _container("{", "}", ((_ENCODE(str(k)) + ": ", v) for k, v in value.items()), indent)
    else:
        yield from _container("[", "]", (("", v) for v in value), indent)


def _container(open_: str, close: str, items: Iterable[tuple[str, Any]], indent: str) -> Iterator[str]:
    inner = indent + "  "
    it = iter(items)
    first = next(it, None)
    if first is None:
        yield open_ + close
        return
    yield open_
    for n, (key, v) in enumerate(chain([first], it)):
        yield ("\n" if n == 0 else ",\n") + inner + key
        yield from _pieces(v, inner)
    yield "\n" + indent + close
