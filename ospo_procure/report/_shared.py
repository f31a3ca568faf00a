"""Small helpers shared by the reporters (no format-specific code here)."""

from __future__ import annotations

import re
from pathlib import PurePath

from ospo_procure.constants import MEDIA_TYPES as MEDIA_TYPES
from ospo_procure.constants import TEXT_SUFFIXES
from ospo_procure.excerpt import RADIUS, excerpt
from ospo_procure.model import Finding
from ospo_procure.report._protocols import RuleInfo
from ospo_procure.report.words import Words

# XML 1.0 forbids most C0 controls (a form feed from a PDF export would make the
# JUnit file or a Word comment unreadable), lone surrogates and U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Replace characters XML 1.0 cannot carry with a space."""
    return _XML_ILLEGAL.sub(" ", text)


def suffix(path: str) -> str:
    return PurePath(path).suffix.lower()


def is_text_file(path: str) -> bool:
    return suffix(path) in TEXT_SUFFIXES


def context_parts(f: Finding) -> tuple[str, str, str]:
    """(before, match, after) of the finding's bounded context (excerpt.py), for display.

    The offsets are exact, so a word that occurs twice is marked where it was found; an
    excerpt cut from a longer paragraph shows "…" where it was cut.
    """
    if not f.match:
        return f.context[:RADIUS], "", ""
    ex = excerpt(f.context, f.start, f.end)
    before, match, after = ex.text[: ex.start], ex.text[ex.start : ex.end], ex.text[ex.end :]
    if match != f.match:  # offsets that do not fit the context (a hand-made finding): show the match
        return "", f.match, ""
    return ("…" if ex.truncated_before else "") + before, match, after + ("…" if ex.truncated_after else "")


def rule_help_markdown(rule: RuleInfo, _: Words) -> str:
    """The rule's own documentation, or one assembled from its message and advice."""
    if getattr(rule, "help", ""):
        return rule.help
    parts = [rule.message]
    if rule.suggestion:
        parts.append(_("**Suggestion:** {text}", text=rule.suggestion))
    if rule.legal_basis:
        parts.append(_("**Legal basis:** {text}", text=rule.legal_basis))
    if rule.criteria:
        parts.append(_("**Checklist criteria:** {numbers}", numbers=", ".join(str(c) for c in rule.criteria)))
    return "\n\n".join(parts)


def markdown_to_text(md: str) -> str:
    """Strip the little markdown the rule docs use, for plain-text help fields."""
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), md)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return re.sub(r"^#{1,6}\s+", "", text, flags=re.M)
