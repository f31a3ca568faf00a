"""The portfolio scan as a library call: PATHS in, a result store up to date out.

    summary = scan(["tenders/", "packages/*.zip", "releases.jsonl"], ScanOptions(jobs=2))

Only new or changed items are linted (see store.py for the cache), by a pool of worker
processes (`jobs`), in-process (`jobs=1`), or on a Dask cluster (`engine="dask"`). Results
are stored batch by batch as they arrive, so an interrupted scan keeps what it did.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ospo_procure import __version__
from ospo_procure.errors import UsageError
from ospo_procure.limits import Limits
from ospo_procure.portfolio import discovery
from ospo_procure.portfolio.records import FILE, OCDS_DOCUMENT, FileRecord, Item, Meta
from ospo_procure.portfolio.store import DEFAULT_STORE, Store
from ospo_procure.portfolio.worker import Settings, lint_item, lint_items

ENGINES = ("local", "dask")


@dataclass
class ScanOptions:
    store: Path = Path(DEFAULT_STORE)
    jobs: int = 1
    engine: str = "local"
    scheduler: str | None = None  # Dask scheduler address (engine "dask"); None: a local cluster
    staging: Path | None = None  # Dask partitions folder (default: beside the store)
    rules_dir: Path | None = None
    language: str | None = None
    report_lang: str | None = None  # the language the stored findings are worded in (None: each tender's)
    limits: Limits = field(default_factory=Limits)
    waiver_file: Path | None = None
    metadata_csv: Path | None = None
    prune: bool = False  # forget stored items below the scanned folders that are gone


@dataclass
class ScanSummary:
    found: int = 0  # items in the scanned paths
    unchanged: int = 0  # stored results still valid (not read, or read only to hash)
    linted: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (source, reason) of items not readable
    pruned: int = 0
    metadata_rows: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    store: Path = Path(DEFAULT_STORE)


class Progress:
    """What the scan reports as it goes; the CLI passes a rich progress bar."""

    def start(self, total: int) -> None: ...

    def advance(self, n: int) -> None: ...

    def stop(self) -> None: ...


def result_key(options: ScanOptions) -> str:
    """What a stored result depends on besides the item's content: tool and library
    versions, every file of the rule folder, the language option, an explicit waiver file."""
    from importlib.metadata import version

    from ospo_procure.paths import data_dir

    root = Path(options.rules_dir) if options.rules_dir else data_dir("lint_rules")
    digest = hashlib.sha256(f"{__version__}|spacy {version('spacy')}|regex {version('regex')}".encode())
    digest.update(f"|lang {options.language}".encode())
    if options.report_lang:  # stored messages are worded in it
        digest.update(f"|report {options.report_lang}".encode())
    for f in sorted(root.rglob("*")):
        if f.is_file() and not any(p.startswith(".") for p in f.relative_to(root).parts):
            digest.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    if options.waiver_file is not None:
        digest.update(b"waivers\0" + Path(options.waiver_file).read_bytes())
    return digest.hexdigest()[:24]


class _Keys:
    """The result key of an item: the scan's key plus the waiver file beside it, if any."""

    def __init__(self, base: str, explicit_waivers: bool) -> None:
        self.base = base
        self.explicit = explicit_waivers
        self._by_folder: dict[Path, str] = {}

    def for_path(self, path: str) -> str:
        if self.explicit:
            return self.base
        from ospo_procure.waivers import WAIVER_FILE_NAME

        folder = Path(path).parent
        if folder not in self._by_folder:
            w = folder / WAIVER_FILE_NAME
            try:
                extra = hashlib.sha256(w.read_bytes()).hexdigest()[:12] if w.is_file() else ""
            except OSError:
                extra = ""
            self._by_folder[folder] = f"{self.base}+w{extra}" if extra else self.base
        return self._by_folder[folder]


@dataclass
class _Plan:
    todo: list[Item] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # source -> result key
    containers: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # opened: path -> (size, mtime, key)
    members: dict[str, set[str]] = field(default_factory=dict)  # container -> its sources
    seen: set[str] = field(default_factory=set)
    unchanged: int = 0


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _plan(paths: list[str | Path], options: ScanOptions, store: Store, keys: _Keys) -> _Plan:
    """Decide, from stats and the store alone, what must be read."""
    inputs = discovery.find_inputs(paths)
    known = store.known()
    plan = _Plan()

    def consider(item: Item) -> None:
        if item.source in plan.seen:
            return
        plan.seen.add(item.source)
        key = keys.for_path(item.path)
        plan.keys[item.source] = key
        stored = known.get(item.source)
        if item.kind in (FILE, OCDS_DOCUMENT) and stored is not None and not item.error:
            st = _stat(Path(item.path))
            if st is not None and (stored[1], stored[2], stored[3]) == (st[0], st[1], key):
                plan.unchanged += 1
                return
        if stored is not None and stored[3] == key and stored[4] == "ok" and stored[0]:
            item = item.with_known(stored[0])  # the worker hashes; same hash: nothing more is read
        plan.todo.append(item)

    for c in [*inputs.archives, *inputs.ocds]:
        path = str(c)
        key = keys.for_path(path)
        st = _stat(c)
        if st is not None and store.container_current(path, st[0], st[1], key):
            for row in store.container_items(path):  # the package is as it was: so are its members
                if row["kind"] == OCDS_DOCUMENT:  # ...but a release's documents are files of their own
                    meta = Meta(row["buyer"], row["date"], row["title"], row["ocid"], row["meta_source"])
                    consider(Item(row["source"], OCDS_DOCUMENT, row["path"], container=path, meta=meta))
                elif row["source"] not in plan.seen:
                    plan.seen.add(row["source"])
                    plan.unchanged += 1
            continue
        items = (
            discovery.zip_items(c, options.limits) if c in inputs.archives else discovery.ocds_items(c, options.limits)
        )
        plan.containers[path] = (*(st or (0, 0)), key)
        plan.members[path] = {i.source for i in items}
        for item in items:
            consider(item)
    for f in inputs.files:
        consider(discovery.file_item(f))
    for problem in inputs.problems:
        consider(problem)
    return plan


def scan(paths: list[str | Path], options: ScanOptions | None = None, progress: Progress | None = None) -> ScanSummary:
    """Bring the store up to date with PATHS. Raises UsageError / DataError for bad options
    or rules; a tender that cannot be read is recorded with its reason and skipped."""
    options = options or ScanOptions()
    progress = progress or Progress()
    if options.engine not in ENGINES:
        raise UsageError(f"unknown engine {options.engine!r} (choose from {', '.join(ENGINES)})")
    if options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    started = time.perf_counter()
    summary = ScanSummary(store=options.store)
    keys = _Keys(result_key(options), options.waiver_file is not None)
    with Store(options.store) as store:
        plan = _plan(paths, options, store, keys)
        summary.found = len(plan.seen)
        summary.unchanged = plan.unchanged
        if plan.todo:
            _check_rules(options)
        settings = Settings(
            rules_dir=str(options.rules_dir) if options.rules_dir else None,
            language=options.language,
            report_lang=options.report_lang,
            limits=options.limits,
            waiver_file=str(options.waiver_file) if options.waiver_file else None,
        )
        pending = {c: set(sources) for c, sources in plan.members.items()}
        progress.start(len(plan.todo))
        try:
            for batch in _run(plan.todo, settings, options, keys.base):
                store.write(batch, plan.keys)
                progress.advance(len(batch))
                for rec in batch:
                    if rec.status == "unchanged":
                        summary.unchanged += 1
                    elif rec.status == "error":
                        summary.errors.append((rec.source, rec.error))
                    else:
                        summary.linted += 1
                    if rec.container in pending:
                        pending[rec.container].discard(rec.source)
                _complete_containers(store, plan, pending)
            _complete_containers(store, plan, pending)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            progress.stop()
        if not summary.interrupted:
            if options.metadata_csv is not None:
                from ospo_procure.portfolio.metadata import read_metadata_csv

                summary.metadata_rows = store.apply_metadata(read_metadata_csv(options.metadata_csv))
            if options.prune:
                roots = [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]
                summary.pruned = store.prune(plan.seen, roots)
    summary.seconds = time.perf_counter() - started
    return summary


def _complete_containers(store: Store, plan: _Plan, pending: dict[str, set[str]]) -> None:
    for container in [c for c, left in pending.items() if not left]:
        size, mtime, key = plan.containers[container]
        store.mark_container(container, size, mtime, key, plan.members[container])
        del pending[container]


def _check_rules(options: ScanOptions) -> None:
    """Load the rule folder once here, so a broken rule is one clear error, not an error per file."""
    from ospo_procure.rules import load_ruleset

    load_ruleset(options.rules_dir)


def _run(items: list[Item], settings: Settings, options: ScanOptions, key: str) -> Iterator[list[FileRecord]]:
    # Items that discovery already found unreadable need no worker.
    failed = [i for i in items if i.error]
    if failed:
        yield [lint_item(i, settings) for i in failed]
    work = [i for i in items if not i.error]
    if not work:
        return
    if options.engine == "dask":
        from ospo_procure.portfolio.dask_engine import run_dask

        staging = options.staging or options.store.with_name(options.store.name + ".parts")
        # One folder per rule set: partitions left by a run with other rules are never merged.
        yield from run_dask(work, settings, options.scheduler, staging / key, batch_size(len(work), 8), options.jobs)
    elif options.jobs == 1 or len(work) == 1:
        for start in range(0, len(work), 8):
            yield lint_items(work[start : start + 8], settings)
    else:
        from ospo_procure.portfolio.pool import run_pool

        yield from run_pool(work, settings, options.jobs, batch_size(len(work), options.jobs))


def batch_size(n: int, workers: int) -> int:
    """Small enough to keep every worker busy to the end and the progress bar moving, large
    enough that the per-batch cost (pickling, one transaction) stays small."""
    return max(1, min(16, n // (workers * 8) or 1))
