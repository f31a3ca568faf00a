"""The one assertion the role-cue tests share: the brand finding on `match` has `role`, its
reason quotes `reason`, and its severity follows from the role (only required and object
mentions are errors)."""

from __future__ import annotations

from ospo_procure.lint import lint_text

INFO_ROLES = ("example", "existing", "procedural", "excluded", "negated", "commentary", "history")


def findings_of(text: str, lang: str, ruleset) -> list:
    """Every lock-in finding of the text (no evidence items)."""
    return [f for f in lint_text(text, language=lang, ruleset=ruleset, score=False).findings if f.kind == "finding"]


def reported(text: str, lang: str, ruleset, category: str | None = None) -> list:
    """The lock-in findings a reviewer is asked to act on (error or warning level), of `category`
    when given."""
    return [
        f
        for f in findings_of(text, lang, ruleset)
        if f.severity in ("error", "warning") and category in (None, f.category)
    ]


def brand_findings(text: str, lang: str, ruleset, match: str):
    """The brand findings on `match`, and every finding of the text (for failure messages)."""
    found = findings_of(text, lang, ruleset)
    return [f for f in found if f.match == match and f.category == "brand"], found


def assert_brand_role(ruleset, lang: str, text: str, match: str, role: str | None, reason: str) -> None:
    """`role` None: nothing is reported on `match` (a negated mention)."""
    hits, found = brand_findings(text, lang, ruleset, match)
    if role is None:
        assert hits == [], [(f.rule, f.role, f.role_reason) for f in hits]
        return
    assert hits, [(f.rule, f.match, f.role) for f in found]
    f = hits[0]
    assert f.role == role, (f.role, f.role_reason)
    assert reason.lower() in f.role_reason.lower(), f.role_reason
    assert f.severity == ("info" if role in INFO_ROLES else "error")
