"""The regex prefilter may only skip patterns that cannot match: it changes speed, never results.

Rule patterns are `regex`-module patterns; the prefilter analyses them with CPython's `re`
parser only when they use syntax both modules read alike. The property tests build patterns
from `regex`-only constructs and ordinary ones, and texts that often match them, and check
that no match is ever lost."""

from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ospo_procure.matching import compile_rules
from ospo_procure.rules.patterns import REGEX_FLAGS
from ospo_procure.rules.prefilter import Prefilter, barriers, required_literals, required_sets


@pytest.mark.parametrize(
    "pattern,expected",
    [
        (r"\bper (?:named |concurrent )?users?\b", {"per "}),
        (r"\b(?:licen[cs]e|subscription)s? per\b", {"licen", "subscription"}),
        (r"\bsource code\b[^.]{0,40}\bescrow\b", {"source code"}),
        (r"(?:a+)+", None),  # nothing literal
        (r"\b\d+ ?(?:points|%)", {"points", "%"}),  # a rare sign selects, however short
        (r"\b\d+ ?(?:points|of)", None),  # "of" alone is too short to select anything
        (r"(?-i:ODF)|OpenDocument", {"odf", "opendocument"}),
        (r"\blicença por usuário\b", {"licença por usuário"}),
    ],
)
def test_required_literals(pattern, expected):
    got = required_literals(pattern)
    assert (None if got is None else set(got)) == expected


@pytest.mark.parametrize(
    "pattern,expected",
    [
        (
            r"\b(?:the )?(?:Contractor|Supplier)\b[^.]{0,60}\bshall (?:own|retain)\b",
            [{"contractor", "supplier"}, {"retain", "own"}, {"shall "}],  # a common word last
        ),
        (r"\bper (?:named |concurrent )?users?\b", [{"per "}, {"user"}]),
        (r"(?:source code){1,3} escrow", [{"source code"}, {" escrow"}]),
        (r"\bsource code\b(?: in escrow)?", [{"source code"}]),  # an optional part requires nothing
    ],
)
def test_required_sets_are_each_necessary(pattern, expected):
    assert [set(s) for s in required_sets(pattern) or ()] == expected


def test_a_set_of_common_words_is_neither_searched_for_nor_checked():
    """{"shall ", "will "} is in nearly every block: the pattern is searched for by its other
    set, and the common one, which would rule out almost nothing, is not checked."""
    pattern = r"\b(?:shall|will) (?:own|retain)\b"
    assert [set(s) for s in required_sets(pattern) or ()] == [{"own", "retain"}, {"shall", "will"}]
    pf = Prefilter([pattern])
    assert pf.candidates("The Agency shall keep the code.") == set()
    assert pf.candidates("They own the code.") == {0}  # runs, finds nothing: the regex decides


def test_a_pattern_runs_only_where_every_required_set_occurs():
    pf = Prefilter([r"\bthe (?:Contractor|Supplier)\b[^.]{0,60}\bshall own\b"])
    assert pf.candidates("The Contractor shall deliver the reports.") == set()
    assert pf.candidates("The Supplier alone shall own the code.") == {0}


@pytest.mark.parametrize(
    "pattern,expected",
    [
        (r"\btrain\w*\b[^.;]{0,40}?\bstaff\b", ".;"),
        (r"\bper user\b(?!\.)", ".;"),  # a look-ahead consumes nothing
        (r"\bmax\.? points", ";"),
        (r"[^;]{0,5}x", ";"),
        (r"a.b", ""),
        (r"a\Wb", ""),
        (r"(?:a|b)[\w\s-]+c", ".;"),
    ],
)
def test_barriers_are_the_sentence_ends_no_match_contains(pattern, expected):
    assert barriers(pattern) == expected


class _Counting:
    """A compiled pattern that counts its runs."""

    def __init__(self, source: str) -> None:
        self.pattern = source
        self.compiled = regex.compile(source, REGEX_FLAGS)
        self.runs = 0

    def finditer(self, text, pos=0, timeout=None):
        self.runs += 1
        self.pos = pos
        return self.compiled.finditer(text, pos, timeout=timeout)


def test_a_pattern_that_stays_in_a_sentence_runs_only_where_its_literals_meet_in_one():
    from ospo_procure.rules.matchers import BlockContext, _RegexScanner

    pattern = _Counting(r"\btrain\w*\b[^.;]{0,40}?\btechnical staff\b")
    scanner = _RegexScanner([(None, None, pattern)])  # type: ignore[list-item]
    assert list(scanner.scan(BlockContext("Staff will be trained. The technical staff are listed.", "en"))) == []
    assert pattern.runs == 0
    found = list(scanner.scan(BlockContext("Trainers will train the technical staff; then users.", "en")))
    assert pattern.runs == 1
    assert [(c.start, c.end) for c in found] == [(0, 39)]
    # the search starts at the sentence where the literals meet; offsets stay the block's
    text = "The technical staff is listed. Trainers will train the technical staff; then users."
    found = list(scanner.scan(BlockContext(text, "en")))
    assert (pattern.runs, pattern.pos) == (2, text.index(". Trainers") + 1)
    assert [text[c.start : c.end] for c in found] == ["Trainers will train the technical staff"]


def test_a_case_sensitive_pattern_is_prefiltered_as_written():
    """Folded, "EN" and "JP" occur in most blocks ("tender", "the"); as written they are rare."""
    pf = Prefilter([r"(?-i:\b(?:EN ?\d{4,5}|JPE?G|ODF)\b)", r"(?-i:\bODF\b)|(?i:open ?document)"])
    assert pf.candidates("The tender papers shall be sent to the Japanese office.") == set()
    assert pf.candidates("Accessible per EN 301549 and as JPEG files.") == {0}
    assert pf.candidates("in ODF") == {0, 1}
    assert pf.candidates("in OpenDocument") == {1}  # not wholly case-sensitive: folded literals
    opening = Prefilter([r"(?-i:\b(?:ODF|JPE?G)\b)(?:\s*,\s*(?:ODF|PNG))+"])
    assert opening.candidates("jpeg, png") == set()
    assert opening.candidates("JPEG, png") == {0}


@pytest.mark.parametrize(
    "pattern",
    [
        r"foo[[:alpha:]]bar",  # POSIX class: `re` would demand the text "]bar"
        r"foo[[:digit:][:space:]]+bar",
        r"\p{Lu}ODF-tail",
        r"\P{L}licence",
        r"\mlicence\M",
        r"(?:licence){e<=1}",
        r"licen[[a-z]--[aeiou]]e",  # set operation (a V1 construct; a nested set in V0)
        r"(?i)licence basis",  # a global flag that is not at the start means something else to `re`
        r"licence basis(?i)",
        r"(?>licence)s? per",
        r"(?|licence|permit) per",
        r"(?<name>licence) per",
        r"licence \X per",
        r"licence\Kper",
        r"\N{LATIN SMALL LETTER A}licence",
        r"licen[]c]e per",
        r"{licence}",
    ],
)
def test_regex_only_syntax_always_runs(pattern):
    regex.compile(pattern, REGEX_FLAGS)  # valid for the `regex` module
    assert required_literals(pattern) is None
    assert Prefilter([pattern]).candidates("nothing relevant here") == {0}


def test_posix_class_match_is_kept():
    pattern = r"foo[[:alpha:]]bar"
    assert regex.search(pattern, "fooxbar", REGEX_FLAGS)
    assert 0 in Prefilter([pattern]).candidates("fooxbar")


def test_unparseable_patterns_always_run():
    pf = Prefilter([r"(?<=a|bb)c", r"\p{Lu}ODF", r"\bescrow\b"])
    assert pf.candidates("nothing here") == {0, 1}
    assert pf.candidates("placed in ESCROW") == {0, 1, 2}


@pytest.mark.parametrize(
    "pattern,text",
    [
        (r"\blicence per seat\b", "LICENCE PER SEAT"),
        (r"\blicence per seat\b", "licen\u017fe per \u017feat"),  # long s folds to s
        (r"\bkey licence\b", "\u212aey licence"),  # Kelvin sign folds to k
        (r"\blicence basis\b", "L\u0130CENCE BASIS"),  # dotted capital I matches i
        (r"\blicence basis\b", "LICENCE BAS\u0131S"),
    ],
)
def test_case_folding_never_hides_a_match(pattern, text):
    if regex.search(pattern, text, REGEX_FLAGS):
        assert 0 in Prefilter([pattern]).candidates(text)


# Fragments: (pattern piece, texts that piece matches). Literals come in odd casings.
_WORDS = ["licence", "per", "user", "seat", "kit", "site", "basis", "ação", "usuário", "straße"]
_REGEX_ONLY = [
    (r"[[:alpha:]]", ["x", "É", "k"]),
    (r"[[:digit:]]+", ["7", "42"]),
    (r"\p{L}", ["a", "ç"]),
    (r"\p{Lu}", ["Q", "q"]),
    (r"(?:per){e<=1}", ["per", "pxr", "pe"]),
    (r"\m", [""]),
    (r"\M", [""]),
    (r"[[a-c][x-z]]", ["b", "y"]),
    (r"(?>seat|site)", ["seat", "site"]),
    (r"(?|(user)|(seat))", ["user", "seat"]),
    (r"\X", ["a", "é"]),
]
_COMMON = [
    (r"\s+", [" ", "  "]),
    (r"\b", [""]),
    (r"\w+", ["word", "x1"]),
    (r"\d{1,3}", ["1", "123"]),
    (r"(?:named|concurrent) ", ["named ", "concurrent "]),
    (r"[abc]", ["a", "C"]),
    (r"[a-z]?", ["", "q"]),
    (r"(?-i:ODF)", ["ODF"]),
    (r"(?i:seat)", ["seat", "SEAT"]),
    (r"[^;]", [".", "x"]),
    (r"\W", [".", ";", " "]),
    (r"\.?", ["", "."]),
    (r"[^.]{0,5}", ["", "ab c"]),
]


def _casings(word: str) -> list[str]:
    odd = word.replace("s", "\u017f").replace("k", "\u212a").replace("i", "\u0130").replace("ß", "\u1e9e")
    return [word, word.upper(), word.title(), word.swapcase(), odd, word.replace("i", "\u0131").upper()]


_literal = st.sampled_from(_WORDS).flatmap(lambda w: st.tuples(st.just(regex.escape(w)), st.just(_casings(w))))
_other = st.sampled_from(_REGEX_ONLY + _COMMON).map(lambda f: (f[0], f[1]))
_fragment = st.one_of(_literal, _literal, _other)


@st.composite
def pattern_and_text(draw):
    fragments = draw(st.lists(_fragment, min_size=1, max_size=5))
    if draw(st.booleans()):  # an alternation of two sequences
        other = draw(st.lists(_fragment, min_size=1, max_size=3))
        pattern = "(?:" + "".join(p for p, _ in fragments) + "|" + "".join(p for p, _ in other) + ")"
        chosen = draw(st.sampled_from([fragments, other]))
    else:
        pattern = "".join(p for p, _ in fragments)
        chosen = fragments
    text_tail = ""
    if draw(st.booleans()):  # opening case-sensitive: prefiltered on the text as written
        pattern = "(?-i:" + pattern + ")"
        if draw(st.booleans()):  # and going on case-insensitively
            tail, samples = draw(_fragment)
            pattern += tail
            text_tail = draw(st.sampled_from(samples))
    if draw(st.booleans()):
        pattern = draw(st.sampled_from(["(?i)", "(?r)", "(?f)", ""])) + pattern
    body = "".join(draw(st.sampled_from(samples)) for _, samples in chosen)
    junk = st.text(alphabet="ab .,;İıſKé", max_size=6)
    return pattern, draw(junk) + body + text_tail + draw(junk)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern_and_text())
def test_prefilter_never_loses_a_match(case):
    pattern, text = case
    try:
        compiled = regex.compile(pattern, REGEX_FLAGS)
    except (regex.error, ValueError):
        assume(False)
        return
    try:
        matched = compiled.search(text, timeout=1) is not None
    except TimeoutError:
        assume(False)
        return
    if matched:
        pf = Prefilter(["\\bnever-present-anchor\\b", pattern])
        assert 1 in pf.candidates(text), (pattern, text, required_literals(pattern))
        cut = set(barriers(pattern))
        for m in compiled.finditer(text, timeout=1):
            assert not cut & set(m.group()), (pattern, text, cut)


def test_case_folding_covers_every_case_insensitive_equivalence():
    """For every character, each character the `regex` module matches it with case-insensitively
    (among its case variants) folds to the same text, so folded literals are found in folded text."""
    from ospo_procure.rules.prefilter import fold

    bad = []
    for cp in range(0x20, 0x30000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        variants = {v for v in (c.lower(), c.upper(), c.title(), c.casefold()) if len(v) == 1 and v != c}
        variants |= {w for v in list(variants) for w in (v.lower(), v.upper()) if len(w) == 1 and w != c}
        variants |= {"i"} if c in "\u0130\u0131" else set()
        for v in variants:
            if regex.fullmatch(regex.escape(c), v, REGEX_FLAGS) and fold(c) != fold(v):
                bad.append((c, v))
    assert bad == []


def test_prefilter_never_hides_a_match_in_the_bundled_rules(bundled_rules):
    """Every pattern that matches a rule example is among the prefilter's candidates."""
    texts_by_lang: dict[str, list[str]] = {}
    for rule in bundled_rules.rules:
        for kind in ("bad", "good"):
            for lang, texts in rule.examples[kind].items():
                texts_by_lang.setdefault(lang, []).extend(texts)
    checked = 0
    for lang, texts in texts_by_lang.items():
        scanner = compile_rules(bundled_rules, lang).scanners["regex"]
        for text in texts:
            candidates = scanner.prefilter.candidates(text)  # type: ignore[attr-defined]
            for index, (_rule, _m, pattern) in enumerate(scanner.entries):  # type: ignore[attr-defined]
                if pattern.search(text, timeout=1):
                    checked += 1
                    assert scanner.slot[index] in candidates, (lang, pattern.pattern[:80], text)  # type: ignore[attr-defined]
    assert checked > 300


def test_later_sets_are_checked_alike_by_in_tests_and_by_the_second_pass(bundled_rules):
    """LiteralFilter checks a few found items' later sets with `in` tests and many with a
    pass over the later literals: both must keep exactly the same items."""
    from ospo_procure.rules.prefilter import fold

    texts = [
        text
        for rule in bundled_rules.rules
        for kind in ("bad", "good")
        for texts in rule.examples[kind].values()
        for text in texts
    ]
    for lang in ("en", "es"):
        literal_filter = compile_rules(bundled_rules, lang).scanners["regex"].prefilter._filter  # type: ignore[attr-defined]
        kept = 0
        for text in texts:
            literal_filter.FEW = 0
            by_pass = literal_filter.candidates(fold(text))
            literal_filter.FEW = 10_000
            by_in = literal_filter.candidates(fold(text))
            assert by_pass == by_in, text
            kept += len(by_pass)
        del literal_filter.FEW
        assert kept > 100
