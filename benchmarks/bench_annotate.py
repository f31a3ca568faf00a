"""Time `--annotate` with 10,000 findings, and check it grows linearly. Target: < 30 s at 10,000.

Run: python benchmarks/bench_annotate.py [--findings N ...]

Two layouts, each at several sizes so the growth is visible:
  spread     N paragraphs of two runs, one finding each (a long tender full of brand names);
  one-para   one paragraph of N/2 words split over N runs, one finding per word (the worst
             case for run splitting: every finding cuts the same paragraph).
Findings are made at the reader's own offsets (as the linter would make them); the time is
annotate_docx alone: cleaning the package, splitting runs, writing the comments, saving.
Before issue 14 the annotator rescanned every comment id per comment and re-walked a
paragraph per finding: 2,000 findings took 19 s and 10,000 comments over 120 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 30.0


def _spread(folder: Path, n: int) -> Path:
    import docx

    d = docx.Document()
    for i in range(n):
        p = d.add_paragraph(f"Requirement {i}: the platform must run on ")
        p.add_run(f"Product{i:05d} Enterprise").bold = True
        p.add_run(" and nothing else.")
    path = folder / f"spread-{n}.docx"
    d.save(str(path))
    return path


def _one_paragraph(folder: Path, n: int) -> Path:
    import docx

    d = docx.Document()
    p = d.add_paragraph("Accepted products: ")
    for i in range(n):
        p.add_run(f"Pro{i:05d}")
        p.add_run(f"duct{i:05d}, ")
    path = folder / f"one-para-{n}.docx"
    d.save(str(path))
    return path


def _findings(path: Path, prefix: str) -> list:
    import re

    from ospo_procure.model import Finding
    from ospo_procure.readers import read_document

    out = []
    for index, block in enumerate(read_document(path).blocks):
        for m in re.finditer(prefix + r"\d{5}(?: Enterprise|duct\d{5})", block.text):
            out.append(
                Finding(
                    rule="BRAND-PRODUCT",
                    category="brand",
                    severity="error",
                    message=f"Named product '{m.group(0)}' is required without 'or equivalent'.",
                    match=m.group(0),
                    start=m.start(),
                    end=m.end(),
                    context=block.text,
                    location=block.location,
                    suggestion="Describe the functions and open standards needed instead.",
                    block_index=index,
                )
            )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--findings", type=int, nargs="*", default=[2_500, 5_000, 10_000])
    args = ap.parse_args()

    from ospo_procure.model import FileResult
    from ospo_procure.report.annotate import annotate_docx

    worst = 0.0
    print(f"{'layout':<10} {'findings':>8} {'comments':>8} {'seconds':>8} {'µs/finding':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for layout, make, prefix in (("spread", _spread, "Product"), ("one-para", _one_paragraph, "Pro")):
            for n in args.findings:
                src = make(folder, n)
                findings = _findings(src, prefix)
                t0 = time.perf_counter()
                stats = annotate_docx(
                    src, FileResult(path=str(src), findings=findings), folder / f"out-{layout}-{n}.docx"
                )
                took = time.perf_counter() - t0
                worst = max(worst, took if n >= 10_000 else 0.0)
                print(
                    f"{layout:<10} {len(findings):>8} {stats.comments:>8} {took:>8.2f} {1e6 * took / len(findings):>11.0f}"
                )
    print(f"target < {TARGET_SECONDS:.0f} s at 10,000 findings: {'met' if worst < TARGET_SECONDS else 'MISSED'}")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
