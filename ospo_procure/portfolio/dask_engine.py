"""The Dask engine: the same scan on a Dask cluster (`scan --engine dask --scheduler ADDRESS`).

Each task lints a batch of items on a worker (the worker keeps its loaded rule set between
tasks, like a pool process) and writes the records as a Parquet partition into the staging
folder; the client merges each partition into the SQLite store as it completes, then
deletes it. Partitions left by an interrupted run are merged first on the next run, so
work done on the cluster is not lost when the client stops.

On a real cluster the workers must see the tenders at the same paths as the client (a
shared file system), and the staging folder must be shared too (docs/portfolio.md).
Without a scheduler address, a local cluster of `jobs` processes is started for the run.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ospo_procure.errors import UsageError
from ospo_procure.portfolio.export import read_partition, remove_partition, write_partition
from ospo_procure.portfolio.records import FileRecord, Item
from ospo_procure.portfolio.worker import Settings, lint_items

_LOCK = threading.Lock()  # spaCy pipelines are not for concurrent use: one lint at a time per worker process


def lint_to_partition(items: list[Item], settings: Settings, staging: str) -> str:
    """A Dask task: lint a batch, write it as a partition, return the partition's marker path."""
    with _LOCK:
        records = lint_items(items, settings)
    name = "part-" + hashlib.sha256("\0".join(i.source for i in items).encode()).hexdigest()[:20]
    return str(write_partition(records, Path(staging), name))


def leftover_partitions(staging: Path) -> list[Path]:
    return sorted(staging.glob("part-*.files.parquet")) if staging.is_dir() else []


def _client(scheduler: str | None, jobs: int) -> Any:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("the Dask engine needs the dask extra: pip install 'ospo-procure[dask]'") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster)


def run_dask(
    items: list[Item], settings: Settings, scheduler: str | None, staging: Path, batch: int, jobs: int = 2
) -> Iterator[list[FileRecord]]:
    from dask.distributed import as_completed

    # Partitions an interrupted run left behind (staging is per rule set, so they are current):
    # results for items of this scan are merged instead of made again; others are dropped.
    wanted = {i.source for i in items}
    for marker in leftover_partitions(staging):
        records = [r for r in read_partition(marker) if r.source in wanted]
        if records:
            yield records
            wanted -= {r.source for r in records}
        remove_partition(marker)
    items = [i for i in items if i.source in wanted]
    if not items:
        return
    staging.mkdir(parents=True, exist_ok=True)
    client = _client(scheduler, jobs)
    try:
        batches = [items[i : i + batch] for i in range(0, len(items), batch)]
        futures = [client.submit(lint_to_partition, b, settings, str(staging.resolve()), pure=False) for b in batches]
        for fut in as_completed(futures):
            marker = Path(fut.result())
            yield read_partition(marker)
            remove_partition(marker)  # merged: the store has it now
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
