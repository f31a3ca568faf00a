"""Human documentation of a rule, for `rules show`, SARIF help text and the HTML report."""

from __future__ import annotations

from ospo_procure.rules.loader import Rule


def rule_help(rule: Rule, lang: str = "en") -> str:
    """Markdown: what it detects, why it locks in (with legal basis), a bad example, what to write."""
    lines = [
        f"**{rule.id}** ({rule.kind}: {rule.category}, {rule.severity}; checklist criteria {', '.join(map(str, rule.criteria))})",
        "",
    ]
    description = rule.text("description", lang)
    if description:
        lines += [description, ""]
    lines += [f"What it reports: {rule.text('message', lang)}", ""]
    if rule.legal_basis:
        lines += [f"Legal basis: {rule.legal_basis}", ""]
    bad = rule.examples["bad"].get(lang) or next(iter(rule.examples["bad"].values()), [])
    if bad:
        lines += [f'Example that {"counts" if rule.kind == "evidence" else "is flagged"}: "{bad[0]}"', ""]
    good = rule.examples["good"].get(lang) or []
    if good:
        lines += [f'Example that does not: "{good[0]}"', ""]
    suggestion = rule.text("suggestion", lang)
    if suggestion:
        lines += [f"What to write instead: {suggestion}", ""]
    lines.append(f"Languages: {', '.join(rule.languages)}. Defined in {rule.source}.")
    return "\n".join(lines)
