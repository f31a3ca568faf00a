"""Matcher kinds: one small class per kind of pattern a rule can use, in one registry.

Each kind owns its whole life cycle, the way Vale gives each check kind its own type:
  load      read and validate its YAML (file:line errors), at rule-folder load time
  words     the lemma vocabulary it needs from the NLP pipeline
  compile   turn every use of the kind in a language into one Scanner
  scan      (the Scanner) find candidates in one block

Kinds: `lexicon` (products, vendors and formats lexicons, Aho-Corasick on raw text),
`phrases` (inline phrases or a `terms:` list, spaCy PhraseMatcher on lower-cased lookup
lemmas), `tokens` (spaCy token patterns) and `regex` (the `regex` module with a timeout,
behind a literal prefilter). The loader and the matching code only go through
`MATCHER_KINDS` and `matcher_kind`, never through a kind's name.

A pattern or cue that times out on a block is not silently skipped: it becomes a warning
on the block, which the linter reports on the file.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import regex

from ospo_procure.rules.lexicons import FormatEntry, LexHit, ProductEntry, VendorHit
from ospo_procure.rules.patterns import REGEX_TIMEOUT, CueCheck, LoadEnv
from ospo_procure.rules.prefilter import Prefilter

if TYPE_CHECKING:
    from ospo_procure.rules.loader import Rule, RuleSet

_VERSIONISH = re.compile(r"^(?:v?\d[\w.]*|[IVX]+|E\d|R\d|XP|Vista|NT|S/4HANA|z/OS|\d{2,4}[a-z]?)$", re.IGNORECASE)


# --------------------------------------------------------------------------- block state


@dataclass
class Candidate:
    """A raw match of one matcher of one rule, before the role stage decides what it means."""

    rule: Rule
    start: int
    end: int
    matcher: Matcher | None = None
    product: ProductEntry | None = None
    fmt: FormatEntry | None = None
    vendor: str | None = None  # a vendor named on its own (vendors lexicon)
    # Filled by the role stage (ospo_procure/roles.py):
    severity: str | None = None
    note: str | None = None
    role: str | None = None
    role_reason: str = ""

    @property
    def mention(self) -> str:
        """What kind of thing was named: product, vendor, format or term (phrases, clauses)."""
        return self.matcher.mention if self.matcher is not None else "term"


@dataclass
class BlockContext:
    """A block's text with its sentence spans, its lexicon hits (computed once, shared by
    every rule) and the warnings raised while checking it."""

    text: str
    sents: list[tuple[int, int]]
    lang: str
    index: int = 0  # block index in the document
    label: str = ""  # the block's location, for warnings
    doc: Any = None  # the spaCy Doc (phrase and token matchers need it)
    warnings: list[str] = field(default_factory=list)
    product_hits: list[LexHit] | None = None
    format_hits: list[tuple[int, int, FormatEntry, str]] | None = None
    vendor_hits: list[VendorHit] | None = None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        for s, e in self.sents:
            if s <= start < e:
                return s, max(e, end)
        return 0, len(self.text)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The part of the sentence between semicolons that holds the span."""
        s, e = self.sentence(start, end)
        left = self.text.rfind(";", s, start)
        right = self.text.find(";", end, e)
        return (left + 1 if left >= 0 else s), (right if right >= 0 else e)

    def region(self, scope: str, window: int, start: int, end: int) -> tuple[int, int]:
        """The (start, end) slice of the text a cue with this scope looks at."""
        if scope == "block":
            return 0, len(self.text)
        s, e = self.clause(start, end) if scope == "clause" else self.sentence(start, end)
        if scope == "before":
            return max(s, start - window), start
        if scope == "after":
            return end, min(e, end + window)
        return s, e

    def where(self) -> str:
        return f"block {self.index + 1}" + (f" ({self.label})" if self.label else "")

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def search(self, pattern: regex.Pattern[str], lo: int, hi: int, who: str) -> regex.Match[str] | None:
        """pattern.search on text[lo:hi]; a timeout is a warning (and counts as no match)."""
        try:
            return pattern.search(self.text[lo:hi], timeout=REGEX_TIMEOUT)
        except TimeoutError:
            self.warn(f"{who} timed out on {self.where()}; that block was not fully checked")
            return None

    def find(
        self, check: CueCheck, start: int, end: int, who: str, patterns: Iterable[regex.Pattern[str]] | None = None
    ) -> tuple[int, int] | None:
        """Where a cue of `check` (or one of `patterns`, a prefiltered subset of its patterns)
        occurs around the span start:end, as absolute offsets, or None."""
        lo, hi = self.region(check.scope, check.window, start, end)
        for pattern in check.patterns(self.lang) if patterns is None else patterns:
            m = self.search(pattern, lo, hi, who)
            if m is not None:
                return lo + m.start(), lo + m.end()
        return None


# --------------------------------------------------------------------------- the kinds


class Scanner(ABC):
    """Every use of one matcher kind in one language, compiled together."""

    @abstractmethod
    def scan(self, ctx: BlockContext) -> Iterable[Candidate]: ...


Use = tuple["Rule", "Matcher"]


@dataclass
class CompileEnv:
    lang: str
    nlp: Any
    ruleset: RuleSet


class Matcher(ABC):
    kind: ClassVar[str]
    keys: ClassVar[tuple[str, ...]]  # the YAML keys that select this kind
    mention: str = "term"

    def __init__(self, requires: CueCheck | None = None) -> None:
        self.requires = requires

    @classmethod
    @abstractmethod
    def load(cls, raw: dict[str, Any], env: LoadEnv, line: int | None, what: str) -> Matcher: ...

    @classmethod
    @abstractmethod
    def compile(cls, uses: list[Use], env: CompileEnv) -> Scanner | None: ...

    def words(self, lang: str) -> set[str]:
        """Words whose lemmas the pipeline must know for this matcher (phrases, tokens)."""
        return set()

    def accepts(self, cand: Candidate, ctx: BlockContext) -> bool:
        """`requires:` the match only counts when its cue is in context."""
        if self.requires is None:
            return True
        return ctx.find(self.requires, cand.start, cand.end, f"rule {cand.rule.id}'s `requires` cue") is not None


class LexiconMatcher(Matcher):
    kind = "lexicon"
    keys = ("lexicon",)

    def __init__(self, lexicon: str, finding: str | None, requires: CueCheck | None = None) -> None:
        super().__init__(requires)
        self.lexicon = lexicon
        self.finding = finding
        self.mention = {"products": "product", "vendors": "vendor", "formats": "format"}[lexicon]

    @classmethod
    def load(cls, raw: dict[str, Any], env: LoadEnv, line: int | None, what: str) -> Matcher:
        if raw["lexicon"] in ("products", "vendors") and "finding" not in raw:
            raise env.error(
                f"{what}: a {raw['lexicon']} lexicon matcher needs `finding:` (brand or proprietary_technology)", line
            )
        return cls(raw["lexicon"], raw.get("finding"), _requires(raw, env, line, what))

    @classmethod
    def compile(cls, uses: list[Use], env: CompileEnv) -> Scanner | None:
        return _LexiconScanner(uses, env.ruleset) if uses else None


class _LexiconScanner(Scanner):
    def __init__(self, uses: list[Use], ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.by_lexicon: dict[str, list[Use]] = {}
        for rule, m in uses:
            assert isinstance(m, LexiconMatcher)
            self.by_lexicon.setdefault(m.lexicon, []).append((rule, m))

    def scan(self, ctx: BlockContext) -> Iterable[Candidate]:
        products = self.by_lexicon.get("products", [])
        vendors = self.by_lexicon.get("vendors", [])
        if products or vendors:
            yield from self._products(ctx, products)
        if vendors:
            yield from self._vendors(ctx, vendors)
        formats = self.by_lexicon.get("formats", [])
        if formats:
            if ctx.format_hits is None:
                ctx.format_hits = self.ruleset.formats.scan(ctx.text)
            for rule, m in formats:
                yield from (Candidate(rule, s, e, m, fmt=f) for s, e, f, _ in ctx.format_hits)

    def _products(self, ctx: BlockContext, uses: list[Use]) -> Iterable[Candidate]:
        lexicon = self.ruleset.products
        if ctx.product_hits is None:
            raw = [h for h in lexicon.scan(ctx.text) if _product_ok(h, ctx, self.ruleset)]
            ctx.product_hits = _drop_contained(raw)
        edition_words = self.ruleset.context.edition_words
        for rule, m in uses:
            assert isinstance(m, LexiconMatcher)
            for hit in ctx.product_hits:
                entry = lexicon.entries[hit.surface.entry]
                if m.finding in entry.findings:
                    end = _extend_product(ctx.text, hit.start, hit.end, edition_words)
                    yield Candidate(rule, hit.start, end, m, product=entry)

    def _vendors(self, ctx: BlockContext, uses: list[Use]) -> Iterable[Candidate]:
        """Vendors named on their own: never inside a product name ("Microsoft SQL Server")."""
        if ctx.vendor_hits is None:
            taken = ctx.product_hits or []
            ctx.vendor_hits = [
                h
                for h in self.ruleset.products.scan_vendors(ctx.text)
                if not any(p.start < h.end and h.start < p.end for p in taken)
            ]
        for rule, m in uses:
            yield from (Candidate(rule, h.start, h.end, m, vendor=h.vendor) for h in ctx.vendor_hits)


class PhraseMatcher(Matcher):
    kind = "phrases"
    keys = ("phrases", "terms")

    def __init__(self, phrases: dict[str, list[str]], attr: str, requires: CueCheck | None = None) -> None:
        super().__init__(requires)
        self.phrases = phrases
        self.attr = attr

    @classmethod
    def load(cls, raw: dict[str, Any], env: LoadEnv, line: int | None, what: str) -> Matcher:
        if "terms" in raw:
            terms = env.terms(raw["terms"], line, what)
            phrases, attr = terms["phrases"], raw.get("attr", terms.get("attr", "lemma"))
        else:
            phrases, attr = raw["phrases"], raw.get("attr", "lemma")
        return cls({k: list(v) for k, v in phrases.items()}, attr, _requires(raw, env, line, what))

    def words(self, lang: str) -> set[str]:
        return {w.lower() for phrase in self.phrases.get(lang, []) for w in re.findall(r"\w+", phrase)}

    @classmethod
    def compile(cls, uses: list[Use], env: CompileEnv) -> Scanner | None:
        from spacy.matcher import PhraseMatcher as SpacyPhraseMatcher

        scanner = _SpacyScanner(env.nlp)
        matchers: dict[str, Any] = {}
        for rule, m in uses:
            assert isinstance(m, PhraseMatcher)
            if not m.phrases.get(env.lang):
                continue
            attr = "LEMMA" if m.attr == "lemma" else "LOWER"
            pm = matchers.get(attr)
            if pm is None:
                pm = matchers[attr] = SpacyPhraseMatcher(env.nlp.vocab, attr=attr)
            # nlp() (not make_doc) so the pattern tokens get the same lemmas as the text.
            pm.add(scanner.key(rule, m), list(env.nlp.pipe(m.phrases[env.lang])))
        scanner.matchers = list(matchers.values())
        return scanner if scanner.matchers else None


class TokenMatcher(Matcher):
    kind = "tokens"
    keys = ("tokens",)

    def __init__(self, tokens: dict[str, list[list[dict[str, Any]]]], requires: CueCheck | None = None) -> None:
        super().__init__(requires)
        self.tokens = tokens

    @classmethod
    def load(cls, raw: dict[str, Any], env: LoadEnv, line: int | None, what: str) -> Matcher:
        if env.eager:
            _check_token_patterns(raw["tokens"], env, line, what)
        return cls(raw["tokens"], _requires(raw, env, line, what))

    def words(self, lang: str) -> set[str]:
        words: set[str] = set()
        for pattern in self.tokens.get(lang, []):
            for tok in pattern:
                value = tok.get("LEMMA")
                if isinstance(value, str):
                    words.add(value.lower())
                elif isinstance(value, dict):
                    words.update(v.lower() for v in value.get("IN", []) if isinstance(v, str))
        return words

    @classmethod
    def compile(cls, uses: list[Use], env: CompileEnv) -> Scanner | None:
        from spacy.matcher import Matcher as SpacyMatcher

        scanner = _SpacyScanner(env.nlp)
        token_matcher = SpacyMatcher(env.nlp.vocab)
        for rule, m in uses:
            assert isinstance(m, TokenMatcher)
            if m.tokens.get(env.lang):
                patterns = [[_lower_lemmas(t) for t in p] for p in m.tokens[env.lang]]
                token_matcher.add(scanner.key(rule, m), patterns)
        scanner.matchers = [token_matcher] if len(token_matcher) else []
        return scanner if scanner.matchers else None


class _SpacyScanner(Scanner):
    """PhraseMatcher / token Matcher objects over the block's spaCy Doc."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.matchers: list[Any] = []
        self.keys: dict[int, Use] = {}

    def key(self, rule: Rule, m: Matcher) -> str:
        name = f"{rule.id}#{rule.matchers.index(m)}"
        self.keys[self.nlp.vocab.strings.add(name)] = (rule, m)
        return name

    def scan(self, ctx: BlockContext) -> Iterable[Candidate]:
        for matcher in self.matchers:
            for key, s, e in matcher(ctx.doc):
                rule, m = self.keys[key]
                span = ctx.doc[s:e]
                yield Candidate(rule, span.start_char, span.end_char, m)


class RegexMatcher(Matcher):
    kind = "regex"
    keys = ("regex",)

    def __init__(self, patterns: Any, requires: CueCheck | None = None) -> None:
        super().__init__(requires)
        self.patterns = patterns

    @classmethod
    def load(cls, raw: dict[str, Any], env: LoadEnv, line: int | None, what: str) -> Matcher:
        return cls(env.patterns(raw["regex"], line, what), _requires(raw, env, line, what))

    @classmethod
    def compile(cls, uses: list[Use], env: CompileEnv) -> Scanner | None:
        entries = [
            (rule, m, pattern)
            for rule, m in uses
            if isinstance(m, RegexMatcher)
            for pattern in m.patterns.for_lang(env.lang)
        ]
        return _RegexScanner(entries) if entries else None


class _RegexScanner(Scanner):
    def __init__(self, entries: list[tuple[Rule, RegexMatcher, regex.Pattern[str]]]) -> None:
        self.entries = entries
        self.prefilter = Prefilter([pattern.pattern for _, _, pattern in entries])

    def scan(self, ctx: BlockContext) -> Iterable[Candidate]:
        text = ctx.text
        for index in sorted(self.prefilter.candidates(text)):
            rule, m, pattern = self.entries[index]
            try:
                hits = [(h.start(), h.end()) for h in pattern.finditer(text, timeout=REGEX_TIMEOUT)]
            except TimeoutError:
                ctx.warn(f"rule {rule.id}'s pattern timed out on {ctx.where()}; that block was not fully checked")
                continue
            for hs, he in hits:
                start, end = tidy_span(text, hs, he)
                if end > start:
                    yield Candidate(rule, start, end, m)


MATCHER_KINDS: dict[str, type[Matcher]] = {
    k.kind: k for k in (LexiconMatcher, PhraseMatcher, TokenMatcher, RegexMatcher)
}


def matcher_kind(raw: dict[str, Any]) -> type[Matcher]:
    """The kind a matcher's YAML selects (the schema guarantees exactly one)."""
    for kind in MATCHER_KINDS.values():
        if any(key in raw for key in kind.keys):
            return kind
    raise KeyError(f"no matcher kind in {sorted(raw)}")  # unreachable after schema validation


# --------------------------------------------------------------------------- helpers


def _requires(raw: dict[str, Any], env: LoadEnv, line: int | None, what: str) -> CueCheck | None:
    return env.cue_check(f"{what}:requires", raw["requires"], line) if "requires" in raw else None


def _check_token_patterns(tokens: dict[str, Any], env: LoadEnv, line: int | None, what: str) -> None:
    """Validate spaCy token patterns now, so a typo is a load error with a line, not a crash later."""
    from spacy.matcher import Matcher as SpacyMatcher
    from spacy.vocab import Vocab

    probe = SpacyMatcher(Vocab(), validate=True)
    for lang, patterns in tokens.items():
        try:
            probe.add("probe", patterns)
        except Exception as exc:  # spaCy raises ValueError/MatchPatternError with a long text
            first = str(exc).strip().splitlines()
            raise env.error(f"{what}: bad token pattern ({lang}): {' '.join(first)[:200]}", line) from None


def _lower_lemmas(tok: dict[str, Any]) -> dict[str, Any]:
    """Our lemmas are lower-case; make pattern LEMMA values lower-case too."""
    value = tok.get("LEMMA")
    if isinstance(value, str):
        return {**tok, "LEMMA": value.lower()}
    if isinstance(value, dict) and "IN" in value:
        return {**tok, "LEMMA": {**value, "IN": [v.lower() for v in value["IN"]]}}
    return tok


def tidy_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Never end a match inside a word (a bounded tail like [^.]{0,40} can cut "the" to "t"),
    nor on spaces or trailing commas; close a parenthesis the match opened."""
    if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        cut = text.rfind(" ", start, end)
        if cut > start:
            end = cut
    while end > start and text[end - 1] in " \t,;:":
        end -= 1
    while start < end and text[start] in " \t":
        start += 1
    if end < len(text) and text[end] == ")" and text.count("(", start, end) > text.count(")", start, end):
        end += 1
    return start, end


def _extend_product(text: str, start: int, end: int, edition_words: frozenset[str]) -> int:
    """Extend a product match over the version and edition words that follow it."""
    pos = end
    taken = 0
    while taken < 4:
        m = re.match(r"[ \u00a0]+([\w./-]+)", text[pos:])
        if not m:
            break
        word = m.group(1).rstrip(".,;:")
        if not word or not (_VERSIONISH.match(word) or word.lower() in edition_words):
            break
        pos += m.start(1) + len(word)
        taken += 1
    return pos


def _product_ok(hit: LexHit, ctx: BlockContext, ruleset: RuleSet) -> bool:
    """Ordinary-word product names ('Windows', 'Office', 'Teams') need a product context."""
    if not hit.surface.ambiguous:
        return True
    text = ctx.text
    if text[hit.start : hit.end] != hit.surface.text:  # canonical capitalisation required
        return False
    context = ruleset.context
    s, e = ctx.sentence(hit.start, hit.end)
    # Ordinary senses nearby ("windows of the building", "Procurement Office") win.
    lo, hi = max(s, hit.start - 40), min(e, hit.end + 40)
    for pattern in context.ordinary_context.for_lang(ctx.lang):
        try:
            found = list(pattern.finditer(text[lo:hi], timeout=REGEX_TIMEOUT))
        except TimeoutError:
            ctx.warn(f"ordinary_context cue timed out on {ctx.where()}; that block was not fully checked")
            continue
        # the ordinary phrase must contain the ambiguous word itself
        if any(lo + m.start() <= hit.start and lo + m.end() >= hit.end for m in found):
            return False
    nxt = re.match(r"[ \u00a0]+([\w./-]+)", text[hit.end :])
    if nxt and (_VERSIONISH.match(nxt.group(1).rstrip(".,;:")) or nxt.group(1).lower() in context.edition_words):
        return True
    patterns = context.product_context.for_lang(ctx.lang)
    return any(ctx.search(p, s, e, "product_context cue") is not None for p in patterns)


def _drop_contained(hits: list[LexHit]) -> list[LexHit]:
    """Keep the longest of overlapping lexicon hits ("Microsoft SQL Server" over "SQL Server")."""
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[LexHit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept
