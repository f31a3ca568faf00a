"""The spaCy-free tokenizer, sentencizer and phrase matching give exactly spaCy's answers.

ospo_procure/tokenizer.py reimplements spaCy's tokenizer and sentencizer over rules exported
from spaCy, and rules/matchers.py matches phrases on those tokens as spaCy's PhraseMatcher
would. These tests run spaCy itself beside them: on the development corpus, the real-tender
corpus, the bundled examples, every rule example, and generated strings full of the cases
the tokenizer treats specially (special cases, affixes, infixes, URLs, emoticons, units,
elisions, odd whitespace and Unicode)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ospo_procure.nlp import SUPPORTED_LANGUAGES, _blank
from ospo_procure.tokenizer import Tokenizer, export_rules

ROOT = Path(__file__).resolve().parent.parent


@cache
def _spacy(lang: str) -> Any:
    nlp = _blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


@cache
def _ours(lang: str) -> Tokenizer:
    return Tokenizer(export_rules(_spacy(lang)))


@cache
def _real_texts() -> list[str]:
    """Block texts of every document we have: corpora, examples and rule examples."""
    from ospo_procure.readers import read_document
    from ospo_procure.rules import load_ruleset

    texts: list[str] = []
    corpus = ROOT.parent / "shared" / "corpus"
    if (corpus / "paragraphs.jsonl").is_file():
        texts += [json.loads(line)["text"] for line in (corpus / "paragraphs.jsonl").read_text().splitlines()]
    for folder in (corpus / "docs", ROOT / "benchmarks" / "corpus" / "real" / "docs", ROOT / "examples" / "tenders"):
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix in (".docx", ".pdf", ".odt", ".txt", ".md"):
                texts += [b.text for b in read_document(path).blocks]
    for rule in load_ruleset().rules:
        texts += [t for kind in rule.examples.values() for ts in kind.values() for t in ts]
    return texts


def _check(lang: str, text: str) -> None:
    doc = _spacy(lang)(text)
    ours = _ours(lang)
    tokens = ours.tokens(text)
    assert [(t.idx, t.idx + len(t.text)) for t in doc] == tokens, (lang, text)
    assert [t.is_punct for t in doc] == [ours.is_punct(text[s:e]) for s, e in tokens]
    starts = [s.start_char for s in doc.sents] if len(doc) else [0]
    assert [s for s, _ in ours.sentences(text, tokens)] == starts, (lang, text)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_same_tokens_and_sentences_as_spacy_on_every_document(lang):
    texts = _real_texts()
    assert len(texts) > 2000  # the corpora are there: this is not a test of nothing
    for text in texts:
        _check(lang, text)


_ATOMS = [
    *("a", "Ab", "SQL", "ß", "İ", "Σ", "ς", "é", "1", "22", "3.5", "1,000", "km", "kg", "GB", "°C", "½", "²"),
    *("$", "US$", "€", "%", "§", "©", "😀", "(", ")", "[", "]", "{", "}", "'", '"', "’", "‘", "«", "»", "„"),
    *("-", "–", "—", "/", "\\", ":", ";", ",", ".", "...", "…", "!", "?", "¿", "¡", "@", "#", "&", "*", "+", "="),
    *("<", ">", "^", "~", "_", "|", "http://", "https://x.org/a?b=c", "www.", ".com", "x.org", "e-mail"),
    *("'s", "n't", "l'", "qu'", "d’", "e.g.", "i.e.", "etc.", "a.m.", "p.m.", "10a.m.", "Dr.", "U.S.", "No."),
    *(":)", ":-(", ";)", "<3", "o.O", "¯\\_(ツ)_/¯", "\u00a0", "\u2009", "\t", "\n", " ", "  ", "\u3002", "！"),
]


@st.composite
def _text(draw: Any) -> str:
    parts = draw(st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=14))
    spaces = draw(st.lists(st.booleans(), min_size=len(parts), max_size=len(parts)))
    return "".join(p + (" " if space else "") for p, space in zip(parts, spaces, strict=True))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lang=st.sampled_from(SUPPORTED_LANGUAGES), text=_text())
def test_same_tokens_and_sentences_as_spacy_on_generated_strings(lang, text):
    _check(lang, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lang=st.sampled_from(SUPPORTED_LANGUAGES), data=st.data())
def test_every_special_case_is_tokenized_as_spacy_does_in_context(lang, data):
    specials = sorted(_ours(lang).rules.specials)
    chosen = data.draw(st.lists(st.sampled_from(specials), min_size=1, max_size=4))
    glue = data.draw(st.lists(st.sampled_from(["", " ", "(", ")", ".", ",", "'", "-", "\n"]), min_size=len(chosen)))
    _check(lang, "".join(g + s for g, s in zip(glue, chosen, strict=False)))


def test_empty_and_whitespace_texts():
    for lang in SUPPORTED_LANGUAGES:
        for text in ("", " ", "  ", "\n", " \n ", "a ", " a", "a  b", "a\n\nb", "a \n b"):
            _check(lang, text)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_phrase_matches_are_spacy_phrasematcher_matches(bundled_rules, lang):
    """The phrase scanner finds what spaCy's PhraseMatcher finds over spaCy's own pipeline
    (with the same lookup lemmas), for every phrase of the bundled rules, on every document."""
    from spacy.matcher import PhraseMatcher as SpacyPhraseMatcher

    from ospo_procure.matching import compile_rules
    from ospo_procure.rules.matchers import BlockContext, PhraseMatcher

    compiled = compile_rules(bundled_rules, lang)
    scanner = compiled.scanners["phrases"]
    nlp = compiled.tables.spacy()
    matchers: dict[str, Any] = {}
    for rule in compiled.rules:
        for i, m in enumerate(rule.matchers):
            if isinstance(m, PhraseMatcher) and m.phrases.get(lang):
                attr = "LEMMA" if m.attr == "lemma" else "LOWER"
                pm = matchers.setdefault(attr, SpacyPhraseMatcher(nlp.vocab, attr=attr))
                pm.add(f"{rule.id}#{i}", list(nlp.pipe(m.phrases[lang])))
    texts = [*_real_texts(), *_phrase_texts(compiled)]
    found = 0
    for text in texts:
        doc = nlp(text)
        expected = sorted(
            (doc[s:e].start_char, doc[s:e].end_char, nlp.vocab.strings[key])
            for pm in matchers.values()
            for key, s, e in pm(doc)
        )
        ctx = BlockContext(text, lang, tables=compiled.tables)
        got = sorted((c.start, c.end, f"{c.rule.id}#{c.rule.matchers.index(c.matcher)}") for c in scanner.scan(ctx))
        assert got == expected, text
        found += len(got)
    assert found > 20


def _phrase_texts(compiled: Any) -> list[str]:
    """Every phrase in plural, capitalised and upper-case forms, inside sentences."""
    from ospo_procure.rules.matchers import PhraseMatcher

    out = []
    for rule in compiled.rules:
        for m in rule.matchers:
            if isinstance(m, PhraseMatcher):
                for phrase in m.phrases.get(compiled.lang, []):
                    plural = " ".join(w + "s" for w in phrase.split())
                    out += [f"The {phrase} applies.", f"{phrase.upper()}; {plural.title()}.", f"({phrase})"]
    return out


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_precompiled_patterns_are_those_re_compile_makes(lang):
    """The tokenizer's patterns are stored compiled (tokenizer._precompile); loaded, each is
    the pattern re.compile makes; a stored form from another Python, or a damaged one,
    falls back to re.compile."""
    import re
    import sys

    from ospo_procure.tokenizer import _PATTERNS, _load_pattern

    rules = _ours(lang).rules
    probes = ["hello.", "(x", "e-mail", "http://a.b/c", "10km", "$5", "'s", "l'État", "U.S.", ":)", "a/b", "…"]
    for name in _PATTERNS:
        spec = getattr(rules, name)
        if spec is None:
            continue
        expected = re.compile(*spec)
        for stored, python in (
            (rules.precompiled[name], sys.version),
            (rules.precompiled[name], "another Python"),
            (("garbage",), sys.version),
        ):
            got = _load_pattern(spec, stored, python)
            assert (got.pattern, got.flags, got.groups, got.groupindex) == (
                expected.pattern,
                expected.flags,
                expected.groups,
                expected.groupindex,
            )
            for text in probes:
                assert [m.span() for m in got.finditer(text)] == [m.span() for m in expected.finditer(text)]
