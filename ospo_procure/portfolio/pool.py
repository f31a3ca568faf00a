"""The local engine: batches of items linted by a pool of worker processes.

Workers are spawned (not forked: the parent holds a SQLite connection and, on a terminal,
a progress-bar thread) and ignore Ctrl-C, which the parent handles by stopping them. At
most a few batches per worker are in flight, so an interrupted scan has little to drop.
A worker that dies (a reader crashing the interpreter, the kernel's OOM killer) breaks
the pool: the pool is started again and the batches it held are retried one item at a
time; an item that breaks it again is recorded as an error and the scan goes on.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ospo_procure.errors import UsageError
from ospo_procure.portfolio.records import FileRecord, Item
from ospo_procure.portfolio.worker import Settings, _base, lint_items, worker_init

_IN_FLIGHT_PER_WORKER = 3
CRASHED = "the worker process reading this file died (a reader crash or out of memory); it was skipped"


def _executor(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("spawn"), initializer=worker_init
    )


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop now: drop queued batches and end the workers (their unfinished work is not stored).
    The executor keeps its processes in a private mapping, None once it has shut down."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=5)  # reap them: no zombies, and their CPU time is accounted


def _workers_can_start(settings: Settings) -> bool:
    """Whether a fresh worker can run an empty batch: tells a file that crashes its worker
    from workers that die at start-up (a parent with no importable main module)."""
    executor = _executor(1)
    try:
        executor.submit(lint_items, [], settings).result(timeout=120)
        return True
    except Exception:
        return False
    finally:
        _stop(executor)


# complex: the worker pool's whole life (start, feed, collect, retry, Ctrl-C) in one loop
def run_pool(items: list[Item], settings: Settings, jobs: int, batch: int) -> Iterator[list[FileRecord]]:
    queue: deque[tuple[list[Item], bool]] = deque(
        (items[i : i + batch], False) for i in range(0, len(items), batch)
    )  # (batch, is a retry of a batch that was in a broken pool)
    executor = _executor(jobs)
    running: dict[Future[list[FileRecord]], tuple[list[Item], bool]] = {}
    any_done = False
    try:
        while queue or running:
            while queue and len(running) < jobs * _IN_FLIGHT_PER_WORKER:
                if running and (queue[0][1] or any(r for _, r in running.values())):
                    break  # suspects run alone, so a crash names its item
                chunk, retry = queue.popleft()
                running[executor.submit(lint_items, chunk, settings)] = (chunk, retry)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                chunk, retry = running.pop(fut)
                try:
                    records = fut.result()
                except BrokenProcessPool:
                    if retry and not any_done and not _workers_can_start(settings):
                        raise UsageError(
                            "the worker processes could not start (is the scan called from an importable "
                            "module or the command line?); run with --jobs 1"
                        ) from None
                    any_done = any_done or retry  # the check passed: workers do start
                    broken = True
                    if retry:  # this very item broke a pool of its own: record it and go on
                        yield [_base(chunk[0], status="error", error=CRASHED)]
                    else:
                        queue.extendleft(([one], True) for one in reversed(chunk))
                    continue
                any_done = True
                yield records
            if broken:
                for fut, (chunk, _retry) in running.items():  # lost with the pool: retry one by one
                    fut.cancel()
                    queue.extendleft(([one], True) for one in reversed(chunk))
                running.clear()
                _stop(executor)
                executor = _executor(jobs)
    finally:
        _stop(executor)
