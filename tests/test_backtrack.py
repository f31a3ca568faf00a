"""The static backtracking bound (rules/backtrack.py): which regexes run without a timeout."""

from __future__ import annotations

import time

import pytest
import regex

from ospo_procure.rules import backtrack
from ospo_procure.rules.backtrack import COST_BUDGET, cost, linear
from ospo_procure.rules.patterns import REGEX_FLAGS

# Patterns that backtrack super-linearly (exponential or polynomial in the text's length),
# with a text of the kind that shows it: the bound must never clear them.
CATASTROPHIC = [
    (r"(a+)+b", "a" * 40),
    (r"(?:a|a)*b", "a" * 40),
    (r"(\w+\s?)+$", "word " * 20 + "!"),
    (r"^(a+)+$", "a" * 40 + "!"),
    (r"(?:x+x+)+y", "x" * 40),
    (r"(.*a){12}", "a" * 40),
    (r"foo\w*bar", "foo" * 4000),  # every "foo" enters the same run: quadratic
    (r"\w+\s*x", "a" * 8000),
    (r"\s*$", " " * 8000 + "x"),
    (r"a\s+\s+b", "a" + " " * 8000),  # two runs over one class: quadratic per attempt
    (r"a\s*\s*b", "a" + " " * 8000),
    (r"\b(?:not|no)\b(?=[^;]*$)", "no " * 4000 + ";"),  # the look-ahead re-reads the rest each time
    (r"a[^.;]*b[^.;]*c", "ab" * 4000),
    (r"\w(?=\w*)x", "a" * 8000),
    (r"[^.;]{0,60}\bshall\b[^.;]{0,60}own", "shall " * 4000),  # linear, but 60*60 steps a character
    # Case-sensitively, [^a] holds "A": every "A" enters the run (read case-insensitively, the
    # class would look disjoint from the "A" before it).
    (r"(?-i:A[^a]*Ab)", "b" + "A" * 8000),
]

# Backreferences, conditionals and syntax the shared parser does not read are never analysed.
UNANALYSED = [r"(\w+)\s+\1", r"(a)?(?(1)b|c)", r"(?>a+)b", r"\p{L}+x", r"[[:alpha:]]+x", r"(?:fuzzy){e<=1}"]

# Patterns whose work per character is bounded, and why.
LINEAR = [
    r"\bdirect award\b",  # no repeat at all
    r"\bthe\s+(?:contractor|supplier)\b",  # \s+ follows a letter and is followed by letters
    r"a\s+b\s+c",
    r"(?:the\s+)?object\s+of\s+(?:this|the(?:se)?)\s+contract",
    r"^\W*(?:the\s+)?object",  # anchored at the start of the text
    r"^\d[\d.]*\s*x",
    r"\bindependent\w*\b",  # \b before a word: one entry per word
    r"\bfoo\w*bar",  # the rest may match inside the run: bounded, tried once per position
    r"x\w*",  # a run at the very end: the match ends there
    r"[^.;]{0,60}\bown",
]


@pytest.mark.parametrize(("pattern", "_text"), CATASTROPHIC)
def test_catastrophic_patterns_keep_their_timeout(pattern, _text):
    assert not linear(pattern), cost(pattern)
    assert backtrack.timeout_for(pattern, 0.25) == 0.25


def test_an_exponential_example_really_is():
    """`regex` defuses some nested repeats ((a+)+b is fast), not all: this one runs out of a
    generous timeout on a text of forty-odd characters."""
    with pytest.raises(TimeoutError):
        regex.compile(r"(?:a|a)*b", REGEX_FLAGS).search("a" * 40 + "!b", timeout=0.5)


@pytest.mark.parametrize("pattern", UNANALYSED)
def test_what_is_not_analysed_keeps_its_timeout(pattern):
    assert cost(pattern) == float("inf")


@pytest.mark.parametrize("pattern", LINEAR)
def test_linear_patterns_are_cleared(pattern):
    assert cost(pattern) <= COST_BUDGET
    assert backtrack.timeout_for(pattern, 0.25) is None


def test_a_quadratic_pattern_grows_as_the_analysis_says_and_a_cleared_one_does_not():
    """Doubling the text quadruples `foo\\w*bar` (kept timed) and doubles `\\bfoo\\w*bar`."""

    def seconds(pattern: str, text: str) -> float:
        compiled = regex.compile(pattern, REGEX_FLAGS)
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            compiled.search(text)
            best = min(best, time.process_time() - t0)
        return best

    slow = seconds(r"foo\w*bar", "foo" * 3000)
    assert seconds(r"\bfoo\w*bar", "foo" * 3000) < slow / 20


def test_the_ascii_case_table_is_the_engines():
    """_ASCII_EXTRA lists every other character the engine matches with an ASCII letter."""
    everything = backtrack._every_character()
    for code in range(0x20, 0x7F):
        source = f"[\\U{code:08x}]"
        engine = set(regex.findall(source, everything, REGEX_FLAGS))
        assert set(backtrack._literal_matches(source) or "") == engine, chr(code)


def test_disjoint_classes_are_asked_of_the_engine():
    disjoint = backtrack._disjoint
    assert disjoint(r"[\s]", r"[\U00000061]")
    assert disjoint(r"[\w]", r"[\W]")
    assert not disjoint(r"[\U0000006b]", r"[\U0000212a]")  # k and the Kelvin sign, case-insensitively
    assert not disjoint(r"[^.;]", r"[\w]")
    assert disjoint(r"[\U0000002e\U0000003b]", r"[^.;]")


def test_word_boundary_agrees_with_word_characters():
    """The guard after \\b assumes the engine's \\b is the edge of its \\w: check on every
    character of the Basic Multilingual Plane after a letter and after a space."""
    chars = "".join(chr(i) for i in range(0x10000) if not 0xD800 <= i <= 0xDFFF)
    word = regex.compile(r"\w", REGEX_FLAGS)
    edge = regex.compile(r"\b", REGEX_FLAGS)
    for before in ("a", " "):
        for ch in chars[::7]:
            expected = bool(word.match(before)) != bool(word.match(ch))
            assert bool(edge.match(before + ch, 1)) == expected, hex(ord(ch))


def test_decisions_travel_with_the_cached_rule_set(bundled_rules, monkeypatch):
    decided = {k: v for k, v in bundled_rules.analyses.items() if k.startswith("\0linear\0")}
    assert decided and any(decided.values()) and not all(decided.values())
    monkeypatch.setattr(backtrack, "_LINEAR", {})
    backtrack.remember(bundled_rules.analyses)
    for key, value in list(decided.items())[:200]:
        assert linear(key[len("\0linear\0") :]) is value


def test_decisions_are_remembered_by_pattern_across_rule_folder_versions(tmp_path, monkeypatch):
    """An edited rule folder is rebuilt, but its unchanged patterns are not analysed again."""
    monkeypatch.setenv("OSPO_PROCURE_CACHE", str(tmp_path))
    monkeypatch.setattr(backtrack, "_LINEAR", {})
    patterns = [r"\bthe\s+(?:contractor|supplier)\b", r"(a+)+b"]
    first = backtrack.analyses(patterns)
    assert list(first.values()) == [True, False]
    monkeypatch.setattr(backtrack, "_LINEAR", {})

    def no_analysis(pattern: str) -> float:
        raise AssertionError(f"analysed again: {pattern}")

    monkeypatch.setattr(backtrack, "cost", no_analysis)
    assert backtrack.analyses(patterns) == first
