"""Turn a RuleSet into per-language matchers and run them over block texts.

Four matcher kinds feed one list of candidates (rule, start, end, info):
products lexicon and formats lexicon (Aho-Corasick on raw text), phrase lists
(spaCy PhraseMatcher on lower-cased lookup lemmas, so plurals and inflections match),
spaCy token patterns, and regular expressions (the `regex` module, with a timeout so
no input can make a pattern run away). Context checks (exceptions, `requires`) then
look at the sentence around each candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ospo_procure.nlp import get_pipeline
from ospo_procure.rules.lexicons import FormatEntry, LexHit, ProductEntry
from ospo_procure.rules.loader import REGEX_TIMEOUT, CueCheck, Matcher, Rule, RuleSet
from ospo_procure.rules.prefilter import Prefilter

_VERSIONISH = re.compile(r"^(?:v?\d[\w.]*|[IVX]+|E\d|R\d|XP|Vista|NT|S/4HANA|z/OS|\d{2,4}[a-z]?)$", re.IGNORECASE)


@dataclass
class Candidate:
    rule: Rule
    start: int
    end: int
    matcher: Matcher | None = None
    product: ProductEntry | None = None
    fmt: FormatEntry | None = None
    severity: str | None = None
    note: str | None = None


@dataclass
class BlockContext:
    """A block's text with its sentence spans and (lazily) its lexicon hits."""

    text: str
    sents: list[tuple[int, int]]
    lang: str
    product_hits: list[LexHit] | None = None
    format_hits: list[tuple[int, int, FormatEntry, str]] | None = None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        for s, e in self.sents:
            if s <= start < e:
                return s, max(e, end)
        return 0, len(self.text)


@dataclass
class CompiledRules:
    lang: str
    ruleset: RuleSet
    rules: list[Rule]
    nlp: Any
    phrase_matchers: dict[str, Any] = field(default_factory=dict)  # attr -> PhraseMatcher
    token_matcher: Any = None
    keys: dict[int, tuple[Rule, Matcher]] = field(default_factory=dict)
    # Regex matchers in a flat list, and the literal prefilter that says which can match a block.
    regexes: list[tuple[Rule, Matcher, Any]] = field(default_factory=list)
    prefilter: Prefilter | None = None


def _pattern_words(ruleset: RuleSet, lang: str) -> frozenset[str]:
    words: set[str] = set()
    for rule in ruleset.rules:
        for m in rule.matchers:
            for phrase in m.phrases.get(lang, []):
                words.update(w.lower() for w in re.findall(r"\w+", phrase))
            for pattern in m.tokens.get(lang, []):
                for tok in pattern:
                    value = tok.get("LEMMA")
                    if isinstance(value, str):
                        words.add(value.lower())
                    elif isinstance(value, dict):
                        words.update(v.lower() for v in value.get("IN", []) if isinstance(v, str))
    return frozenset(words)


@lru_cache(maxsize=32)
def compile_rules(ruleset: RuleSet, lang: str) -> CompiledRules:
    from spacy.matcher import Matcher as TokenMatcher
    from spacy.matcher import PhraseMatcher

    nlp = get_pipeline(lang, _pattern_words(ruleset, lang))
    rules = [r for r in ruleset.rules if lang in r.languages]
    compiled = CompiledRules(lang, ruleset, rules, nlp)
    token_matcher = TokenMatcher(nlp.vocab)
    for rule in rules:
        for mi, m in enumerate(rule.matchers):
            key_name = f"{rule.id}#{mi}"
            key = nlp.vocab.strings.add(key_name)
            compiled.keys[key] = (rule, m)
            if m.kind == "phrases" and m.phrases.get(lang):
                attr = "LEMMA" if m.attr == "lemma" else "LOWER"
                pm = compiled.phrase_matchers.get(attr)
                if pm is None:
                    pm = compiled.phrase_matchers[attr] = PhraseMatcher(nlp.vocab, attr=attr)
                # nlp() (not make_doc) so the pattern tokens get the same lemmas as the text.
                pm.add(key_name, list(nlp.pipe(m.phrases[lang])))
            elif m.kind == "tokens" and m.tokens.get(lang):
                patterns = [[_lower_lemmas(t) for t in p] for p in m.tokens[lang]]
                token_matcher.add(key_name, patterns)
    compiled.token_matcher = token_matcher if len(token_matcher) else None
    compiled.regexes = [
        (rule, m, pattern)
        for rule in rules
        for m in rule.matchers
        if m.kind == "regex" and m.regex is not None
        for pattern in m.regex.for_lang(lang)
    ]
    compiled.prefilter = Prefilter([pattern.pattern for _, _, pattern in compiled.regexes])
    return compiled


def _lower_lemmas(tok: dict[str, Any]) -> dict[str, Any]:
    """Our lemmas are lower-case; make pattern LEMMA values lower-case too."""
    value = tok.get("LEMMA")
    if isinstance(value, str):
        return {**tok, "LEMMA": value.lower()}
    if isinstance(value, dict) and "IN" in value:
        return {**tok, "LEMMA": {**value, "IN": [v.lower() for v in value["IN"]]}}
    return tok


def cue_found(check: CueCheck, ctx: BlockContext, start: int, end: int) -> bool:
    s, e = ctx.sentence(start, end)
    if check.scope == "before":
        region = ctx.text[max(s, start - check.window) : start]
    elif check.scope == "after":
        region = ctx.text[end : min(e, end + check.window)]
    elif check.scope == "block":
        region = ctx.text
    else:
        region = ctx.text[s:e]
    for pattern in check.patterns(ctx.lang):
        try:
            if pattern.search(region, timeout=REGEX_TIMEOUT):
                return True
        except TimeoutError:
            continue
    return False


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


def _product_ok(hit: LexHit, ctx: BlockContext, compiled: CompiledRules) -> bool:
    """Ordinary-word product names ('Windows', 'Office', 'Teams') need a product context."""
    if not hit.surface.ambiguous:
        return True
    text = ctx.text
    if text[hit.start : hit.end] != hit.surface.text:  # canonical capitalisation required
        return False
    context = compiled.ruleset.context
    s, e = ctx.sentence(hit.start, hit.end)
    # Ordinary senses nearby ("windows of the building", "Procurement Office") win.
    window = text[max(s, hit.start - 40) : min(e, hit.end + 40)]
    for pattern in context.ordinary_context.for_lang(ctx.lang):
        for m in pattern.finditer(window, timeout=REGEX_TIMEOUT):
            # the ordinary phrase must contain the ambiguous word itself
            abs_s = max(s, hit.start - 40) + m.start()
            if abs_s <= hit.start and abs_s + len(m.group(0)) >= hit.end:
                return False
    nxt = re.match(r"[ \u00a0]+([\w./-]+)", text[hit.end :])
    if nxt and (_VERSIONISH.match(nxt.group(1).rstrip(".,;:")) or nxt.group(1).lower() in context.edition_words):
        return True
    sentence = text[s:e]
    return any(p.search(sentence, timeout=REGEX_TIMEOUT) for p in context.product_context.for_lang(ctx.lang))


def _drop_contained(hits: list[LexHit]) -> list[LexHit]:
    """Keep the longest of overlapping lexicon hits ("Microsoft SQL Server" over "SQL Server")."""
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[LexHit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


def candidates(compiled: CompiledRules, doc: Any, ctx: BlockContext) -> list[Candidate]:
    """All raw matches in one block, before exceptions."""
    out: list[Candidate] = []
    ruleset = compiled.ruleset
    text = ctx.text
    lexicon_rules = [(r, m) for r in compiled.rules for m in r.matchers if m.kind == "lexicon"]
    if any(m.lexicon == "products" for _, m in lexicon_rules):
        if ctx.product_hits is None:
            raw = [h for h in ruleset.products.scan(text) if _product_ok(h, ctx, compiled)]
            ctx.product_hits = _drop_contained(raw)
        for rule, m in lexicon_rules:
            if m.lexicon != "products":
                continue
            for hit in ctx.product_hits:
                entry = ruleset.products.entries[hit.surface.entry]
                if m.finding in entry.findings:
                    end = _extend_product(text, hit.start, hit.end, ruleset.context.edition_words)
                    out.append(Candidate(rule, hit.start, end, m, product=entry))
    if any(m.lexicon == "formats" for _, m in lexicon_rules):
        if ctx.format_hits is None:
            ctx.format_hits = ruleset.formats.scan(text)
        for rule, m in lexicon_rules:
            if m.lexicon == "formats":
                out.extend(Candidate(rule, s, e, m, fmt=f) for s, e, f, _ in ctx.format_hits)
    for pm in compiled.phrase_matchers.values():
        for key, s, e in pm(doc):
            rule, m = compiled.keys[key]
            span = doc[s:e]
            out.append(Candidate(rule, span.start_char, span.end_char, m))
    if compiled.token_matcher is not None:
        for key, s, e in compiled.token_matcher(doc):
            rule, m = compiled.keys[key]
            span = doc[s:e]
            out.append(Candidate(rule, span.start_char, span.end_char, m))
    if compiled.prefilter is not None:
        for index in sorted(compiled.prefilter.candidates(text)):
            rule, m, pattern = compiled.regexes[index]
            try:
                for hit in pattern.finditer(text, timeout=REGEX_TIMEOUT):
                    start, end = tidy_span(text, hit.start(), hit.end())
                    if end > start:
                        out.append(Candidate(rule, start, end, m))
            except TimeoutError:
                continue  # a pathological block: skip this pattern here rather than hang
    # `requires`: the matcher only counts when its cue is in context.
    return [c for c in out if _requires_ok(c, ctx)]


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


def _requires_ok(c: Candidate, ctx: BlockContext) -> bool:
    if c.matcher is None or c.matcher.requires is None:
        return True
    return cue_found(c.matcher.requires, ctx, c.start, c.end)
