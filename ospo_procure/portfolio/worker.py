"""One item in, one FileRecord out: read, lint, score. Runs in worker processes and on Dask.

Each process loads the rule set once (`load_ruleset` and the compiled matchers are cached
per process), so the start-up cost of the linter is paid once per worker, not per file.
Nothing is read past the content hash when the hash is the one the store already holds.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ospo_procure.errors import InputError
from ospo_procure.limits import Limits
from ospo_procure.model import FileResult, Finding
from ospo_procure.portfolio import archive
from ospo_procure.portfolio.metadata import document_metadata
from ospo_procure.portfolio.records import OCDS_TEXT, ZIP_MEMBER, FileRecord, FindingRow, Item, Meta, ScoreRow

if TYPE_CHECKING:
    from ospo_procure.waivers import FileWaivers

_EXCERPT_CHARS = 400
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Settings:
    """What every worker needs to lint like the others (picklable)."""

    rules_dir: str | None = None
    language: str | None = None
    report_lang: str | None = None
    limits: Limits = field(default_factory=Limits)
    waiver_file: str | None = None  # an explicit waiver file for the whole scan


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _base(item: Item, **values: Any) -> FileRecord:
    values.setdefault("meta", item.meta)
    return FileRecord(
        source=item.source,
        kind=item.kind,
        path=item.path,
        member="!".join(item.member),
        container=item.container,
        name=item.name,
        **values,
    )


def lint_items(items: list[Item], settings: Settings) -> list[FileRecord]:
    return [lint_item(item, settings) for item in items]


def lint_item(item: Item, settings: Settings) -> FileRecord:
    """Never raises for a bad file: it becomes a record with status "error"."""
    start = time.perf_counter()
    if item.error:
        return _base(item, status="error", error=item.error)
    try:
        record = _lint(item, settings)
    except InputError as exc:
        record = _base(item, status="error", error=exc.message)
    except Exception as exc:  # a reader or linter bug must not stop a scan of thousands
        record = _base(item, status="error", error=f"internal error ({type(exc).__name__}: {exc}); please report it")
    return _with_seconds(record, time.perf_counter() - start)


def _with_seconds(record: FileRecord, seconds: float) -> FileRecord:
    return replace(record, seconds=round(seconds, 4))


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None
    return st.st_size, st.st_mtime_ns


def _lint(item: Item, settings: Settings) -> FileRecord:
    from ospo_procure.readers import read_document
    from ospo_procure.readers.text_reader import parse_text

    path = Path(item.path)
    if item.kind == OCDS_TEXT:
        size, mtime = _stat(path)
        sha = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
        if sha == item.known_sha256:
            return _base(item, status="unchanged", sha256=sha, size=size, mtime_ns=mtime)
        limits = settings.limits
        doc = parse_text(item.text, item.source, max_block_chars=limits.max_block_chars, max_blocks=limits.max_blocks)
        return _result(item, settings, doc, sha, size, mtime, Meta())
    if item.kind == ZIP_MEMBER:
        size, mtime = _stat(path)
        with archive.extracted(path, item.member, settings.limits) as (tmp, sha):
            if sha == item.known_sha256:
                return _base(item, status="unchanged", sha256=sha, size=size, mtime_ns=mtime)
            doc = read_document(tmp, settings.limits)
            meta = document_metadata(tmp, doc.format, settings.limits)
            return _result(item, settings, doc, sha, size, mtime, meta)
    size, mtime = _stat(path)
    try:
        sha = _file_sha256(path)
    except OSError:
        sha = ""  # read_document words the refusal (permission denied, a folder...)
    if sha and sha == item.known_sha256:
        return _base(item, status="unchanged", sha256=sha, size=size, mtime_ns=mtime)
    try:
        doc = read_document(path, settings.limits)
    except InputError as exc:  # remembered with its stat: not read again until the file changes
        return _base(item, status="error", error=exc.message, sha256=sha, size=size, mtime_ns=mtime)
    meta = document_metadata(path, doc.format, settings.limits)
    return _result(item, settings, doc, sha, size, mtime, meta)


def _waivers(item: Item, settings: Settings) -> FileWaivers:
    from ospo_procure.reviewer import reviewer_config
    from ospo_procure.waivers import WaiverIndex

    index = _WAIVER_INDEXES.get(settings.waiver_file)
    if index is None:
        # The reviewer's project (found from the working folder) or --waivers; never files
        # shipped beside the tenders (SECURITY.md).
        explicit = Path(settings.waiver_file) if settings.waiver_file else None
        index = WaiverIndex(config=reviewer_config([], waiver_file=explicit), limits=settings.limits)
        _WAIVER_INDEXES[settings.waiver_file] = index
    return index.for_file(Path(item.path))


_WAIVER_INDEXES: dict[str | None, Any] = {}


def _result(item: Item, settings: Settings, doc: Any, sha: str, size: int, mtime: int, doc_meta: Meta) -> FileRecord:
    from ospo_procure.lint import lint_document
    from ospo_procure.nlp import SUPPORTED_LANGUAGES
    from ospo_procure.rules import load_ruleset

    ruleset = load_ruleset(settings.rules_dir)
    language = settings.language or (item.language if item.language in SUPPORTED_LANGUAGES else None)
    result = lint_document(
        doc, language=language, ruleset=ruleset, waivers=_waivers(item, settings), report_language=settings.report_lang
    )
    return record_of(item, result, ruleset, sha=sha, size=size, mtime_ns=mtime, pages=doc.pages, doc_meta=doc_meta)


def record_of(
    item: Item,
    result: FileResult,
    ruleset: Any,
    *,
    sha: str,
    size: int,
    mtime_ns: int,
    pages: int | None,
    doc_meta: Meta,
) -> FileRecord:
    """A FileResult as the store keeps it (fields only: no document, no rule objects)."""
    rows = tuple(_row(f, ruleset) for f in [*result.findings, *result.evidence])
    card = result.scorecard
    scores = tuple(ScoreRow(n, c.title, int(c.score)) for n, c in sorted(card.criteria.items())) if card else ()
    return _base(
        item,
        status="ok",
        sha256=sha,
        size=size,
        mtime_ns=mtime_ns,
        format=result.format or "",
        language=result.language or "",
        words=result.words,
        pages=pages,
        unreadable=bool(card.unreadable) if card else False,
        overall=float(card.overall) if card else None,
        meta=item.meta.merged(doc_meta),  # OCDS metadata first, the document's own after
        findings=rows,
        scores=scores,
    )


def _named(f: Finding, ruleset: Any) -> tuple[str, str]:
    """(product, vendor) a finding names, looked up in the rule set's lexicons."""
    if f.category in ("brand", "proprietary_technology", "vendor_certification"):
        hits = ruleset.products.scan(f.match)
        if hits:
            best = max(hits, key=lambda h: h.end - h.start)
            entry = ruleset.products.entries[best.surface.entry]
            return entry.full_name, entry.vendor
    if f.category == "proprietary_format":
        for _start, _end, entry, _surface in ruleset.formats.scan(f.match):
            label = entry.extensions[0] if entry.extensions else entry.id
            return label, entry.vendor
    return "", ""


def _row(f: Finding, ruleset: Any) -> FindingRow:
    product, vendor = _named(f, ruleset)
    loc = f.location
    excerpt = f.context[f.sentence[0] : f.sentence[1]] if f.sentence else f.context
    excerpt = excerpt.strip()
    if len(excerpt) > _EXCERPT_CHARS:  # keep the match in view
        lo = max(0, min(f.start - (f.sentence[0] if f.sentence else 0) - 150, len(excerpt) - _EXCERPT_CHARS))
        excerpt = ("…" if lo else "") + excerpt[lo : lo + _EXCERPT_CHARS] + "…"
    return FindingRow(
        kind=f.kind,
        rule=f.rule,
        category=f.category,
        severity=f.severity,
        role=f.role or "",
        role_reason=f.role_reason or "",
        match=f.match,
        product=product,
        vendor=vendor,
        message=f.message,
        suggestion=f.suggestion,
        location=loc.label(),
        part=loc.part,
        page=loc.page,
        paragraph=loc.paragraph,
        block_index=f.block_index,
        start=f.start,
        end=f.end,
        criteria=",".join(map(str, f.criteria)),
        note=f.note or "",
        waived=f.waiver is not None,
        waiver=f.waiver.justification if f.waiver is not None else "",
        excerpt=excerpt,
    )


def worker_init() -> None:
    """Process-pool initializer: Ctrl-C is the parent's to handle (it stops the pool), and a
    worker whose parent died (kill -9) exits instead of waiting forever for work."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="ospo-parent-watch", daemon=True).start()
