r"""Literal prefilters for rule regexes, so most patterns never run on most blocks.

For a regex we compute sets of literal strings such that every match contains at least one
literal of each set (in the spirit of RE2's and code-search prefilters): `\bthe (?:Contractor|
Supplier)\b[^.]{0,60}\bshall (?:own|retain)` needs one of {contractor, supplier}, and "shall ",
and one of {own, retain}. One Aho-Corasick pass over the case-folded block then tells which
patterns can match at all (every set hit); only those run. A pattern we cannot analyse
simply always runs, so the prefilter never changes results, only speed. Analyses are
memoised per pattern text and cached with the compiled rule set (rules/cache.py).

Rule patterns are `regex`-module patterns, but the analysis parses them with CPython's
`re` parser, which reads some `regex`-only syntax differently (`[[:alpha:]]` is a POSIX
class for `regex` and a set followed by a literal `]` for `re`). So a pattern is analysed
only when a conservative scan (`_common_syntax`) finds nothing but syntax both modules read
the same way; anything else (POSIX classes, nested sets and set operations, \p{..}, \m,
fuzzy {e<=1}, (?V1), inline global flags, atomic groups, branch reset...) always runs.
"""

from __future__ import annotations

import re
from itertools import chain
from operator import itemgetter
from typing import Any

_c: Any
_parser: Any
try:  # Python 3.11+
    import re._constants as _c  # type: ignore[import-not-found,no-redef]
    import re._parser as _parser  # type: ignore[import-not-found,no-redef]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

MIN_LITERAL = 3  # shorter anchors ("of", "de") select nothing...
_COMMON_CHARS = frozenset(".,;:-'\"()[]/ ")  # ...unless made of rarer signs ("%", "€", "§")
_RARE_RUN = re.compile(r"[^\w\s.,;:\-'\"()\[\]/]+")
MAX_ANCHORS = 300
MAX_SETS = 4  # literal sets required together per pattern

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_NEUTRAL = {_c.AT}  # zero-width anchors such as \b and ^ keep a literal run going


# Escapes both modules read alike: classes, anchors, control characters; any escaped
# punctuation is a literal. Everything else (\p \P \m \M \X \N \G \K \L \g \h \R, octal
# and back-references) sends the pattern to "always run".
_SAFE_ESCAPES = frozenset("bBdDwWsSAZntrf")
_QUANT = re.compile(r"\{\d*(?:,\d*)?\}")
_GROUP_OPENERS = ("?:", "?=", "?!", "?<=", "?<!")
_SCOPED_FLAGS = re.compile(r"\?-?[ims]+(?:-[ims]+)?:")
_NAMED_GROUP = re.compile(r"\?P<[A-Za-z_]\w*>")


def _escape_len(pattern: str, i: int) -> int:
    """Length of the escape at pattern[i] ('\\'), or 0 when it is not known to be common syntax."""
    if i + 1 >= len(pattern):
        return 0
    c = pattern[i + 1]
    if c in _SAFE_ESCAPES or not (c.isalnum() or c == "_"):
        return 2
    if c == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", pattern[i + 2 : i + 4]):
        return 4
    if c == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", pattern[i + 2 : i + 6]):
        return 6
    return 0


def _set_end(pattern: str, i: int) -> int:
    """Index after the character set opening at pattern[i] ('['), or 0 when the set uses
    anything beyond plain members, ranges and safe escapes."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":  # a leading ']' is a member for one module, an end for the other
        return 0
    while j < len(pattern):
        c = pattern[j]
        if c == "]":
            return j + 1
        if c == "[" or pattern[j : j + 2] in ("&&", "||", "--", "~~"):
            return 0  # POSIX class, nested set or set operation
        if c == "\\":
            n = _escape_len(pattern, j)
            if not n:
                return 0
            j += n
            continue
        j += 1
    return 0


def _group_ok(pattern: str, i: int) -> int:
    """Length of the group opener at pattern[i] ('('), or 0 when it is not common syntax."""
    rest = pattern[i + 1 : i + 40]
    if not rest.startswith("?"):
        return 1
    for opener in _GROUP_OPENERS:
        if rest.startswith(opener):
            return 1 + len(opener)
    m = _SCOPED_FLAGS.match(rest) or _NAMED_GROUP.match(rest)
    return 1 + m.end() if m else 0


def _common_syntax(pattern: str) -> bool:
    """True when the pattern uses only syntax that `re` and `regex` (V0) read the same way."""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            step = _escape_len(pattern, i)
        elif c == "[":
            end = _set_end(pattern, i)
            step = end - i if end else 0
        elif c == "(":
            step = _group_ok(pattern, i)
        elif c == "{":
            m = _QUANT.match(pattern, i)
            step = m.end() - i if m and i > 0 else 0  # anything else: fuzzy matching, a literal brace
        elif c == "}":
            step = 0
        else:
            step = 1
        if not step:
            return False
        i += step
    return True


def fold(text: str) -> str:
    """Case folding the prefilter applies to literals and text alike, so that whatever the
    `regex` module's IGNORECASE (simple case folding, V0) matches, the folded text contains the
    folded literal: full case folding maps the Kelvin sign to 'k', the long s to 's' and both
    sharp s to 'ss'; the dotted and dotless Turkish i are the two letters `regex` equates with
    i that casefold() does not. (Checked over every code point by tests/test_prefilter.py.)"""
    return text.replace("\u0130", "i").replace("\u0131", "i").casefold()


def required_sets(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Sets of literals (case-folded) such that every match contains one literal of each set,
    or None when nothing is known. The most selective set comes first; at most MAX_SETS - 1
    others follow. Sets of two-letter words ({no, not, nor}) are kept: an `in` test can still
    rule a region out, though they are too common to search a block for (see Prefilter)."""
    if pattern in _ANALYSES:
        return _ANALYSES[pattern]
    result: tuple[frozenset[str], ...] | None = None
    if _common_syntax(pattern):
        try:
            tree = _parser.parse(pattern, re.IGNORECASE)
        except Exception:  # not valid `re` syntax after all: no prefilter
            tree = None
        if tree is not None:
            found = [frozenset(fold(lit) for lit in s) for s in _sets(list(tree)) if s]
            usable = [s for s in found if _useful(s) or _weak(s)]
            if usable:
                chosen: list[frozenset[str]] = []
                for candidate in sorted(usable, key=_preference, reverse=True):
                    if candidate not in chosen and len(chosen) < MAX_SETS:
                        chosen.append(candidate)
                result = tuple(chosen)
    _ANALYSES[pattern] = result
    return result


# A pattern that opens with a case-sensitive group, "(?-i:\b(?:ODF|CSV|JSON|EN ?\d{4})\b)...",
# needs that group's literals as written: folded, "odf", "en" and "jp" occur in every other
# block ("products", "the"), so it would run everywhere. Its analysis is kept under this
# prefix of its text.
_EXACT = "\0exact\0"


def exact_sets(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Sets of literals, as written, such that every match contains one of each: those of
    the case-sensitive groups the pattern's top-level sequence requires. None when it has
    none, or turns case-insensitivity back on anywhere."""
    key = _EXACT + pattern
    if key in _ANALYSES:
        return _ANALYSES[key]
    result: tuple[frozenset[str], ...] | None = None
    if pattern.startswith("(?-i:") and "(?i" not in pattern and _common_syntax(pattern):
        try:
            tree = list(_parser.parse(pattern, 0))
        except Exception:
            tree = []
        found: list[frozenset[str]] = []
        for op, arg in tree:  # each item of the top-level sequence is required
            if op is _c.SUBPATTERN and not arg[1] and arg[2] & re.IGNORECASE:
                found.extend(frozenset(s) for s in _sets(list(arg[-1])) if s)
        chosen = sorted((s for s in found if _useful_exact(s)), key=_score, reverse=True)[:MAX_SETS]
        result = tuple(chosen) or None
    _ANALYSES[key] = result
    return result


def _useful_exact(found: frozenset[str]) -> bool:
    """Selective enough to search for in the text as written: as `_useful`, but a two-letter
    literal with a capital ("EN", "JP") is rare enough in running text."""
    if not found or len(found) > MAX_ANCHORS:
        return False
    return all(len(lit) >= MIN_LITERAL or (len(lit) == 2 and any(c.isupper() for c in lit)) for lit in found)


# Sentence and clause ends that most rule patterns never cross ("[^.;]{0,60}"). No other
# character folds to either, so the folded text splits at the same places as the text.
BARRIER_CHARS = ".;"
_BARRIERS = "\0barriers\0"


def barriers(pattern: str) -> str:
    """The characters of BARRIER_CHARS that no match of `pattern` can contain ("" when
    unknown). A match then lies between two of them, so a literal of each of its required
    sets occurs in one such piece of the text: literals spread over two sentences are no
    reason to run it. Kept with the analyses, as a one-set tuple."""
    key = _BARRIERS + pattern
    if key not in _ANALYSES:
        found = ""
        if _common_syntax(pattern):
            try:
                tree: list[Any] | None = list(_parser.parse(pattern, re.IGNORECASE))
            except Exception:
                tree = None
            if tree is not None:
                found = "".join(ch for ch in BARRIER_CHARS if not _may_consume(tree, ch))
        _ANALYSES[key] = (frozenset(found),) if found else None
    known = _ANALYSES[key]
    return "".join(sorted(known[0])) if known else ""


_CATEGORIES: dict[Any, Any] = {
    _c.CATEGORY_DIGIT: str.isdigit,
    _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    _c.CATEGORY_SPACE: str.isspace,
    _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}  # look-arounds and anchors consume nothing


def _may_consume(items: list[Any], ch: str) -> bool:
    """Whether a match of the parsed sequence may contain `ch` (True when unsure). `ch` has
    no other case, so IGNORECASE changes nothing here."""
    for op, arg in items:
        if op is _c.LITERAL:
            hit = chr(arg) == ch
        elif op is _c.NOT_LITERAL:
            hit = chr(arg) != ch
        elif op is _c.IN:
            hit = _in_set(arg, ch)
        elif op in _ZERO_WIDTH:
            hit = False
        elif op is _c.SUBPATTERN:
            hit = _may_consume(list(arg[-1]), ch)
        elif op is _c.BRANCH:
            hit = any(_may_consume(list(alt), ch) for alt in arg[1])
        elif op in _REPEATS:
            hit = _may_consume(list(arg[2]), ch)
        else:  # any character, back-references, conditionals...: assume it may
            hit = True
        if hit:
            return True
    return False


def _in_set(items: list[Any], ch: str) -> bool:
    """Whether the parsed character set matches `ch` (True when unsure)."""
    negate = member = False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            member = member or chr(arg) == ch
        elif op is _c.RANGE:
            member = member or arg[0] <= ord(ch) <= arg[1]
        elif op is _c.CATEGORY and arg in _CATEGORIES:
            member = member or _CATEGORIES[arg](ch)
        else:
            return True
    return member != negate


def required_literals(pattern: str) -> frozenset[str] | None:
    """The best single set of literals (case-folded) of which every match contains one, when
    it is selective enough to search for."""
    sets = required_sets(pattern)
    return sets[0] if sets and _useful(sets[0]) else None


# Analyses by pattern text: filled on use, saved with the compiled rule set and restored
# from it, so a cached rule set never parses a pattern again.
_ANALYSES: dict[str, tuple[frozenset[str], ...] | None] = {}


def analyses(patterns: list[str]) -> dict[str, tuple[frozenset[str], ...] | None]:
    found = {p: required_sets(p) for p in patterns}
    found.update({_EXACT + p: exact_sets(p) for p in patterns})
    for p in patterns:
        barriers(p)
        found[_BARRIERS + p] = _ANALYSES[_BARRIERS + p]
    return found


def remember(known: dict[str, tuple[frozenset[str], ...] | None]) -> None:
    _ANALYSES.update(known)


def _useful(found: set[str] | frozenset[str]) -> bool:
    """Selective enough to search for: no literal shorter than MIN_LITERAL unless it is made
    of rarer signs. (Weaker sets still serve as later checks, see required_sets.)"""
    if not found or len(found) > MAX_ANCHORS:
        return False
    return all(
        len(lit) >= MIN_LITERAL or not (set(lit) & _COMMON_CHARS or any(c.isalnum() for c in lit)) for lit in found
    )


def _rare_core(literal: str) -> str:
    """A short literal stands for its longest run of rarer signs ("% " -> "%"): any part of a
    required literal is required too."""
    if len(literal) >= MIN_LITERAL:
        return literal
    runs = _RARE_RUN.findall(literal)
    return max(runs, key=len) if runs else literal


def _score(candidate: set[str] | frozenset[str]) -> tuple[int, int]:
    return (min(len(s) for s in candidate), -len(candidate))


# Function words of three letters or more that nearly every sentence of a tender holds, in
# each of its languages. A set holding one ({"shall ", "will "}, {"the "}) occurs in nearly
# every block, so it selects nothing: searched for, it finds most patterns that use it in
# every block; as a later set, it rules out almost nothing while each of its occurrences
# costs the second pass a hit (on the benchmark tender, "the" alone was a third of them).
_COMMON_WORDS_BY_LANGUAGE = {
    "en": "the and for with all shall will must are that this its any has have been from which not may can each such",
    "es": "del las los que por con para una sus ser como esta este deberá será",
    "pt": "dos das com uma para pela pelo que ser seus suas como deverá será",
    "fr": "des les pour une dans sur par qui que est sont aux avec doit être",
}
COMMON_WORDS = frozenset(w for words in _COMMON_WORDS_BY_LANGUAGE.values() for w in words.split())


def _common(found: frozenset[str]) -> bool:
    return any(lit.strip() in COMMON_WORDS for lit in found)


def _preference(candidate: frozenset[str]) -> tuple[bool, bool, tuple[int, int]]:
    """Which required sets to keep, and which to search for: selective ones, then those
    without a common word, then the longest shortest literal."""
    return (_useful(candidate), not _common(candidate), _score(candidate))


def _best(sets: list[set[str]]) -> set[str] | None:
    """The alternative's most selective set; a weak one (short literals) rather than none, so a
    branch like (?:cores?|CPUs?|PCs?) still requires one of its words."""
    useful = [s for s in sets if _useful(s)]
    if useful:
        return max(useful, key=_score)
    weak = [s for s in sets if _weak(s)]
    return max(weak, key=_score) if weak else None


def _weak(found: set[str] | frozenset[str]) -> bool:
    """Worth a later check (an `in` test per literal), not a search: two-letter words, and
    single signs ("(" in "\\((?:named user|user)\\)"), never a lone letter, digit or space."""
    return (
        bool(found)
        and len(found) <= MAX_ANCHORS
        and all(len(lit) >= 2 or not (lit.isalnum() or lit.isspace()) for lit in found)
    )


def _sets(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """Every requirement of a sequence: each element's requirement is one of the whole's."""
    out: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            out.append({_rare_core("".join(run))})
            run.clear()

    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg))
            continue
        if op in _NEUTRAL:
            continue
        if op is _c.IN and len(arg) == 1 and arg[0][0] is _c.LITERAL:
            run.append(chr(arg[0][1]))
            continue
        close_run()
        out.extend(_node(op, arg))
    close_run()
    return out


def _node(op: Any, arg: Any) -> list[set[str]]:
    if op is _c.SUBPATTERN:
        return _sets(list(arg[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            part = _best(_sets(list(alternative)))
            if not part:
                return []
            union |= part
        return [union]
    if op in _REPEATS:
        low, _high, body = arg
        return _sets(list(body)) if low >= 1 else []
    return []  # classes, categories, look-arounds, back-references: no literal


class LiteralFilter:
    """Which items can occur in a text, each item requiring one literal of each of its sets
    (None: always possible). The first set of each item is searched with one Aho-Corasick
    pass; for the items found, small later sets are checked. Common words in later sets
    ("shall ", "the ") then cost nothing on blocks that lack the first, and a large later
    set, whose absence would cost more `in` scans than running the pattern, is not checked.
    A few found items are checked with `in` tests; more with a second pass, over the later
    sets' literals, that tells which of them occur (on the benchmark tender, about 20 found
    items per block asked 94 `in` tests: the pass costs a third less)."""

    MAX_LATER = 1000  # literals in a later set checked with `in`
    FEW = 3  # found items with later sets checked with `in` tests rather than the second pass

    def _checked(self, later: frozenset[str]) -> bool:
        """A later set is checked unless it is large, or holds a literal of two letters ("in",
        "es", " e") or a common word ("the ", "shall"), which nearly every block holds: such a
        set rules out almost nothing, and its literal's every occurrence would cost the second
        pass a hit."""
        return (
            len(later) <= self.MAX_LATER
            and not _common(later)
            and not any(len(lit.strip()) <= 2 and lit.strip().isalnum() for lit in later)
        )

    def __init__(self, requirements: list[tuple[frozenset[str], ...] | None]) -> None:
        import ahocorasick

        self.always = [i for i, sets in enumerate(requirements) if not sets]
        self._later: dict[int, tuple[tuple[str, ...], ...]] = {}
        self._later_ids: dict[int, tuple[frozenset[int], ...]] = {}  # the same sets, as literal ids
        self._automaton = ahocorasick.Automaton()
        self._literals = ahocorasick.Automaton(ahocorasick.STORE_INTS)  # later literal -> its id
        anchors: dict[str, list[int]] = {}
        ids: dict[str, int] = {}
        for index, sets in enumerate(requirements):
            if sets:
                for lit in sets[0]:
                    anchors.setdefault(lit, []).append(index)
                later = sorted((s for s in sets[1:] if self._checked(s)), key=len)
                self._later[index] = tuple(tuple(sorted(s, key=len, reverse=True)) for s in later)
                self._later_ids[index] = tuple(frozenset(ids.setdefault(lit, len(ids)) for lit in s) for s in later)
        for lit, indexes in anchors.items():
            self._automaton.add_word(lit, tuple(indexes))
        for lit, ident in ids.items():
            self._literals.add_word(lit, ident)
        self._single = frozenset(i for i, sets in self._later.items() if not sets)  # nothing to check later
        self._empty = not anchors
        if not self._empty:
            self._automaton.make_automaton()
        if ids:
            self._literals.make_automaton()

    def candidates(self, text: str) -> set[int]:
        """`text` normalised as the literals are (case-folded, or lower-cased)."""
        hits = set(self.always)
        if self._empty:
            return hits
        found = set(chain.from_iterable(map(itemgetter(1), self._automaton.iter(text))))
        hits |= found & self._single
        rest = found - self._single
        if len(rest) > self.FEW:
            present = set(map(itemgetter(1), self._literals.iter(text)))
            later_ids = self._later_ids
            for index in rest:
                for ids in later_ids[index]:
                    if present.isdisjoint(ids):  # no literal of this set: the item cannot occur
                        break
                else:
                    hits.add(index)
            return hits
        later = self._later
        for index in rest:
            for options in later[index]:
                for lit in options:
                    if lit in text:
                        break
                else:  # no literal of this set: the item cannot occur
                    break
            else:
                hits.add(index)
        return hits


_NEVER: tuple[frozenset[str], ...] = (frozenset(),)  # a requirement no text meets: a filter's "not mine"


def _searchable(sets: tuple[frozenset[str], ...] | None) -> tuple[frozenset[str], ...] | None:
    return sets if sets and _useful(sets[0]) else None


class Prefilter:
    """Which of a list of patterns can match a text, by their required literal sets: the
    case-folded text for most, the text as written for wholly case-sensitive ones."""

    def __init__(self, patterns: list[str]) -> None:
        exact = [exact_sets(p) for p in patterns]
        # A pattern whose best set is only two-letter words is not worth searching for: it runs.
        self._filter = LiteralFilter(
            [_NEVER if e else _searchable(required_sets(p)) for p, e in zip(patterns, exact, strict=True)]
        )
        self._exact = LiteralFilter([e or _NEVER for e in exact]) if any(exact) else None
        self.always = self._filter.always

    def candidates(self, text: str, folded: str | None = None) -> set[int]:
        """`folded`: fold(text), when the caller has it."""
        hits = self._filter.candidates(fold(text) if folded is None else folded)
        if self._exact is not None:
            hits |= self._exact.candidates(text)
        return hits
