"""The `applies_when` condition language: a tiny tokenizer and recursive-descent parser.

Grammar (lowest precedence first)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := atom (("==" | "!=" | "in" | "not" "in") atom)?
    atom    := "(" expr ")" | "[" [literal ("," literal)* [","]] "]" | literal | NAME
    literal := 'string' | "string" | number | true | false | null

Nothing here calls `eval`: expressions become a tree of tuples that `evaluate` walks, so a
clause file can only compare the values the build hands it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_CONDITION_CHARS = 2000  # clause authors write one line; refuse pathological input
MAX_DEPTH = 50  # bounds recursion on "((((...))))" or "not not not ..."

_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
_PUNCT = ("==", "!=", "(", ")", "[", "]", ",")


class ConditionError(ValueError):
    """A syntax or name error; `column` is 1-based within the condition string."""

    def __init__(self, message: str, column: int):
        self.message = message
        self.column = column
        super().__init__(f"column {column}: {message}")


@dataclass(frozen=True)
class Token:
    kind: str  # name | keyword | string | number | op | end
    value: Any
    column: int


# complex: one hand-written scanner loop over the condition language's token kinds
def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_CONDITION_CHARS:
        raise ConditionError(f"condition longer than {MAX_CONDITION_CHARS} characters", 1)
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        col = i + 1
        if ch.isspace():
            i += 1
        elif source.startswith(("==", "!="), i):
            tokens.append(Token("op", source[i : i + 2], col))
            i += 2
        elif ch in "()[],":
            tokens.append(Token("op", ch, col))
            i += 1
        elif ch in "'\"":
            string, i = _read_string(source, i)
            tokens.append(Token("string", string, col))
        elif ch.isdigit() or (ch == "-" and i + 1 < n and source[i + 1].isdigit()):
            j = i + 1
            while j < n and (source[j].isdigit() or source[j] in "._"):
                j += 1
            text = source[i:j]
            try:
                value: Any = float(text) if "." in text else int(text)
            except ValueError:
                raise ConditionError(f"bad number {text!r}", col) from None
            tokens.append(Token("number", value, col))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i + 1
            while j < n and (source[j].isalnum() or source[j] == "_"):
                j += 1
            word = source[i:j]
            tokens.append(Token("keyword" if word in _KEYWORDS else "name", word, col))
            i = j
        else:
            hint = " (use == for equality)" if ch == "=" else ""
            raise ConditionError(f"unexpected character {ch!r}{hint}", col)
    tokens.append(Token("end", None, n + 1))
    return tokens


def _read_string(source: str, start: int) -> tuple[str, int]:
    quote = source[start]
    out: list[str] = []
    i = start + 1
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            out.append(source[i + 1])
            i += 2
        elif ch == quote:
            return "".join(out), i + 1
        else:
            out.append(ch)
            i += 1
    raise ConditionError("unterminated string", start + 1)


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def _is(self, kind: str, value: Any = None) -> bool:
        t = self.tok
        return t.kind == kind and (value is None or t.value == value)

    def _take(self) -> Token:
        t = self.tok
        self.pos += 1
        return t

    def _expect(self, kind: str, value: str) -> None:
        if not self._is(kind, value):
            raise ConditionError(f"expected {value!r}, found {_describe(self.tok)}", self.tok.column)
        self._take()

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError("expression nested too deeply", self.tok.column)

    def parse(self) -> tuple:
        if self._is("end"):
            raise ConditionError("empty condition", 1)
        node = self.expr()
        if not self._is("end"):
            raise ConditionError(f"unexpected {_describe(self.tok)}", self.tok.column)
        return node

    def expr(self) -> tuple:
        self._enter()
        node = self.and_()
        while self._is("keyword", "or"):
            self._take()
            node = ("or", node, self.and_())
        self.depth -= 1
        return node

    def and_(self) -> tuple:
        node = self.not_()
        while self._is("keyword", "and"):
            self._take()
            node = ("and", node, self.not_())
        return node

    def not_(self) -> tuple:
        if self._is("keyword", "not"):
            self._enter()
            self._take()
            node = ("not", self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> tuple:
        left = self.atom()
        t = self.tok
        if t.kind == "op" and t.value in ("==", "!="):
            self._take()
            return (t.value, left, self.atom())
        if self._is("keyword", "in"):
            self._take()
            return ("in", left, self.atom())
        if (
            self._is("keyword", "not")
            and self.tokens[self.pos + 1].kind == "keyword"
            and self.tokens[self.pos + 1].value == "in"
        ):
            self._take()
            self._take()
            return ("not in", left, self.atom())
        return left

    def atom(self) -> tuple:
        t = self.tok
        if t.kind == "op" and t.value == "(":
            self._take()
            node = self.expr()
            self._expect("op", ")")
            return node
        if t.kind == "op" and t.value == "[":
            self._take()
            items: list[Any] = []
            while not self._is("op", "]"):
                lit = self.tok
                if lit.kind not in ("string", "number") and not (
                    lit.kind == "keyword" and lit.value in ("true", "false", "null")
                ):
                    raise ConditionError(f"lists hold literals only, found {_describe(lit)}", lit.column)
                items.append(self.atom()[1])
                if self._is("op", ","):
                    self._take()
                elif not self._is("op", "]"):
                    raise ConditionError(f"expected ',' or ']', found {_describe(self.tok)}", self.tok.column)
            self._take()
            return ("lit", tuple(items))
        if t.kind in ("string", "number"):
            self._take()
            return ("lit", t.value)
        if t.kind == "keyword" and t.value in ("true", "false", "null"):
            self._take()
            return ("lit", {"true": True, "false": False, "null": None}[t.value])
        if t.kind == "name":
            self._take()
            return ("name", t.value, t.column)
        raise ConditionError(f"expected a value, found {_describe(t)}", t.column)


def _describe(t: Token) -> str:
    if t.kind == "end":
        return "end of condition"
    if t.kind == "string":
        return f"string {t.value!r}"
    return repr(str(t.value))


@dataclass(frozen=True)
class Condition:
    """A parsed condition: keep the source for --explain, the tree for evaluation."""

    source: str
    tree: tuple

    def names(self) -> set[str]:
        return set(_names(self.tree))

    def check_names(self, allowed: Iterable[str]) -> None:
        """Raise ConditionError at the first name not in `allowed`."""
        allowed = set(allowed)
        for name, column in _name_refs(self.tree):
            if name not in allowed:
                raise ConditionError(f"unknown name {name!r} (known: {', '.join(sorted(allowed))})", column)

    def evaluate(self, env: Mapping[str, Any]) -> bool:
        return bool(_eval(self.tree, env))


def parse(source: str) -> Condition:
    """Parse a condition string; raise ConditionError (with a column) when it is invalid."""
    if not isinstance(source, str):
        raise ConditionError("a condition must be a string", 1)
    return Condition(source, _Parser(tokenize(source)).parse())


def _name_refs(node: tuple) -> Iterable[tuple[str, int]]:
    if node[0] == "name":
        yield node[1], node[2]
    elif node[0] != "lit":
        for child in node[1:]:
            yield from _name_refs(child)


def _names(node: tuple) -> Iterable[str]:
    return (name for name, _ in _name_refs(node))


def _eval(node: tuple, env: Mapping[str, Any]) -> Any:
    op = node[0]
    if op == "lit":
        return node[1]
    if op == "name":
        return env.get(node[1])  # a missing optional value (no repository...) is null
    if op == "not":
        return not _eval(node[1], env)
    if op == "and":
        return bool(_eval(node[1], env)) and bool(_eval(node[2], env))
    if op == "or":
        return bool(_eval(node[1], env)) or bool(_eval(node[2], env))
    left, right = _eval(node[1], env), _eval(node[2], env)
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    # Membership only in lists and strings; anything else is simply "not a member".
    if isinstance(right, (tuple, list)) or (isinstance(right, str) and isinstance(left, str)):
        member = left in right
    else:
        member = False
    return member if op == "in" else not member
