"""Where a lint's CPU goes, by Python function and line: a sampling profile on CPU time.
Prints figures; asserts nothing.

    python benchmarks/profile_lint.py [--docs DIR] [--tenders 12 | --tender] [--rounds 3]

Every 0.5 ms of the process's CPU time (`signal.ITIMER_PROF`) the running Python frame is
recorded: its function (self), every function on its stack (inclusive) and its line. Time
spent in C (a regex run, an Aho-Corasick pass, an `in` test) counts for the line that called
it. Unlike cProfile, nothing is timed by the wall clock, so a loaded machine does not move
the shares (cProfile, reading the clock at every call, put ten times the real cost on timed
`regex` calls). `--docs` is the folder of generated documents benchmarks/compare_reports.py
makes (made there when missing); `--tender` profiles the 40k-word benchmark tender instead
of the first `--tenders` portfolio tenders.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter
from pathlib import Path
from types import FrameType

sys.path.insert(1, str(Path(__file__).resolve().parent))

SELF: Counter[str] = Counter()
INCLUSIVE: Counter[str] = Counter()
LINES: Counter[str] = Counter()


def _name(frame: FrameType) -> str:
    return f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}"


def _sample(_signum: int, frame: FrameType | None) -> None:
    if frame is None:
        return
    SELF[_name(frame)] += 1
    LINES[f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno}"] += 1
    seen: set[str] = set()
    current: FrameType | None = frame
    while current is not None:
        name = _name(current)
        if name not in seen:
            INCLUSIVE[name] += 1
            seen.add(name)
        current = current.f_back


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, default=Path("/tmp/ospo-compare-docs"))
    ap.add_argument("--tenders", type=int, default=12)
    ap.add_argument("--tender", action="store_true", help="the 40k-word tender instead of portfolio tenders")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    from ospo_procure.lint import lint_document
    from ospo_procure.readers import read_document
    from ospo_procure.rules import load_ruleset

    if not args.docs.exists():
        from compare_reports import generate

        generate(args.docs)
    paths = (
        [args.docs / "tender-40k.docx"]
        if args.tender
        else sorted((args.docs / "portfolio").rglob("tender-*"))[: args.tenders]
    )
    ruleset = load_ruleset()
    docs = [read_document(p) for p in paths]
    for doc in docs:  # scanners, tables and spaCy (where needed) loaded first
        lint_document(doc, ruleset=ruleset)
    signal.signal(signal.SIGPROF, _sample)
    signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
    for _ in range(args.rounds):
        for doc in docs:
            lint_document(doc, ruleset=ruleset)
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    total = sum(SELF.values()) or 1
    print(f"{len(docs)} documents x {args.rounds} rounds: {total} samples of 0.5 ms of CPU")
    for title, counts in (("self", SELF), ("inclusive", INCLUSIVE), ("lines", LINES)):
        print(f"--- {title}")
        for key, n in counts.most_common(args.top):
            print(f"  {100 * n / total:5.1f}%  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
