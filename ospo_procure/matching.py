"""Turn a RuleSet into per-language scanners and run them over block texts.

Every matcher kind (rules/matchers.py: lexicon, phrases, tokens, regex) compiles all its
uses in a language into one Scanner; `candidates` runs them over a block and keeps the
matches whose `requires:` cue is in context. What a match means in its context (its role)
is decided afterwards, by ospo_procure/roles.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ospo_procure.nlp import get_pipeline
from ospo_procure.rules.loader import Rule, RuleSet
from ospo_procure.rules.matchers import (
    MATCHER_KINDS,
    BlockContext,
    Candidate,
    CompileEnv,
    Matcher,
    Scanner,
    tidy_span,
)

__all__ = ["BlockContext", "Candidate", "CompiledRules", "candidates", "compile_rules", "tidy_span"]


@dataclass
class CompiledRules:
    lang: str
    ruleset: RuleSet
    rules: list[Rule]
    nlp: Any
    scanners: dict[str, Scanner] = field(default_factory=dict)  # matcher kind -> its scanner

    @property
    def needs_doc(self) -> bool:
        """Whether any scanner reads the spaCy Doc (phrases, tokens)."""
        return any(kind in self.scanners for kind in ("phrases", "tokens"))


def _pattern_words(rules: list[Rule], lang: str) -> frozenset[str]:
    return frozenset(w for rule in rules for m in rule.matchers for w in m.words(lang))


@lru_cache(maxsize=32)
def compile_rules(ruleset: RuleSet, lang: str) -> CompiledRules:
    rules = [r for r in ruleset.rules if lang in r.languages]
    nlp = get_pipeline(lang, _pattern_words(ruleset.rules, lang))
    compiled = CompiledRules(lang, ruleset, rules, nlp)
    env = CompileEnv(lang, nlp, ruleset)
    for name, kind in MATCHER_KINDS.items():
        uses: list[tuple[Rule, Matcher]] = [(r, m) for r in rules for m in r.matchers if isinstance(m, kind)]
        scanner = kind.compile(uses, env) if uses else None
        if scanner is not None:
            compiled.scanners[name] = scanner
    return compiled


def candidates(compiled: CompiledRules, ctx: BlockContext) -> list[Candidate]:
    """All raw matches in one block whose `requires:` cue (if any) is in context."""
    out: list[Candidate] = []
    for scanner in compiled.scanners.values():
        for cand in scanner.scan(ctx):
            if cand.matcher is None or cand.matcher.accepts(cand, ctx):
                out.append(cand)
    return out
