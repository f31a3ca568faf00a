"""Time `build_tender` on every bundled example (docx written + self-lint). Target: < 3 s each.

Run: python benchmarks/bench_build.py [--pdf] [--repeat N]
The first build in a process pays one-off costs (imports, spaCy pipeline, rule compilation);
both the cold and the best warm time are printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 3.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pdf", action="store_true", help="also draw the PDF")
    ap.add_argument("--no-lint", action="store_true", help="skip self-lint (e.g. while lint_rules/ is incomplete)")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per example")
    args = ap.parse_args()

    from ospo_procure.paths import data_dir
    from ospo_procure.tender import build_tender

    examples = sorted((data_dir("examples") / "specs").glob("*.yaml"))
    slow = 0
    print(f"{'example':<34} {'cold s':>7} {'warm s':>7} {'clauses':>7}  self-lint")
    with tempfile.TemporaryDirectory() as tmp:
        for i, spec in enumerate(examples):
            times: list[float] = []
            result = None
            for run in range(1 + args.repeat):
                t0 = time.perf_counter()
                result = build_tender(spec, Path(tmp) / f"{i}-{run}", pdf=args.pdf, lint=not args.no_lint)
                times.append(time.perf_counter() - t0)
            assert result is not None
            cold, warm = times[0], min(times[1:] or times)
            lint = "ran" if result.lint_ran else f"skipped ({result.lint_note})"
            clauses = sum(d.included for d in result.decisions)
            flag = "" if cold < TARGET_SECONDS else "  SLOW"
            slow += cold >= TARGET_SECONDS
            print(f"{spec.name:<34} {cold:7.2f} {warm:7.2f} {clauses:7d}  {lint}{flag}")
    print(f"target < {TARGET_SECONDS:.0f} s per build: {'met' if not slow else f'{slow} over'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
