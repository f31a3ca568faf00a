"""Where a portfolio scan's CPU goes, per file: hashing, reading the document, its metadata,
the lint, building the store's rows, pickling the batch back to the parent (and unpickling it
there), and writing it to SQLite. Prints CPU figures (time.process_time, so other load on the
machine does not inflate them); asserts nothing.

    python benchmarks/scan_stages.py [--tenders 40] [--words 8000] [--rounds 3]

The steps mirror portfolio/worker.py's `_lint` and `_result` and the parent's `Store.write`;
keep them in step. Generated tenders as in bench_scan.py (benchmarks/make_portfolio.py).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_portfolio import make_portfolio


def _one_round(
    files: list[Path], tmp: Path, r: int, by_format: dict[str, list[float]]
) -> tuple[dict[str, float], int, int, int]:
    """CPU seconds by step over all files; words, rows and pickled bytes (first round only
    fills by_format and the counts)."""
    from ospo_procure.lint import lint_document
    from ospo_procure.portfolio.discovery import file_item
    from ospo_procure.portfolio.metadata import document_metadata
    from ospo_procure.portfolio.store import Store
    from ospo_procure.portfolio.worker import Settings, _file_sha256, _waivers, record_of
    from ospo_procure.readers import read_document
    from ospo_procure.rules import load_ruleset

    settings, ruleset = Settings(), load_ruleset()
    spent: dict[str, float] = defaultdict(float)
    records = []
    words = rows = 0
    for f in files:
        item = file_item(f)
        t0 = time.process_time()
        sha = _file_sha256(f)
        t1 = time.process_time()
        doc = read_document(f, settings.limits)
        t2 = time.process_time()
        meta = document_metadata(f, doc.format, settings.limits)
        t3 = time.process_time()
        result = lint_document(doc, language=None, ruleset=ruleset, waivers=_waivers(item, settings))
        t4 = time.process_time()
        st = f.stat()
        rec = record_of(
            item, result, ruleset, sha=sha, size=st.st_size, mtime_ns=st.st_mtime_ns, pages=doc.pages, doc_meta=meta
        )
        t5 = time.process_time()
        records.append(rec)
        for k, v in (("hash", t1 - t0), ("read", t2 - t1), ("metadata", t3 - t2), ("lint", t4 - t3), ("rows", t5 - t4)):
            spent[k] += v
        if r == 0:
            by_format[f.suffix][0] += t2 - t1
            by_format[f.suffix][1] += 1
        words, rows = words + result.words, rows + len(rec.findings)
    t0 = time.process_time()
    blob = pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
    t1 = time.process_time()
    pickle.loads(blob)
    spent["pickle (worker)"] = t1 - t0
    spent["unpickle (parent)"] = time.process_time() - t1
    with Store(tmp / f"store-{r}.sqlite") as store:
        t0 = time.process_time()
        for i in range(0, len(records), 8):
            store.write(records[i : i + 8], "key")
        spent["sqlite write (parent)"] = time.process_time() - t0
    return spent, words, rows, len(blob)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tenders", type=int, default=40)
    ap.add_argument("--words", type=int, default=8000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from ospo_procure.portfolio.discovery import file_item
    from ospo_procure.portfolio.worker import Settings, lint_item

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "portfolio"
        make_portfolio(folder, args.tenders, args.words)
        files = sorted(p for p in folder.rglob("tender-*") if p.is_file())
        for f in files[:8]:  # every language's pipeline and tables loaded first
            lint_item(file_item(f), Settings())
        best: dict[str, float] = defaultdict(lambda: float("inf"))
        by_format: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
        for r in range(args.rounds):
            spent, words, rows, size = _one_round(files, Path(tmp), r, by_format)
            for k, v in spent.items():
                best[k] = min(best[k], v)
        n = len(files)
        total = sum(best.values())
        print(
            f"{n} tenders, {words / n:,.0f} words and {rows / n:,.0f} finding/evidence rows each; CPU per file (best of {args.rounds} rounds):"
        )
        for k, v in best.items():
            print(f"  {k:<24} {v / n * 1000:7.1f} ms  {v / total:6.1%}")
        print(f"  {'total':<24} {total / n * 1000:7.1f} ms   ({size / n / 1024:.0f} KiB pickled per file)")
        print("reading, by format (first round):")
        for suffix, (secs, k) in sorted(by_format.items()):
            print(f"  {suffix:<6} {secs / k * 1000:7.1f} ms over {int(k)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
