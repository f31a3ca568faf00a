"""Rules as data: loading, validation and the compiled rule set used by the linter."""

from ospo_procure.rules.loader import Rule, RuleSet, load_ruleset

__all__ = ["Rule", "RuleSet", "load_ruleset"]
