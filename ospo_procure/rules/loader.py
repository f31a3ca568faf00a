"""Load and validate a rule folder (lint_rules/) into a RuleSet.

Layout of a rule folder:
  rules/*.yaml        rule files (schema: ospo_procure/rules/schema.py, docs/rules.md)
  context.yaml        named context checks (or_equivalent, legacy, negated...) with cues per language
  lexicons/products.yaml, lexicons/formats.yaml
  checklist.yaml      the scoring rubric (read by ospo_procure.scoring)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from ospo_procure.errors import DataError
from ospo_procure.paths import cache_dir, data_dir
from ospo_procure.rules import schema
from ospo_procure.rules.lexicons import (
    FormatLexicon,
    ProductLexicon,
    load_formats,
    load_products,
)
from ospo_procure.yamlio import line_of, load_yaml, validate

REGEX_FLAGS = regex.IGNORECASE | regex.UNICODE | regex.V0
REGEX_TIMEOUT = 0.25  # seconds per regex per block at lint time
# Inputs that make badly written patterns backtrack; a sound pattern runs them in microseconds.
_ADVERSARIAL = ["a" * 3000 + "!", " " * 3000 + "!", "per " * 800 + "!", "aa-" * 1000, "1." * 1500 + "x"]


class Patterns:
    """Regular expressions per language ("any" applies to every language).

    Compiling the `regex` module's patterns is the slowest part of loading a rule folder, so
    a folder that was validated before (same bytes, see `_validated_marker`) compiles each
    language on first use; a new or edited folder compiles and probes everything on load,
    so a bad pattern is reported with its file and line before any linting.
    """

    def __init__(
        self,
        raw: dict[str, Any],
        *,
        path: Path,
        line: int | None,
        what: str,
        eager: bool,
        macros: dict[str, str] | None = None,
    ) -> None:
        self.raw = {lang: [_expand(p, macros or {}) for p in _as_list(ps)] for lang, ps in (raw or {}).items()}
        self._where = (path, line, what)
        self._compiled: dict[str, list[regex.Pattern[str]]] = {}
        if eager:
            for lang in self.raw:
                self._compile(lang, probe=True)

    def _compile(self, lang: str, probe: bool = False) -> list[regex.Pattern[str]]:
        if lang not in self._compiled:
            path, line, what = self._where
            self._compiled[lang] = [
                compile_regex(p, path=path, line=line, what=what, probe=probe) for p in self.raw.get(lang, [])
            ]
        return self._compiled[lang]

    def for_lang(self, lang: str) -> list[regex.Pattern[str]]:
        return self._compile(lang) + self._compile("any")

    def __bool__(self) -> bool:
        return bool(self.raw)


@dataclass
class CueCheck:
    """A context test: does a cue (regex) occur in the sentence / before / after the match?"""

    name: str
    cues: Patterns
    scope: str = "sentence"
    window: int = 200
    action: str = "suppress"
    note: dict[str, str] = field(default_factory=dict)  # why the severity changed, per language

    def patterns(self, lang: str) -> list[regex.Pattern[str]]:
        return self.cues.for_lang(lang)


@dataclass
class Matcher:
    kind: str  # lexicon | phrases | tokens | regex
    lexicon: str | None = None
    finding: str | None = None
    phrases: dict[str, list[str]] = field(default_factory=dict)
    attr: str = "lemma"
    tokens: dict[str, list[list[dict[str, Any]]]] = field(default_factory=dict)
    regex: Patterns | None = None
    requires: CueCheck | None = None


@dataclass
class Rule:
    id: str
    kind: str
    category: str
    severity: str
    criteria: tuple[int, ...]
    languages: tuple[str, ...]
    legal_basis: str
    description: dict[str, str]
    message: dict[str, str]
    suggestion: dict[str, str]
    matchers: list[Matcher]
    exceptions: list[CueCheck]
    examples: dict[str, dict[str, list[str]]]
    source: str  # "file:line"

    def text(self, what: str, lang: str | None) -> str:
        table: dict[str, str] = getattr(self, what)
        return table.get(lang or "en") or table.get("en") or next(iter(table.values()), "")


@dataclass
class Context:
    checks: dict[str, CueCheck]
    product_context: Patterns
    ordinary_context: Patterns
    edition_words: frozenset[str]


@dataclass(eq=False)  # hashed by identity: compiled matchers are cached per RuleSet
class RuleSet:
    directory: Path
    rules: list[Rule]
    context: Context
    products: ProductLexicon
    formats: FormatLexicon
    files: list[Path]

    @property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def select(self, select: list[str] | None = None, ignore: list[str] | None = None) -> RuleSet:
        """A copy keeping rules whose id or category is selected and not ignored."""

        def hit(rule: Rule, names: list[str]) -> bool:
            return any(n.upper() == rule.id or n.lower() == rule.category for n in names)

        kept = [r for r in self.rules if (not select or hit(r, select)) and not (ignore and hit(r, ignore))]
        return RuleSet(self.directory, kept, self.context, self.products, self.formats, self.files)


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _expand(pattern: str, macros: dict[str, str]) -> str:
    """Replace {name} macros (e.g. {open_formats}, from the formats lexicon) in a cue pattern.
    Regex quantifiers such as {0,60} are not names and stay as they are."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)


def _text_map(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    return {"en": value} if isinstance(value, str) else dict(value)


def compile_regex(pattern: str, *, path: Path, line: int | None, what: str, probe: bool = True) -> regex.Pattern[str]:
    try:
        compiled = regex.compile(pattern, REGEX_FLAGS)
    except regex.error as exc:
        raise DataError(f"{what}: bad regular expression {pattern!r}: {exc}", path=path, line=line) from None
    for text in _ADVERSARIAL if probe else ():
        try:
            compiled.search(text, timeout=0.05)
        except TimeoutError:
            raise DataError(
                f"{what}: regular expression {pattern!r} backtracks catastrophically; simplify it "
                "(avoid nested quantifiers such as (a+)+)",
                path=path,
                line=line,
            ) from None
    return compiled


@dataclass
class _Loading:
    """What every loader function needs: where we are and whether to validate fully."""

    path: Path
    lines: dict
    eager: bool  # False when the same folder content was validated before
    term_lists: dict[str, Any] = field(default_factory=dict)  # shared across the folder's files
    macros: dict[str, str] = field(default_factory=dict)

    def patterns(self, raw: dict[str, Any], line: int | None, what: str) -> Patterns:
        return Patterns(raw, path=self.path, line=line, what=what, eager=self.eager, macros=self.macros)

    def validate(self, data: Any, schema_: dict[str, Any]) -> None:
        if self.eager:
            validate(data, schema_, self.path, self.lines)

    def terms(self, name: str, line: int | None, what: str) -> dict[str, Any]:
        """A term list from lexicons/terms/NAME.yaml (loaded once per folder load)."""
        if name not in self.term_lists:
            path = self.path.parent.parent / "lexicons" / "terms" / f"{name}.yaml"
            if not path.is_file():
                raise DataError(f"{what}: no term list {name!r} (expected {path})", path=self.path, line=line)
            data, lines = load_yaml(path)
            if self.eager:
                validate(data, schema.TERMS_FILE, path, lines)
            self.term_lists[name] = data
        return self.term_lists[name]


def _cue_check(name: str, raw: dict[str, Any], ld: _Loading, line: int | None) -> CueCheck:
    return CueCheck(
        name=name,
        cues=ld.patterns(raw["cues"], line, f"check {name}"),
        scope=raw.get("scope", "sentence"),
        window=raw.get("window", 200),
    )


def load_context(path: Path, eager: bool = True, macros: dict[str, str] | None = None) -> Context:
    data, lines = load_yaml(path)
    ld = _Loading(path, lines, eager, macros=macros or {})
    ld.validate(data, schema.CONTEXT_FILE)
    checks = {name: _cue_check(name, raw, ld, line_of(lines, ("checks", name))) for name, raw in data["checks"].items()}
    return Context(
        checks=checks,
        product_context=ld.patterns(
            data.get("product_context", {}), line_of(lines, ("product_context",)), "product_context"
        ),
        ordinary_context=ld.patterns(
            data.get("ordinary_context", {}), line_of(lines, ("ordinary_context",)), "ordinary_context"
        ),
        edition_words=frozenset(w.lower() for w in data.get("edition_words", [])),
    )


def _load_rule(raw: dict[str, Any], at: tuple[Any, ...], ld: _Loading, context: Context) -> Rule:
    path, lines = ld.path, ld.lines
    rid = raw["id"]
    matchers: list[Matcher] = []
    for i, m in enumerate(raw["matchers"]):
        mline = line_of(lines, (*at, "matchers", i))
        what = f"rule {rid}"
        requires = _cue_check(f"{rid}:requires", m["requires"], ld, mline) if "requires" in m else None
        if "lexicon" in m:
            if m["lexicon"] == "products" and "finding" not in m:
                raise DataError(
                    f"{what}: a products lexicon matcher needs `finding:` (brand or proprietary_technology)",
                    path=path,
                    line=mline,
                )
            matchers.append(Matcher("lexicon", lexicon=m["lexicon"], finding=m.get("finding"), requires=requires))
        elif "phrases" in m:
            matchers.append(
                Matcher(
                    "phrases",
                    phrases={k: list(v) for k, v in m["phrases"].items()},
                    attr=m.get("attr", "lemma"),
                    requires=requires,
                )
            )
        elif "terms" in m:
            terms = ld.terms(m["terms"], mline, what)
            attr = m.get("attr", terms.get("attr", "lemma"))
            matchers.append(
                Matcher(
                    "phrases", phrases={k: list(v) for k, v in terms["phrases"].items()}, attr=attr, requires=requires
                )
            )
        elif "tokens" in m:
            if ld.eager:
                _check_token_patterns(m["tokens"], path, mline, what)
            matchers.append(Matcher("tokens", tokens=m["tokens"], requires=requires))
        else:
            matchers.append(Matcher("regex", regex=ld.patterns(m["regex"], mline, what), requires=requires))
    exceptions: list[CueCheck] = []
    for i, e in enumerate(raw.get("exceptions", [])):
        eline = line_of(lines, (*at, "exceptions", i))
        if isinstance(e, str):
            e = {"check": e}
        if "cues" in e:
            check = _cue_check(e.get("check", f"{rid}:exception{i + 1}"), e, ld, eline)
        else:
            if e["check"] not in context.checks:
                raise DataError(
                    f"rule {rid}: unknown check {e['check']!r} (defined in context.yaml: {', '.join(sorted(context.checks))})",
                    path=path,
                    line=eline,
                )
            base = context.checks[e["check"]]
            check = CueCheck(base.name, base.cues, e.get("scope", base.scope), e.get("window", base.window))
        check.action = e.get("action", "suppress")
        check.note = _text_map(e.get("note"))
        exceptions.append(check)
    languages = tuple(raw["languages"])
    examples = {k: {lang: list(v) for lang, v in raw["examples"].get(k, {}).items()} for k in ("bad", "good")}
    for lang in languages:
        if lang not in examples["bad"]:
            raise DataError(
                f"rule {rid}: no bad example in {lang!r} (each language needs one)",
                path=path,
                line=line_of(lines, (*at, "examples")),
            )
    return Rule(
        id=rid,
        kind=raw.get("kind", "evidence" if raw["category"] in schema.EVIDENCE_CATEGORIES else "finding"),
        category=raw["category"],
        severity=raw["severity"],
        criteria=tuple(raw["criteria"]),
        languages=languages,
        legal_basis=raw.get("legal_basis", ""),
        description=_text_map(raw.get("description")),
        message=_text_map(raw["message"]),
        suggestion=_text_map(raw.get("suggestion")),
        matchers=matchers,
        exceptions=exceptions,
        examples=examples,
        source=f"{path}:{line_of(lines, at)}",
    )


def _check_token_patterns(tokens: dict[str, Any], path: Path, line: int | None, what: str) -> None:
    """Validate spaCy token patterns now, so a typo is a load error with a line, not a crash later."""
    from spacy.matcher import Matcher as SpacyMatcher
    from spacy.vocab import Vocab

    probe = SpacyMatcher(Vocab(), validate=True)
    for lang, patterns in tokens.items():
        try:
            probe.add("probe", patterns)
        except Exception as exc:  # spaCy raises ValueError/MatchPatternError with a long text
            first = str(exc).strip().splitlines()
            raise DataError(
                f"{what}: bad token pattern ({lang}): {' '.join(first)[:200]}", path=path, line=line
            ) from None


def load_ruleset(directory: str | Path | None = None) -> RuleSet:
    root = Path(directory) if directory else data_dir("lint_rules")
    return _load_cached(root.resolve())


def _folder_files(root: Path) -> list[Path]:
    lexicons = sorted((root / "lexicons").glob("*.yaml")) + sorted((root / "lexicons" / "terms").glob("*.yaml"))
    return [root / "context.yaml", root / "checklist.yaml", *lexicons, *_rule_files(root)]


def _rule_files(root: Path) -> list[Path]:
    return sorted((root / "rules").glob("*.yaml")) + sorted((root / "rules").glob("*.yml"))


def _validated_marker(root: Path) -> Path | None:
    """A cache file whose existence says: this exact folder content passed full validation."""
    import hashlib

    from ospo_procure import __version__

    digest = hashlib.sha256(f"{__version__}|{regex.__version__}".encode())
    try:
        for f in _folder_files(root):
            if f.is_file():
                digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    except OSError:
        return None
    return cache_dir() / f"rules-validated-{digest.hexdigest()[:24]}"


@lru_cache(maxsize=8)
def _load_cached(root: Path) -> RuleSet:
    if not root.is_dir():
        raise DataError("rule folder not found", path=root)
    context_path = root / "context.yaml"
    if not context_path.is_file():
        raise DataError("missing context.yaml in the rule folder", path=root)
    marker = _validated_marker(root)
    eager = marker is None or not marker.exists()
    products = load_products(root / "lexicons" / "products.yaml", validate_schema=eager)
    formats = load_formats(root / "lexicons" / "formats.yaml", validate_schema=eager)
    macros = {"open_formats": formats.open_formats_regex()}
    context = load_context(context_path, eager, macros=macros)
    rule_files = _rule_files(root)
    if not rule_files:
        raise DataError("no rule files (rules/*.yaml) in the rule folder", path=root)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    term_lists: dict[str, Any] = {}
    for path in rule_files:
        data, lines = load_yaml(path)
        ld = _Loading(path, lines, eager, term_lists, macros)
        ld.validate(data, schema.RULE_FILE)
        for i, raw in enumerate(data["rules"]):
            rule = _load_rule(raw, ("rules", i), ld, context)
            if rule.id in seen:
                raise DataError(
                    f"duplicate rule id {rule.id} (also in {seen[rule.id]})",
                    path=path,
                    line=line_of(lines, ("rules", i, "id")),
                )
            seen[rule.id] = rule.source
            rules.append(rule)
    if eager and marker is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass  # no cache: the next run validates again
    return RuleSet(root, rules, context, products, formats, rule_files)
