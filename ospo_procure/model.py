"""The document model every reader produces and every later stage consumes.

Readers are the only format-specific code: they turn a file into a `Document`, an
ordered list of `Block`s, each carrying its text and a `Location`. The linter turns
blocks into `Finding`s (lock-in signals, kind "finding") and evidence items (OSS-friendly
signals, kind "evidence"), both of the same `Finding` class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FINDING_CATEGORIES = (
    "brand",
    "per_user_licensing",
    "proprietary_format",
    "proprietary_technology",
    "vendor_certification",
    "sole_source",
    "ip_retained_by_vendor",
    "no_source_code",
)
EVIDENCE_CATEGORIES = (
    "oss_allowed",
    "source_code_access",
    "open_license_of_deliverables",
    "open_standards",
    "tco",
    "exit_portability",
    "or_equivalent",
    "weighted_award_criteria",
)
# What a mention (product, vendor, format, licensing term...) is doing in its sentence; see
# ../shared/DESIGN.md and docs/roles.md. Only "required" and "object" make lock-in errors.
ROLES = (
    "required",
    "object",
    "continuity",
    "example",
    "existing",
    "procedural",
    "excluded",
    "negated",
    "commentary",
    "history",
)
SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Location:
    """Where a block sits. Fields that do not apply stay None.

    part: body, table, header, footer, footnote, endnote, comment, textbox or page (PDF).
    paragraph: 1-based index of the block within its part (for PDFs, within its page).
    table/row/cell: 1-based; tables are numbered in document order, nested ones included.
    heading: the heading path above the block, "Intro > Scope".
    note: footnote/endnote/comment number. line/column: 1-based start in .txt/.md files.
    """

    part: str = "body"
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    heading: str | None = None
    note: int | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "page": self.page,
            "paragraph": self.paragraph,
            "table": self.table,
            "row": self.row,
            "cell": self.cell,
            "heading": self.heading,
            "note": self.note,
            "line": self.line,
            "column": self.column,
        }

    def label(self) -> str:
        """A short human label: 'page 3 ¶2', 'table 1 r2c3', 'footnote 1', 'body ¶12'."""
        bits: list[str] = []
        if self.page is not None:
            bits.append(f"page {self.page}")
        if self.table is not None:
            bits.append(f"table {self.table} r{self.row}c{self.cell}")
        if self.part in ("footnote", "endnote", "comment") and self.note is not None:
            bits.append(f"{self.part} {self.note}")
        elif self.part not in ("body", "table", "page"):
            bits.append(self.part)
        if self.line is not None:
            bits.append(f"line {self.line}")
        elif self.paragraph is not None and self.table is None:
            bits.append(f"¶{self.paragraph}")
        return " ".join(bits) or self.part


@dataclass
class Block:
    """One unit of text: a paragraph, heading, list item, table cell paragraph, note..."""

    text: str
    location: Location
    kind: str = "paragraph"  # heading | paragraph | list_item | cell | note
    level: int | None = None  # heading level, 1-based
    # [start, end) spans of text formatted as hidden (Word w:vanish, hidden ODF text): read and
    # linted like the rest, reported as hidden, and never a source of waivers (waivers.py).
    hidden: tuple[tuple[int, int], ...] = ()
    # Reader-specific handle (e.g. the lxml element); never serialised or compared.
    anchor: Any = field(default=None, repr=False, compare=False)


@dataclass
class DocComment:
    """A reviewer comment found in the document (used for in-document waivers)."""

    text: str
    author: str | None = None
    anchored_text: str = ""
    block_index: int | None = None  # index into Document.blocks of the anchor's paragraph


@dataclass
class Document:
    path: str
    format: str  # docx | pdf | odt | txt | md
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    comments: list[DocComment] = field(default_factory=list)
    pages: int | None = None
    # True when no text could be read at all (image-only PDF): the scorecard says so.
    unreadable: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


@dataclass
class Waiver:
    rule: str
    justification: str
    approved_by: str | None = None
    approved_on: str | None = None
    source: str = ""  # "waivers.yaml:12" or "comment" / "marker line 40"
    match: str | None = None
    pattern: str | None = None
    files: str | None = None
    used: int = 0


@dataclass
class Finding:
    """A lock-in signal (kind="finding") or a piece of OSS-friendly evidence (kind="evidence")."""

    rule: str
    category: str
    severity: str
    message: str
    match: str
    start: int
    end: int
    context: str
    location: Location
    suggestion: str = ""
    criteria: tuple[int, ...] = ()
    legal_basis: str = ""
    kind: str = "finding"
    block_index: int = 0
    sentence: tuple[int, int] | None = None  # sentence span in the block, for display
    note: str | None = None  # why the severity was changed (e.g. legacy-system context)
    waiver: Waiver | None = None
    role: str | None = None  # one of ROLES (None for evidence)
    role_reason: str = ""  # the words (cue, heading, stated object) that decided the role

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def to_dict(self) -> dict[str, Any]:
        from ospo_procure.excerpt import excerpt  # bounded context: report size linear in the input

        ex = excerpt(self.context, self.start, self.end)
        d: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "match": self.match,
            "start": ex.start,
            "end": ex.end,
            "context": ex.text,
            "context_offset": ex.offset,
            "location": self.location.to_dict(),
            "suggestion": self.suggestion,
            "criteria": list(self.criteria),
            "legal_basis": self.legal_basis,
            "note": self.note,
            "role": self.role,
            "role_reason": self.role_reason,
            "waived": self.waived,
        }
        if self.waiver is not None:
            d["waiver"] = {
                "justification": self.waiver.justification,
                "approved_by": self.waiver.approved_by,
                "approved_on": self.waiver.approved_on,
                "source": self.waiver.source,
            }
        return d


@dataclass
class FileResult:
    """Everything the linter says about one input file."""

    path: str
    language: str | None = None
    format: str | None = None
    findings: list[Finding] = field(default_factory=list)
    evidence: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # set when the file could not be read; no findings then
    scorecard: Any = None  # ospo_procure.scoring.Scorecard
    unused_waivers: list[Waiver] = field(default_factory=list)
    words: int = 0
    document: Document | None = field(default=None, repr=False)

    def worst_severity(self, include_waived: bool = False) -> str | None:
        ranks = [SEVERITY_RANK[f.severity] for f in self.findings if include_waived or not f.waived]
        if not ranks:
            return None
        return SEVERITIES[len(SEVERITIES) - 1 - max(ranks)]
