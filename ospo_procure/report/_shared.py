"""Small helpers shared by the reporters (no format-specific code here)."""

from __future__ import annotations

import re
from pathlib import PurePath

from ospo_procure.model import Finding, Waiver
from ospo_procure.report._protocols import RuleInfo

MIME_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
}
TEXT_SUFFIXES = (".txt", ".md", ".markdown")

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
    """Split the finding's context sentence into (before, match, after) for display.

    Uses the sentence span when the linter recorded it (exact even when the matched
    word occurs twice in the sentence), else the first occurrence of the match.
    """
    ctx, match = f.context or "", f.match
    if not match:
        return ctx, "", ""
    pos = -1
    if f.sentence is not None:
        off = f.start - f.sentence[0]
        if off >= 0 and ctx[off : off + len(match)] == match:
            pos = off
    if pos < 0:
        pos = ctx.find(match)
    if pos < 0:
        pos = ctx.casefold().find(match.casefold())
        if pos >= 0 and len(ctx.casefold()) != len(ctx):  # casefold changed lengths: unsafe
            pos = -1
    if pos < 0:
        return (ctx + " … " if ctx else ""), match, ""
    return ctx[:pos], ctx[pos : pos + len(match)], ctx[pos + len(match) :]


def waiver_text(w: Waiver) -> str:
    """'justification (approved by X on D; waivers.yaml:3)'."""
    bits = []
    if w.approved_by:
        bits.append(f"approved by {w.approved_by}" + (f" on {w.approved_on}" if w.approved_on else ""))
    elif w.approved_on:
        bits.append(f"approved on {w.approved_on}")
    if w.source:
        bits.append(w.source)
    return w.justification + (f" ({'; '.join(bits)})" if bits else "")


def waiver_is_in_source(w: Waiver) -> bool:
    """Waivers written inside the tender itself (Word comment, marker line) vs. a waivers file."""
    src = (w.source or "").lower()
    return src.startswith(("comment", "marker", "inline", "in-document"))


def rule_help_markdown(rule: RuleInfo) -> str:
    """The rule's own documentation, or one assembled from its message and advice."""
    if getattr(rule, "help", ""):
        return rule.help
    parts = [rule.message]
    if rule.suggestion:
        parts.append(f"**Suggestion:** {rule.suggestion}")
    if rule.legal_basis:
        parts.append(f"**Legal basis:** {rule.legal_basis}")
    if rule.criteria:
        parts.append("**Checklist criteria:** " + ", ".join(str(c) for c in rule.criteria))
    return "\n\n".join(parts)


def markdown_to_text(md: str) -> str:
    """Strip the little markdown the rule docs use, for plain-text help fields."""
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), md)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return re.sub(r"^#{1,6}\s+", "", text, flags=re.M)
