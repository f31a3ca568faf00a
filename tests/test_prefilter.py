"""The regex prefilter may only skip patterns that cannot match: it changes speed, never results."""

from __future__ import annotations

import pytest

from ospo_procure.matching import compile_rules
from ospo_procure.rules.prefilter import Prefilter, required_literals


@pytest.mark.parametrize(
    "pattern,expected",
    [
        (r"\bper (?:named |concurrent )?users?\b", {"per "}),
        (r"\b(?:licen[cs]e|subscription)s? per\b", {"licen", "subscription"}),
        (r"\bsource code\b[^.]{0,40}\bescrow\b", {"source code"}),
        (r"(?:a+)+", None),  # nothing literal
        (r"\b\d+ ?(?:points|%)", None),  # "%" alone is too short to select anything
        (r"(?-i:ODF)|OpenDocument", {"odf", "opendocument"}),
    ],
)
def test_required_literals(pattern, expected):
    got = required_literals(pattern)
    assert (None if got is None else set(got)) == expected


def test_unparseable_patterns_always_run():
    pf = Prefilter([r"(?<=a|bb)c", r"\p{Lu}ODF", r"\bescrow\b"])
    assert pf.candidates("nothing here") == {0, 1}
    assert pf.candidates("placed in ESCROW") == {0, 1, 2}


def test_prefilter_never_hides_a_match_in_the_bundled_rules(bundled_rules):
    """Every pattern that matches a rule example is among the prefilter's candidates."""
    texts_by_lang: dict[str, list[str]] = {}
    for rule in bundled_rules.rules:
        for kind in ("bad", "good"):
            for lang, texts in rule.examples[kind].items():
                texts_by_lang.setdefault(lang, []).extend(texts)
    checked = 0
    for lang, texts in texts_by_lang.items():
        compiled = compile_rules(bundled_rules, lang)
        for text in texts:
            candidates = compiled.prefilter.candidates(text)
            for index, (_rule, _m, pattern) in enumerate(compiled.regexes):
                if pattern.search(text, timeout=1):
                    checked += 1
                    assert index in candidates, (lang, pattern.pattern[:80], text)
    assert checked > 300
