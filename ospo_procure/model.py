"""The document model every reader produces and every later stage consumes.

Readers are the only format-specific code: they turn a file into a `Document`, an
ordered list of `Block`s, each carrying its text, a `Location` (where a reader would
look: page, table cell, heading) and a `SourceMap` (where a tool would look: line and
column, zip part and XML path, PDF page). The linter turns blocks into `Finding`s
(lock-in signals, kind "finding") and evidence items (OSS-friendly signals, kind
"evidence"), both of the same immutable `Finding` class, and gathers them with the
scorecard in a `FileResult`; a run over many files is a `LintRun`, which is what every
reporter renders.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from ospo_procure.constants import SEVERITIES as SEVERITIES  # re-exported: rules and reporters use them
from ospo_procure.constants import SEVERITY_RANK as SEVERITY_RANK

if TYPE_CHECKING:
    from ospo_procure.scoring_model import Scorecard

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


@dataclass(frozen=True)
class SourceSpan:
    """Where a span of block text sits in the file, as far as the format allows.

    Text files: 1-based `start_line`/`start_column` of the first character and
    `end_line`/`end_column` just after the last one (SARIF's convention; columns count
    Unicode code points). OOXML/ODF: the zip `part` and the `xpath` of the paragraph
    element the block came from. PDF: the `page`. Fields that do not apply are None.
    """

    part: str | None = None
    xpath: str | None = None
    page: int | None = None
    start_line: int | None = None
    start_column: int | None = None
    end_line: int | None = None
    end_column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "xpath": self.xpath,
            "page": self.page,
            "start_line": self.start_line,
            "start_column": self.start_column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


class SourceMap(NamedTuple):
    """How a block's characters map back to the file; filled by the reader.

    `lines` (text files) holds one `(block offset, line, column)` per source line that
    went into the block: the reader strips each line and joins them with one space, so
    the character at block offset `o` is on the line of the last entry whose offset is
    <= o, `o - offset` columns to the right of that entry's column.

    A NamedTuple rather than a frozen dataclass: one is built per block, and a frozen
    dataclass's __init__ (1.4 µs) would double the time to split a huge text file.
    """

    part: str | None = None
    xpath: str | None = None
    page: int | None = None
    lines: tuple[tuple[int, int, int], ...] = ()

    def point(self, offset: int) -> tuple[int, int] | None:
        """1-based (line, column) of the character at a block offset (text files only)."""
        if not self.lines:
            return None
        i = max(0, bisect.bisect_right(self.lines, (offset, float("inf"))) - 1)
        start, line, column = self.lines[i]
        return line, column + max(0, offset - start)

    def span(self, start: int, end: int) -> SourceSpan:
        """The file position of block text [start, end)."""
        first = self.point(start)
        last = self.point(max(start, end - 1))
        return SourceSpan(
            part=self.part,
            xpath=self.xpath,
            page=self.page,
            start_line=first[0] if first else None,
            start_column=first[1] if first else None,
            end_line=last[0] if last else None,
            end_column=last[1] + (1 if end > start else 0) if last else None,
        )


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
    # Reader-specific handle (e.g. the lxml element); never serialised or compared, and
    # dropped from the blocks a FileResult keeps, so the parsed file can be freed.
    anchor: Any = field(default=None, repr=False, compare=False)
    source: SourceMap = field(default=SourceMap(), compare=False)

    def detached(self) -> Block:
        """This block without the reader's handle (which keeps the parsed file alive)."""
        return Block(self.text, self.location, self.kind, self.level, self.hidden, source=self.source)


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


@dataclass(frozen=True)
class WaiverSource:
    """Where a waiver was written: an entry of a waiver file, or inside the tender itself
    (a Word/ODF comment, or a marker line in a text file)."""

    kind: Literal["file", "comment", "marker"]
    path: str | None = None  # the waiver file
    line: int | None = None  # its line in the waiver file
    where: str | None = None  # location label of a marker line ("body ¶3")

    @property
    def in_document(self) -> bool:
        return self.kind != "file"

    def __str__(self) -> str:
        if self.kind == "file":
            return f"{self.path}:{self.line}" if self.line else str(self.path)
        if self.kind == "marker":
            return f"marker in {self.where}" if self.where else "marker"
        return "comment"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "line": self.line, "where": self.where}


@dataclass(frozen=True)
class Waiver:
    """A justified exception: findings of `rule` (narrowed by match/pattern/files) are accepted."""

    rule: str
    justification: str
    approved_by: str | None = None
    approved_on: str | None = None
    source: WaiverSource | None = None
    match: str | None = None
    pattern: str | None = None
    files: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "match": self.match,
            "pattern": self.pattern,
            "files": self.files,
            "justification": self.justification,
            "approved_by": self.approved_by,
            "approved_on": self.approved_on,
            "source": str(self.source) if self.source else "",
            "origin": self.source.to_dict() if self.source else None,
        }


@dataclass(frozen=True)
class Finding:
    """A lock-in signal (kind="finding") or a piece of OSS-friendly evidence (kind="evidence").

    Immutable: later stages (waivers, roles) derive new findings with `evolve`.
    """

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
    source: SourceSpan | None = None  # the match's place in the file (line/column, part/xpath, page)

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def evolve(self, **changes: Any) -> Finding:
        """A copy with some fields changed: `dataclasses.replace` without re-running the frozen
        __init__ (a field-by-field object.__setattr__), which made it ~9 µs a call; this is ~1 µs,
        and a lint derives every finding once or twice (source span, waiver, role)."""
        unknown = changes.keys() - _FINDING_FIELDS
        if unknown:
            raise TypeError(f"Finding has no field {', '.join(sorted(unknown))}")
        new = object.__new__(Finding)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new


_FINDING_FIELDS = frozenset(f.name for f in fields(Finding))


def with_sources(items: list[Finding], blocks: list[Block]) -> list[Finding]:
    """The findings with `source` set from their block's source map."""
    out = []
    for f in items:
        if 0 <= f.block_index < len(blocks):
            f = f.evolve(source=blocks[f.block_index].source.span(f.start, f.end))
        out.append(f)
    return out


@dataclass
class FileResult:
    """Everything the linter says about one input file.

    It keeps the file's blocks (text, location and source map, without the reader's
    handles), never the parsed file itself, so a long run holds no XML trees.
    """

    path: str
    language: str | None = None
    format: str | None = None
    findings: list[Finding] = field(default_factory=list)
    evidence: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # set when the file could not be read; no findings then
    scorecard: Scorecard | None = None
    unused_waivers: list[Waiver] = field(default_factory=list)  # in-document waivers that waived nothing
    words: int = 0
    blocks: list[Block] = field(default_factory=list, repr=False)
    unreadable: bool = False  # read, but no text layer (image-only PDF)

    def worst_severity(self, include_waived: bool = False) -> str | None:
        ranks = [SEVERITY_RANK[f.severity] for f in self.findings if include_waived or not f.waived]
        if not ranks:
            return None
        return SEVERITIES[len(SEVERITIES) - 1 - max(ranks)]

    @property
    def unusable(self) -> bool:
        """Nothing was checked: the file could not be read, or had no text to read."""
        return self.error is not None or self.unreadable


@dataclass
class LintRun:
    """What one lint run found: a result per file, and the entries of waiver files that
    matched nothing anywhere in the run (in-document ones sit on their FileResult)."""

    files: list[FileResult] = field(default_factory=list)
    unused_waivers: list[Waiver] = field(default_factory=list)
