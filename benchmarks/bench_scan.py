"""Portfolio scan speed: a generated portfolio of 1,000 tenders of about 20 pages (8,000
words) scanned with `--jobs 2`, then scanned again with nothing changed, then the dashboard.
Prints figures; asserts nothing.

    python benchmarks/bench_scan.py [--tenders 1000] [--words 8000] [--jobs 2] [--keep DIR]

Targets on a 2-core machine: the scan in at most 60 s, the unchanged re-scan in at most 5 s.
The portfolio is generated into a temporary folder (benchmarks/make_portfolio.py) and
deleted afterwards unless --keep names a folder.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_portfolio import make_portfolio


def _cmd(*args: str) -> tuple[float, float, str]:
    """Wall time, CPU time of the command and its workers, last stderr line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ospo_procure", *args], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = (proc.stderr.strip().splitlines() or [""])[-1]
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
    return wall, cpu, last


def _breakdown(folder: Path, n: int = 30) -> None:
    """Where one file's time goes, in this process, once the rules and pipelines are loaded.
    CPU time (process_time), so that other load on the machine does not inflate it."""
    from ospo_procure.lint import lint_document
    from ospo_procure.portfolio.discovery import file_item
    from ospo_procure.portfolio.worker import Settings, lint_item
    from ospo_procure.readers import read_document
    from ospo_procure.rules import load_ruleset

    files = sorted(p for p in folder.rglob("tender-*") if p.is_file())[:n]
    ruleset = load_ruleset()
    t0 = time.process_time()
    for f in files[:6]:  # load every language's pipeline first
        lint_item(file_item(f), Settings())
    warm = time.process_time() - t0
    read = lint = whole = 0.0
    words = 0
    for f in files:
        t0 = time.process_time()
        doc = read_document(f)
        t1 = time.process_time()
        result = lint_document(doc, ruleset=ruleset)
        t2 = time.process_time()
        lint_item(file_item(f), Settings())
        t3 = time.process_time()
        read, lint, whole, words = read + t1 - t0, lint + t2 - t1, whole + t3 - t2, words + result.words
    k = len(files)
    print(f"  one worker's start (rules, three language pipelines, first files): {warm:.1f} s")
    print(
        f"  per file, in process: read {read / k * 1000:.0f} ms, lint {lint / k * 1000:.0f} ms "
        f"({words / lint:,.0f} words/s), whole worker step {whole / k * 1000:.0f} ms "
        f"(hash, read, metadata, lint, rows)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tenders", type=int, default=1000)
    ap.add_argument("--words", type=int, default=8000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (and the store)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ospo-bench-scan-")) if args.keep is None else args.keep
    try:
        folder, store = tmp / "portfolio", tmp / "scan.sqlite"
        if not (folder / "metadata.csv").is_file():
            t0 = time.perf_counter()
            make_portfolio(folder, args.tenders, args.words)
            print(f"generated {args.tenders} tenders of ~{args.words:,} words in {time.perf_counter() - t0:.0f} s")
        store.unlink(missing_ok=True)
        print(f"machine: {os.cpu_count()} cores, load average before: {os.getloadavg()[0]:.1f}")

        wall, cpu, last = _cmd(
            "scan",
            str(folder),
            "--store",
            str(store),
            "--jobs",
            str(args.jobs),
            "--metadata",
            str(folder / "metadata.csv"),
        )
        print(
            f"scan --jobs {args.jobs}: {wall:.1f} s wall (target 60 s), {cpu:.0f} s CPU, {args.tenders / wall:.1f} files/s"
        )
        print(f"  {last}")
        with sqlite3.connect(store) as db:
            n, secs, words = db.execute("SELECT COUNT(*), SUM(seconds), SUM(words) FROM files").fetchone()
            findings = db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
        print(
            f"  workers: {secs / n * 1000:.0f} ms per file on average ({words / n:,.0f} words, "
            f"{findings / n:.0f} findings and evidence items); store {store.stat().st_size / 2**20:.0f} MB"
        )
        wall, cpu, last = _cmd("scan", str(folder), "--store", str(store), "--jobs", str(args.jobs))
        print(f"re-scan, nothing changed: {wall:.2f} s wall (target 5 s), {cpu:.1f} s CPU")
        print(f"  {last}")
        for out in ("dashboard.html", "dashboard.pdf"):
            wall, _cpu, _last = _cmd("dashboard", str(store), "-o", str(tmp / out))
            print(f"dashboard {out}: {wall:.1f} s")
        print(f"load average after: {os.getloadavg()[0]:.1f} (figures assume an otherwise idle machine)")
        print("where a file's time goes:")
        _breakdown(folder)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
