"""Human documentation of a rule, for `rules show`, SARIF help text and the HTML report.

Written in the language asked for (the catalogue's words around the rule's own texts), as
markdown for the formats that render it (SARIF `help.markdown`) or as plain text for a
terminal (`rules show`), which would otherwise print the asterisks.
"""

from __future__ import annotations

from ospo_procure.i18n import N_
from ospo_procure.rules.loader import Rule


def rule_help(rule: Rule, lang: str = "en", *, markdown: bool = True) -> str:
    """What it detects, why it locks in (with legal basis), a bad example, what to write."""
    from ospo_procure.report.words import words

    _ = words(lang)
    criteria = ", ".join(map(str, rule.criteria))
    head = _(
        N_("{id} ({kind}: {category}, {severity}; checklist criteria {criteria})"),
        id=f"**{rule.id}**" if markdown else rule.id,
        kind=_(N_("evidence")) if rule.kind == "evidence" else _(N_("finding")),
        category=_.category(rule.category),
        severity=_.severity(rule.severity),
        criteria=criteria,
    )
    lines = [head, ""]
    # Most descriptions are written in English only: a report in another language leaves
    # them out rather than switch language mid-page (the message says what is found).
    description = rule.description.get(lang or "en", "")
    if description:
        lines += [description, ""]
    lines += [_(N_("What it reports: {message}"), message=rule.text("message", lang)), ""]
    legal_basis = rule.text("legal_basis", lang)
    if legal_basis:
        lines += [_(N_("Legal basis: {text}"), text=legal_basis), ""]
    bad = rule.examples["bad"].get(lang) or next(iter(rule.examples["bad"].values()), [])
    if bad:
        flagged = (
            N_("Example that counts: {example}")
            if rule.kind == "evidence"
            else N_("Example that is flagged: {example}")
        )
        lines += [_(flagged, example=_.quoted(bad[0])), ""]
    good = rule.examples["good"].get(lang) or []
    if good:
        lines += [_(N_("Example that does not: {example}"), example=_.quoted(good[0])), ""]
    suggestion = rule.text("suggestion", lang)
    if suggestion:
        lines += [_(N_("What to write instead: {text}"), text=suggestion), ""]
    lines.append(
        _(N_("Languages: {languages}. Defined in {source}."), languages=", ".join(rule.languages), source=_where(rule))
    )
    return "\n".join(lines)


def _where(rule: Rule) -> str:
    """'lint_rules/rules/brand.yaml:3', relative to the current folder (reports carry no home folders)."""
    from ospo_procure.report.paths import report_path

    path, sep, line = rule.source.rpartition(":")
    return f"{report_path(path)}:{line}" if sep and line.isdigit() else rule.source
