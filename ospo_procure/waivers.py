"""Justified exceptions ("waivers"): a reviewer records that a finding is accepted, and why.

Trust model (SECURITY.md): the tender under review is written by the party whose lock-in is
being checked, so nothing in it may silence a finding on its own authority.

  * Waiver files (YAML) come from the reviewer: `--waivers FILE`, or the reviewer's project
    configuration (ospo_procure/reviewer.py). They are never picked up beside an input.
  * In-document waivers (a Word/ODF comment starting "ospo-procure: allow RULE-ID because
    ...", anchored on the words; or a marker line with the same text, which covers its own
    paragraph and the next one) are *claims*. A claim is honoured only when the reviewer says
    so: `--trust-document-waivers` (or `trust-document-waivers = true`), or, for comments, an
    author listed in `waiver-authors`. Other claims are reported as file warnings.
  * Text formatted as hidden (Word `w:vanish`, hidden ODF text) never waives anything, with
    or without trust; a hidden marker is reported. Findings in hidden text are marked so.

Waived findings stay in every report, marked with their justification; waivers that match
nothing are reported as unused. Findings are never changed in place: waived and hidden-text
findings are new copies.

Bounded work: a marker is parsed with one anchored regex and string searches (the old single
regex was quadratic on a marker followed by a million spaces); waiver patterns run with a
timeout, and a pattern that times out is dropped for that file with a warning; the whole
step stops, with a warning, once `max_seconds` has passed.
"""

from __future__ import annotations

import fnmatch
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.model import Block, Document, FileResult, Finding, Waiver, WaiverSource
from ospo_procure.reviewer import WAIVER_FILE_NAME, ReviewerConfig, author_key
from ospo_procure.yamlio import line_of, load_yaml, validate

__all__ = [
    "WAIVER_FILE_NAME",
    "DocumentWaiver",
    "FileWaivers",
    "WaiverIndex",
    "apply_waivers",
    "in_document_waivers",
    "load_waivers",
]

# The head of a marker, anchored on its literal start: every quantifier is followed by a
# character it cannot match, so the search is linear whatever follows.
_MARKER = re.compile(
    r"ospo-procure:\s*allow\s+(?P<rule>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s+(?:because|porque|pois|car)\b",
    re.IGNORECASE,
)
_MARKER_END = "-->"
MAX_JUSTIFICATION = 500  # characters kept from an in-document justification
PATTERN_TIMEOUT = 0.1  # seconds per waiver-pattern search
_MAX_CLAIM_WARNINGS = 20  # per file; then one line with the count
_DEADLINE_EVERY = 256  # findings between two clock checks

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


# --------------------------------------------------------------------------------------
# Waiver files
# --------------------------------------------------------------------------------------


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
                source=WaiverSource("file", path=str(p), line=line),
                match=raw.get("match"),
                pattern=raw.get("pattern"),
                files=files,
            )
        )
    return out


def _files_match(w: Waiver, path: str) -> bool:
    # `files` was made absolute against the waiver file's folder when loaded.
    return not w.files or fnmatch.fnmatch(str(Path(path).resolve()), str(Path(w.files).resolve()))


# --------------------------------------------------------------------------------------
# In-document waivers
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentWaiver:
    """A waiver written inside the reviewed document: a claim until the reviewer trusts it."""

    waiver: Waiver
    block: int | None  # the block it covers (and the next one, for a marker); None: anywhere
    anchored: str  # the text a comment is anchored on ("" for markers)
    kind: str  # "comment" | "marker"
    where: str  # "Word comment by 'Ana' on body ¶3" / "marker in body ¶4"
    hidden: bool = False  # written in text formatted as hidden: never honoured


def _justification(text: str, start: int, stop: int) -> str:
    return " ".join(text[start : min(stop, start + 4 * MAX_JUSTIFICATION)].split())[:MAX_JUSTIFICATION]


def parse_markers(text: str) -> list[tuple[str, str, int, int]]:
    """(rule, justification, start, end) of each "ospo-procure: allow RULE because ..." in `text`.

    Linear: a justification runs to the next "-->" (a Markdown HTML comment), the next marker
    or the end of the text, and the position of the next "-->" is found once and reused.
    """
    out: list[tuple[str, str, int, int]] = []
    matches = list(_MARKER.finditer(text))
    next_end = -2  # -2: not searched yet; -1: none left
    for i, m in enumerate(matches):
        if next_end == -2 or (0 <= next_end < m.end()):
            next_end = text.find(_MARKER_END, m.end())
        stop = len(text) if next_end < 0 else next_end
        if i + 1 < len(matches):
            stop = min(stop, matches[i + 1].start())
        why = _justification(text, m.end(), stop)
        if why:
            out.append((m["rule"].upper(), why, m.start(), stop))
    return out


def _in_hidden(block: Block, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in block.hidden)


def in_document_waivers(doc: Document) -> list[DocumentWaiver]:
    """The waivers the document claims, from its comments and its marker lines."""
    found: list[DocumentWaiver] = []
    for c in doc.comments:
        text = c.text.strip()
        if not text.lower().startswith("ospo-procure:"):
            continue
        for rule, why, _, _ in parse_markers(text)[:1]:
            where = _comment_place(
                c.author,
                doc.blocks[c.block_index]
                if c.block_index is not None and 0 <= c.block_index < len(doc.blocks)
                else None,
            )
            w = Waiver(rule=rule, justification=why, approved_by=c.author, source=WaiverSource("comment"))
            found.append(DocumentWaiver(w, c.block_index, c.anchored_text, "comment", where))
    for i, block in enumerate(doc.blocks):
        for rule, why, start, end in parse_markers(block.text):
            where = Message("marker in {where}", where=block.location)
            w = Waiver(rule=rule, justification=why, source=WaiverSource("marker", where=block.location.label()))
            found.append(DocumentWaiver(w, i, "", "marker", where, hidden=_in_hidden(block, start, end)))
    return found


def _comment_place(author: str | None, block: Block | None) -> Message:
    """Where a comment waiver was written, for a warning: "Word comment by 'Ana' on body ¶3"."""
    if author and block is not None:
        return Message("Word comment by '{author}' on {where}", author=author, where=block.location)
    if author:
        return Message("Word comment by '{author}'", author=author)
    if block is not None:
        return Message("comment on {where}", where=block.location)
    return Message("comment")


def _overlaps_text(anchored: str, f: Finding) -> bool:
    a = anchored.strip().lower()
    if not a:
        return False
    near = f.context[max(0, f.start - len(a)) : f.end + len(a)].lower()
    return a in near or f.match.lower() in a


def _covers(dw: DocumentWaiver, f: Finding) -> bool:
    if dw.waiver.rule != f.rule:
        return False
    if dw.block is not None and f.block_index not in (dw.block, dw.block + 1):
        return False
    return not dw.anchored or _overlaps_text(dw.anchored, f)


# --------------------------------------------------------------------------------------
# Applying waivers to one file
# --------------------------------------------------------------------------------------


@dataclass
class FileWaivers:
    """Everything that may waive the findings of one file: the reviewer's waiver-file entries
    (already filtered by their `files` glob) and the reviewer's trust in document waivers."""

    entries: Sequence[Waiver] = ()
    config: ReviewerConfig = field(default_factory=ReviewerConfig)
    limits: Limits = field(default_factory=Limits)
    used: dict[int, int] = field(default_factory=dict)  # id(waiver) -> findings waived
    warnings: list[str] = field(default_factory=list)
    _dead_patterns: set[int] = field(default_factory=set)

    def honours(self, dw: DocumentWaiver) -> bool:
        if dw.hidden:
            return False
        if self.config.trust_document_waivers:
            return True
        return dw.kind == "comment" and author_key(dw.waiver.approved_by) in self.config.waiver_authors

    def entry_applies(self, w: Waiver, f: Finding) -> bool:
        if w.rule != f.rule:
            return False
        if w.match and w.match.lower() not in f.match.lower():
            return False
        if w.pattern:
            if id(w) in self._dead_patterns:
                return False
            try:
                if not regex.search(w.pattern, f.match, regex.IGNORECASE, timeout=PATTERN_TIMEOUT):
                    return False
            except TimeoutError:
                self._dead_patterns.add(id(w))
                self.warnings.append(
                    Message(
                        "waiver pattern {pattern} ({source}) ran over {seconds} s on the text "
                        "of a finding; it is not used for this file (simplify the pattern)",
                        pattern=repr(w.pattern),
                        source=str(w.source),
                        seconds=f"{PATTERN_TIMEOUT:g}",
                    )
                )
                return False
        return True


def _hidden_note(f: Finding, doc: Document) -> Finding:
    if not (0 <= f.block_index < len(doc.blocks)) or not _in_hidden(doc.blocks[f.block_index], f.start, f.end):
        return f
    hidden = "in hidden text, not displayed or printed"
    return f.evolve(note=f"{f.note}; {hidden}" if f.note else hidden)


def _claim_warnings(claims: list[DocumentWaiver]) -> list[str]:
    out: list[str] = []
    for dw in claims[:_MAX_CLAIM_WARNINGS]:
        values = {"rule": dw.waiver.rule, "where": dw.where, "why": dw.waiver.justification[:120]}
        if dw.hidden:
            out.append(
                Message(
                    "the document claims a waiver of {rule} ({where}: '{why}') in hidden text; "
                    "hidden text never waives anything, the claim is ignored",
                    **values,
                )
            )
        else:
            out.append(
                Message(
                    "the document claims a waiver of {rule} ({where}: '{why}'); not applied: waivers written in "
                    "a received document count only with --trust-document-waivers, or for comments by an "
                    "author listed in waiver-authors",
                    **values,
                )
            )
    if len(claims) > _MAX_CLAIM_WARNINGS:
        out.append(
            Message("in-document waiver claims not applied, besides these: {n}", n=len(claims) - _MAX_CLAIM_WARNINGS)
        )
    return out


def apply_waivers(result: FileResult, doc: Document, waivers: FileWaivers | Iterable[Waiver] | None) -> None:
    """Give `result` its waived (and hidden-text) findings, as new Finding objects; add warnings
    for claims not honoured and unused in-document waivers to `result.unused_waivers`."""
    fw = waivers if isinstance(waivers, FileWaivers) else FileWaivers(entries=list(waivers or ()))
    local = in_document_waivers(doc)
    honoured = [dw for dw in local if fw.honours(dw)]
    started = time.monotonic()
    out: list[Finding] = []
    stopped = False
    for n, f in enumerate(result.findings):
        f = _hidden_note(f, doc)
        if not stopped and n % _DEADLINE_EVERY == 0 and time.monotonic() - started > fw.limits.max_seconds:
            stopped = True
            fw.warnings.append(
                Message(
                    "applying waivers took over {seconds} s (max_seconds limit); "
                    "findings not checked against waivers: {n}",
                    seconds=f"{fw.limits.max_seconds:g}",
                    n=len(result.findings) - n,
                )
            )
        waiver = None if stopped else _first_waiver(f, honoured, fw)
        out.append(f.evolve(waiver=waiver) if waiver is not None else f)
    result.findings = out
    result.evidence = [_hidden_note(e, doc) for e in result.evidence]
    result.warnings.extend(_claim_warnings([dw for dw in local if not fw.honours(dw)]))
    result.warnings.extend(fw.warnings)
    result.unused_waivers.extend(dw.waiver for dw in honoured if fw.used.get(id(dw.waiver), 0) == 0)


def _first_waiver(f: Finding, honoured: list[DocumentWaiver], fw: FileWaivers) -> Waiver | None:
    for dw in honoured:
        if _covers(dw, f):
            fw.used[id(dw.waiver)] = fw.used.get(id(dw.waiver), 0) + 1
            return dw.waiver
    for w in fw.entries:
        if fw.entry_applies(w, f):
            fw.used[id(w)] = fw.used.get(id(w), 0) + 1
            return w
    return None


class WaiverIndex:
    """The waivers of a run: the reviewer's waiver files (each loaded once) and trust settings.

    `for_file(path)` gives the `FileWaivers` of one linted file; `unused()` lists the
    waiver-file entries that waived nothing in the whole run.
    """

    def __init__(
        self,
        explicit: Path | None = None,
        *,
        config: ReviewerConfig | None = None,
        limits: Limits | None = None,
    ) -> None:
        if config is None:
            config = ReviewerConfig(waiver_files=(explicit,) if explicit is not None else ())
        self.config = config
        self.limits = limits or Limits()
        self.entries: list[Waiver] = [w for path in config.waiver_files for w in load_waivers(path)]
        self.used: dict[int, int] = {}

    def for_file(self, path: Path | str) -> FileWaivers:
        entries = [w for w in self.entries if _files_match(w, str(path))]
        return FileWaivers(entries=entries, config=self.config, limits=self.limits, used=self.used)

    def unused(self) -> list[Waiver]:
        return [w for w in self.entries if self.used.get(id(w), 0) == 0]
