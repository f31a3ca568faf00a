"""JSON report: {"version": 2, "files": [...]} (schema: docs/json-format.md).

The one place that gives findings, evidence and scorecards their JSON shape (the web page, the
build's scorecard.json and the SARIF scorecards use it too).

Size is linear in the input, whatever the density of findings: the text of each block that holds
an item is written once per file (`blocks`), items point into it by block number and offsets;
what a rule says the same way every time (legal basis, criteria) is written once per file
(`rules`); the scorecard refers to items by their position in `findings`/`evidence`. (Version 1
copied a context, the legal basis and a scorecard reference into every item: 5 MB for a 199 KB
paragraph dense with findings.)

Streamed: the document is produced piece by piece from generators, one item at a time, each
item encoded by the json module's C encoder on one line, so `grep` finds one finding per line.

The human-readable fields (messages, suggestions, legal bases, notes, the words that decided
a role, criterion titles and reasons) are in each file's report language, given as
`language_of_report`; everything else is an identifier or a number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from ospo_procure.model import FileResult, Finding, LintRun
from ospo_procure.report import ReportOptions
from ospo_procure.report.words import Words, file_language, words
from ospo_procure.scoring_model import CriterionScore, Scorecard

SCHEMA_VERSION = 2
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_ENCODE_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one-line items


_Key = tuple[str, int, int, int]


class _Line(dict[str, Any]):
    """A value written on one line (by the C encoder); everything else is laid out over lines."""


def render(results: LintRun, options: ReportOptions) -> bytes:
    return "".join(_chunks(results, options)).encode("utf-8")


def _chunks(results: LintRun, options: ReportOptions) -> Iterator[str]:
    """The report as successive pieces of text, produced as the files are walked."""
    doc = {
        "version": SCHEMA_VERSION,
        "tool": _Line(name="ospo-procure", version=options.tool_version),
        "files": (file_dict(r, options.lang) for r in results.files),
        "unused_waivers": (_Line(w.to_dict()) for w in results.unused_waivers),
    }
    yield from _pieces(doc, "")
    yield "\n"


def file_dict(r: FileResult, lang: str | None = None) -> dict[str, Any]:
    """One file's entry, worded in `lang` (default: the file's language); its item lists are
    generators, encoded one item at a time."""
    _ = words(file_language(r, lang))
    items = list(chain(r.findings, r.evidence))
    return {
        "path": r.path,
        "language": r.language,
        "language_of_report": _.lang,
        "format": r.format,
        "error": _.text(r.error) if r.error is not None else None,
        "warnings": [_.text(w) for w in r.warnings],
        "words": r.words,
        "unreadable": r.unreadable,
        "rules": {rule: _Line(entry) for rule, entry in rules_dict(items).items()},
        "blocks": blocks_dict(items),
        "findings": (_Line(item_dict(f, _)) for f in r.findings),
        "evidence": (_Line(item_dict(e, _)) for e in r.evidence),
        "scorecard": scorecard_dict(r.scorecard, r.findings, r.evidence, _),
        "unused_waivers": (_Line(w.to_dict()) for w in r.unused_waivers),
    }


def rules_dict(items: Iterable[Finding]) -> dict[str, dict[str, Any]]:
    """What each rule that fired says the same way every time: its legal basis and criteria."""
    out: dict[str, dict[str, Any]] = {}
    for f in items:
        if f.rule not in out:
            out[f.rule] = {"legal_basis": f.legal_basis, "criteria": list(f.criteria)}
    return out


def blocks_dict(items: Iterable[Finding]) -> dict[str, str]:
    """The text of every block that holds an item, once, by block number."""
    out: dict[str, str] = {}
    for f in sorted(items, key=lambda f: f.block_index):
        out.setdefault(str(f.block_index), f.context)
    return out


def item_dict(f: Finding, _: Words | None = None) -> dict[str, Any]:
    """A finding or evidence item: `blocks[str(block)][start:end] == match`; the words that
    decided its role linked in `_`'s language (as the role stage wrote them without `_`)."""
    d: dict[str, Any] = {
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity,
        "message": f.message,
        "match": f.match,
        "block": f.block_index,
        "start": f.start,
        "end": f.end,
        "location": _present(f.location.to_dict()),
        "source": _present(f.source.to_dict()) if f.source is not None else None,
        "suggestion": f.suggestion,
        "waived": f.waived,
    }
    if f.note:
        d["note"] = f.note
    if f.kind == "finding":  # evidence has no role
        reason = _.role_reason(f.role_reason) if _ is not None and f.role_reason else f.role_reason
        d["role"], d["role_reason"] = f.role, reason
    if f.waiver is not None:
        d["waiver"] = {
            "justification": f.waiver.justification,
            "approved_by": f.waiver.approved_by,
            "approved_on": f.waiver.approved_on,
            "source": str(f.waiver.source) if f.waiver.source else "",
            "origin": f.waiver.source.to_dict() if f.waiver.source else None,
        }
    return d


def _present(d: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that apply (a location of a text file has no page, table or cell)."""
    return {k: v for k, v in d.items() if v is not None}


def scorecard_dict(
    card: Scorecard | None, findings: list[Finding], evidence: list[Finding] | None, _: Words | None = None
) -> dict[str, Any] | None:
    """The scorecard, its reasons in `_`'s language (default English); each criterion names the
    items behind it by their index in `findings` and `evidence` (evidence None: the format lists
    no evidence, so none is referred to)."""
    if card is None:
        return None
    f_at = {_key(f): n for n, f in enumerate(findings)}
    e_at = {_key(e): n for n, e in enumerate(evidence)} if evidence is not None else None
    lang = _.lang if _ is not None else None
    criteria = {str(n): _Line(criterion_dict(c, f_at, e_at, lang)) for n, c in sorted(card.criteria.items())}
    return {"criteria": criteria, "overall": card.overall, "unreadable": card.unreadable}


def _key(f: Finding) -> tuple[str, int, int, int]:
    """What identifies an item across the copies later stages make of it (a waiver, a role)."""
    return f.rule, f.block_index, f.start, f.end


def criterion_dict(
    c: CriterionScore, f_at: dict[_Key, int], e_at: dict[_Key, int] | None, lang: str | None = None
) -> dict[str, Any]:
    d: dict[str, Any] = {
        "title": c.title,
        "score": c.score,
        "reasons": c.reasons(lang),
        "base": c.base,
        "terms": [t.to_dict() for t in c.terms],
        "cap": {"score": c.cap.score, "categories": list(c.cap.categories)} if c.cap else None,
        "bound": (
            {"kind": c.bound.kind, "score": c.bound.score, "fact": c.bound.fact, "words": c.bound.words}
            if c.bound
            else None
        ),
        "total": c.total,
        "findings": [f_at[_key(f)] for f in c.findings if _key(f) in f_at],
    }
    if e_at is not None:
        d["evidence"] = [e_at[_key(e)] for e in c.evidence if _key(e) in e_at]
    return d


def _pieces(value: Any, indent: str) -> Iterator[str]:
    """JSON text of `value`; generators count as lists and are consumed once."""
    if isinstance(value, _Line):
        yield _ENCODE_LINE(value)
    elif not isinstance(value, (dict, list, tuple, Iterator)):
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
