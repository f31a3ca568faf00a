"""Whether a change to the engine kept every output: the JSON reports of the bundled examples,
every real-corpus document, every probe text (tests/data/probes) and generated benchmark
documents, written one file per input so that two runs compare byte for byte.

    python benchmarks/compare_reports.py write OUT_DIR [--generated DIR]
    python benchmarks/compare_reports.py compare BEFORE_DIR AFTER_DIR

`write` lints every input in process with the bundled rules and renders the JSON report as
`lint --format json` does. The generated documents (the 40k-word benchmark tender, its
199 KB one-paragraph text and 40 portfolio tenders) are made into `--generated` when it
does not exist yet, so the same bytes are linted before and after a change (a .docx holds
its creation time). To measure the code before a change, run this script with
PYTHONPATH pointing at a checkout of it. `compare` prints the inputs whose reports differ
and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(1, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "benchmarks" / "corpus" / "real" / "docs"
PROBES = ROOT / "tests" / "data" / "probes"


def generate(folder: Path) -> None:
    from bench_lint import make_long_paragraph, make_tender
    from make_portfolio import make_portfolio

    folder.mkdir(parents=True)
    make_tender(folder / "tender-40k.docx", 40_000)
    make_long_paragraph(folder / "one-paragraph.txt")
    make_portfolio(folder / "portfolio", 40, 8000)


def documents(generated: Path) -> Iterator[Path]:
    yield from sorted((ROOT / "examples" / "tenders").glob("*"))
    yield from sorted(p for p in REAL.rglob("*") if p.is_file())
    yield from sorted(p for p in generated.rglob("*") if p.is_file() and p.suffix != ".csv")


def probe_texts() -> Iterator[tuple[str, str]]:
    """(name, text) of every probe: each `text:` in the probe files."""
    import yaml

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                yield node["text"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for path in sorted(PROBES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, text in enumerate(walk(data)):
            yield f"{path.stem}-{i:04d}", text


def write(out: Path, generated: Path) -> int:
    from ospo_procure.errors import InputError
    from ospo_procure.lint import lint_document, lint_text
    from ospo_procure.model import FileResult, LintRun
    from ospo_procure.readers import read_document
    from ospo_procure.report import ReportOptions, render, rule_infos
    from ospo_procure.rules import load_ruleset

    os.chdir(ROOT)  # report paths are relative to the current folder
    if not generated.exists():
        generate(generated)
    ruleset = load_ruleset()
    options = ReportOptions(rules=rule_infos(ruleset), tool_version="compare")
    out.mkdir(parents=True, exist_ok=True)
    count = 0

    def save(name: str, result: FileResult) -> None:
        data = render("json", LintRun([result]), options)
        (out / f"{hashlib.sha1(name.encode()).hexdigest()[:16]}.json").write_bytes(name.encode() + b"\n" + data)

    for path in documents(generated):
        try:
            result = lint_document(read_document(path), ruleset=ruleset)
        except InputError as exc:
            result = FileResult(path=str(path), error=exc.message)
        save(str(path), result)
        count += 1
    for name, text in probe_texts():
        save(f"probe {name}", lint_text(text, ruleset=ruleset, markdown="\n\n" in text))
        count += 1
    print(f"{count} reports written to {out}")
    return 0


def compare(before: Path, after: Path) -> int:
    names_b = {p.name for p in before.glob("*.json")}
    names_a = {p.name for p in after.glob("*.json")}
    differ = [n for n in sorted(names_b & names_a) if (before / n).read_bytes() != (after / n).read_bytes()]
    for name in differ:
        print("differs:", (before / name).read_bytes().split(b"\n", 1)[0].decode())
    for name in sorted(names_b ^ names_a):
        print("only in one:", name)
    same = len(names_b & names_a) - len(differ)
    print(f"{same} identical, {len(differ)} differ, {len(names_b ^ names_a)} only in one")
    return 1 if differ or names_b ^ names_a else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--generated", type=Path, default=Path("/tmp/ospo-compare-docs"))
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "write":
        return write(args.out.resolve(), args.generated.resolve())
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
