"""The plain data that moves between the scan's parts: work items and their results.

Everything here is a small picklable value (no open files, no parsed documents), because
items travel to worker processes or Dask workers and records travel back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Kinds of item a scan lints.
FILE = "file"  # a tender file on disk
ZIP_MEMBER = "zip_member"  # a file inside a zip package (member path, possibly nested)
OCDS_TEXT = "ocds_text"  # a release's tender title, description and item descriptions
OCDS_DOCUMENT = "ocds_document"  # a local file named by a release's tender.documents
CONTAINER = "container"  # a zip package or OCDS file that could not be opened (error rows only)
KINDS = (FILE, ZIP_MEMBER, OCDS_TEXT, OCDS_DOCUMENT, CONTAINER)


@dataclass(frozen=True)
class Meta:
    """What is known about a tender besides its text. Empty strings when unknown."""

    buyer: str = ""
    date: str = ""  # ISO date, YYYY-MM-DD
    title: str = ""
    ocid: str = ""
    source: str = ""  # where the metadata came from: document, ocds, csv

    def merged(self, other: Meta) -> Meta:
        """These values, with `other`'s filled in where they are unknown here."""
        return Meta(
            buyer=self.buyer or other.buyer,
            date=self.date or other.date,
            title=self.title or other.title,
            ocid=self.ocid or other.ocid,
            source=self.source or other.source,
        )


@dataclass(frozen=True)
class Item:
    """One thing to lint. `source` is its identity in the store (and the cache key's name)."""

    source: str
    kind: str
    path: str  # the file on disk: the tender itself, or the archive / OCDS file holding it
    member: tuple[str, ...] = ()  # zip member names, outermost first (nested packages)
    container: str = ""  # the zip package or OCDS file it came from ("" for a file named directly)
    text: str = ""  # OCDS description text
    language: str = ""  # declared language (OCDS `language`), used when supported
    meta: Meta = field(default_factory=Meta)
    known_sha256: str = ""  # the stored content hash, when the stored result is still valid
    error: str = ""  # set by discovery when the container itself cannot be read

    @property
    def name(self) -> str:
        """A short display name: the file name, the member's name, or the release id."""
        if self.member:
            return self.member[-1].rsplit("/", 1)[-1]
        if self.kind == OCDS_TEXT:
            return self.meta.ocid or self.source.rsplit("#", 1)[-1]
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]

    def with_known(self, sha256: str) -> Item:
        return replace(self, known_sha256=sha256)


@dataclass(frozen=True)
class FindingRow:
    """One finding or evidence item as stored (the `findings` table's columns)."""

    kind: str
    rule: str
    category: str
    severity: str
    role: str
    role_reason: str
    match: str
    product: str
    vendor: str
    message: str
    suggestion: str
    location: str
    part: str
    page: int | None
    paragraph: int | None
    block_index: int
    start: int
    end: int
    criteria: str  # comma-separated criterion numbers
    note: str
    waived: bool
    waiver: str
    excerpt: str  # the sentence the match sits in


@dataclass(frozen=True)
class ScoreRow:
    criterion: int
    title: str
    score: int


@dataclass(frozen=True)
class FileRecord:
    """Everything the store keeps about one item. status: ok, error, or unchanged (the
    worker found the content hash it was given: nothing was read past the hash)."""

    source: str
    kind: str
    path: str
    member: str
    container: str
    name: str
    status: str
    sha256: str = ""
    size: int = 0
    mtime_ns: int = 0
    error: str = ""
    format: str = ""
    language: str = ""
    words: int = 0
    pages: int | None = None
    unreadable: bool = False
    overall: float | None = None
    meta: Meta = field(default_factory=Meta)
    findings: tuple[FindingRow, ...] = ()
    scores: tuple[ScoreRow, ...] = ()
    seconds: float = 0.0
