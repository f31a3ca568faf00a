"""Matcher kinds: one small class per kind of pattern a rule can use, in one registry.

Each kind owns its whole life cycle, the way Vale gives each check kind its own type:
  load      read and validate its YAML (file:line errors), at rule-folder load time
  words     the lemma vocabulary it needs from the NLP pipeline
  compile   turn every use of the kind in a language into one Scanner
  scan      (the Scanner) find candidates in one block

Kinds: `lexicon` (products, vendors and formats lexicons, Aho-Corasick on raw text),
`phrases` (inline phrases or a `terms:` list, matched on spaCy's tokens and lower-cased
lookup lemmas, as spaCy's PhraseMatcher does, without spaCy), `tokens` (spaCy token
patterns, run by spaCy's Matcher) and `regex` (the `regex` module with a timeout). Every
kind sits behind a prefilter that only skips a block when the kind provably cannot match
in it: literals for regexes, the surface forms of the pattern lemmas for phrases and
tokens. So tokens are computed only for blocks that can hold a phrase or a candidate, and
spaCy is imported only when a token pattern can match. The loader and the matching code
only go through `MATCHER_KINDS` and `matcher_kind`, never through a kind's name.

A pattern or cue that times out on a block is not silently skipped: it becomes a warning
on the block, which the linter reports on the file.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import regex

from ospo_procure.message import Message
from ospo_procure.rules.lexicons import FormatEntry, LexHit, ProductEntry, VendorHit
from ospo_procure.rules.lexicons import lower as lexicon_lower
from ospo_procure.rules.patterns import REGEX_TIMEOUT, CueCheck, LoadEnv
from ospo_procure.rules.prefilter import LiteralFilter, Prefilter, barriers, fold, required_sets

if TYPE_CHECKING:
    from ospo_procure.nlp import LanguageTables
    from ospo_procure.rules.loader import Rule, RuleSet
    from ospo_procure.tokenizer import Span

_VERSIONISH = re.compile(r"^(?:v?\d[\w.]*|[IVX]+|E\d|R\d|XP|Vista|NT|S/4HANA|z/OS|\d{2,4}[a-z]?)$", re.IGNORECASE)
_NEXT_WORD = re.compile(r"[ \u00a0]+([\w./-]+)")  # matched at a position: no slice of a long paragraph


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

    @property
    def open_source(self) -> bool:
        """A vendor's subscription of open-source software, not a proprietary product."""
        return self.matcher is not None and self.matcher.open_source


@dataclass
class BlockContext:
    """A block's text with what is computed once and shared by every rule: its tokens and
    sentence spans (computed on first use: most blocks never need them), its lexicon hits,
    and the warnings raised while checking it."""

    text: str
    lang: str
    index: int = 0  # block index in the document
    label: str = ""  # the block's location, for warnings
    tables: LanguageTables | None = None  # tokenizer, sentencizer and lemmas (nlp.py)
    location: Any = None  # the block's Location: its label is made only for a warning
    warnings: list[str] = field(default_factory=list)
    product_hits: list[LexHit] | None = None
    format_hits: list[tuple[int, int, FormatEntry, str]] | None = None
    vendor_hits: list[VendorHit] | None = None
    _tokens: list[Span] | None = field(default=None, repr=False)
    _sents: list[Span] | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _lower: str | None = field(default=None, repr=False)
    _spacy_doc: Any = field(default=None, repr=False)
    _found: dict[tuple[Any, ...], tuple[int, int] | None] = field(default_factory=dict, repr=False)
    _folded: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)
    _fold: str | None = field(default=None, repr=False)
    _live: dict[int, bool] = field(default_factory=dict, repr=False)

    @property
    def tokens(self) -> list[Span]:
        """spaCy's tokens of the block, as (start, end) offsets."""
        if self._tokens is None:
            self._tokens = self.tables.tokenizer.tokens(self.text) if self.tables is not None else []
        return self._tokens

    @property
    def sents(self) -> list[Span]:
        """The sentencizer's sentences, covering the block."""
        if self._sents is None:
            if self.tables is None or not self.text:
                self._sents = [(0, len(self.text))]
            else:
                self._sents = self.tables.tokenizer.sentences(self.text, self.tokens)
        return self._sents

    @sents.setter
    def sents(self, spans: list[Span]) -> None:
        self._sents, self._starts = spans, None

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    @property
    def folded(self) -> str:
        """The block case-folded as the prefilters fold (rules/prefilter.py), once per block."""
        if self._fold is None:
            self._fold = fold(self.text)
        return self._fold

    def spacy_doc(self) -> Any:
        """The block through the equivalent spaCy pipeline (token patterns only)."""
        if self._spacy_doc is None:
            assert self.tables is not None
            self._spacy_doc = self.tables.spacy()(self.text)
        return self._spacy_doc

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding `start` (extended to `end`); a bisection, so a paragraph of
        thousands of sentences costs no more per lookup than a short one."""
        sents = self.sents
        if self._starts is None:
            self._starts = [s for s, _ in sents]
        i = bisect_right(self._starts, start) - 1
        if i >= 0:
            s, e = sents[i]
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

    def where(self) -> Message:
        place = self.label or self.location
        if not place:
            return Message("block {n}", n=self.index + 1)
        return Message("block {n} ({where})", n=self.index + 1, where=place)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def search(self, pattern: regex.Pattern[str], lo: int, hi: int, who: str) -> regex.Match[str] | None:
        """pattern.search on text[lo:hi]; a timeout is a warning (and counts as no match).
        A pattern whose required literals (rules/prefilter.py) are not all in the region
        cannot match there and is not run: the block-level prefilter saw them elsewhere."""
        sets = required_sets(pattern.pattern)
        if sets:
            folded = self._folded.get((lo, hi))
            if folded is None:
                whole = self.folded
                # Folding that kept every character one character is folding char by char:
                # a slice of the folded block is the folded slice.
                same = len(whole) == len(self.text)
                folded = self._folded[(lo, hi)] = whole[lo:hi] if same else fold(self.text[lo:hi])
            if not _has_literals(sets, folded):
                return None
        try:
            return pattern.search(self.text[lo:hi], timeout=REGEX_TIMEOUT)
        except TimeoutError:
            # Translators: {who} names a rule's pattern or cue by its technical name.
            self.warn(
                Message("{who} timed out on {where}; that block was not fully checked", who=who, where=self.where())
            )
            return None

    def find(
        self, check: CueCheck, start: int, end: int, who: str, patterns: Iterable[regex.Pattern[str]] | None = None
    ) -> tuple[int, int] | None:
        """Where a cue of `check` (or one of `patterns`, a prefiltered subset of its patterns)
        occurs around the span start:end, as absolute offsets, or None."""
        if patterns is None and not self._may_occur(check):
            return None  # answered without the span's sentence, so without tokenizing the block
        lo, hi = self.region(check.scope, check.window, start, end)
        # Candidates in the same sentence (clause, block) ask the same question: search once.
        key = (id(check), lo, hi, None if patterns is None else tuple(map(id, patterns)))
        if key not in self._found:
            self._found[key] = self._find(check, lo, hi, who, patterns)
        return self._found[key]

    def _may_occur(self, check: CueCheck) -> bool:
        """Whether some cue of `check` can occur anywhere in the block: one whose required
        literals (rules/prefilter.py) all occur in it. Folding is character by character, so a
        region's folded text is part of the block's: a cue that cannot occur in the block
        cannot occur in any region of it (search() would skip it there)."""
        live = self._live.get(id(check))
        if live is None:
            folded = self.folded
            live = self._live[id(check)] = any(
                not sets or _has_literals(sets, folded)
                for sets in (required_sets(p.pattern) for p in check.patterns(self.lang))
            )
        return live

    def _find(
        self, check: CueCheck, lo: int, hi: int, who: str, patterns: Iterable[regex.Pattern[str]] | None
    ) -> tuple[int, int] | None:
        for pattern in check.patterns(self.lang) if patterns is None else patterns:
            m = self.search(pattern, lo, hi, who)
            if m is not None:
                return lo + m.start(), lo + m.end()
        return None


def _has_literals(sets: tuple[frozenset[str], ...], folded: str) -> bool:
    """Whether `folded` holds a literal of each set."""
    for options in sets:
        for lit in options:
            if lit in folded:
                break
        else:
            return False
    return True


def _meet(folded: str, cut: str, sets: tuple[frozenset[str], ...], pieces: dict[str, list[tuple[int, str]]]) -> int:
    """Where the first piece of `folded` between characters of `cut` that holds a literal of
    each set starts, or -1."""
    parts = pieces.get(cut)
    if parts is None:
        parts = pieces[cut] = []
        start = 0
        for part in folded.split(cut) if len(cut) == 1 else re.split(f"[{re.escape(cut)}]", folded):
            parts.append((start, part))
            start += len(part) + 1
    if len(parts) == 1:
        return 0  # the block-level prefilter asked this
    for start, part in parts:
        if _has_literals(sets, part):
            return start
    return -1


# --------------------------------------------------------------------------- the kinds


class Scanner(ABC):
    """Every use of one matcher kind in one language, compiled together."""

    @abstractmethod
    def scan(self, ctx: BlockContext) -> Iterable[Candidate]: ...


Use = tuple["Rule", "Matcher"]


@dataclass
class CompileEnv:
    lang: str
    tables: LanguageTables
    ruleset: RuleSet


class Matcher(ABC):
    kind: ClassVar[str]
    keys: ClassVar[tuple[str, ...]]  # the YAML keys that select this kind
    mention: str = "term"
    open_source: bool = False  # matches open-source entries of a lexicon (LexiconMatcher)

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

    def __init__(
        self, lexicon: str, finding: str | None, requires: CueCheck | None = None, open_source: bool = False
    ) -> None:
        super().__init__(requires)
        self.lexicon = lexicon
        self.finding = finding
        # products/vendors: the open-source entries (a vendor's subscription of open-source
        # software, lexicons/README.md) or the proprietary ones; each rule matches one kind
        self.open_source = open_source
        self.mention = {"products": "product", "vendors": "vendor", "formats": "format"}[lexicon]

    @classmethod
    def load(cls, raw: dict[str, Any], env: LoadEnv, line: int | None, what: str) -> Matcher:
        if raw["lexicon"] in ("products", "vendors") and "finding" not in raw:
            raise env.error(
                f"{what}: a {raw['lexicon']} lexicon matcher needs `finding:` (brand or proprietary_technology)", line
            )
        if raw["lexicon"] == "formats" and "open_source" in raw:
            raise env.error(f"{what}: `open_source:` applies to the products and vendors lexicons only", line)
        return cls(raw["lexicon"], raw.get("finding"), _requires(raw, env, line, what), bool(raw.get("open_source")))

    @classmethod
    def compile(cls, uses: list[Use], env: CompileEnv) -> Scanner | None:
        return _LexiconScanner(uses, env) if uses else None


class _LexiconScanner(Scanner):
    def __init__(self, uses: list[Use], env: CompileEnv) -> None:
        self.ruleset = ruleset = env.ruleset
        self.ordinary = _OrdinaryContext(ruleset.context.ordinary_context.for_lang(env.lang))
        self.by_lexicon: dict[str, list[Use]] = {}
        for rule, m in uses:
            assert isinstance(m, LexiconMatcher)
            self.by_lexicon.setdefault(m.lexicon, []).append((rule, m))

    def scan(self, ctx: BlockContext) -> Iterable[Candidate]:
        out: list[Candidate] = []
        low = lexicon_lower(ctx.text)  # one lower-casing and one reading for the three lexicons
        found = self.ruleset.lexicon_pass().find(low)  # products, vendors, formats
        products = self.by_lexicon.get("products", [])
        vendors = self.by_lexicon.get("vendors", [])
        if products or vendors:
            self._products(ctx, products, low, found[0], out)
        if vendors:
            self._vendors(ctx, vendors, low, found[1], out)
        formats = self.by_lexicon.get("formats", [])
        if formats:
            if ctx.format_hits is None:
                ctx.format_hits = self.ruleset.formats.scan(ctx.text, low, found[2])
            for rule, m in formats:
                out.extend(Candidate(rule, s, e, m, fmt=f) for s, e, f, _ in ctx.format_hits)
        return out

    def _products(
        self, ctx: BlockContext, uses: list[Use], low: str, found: list[tuple[int, int, int]], out: list[Candidate]
    ) -> None:
        lexicon = self.ruleset.products
        if ctx.product_hits is None:
            raw = [h for h in lexicon.scan(ctx.text, low, found) if _product_ok(h, ctx, self.ruleset, self.ordinary)]
            ctx.product_hits = _drop_contained(raw) if raw else raw
        if not ctx.product_hits:
            return
        edition_words = self.ruleset.context.edition_words
        for rule, m in uses:
            assert isinstance(m, LexiconMatcher)
            for hit in ctx.product_hits:
                entry = lexicon.entries[hit.surface.entry]
                if m.finding in entry.findings and entry.open_source == m.open_source:
                    end = _extend_product(ctx.text, hit.start, hit.end, edition_words)
                    out.append(Candidate(rule, hit.start, end, m, product=entry))

    def _vendors(
        self, ctx: BlockContext, uses: list[Use], low: str, found: list[tuple[int, int, int]], out: list[Candidate]
    ) -> None:
        """Vendors named on their own: never inside a product name ("Microsoft SQL Server")."""
        if ctx.vendor_hits is None:
            taken = ctx.product_hits or []  # sorted and disjoint (_drop_contained): ends ascend too
            starts = [p.start for p in taken]
            ctx.vendor_hits = []
            for h in self.ruleset.products.scan_vendors(ctx.text, low, found):
                i = bisect_left(starts, h.end) - 1  # the last product starting before the vendor ends
                if i < 0 or taken[i].end <= h.start:
                    ctx.vendor_hits.append(h)
        open_vendors = self.ruleset.products.open_source_vendors
        for rule, m in uses:
            assert isinstance(m, LexiconMatcher)
            hits = [h for h in ctx.vendor_hits if (h.vendor in open_vendors) == m.open_source]
            if m.finding == "proprietary_technology":  # a vendor named alone as its platform
                hits = [h for h in hits if h.vendor in self.ruleset.products.platform_vendors]
            out.extend(Candidate(rule, h.start, h.end, m, vendor=h.vendor) for h in hits)


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
        scanner = _PhraseScanner(env.tables)
        for rule, m in uses:
            assert isinstance(m, PhraseMatcher)
            for phrase in m.phrases.get(env.lang, []):
                scanner.add(rule, m, phrase)
        return scanner if scanner.entries else None


class _PhraseScanner(Scanner):
    """spaCy's PhraseMatcher, on LEMMA or LOWER, over our tokens (ospo_procure/tokenizer.py):
    every token sequence whose lemmas (or lower-cased texts) are a phrase's, phrases tokenized
    like the text. Matches come in spaCy's order: attribute by attribute in the order the rules
    first use them, then by start and end."""

    def __init__(self, tables: LanguageTables) -> None:
        self.tables = tables
        # attr -> first token value -> [(values, uses)]
        self.entries: dict[str, dict[str, list[tuple[tuple[str, ...], list[Use]]]]] = {}
        self._needs: list[tuple[frozenset[str], ...]] = []  # per phrase: surface forms of each token
        self._prefilter: LiteralFilter | None = None

    def add(self, rule: Rule, m: PhraseMatcher, phrase: str) -> None:
        attr = "LEMMA" if m.attr == "lemma" else "LOWER"
        toks = self.tables.tokenizer.tokens(phrase)
        if not toks:
            return
        values = tuple(_attr_value(phrase[s:e].lower(), attr, self.tables) for s, e in toks)
        bucket = self.entries.setdefault(attr, {}).setdefault(values[0], [])
        for known, uses in bucket:
            if known == values:
                if (rule, m) not in uses:
                    uses.append((rule, m))
                return
        bucket.append((values, [(rule, m)]))
        # Prefilter: a match needs, for each token of the phrase, one surface form of its value.
        needs = {_surfaces(v, attr, self.tables) for v in values}
        self._needs.append(tuple(sorted(needs, key=_selectivity, reverse=True)))

    def possible(self, ctx: BlockContext) -> bool:
        if self._prefilter is None:
            self._prefilter = LiteralFilter(list(self._needs))
        # str.lower() keeps every token's lower-cased text a substring of the block's, except
        # where a capital sigma's lower case depends on the letters around it.
        return "\u03a3" in ctx.text or bool(self._prefilter.candidates(ctx.lower))

    def scan(self, ctx: BlockContext) -> Iterable[Candidate]:
        if not self.possible(ctx):
            return
        toks = ctx.tokens
        lowers = [ctx.text[s:e].lower() for s, e in toks]
        for attr, index in self.entries.items():
            values = lowers if attr == "LOWER" else [self.tables.lemma(t) for t in lowers]
            for i, value in enumerate(values):
                found = index.get(value)
                if not found:
                    continue
                hits = [(len(seq), uses) for seq, uses in found if tuple(values[i : i + len(seq)]) == seq]
                for n, uses in sorted(hits, key=lambda h: h[0]):
                    for rule, m in uses:
                        yield Candidate(rule, toks[i][0], toks[i + n - 1][1], m)


def _attr_value(lower: str, attr: str, tables: LanguageTables) -> str:
    return tables.lemma(lower) if attr == "LEMMA" else lower


def _surfaces(value: str, attr: str, tables: LanguageTables) -> frozenset[str]:
    """Every lower-cased token text whose `attr` is `value`."""
    if attr != "LEMMA":
        return frozenset([value])
    forms = {form for form, lemma in tables.lemmas.items() if lemma == value}
    if value not in tables.lemmas:
        forms.add(value)  # a form missing from the table is its own lemma
    return frozenset(forms)


def _selectivity(surfaces: frozenset[str]) -> tuple[int, int]:
    return (min((len(s) for s in surfaces), default=0), -len(surfaces))


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
        patterns: list[Use] = [(rule, m) for rule, m in uses if isinstance(m, TokenMatcher) and m.tokens.get(env.lang)]
        return _TokenScanner(patterns, env) if patterns else None


class _TokenScanner(Scanner):
    """spaCy's Matcher, on the blocks where a pattern can match: each pattern needs one of
    the surface forms of a token it requires (LOWER, ORTH, TEXT or LEMMA values); a pattern
    with no such token always runs. spaCy is imported on the first block that needs it."""

    def __init__(self, uses: list[Use], env: CompileEnv) -> None:
        self.tables = env.tables
        self.lang = env.lang
        self.uses = uses
        needs: list[tuple[frozenset[str], ...] | None] = []
        for _rule, m in uses:
            assert isinstance(m, TokenMatcher)
            for pattern in m.tokens[env.lang]:
                required = [_token_surfaces(_lower_lemmas(t), env.tables) for t in pattern if _required(t)]
                usable = {r for r in required if r}
                needs.append(tuple(sorted(usable, key=_selectivity, reverse=True)) or None)
        self._prefilter = LiteralFilter(needs)
        self._matcher: Any = None
        self._keys: dict[int, Use] = {}

    def possible(self, ctx: BlockContext) -> bool:
        return "\u03a3" in ctx.text or bool(self._prefilter.candidates(ctx.lower))

    def _spacy_matcher(self) -> Any:
        if self._matcher is None:
            from spacy.matcher import Matcher as SpacyMatcher

            nlp = self.tables.spacy()
            matcher = SpacyMatcher(nlp.vocab)
            for rule, m in self.uses:
                assert isinstance(m, TokenMatcher)
                name = f"{rule.id}#{rule.matchers.index(m)}"
                self._keys[nlp.vocab.strings.add(name)] = (rule, m)
                matcher.add(name, [[_lower_lemmas(t) for t in p] for p in m.tokens[self.lang]])
            self._matcher = matcher
        return self._matcher

    def scan(self, ctx: BlockContext) -> Iterable[Candidate]:
        if not ctx.text or not self.possible(ctx):
            return
        matcher = self._spacy_matcher()
        doc = ctx.spacy_doc()
        for key, s, e in matcher(doc):
            rule, m = self._keys[key]
            span = doc[s:e]
            yield Candidate(rule, span.start_char, span.end_char, m)


_TOKEN_TEXT_ATTRS = ("LOWER", "ORTH", "TEXT", "LEMMA")


def _required(tok: dict[str, Any]) -> bool:
    """A token spec every match must consume at least once (no operator, or `+`)."""
    return tok.get("OP") in (None, "+")


def _token_surfaces(tok: dict[str, Any], tables: LanguageTables) -> frozenset[str] | None:
    """Lower-cased texts one of which a token matching `tok` has, or None when unknown."""
    options: list[frozenset[str]] = []
    for attr in _TOKEN_TEXT_ATTRS:
        value = tok.get(attr)
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            values = list(value["IN"])
        else:
            continue
        forms: set[str] = set()
        for v in values:
            forms |= _surfaces(v, "LEMMA", tables) if attr == "LEMMA" else {v.lower()}
        options.append(frozenset(forms))
    usable = [o for o in options if o and all(o)]
    return max(usable, key=_selectivity) if usable else None


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
    """Every rule regex of a language behind one literal prefilter; a pattern text used by
    several rules is searched once per block and its matches shared."""

    def __init__(self, entries: list[tuple[Rule, RegexMatcher, regex.Pattern[str]]]) -> None:
        self.entries = entries
        sources: dict[str, int] = {}
        self.slot = [sources.setdefault(pattern.pattern, len(sources)) for _, _, pattern in entries]
        self.prefilter = Prefilter(list(sources))
        self._entries_of: dict[int, list[int]] = {}
        for index, slot in enumerate(self.slot):
            self._entries_of.setdefault(slot, []).append(index)
        # A pattern that never crosses a sentence or clause end ("[^.;]{0,60}") runs only where
        # its required literals meet between two such ends, not merely somewhere in the block.
        self._within: dict[int, tuple[str, tuple[frozenset[str], ...]]] = {}
        for source, slot in sources.items():
            sets = tuple(s for s in required_sets(source) or () if len(s) <= LiteralFilter.MAX_LATER)
            cut = barriers(source)
            if cut and len(sets) > 1:
                self._within[slot] = (cut, sets)

    def scan(self, ctx: BlockContext) -> Iterable[Candidate]:
        text = ctx.text
        possible = self.prefilter.candidates(text, ctx.folded)
        starts: dict[int, int] = {}  # slot -> where its first match can start, when not at 0
        if possible and self._within:
            pieces: dict[str, list[tuple[int, str]]] = {}
            within = self._within
            same = len(ctx.folded) == len(text)  # offsets in the folded text are the text's
            for i in [i for i in possible if i in within]:
                at = _meet(ctx.folded, *within[i], pieces)
                if at < 0:
                    possible.discard(i)
                elif at and same:  # no match lies in an earlier piece: the search starts here
                    starts[i] = at
        if not possible:
            return
        entries_of = self._entries_of
        indexes = [i for slot in possible for i in entries_of[slot]]
        indexes.sort()
        hits: dict[int, list[tuple[int, int]] | None] = {}
        for index in indexes:
            rule, m, pattern = self.entries[index]
            slot = self.slot[index]
            found = hits.get(slot, ())
            if found == ():
                try:
                    spans = pattern.finditer(text, starts.get(slot, 0), timeout=REGEX_TIMEOUT)
                    found = hits[slot] = [h.span() for h in spans]
                except TimeoutError:
                    found = hits[slot] = None
            if found is None:
                ctx.warn(
                    Message(
                        "rule {rule}'s pattern timed out on {where}; that block was not fully checked",
                        rule=rule.id,
                        where=ctx.where(),
                    )
                )
                continue
            for hs, he in found:
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
        m = _NEXT_WORD.match(text, pos)
        if not m:
            break
        word = m.group(1).rstrip(".,;:")
        if not word or not (_VERSIONISH.match(word) or word.lower() in edition_words):
            break
        pos = m.start(1) + len(word)
        taken += 1
    return pos


class _OrdinaryContext:
    """A language's `ordinary_context` patterns behind one literal prefilter: most of them
    (53 in English) cannot match near a given "Windows" or "Office", and are not run there."""

    def __init__(self, patterns: list[regex.Pattern[str]]) -> None:
        self.patterns = patterns
        self.prefilter = Prefilter([p.pattern for p in patterns])

    def possible(self, window: str) -> list[regex.Pattern[str]]:
        """The patterns that can match in `window`, in their order."""
        return [self.patterns[i] for i in sorted(self.prefilter.candidates(window))]


def _product_ok(hit: LexHit, ctx: BlockContext, ruleset: RuleSet, ordinary: _OrdinaryContext) -> bool:
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
    window = text[lo:hi]
    for pattern in ordinary.possible(window):
        try:
            found = list(pattern.finditer(window, timeout=REGEX_TIMEOUT))
        except TimeoutError:
            ctx.warn(
                Message(
                    "ordinary_context cue timed out on {where}; that block was not fully checked", where=ctx.where()
                )
            )
            continue
        # the ordinary phrase must contain the ambiguous word itself
        if any(lo + m.start() <= hit.start and lo + m.end() >= hit.end for m in found):
            return False
    nxt = _NEXT_WORD.match(text, hit.end)
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
