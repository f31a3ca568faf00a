"""Run each lint or build in its own process, with progress, cancellation and a time limit.

A process per job keeps requests apart (its own working folder, its own memory, freed when it
ends) and makes "Cancel" real: the process is terminated, not merely forgotten. Processes are
forked from a forkserver that loaded the rules and the four language pipelines once
(`_preload`), so a job starts warm in a few milliseconds. At most `workers` jobs run at once;
the others wait in line. Finished jobs stay in memory (never on disk) for `ttl` seconds so the
page can offer their downloads, and at most `keep` of them are kept.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import secrets
import shutil
import tempfile
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

log = logging.getLogger("ospo_procure.web")

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
_CTX = multiprocessing.get_context("forkserver")
_CTX.set_forkserver_preload(["ospo_procure.web._preload"])


@dataclass
class Job:
    id: str
    kind: str
    folder: Path
    label: str = ""  # what the job works on, as the user named it (the uploaded file's name)
    state: str = QUEUED
    stage: str = ""
    result: Any = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    # Waiver-file entries drafted on the review page (YAML text), in order.
    waivers: list[str] = field(default_factory=list)
    cancel_requested: threading.Event = field(default_factory=threading.Event, repr=False)
    done_event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished_ok(self) -> bool:
        return self.state == DONE


def _child(conn: Connection, folder: str, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """The job process: work inside its own folder, report stages, send the result or one line."""
    from ospo_procure.errors import OspoError

    os.chdir(folder)
    try:
        result = fn(*args, progress=lambda stage: conn.send(("stage", stage)))
        conn.send(("done", result))
    except OspoError as err:
        conn.send(("error", str(err)))
    except MemoryError:
        conn.send(("error", "out of memory while reading this file"))
    except Exception as err:  # a bug: one line for the user, the traceback in the server log
        traceback.print_exc()
        conn.send(("error", f"internal error ({type(err).__name__}); please report it"))
    finally:
        conn.close()


class JobManager:
    def __init__(self, *, workers: int = 2, keep: int = 32, ttl: float = 1800.0, timeout: float = 600.0) -> None:
        self._slots = threading.Semaphore(workers)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.keep, self.ttl, self.timeout = keep, ttl, timeout

    def new_folder(self) -> Path:
        """A private working folder for one request (0700), removed when its job ends."""
        return Path(tempfile.mkdtemp(prefix="ospo-procure-web-"))

    def submit(self, kind: str, folder: Path, fn: Callable[..., Any], *args: Any, label: str = "") -> Job:
        """Run `fn(*args, progress=...)` in a new process working in `folder` (which the job then owns)."""
        job = Job(secrets.token_urlsafe(18), kind, folder, label)
        with self._lock:
            self._expire()
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, fn, args), name=f"job-{kind}", daemon=True).start()
        return job

    def run(self, kind: str, folder: Path, fn: Callable[..., Any], *args: Any, label: str = "") -> Job:
        """Submit and wait until the job ends (for the API and the build)."""
        job = self.submit(kind, folder, fn, *args, label=label)
        job.done_event.wait()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> bool:
        job = self.get(job_id)
        if job is None or job.done_event.is_set():
            return False
        job.cancel_requested.set()
        return True

    def warm(self) -> None:
        """Start the forkserver (it loads the linter) so that the first review starts warm."""
        self.run("warm", self.new_folder(), _noop)

    def _expire(self) -> None:
        now = time.monotonic()
        finished = [j for j in self._jobs.values() if j.finished is not None]
        for j in finished:
            if now - (j.finished or now) > self.ttl:
                del self._jobs[j.id]
        finished = [j for j in self._jobs.values() if j.finished is not None]
        for j in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[j.id]

    def _run(self, job: Job, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            with self._slots:
                if not job.cancel_requested.is_set():
                    self._supervise(job, fn, args)
            if job.cancel_requested.is_set() and job.state in (QUEUED, RUNNING):
                job.state = CANCELLED
        except Exception as err:  # never leave a job hanging
            log.exception("job %s failed", job.kind)
            job.state, job.error = FAILED, f"internal error ({type(err).__name__}); please report it"
        finally:
            shutil.rmtree(job.folder, ignore_errors=True)
            job.finished = time.monotonic()
            job.done_event.set()

    def _supervise(self, job: Job, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        receiver, sender = _CTX.Pipe(duplex=False)
        process = _CTX.Process(target=_child, args=(sender, str(job.folder), fn, args), daemon=True)
        job.state = RUNNING
        process.start()
        sender.close()
        try:
            while True:
                if job.cancel_requested.is_set():
                    process.terminate()
                    return
                if time.monotonic() - job.started > self.timeout:
                    process.terminate()
                    job.state, job.error = FAILED, f"stopped after {self.timeout:g} s (time limit)"
                    return
                if not receiver.poll(0.1):
                    continue
                try:
                    kind, value = receiver.recv()
                except EOFError:  # the process ended without a word (killed, out of memory)
                    job.state, job.error = FAILED, "the worker process ended unexpectedly (out of memory?)"
                    return
                if kind == "stage":
                    job.stage = value
                elif kind == "done":
                    # The folder goes before the job is seen as done: "done" means nothing is left.
                    shutil.rmtree(job.folder, ignore_errors=True)
                    job.result, job.state = value, DONE
                    return
                else:
                    job.error, job.state = value, FAILED
                    return
        finally:
            receiver.close()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()


def _noop(*, progress: Callable[[str], None]) -> None:
    progress("ready")
