"""What the review page shows, computed from the lint JSON and the document's blocks.

The page is built from the same JSON as `lint --format json` (docs/json-format.md), so what a
reviewer sees on screen is what every integration receives. Document text is split into plain
segments and highlighted segments here; the template escapes every one of them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ospo_procure.web.engine import BlockView, Review

CONTEXT_BLOCKS = 1  # paragraphs shown around a highlighted one before the rest folds away
FOLD_AT = 4  # runs of at least this many quiet paragraphs fold into a "show" element


@dataclass
class Filters:
    severities: set[str] = field(default_factory=set)  # empty = all
    category: str = ""
    criterion: int | None = None
    evidence: bool = False

    @classmethod
    def from_query(cls, query: Mapping[str, Any], getlist: Any) -> Filters:
        crit = str(query.get("criterion") or "")
        return cls(
            severities={s for s in getlist("severity") if s in ("error", "warning", "info")},
            category=str(query.get("category") or ""),
            criterion=int(crit) if crit.isdigit() and 1 <= int(crit) <= 9 else None,
            evidence=query.get("evidence") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.severities or self.category or self.criterion)

    def keep(self, item: Mapping[str, Any]) -> bool:
        if self.severities and item["severity"] not in self.severities:
            return False
        if self.category and item["category"] != self.category:
            return False
        return not (self.criterion and self.criterion not in item["criteria"])


@dataclass
class Item:
    """A finding or evidence item with its number on the page."""

    number: int
    kind: str  # finding | evidence
    data: dict[str, Any]

    @property
    def anchor(self) -> str:
        return f"{'f' if self.kind == 'finding' else 'e'}{self.number}"


@dataclass
class Segment:
    text: str
    items: list[Item] = field(default_factory=list)
    starts: list[Item] = field(default_factory=list)  # items that begin in this segment
    ends: list[Item] = field(default_factory=list)  # items that end with it

    @property
    def css(self) -> str:
        if not self.items:
            return ""
        first = self.items[0]
        if first.kind == "evidence":
            return "hl hl-evidence"
        waived = " hl-waived" if first.data.get("waived") else ""
        return f"hl hl-{first.data['severity']}{waived}"


@dataclass
class BlockRow:
    index: int
    block: BlockView
    segments: list[Segment]
    highlighted: bool


@dataclass
class Fold:
    rows: list[BlockRow]


def segments(text: str, items: list[tuple[int, int, Item]]) -> list[Segment]:
    """Split `text` at every item boundary; each piece lists the items that cover it."""
    cuts = {0, len(text)}
    for start, end, _ in items:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in itertools.pairwise(points):
        if a == b:
            continue
        covering = [it for s, e, it in items if s <= a and b <= e]
        covering.sort(key=lambda it: (it.kind != "finding", -_rank(it.data["severity"])))
        if out and not covering and not out[-1].items:
            out[-1].text += text[a:b]
        else:
            starts = [it for s, _e, it in items if s == a]
            ends = [it for _s, e, it in items if e == b]
            out.append(Segment(text[a:b], covering, starts, ends))
    return out or [Segment(text)]


def _rank(severity: str) -> int:
    return {"error": 2, "warning": 1}.get(severity, 0)


@dataclass
class ReviewPage:
    file: dict[str, Any]
    findings: list[Item]
    evidence: list[Item]
    shown_findings: list[Item]
    document: list[BlockRow | Fold]
    counts: Counter[str]
    waived: int
    categories: list[str]
    criteria: list[dict[str, Any]]


def review_page(review: Review, filters: Filters) -> ReviewPage:
    file = review.file
    findings, evidence = _items(file, "findings", "finding"), _items(file, "evidence", "evidence")
    shown = [it for it in findings if filters.keep(it.data)]
    highlighted = shown + ([e for e in evidence if filters.keep(e.data)] if filters.evidence else [])
    by_block: dict[int, list[tuple[int, int, Item]]] = {}
    for it in highlighted:
        index = it.data["block"]
        if 0 <= index < len(review.blocks):
            by_block.setdefault(index, []).append((it.data["start"], it.data["end"], it))
    rows = [BlockRow(i, b, segments(b.text, by_block.get(i, [])), i in by_block) for i, b in enumerate(review.blocks)]
    return ReviewPage(
        file=file,
        findings=findings,
        evidence=evidence,
        shown_findings=shown,
        document=fold(rows),
        counts=Counter(it.data["severity"] for it in findings if not it.data.get("waived")),
        waived=sum(1 for it in findings if it.data.get("waived")),
        categories=sorted({it.data["category"] for it in findings}),
        criteria=_criteria(file),
    )


def _items(file: Mapping[str, Any], key: str, kind: str) -> list[Item]:
    """The file's findings or evidence, each with what its rule says once per file (legal
    basis, criteria) folded back in, and the keys the report leaves out when they do not apply."""
    rules = file.get("rules") or {}
    blank = {"note": None, "role": None, "role_reason": ""}
    return [Item(i, kind, {**blank, **rules.get(d["rule"], {}), **d}) for i, d in enumerate(file[key], 1)]


def _criteria(file: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The scorecard's criteria in order, with the items behind each (the report names them by position)."""
    scorecard = file.get("scorecard") or {}
    return [
        {
            "number": int(n),
            **c,
            "findings": [file["findings"][i] for i in c.get("findings", [])],
            "evidence": [file["evidence"][i] for i in c.get("evidence", [])],
        }
        for n, c in sorted((scorecard.get("criteria") or {}).items(), key=lambda kv: int(kv[0]))
    ]


def fold(rows: list[BlockRow]) -> list[BlockRow | Fold]:
    """Keep highlighted paragraphs, their neighbours and headings in view; fold long quiet runs."""
    keep: set[int] = set()
    for r in rows:
        if r.highlighted:
            keep.update(range(r.index - CONTEXT_BLOCKS, r.index + CONTEXT_BLOCKS + 1))
        if r.block.kind == "heading":
            keep.add(r.index)
    out: list[BlockRow | Fold] = []
    quiet: list[BlockRow] = []
    for r in rows:
        if r.index in keep:
            out.extend(_flush(quiet))
            quiet = []
            out.append(r)
        else:
            quiet.append(r)
    out.extend(_flush(quiet))
    return out


def _flush(quiet: list[BlockRow]) -> list[BlockRow | Fold]:
    if len(quiet) >= FOLD_AT:
        return [Fold(quiet)]
    return list(quiet)


def chart(criteria: list[dict[str, Any]], titles: Mapping[int, str]) -> list[dict[str, Any]]:
    """Bars of the scorecard chart (drawn as SVG by the template), 0-5 scale."""
    out = []
    for c in criteria:
        score = int(c["score"])
        out.append(
            {
                "number": c["number"],
                "title": titles.get(c["number"], c["title"]),
                "score": score,
                "width": score * 40,  # 5 points = 200 px in the SVG's coordinates
                "band": "low" if score <= 1 else ("mid" if score <= 3 else "high"),
            }
        )
    return out
