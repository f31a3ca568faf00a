"""Instructions per lint, counted by valgrind: the measure of an engine change that a loaded
machine's wall and CPU times cannot give (they drift by more than most changes). Prints
figures; asserts nothing. Needs valgrind.

    python benchmarks/lint_instructions.py [--docs DIR] [--tenders 12] [--only tender|portfolio]

Two workloads, each counted as the difference between a run that lints once more and one
that does not (so imports, loading the rule set, reading the documents and a warm-up lint
are not counted): one lint of the 40k-word benchmark tender, and one lint of each of the
first `--tenders` generated portfolio tenders. `--docs` is the folder of generated
documents that benchmarks/compare_reports.py makes (made there when missing). The hash
seed is fixed, so two runs of the same code count nearly the same.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parent))

_RUN = """
import sys
from pathlib import Path
from ospo_procure.limits import Limits
from ospo_procure.lint import lint_document
from ospo_procure.readers import read_document
from ospo_procure.rules import load_ruleset
ruleset = load_ruleset()
paths = [Path(p) for p in sys.argv[2:]]
docs = [read_document(p) for p in paths]
limits = Limits(max_seconds=1e9)  # valgrind runs it about 50 times slower
for doc in docs:
    lint_document(doc, ruleset=ruleset, limits=limits)
for _ in range(int(sys.argv[1])):
    for doc in docs:
        lint_document(doc, ruleset=ruleset, limits=limits)
"""


def instructions(rounds: int, paths: list[Path]) -> int:
    """Instructions of the whole process that lints `paths` once, then `rounds` more times."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--cache-sim=no"]
    cmd += [sys.executable, "-c", _RUN, str(rounds), *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, default=Path("/tmp/ospo-compare-docs"))
    ap.add_argument("--tenders", type=int, default=12)
    ap.add_argument("--only", choices=("tender", "portfolio"))
    args = ap.parse_args()
    # the rule set cached first, outside valgrind: building it there would take minutes
    subprocess.run([sys.executable, "-c", "from ospo_procure.rules import load_ruleset; load_ruleset()"], check=True)
    if not args.docs.exists():
        from compare_reports import generate

        generate(args.docs)
    tender = [args.docs / "tender-40k.docx"]
    portfolio = sorted((args.docs / "portfolio").rglob("tender-*"))[: args.tenders]
    workloads = {"tender": ("40k-word tender", tender), "portfolio": (f"{len(portfolio)} portfolio tenders", portfolio)}
    for key in ("tender", "portfolio") if args.only is None else (args.only,):
        name, paths = workloads[key]
        with ThreadPoolExecutor(2) as pool:  # valgrind runs one thread: the two counts side by side
            base, once = pool.map(lambda rounds: instructions(rounds, paths), (0, 1))  # noqa: B023
        print(f"{name}: {(once - base) / 1e6:,.1f} M instructions per lint round")
    return 0


if __name__ == "__main__":
    sys.exit(main())
