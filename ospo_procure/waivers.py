"""Justified exceptions ("waivers"): a reviewer records that a finding is accepted, and why.

Two sources:
  * a waiver file (YAML, default name ospo-waivers.yaml beside the tenders, or --waivers FILE);
  * the document itself: a Word comment whose text starts with
    "ospo-procure: allow RULE-ID because <justification>", anchored on the words, or in
    .txt/.md a marker line "ospo-procure: allow RULE-ID because ..." (in Markdown it may sit
    in an HTML comment), which applies to its own paragraph and to the next one.
Waived findings stay in every report, marked with their justification; waivers that match
nothing are reported as unused.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import regex

from ospo_procure.model import Document, FileResult, Finding, Waiver
from ospo_procure.yamlio import line_of, load_yaml, validate

WAIVER_FILE_NAME = "ospo-waivers.yaml"
_MARKER = re.compile(
    r"ospo-procure:\s*allow\s+(?P<rule>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s+(?:because|porque|pois|car)\s+(?P<why>.+?)\s*(?:-->|$)",
    re.IGNORECASE,
)
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["waivers"],
    "properties": {
        "version": {"type": "integer"},
        "waivers": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["rule", "justification", "approved_by", "approved_on"],
                "properties": {
                    "rule": {"type": "string", "pattern": "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"},
                    "match": {"type": "string", "minLength": 1},
                    "pattern": {"type": "string", "minLength": 1},
                    "files": {"type": "string", "minLength": 1},
                    "justification": {"type": "string", "minLength": 10},
                    "approved_by": {"type": "string", "minLength": 1},
                    "approved_on": {"type": ["string", "object"]},
                },
            },
        },
    },
}


def load_waivers(path: str | Path) -> list[Waiver]:
    p = Path(path)
    data, lines = load_yaml(p)
    if isinstance(data, dict):
        for w in data.get("waivers", []) or []:
            if isinstance(w, dict) and "approved_on" in w and not isinstance(w["approved_on"], str):
                w["approved_on"] = str(w["approved_on"])  # YAML dates
    validate(data, SCHEMA, p, lines)
    out: list[Waiver] = []
    for i, raw in enumerate(data["waivers"]):
        line = line_of(lines, ("waivers", i))
        if "pattern" in raw:
            from ospo_procure.rules.loader import compile_regex

            compile_regex(raw["pattern"], path=p, line=line, what="waiver pattern")
        files = raw.get("files")
        if files and not Path(files).is_absolute():
            files = str(p.parent / files)
        out.append(
            Waiver(
                rule=raw["rule"],
                justification=raw["justification"],
                approved_by=raw["approved_by"],
                approved_on=raw["approved_on"],
                source=f"{p}:{line}",
                match=raw.get("match"),
                pattern=raw.get("pattern"),
                files=files,
            )
        )
    return out


def discover_waiver_file(path: Path) -> Path | None:
    candidate = path.parent / WAIVER_FILE_NAME
    return candidate if candidate.is_file() else None


def _applies(w: Waiver, f: Finding, path: str) -> bool:
    if w.rule != f.rule:
        return False
    # `files` was made absolute against the waiver file's folder when loaded.
    if w.files and not fnmatch.fnmatch(str(Path(path).resolve()), str(Path(w.files).resolve())):
        return False
    if w.match and w.match.lower() not in f.match.lower():
        return False
    if w.pattern:
        try:
            if not regex.search(w.pattern, f.match, regex.IGNORECASE, timeout=0.1):
                return False
        except TimeoutError:
            return False
    return True


def in_document_waivers(doc: Document) -> list[tuple[Waiver, int | None, str]]:
    """(waiver, block index it covers, anchored text) from comments and marker lines."""
    found: list[tuple[Waiver, int | None, str]] = []
    for c in doc.comments:
        m = _MARKER.search(c.text.strip())
        if m and c.text.strip().lower().startswith("ospo-procure:"):
            w = Waiver(rule=m["rule"].upper(), justification=m["why"], approved_by=c.author, source="comment")
            found.append((w, c.block_index, c.anchored_text))
    for i, block in enumerate(doc.blocks):
        m = _MARKER.search(block.text)
        if m:
            w = Waiver(rule=m["rule"].upper(), justification=m["why"], source=f"marker in {block.location.label()}")
            found.append((w, i, ""))
    return found


def apply_waivers(result: FileResult, doc: Document, file_waivers: list[Waiver]) -> None:
    """Mark waived findings in place; collect in-document waivers that waived nothing."""
    local = in_document_waivers(doc)
    for f in result.findings:
        for w, block, anchored in local:
            same_place = block is None or f.block_index in (block, block + 1)
            if w.rule == f.rule and same_place and (not anchored or _overlaps_text(anchored, f)):
                f.waiver = w
                w.used += 1
                break
        else:
            for w in file_waivers:
                if _applies(w, f, result.path):
                    f.waiver = w
                    w.used += 1
                    break
    result.unused_waivers.extend(w for w, _, _ in local if w.used == 0)


def _overlaps_text(anchored: str, f: Finding) -> bool:
    a = anchored.strip().lower()
    return bool(a) and (a in f.context.lower()[max(0, f.start - len(a)) : f.end + len(a)] or f.match.lower() in a)


class WaiverIndex:
    """Waiver files for a run: an explicit one (--waivers) or ospo-waivers.yaml beside each file,
    each loaded once."""

    def __init__(self, explicit: Path | None = None) -> None:
        self.explicit = explicit
        self._sets: dict[Path, list[Waiver]] = {}
        if explicit is not None:
            self._sets[explicit] = load_waivers(explicit)

    def for_file(self, path: Path) -> list[Waiver]:
        source = self.explicit or discover_waiver_file(path)
        if source is None:
            return []
        if source not in self._sets:
            self._sets[source] = load_waivers(source)
        return self._sets[source]

    def unused(self) -> list[Waiver]:
        return [w for ws in self._sets.values() for w in ws if w.used == 0]
