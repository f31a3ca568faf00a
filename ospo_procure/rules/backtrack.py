r"""Which rule regexes can run without a timeout: a static bound on backtracking.

Every timed `regex` call reads the process CPU clock, a system call. The timeout exists for
patterns that backtrack super-linearly, so a pattern for which this module proves a linear
bound, with a small constant, runs without one.

A search tries the pattern at every start position of the text. We bound the total work of a
search divided by the text's length (`cost`), walking the parsed pattern with `mult`, how
many (start position, path through the pattern) pairs can reach one text position at the
current element (1 at the pattern's start). An element that matches in at most `ways` ways
with at most `work` steps from one position adds mult * work to the cost and leaves
mult * ways (the ways that end at one position, summed over all the positions they start
from, are at most `ways`). That covers literals, classes, anchors, look-arounds, branches and
bounded repeats, nested or not. A pattern that opens with `^` is tried at one start only:
its bounded parts count per search (at most ABSOLUTE_BUDGET steps), its runs per character.

An unbounded repeat of one character class C (`\s+`, `\w*`, `[^.;]*`) consumes a run that
grows with the text, and every start position may enter it: `foo\w*bar` is quadratic on
"foofoofoo...". It is accepted in these shapes only:
- **Guarded**: on every way to it, the text since some barrier character of class B holds
  only classes S, with B disjoint from C and from S (`the\s+`: B the letter e, S empty;
  `\bforeign\w*`: after `\b` before a letter, B the non-word characters, S the letters; after
  `^`, no character at all). Runs entered after different barriers then never overlap, and
  those entered after one barrier are as many as the pairs `mult` counts. Then, either
  everything that may follow, tried at a character of C, fails before consuming anything
  (the run is left at its end only: cost mult * (2 + the work of failing), mult unchanged),
  or everything that follows is bounded and is tried once per run position (cost
  mult * (2 + its work), and nothing further to count), or it ends a look-around.
- **At the very end** of the pattern: reaching it ends the attempt with a match (or a
  failure within its minimum count), and a search ends at its first match.
Everything else unbounded (repeats of groups, nested quantifiers, two runs over overlapping
classes), back-references, conditionals, atomic groups and anything unknown keeps the timeout.

Whether two classes are disjoint is asked of the `regex` module itself, with the rule
patterns' flags, over every code point, so case folding and Unicode classes are exactly the
engine's. A pattern is cleared when its cost is at most COST_BUDGET steps per character,
about the timeout's own order on a block of `max_block_chars` (200,000) characters;
benchmarks/backtrack_probe.py runs every cleared bundled pattern on hostile texts. Like the
prefilter (rules/prefilter.py), only a pattern made of syntax both `re` and `regex` read
alike is analysed; anything else keeps its timeout.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import regex

from ospo_procure.rules.patterns import REGEX_FLAGS as _FLAGS
from ospo_procure.rules.prefilter import _c, _common_syntax, _parser

COST_BUDGET = 2_000  # steps per character of the searched text
ABSOLUTE_BUDGET = 100_000  # steps per search of a pattern anchored at the start of the text
_SINGLE = {_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN}  # one character, one way
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_LOOKS = {_c.ASSERT, _c.ASSERT_NOT}
_STARTS = {_c.AT_BEGINNING, _c.AT_BEGINNING_STRING}  # `^` and `\A`: one position per search
_KEY = "\0linear\0"
# Ends a look-around's content: its match is no match of the pattern, so nothing there is
# the pattern's end, and the walk refuses to reason past it.
_LOOK_END = [("end of look-around", None)]

# What precedes a position, for the guard of a run: descriptions that hold whichever way the
# position was reached. (B, S) says "the text since a character of one of the classes B (a
# barrier), or since the start of the text, holds only characters of the classes S"; classes
# are `regex` class sources. B empty: since the start of the text.
_Desc = tuple[frozenset[str], frozenset[str]]
_Prev = frozenset[_Desc]
_UNKNOWN_PREV: _Prev = frozenset()
_START: _Prev = frozenset({(frozenset(), frozenset())})
_MAX_DESCS = 8

# Decisions by pattern text: filled on use, saved with the compiled rule set and restored
# from it (rules/loader.py), so a cached rule set never parses a pattern for this again.
_LINEAR: dict[str, bool] = {}


class _Unknown(Exception):
    """A construct the bound does not cover, or a cost over the budget."""


def linear(pattern: str) -> bool:
    """True when `pattern` provably costs at most COST_BUDGET steps per character searched."""
    found = _LINEAR.get(pattern)
    if found is None:
        found = _LINEAR[pattern] = cost(pattern) <= COST_BUDGET
    return found


def timeout_for(pattern: str, timeout: float) -> float | None:
    """The timeout a search with `pattern` needs: None when it provably needs none."""
    return None if linear(pattern) else timeout


def cost(pattern: str) -> float:
    """The bound on steps per character searched (inf when none is proved)."""
    if not _common_syntax(pattern):
        return float("inf")
    try:
        tree = list(_parser.parse(pattern, re.IGNORECASE))
    except Exception:  # not `re` syntax after all (a variable-width look-behind...)
        return float("inf")
    if _multiline(tree):  # `^` would then start every line
        return float("inf")
    # What precedes a position matters only to unbounded repeats: without one, skip it.
    track = any(q in pattern for q in ("*", "+", ",}"))
    # A pattern that opens with `^` (or `\A`) is tried at one start only: its bounded parts
    # cost steps per search, not per character; only its runs grow with the text.
    anchored = bool(tree) and tree[0][0] is _c.AT and tree[0][1] in _STARTS
    walk = _Walk(track, ABSOLUTE_BUDGET if anchored else COST_BUDGET)
    try:
        total = walk.sequence(tree, [], 1.0, _UNKNOWN_PREV)[1]
    except _Unknown:
        return float("inf")
    if not anchored:
        return total
    return walk.per_char if walk.per_char <= COST_BUDGET and total - walk.per_char <= ABSOLUTE_BUDGET else float("inf")


def _multiline(items: list[Any]) -> bool:
    for op, arg in items:
        if op is _c.SUBPATTERN and (arg[1] & re.MULTILINE or _multiline(list(arg[-1]))):
            return True
        if op is _c.BRANCH and any(_multiline(list(b)) for b in arg[1]):
            return True
        if op in _REPEATS and _multiline(list(arg[2])):
            return True
        if op in _LOOKS and _multiline(list(arg[1])):
            return True
    return False


# A continuation: what follows an element, innermost first: lists of items, to be matched one
# after the other (the rest of the element's sequence, then of its parent's...).
_Cont = list[list[Any]]


class _Walk:
    def __init__(self, track: bool = True, limit: float = COST_BUDGET) -> None:
        self.track = track  # compute what precedes each position (for the guards of runs)
        self.limit = limit  # on the cost and on mult
        self.per_char = 0.0  # the part of the cost spent on runs: steps per character

    def sequence(self, items: list[Any], cont: _Cont, mult: float, prev: _Prev) -> tuple[float, float, _Prev]:
        """(mult after, cost, what may precede the position after) of `items` followed by `cont`."""
        total = 0.0
        i = 0
        while i < len(items):
            op, arg = items[i]
            if op is _c.LITERAL:  # a word: one step per character, one way, walked at once
                j = i + 1
                while j < len(items) and items[j][0] is _c.LITERAL:
                    j += 1
                total += mult * (j - i)
                if self.track:
                    prev = _consumed_word(prev, tuple(a for _, a in items[i:j]))
                i = j
            else:
                ways, spent, prev = self.node(op, arg, [items[i + 1 :], *cont], mult, prev)
                total += spent
                mult = ways
                i += 1
            if total > self.limit or mult > self.limit:
                raise _Unknown
        return mult, total, prev

    def node(self, op: Any, arg: Any, cont: _Cont, mult: float, prev: _Prev) -> tuple[float, float, _Prev]:
        """(mult after, cost, prev after) of one element entered by `mult` pairs per position."""
        if op in _SINGLE:
            return mult, mult, _consumed(prev, _class_source(op, arg)) if self.track else prev
        if op is _c.AT:
            return mult, mult, self.anchor(arg, prev)
        if op in _LOOKS:  # atomic and zero-width: one way, its content's whole work
            # It starts where the pattern is, after the same text (a look-behind's content has
            # a fixed width: no run, so what precedes it does not matter).
            _ways, spent, _ = self.sequence(list(arg[1]), [_LOOK_END], mult, prev)
            return mult, spent + mult, prev
        if op is _c.SUBPATTERN:  # (group, add_flags, del_flags, items): flags change no bound
            return self.sequence(list(arg[-1]), cont, mult, prev)
        if op is _c.BRANCH:
            if all(branch and all(o is _c.LITERAL and chr(a).isalnum() for o, a in branch) for branch in arg[1]):
                return self.words(arg[1], mult, prev)
            out_mult, out_cost, out_prev = 0.0, mult, None
            for branch in arg[1]:
                m, c, p = self.sequence(list(branch), cont, mult, prev)
                out_mult, out_cost, out_prev = out_mult + m, out_cost + c, _merge(out_prev, p) if self.track else prev
            words = _ascii_words(arg[1])
            if words is not None:
                out_mult = mult * _ending_together(words)
            return out_mult, out_cost, out_prev or _UNKNOWN_PREV
        if op in _REPEATS:
            return self.repeat(arg, cont, mult, prev)
        raise _Unknown  # back-references, conditionals, atomic groups, anything new

    def anchor(self, at: Any, prev: _Prev) -> _Prev:
        if at in _STARTS:
            return _START
        if at is _c.AT_BOUNDARY and self.track:
            return _boundary(prev)
        return prev

    def words(self, branches: list[Any], mult: float, prev: _Prev) -> tuple[float, float, _Prev]:
        """A branch of plain words ("contract|tender|agreement"), walked as a whole: its last
        characters are one barrier, and no barrier inside a word of letters is worth keeping."""
        spent = mult * (1 + sum(len(b) for b in branches))
        words = _ascii_words(branches)
        out_mult = mult * (_ending_together(words) if words is not None else len(branches))
        if not self.track:
            return out_mult, spent, prev
        last = frozenset(_class_source(*b[-1]) for b in branches)
        chars = frozenset(_class_source(op, a) for b in branches for op, a in b)
        return out_mult, spent, _kept({(last, frozenset()), *((b, s | chars) for b, s in prev)})

    def repeat(self, arg: Any, cont: _Cont, mult: float, prev: _Prev) -> tuple[float, float, _Prev]:
        low, high, items = arg[0], arg[1], list(arg[2])
        single = _single(items)
        if single is not None:
            src = _class_source(*single)
            if high == _c.MAXREPEAT:
                return self.run(src, low, cont, mult, prev)
            if not self.track:
                return mult * (high - low + 1), mult * (high + 1), prev
            after = _consumed(prev, src)
            return mult * (high - low + 1), mult * (high + 1), _merge(after, prev) if low == 0 else after
        if high == _c.MAXREPEAT:
            raise _Unknown
        # Copy k of the group runs once per pair reaching it; what follows copy k is another
        # copy (up to `high`) or the rest.
        total, out_mult, out_prev = mult, (mult if low == 0 else 0.0), (prev if low == 0 else None)
        for k in range(1, high + 1):
            more = (_c.MAX_REPEAT, (0, high - k, arg[2])) if k < high else None
            inner_cont = [[more], *cont] if more else cont
            mult, spent, prev = self.sequence(items, inner_cont, mult, prev)
            total += spent
            if k >= low:
                out_mult += mult
                out_prev = _merge(out_prev, prev) if self.track else prev
            if total > self.limit or out_mult > self.limit:
                raise _Unknown
        return out_mult, total, out_prev or _UNKNOWN_PREV

    def run(self, src: str, low: int, cont: _Cont, mult: float, prev: _Prev) -> tuple[float, float, _Prev]:
        """An unbounded repeat of one class: guarded, or the very end of the pattern."""
        after = _consumed(prev, src)
        after = _merge(after, prev) if low == 0 else after
        rest_items = [item for items in cont for item in items]
        if not rest_items:  # nothing follows: reaching it ends the attempt (module docstring)
            self.per_char += 1
            return mult, mult * (low + 1) + 1, after
        if not _guarded(prev, src):
            raise _Unknown
        if rest_items == _LOOK_END:  # a look-around ends with it: read to its end, once per entry
            self.per_char += mult * 2
            return mult, mult * 2, after
        try:
            fail = _Dead(src).sequence_cont(cont)  # the rest tried inside the run, at a class character
        except _Unknown:
            # The rest may match inside the run, so the run may be left anywhere: then the
            # whole rest must be bounded, tried once per run position. It is counted here,
            # and the walk goes on with no pair left (mult 0) not to count it twice.
            _m, rest, _p = _Walk(self.track).sequence(rest_items, [], 1.0, _UNKNOWN_PREV)
            self.per_char += mult * (2 + rest)
            return 0.0, mult * (2 + rest), after
        self.per_char += mult * (2 + fail)
        return mult, mult * (2 + fail), after


class _Dead:
    """Work of failing a continuation at a position whose next character is in class `src`:
    every character the continuation could consume there must be outside `src`."""

    def __init__(self, src: str) -> None:
        self.src = src

    def sequence_cont(self, cont: _Cont) -> float:
        ways, work = 1.0, 0.0
        for items in cont:
            for op, arg in items:
                w, k = self.node(op, arg)
                work += ways * k
                ways *= w
                if not ways:
                    return work
                if work > COST_BUDGET:
                    raise _Unknown
        # The rest can match here without consuming: the attempt ends with a match, and so
        # does the search (a later search of finditer starts after it, inside the run,
        # where no guarded entry lies).
        return work

    def sequence(self, items: list[Any]) -> tuple[float, float]:
        ways, work = 1.0, 0.0
        for op, arg in items:
            w, k = self.node(op, arg)
            work += ways * k
            ways *= w
            if not ways:
                break
        return ways, work

    def node(self, op: Any, arg: Any) -> tuple[float, float]:
        """(ways it matches without consuming, work) at the dead position."""
        if op in _SINGLE:
            if not _disjoint(_class_source(op, arg), self.src):
                raise _Unknown
            return 0.0, 1.0
        if op is _c.AT:
            return 1.0, 1.0
        if op in _LOOKS:
            _ways, spent, _ = _Walk().sequence(list(arg[1]), [_LOOK_END], 1.0, _UNKNOWN_PREV)
            return 1.0, spent + 1.0
        if op is _c.SUBPATTERN:
            return self.sequence(list(arg[-1]))
        if op is _c.BRANCH:
            results = [self.sequence(list(b)) for b in arg[1]]
            return sum(w for w, _ in results), 1.0 + sum(k for _, k in results)
        if op in _REPEATS:
            low, items = arg[0], list(arg[2])
            ways, work = self.sequence(items)
            if ways:  # the repeated part can match empty here: loops we do not bound
                raise _Unknown
            return (1.0 if low == 0 else 0.0), work + 1.0
        raise _Unknown


def _single(items: list[Any]) -> tuple[Any, Any] | None:
    """The one character element of `items`, possibly inside plain groups, else None."""
    while len(items) == 1 and items[0][0] is _c.SUBPATTERN:
        items = list(items[0][1][-1])
    return items[0] if len(items) == 1 and items[0][0] in _SINGLE else None


_CATEGORY_SOURCES = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}
_ANY = r"[\s\S]"  # a class holding every character: the safe superset


def _class_source(op: Any, arg: Any) -> str:
    """A `regex` class matching at least what the element matches, whether a scoped flag
    makes it case-sensitive or not: a class is read case-insensitively (which matches more),
    a negated one case-sensitively (which matches more: it excludes fewer); `.` is taken to
    match newlines too."""
    if op is _c.LITERAL:
        return f"[\\U{arg:08x}]"
    if op is _c.NOT_LITERAL:
        return f"(?-i:[^\\U{arg:08x}])"
    if op is _c.IN:
        negate, parts = False, []
        for item_op, item in arg:
            if item_op is _c.NEGATE:
                negate = True
            elif item_op is _c.LITERAL:
                parts.append(f"\\U{item:08x}")
            elif item_op is _c.RANGE:
                parts.append(f"\\U{item[0]:08x}-\\U{item[1]:08x}")
            elif item_op is _c.CATEGORY and item in _CATEGORY_SOURCES:
                parts.append(_CATEGORY_SOURCES[item])
            else:
                return _ANY
        return f"(?-i:[^{''.join(parts)}])" if negate else f"[{''.join(parts)}]"
    return _ANY


@lru_cache(maxsize=1)
def _every_character() -> str:
    return "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF)


# The characters the engine matches, case-insensitively, with a printable ASCII character:
# the character and its other case, and these (tests/test_backtrack.py checks the table over
# every code point).
_ASCII_EXTRA = {"I": "\u0131", "i": "\u0130", "K": "\u212a", "k": "\u212a", "S": "\u017f", "s": "\u017f"}
_LITERALS_CLASS = re.compile(r"\[(?:\\U[0-9a-f]{8})+\]")


@lru_cache(maxsize=4096)
def _literal_matches(source: str) -> str | None:
    """Every character a class of literals matches, else None."""
    if not _LITERALS_CLASS.fullmatch(source):
        return None
    return "".join(_one_literal(int(code, 16)) for code in re.findall(r"\\U([0-9a-f]{8})", source))


@lru_cache(maxsize=1024)
def _one_literal(code: int) -> str:
    ch = chr(code)
    if 0x20 <= code < 0x7F:
        return ch + ch.swapcase() + _ASCII_EXTRA.get(ch, "")
    return "".join(regex.findall(f"[\\U{code:08x}]", _every_character(), _FLAGS))


@lru_cache(maxsize=8192)
def _disjoint(a: str, b: str) -> bool:
    """No character is matched by both classes, asked of the engine: over the characters a
    literal matches, else over every code point."""
    for one, other in ((a, b), (b, a)):
        chars = _literal_matches(one)
        if chars is not None:
            return regex.search(other, chars, _FLAGS) is None
    return regex.search(f"(?={a}){b}", _every_character(), _FLAGS) is None


def _consumed(prev: _Prev, src: str) -> _Prev:
    """`prev` after one character of class `src`: that character is a barrier itself, and
    every description's text now holds `src` too."""
    return _kept({(frozenset({src}), frozenset()), *((b, s | {src}) for b, s in prev)})


@lru_cache(maxsize=16384)
def _consumed_word(prev: _Prev, codes: tuple[int, ...]) -> _Prev:
    """`prev` after the literal characters `codes`, as _consumed one by one would leave it,
    keeping only the barriers that can matter: the last character, and each character that
    is not a letter or digit (a space, a hyphen) with the characters after it."""
    sources = [_class_source(_c.LITERAL, code) for code in codes]
    descs = {(b, s | frozenset(sources)) for b, s in prev}
    for k, code in enumerate(codes):
        if k == len(codes) - 1 or not chr(code).isalnum():
            descs.add((frozenset({sources[k]}), frozenset(sources[k + 1 :])))
    return _kept(descs)


_NOT_WORD, _WORD = r"[\W]", r"[\w]"


def _boundary(prev: _Prev) -> _Prev:
    """After \b: a run of word characters that starts here follows a non-word character (or
    the start), and a run of non-word characters follows a word character. Each description
    is checked against the run and the classes after it, so it holds whenever it is used."""
    return _kept({*prev, (frozenset({_NOT_WORD}), frozenset()), (frozenset({_WORD}), frozenset())})


def _merge(one: _Prev | None, other: _Prev) -> _Prev:
    """What holds after either of two ways: a barrier of each, joined, with both texts'
    classes (the start of the text joins any barrier: before it there is no character)."""
    if one is None:
        return other
    return _kept({(ba | bb, sa | sb) for ba, sa in one for bb, sb in other})


def _kept(descs: set[_Desc]) -> _Prev:
    """At most _MAX_DESCS descriptions, one per barrier (the one with fewest classes), the
    likeliest to prove a guard first: the start of the text, the latest character, barriers
    of non-word characters (they guard runs of words). Dropping one only loses proofs."""
    best: dict[frozenset[str], frozenset[str]] = {}
    for b, s in descs:
        if b not in best or len(s) < len(best[b]):
            best[b] = s
    if len(best) <= _MAX_DESCS:
        return frozenset(best.items())
    ranked = sorted(best.items(), key=lambda d: _order(*d))
    return frozenset(ranked[:_MAX_DESCS])


def _order(barrier: frozenset[str], since: frozenset[str]) -> tuple[int, int, tuple[str, ...]]:
    rank, names = _barrier_rank(barrier)
    return (0 if rank == 0 else 1 if not since else rank), len(since), names


@lru_cache(maxsize=16384)
def _barrier_rank(barrier: frozenset[str]) -> tuple[int, tuple[str, ...]]:
    if not barrier:
        return 0, ()
    return (2 if all(_disjoint(b, _WORD) for b in barrier) else 3), tuple(sorted(barrier))


def _guarded(prev: _Prev, src: str) -> bool:
    """Some description (B, S) has B disjoint from `src` and from every class of S: the text
    since the last character of B holds no character of B, so runs entered after different
    barriers never overlap, and those entered after one barrier are as many as the ways
    counted in `mult`."""
    return any(_proves(desc, src) for desc in prev)


def _proves(desc: _Desc, src: str) -> bool:
    barrier, since = desc
    return all(_disjoint(b, c) for b in barrier for c in (src, *since))


def _ending_together(words: list[str]) -> int:
    """How many of the words can end at one text position (from any start): only words that
    end one another, so at most the most words ending the longest of them."""
    return max(sum(1 for v in words if w.endswith(v)) for w in words)


def _ascii_words(branches: list[Any]) -> list[str] | None:
    """The branches as lower-case words when each is plain ASCII letters (a text character
    that matches one of them case-insensitively folds to it: k, s and i included), else None."""
    words = []
    for branch in branches:
        chars = [chr(arg) for op, arg in branch if op is _c.LITERAL]
        if len(chars) != len(branch) or not all(c.isascii() for c in chars):
            return None
        words.append("".join(chars).lower())
    return words


def analyses(patterns: list[str]) -> dict[str, bool]:
    """The decision for every pattern, to save with the compiled rule set. Decisions are also
    kept by pattern text in the cache folder (keyed by the code and library versions, like
    the rule set), so a rule folder edited and rebuilt analyses only its new patterns: the
    analysis costs a few seconds for the bundled rules' 3,000-odd patterns."""
    from ospo_procure.rules import cache

    try:
        key = cache.environment_digest()
    except OSError:
        key = ""
    known = cache.load("backtrack", key) if key else None
    if not isinstance(known, dict):
        known = {}
    _LINEAR.update(known)
    found = {_KEY + p: linear(p) for p in patterns}
    if key and any(p not in known for p in patterns):
        cache.store(cache.entry_path("backtrack", key), key, {**known, **{p: _LINEAR[p] for p in patterns}})
    return found


def remember(known: dict[str, Any]) -> None:
    """Restore saved decisions (other analyses in `known` are not ours)."""
    n = len(_KEY)
    _LINEAR.update((k[n:], bool(v)) for k, v in known.items() if k.startswith(_KEY))
