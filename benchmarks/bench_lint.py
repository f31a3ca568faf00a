"""Lint speed and memory on a generated 100-page, ~40,000-word tender (.docx with tables,
headers, footers). Prints figures; asserts nothing.

    python benchmarks/bench_lint.py [--words 40000]

Targets on a 2-core machine: full lint under 0.5 s once the pipeline is loaded (at least
80,000 words/s), the whole `ospo-procure lint` command under 3 s, peak memory under 400 MB.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docx import Document

SENTENCES = [
    "The Contractor shall deliver the case-management functions described in this section within the agreed milestones.",
    "Data exchange with external systems shall use documented interfaces and open, royalty-free standards.",
    "The database layer must run on Microsoft SQL Server 2022 Enterprise; no other database management system will be accepted.",
    "Licences shall be priced per named user and quoted in the price schedule of Annex C.",
    "Open-source solutions are admissible and will be evaluated on an equal footing with proprietary alternatives.",
    "The bidder shall describe its approach to knowledge transfer, documentation and acceptance testing.",
    "Maintenance windows shall be scheduled outside office hours and announced at least 48 hours in advance.",
    "Monthly statistics shall be delivered as .xls workbooks to the Statistics Unit.",
    "The source code of every custom component shall be delivered to a repository controlled by the Agency, with its full history.",
    "Offers will be compared on technical quality (60 points) and total cost of ownership over five years (40 points).",
]


def make_tender(path: Path, words: int, seed: int = 7) -> int:
    rnd = random.Random(seed)
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Ministry of Digital Affairs - Terms of Reference MDA-2026-01"
    doc.sections[0].footer.paragraphs[0].text = "Page footer: price schedule in .xls format."
    count = 0
    section = 0
    while count < words:
        section += 1
        doc.add_heading(f"{section} Requirements of work package {section}", level=1)
        for _ in range(12):
            text = " ".join(rnd.choice(SENTENCES) for _ in range(3))
            doc.add_paragraph(text)
            count += len(text.split())
        if section % 3 == 0:
            table = doc.add_table(rows=4, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    text = rnd.choice(SENTENCES)
                    cell.text = text
                    count += len(text.split())
    doc.save(path)
    return count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=40_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tender.docx"
        words = make_tender(path, args.words)
        print(f"document: {path.stat().st_size / 1e6:.2f} MB, {words:,} words")

        from ospo_procure.lint import lint_document
        from ospo_procure.readers import read_document
        from ospo_procure.rules import load_ruleset

        t0 = time.perf_counter()
        doc = read_document(path)
        t_read = time.perf_counter() - t0
        print(f"text extraction: {t_read * 1000:.0f} ms ({len(doc.blocks):,} blocks)")

        t0 = time.perf_counter()
        ruleset = load_ruleset()
        lint_document(doc, ruleset=ruleset, language="en")  # first call builds the pipeline
        t_load = time.perf_counter() - t0
        print(f"one-off rules + pipeline load and first lint: {t_load:.2f} s")

        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            result = lint_document(doc, ruleset=ruleset, language="en")
            runs.append(time.perf_counter() - t0)
        best = min(runs)
        print(f"full lint (loaded): {best:.3f} s, {words / best:,.0f} words/s ({len(result.findings)} findings, {len(result.evidence)} evidence)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (this process): {peak:.0f} MB")

        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "ospo_procure", "lint", str(path)], capture_output=True)
        t_cmd = time.perf_counter() - t0
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"whole `ospo-procure lint` command: {t_cmd:.2f} s (exit {proc.returncode}), peak memory {child:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
