"""SARIF 2.1.0 output for code-scanning services (GitHub, GitLab, Azure DevOps).

Binary tenders (.docx/.pdf/.odt) may not carry text regions in SARIF, so their results
point at the artifact only and describe the place with a logical location (heading
path, paragraph, table cell, page); the matched text and its offsets go in
`result.properties`. Text tenders (.txt/.md) get exact line/column regions, recomputed
from the file itself because the reader joins a paragraph's lines with single spaces.
Evidence items are not results; each file's scorecard sits in `run.properties`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ospo_procure.excerpt import excerpt
from ospo_procure.model import Block, FileResult, Finding, Location
from ospo_procure.readers.text_reader import decode, parse_text
from ospo_procure.report._protocols import RuleInfo, all_findings, rules_used
from ospo_procure.report._shared import (
    MIME_TYPES,
    is_text_file,
    markdown_to_text,
    rule_help_markdown,
    suffix,
    waiver_is_in_source,
    waiver_text,
)

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "ospoProcure/v1"


def render(
    results: list[FileResult],
    *,
    rules: dict[str, RuleInfo] | None = None,
    tool_version: str = "",
) -> bytes:
    """One SARIF log (one run) covering every file, as UTF-8 JSON."""
    return (
        json.dumps(build_log(results, rules=rules, tool_version=tool_version), ensure_ascii=False, indent=2).encode(
            "utf-8"
        )
        + b"\n"
    )


def build_log(
    results: list[FileResult],
    *,
    rules: Mapping[str, RuleInfo] | None = None,
    tool_version: str = "",
) -> dict[str, Any]:
    used = rules_used(all_findings(results), rules)
    rule_index = {rid: i for i, rid in enumerate(used)}
    driver: dict[str, Any] = {"name": "ospo-procure", "rules": [_descriptor(r) for r in used.values()]}
    if tool_version:
        driver["version"] = tool_version

    artifacts: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    scorecards: list[dict[str, Any]] = []
    for index, fr in enumerate(results):
        uri = artifact_uri(fr.path)
        artifact: dict[str, Any] = {"location": {"uri": uri}, "roles": ["analysisTarget"]}
        mime = MIME_TYPES.get(suffix(fr.path))
        if mime:
            artifact["mimeType"] = mime
        if fr.language:
            # sourceLanguage means a programming language in SARIF; the tender's is a property.
            artifact["properties"] = {"language": fr.language}
        artifacts.append(artifact)
        art_loc = {"uri": uri, "index": index}

        if fr.error:
            notifications.append(_notification("error", f"{fr.path}: {fr.error}", art_loc))
            continue
        for warning in fr.warnings:
            notifications.append(_notification("warning", f"{fr.path}: {warning}", art_loc))
        for w in fr.unused_waivers:
            where = f" ({w.source})" if w.source else ""
            notifications.append(
                _notification("note", f"{fr.path}: waiver for rule {w.rule}{where} matched no finding", art_loc)
            )

        regions = _TextRegions(fr) if is_text_file(fr.path) else None
        seen: dict[str, int] = {}
        for f in fr.findings:
            sarif_results.append(_result(f, art_loc, rule_index[f.rule], regions, seen))
        if fr.scorecard is not None:
            card = fr.scorecard.to_dict()
            card.update({"artifactIndex": index, "uri": uri})
            scorecards.append(card)

    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [
            {
                # A run that read nothing at all did not do its job; partial failures are notes.
                "executionSuccessful": not results or not all(r.error for r in results),
                "toolExecutionNotifications": notifications,
            }
        ],
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    if scorecards:
        run["properties"] = {"scorecards": scorecards}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def artifact_uri(path: str) -> str:
    """A relative, forward-slash, percent-encoded URI (absolute paths outside cwd: file URI)."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return quote(p.as_posix(), safe="/")


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    md = rule_help_markdown(rule)
    full = rule.message + (f" Suggestion: {rule.suggestion}" if rule.suggestion else "")
    return {
        "id": rule.id,
        "name": _pascal(rule.id),
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": full},
        "help": {"text": markdown_to_text(md), "markdown": md},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {
            "category": rule.category,
            "criteria": list(rule.criteria),
            "legal_basis": rule.legal_basis,
            "tags": ["procurement", "vendor-lock-in", rule.category],
        },
    }


def _pascal(rule_id: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", rule_id) if p) or rule_id


def _notification(level: str, text: str, art_loc: dict[str, Any]) -> dict[str, Any]:
    return {
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": dict(art_loc)}}],
    }


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _fingerprint(f: Finding, seen: dict[str, int]) -> str:
    """Hash of what was found, not where: survives paragraphs moving around.

    The occurrence index tells apart the same phrase in identical sentences.
    """
    key = "\x1f".join((f.rule, _norm(f.match), _norm(excerpt(f.context, f.start, f.end).text)))
    occurrence = seen.get(key, 0)
    seen[key] = occurrence + 1
    return hashlib.sha256(f"{key}\x1f{occurrence}".encode()).hexdigest()


def _logical_location(loc: Location) -> dict[str, Any]:
    if loc.table is not None:
        kind = "tableCell"
    elif loc.part in ("header", "footer", "footnote", "endnote", "comment", "textbox"):
        kind = loc.part
    elif loc.paragraph is not None or loc.line is not None:
        kind = "paragraph"
    elif loc.page is not None:
        kind = "page"
    else:
        kind = "section"
    name = loc.label()
    fqn = " > ".join(x for x in (loc.heading, name) if x)
    return {"name": name, "fullyQualifiedName": fqn, "kind": kind}


def _result(
    f: Finding,
    art_loc: dict[str, Any],
    rule_index: int,
    regions: _TextRegions | None,
    seen: dict[str, int],
) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": dict(art_loc)}
    if regions is not None:
        region = regions.region(f)
        if region:
            physical["region"] = region
    text = f"{f.message} (“{f.match}”, {f.location.label()})"
    if f.note:
        text += f" Note: {f.note}"
    ex = excerpt(f.context, f.start, f.end)
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical, "logicalLocations": [_logical_location(f.location)]}],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(f, seen)},
        "properties": {
            "match": f.match,
            "start": ex.start,
            "end": ex.end,
            "context": ex.text,
            "context_offset": ex.offset,
            "location": f.location.to_dict(),
            "category": f.category,
            "criteria": list(f.criteria),
            "suggestion": f.suggestion,
            "legal_basis": f.legal_basis,
        },
    }
    if f.note:
        result["properties"]["note"] = f.note
    if f.waiver is not None:
        w = f.waiver
        suppression: dict[str, Any] = {
            "kind": "inSource" if waiver_is_in_source(w) else "external",
            "status": "accepted",
            "justification": waiver_text(w),
        }
        if w.source and not waiver_is_in_source(w):
            suppression["location"] = {"physicalLocation": {"artifactLocation": {"uri": _source_uri(w.source)}}}
        result["suppressions"] = [suppression]
    return result


def _source_uri(source: str) -> str:
    """'waivers.yaml:12' -> 'waivers.yaml' (the line lives in the justification text)."""
    return artifact_uri(re.sub(r":\d+$", "", source))


class _TextRegions:
    """Maps (block, offset) of a .txt/.md finding back to line/column in the file.

    The reader strips each source line and joins a paragraph's lines with one space,
    so block offsets are not file offsets; we re-read the file, re-parse it to get the
    block texts, and walk each block's source lines to build an offset map.
    """

    def __init__(self, fr: FileResult) -> None:
        self.lines: list[str] | None = None
        self.blocks: list[Block] = []
        self.maps: dict[int, list[tuple[int, int, int, int]] | None] = {}
        try:
            text = decode(Path(fr.path).read_bytes(), Path(fr.path))
        except Exception:  # file moved or unreadable since linting: fall back to line-only regions
            return
        markdown = suffix(fr.path) in (".md", ".markdown")
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.blocks = parse_text(text, fr.path, markdown=markdown).blocks

    def _block(self, f: Finding) -> int | None:
        """The re-parsed block the finding came from (checked, in case the file changed)."""

        def fits(i: int) -> bool:
            b = self.blocks[i]
            return b.location.line == f.location.line and b.text[f.start : f.end] == f.match

        if 0 <= f.block_index < len(self.blocks) and fits(f.block_index):
            return f.block_index
        return next((i for i in range(len(self.blocks)) if fits(i)), None)

    def _segments(self, i: int) -> list[tuple[int, int, int, int]] | None:
        """[(block_offset, line, column0, length)] for each source line of block i."""
        if i in self.maps:
            return self.maps[i]
        assert self.lines is not None
        block = self.blocks[i]
        text, line, col = block.text, block.location.line or 1, (block.location.column or 1) - 1
        segs: list[tuple[int, int, int, int]] = []
        pos = 0
        while pos < len(text) and line <= len(self.lines):
            raw = self.lines[line - 1]
            start = col
            while start < len(raw) and raw[start].isspace() and raw[start] != "\f":
                start += 1
            cand = raw[start:].rstrip()
            if not text.startswith(cand[:1], pos) or not cand:
                # Column hint off (e.g. text after a form feed): find the piece in the line.
                found = raw.find(text[pos : pos + 8])
                if found < 0:
                    break
                start, cand = found, raw[found:].rstrip()
            n = 0
            limit = min(len(cand), len(text) - pos)
            while n < limit and cand[n] == text[pos + n]:
                n += 1
            segs.append((pos, line, start, n))
            pos += n
            if pos < len(text) and text[pos] == " ":
                pos += 1  # the joining space stands for the line break
            line, col = line + 1, 0
        result = segs if pos >= len(text) else None
        self.maps[i] = result
        return result

    def _point(self, segs: list[tuple[int, int, int, int]], offset: int, *, end: bool) -> tuple[int, int]:
        """1-based (line, column) of a block offset; for an end offset, the column after."""
        target = offset - 1 if end else offset
        for pos, line, col0, n in reversed(segs):
            if target >= pos:
                within = min(target - pos, max(n - 1, 0))
                return line, col0 + within + 1 + (1 if end else 0)
        pos, line, col0, _ = segs[0]
        return line, col0 + 1

    def region(self, f: Finding) -> dict[str, Any] | None:
        if f.location.line is None:
            return None
        if self.lines is None:
            return {"startLine": f.location.line}
        i = self._block(f)
        segs = self._segments(i) if i is not None else None
        if not segs or f.end <= f.start:
            return {"startLine": f.location.line}
        sl, sc = self._point(segs, f.start, end=False)
        el, ec = self._point(segs, f.end, end=True)
        if el == sl:
            snippet = self.lines[sl - 1][sc - 1 : ec - 1]
        else:
            snippet = "\n".join([self.lines[sl - 1][sc - 1 :], *self.lines[sl : el - 1], self.lines[el - 1][: ec - 1]])
        return {
            "startLine": sl,
            "startColumn": sc,
            "endLine": el,
            "endColumn": ec,
            "snippet": {"text": snippet},
        }
