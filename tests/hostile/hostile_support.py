"""Helpers for the hostile-input suite: file digests, snapshots of a folder, and lints run in
a subprocess with their wall time and peak memory measured."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ONE_GB = 1024 * 1024 * 1024
HERE = Path(__file__).resolve().parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Snapshot:
    """Byte-for-byte fingerprints of input files, to prove a run never wrote them."""

    def __init__(self, paths: list[Path]):
        self.before = {p: (digest(p), p.stat().st_mtime_ns) for p in paths if p.is_file()}

    def assert_unchanged(self) -> None:
        for p, (sha, mtime) in self.before.items():
            assert p.is_file(), f"{p} disappeared"
            assert (digest(p), p.stat().st_mtime_ns) == (sha, mtime), f"{p} was modified"


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes, of the child process

    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout.strip().splitlines()[-1])


def run_measured(code: str, *, timeout: float = 60) -> Measured:
    """Run Python `code` in a fresh interpreter; return its output, wall time and peak RSS.

    A subprocess so that the memory measured is this case's alone (ru_maxrss of the
    child), and so a hang is killed by `timeout` instead of stalling the suite.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH", "")])}
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    seconds = time.monotonic() - start
    import resource

    # The child prints its own ru_maxrss ("PEAK_RSS n"); RUSAGE_CHILDREN (the max over
    # every child so far) is only the fallback, and errs on the high side.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    for line in proc.stdout.splitlines():
        if line.startswith("PEAK_RSS "):
            peak = int(line.split()[1])
    return Measured(proc.returncode, proc.stdout, proc.stderr, seconds, peak)


# Lints one file the way the CLI does and prints one JSON line with the result; the peak
# RSS is the child's own (ru_maxrss of RUSAGE_SELF, KiB on Linux).
LINT_SNIPPET = """
import json, resource
from pathlib import Path
from ospo_procure.limits import Limits
from ospo_procure.service import LintOptions, run_lint
limits = Limits(**LIMITS)
out = run_lint([Path(p) for p in PATHS], LintOptions(rules_dir=Path(RULES), fmt="json", limits=limits))
print("PEAK_RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
print(json.dumps({"exit": out.exit_code, "errors": [r.error for r in out.results], "warnings": [r.warnings for r in out.results]}))
"""


def lint_in_subprocess(
    paths: list[Path], rules: Path, limits: dict[str, Any] | None = None, timeout: float = 60
) -> Measured:
    code = f"PATHS = {[str(p) for p in paths]!r}\nRULES = {str(rules)!r}\nLIMITS = {limits or {}!r}\n" + LINT_SNIPPET
    return run_measured(code, timeout=timeout)
