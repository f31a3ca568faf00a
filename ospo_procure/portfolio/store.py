"""The result store: one SQLite file with a table of files, one of findings, one of
criterion scores, and the bookkeeping that makes a re-scan incremental.

Durability: the database runs in WAL mode and every file's rows (its `files` row, its
findings and its scores) are written in one transaction, batch by batch, so a scan killed
at any moment (Ctrl-C, kill -9, power loss) leaves a consistent store that the next scan
resumes from. A zip package or OCDS file is marked complete in `containers` only after all
of its items are stored, so an interrupted package is opened again next time.

The cache: a stored result is reused when the item's content hash and its `result_key`
(tool version, rule folder contents, language option, waiver file) are unchanged. Unchanged
files are recognised from their size and modification time without being read at all.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from ospo_procure import __version__
from ospo_procure.errors import DataError
from ospo_procure.message import to_stored
from ospo_procure.portfolio.records import FileRecord, FindingRow, Meta

SCHEMA_VERSION = 1
DEFAULT_STORE = "ospo-procure-scan.sqlite"

# Column order of each table is the export order (CSV, Parquet) too.
FILE_COLUMNS = (
    "id",
    "source",
    "name",
    "kind",
    "path",
    "member",
    "container",
    "status",
    "error",
    "format",
    "language",
    "words",
    "pages",
    "unreadable",
    "overall",
    "errors",
    "warnings",
    "infos",
    "evidence",
    "waived",
    "buyer",
    "date",
    "title",
    "ocid",
    "meta_source",
    "sha256",
    "size",
    "mtime_ns",
    "result_key",
    "scanned_at",
    "seconds",
    "tool_version",
)
FINDING_COLUMNS = ("file_id", "seq", *(f.name for f in fields(FindingRow)))
# A row's values as a flat tuple. (dataclasses.astuple deep-copies every value and cost
# 110 ms per tender of 220 items: the scan's parent process was its bottleneck.)
_finding_values = attrgetter(*FINDING_COLUMNS[2:])
SCORE_COLUMNS = ("file_id", "criterion", "title", "score")

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,      -- identity: a path, 'package.zip!member', 'releases.jsonl#ocid'
    name TEXT NOT NULL,               -- display name
    kind TEXT NOT NULL,               -- file, zip_member, ocds_text, ocds_document, container
    path TEXT NOT NULL,               -- the file on disk (the package or OCDS file for their items)
    member TEXT NOT NULL DEFAULT '',
    container TEXT NOT NULL DEFAULT '',  -- the zip package or OCDS file it came from
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    words INTEGER NOT NULL DEFAULT 0,
    pages INTEGER,
    unreadable INTEGER NOT NULL DEFAULT 0,
    overall REAL,                     -- mean of the nine criterion scores
    errors INTEGER NOT NULL DEFAULT 0,   -- unwaived findings by severity
    warnings INTEGER NOT NULL DEFAULT 0,
    infos INTEGER NOT NULL DEFAULT 0,
    evidence INTEGER NOT NULL DEFAULT 0,
    waived INTEGER NOT NULL DEFAULT 0,
    buyer TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',     -- YYYY-MM-DD, YYYY-MM or YYYY
    title TEXT NOT NULL DEFAULT '',
    ocid TEXT NOT NULL DEFAULT '',
    meta_source TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER NOT NULL DEFAULT 0,
    result_key TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    seconds REAL NOT NULL DEFAULT 0,
    tool_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_container ON files(container);
CREATE INDEX IF NOT EXISTS files_buyer ON files(buyer);
CREATE INDEX IF NOT EXISTS files_date ON files(date);
CREATE INDEX IF NOT EXISTS files_overall ON files(overall);
CREATE TABLE IF NOT EXISTS findings (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,               -- finding or evidence
    rule TEXT NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    role_reason TEXT NOT NULL DEFAULT '',
    match TEXT NOT NULL,
    product TEXT NOT NULL DEFAULT '',  -- canonical product or format named (from the lexicons)
    vendor TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL,
    suggestion TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL,
    part TEXT NOT NULL,
    page INTEGER,
    paragraph INTEGER,
    block_index INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    criteria TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    waived INTEGER NOT NULL DEFAULT 0,
    waiver TEXT NOT NULL DEFAULT '',
    excerpt TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (file_id, seq)
);
CREATE INDEX IF NOT EXISTS findings_category ON findings(category, severity);
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);
CREATE INDEX IF NOT EXISTS findings_vendor ON findings(vendor);
CREATE INDEX IF NOT EXISTS findings_product ON findings(product);
CREATE TABLE IF NOT EXISTS scores (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    criterion INTEGER NOT NULL,
    title TEXT NOT NULL,
    score INTEGER NOT NULL,
    PRIMARY KEY (file_id, criterion)
);
CREATE INDEX IF NOT EXISTS scores_criterion ON scores(criterion, score);
CREATE TABLE IF NOT EXISTS containers (
    path TEXT PRIMARY KEY,            -- a zip package or OCDS file whose items are all stored
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    result_key TEXT NOT NULL
);
"""


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """A scan's result store. Use as a context manager, or call close()."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise DataError("no such result store; run `ospo-procure scan` first", path=self.path)
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)  # explicit transactions
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at each checkpoint, never corrupt
            self.db.execute("PRAGMA foreign_keys=ON")
            self._init_schema(create)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise DataError(f"not a usable result store ({exc})", path=self.path) from None

    def _init_schema(self, create: bool) -> None:
        row = self.db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if row is None:
            if not create:
                raise DataError("not an ospo-procure result store (no meta table)", path=self.path)
            with self.transaction():
                for statement in _DDL.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                self.db.execute("INSERT INTO meta VALUES ('created_by', ?)", (f"ospo-procure {__version__}",))
            return
        version = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if version is None or int(version[0]) != SCHEMA_VERSION:
            raise DataError(
                f"result store schema {version[0] if version else '?'} is not the supported {SCHEMA_VERSION}; "
                "scan into a new store",
                path=self.path,
            )

    # -- plumbing ----------------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, tuple(params)).fetchall()

    # -- the incremental cache -----------------------------------------------------------
    def known(self) -> dict[str, tuple[str, int, int, str, str]]:
        """source -> (sha256, size, mtime_ns, result_key, status) of every stored item."""
        rows = self.db.execute("SELECT source, sha256, size, mtime_ns, result_key, status FROM files")
        return {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def container_current(self, path: str, size: int, mtime_ns: int, key: str) -> bool:
        row = self.db.execute("SELECT size, mtime_ns, result_key FROM containers WHERE path=?", (path,)).fetchone()
        return row is not None and tuple(row) == (size, mtime_ns, key)

    def sources_in(self, path: str) -> list[str]:
        """Stored items that came from a package or OCDS file (and the container's own error row)."""
        return [r[0] for r in self.db.execute("SELECT source FROM files WHERE container=?", (path,))]

    def container_items(self, path: str) -> list[sqlite3.Row]:
        """What a container's stored items need to be checked again without opening it."""
        return self.query(
            "SELECT source, kind, path, member, buyer, date, title, ocid, meta_source FROM files WHERE container=?",
            (path,),
        )

    def mark_container(self, path: str, size: int, mtime_ns: int, key: str, keep: set[str]) -> None:
        """All items of a container are stored: forget the ones it no longer holds, mark it current."""
        with self.transaction():
            for source in self.sources_in(path):
                if source not in keep:
                    self.db.execute("DELETE FROM files WHERE source=?", (source,))
            self.db.execute("INSERT OR REPLACE INTO containers VALUES (?, ?, ?, ?)", (path, size, mtime_ns, key))

    def forget_container(self, path: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM containers WHERE path=?", (path,))

    # -- writing ---------------------------------------------------------------------------
    def write(self, records: Iterable[FileRecord], result_key: str | dict[str, str]) -> int:
        """Store records in one transaction; "unchanged" records only refresh size, time and metadata."""
        n = 0
        with self.transaction():
            for rec in records:
                key = result_key if isinstance(result_key, str) else result_key[rec.source]
                self._write_one(rec, key)
                n += 1
        return n

    def _write_one(self, rec: FileRecord, key: str) -> None:
        if rec.status == "unchanged":
            self.db.execute(
                "UPDATE files SET size=?, mtime_ns=?, result_key=? WHERE source=? AND sha256=?",
                (rec.size, rec.mtime_ns, key, rec.source, rec.sha256),
            )
            self._set_meta(rec.source, rec.meta, only_known=True)
            return
        self.db.execute("DELETE FROM files WHERE source=?", (rec.source,))  # cascades to findings, scores
        active = [f for f in rec.findings if f.kind == "finding" and not f.waived]
        counts = {sev: sum(1 for f in active if f.severity == sev) for sev in ("error", "warning", "info")}
        cur = self.db.execute(
            f"INSERT INTO files ({', '.join(FILE_COLUMNS[1:])}) VALUES ({', '.join('?' * (len(FILE_COLUMNS) - 1))})",
            (
                rec.source,
                rec.name,
                rec.kind,
                rec.path,
                rec.member,
                rec.container,
                rec.status,
                to_stored(rec.error),
                rec.format,
                rec.language,
                rec.words,
                rec.pages,
                int(rec.unreadable),
                rec.overall,
                counts["error"],
                counts["warning"],
                counts["info"],
                sum(1 for f in rec.findings if f.kind == "evidence"),
                sum(1 for f in rec.findings if f.waived),
                rec.meta.buyer,
                rec.meta.date,
                rec.meta.title,
                rec.meta.ocid,
                rec.meta.source,
                rec.sha256,
                rec.size,
                rec.mtime_ns,
                key,
                _now(),
                rec.seconds,
                __version__,
            ),
        )
        file_id = cur.lastrowid
        self.db.executemany(
            f"INSERT INTO findings VALUES ({', '.join('?' * len(FINDING_COLUMNS))})",
            [(file_id, seq, *_finding_values(f)) for seq, f in enumerate(rec.findings)],
        )
        self.db.executemany(
            "INSERT INTO scores VALUES (?, ?, ?, ?)", [(file_id, s.criterion, s.title, s.score) for s in rec.scores]
        )

    def _set_meta(self, source: str, meta: Meta, *, only_known: bool) -> None:
        """Refresh metadata from its source (OCDS or document) without touching CSV overrides."""
        if not (meta.buyer or meta.date or meta.title or meta.ocid):
            return
        where = " AND meta_source != 'csv'" if only_known else ""
        self.db.execute(
            "UPDATE files SET buyer=?, date=?, title=?, ocid=?, meta_source=? WHERE source=?" + where,
            (meta.buyer, meta.date, meta.title, meta.ocid, meta.source, source),
        )

    def apply_metadata(self, rows: dict[str, Meta]) -> int:
        """Overlay a user's metadata CSV (keys: sources, or file names when unique). Returns rows updated."""
        by_name: dict[str, list[str]] = {}
        for source, name in self.db.execute("SELECT source, name FROM files"):
            by_name.setdefault(name, []).append(source)
        updated = 0
        with self.transaction():
            for key, meta in rows.items():
                targets = [key]
                if not self.db.execute("SELECT 1 FROM files WHERE source=?", (key,)).fetchone():
                    name = key.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
                    targets = by_name.get(name, [])[:1] if len(by_name.get(name, [])) == 1 else []
                for source in targets:
                    cur = self.db.execute(
                        "UPDATE files SET buyer=CASE WHEN ?='' THEN buyer ELSE ? END, "
                        "date=CASE WHEN ?='' THEN date ELSE ? END, title=CASE WHEN ?='' THEN title ELSE ? END, "
                        "meta_source='csv' WHERE source=?",
                        (meta.buyer, meta.buyer, meta.date, meta.date, meta.title, meta.title, source),
                    )
                    updated += cur.rowcount
        return updated

    def prune(self, keep: set[str], under: list[str]) -> int:
        """Forget stored items below the given roots that a scan no longer found."""
        gone = [
            s
            for (s,) in self.db.execute("SELECT source FROM files")
            if s not in keep and any(s == root or s.startswith(root.rstrip("/") + "/") for root in under)
        ]
        with self.transaction():
            for s in gone:
                self.db.execute("DELETE FROM files WHERE source=?", (s,))
            self.db.execute("DELETE FROM containers WHERE path NOT IN (SELECT DISTINCT container FROM files)")
        return len(gone)

    # -- reading ---------------------------------------------------------------------------
    def table(self, name: str) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """All rows of `files`, `findings` or `scores`, in their column order."""
        columns = {"files": FILE_COLUMNS, "findings": FINDING_COLUMNS, "scores": SCORE_COLUMNS}[name]
        quoted = ", ".join(f'"{c}"' for c in columns)
        order = "id" if name == "files" else ("file_id, seq" if name == "findings" else "file_id, criterion")
        return columns, list(self.db.execute(f"SELECT {quoted} FROM {name} ORDER BY {order}"))

    def integrity(self) -> list[str]:
        """Problems a crash could have caused (none expected): SQLite's own check, and files
        whose findings or scores are not all there."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in self.db.execute("PRAGMA foreign_key_check")]
        for (source,) in self.db.execute(
            "SELECT source FROM files f WHERE status='ok' AND ("
            "(SELECT COUNT(*) FROM scores s WHERE s.file_id=f.id) != 9 OR "
            "f.errors + f.warnings + f.infos + f.waived != "
            "(SELECT COUNT(*) FROM findings x WHERE x.file_id=f.id AND x.kind='finding'))"
        ):
            problems.append(f"incomplete rows for {source}")
        return problems
