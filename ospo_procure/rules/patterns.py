"""Regular expressions in rule data: compiling and probing them, per-language pattern sets,
and the loading environment every rule-folder file shares.

Kept apart from the loader so the matcher kinds (rules/matchers.py) and the role stage
(ospo_procure/roles.py) can use them without importing each other.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ospo_procure.errors import DataError
from ospo_procure.rules import schema
from ospo_procure.yamlio import LineMap, load_yaml, validate

REGEX_FLAGS = regex.IGNORECASE | regex.UNICODE | regex.V0
REGEX_TIMEOUT = 0.25  # seconds per regex per block at lint time
# Inputs that make badly written patterns backtrack; a sound pattern runs them in microseconds.
_ADVERSARIAL = ["a" * 3000 + "!", " " * 3000 + "!", "per " * 800 + "!", "aa-" * 1000, "1." * 1500 + "x"]


def compile_regex(pattern: str, *, path: Path, line: int | None, what: str, probe: bool = True) -> regex.Pattern[str]:
    try:
        compiled = regex.compile(pattern, REGEX_FLAGS)
    except (regex.error, ValueError) as exc:  # ValueError: flags the module refuses together, e.g. (?V1)
        raise DataError(f"{what}: bad regular expression {pattern!r}: {exc}", path=path, line=line) from None
    for text in _ADVERSARIAL if probe else ():
        try:
            compiled.search(text, timeout=0.05)
        except TimeoutError:
            raise DataError(
                f"{what}: regular expression {pattern!r} backtracks catastrophically; simplify it "
                "(avoid nested quantifiers such as (a+)+)",
                path=path,
                line=line,
            ) from None
    return compiled


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace {name} macros (e.g. {open_formats}, from the formats lexicon) in a pattern.
    Regex quantifiers such as {0,60} are not names and stay as they are."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)


class Patterns:
    """Regular expressions per language ("any" applies to every language).

    A new or edited folder compiles and probes everything on load (`eager`), so a bad
    pattern is reported with its file and line before any linting. The compiled patterns are
    cached with the rule set (rules/cache.py) one language per blob, and a language's blob
    is unpickled (which restores the compiled code without parsing) on first use.
    """

    def __init__(
        self,
        raw: dict[str, Any],
        *,
        path: Path,
        line: int | None,
        what: str,
        eager: bool,
        macros: dict[str, str] | None = None,
    ) -> None:
        self.raw = {lang: [expand_macros(p, macros or {}) for p in _as_list(ps)] for lang, ps in (raw or {}).items()}
        self.what = what
        self._where = (path, line, what)
        self._compiled: dict[str, list[regex.Pattern[str]]] = {}
        self._blobs: dict[str, bytes] = {}
        self._for_lang: dict[str, list[regex.Pattern[str]]] = {}
        if eager:
            for lang in self.raw:
                self._compile(lang, probe=True)

    def __getstate__(self) -> dict[str, Any]:
        blobs = dict(self._blobs)
        blobs.update({lang: pickle.dumps(ps, protocol=pickle.HIGHEST_PROTOCOL) for lang, ps in self._compiled.items()})
        return {**self.__dict__, "_compiled": {}, "_blobs": blobs, "_for_lang": {}}

    def _compile(self, lang: str, probe: bool = False) -> list[regex.Pattern[str]]:
        if lang not in self._compiled and lang in self._blobs:
            self._compiled[lang] = pickle.loads(self._blobs.pop(lang))
        if lang not in self._compiled:
            path, line, what = self._where
            self._compiled[lang] = [
                compile_regex(p, path=path, line=line, what=what, probe=probe) for p in self.raw.get(lang, [])
            ]
        return self._compiled[lang]

    def for_lang(self, lang: str) -> list[regex.Pattern[str]]:
        """The patterns of `lang` and `any` (one list per language: do not modify it)."""
        found = self._for_lang.get(lang)
        if found is None:
            found = self._for_lang[lang] = self._compile(lang) + self._compile("any")
        return found

    def sources(self) -> list[str]:
        """Every pattern text, macros expanded, in every language."""
        return [p for patterns in self.raw.values() for p in patterns]

    def __bool__(self) -> bool:
        return bool(self.raw)


SCOPES = ("sentence", "before", "after", "block", "clause")


@dataclass
class CueCheck:
    """A context test: does a cue (regex) occur in the sentence, clause, block, or within
    `window` characters before or after the match (inside its sentence)?"""

    name: str
    cues: Patterns
    scope: str = "sentence"
    window: int = 200

    def patterns(self, lang: str) -> list[regex.Pattern[str]]:
        return self.cues.for_lang(lang)


@dataclass
class LoadEnv:
    """What every loader function needs: the file, its line map and whether to validate fully."""

    path: Path
    lines: LineMap
    eager: bool  # False when the same folder content was validated before
    term_lists: dict[str, Any] = field(default_factory=dict)  # shared across the folder's files
    macros: dict[str, str] = field(default_factory=dict)

    def patterns(self, raw: dict[str, Any], line: int | None, what: str) -> Patterns:
        return Patterns(raw, path=self.path, line=line, what=what, eager=self.eager, macros=self.macros)

    def cue_check(self, name: str, raw: dict[str, Any], line: int | None) -> CueCheck:
        return CueCheck(
            name=name,
            cues=self.patterns(raw["cues"], line, f"check {name}"),
            scope=raw.get("scope", "sentence"),
            window=raw.get("window", 200),
        )

    def validate(self, data: Any, schema_: dict[str, Any]) -> None:
        if self.eager:
            validate(data, schema_, self.path, self.lines)

    def error(self, message: str, line: int | None) -> DataError:
        return DataError(message, path=self.path, line=line)

    def terms(self, name: str, line: int | None, what: str) -> dict[str, Any]:
        """A term list from lexicons/terms/NAME.yaml (loaded once per folder load)."""
        if name not in self.term_lists:
            path = self.path.parent.parent / "lexicons" / "terms" / f"{name}.yaml"
            if not path.is_file():
                raise DataError(f"{what}: no term list {name!r} (expected {path})", path=self.path, line=line)
            data, lines = load_yaml(path)
            if self.eager:
                validate(data, schema.TERMS_FILE, path, lines)
            self.term_lists[name] = data
        return self.term_lists[name]
