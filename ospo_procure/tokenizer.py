"""spaCy's rule-based tokenizer and sentencizer, run without importing spaCy.

Importing spaCy costs about 0.8 s per process, more than a whole lint of a 40,000-word
tender may take, and the linter needs only two things from it: tokens (for the phrase
matchers) and sentence spans (for cues), on the few blocks where a candidate can occur.
Both come from plain data: the tokenizer's special cases and its prefix, suffix, infix and
URL patterns, and the sentencizer's punctuation list. `export_rules` copies that data out
of a spaCy pipeline when the compiled rule set is built (rules/cache.py; spaCy is imported
then, once), and `Tokenizer` applies it with the algorithm of spacy/tokenizer.pyx (3.8):
whitespace chunks, special cases, affix splitting, infixes, then the pass that re-applies
special cases containing punctuation. tests/test_tokenizer.py checks every token and every
sentence against spaCy's own on the corpora, the examples and adversarial strings.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

# Token = (start, end) character offsets in the text.
Span = tuple[int, int]
_CHUNKS = re.compile(r"\s+|\S+")  # `\s` and str.isspace() agree: both use Py_UNICODE_ISSPACE


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """spaCy's chunks: runs of non-space characters and runs of whitespace, where the first
    ' ' after a word belongs to that word (its trailing space) and is no chunk of its own."""
    for m in _CHUNKS.finditer(text):
        s, e = m.span()
        if s > 0 and text[s] == " ":
            s += 1
            if s == e:
                continue
        yield s, text[s:e]


def _spaced(text: str) -> Iterator[tuple[int, str]]:
    """The same, for a text whose only whitespace is single spaces between words."""
    pos = 0
    for chunk in text.split(" "):
        if chunk:
            yield pos, chunk
        pos += len(chunk) + 1


@dataclass
class TokenizerRules:
    """What spaCy's tokenizer and sentencizer do for one language, as data."""

    specials: dict[str, tuple[str, ...]]  # chunk -> the texts of its tokens
    prefix: tuple[str, int] | None  # (pattern, flags) of prefix_search
    suffix: tuple[str, int] | None
    infix: tuple[str, int] | None
    token_match: tuple[str, int] | None
    url_match: tuple[str, int] | None
    punct_chars: frozenset[str]  # the sentencizer's sentence-final punctuation
    # Special cases spaCy re-applies after affix splitting (those with affixes or spaces):
    # their affix tokenization, by first token text.
    special_seqs: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    # The patterns as CPython's `re` compiles them (see _precompile), for this Python only.
    python: str = ""
    precompiled: dict[str, tuple[Any, ...]] = field(default_factory=dict)


def _pattern(fn: Any) -> tuple[str, int] | None:
    if fn is None:
        return None
    compiled = fn.__self__  # a bound `search` / `finditer` / `match` of a re.Pattern
    return compiled.pattern, compiled.flags


def export_rules(nlp: Any) -> TokenizerRules:
    """The tokenizer and sentencizer data of a spaCy pipeline (imports nothing itself)."""
    from spacy.attrs import ORTH

    tok = nlp.tokenizer
    specials = {chunk: tuple(piece[ORTH] for piece in pieces) for chunk, pieces in tok.rules.items()}
    sentencizer = nlp.get_pipe("sentencizer") if nlp.has_pipe("sentencizer") else None
    punct = frozenset(sentencizer.punct_chars) if sentencizer is not None else frozenset()
    rules = TokenizerRules(
        specials=specials,
        prefix=_pattern(tok.prefix_search),
        suffix=_pattern(tok.suffix_search),
        infix=_pattern(tok.infix_finditer),
        token_match=_pattern(tok.token_match),
        url_match=_pattern(tok.url_match),
        punct_chars=punct,
    )
    if not tok.faster_heuristics:  # every special case would go to the matcher pass
        raise ValueError("tokenizers without faster_heuristics are not supported")
    plain = Tokenizer(rules)
    seqs: dict[str, list[tuple[str, ...]]] = {}
    for chunk in sorted(specials):
        if plain.find_prefix(chunk) or plain.find_infix(chunk) or plain.find_suffix(chunk) or " " in chunk:
            pieces = tuple(chunk[s:e] for s, e in plain.tokens(chunk, with_special_cases=False))
            if pieces:
                seqs.setdefault(pieces[0], []).append(pieces)
    rules.special_seqs = seqs
    rules.python = sys.version
    for name in _PATTERNS:
        spec = getattr(rules, name)
        if spec is not None:
            rules.precompiled[name] = _precompile(*spec)
    return rules


_PATTERNS = ("prefix", "suffix", "infix", "token_match", "url_match")


def _precompile(pattern: str, flags: int) -> tuple[Any, ...]:
    """What re.compile does before its last step, done when the rules are cached.

    spaCy's affix patterns are huge character classes that CPython's pure-Python regex
    compiler takes ~35 ms to turn into code, in every process. re.compile ends with
    `_sre.compile(pattern, flags, code, groups - 1, groupindex, indexgroup)`; we store those
    arguments, made by the same functions, and make that last call at run time (well under
    a millisecond). The cache key holds the exact Python version, and Tokenizer falls back to
    re.compile whenever the stored form does not load or does not match."""
    try:  # Python 3.11+
        compiler, parser = import_module("re._compiler"), import_module("re._parser")
    except ImportError:  # pragma: no cover - Python 3.10
        compiler, parser = import_module("sre_compile"), import_module("sre_parse")
    parsed = parser.parse(pattern, flags)
    code = [int(op) for op in compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _load_pattern(spec: tuple[str, int], stored: tuple[Any, ...] | None, python: str) -> Any:
    """The compiled pattern from its stored form (see _precompile), else by re.compile."""
    if stored is not None and python == sys.version:
        try:
            compiled = import_module("_sre").compile(*stored)
            if compiled.pattern == spec[0]:
                return compiled
        except Exception:  # another CPython's internals: compile as usual
            pass
    return re.compile(spec[0], spec[1])


class Tokenizer:
    """Tokens and sentence spans of texts, by `TokenizerRules`. Patterns compile on first
    use and chunk tokenizations are memoised (words repeat), so a process that never
    tokenizes pays nothing."""

    def __init__(self, rules: TokenizerRules) -> None:
        self.rules = rules
        self._compiled: dict[str, Any] = {}
        self._memo: dict[str, tuple[int, ...]] = {}  # chunk -> lengths of its tokens
        self._punct: dict[str, bool] = {}

    # -- the patterns, compiled on first use

    def _re(self, name: str) -> Any:
        if name not in self._compiled:
            spec = getattr(self.rules, name)
            stored = self.rules.precompiled.get(name)
            self._compiled[name] = _load_pattern(spec, stored, self.rules.python) if spec is not None else None
        return self._compiled[name]

    def find_prefix(self, string: str) -> int:
        p = self._re("prefix")
        m = p.search(string) if p is not None else None
        return m.end() - m.start() if m is not None else 0

    def find_suffix(self, string: str) -> int:
        p = self._re("suffix")
        m = p.search(string) if p is not None else None
        return m.end() - m.start() if m is not None else 0

    def find_infix(self, string: str) -> list[Any]:
        p = self._re("infix")
        return list(p.finditer(string)) if p is not None else []

    def _whole(self, string: str) -> bool:
        """token_match or url_match: the string stays one token."""
        tm, um = self._re("token_match"), self._re("url_match")
        return bool((tm is not None and tm.match(string)) or (um is not None and um.match(string)))

    # -- tokens

    def tokens(self, text: str, *, with_special_cases: bool = True) -> list[Span]:
        """(start, end) of every token spaCy's tokenizer makes of `text`."""
        out: list[Span] = []
        specials = self.rules.specials if with_special_cases else {}
        memo = self._memo if with_special_cases else {}
        if text.isprintable() and "  " not in text and not text.startswith(" "):
            # The usual paragraph: words separated by single spaces, no other whitespace
            # (isprintable() is false for every whitespace character but ' ').
            chunks: Iterable[tuple[int, str]] = _spaced(text)
        else:
            chunks = _chunks(text)
        for s, chunk in chunks:
            lengths = memo.get(chunk)
            if lengths is None:
                pieces = specials.get(chunk)
                lengths = tuple(map(len, pieces)) if pieces is not None else self._chunk(chunk, specials)
                memo[chunk] = lengths
            if len(lengths) == 1:
                out.append((s, s + lengths[0]))
                continue
            for n in lengths:
                out.append((s, s + n))
                s += n
        if with_special_cases and self.rules.special_seqs and out:
            out = self._special_pass(text, out)
        return out

    # complex: spaCy's affix loop step for step (its tokens are the reference, test_tokenizer.py)
    def _chunk(self, string: str, specials: dict[str, tuple[str, ...]]) -> tuple[int, ...]:
        """spaCy's _split_affixes + _attach_tokens for one whitespace-free chunk (or one
        whitespace chunk); returns token lengths."""
        prefixes: list[str] = []
        suffixes: list[str] = []
        tm = self._re("token_match")
        last_size = 0
        while string and len(string) != last_size:
            if tm is not None and tm.match(string):
                break
            if string in specials:
                break
            last_size = len(string)
            pre_len = self.find_prefix(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self.find_suffix(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        pieces = list(prefixes)
        if string:
            if string in specials:
                pieces.extend(specials[string])
            elif self._whole(string):
                pieces.append(string)
            else:
                pieces.extend(self._infix_pieces(string))
        pieces.extend(reversed(suffixes))
        return tuple(len(p) for p in pieces)

    def _infix_pieces(self, string: str) -> list[str]:
        """The affix-free core split on its infixes (spaCy's _attach_tokens)."""
        pieces: list[str] = []
        start = 0
        for match in self.find_infix(string):
            i_start, i_end = match.start(), match.end()
            if i_start == 0:  # spaCy skips an infix at the very start
                continue
            if i_start != start:
                pieces.append(string[start:i_start])
            if i_start != i_end:
                pieces.append(string[i_start:i_end])
            start = i_end
        if string[start:]:
            pieces.append(string[start:])
        return pieces

    def _special_pass(self, text: str, toks: list[Span]) -> list[Span]:
        """spaCy's _apply_special_cases: a special case whose own text splits on affixes
        ("10a.m.", ":)") is found again as a token sequence and re-tokenized."""
        seqs = self.rules.special_seqs
        texts = [text[s:e] for s, e in toks]
        matches: list[Span] = []  # token index ranges
        for i, t in enumerate(texts):
            for seq in seqs.get(t, ()):
                n = len(seq)
                if tuple(texts[i : i + n]) == seq:
                    matches.append((i, i + n))
        if not matches:
            return toks
        # Longest first, then leftmost; a match whose first or last token is taken is dropped.
        matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        seen: set[int] = set()
        kept: list[Span] = []
        for a, b in matches:
            if a not in seen and b - 1 not in seen:
                kept.append((a, b))
            seen.update(range(a, b))
        out: list[Span] = []
        i = 0
        for a, b in sorted(kept):
            out.extend(toks[i:a])
            s, e = toks[a][0], toks[b - 1][1]
            pieces = self.rules.specials.get(text[s:e])
            if pieces is None:
                out.extend(toks[a:b])
            else:
                for p in pieces:
                    out.append((s, s + len(p)))
                    s += len(p)
            i = b
        out.extend(toks[i:])
        return out

    # -- sentences

    def is_punct(self, token: str) -> bool:
        """spaCy's IS_PUNCT: every character is in a Unicode punctuation category."""
        value = self._punct.get(token)
        if value is None:
            value = self._punct[token] = all(unicodedata.category(c).startswith("P") for c in token)
        return value

    def sentences(self, text: str, toks: list[Span] | None = None) -> list[Span]:
        """(start, end) of the sentencizer's sentences, covering the whole text."""
        toks = self.tokens(text) if toks is None else toks
        if not toks:
            return [(0, len(text))]
        punct = self.rules.punct_chars
        starts = [0]
        seen_period = False  # a sentence-final mark was seen; the next other token starts a sentence
        for s, e in toks:
            if seen_period:
                t = text[s:e]
                if t not in punct and not self.is_punct(t):
                    starts.append(s)
                    seen_period = False
            elif text[s:e] in punct:
                seen_period = True
        return list(zip(starts, [*starts[1:], len(text)], strict=True))
