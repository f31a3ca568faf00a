r"""Literal prefilters for rule regexes, so most patterns never run on most blocks.

For a regex we compute a set of literal strings such that every match contains at least one
of them (in the spirit of RE2's and code-search prefilters). One Aho-Corasick pass over the
case-folded block then tells which patterns can match at all; only those run. A pattern we
cannot analyse simply always runs, so the prefilter never changes results, only speed.

Rule patterns are `regex`-module patterns, but the analysis parses them with CPython's
`re` parser, which reads some `regex`-only syntax differently (`[[:alpha:]]` is a POSIX
class for `regex` and a set followed by a literal `]` for `re`). So a pattern is analysed
only when a conservative scan (`_common_syntax`) finds nothing but syntax both modules read
the same way; anything else (POSIX classes, nested sets and set operations, \p{..}, \m,
fuzzy {e<=1}, (?V1), inline global flags, atomic groups, branch reset...) always runs.
"""

from __future__ import annotations

import re
from typing import Any

_c: Any
_parser: Any
try:  # Python 3.11+
    import re._constants as _c  # type: ignore[import-not-found,no-redef]
    import re._parser as _parser  # type: ignore[import-not-found,no-redef]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

MIN_LITERAL = 3  # shorter anchors ("of", "de") select nothing
MAX_ANCHORS = 300

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


def _fold(text: str) -> str:
    """Case folding the prefilter applies to literals and text alike, so that whatever the
    `regex` module's IGNORECASE (simple case folding, V0) matches, the folded text contains the
    folded literal: full case folding maps the Kelvin sign to 'k', the long s to 's' and both
    sharp s to 'ss'; the dotted and dotless Turkish i are the two letters `regex` equates with
    i that casefold() does not. (Checked over every code point by tests/test_prefilter.py.)"""
    return text.replace("\u0130", "i").replace("\u0131", "i").casefold()


def required_literals(pattern: str) -> frozenset[str] | None:
    """Literals (case-folded) of which every match contains one, or None when unknown."""
    if not _common_syntax(pattern):
        return None
    try:
        tree = _parser.parse(pattern, re.IGNORECASE)
    except Exception:  # not valid `re` syntax after all: no prefilter
        return None
    found = _sequence(list(tree))
    if not found or len(found) > MAX_ANCHORS or min(len(s) for s in found) < MIN_LITERAL:
        return None
    return frozenset(_fold(s) for s in found)


def _score(candidate: set[str]) -> tuple[int, int]:
    return (min(len(s) for s in candidate), -len(candidate))


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Any one element's requirement is a valid requirement for the whole sequence: keep the best."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if candidate and (best is None or _score(candidate) > _score(best)):
            best = candidate

    def close_run() -> None:
        if run:
            consider({"".join(run)})
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
        consider(_node(op, arg))
    close_run()
    return best


def _node(op: Any, arg: Any) -> set[str] | None:
    if op is _c.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            part = _sequence(list(alternative))
            if not part:
                return None
            union |= part
        return union
    if op in _REPEATS:
        low, _high, body = arg
        return _sequence(list(body)) if low >= 1 else None
    return None  # classes, categories, look-arounds, back-references: no literal


class Prefilter:
    """Which of a list of patterns can match a text, by their required literals."""

    def __init__(self, patterns: list[str]) -> None:
        import ahocorasick

        self.always: list[int] = []
        self._automaton = ahocorasick.Automaton()
        anchors: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            literals = required_literals(pattern)
            if literals is None:
                self.always.append(index)
                continue
            for lit in literals:
                anchors.setdefault(lit, []).append(index)
        for lit, indexes in anchors.items():
            self._automaton.add_word(lit, indexes)
        self._empty = not anchors
        if not self._empty:
            self._automaton.make_automaton()

    def candidates(self, text: str) -> set[int]:
        hits = set(self.always)
        if not self._empty:
            for _end, indexes in self._automaton.iter(_fold(text)):
                hits.update(indexes)
        return hits
