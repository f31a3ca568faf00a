"""Turn a RuleSet into per-language scanners and run them over block texts.

Every matcher kind (rules/matchers.py: lexicon, phrases, tokens, regex) compiles all its
uses in a language into one Scanner; `candidates` runs them over a block and keeps the
matches whose `requires:` cue is in context. What a match means in its context (its role)
is decided afterwards, by ospo_procure/roles.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ospo_procure.nlp import LanguageTables
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
    tables: LanguageTables  # tokens, sentences and lemmas, without spaCy (nlp.py)
    scanners: dict[str, Scanner] = field(default_factory=dict)  # matcher kind -> its scanner


@lru_cache(maxsize=32)
def compile_rules(ruleset: RuleSet, lang: str) -> CompiledRules:
    """The scanners of one language: built in milliseconds from the cached rule set."""
    rules = [r for r in ruleset.rules if lang in r.languages]
    tables = ruleset.tables(lang)
    compiled = CompiledRules(lang, ruleset, rules, tables)
    env = CompileEnv(lang, tables, ruleset)
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
