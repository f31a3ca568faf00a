"""Lint speed and memory on a generated 100-page, ~40,000-word tender (.docx with tables,
headers, footers), on the bundled examples and on one 199 KB paragraph. Prints figures;
asserts nothing.

    python benchmarks/bench_lint.py [--words 40000] [--runs 5] [--dense]

Targets on this 2-core machine: the whole `ospo-procure lint` command on the 40k-word .docx
at most 0.8 s (goal 0.5 s); in process at least 300,000 words/s; `ospo-procure --help` under
0.15 s; the compiled rule set loaded from its cache well under 100 ms; peak memory under 400 MB.

Commands run the way an installed tool runs: with its bytecode written (pip compiles it at
install; a first, unmeasured run writes it here) and the compiled rule set cached (the
first run after a rule edit builds it: "cold" below). Wall times are the best of --runs;
CPU times (user + system) are printed beside them because a loaded machine stretches wall
time, not work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parent.parent

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


SHORT_SIGNALS = [
    "The workstation shall run Microsoft Windows 11.",
    "Reports shall be sent as .xlsx files.",
    "The database must be Oracle Database 19c.",
    "Licences are priced per named user.",
    "Staff hold the Cisco CCNA certificate.",
]


def make_long_paragraph(path: Path, size: int = 199_000, seed: int = 11) -> None:
    """One paragraph of `size` characters made of about 4,900 short sentences that nearly all
    name a product, a format or a licence: where work per candidate that grows with the
    paragraph (a sentence lookup, an overlap check) shows as a quadratic."""
    rnd = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        parts.append(rnd.choice(SHORT_SIGNALS))
        length += len(parts[-1]) + 1
    path.write_text(" ".join(parts) + "\n", encoding="utf-8")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed tool has its bytecode
    return env


def run_command(args: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Best wall and CPU seconds of `ospo-procure ARGS` over `runs` (after one warm-up run)."""
    cmd = [sys.executable, "-m", "ospo_procure", *args]
    subprocess.run(cmd, capture_output=True, check=False, env=env or _env())
    wall = cpu = float("inf")
    code = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, check=False, env=env or _env())
        wall = min(wall, time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        code = proc.returncode
    return wall, cpu, code


_LOAD = """
import json, time
t0 = time.perf_counter(); c0 = time.process_time()
from ospo_procure.rules import load_ruleset
from ospo_procure.matching import compile_rules
t1 = time.perf_counter(); c1 = time.process_time()
ruleset = load_ruleset()
t2 = time.perf_counter(); c2 = time.process_time()
compile_rules(ruleset, "en")
t3 = time.perf_counter(); c3 = time.process_time()
print(json.dumps({"import": [t1 - t0, c1 - c0], "load": [t2 - t1, c2 - c1], "compile": [t3 - t2, c3 - c2]}))
"""


def cache_figures(runs: int) -> None:
    with tempfile.TemporaryDirectory() as cold:
        env = {**_env(), "OSPO_PROCURE_CACHE": cold}
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", _LOAD], env=env, capture_output=True, check=True)
        print(f"rule set, cold (validate, compile and cache it; once per rule edit): {time.perf_counter() - t0:.2f} s")
    best: dict[str, list[float]] = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _LOAD], env=_env(), capture_output=True, check=True, text=True)
        for k, (wall, cpu) in json.loads(out.stdout).items():
            best[k] = [min(best.get(k, [wall])[0], wall), min(best.get(k, [0, cpu])[1], cpu)]
    print(
        f"rule set, cached: load_ruleset {best['load'][0] * 1000:.0f} ms (CPU {best['load'][1] * 1000:.0f} ms), "
        f"then compile_rules('en') {best['compile'][0] * 1000:.0f} ms (CPU {best['compile'][1] * 1000:.0f} ms); "
        f"importing the engine {best['import'][0] * 1000:.0f} ms"
    )


def in_process(doc, ruleset, runs: int, language: str | None = "en"):  # type: ignore[no-untyped-def]
    from ospo_procure.lint import lint_document

    result = lint_document(doc, ruleset=ruleset, language=language)  # warm the per-language scanners
    wall = cpu = float("inf")
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = lint_document(doc, ruleset=ruleset, language=language)
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    return result, wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=40_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dense", action="store_true", help="every third sentence a signal (worst case)")
    args = ap.parse_args()
    from ospo_procure.readers import read_document
    from ospo_procure.rules import load_ruleset

    cache_figures(args.runs)
    wall, cpu, _ = run_command(["--help"], args.runs)
    print(f"`ospo-procure --help`: {wall:.3f} s (CPU {cpu:.3f} s)")
    ruleset = load_ruleset()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tender.docx"
        words = make_tender(path, args.words, dense=args.dense)
        print(f"\ndocument: {path.stat().st_size / 1e6:.2f} MB, {words:,} words")
        t0 = time.perf_counter()
        doc = read_document(path)
        print(f"text extraction: {(time.perf_counter() - t0) * 1000:.0f} ms ({len(doc.blocks):,} blocks)")
        result, wall, cpu = in_process(doc, ruleset, args.runs)
        print(
            f"full lint in process: {wall * 1000:.0f} ms, {words / wall:,.0f} words/s (CPU {cpu * 1000:.0f} ms, "
            f"{words / cpu:,.0f} words/s; {len(result.findings)} findings, {len(result.evidence)} evidence)"
        )
        wall, cpu, code = run_command(["lint", str(path)], args.runs)
        print(f"whole `ospo-procure lint` command: {wall:.2f} s (CPU {cpu:.2f} s, exit {code})")
        wall, cpu, code = run_command(["lint", "--format", "json", str(path)], args.runs)
        print(f"  with --format json: {wall:.2f} s (CPU {cpu:.2f} s)")
        t_json, size = json_rendering(result, ruleset)
        print(f"JSON rendering in process: {t_json * 1000:.0f} ms ({size / 1e6:.1f} MB)")

        print("\nbundled examples:")
        for example in sorted((ROOT / "examples" / "tenders").glob("*")):
            doc = read_document(example)
            n = sum(len(b.text.split()) for b in doc.blocks)
            _, wall, cpu = in_process(doc, ruleset, args.runs, language=None)
            cmd_wall, cmd_cpu, _ = run_command(["lint", str(example)], args.runs)
            print(
                f"  {example.name}: {n:,} words; in process {wall * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms); "
                f"whole command {cmd_wall:.2f} s (CPU {cmd_cpu:.2f} s)"
            )

        long_text = Path(tmp) / "one-paragraph.txt"
        make_long_paragraph(long_text)
        doc = read_document(long_text)
        n = sum(len(b.text.split()) for b in doc.blocks)
        result, wall, cpu = in_process(doc, ruleset, max(1, args.runs // 2))
        print(
            f"\none {long_text.stat().st_size // 1000} KB paragraph ({n:,} words, {len(result.findings)} findings): "
            f"in process {wall * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory: this process {peak:.0f} MB, largest command {child:.0f} MB")
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
