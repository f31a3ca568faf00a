"""Time `build_tender` on every bundled example, and on one huge paragraph. Targets below.

Run: python benchmarks/bench_build.py [--pdf] [--repeat N] [--big CHARS] [--no-big]

1. Every bundled example (docx written + self-lint): < 3 s each. The first build in a
   process pays one-off costs (imports, spaCy pipeline, rule compilation); both the cold and
   the best warm time are printed.
2. A spec whose background is one paragraph of 250,000, 500,000 and --big (default
   1,000,000) characters, built with --pdf and without self-lint (which refuses paragraphs
   over 200,000 characters, naming the spec line): time must grow linearly with length, so
   the per-million-characters cost is printed for each size; target < 30 s for a million.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 3.0
BIG_TARGET_SECONDS = 30.0


def _examples(args: argparse.Namespace, tmp: Path) -> int:
    from ospo_procure.paths import data_dir
    from ospo_procure.tender import build_tender

    examples = sorted((data_dir("examples") / "specs").glob("*.yaml"))
    slow = 0
    print(f"{'example':<34} {'cold s':>7} {'warm s':>7} {'clauses':>7}  self-lint")
    for i, spec in enumerate(examples):
        times: list[float] = []
        result = None
        for run in range(1 + args.repeat):
            t0 = time.perf_counter()
            result = build_tender(spec, tmp / f"{i}-{run}", pdf=args.pdf, lint=not args.no_lint)
            times.append(time.perf_counter() - t0)
        assert result is not None
        cold, warm = times[0], min(times[1:] or times)
        lint = "ran" if result.lint_ran else f"skipped ({result.lint_note})"
        clauses = sum(d.included for d in result.decisions)
        flag = "" if cold < TARGET_SECONDS else "  SLOW"
        slow += cold >= TARGET_SECONDS
        print(f"{spec.name:<34} {cold:7.2f} {warm:7.2f} {clauses:7d}  {lint}{flag}")
    print(f"target < {TARGET_SECONDS:.0f} s per build: {'met' if not slow else f'{slow} over'}")
    return slow


def _big_spec(tmp: Path, chars: int) -> Path:
    """The English example with a background of one paragraph of `chars` characters."""
    from ospo_procure.paths import data_dir

    rng = random.Random(14)
    vocabulary = "the platform records each grant application with its reviews decisions and payments so that "
    vocabulary += "applicants and auditors can follow every step of the procedure in open formats"
    words = vocabulary.split()
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 30))).capitalize() + "."
        out.append(sentence)
        size += len(sentence) + 1
    paragraph = " ".join(out)[:chars]
    source = (data_dir("examples") / "specs" / "en-grants-platform.yaml").read_text(encoding="utf-8")
    spec = tmp / f"big-{chars}.yaml"
    spec.write_text(source.replace("background: |\n", "background: |\n  " + paragraph + "\n\n", 1), encoding="utf-8")
    return spec


def _big(args: argparse.Namespace, tmp: Path) -> int:
    from ospo_procure.errors import DataError
    from ospo_procure.tender import build_tender

    sizes = sorted({250_000, 500_000, args.big})
    print(f"\n{'one paragraph of':<20} {'build --pdf s':>13} {'s per M chars':>14} {'PDF pages':>10}")
    total = 0.0
    for chars in sizes:
        spec = _big_spec(tmp, chars)
        t0 = time.perf_counter()
        build_tender(spec, tmp / f"big-{chars}", pdf=True, lint=False)
        total = time.perf_counter() - t0
        from pypdf import PdfReader

        pages = len(PdfReader(str(tmp / f"big-{chars}" / "terms_of_reference.pdf")).pages)
        print(f"{chars:>13,} chars {total:13.2f} {total / chars * 1e6:14.2f} {pages:10d}")
    t0 = time.perf_counter()
    try:
        build_tender(_big_spec(tmp, args.big), tmp / "big-lint", pdf=True, lint=True)
        refusal = "built (no refusal?)"
    except DataError as err:
        refusal = str(err)[:110] + "..."
    print(f"with self-lint: refused in {time.perf_counter() - t0:.2f} s: {refusal}")
    over = total >= BIG_TARGET_SECONDS
    print(f"target < {BIG_TARGET_SECONDS:.0f} s for {args.big:,} characters: {'met' if not over else 'OVER'}")
    return int(over)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdf", action="store_true", help="also draw the PDF of every example")
    ap.add_argument("--no-lint", action="store_true", help="skip self-lint (e.g. while lint_rules/ is incomplete)")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per example")
    ap.add_argument("--big", type=int, default=1_000_000, help="characters in the huge paragraph")
    ap.add_argument("--no-big", action="store_true", help="skip the huge-paragraph builds")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        failures = _examples(args, Path(tmp))
        if not args.no_big:
            failures += _big(args, Path(tmp))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
