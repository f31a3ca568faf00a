"""Checklist scorer: findings + evidence -> a 0-5 score per criterion, with its reasons.

The rubric lives in lint_rules/checklist.yaml. For each criterion:
  score = base + sum(evidence terms) + sum(finding terms), capped, clamped to 0..5, rounded half up.
A term names categories and gives `points` for the first item and `more` for each further
one (distinct places: a span that is both `brand` and `proprietary_technology` counts once;
evidence counts once per sentence),
bounded by `max` (evidence) or `min` (findings); with `per_name` a term counts one finding per
product or term named, not per place. `cap` limits the score while any unwaived finding of the
listed categories remains; `floor` raises it to a minimum, `ceiling` holds it to a maximum,
when a fact of the whole document holds (its award criteria stated; licensing terms set) and
an `unless` fact does not (the lowest price decides), the document's own words quoted as the
reason. Waived findings (justified exceptions) count with
`waived_factor` of their penalty. Info-level findings (e.g. a brand named as the legacy
system) do not count. Silence is not a 5: bases are low where a criterion needs evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import regex

from ospo_procure.constants import LANGUAGES
from ospo_procure.errors import DataError
from ospo_procure.excerpt import excerpt
from ospo_procure.model import (
    EVIDENCE_CATEGORIES,
    FINDING_CATEGORIES,
    FileResult,
    Finding,
)
from ospo_procure.rules.loader import RuleSet
from ospo_procure.rules.patterns import REGEX_TIMEOUT, compile_regex
from ospo_procure.scoring_model import CriterionScore, ScoreBound, ScoreCap, Scorecard, ScoreTerm
from ospo_procure.yamlio import LineMap, line_of, load_yaml, validate

_CATS = {"type": "array", "items": {"enum": list(FINDING_CATEGORIES) + list(EVIDENCE_CATEGORIES)}, "minItems": 1}
_TERM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["categories", "points"],
    "properties": {
        "categories": _CATS,
        # Only items of these rules count (an evidence category holds rules of different
        # strength: OSS required vs OSS allowed, a named standard vs an API in general words).
        "rules": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z][A-Z0-9-]*$"}, "minItems": 1},
        "points": {"type": "number"},
        "more": {"type": "number"},
        "max": {"type": "number"},
        "min": {"type": "number"},
        # Only items valued in the award: under a heading, or in a sentence, that `award_context`
        # matches (the bidder's open-source experience rated in the evaluation, not asked of staff).
        "in_award": {"type": "boolean"},
        # Findings count once per product or term named, not once per place: a tender that names
        # one platform ten times imposes one brand ("several brands" counts brands).
        "per_name": {"type": "boolean"},
        # Only findings whose role is one of these (the object of the purchase).
        "roles": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
}
_BOUND_ONE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fact", "score"],
    "properties": {
        "fact": {"type": "string"},
        "unless": {"type": "string"},
        "score": {"type": "number"},
        # Only a score already at least this high is raised (a floor) or held (a ceiling): the
        # award factors naming security lift weights to high, never a document without weights.
        "from": {"type": "number"},
    },
}
# A list of bounds, each on its own fact: the highest floor, or the lowest ceiling, that holds applies.
_BOUND = {"type": "array", "items": _BOUND_ONE, "minItems": 1}
RUBRIC_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["criteria"],
    "properties": {
        "version": {"type": "integer"},
        "waived_factor": {"type": "number", "minimum": 0, "maximum": 1},
        # Per language: regexes that mark a heading or a sentence as the award (evaluation) part.
        "award_context": {
            "type": "object",
            "propertyNames": {"enum": list(LANGUAGES)},
            "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        },
        # Facts of the whole document a criterion's `floor` or `ceiling` may rest on: per language, regexes
        # of the words that state the fact, and what the fact is (`says`, per language).
        "facts": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["cues"],
                "properties": {
                    "says": {"type": "object", "additionalProperties": {"type": "string"}, "required": ["en"]},
                    # Only words under a heading of the award part (one that `award_context`
                    # matches): the award factors name security, not the scope.
                    "in_award": {"type": "boolean"},
                    "cues": {
                        "type": "object",
                        "propertyNames": {"enum": list(LANGUAGES)},
                        "additionalProperties": {
                            "type": "array",
                            "items": {"type": "string", "minLength": 1},
                            "minItems": 1,
                        },
                    },
                },
            },
        },
        "criteria": {
            "type": "object",
            "propertyNames": {"enum": [str(i) for i in range(1, 10)]},
            "minProperties": 9,
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "base"],
                "properties": {
                    "title": {"type": "object", "additionalProperties": {"type": "string"}, "required": ["en"]},
                    "base": {"type": "number", "minimum": 0, "maximum": 5},
                    "evidence": {"type": "array", "items": _TERM},
                    "findings": {"type": "array", "items": _TERM},
                    "cap": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["categories", "score"],
                        "properties": {"categories": _CATS, "score": {"type": "number"}},
                    },
                    # At least (floor) or at most (ceiling) `score` when the document states
                    # `fact` and not `unless`.
                    "floor": _BOUND,
                    "ceiling": _BOUND,
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Fact:
    """A fact of the whole document (its award criteria stated; lowest price the only one):
    per language, the pattern of the words that state it, and what it is in words. With
    `in_award`, only words in the award part count (a heading above them names the evaluation:
    "5. Evaluation > Technical approach")."""

    name: str
    says: dict[str, str]
    cues: dict[str, regex.Pattern[str]]
    in_award: bool = False

    def words(self, result: FileResult, lang: str, award: regex.Pattern[str] | None = None) -> str | None:
        """The document's own words that state the fact, or None: the first sentence that states
        it, else the first heading over a section with text that names it (a heading alone, or a
        contents entry, states no rule). With `in_award`, only words under a heading of the award part."""
        pattern = self.cues.get(lang)
        if pattern is None or (self.in_award and award is None):
            return None
        blocks = result.blocks
        headed: str | None = None
        for i, block in enumerate(blocks):
            heading = block.kind == "heading"
            if heading and (headed is not None or i + 1 >= len(blocks) or blocks[i + 1].kind == "heading"):
                continue
            try:
                found = list(pattern.finditer(block.text, timeout=REGEX_TIMEOUT))
            except TimeoutError:  # a pathological block: the fact is not read there
                continue
            for m in found:
                if contents_entry(block.text, m.start(), m.end()):
                    continue
                if self.in_award and not (award is not None and award.search(block.location.heading or "")):
                    continue
                if not heading:
                    return _around(block.text, m.start(), m.end())
                headed = _around(block.text, m.start(), m.end())
                break
        return headed


# A contents entry names a clause without stating it. Three shapes, whatever the language: a link
# to a place in the same document ("[4.0 Basis for Award](#40-basis-for-award)"); a title whose
# line ends in a dot leader and a page number ("Award criteria ........ 12"); a title inside a
# run of titles in capitals with their numbers (a contents list read as one paragraph: "4.
# ADMINISTRATION 9 EVALUATION OF BIDS AWARD CRITERIA QUALIFICATION 11 ..."). A statement written
# in capitals ("AWARD CRITERION: LOWEST PRICE") has no run of titles around it.
_ANCHOR_LINK = regex.compile(r"\[[^\[\]\n]*\]\(#[^)\s]*\)")
_LEADER_PAGE = regex.compile(
    r"[^\n.;:!?]{0,80}?(?:(?:\.{4,}|…{2,}|_{4,})[\s.…_]*\d{1,4}\b|\t[ \t]*\d{1,4}[ \t]*(?:\n|$))"
)
_NUMBER = regex.compile(r"(?<!\w)\d{1,3}(?!\w)")
_RUN = 40  # characters of capitals on each side of the title
_REACH = 2000  # how far a run of capitals is followed


def contents_entry(text: str, start: int, end: int) -> bool:
    """Whether the words at text[start:end] are an entry of a table of contents, not a statement."""
    if any(m.start() <= start and end <= m.end() for m in _ANCHOR_LINK.finditer(text, max(0, start - 200), end + 200)):
        return True
    if _LEADER_PAGE.match(text, end):
        return True
    if any(c.islower() for c in text[start:end]):
        return False
    left, right = start, end
    while left > max(0, start - _REACH) and not text[left - 1].islower():
        left -= 1
    while right < min(len(text), end + _REACH) and not text[right].islower():
        right += 1
    return start - left >= _RUN and right - end >= _RUN and len(_NUMBER.findall(text, left, right)) >= 2


def _around(text: str, start: int, end: int) -> str:
    """The matched words with a little of their sentence, on one line."""
    ex = excerpt(text, start, end, radius=60)
    return ("…" if ex.truncated_before else "") + " ".join(ex.text.split()) + ("…" if ex.truncated_after else "")


@dataclass
class Rubric:
    criteria: dict[int, dict[str, Any]]
    waived_factor: float
    award_context: dict[str, regex.Pattern[str]] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)

    def in_award(self, item: Finding, lang: str) -> bool:
        """Whether an item sits in the award part: a heading above it or its own sentence
        names the evaluation ("6.0 Evaluation", "Factor 3", "The Government will evaluate")."""
        pattern = self.award_context.get(lang)
        if pattern is None:
            return False
        s, e = item.sentence or (0, len(item.context))
        return bool(pattern.search(item.location.heading or "") or pattern.search(item.context[s:e]))


@lru_cache(maxsize=8)
def load_rubric(path: Path) -> Rubric:
    data, lines = load_yaml(path)
    # YAML reads `1:` as an int key; the schema speaks of strings.
    if isinstance(data, dict) and isinstance(data.get("criteria"), dict):
        data["criteria"] = {str(k): v for k, v in data["criteria"].items()}
        lines.update(
            {("criteria", str(k[1]), *k[2:]): v for k, v in list(lines.items()) if len(k) > 1 and k[0] == "criteria"}
        )
    validate(data, RUBRIC_SCHEMA, path, lines)
    award = {
        lang: compile_regex(
            "|".join(f"(?:{c})" for c in cues),
            path=path,
            line=line_of(lines, ("award_context", lang)),
            what=f"award_context {lang}",
        )
        for lang, cues in (data.get("award_context") or {}).items()
    }
    facts = _load_facts(data, path, lines)
    return Rubric(
        {int(k): v for k, v in data["criteria"].items()},
        float(data.get("waived_factor", 0.25)),
        award,
        facts,
    )


def _load_facts(data: dict[str, Any], path: Path, lines: LineMap) -> dict[str, Fact]:
    """The rubric's facts, each cue list compiled per language; a floor or ceiling that names
    a fact the rubric lacks is an error naming the file and line."""
    facts = {
        name: Fact(
            name,
            spec.get("says") or {"en": name},
            {
                lang: compile_regex(
                    "|".join(f"(?:{c})" for c in cues),
                    path=path,
                    line=line_of(lines, ("facts", name, "cues", lang)),
                    what=f"fact {name} {lang}",
                )
                for lang, cues in spec["cues"].items()
            },
            bool(spec.get("in_award")),
        )
        for name, spec in (data.get("facts") or {}).items()
    }
    for number, spec in data["criteria"].items():
        for kind in ("floor", "ceiling"):
            for bound in bounds_of(spec, kind):
                for key in ("fact", "unless"):
                    if key in bound and bound[key] not in facts:
                        raise DataError(
                            f"criterion {number}: {kind} {key} {bound[key]!r} is not one of the rubric's facts",
                            path=path,
                            line=line_of(lines, ("criteria", number, kind)),
                        )
    return facts


def bounds_of(spec: dict[str, Any], kind: Literal["floor", "ceiling"]) -> list[dict[str, Any]]:
    """A criterion's floors (or ceilings), as the rubric lists them."""
    return list(spec.get(kind) or [])


def _distinct(items: list[Finding], *, per_sentence: bool = False) -> list[Finding]:
    """One item per place: overlapping spans in the same block count once. For evidence,
    one item per sentence: a sentence listing five open standards is one requirement."""
    out: list[Finding] = []
    for f in sorted(items, key=lambda f: (f.block_index, f.start)):
        if out and out[-1].block_index == f.block_index:
            prev = out[-1]
            if f.start < prev.end or (per_sentence and f.sentence is not None and f.sentence == prev.sentence):
                continue
        out.append(f)
    return out


_VERSION = regex.compile(r"[\W\d_]+")


def _name(f: Finding) -> str:
    """The product or term a finding names, without case, versions or punctuation
    ("Visual Studio 2015" and "visual studio 2017" name one product)."""
    return " ".join(_VERSION.sub(" ", f.match.casefold()).split())


def _per_name(items: list[Finding]) -> list[Finding]:
    """One item per name; an unwaived, error-level mention of the name stands for it."""
    best: dict[str, Finding] = {}
    rank = {"error": 0, "warning": 1}
    for f in items:
        key = _name(f) or f.match
        kept = best.get(key)
        if kept is None or (kept.waived, rank.get(kept.severity, 2)) > (f.waived, rank.get(f.severity, 2)):
            best[key] = f
    return list(best.values())


def _selected(term: dict[str, Any], items: list[Finding], rubric: Rubric, lang: str) -> list[Finding]:
    rules = term.get("rules")
    roles = term.get("roles")
    chosen = [
        f
        for f in items
        if f.category in term["categories"]
        and (rules is None or f.rule in rules)
        and (roles is None or f.role in roles)
    ]
    if term.get("in_award"):
        chosen = [f for f in chosen if rubric.in_award(f, lang)]
    return chosen


def _rules_of(term: dict[str, Any]) -> tuple[str, ...]:
    """The rules a term counts (a term may name them); empty means the whole categories."""
    return tuple(term.get("rules") or ())


def _term_value(term: dict[str, Any], n: float) -> float:
    if n <= 0:
        return 0.0
    # Less than one item (a waived finding counts for a fraction of one): that fraction of
    # the first item's points, so a waiver always softens the penalty.
    value = term["points"] * n if n < 1 else term["points"] + term.get("more", 0.0) * (n - 1)
    if "max" in term:
        value = min(value, term["max"])
    if "min" in term:
        value = max(value, term["min"])
    return value


def score_result(result: FileResult, ruleset: RuleSet, lang: str | None = None) -> Scorecard:
    rubric = ruleset.rubric or load_rubric(ruleset.directory / "checklist.yaml")  # cached with the rule set
    lang = lang or result.language or "en"
    counted = [f for f in result.findings if f.severity != "info"]
    facts = _Facts(rubric, result)
    criteria = {
        number: _criterion(number, spec, result, counted, rubric, lang, facts)
        for number, spec in sorted(rubric.criteria.items())
    }
    overall = round(sum(c.score for c in criteria.values()) / max(1, len(criteria)), 1)
    return Scorecard(criteria=criteria, overall=overall, unreadable=result.unreadable)


def _terms(
    kind: Literal["evidence", "findings"], spec: dict[str, Any], items: list[Finding], rubric: Rubric, doc_lang: str
) -> tuple[list[ScoreTerm], list[Finding]]:
    """The criterion's terms of one kind that apply, and the distinct items behind them."""
    waived_factor = rubric.waived_factor
    terms: list[ScoreTerm] = []
    used: list[Finding] = []
    for term in spec.get(kind, []):
        selected = _distinct(_selected(term, items, rubric, doc_lang), per_sentence=kind == "evidence")
        if term.get("per_name"):
            selected = _per_name(selected)
        if not selected:
            continue
        waived = sum(1 for f in selected if f.waived) if kind == "findings" else 0
        n = len(selected) - waived + waived_factor * waived
        factor = waived_factor if kind == "findings" else 1.0
        terms.append(
            ScoreTerm(
                kind, tuple(term["categories"]), len(selected), _term_value(term, n), waived, factor, _rules_of(term)
            )
        )
        used.extend(i for i in selected if all(i is not u for u in used))
    return terms, used


class _Facts:
    """The rubric's facts of one document, each looked up once, in the document's language."""

    def __init__(self, rubric: Rubric, result: FileResult) -> None:
        self.rubric, self.result = rubric, result
        self.lang = result.language or "en"
        self.found: dict[str, str | None] = {}

    def words(self, name: str) -> str | None:
        if name not in self.found:
            self.found[name] = self.rubric.facts[name].words(
                self.result, self.lang, self.rubric.award_context.get(self.lang)
            )
        return self.found[name]


def _criterion(
    number: int,
    spec: dict[str, Any],
    result: FileResult,
    counted: list[Finding],
    rubric: Rubric,
    lang: str,
    facts: _Facts,
) -> CriterionScore:
    """One criterion: base + its evidence and finding terms, capped, clamped to 0..5. Titles are
    worded in `lang`; award headings are read in the document's own language."""
    doc_lang = result.language or lang
    ev_terms, evidence_used = _terms("evidence", spec, result.evidence, rubric, doc_lang)
    f_terms, findings_used = _terms("findings", spec, counted, rubric, doc_lang)
    terms = ev_terms + f_terms
    score = float(spec["base"]) + sum(t.points for t in terms)
    cap = spec.get("cap")
    applied = None
    if cap and score > cap["score"] and any(f.category in cap["categories"] and not f.waived for f in counted):
        applied = ScoreCap(float(cap["score"]), tuple(cap["categories"]))
        score = applied.score
    bound = _bound("ceiling", spec, score, rubric, facts) or _bound("floor", spec, score, rubric, facts)
    if bound is not None:
        score = bound.score
    return CriterionScore(
        number=number,
        title=spec["title"].get(lang) or spec["title"]["en"],
        score=int(min(5, max(0, math.floor(score + 0.5)))),
        evidence=tuple(evidence_used),
        findings=tuple(findings_used),
        base=float(spec["base"]),
        terms=tuple(terms),
        cap=applied,
        bound=bound,
        total=score,
        unreadable=result.unreadable,
    )


def _bound(
    kind: Literal["floor", "ceiling"], spec: dict[str, Any], score: float, rubric: Rubric, facts: _Facts
) -> ScoreBound | None:
    """The highest floor above the score (or the lowest ceiling below it) whose fact the document
    states, whose `unless` fact it does not state, and whose `from` the score reaches."""
    best: dict[str, Any] | None = None
    words = ""
    for bound in bounds_of(spec, kind):
        target = float(bound["score"])
        if (score >= target if kind == "floor" else score <= target) or score < bound.get("from", -math.inf):
            continue
        if best is not None and (target <= best["score"] if kind == "floor" else target >= best["score"]):
            continue
        found = facts.words(bound["fact"])
        if found is None or ("unless" in bound and facts.words(bound["unless"]) is not None):
            continue
        best, words = bound, found
    if best is None:
        return None
    fact = rubric.facts[best["fact"]]
    return ScoreBound(kind, float(best["score"]), fact.name, fact.says, words)


def check_rubric(ruleset: RuleSet) -> None:
    path = ruleset.directory / "checklist.yaml"
    if not path.is_file():
        raise DataError("missing checklist.yaml (the scoring rubric)", path=ruleset.directory)
    rubric = load_rubric(path)
    categories = {r.id: r.category for r in ruleset.rules}
    for number, spec in sorted(rubric.criteria.items()):
        for key in ("evidence", "findings"):
            for term in spec.get(key, []):
                # A folder may lack some of the rules a copied rubric names (that term then counts
                # nothing); a named rule of another category is a mistake.
                for rule_id in term.get("rules", []):
                    if rule_id in categories and categories[rule_id] not in term["categories"]:
                        raise DataError(
                            f"criterion {number}: rule {rule_id} is of category {categories[rule_id]!r}, "
                            f"not one of the term's categories ({', '.join(term['categories'])})",
                            path=path,
                        )
