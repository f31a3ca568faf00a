"""SARIF 2.1.0 output for code-scanning services (GitHub, GitLab, Azure DevOps).

Artifact URIs are relative to `%SRCROOT%`, the folder the run was started in, given in
`originalUriBaseIds` (absolute `file:` URIs with `--absolute-paths`, or for files outside
that folder), so code-scanning services map them to the repository's files. Messages are
in the report's language (report/words.py).

Binary tenders (.docx/.pdf/.odt) may not carry text regions in SARIF, so their results
point at the artifact only and describe the place with a logical location (heading
path, paragraph, table cell, page); the matched text, its offsets and its place in the
package (zip part and XML path, or PDF page) go in `result.properties`. Text tenders
(.txt/.md) get exact line/column regions from the finding's source span, which the
reader's source map gives (the reporter never re-reads the file). Evidence items are
not results; each file's scorecard sits in `run.properties`. Read errors, warnings and
unused waivers are tool execution notifications.
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
from ospo_procure.model import FileResult, Finding, LintRun, Location, SourceSpan
from ospo_procure.report import ReportOptions
from ospo_procure.report._protocols import RuleInfo, all_findings, rules_used
from ospo_procure.report._shared import (
    MEDIA_TYPES,
    is_text_file,
    markdown_to_text,
    rule_help_markdown,
    suffix,
)
from ospo_procure.report.json_report import scorecard_dict
from ospo_procure.report.paths import is_inside
from ospo_procure.report.words import Words, file_language, run_language, words

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "ospoProcure/v1"
SRCROOT = "%SRCROOT%"


def render(results: LintRun, options: ReportOptions) -> bytes:
    """One SARIF log (one run) covering every file, as UTF-8 JSON."""
    log = build_log(results, rules=options.rules, tool_version=options.tool_version, options=options)
    return json.dumps(log, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def build_log(
    results: LintRun,
    *,
    rules: Mapping[str, RuleInfo] | None = None,
    tool_version: str = "",
    options: ReportOptions | None = None,
) -> dict[str, Any]:
    options = options or ReportOptions()
    _ = words(run_language(results.files, options.lang))
    used = rules_used(all_findings(results.files), rules)
    rule_index = {rid: i for i, rid in enumerate(used)}
    driver: dict[str, Any] = {"name": "ospo-procure", "rules": [_descriptor(r, _) for r in used.values()]}
    if tool_version:
        driver["version"] = tool_version
    run = _Run(options.lang)
    for index, fr in enumerate(results.files):
        run.add_file(index, fr, rule_index)
    run.notifications += [_notification("note", _.unused_waiver(w)) for w in results.unused_waivers]
    sarif_run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [
            {
                # A run that read nothing at all did not do its job; partial failures are notes.
                "executionSuccessful": not results.files or not all(r.error for r in results.files),
                "toolExecutionNotifications": run.notifications,
            }
        ],
        "artifacts": run.artifacts,
        "columnKind": "unicodeCodePoints",
        "results": run.results,
    }
    if any("uriBaseId" in a["location"] for a in run.artifacts):
        sarif_run["originalUriBaseIds"] = {SRCROOT: {"uri": _srcroot()}}
    properties: dict[str, Any] = {"language": _.lang}
    if options.rules_source:
        properties["rules"] = options.rules_source
    if run.scorecards:
        properties["scorecards"] = run.scorecards
    sarif_run["properties"] = properties
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}


def _srcroot() -> str:
    """The folder relative URIs start from (the current one), as a file URI ending in '/'."""
    try:
        return Path.cwd().as_uri().rstrip("/") + "/"
    except (OSError, ValueError):
        return "file:///"


class _Run:
    """The per-file parts of the run, gathered file by file."""

    def __init__(self, lang: str | None) -> None:
        self.lang = lang
        self.artifacts: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        self.scorecards: list[dict[str, Any]] = []

    def add_file(self, index: int, fr: FileResult, rule_index: dict[str, int]) -> None:
        _ = words(file_language(fr, self.lang))
        location = artifact_location(fr.path)
        artifact: dict[str, Any] = {"location": dict(location), "roles": ["analysisTarget"]}
        mime = MEDIA_TYPES.get(suffix(fr.path))
        if mime:
            artifact["mimeType"] = mime
        if fr.language:
            # sourceLanguage means a programming language in SARIF; the tender's is a property.
            artifact["properties"] = {"language": fr.language}
        self.artifacts.append(artifact)
        art_loc = {**location, "index": index}
        if fr.error:
            self.notifications.append(_notification("error", f"{fr.path}: {_.text(fr.error)}", art_loc))
            return
        for warning in fr.warnings:
            self.notifications.append(_notification("warning", f"{fr.path}: {_.text(warning)}", art_loc))
        for w in fr.unused_waivers:
            self.notifications.append(_notification("note", f"{fr.path}: {_.unused_waiver(w)}", art_loc))
        text_file = is_text_file(fr.path)
        seen: dict[str, int] = {}
        first = len(self.results)
        for f in fr.findings:
            self.results.append(_result(f, art_loc, rule_index[f.rule], text_file, seen, _))
        self._add_scorecard(fr, index, location, first, _)

    def _add_scorecard(self, fr: FileResult, index: int, location: dict[str, str], first: int, _: Words) -> None:
        """The file's scorecard in the run's properties, its reasons in the file's report language."""
        card = scorecard_dict(fr.scorecard, fr.findings, None, _)
        if card is not None:
            assert fr.scorecard is not None
            for n, criterion in card["criteria"].items():
                # findings behind it as indexes of `results`; evidence (no result of its own) in short
                criterion["findings"] = [first + i for i in criterion["findings"]]
                criterion["evidence"] = [
                    {"rule": e.rule, "match": e.match, "location": _.location(e.location)}
                    for e in fr.scorecard.criteria[int(n)].evidence
                ]
            card.update({"artifactIndex": index, **location})
            self.scorecards.append(card)


def artifact_location(path: str) -> dict[str, str]:
    """`{"uri": ..., "uriBaseId": "%SRCROOT%"}` for a path inside the current folder (relative,
    forward slashes, percent-encoded); an absolute `file:` URI otherwise."""
    if is_inside(path):
        return {"uri": quote(Path(path).as_posix(), safe="/"), "uriBaseId": SRCROOT}
    try:
        return {"uri": Path(path).absolute().as_uri()}
    except ValueError:
        return {"uri": quote(Path(path).as_posix(), safe="/")}


def artifact_uri(path: str) -> str:
    """The artifact's URI alone (relative to %SRCROOT% when inside the current folder)."""
    return artifact_location(path)["uri"]


def _descriptor(rule: RuleInfo, _: Words) -> dict[str, Any]:
    md = rule_help_markdown(rule, _)
    full = rule.message + (" " + _("Suggestion: {text}", text=rule.suggestion) if rule.suggestion else "")
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


def _notification(level: str, text: str, art_loc: dict[str, Any] | None = None) -> dict[str, Any]:
    note: dict[str, Any] = {"level": level, "message": {"text": text}}
    if art_loc is not None:
        note["locations"] = [{"physicalLocation": {"artifactLocation": dict(art_loc)}}]
    return note


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


def _logical_location(loc: Location, _: Words) -> dict[str, Any]:
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
    name = _.location(loc)
    fqn = " > ".join(x for x in (loc.heading, name) if x)
    return {"name": name, "fullyQualifiedName": fqn, "kind": kind}


def _result(
    f: Finding,
    art_loc: dict[str, Any],
    rule_index: int,
    text_file: bool,
    seen: dict[str, int],
    _: Words,
) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": dict(art_loc)}
    region = _region(f.source, f.match) if text_file else None
    if region is None and text_file and f.location.line is not None:
        region = {"startLine": f.location.line}
    if region:
        physical["region"] = region
    text = f"{f.message} ({_.quoted(f.match)}, {_.location(f.location)})"
    note = _.finding_note(f)
    if note:
        text += " " + _("Note: {note}", note=note)
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical, "logicalLocations": [_logical_location(f.location, _)]}],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(f, seen)},
        "properties": _properties(f, _),
    }
    if f.waiver is not None:
        result["suppressions"] = [_suppression(f, _)]
    return result


def _properties(f: Finding, _: Words) -> dict[str, Any]:
    ex = excerpt(f.context, f.start, f.end)  # bounded context: report size linear in the input
    props: dict[str, Any] = {
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
    }
    if f.source is not None and (f.source.part or f.source.page):
        props["source"] = {k: v for k, v in f.source.to_dict().items() if v is not None}
    if f.note:
        props["note"] = f.note
    if f.role:
        props["role"] = f.role
        props["role_reason"] = _.role_reason(f.role_reason)
    return props


def _suppression(f: Finding, _: Words) -> dict[str, Any]:
    w = f.waiver
    assert w is not None
    in_source = w.source is not None and w.source.in_document
    suppression: dict[str, Any] = {
        "kind": "inSource" if in_source else "external",
        "status": "accepted",
        "justification": _.waiver(w),
    }
    if w.source is not None and w.source.path and not in_source:
        suppression["location"] = {"physicalLocation": {"artifactLocation": artifact_location(w.source.path)}}
    return suppression


def _region(span: SourceSpan | None, match: str) -> dict[str, Any] | None:
    """A SARIF text region (1-based lines, end column just after the match). On one line the
    match is the file's text verbatim, so it is the snippet; across lines the file has a
    line break and indentation where the match has one space, so there is no snippet."""
    if span is None or span.start_line is None:
        return None
    region: dict[str, Any] = {
        "startLine": span.start_line,
        "startColumn": span.start_column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }
    if span.start_line == span.end_line:
        region["snippet"] = {"text": match}
    return region
