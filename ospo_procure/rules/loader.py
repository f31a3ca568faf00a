"""Load and validate a rule folder (lint_rules/) into a RuleSet.

Layout of a rule folder:
  rules/*.yaml        rule files (schema: ospo_procure/rules/schema.py, docs/rules.md)
  context.yaml        when an ordinary-word product name ("Windows", "Teams") is the product
  roles.yaml          the role of every mention: cues, sections, stated object (ospo_procure/roles.py)
  lexicons/products.yaml, lexicons/formats.yaml
  checklist.yaml      the scoring rubric (read by ospo_procure.scoring)

A folder is loaded in full (schemas, every regex compiled and probed) the first time its
exact content is seen; the result, with everything derived from it, is cached on disk
(rules/cache.py) and later runs load it in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ospo_procure.errors import DataError
from ospo_procure.paths import data_dir
from ospo_procure.rules import cache, prefilter, schema
from ospo_procure.rules.lexicons import (
    FormatLexicon,
    LexiconPass,
    ProductLexicon,
    load_formats,
    load_products,
)
from ospo_procure.rules.matchers import Matcher, matcher_kind
from ospo_procure.rules.names import FILE_NAME as NAMES_FILE
from ospo_procure.rules.names import load_names, word_lexicons
from ospo_procure.rules.patterns import CueCheck, LoadEnv, Patterns, compile_regex
from ospo_procure.yamlio import line_of, load_yaml

if TYPE_CHECKING:
    from ospo_procure.nlp import LanguageTables
    from ospo_procure.roles import RoleModel
    from ospo_procure.scoring import Rubric

__all__ = ["Context", "Rule", "RuleException", "RuleSet", "compile_regex", "load_ruleset"]


@dataclass
class RuleException:
    """A rule's own wording trap: when its cue is found, the match is dropped, or given
    `role` (one of model.ROLES), or reported at no more than `severity`, with `note`.
    What a mention is doing in general (its role) comes from roles.yaml, not from here."""

    check: CueCheck
    role: str | None = None
    severity: str | None = None
    note: dict[str, str] = field(default_factory=dict)  # why, per language

    @property
    def name(self) -> str:
        return self.check.name


@dataclass
class Rule:
    id: str
    kind: str
    category: str
    severity: str
    criteria: tuple[int, ...]
    languages: tuple[str, ...]
    legal_basis: dict[str, str]  # per language (a plain string in the YAML is English)
    description: dict[str, str]
    message: dict[str, str]
    suggestion: dict[str, str]
    matchers: list[Matcher]
    exceptions: list[RuleException]
    examples: dict[str, dict[str, list[str]]]
    source: str  # "file:line"

    def text(self, what: str, lang: str | None) -> str:
        table: dict[str, str] = getattr(self, what)
        return table.get(lang or "en") or table.get("en") or next(iter(table.values()), "")


@dataclass
class Context:
    """context.yaml: when an ordinary-word product name ("Windows", "Teams") is the product."""

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
    roles: RoleModel
    key: str = ""  # the cache key: folder content and environment (rules/cache.py)
    rubric: Rubric | None = None  # checklist.yaml, when it loaded (scoring reports its errors)
    # Per language, the words of every rule's phrase and token patterns (whose lemmas the
    # linter needs), and the language tables built from them (shared by selections).
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    _tables: dict[str, LanguageTables] = field(default_factory=dict, repr=False)
    # The prefilter's analysis of every regex in the folder (rules/prefilter.py), cached.
    analyses: dict[str, Any] = field(default_factory=dict, repr=False)
    _lexicon_pass: LexiconPass | None = field(default=None, repr=False)

    def lexicon_pass(self) -> LexiconPass:
        """The products, vendors and formats lexicons' keys in one automaton (built with the
        cached rule set; here only for a rule set made otherwise)."""
        if self._lexicon_pass is None:
            self._lexicon_pass = LexiconPass(
                [self.products.surfaces, self.products.vendor_surfaces, self.formats.surfaces]
            )
        return self._lexicon_pass

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_tables": {}}

    @property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def select(self, select: list[str] | None = None, ignore: list[str] | None = None) -> RuleSet:
        """A copy keeping rules whose id or category is selected and not ignored."""

        def hit(rule: Rule, names: list[str]) -> bool:
            return any(n.upper() == rule.id or n.lower() == rule.category for n in names)

        kept = [r for r in self.rules if (not select or hit(r, select)) and not (ignore and hit(r, ignore))]
        return RuleSet(
            self.directory,
            kept,
            self.context,
            self.products,
            self.formats,
            self.files,
            self.roles,
            self.key,
            self.rubric,
            self.words,
            self._tables,
            self.analyses,
            self._lexicon_pass,
        )

    def tables(self, lang: str) -> LanguageTables:
        """Tokenizer, sentencizer and lemma tables for `lang` (nlp.py), cached on disk with
        the rule set: built with spaCy the first time, loaded in milliseconds after."""
        if lang not in self._tables:
            from ospo_procure.nlp import build_language_tables

            words = self.words.get(lang, frozenset())
            self._tables[lang] = cache.load_or_build(
                f"lang-{lang}", f"{self.key}|{lang}", lambda: build_language_tables(lang, words)
            )
        return self._tables[lang]


def _text_map(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    return {"en": value} if isinstance(value, str) else dict(value)


def load_context(path: Path, eager: bool = True, macros: dict[str, str] | None = None) -> Context:
    data, lines = load_yaml(path)
    ld = LoadEnv(path, lines, eager, macros=macros or {})
    ld.validate(data or {}, schema.CONTEXT_FILE)
    data = data or {}
    return Context(
        product_context=ld.patterns(
            data.get("product_context", {}), line_of(lines, ("product_context",)), "product_context"
        ),
        ordinary_context=ld.patterns(
            data.get("ordinary_context", {}), line_of(lines, ("ordinary_context",)), "ordinary_context"
        ),
        edition_words=frozenset(w.lower() for w in data.get("edition_words", [])),
    )


def _load_matchers(raw: dict[str, Any], at: tuple[Any, ...], ld: LoadEnv) -> list[Matcher]:
    """Each matcher through the kind registry (rules/matchers.py)."""
    out: list[Matcher] = []
    for i, m in enumerate(raw["matchers"]):
        out.append(matcher_kind(m).load(m, ld, line_of(ld.lines, (*at, "matchers", i)), f"rule {raw['id']}"))
    return out


def _load_exceptions(raw: dict[str, Any], at: tuple[Any, ...], ld: LoadEnv) -> list[RuleException]:
    rid = raw["id"]
    exceptions: list[RuleException] = []
    for i, e in enumerate(raw.get("exceptions", [])):
        line = line_of(ld.lines, (*at, "exceptions", i))
        check = ld.cue_check(e.get("name", f"{rid}:exception{i + 1}"), e, line)
        exceptions.append(RuleException(check, e.get("role"), e.get("severity"), _text_map(e.get("note"))))
    return exceptions


def _load_rule(raw: dict[str, Any], at: tuple[Any, ...], ld: LoadEnv) -> Rule:
    rid = raw["id"]
    languages = tuple(raw["languages"])
    examples = {k: {lang: list(v) for lang, v in raw["examples"].get(k, {}).items()} for k in ("bad", "good")}
    for lang in languages:
        if lang not in examples["bad"]:
            raise ld.error(
                f"rule {rid}: no bad example in {lang!r} (each language needs one)",
                line_of(ld.lines, (*at, "examples")),
            )
    return Rule(
        id=rid,
        kind=raw.get("kind", "evidence" if raw["category"] in schema.EVIDENCE_CATEGORIES else "finding"),
        category=raw["category"],
        severity=raw["severity"],
        criteria=tuple(raw["criteria"]),
        languages=languages,
        legal_basis=_text_map(raw.get("legal_basis") or None),
        description=_text_map(raw.get("description")),
        message=_text_map(raw["message"]),
        suggestion=_text_map(raw.get("suggestion")),
        matchers=_load_matchers(raw, at, ld),
        exceptions=_load_exceptions(raw, at, ld),
        examples=examples,
        source=f"{ld.path}:{line_of(ld.lines, at)}",
    )


def load_ruleset(directory: str | Path | None = None) -> RuleSet:
    root = Path(directory) if directory else data_dir("lint_rules")
    return _load_cached(root.resolve())


def _folder_files(root: Path) -> list[Path]:
    lexicons = sorted((root / "lexicons").glob("*.yaml")) + sorted((root / "lexicons" / "terms").glob("*.yaml"))
    return [root / "context.yaml", root / "roles.yaml", root / "checklist.yaml", *lexicons, *_rule_files(root)]


def _rule_files(root: Path) -> list[Path]:
    return sorted((root / "rules").glob("*.yaml")) + sorted((root / "rules").glob("*.yml"))


@lru_cache(maxsize=8)
def _load_cached(root: Path) -> RuleSet:
    if not root.is_dir():
        raise DataError("rule folder not found", path=root)
    if not (root / "context.yaml").is_file():
        raise DataError("missing context.yaml in the rule folder", path=root)
    try:
        key = f"{cache.folder_digest(root)}|{cache.environment_digest()}"
    except OSError as exc:
        raise DataError(f"cannot read the rule folder ({exc.strerror or exc})", path=root) from None
    ruleset = cache.load_or_build("ruleset", key, lambda: _build(root, key))
    ruleset.directory = root  # the same content may be cached from another place
    prefilter.remember(ruleset.analyses)
    return ruleset


def _build(root: Path, key: str) -> RuleSet:
    """Load and validate the folder in full, and everything derived from it that is cached."""
    products = load_products(root / "lexicons" / "products.yaml")
    formats = load_formats(root / "lexicons" / "formats.yaml")
    word_lexicons(products, formats, load_names(root / "lexicons" / NAMES_FILE))
    macros = {"open_formats": formats.open_formats_regex()}
    context = load_context(root / "context.yaml", True, macros=macros)
    from ospo_procure.roles import load_roles  # not at import time: roles.py uses this package

    roles_path = root / "roles.yaml"
    if not roles_path.is_file():
        raise DataError("missing roles.yaml in the rule folder (docs/roles.md)", path=root)
    roles = load_roles(roles_path, True, macros=macros)
    rule_files = _rule_files(root)
    if not rule_files:
        raise DataError("no rule files (rules/*.yaml) in the rule folder", path=root)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    term_lists: dict[str, Any] = {}
    for path in rule_files:
        data, lines = load_yaml(path)
        ld = LoadEnv(path, lines, True, term_lists, macros)
        ld.validate(data, schema.RULE_FILE)
        ld.macros = {**macros, **(data.get("macros") or {})}  # a file's own macros stay in that file
        for i, raw in enumerate(data["rules"]):
            rule = _load_rule(raw, ("rules", i), ld)
            if rule.id in seen:
                raise DataError(
                    f"duplicate rule id {rule.id} (also in {seen[rule.id]})",
                    path=path,
                    line=line_of(lines, ("rules", i, "id")),
                )
            seen[rule.id] = rule.source
            rules.append(rule)
    ruleset = RuleSet(root, rules, context, products, formats, rule_files, roles, key, _rubric(root))
    ruleset.words = {
        lang: frozenset(w for rule in rules for m in rule.matchers for w in m.words(lang))
        for lang in sorted({lang for rule in rules for lang in rule.languages})
    }
    formats.surfaces.build()
    ruleset.lexicon_pass()
    ruleset.analyses = prefilter.analyses(
        sorted({p for patterns in _all_patterns(ruleset) for p in patterns.sources()})
    )
    return ruleset


def _all_patterns(ruleset: RuleSet) -> list[Patterns]:
    """Every Patterns object of the rules, the context and the role model."""
    found: list[Patterns] = []
    seen: set[int] = set()

    def walk(obj: Any) -> None:
        if id(obj) in seen or isinstance(obj, (str, bytes, int, float, Path, ProductLexicon, FormatLexicon)):
            return
        seen.add(id(obj))
        if isinstance(obj, Patterns):
            found.append(obj)
        elif isinstance(obj, dict):
            for value in obj.values():
                walk(value)
        elif isinstance(obj, (list, tuple, set, frozenset)):
            for value in obj:
                walk(value)
        elif hasattr(obj, "__dict__"):
            for value in vars(obj).values():
                walk(value)

    walk([ruleset.rules, ruleset.context, ruleset.roles])
    return found


def _rubric(root: Path) -> Rubric | None:
    from ospo_procure.scoring import load_rubric

    path = root / "checklist.yaml"
    try:
        return load_rubric(path) if path.is_file() else None
    except DataError:
        return None  # reported when a document is scored, as before
