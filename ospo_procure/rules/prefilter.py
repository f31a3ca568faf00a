"""Literal prefilters for rule regexes, so most patterns never run on most blocks.

For a regex we compute a set of literal strings such that every match contains at least one
of them (in the spirit of RE2's and code-search prefilters). One Aho-Corasick pass over the
lower-cased block then tells which patterns can match at all; only those run. A pattern we
cannot analyse (regex-module syntax, variable look-behind, or literals too short to be
selective) simply always runs, so the prefilter never changes results, only speed.
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


def required_literals(pattern: str) -> frozenset[str] | None:
    """Literals (lower-case) of which every match contains one, or None when unknown."""
    try:
        tree = _parser.parse(pattern, re.IGNORECASE)
    except Exception:  # syntax only the `regex` module knows: no prefilter
        return None
    found = _sequence(list(tree))
    if not found or len(found) > MAX_ANCHORS or min(len(s) for s in found) < MIN_LITERAL:
        return None
    return frozenset(s.lower() for s in found)


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
            for _end, indexes in self._automaton.iter(text.lower()):
                hits.update(indexes)
        return hits
