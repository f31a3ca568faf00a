"""Lint speed and memory on a generated 100-page, ~40,000-word tender (.docx with tables,
headers, footers). Prints figures; asserts nothing.

    python benchmarks/bench_lint.py [--words 40000]

Targets on a 2-core machine: text extraction under 0.25 s, full lint under 0.5 s once the
pipeline is loaded (at least 80,000 words/s), JSON rendering of the result costing no more
than the lint itself, the whole `ospo-procure lint` command under 3 s, peak memory under 400 MB.
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

# Mostly ordinary procurement prose, with the occasional lock-in signal and OSS-friendly
# clause, roughly in the proportions of a real terms of reference (about one sentence in ten
# is a signal). `--dense` makes every third sentence a signal, as a worst case.
NEUTRAL = [
    "The Contractor shall deliver the case-management functions described in this section within the agreed milestones.",
    "The bidder shall describe its approach to knowledge transfer, documentation and acceptance testing.",
    "Maintenance windows shall be scheduled outside office hours and announced at least 48 hours in advance.",
    "Each deliverable shall be reviewed by the Steering Team within ten working days of its submission.",
    "The system shall record every change to a case together with the user, the date and the reason for the change.",
    "Training sessions shall be held at the Agency's premises for case officers, supervisors and administrators.",
    "The Contractor shall report progress monthly, including risks, issues and the status of each work package.",
    "Personal data shall be processed only for the purposes of the contract and in accordance with the applicable law.",
    "Questions about these terms of reference shall be sent in writing before the deadline stated in the notice.",
]
SIGNALS = [
    "The database layer must run on Microsoft SQL Server 2022 Enterprise; no other database management system will be accepted.",
    "Licences shall be priced per named user and quoted in the price schedule of Annex C.",
    "Monthly statistics shall be delivered as .xls workbooks to the Statistics Unit.",
    "Open-source solutions are admissible and will be evaluated on an equal footing with proprietary alternatives.",
    "Data exchange with external systems shall use documented interfaces and open, royalty-free standards.",
    "The source code of every custom component shall be delivered to a repository controlled by the Agency, with its full history.",
    "Offers will be compared on technical quality (60 points) and total cost of ownership over five years (40 points).",
]


def sentence(rnd: random.Random, dense: bool) -> str:
    if rnd.random() < (1 / 3 if dense else 0.1):
        return rnd.choice(SIGNALS)
    return rnd.choice(NEUTRAL)


def make_tender(path: Path, words: int, seed: int = 7, dense: bool = False) -> int:
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
            text = " ".join(sentence(rnd, dense) for _ in range(3))
            doc.add_paragraph(text)
            count += len(text.split())
        if section % 3 == 0:
            table = doc.add_table(rows=4, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    text = sentence(rnd, dense)
                    cell.text = text
                    count += len(text.split())
    doc.save(path)
    return count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=40_000)
    ap.add_argument("--dense", action="store_true", help="every third sentence a signal (worst case)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tender.docx"
        words = make_tender(path, args.words, dense=args.dense)
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
        print(
            f"full lint (loaded): {best:.3f} s, {words / best:,.0f} words/s ({len(result.findings)} findings, {len(result.evidence)} evidence)"
        )
        t_json, size = json_rendering(result, ruleset)
        print(f"JSON rendering: {t_json * 1000:.0f} ms ({size / 1e6:.1f} MB), {t_json / best:.0%} of the lint")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (this process): {peak:.0f} MB")

        for fmt in ("text", "json"):
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "ospo_procure", "lint", str(path), "--format", fmt],
                capture_output=True,
                check=False,
            )
            t_cmd = time.perf_counter() - t0
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(
                f"whole `ospo-procure lint --format {fmt}` command: {t_cmd:.2f} s (exit {proc.returncode}), "
                f"peak memory {child:.0f} MB"
            )
    return 0


def json_rendering(result: object, ruleset: object) -> tuple[float, int]:
    """Best of three: the JSON report of one lint result, as `lint --format json` renders it."""
    from ospo_procure.model import LintRun
    from ospo_procure.report import ReportOptions, render, rule_infos

    options = ReportOptions(rules=rule_infos(ruleset), tool_version="bench")
    run = LintRun([result])  # type: ignore[list-item]
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        data = render("json", run, options)
        times.append(time.perf_counter() - t0)
    return min(times), len(data)


if __name__ == "__main__":
    sys.exit(main())
