"""Run every rule's good and bad examples: the contract between a rule and its documentation.

A bad example must produce a finding (or evidence item) of that rule at warning level or
above (error/warning for findings; any level for evidence); a good example must not.
"""

from __future__ import annotations

from dataclasses import dataclass

from ospo_procure.rules.loader import RuleSet


@dataclass
class ExampleFailure:
    rule: str
    lang: str
    kind: str  # "bad" (missed) or "good" (false alarm)
    text: str

    def __str__(self) -> str:
        what = "bad example not flagged" if self.kind == "bad" else "good example flagged"
        return f"{self.rule} [{self.lang}] {what}: {self.text}"


def _hits(ruleset: RuleSet, rule_id: str, text: str, lang: str) -> bool:
    from ospo_procure.lint import lint_text

    result = lint_text(text, language=lang, ruleset=ruleset, score=False)
    items = result.findings + result.evidence
    return any(f.rule == rule_id and (f.kind == "evidence" or f.severity != "info") for f in items)


def run_examples(ruleset: RuleSet) -> tuple[int, list[ExampleFailure]]:
    """Return (number of examples run, failures)."""
    failures: list[ExampleFailure] = []
    count = 0
    for rule in ruleset.rules:
        for kind in ("bad", "good"):
            for lang, texts in rule.examples[kind].items():
                for text in texts:
                    count += 1
                    if _hits(ruleset, rule.id, text, lang) != (kind == "bad"):
                        failures.append(ExampleFailure(rule.id, lang, kind, text))
    return count, failures
