"""Which rule regexes and cues cost the most lint time: every regex run of the rule scanner
and every cue search, recorded per pattern text over generated portfolio tenders, then run
again untimed and measured in CPU time. Prints figures; asserts nothing.

    python benchmarks/regex_costs.py [--tenders 12] [--top 15]

For rule authors: a pattern near the top runs often (its prefilter literals are common) or
slowly per run (long optional runs, nested repeats); both are rule data. The role stage's
own heading and label checks (roles.py) are not counted. The runs are replayed without a
timeout and timed per pattern, in CPU time: a timed `regex` call reads the process clock,
a system call that on a loaded machine costs more wall time than most runs themselves
(timed one by one during the lint, the runs looked ten times dearer than they are). The
last column is what the lint's own calls add per run: the timeout's clock read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_portfolio import make_portfolio

SPENT: Counter[tuple[str, str]] = Counter()
RUNS: Counter[tuple[str, str]] = Counter()
CHARS: Counter[tuple[str, str]] = Counter()
# Every run, to replay: (kind, pattern text) -> (compiled pattern, [(text, pos)...])
CALLS: dict[tuple[str, str], tuple[Any, list[tuple[str, int]]]] = {}


class _Recorded:
    """A compiled pattern whose runs are recorded (the scanner calls finditer, cues search)."""

    def __init__(self, pattern: Any) -> None:
        self._p = pattern
        self.pattern = pattern.pattern

    def finditer(self, text: str, pos: int = 0, timeout: float | None = None) -> list[Any]:
        self._record("rule regex", text, pos)
        return list(self._p.finditer(text, pos, timeout=timeout))

    def search(self, text: str, timeout: float | None = None) -> Any:
        self._record("cue", text, 0)
        return self._p.search(text, timeout=timeout)

    def _record(self, kind: str, text: str, pos: int) -> None:
        CALLS.setdefault((kind, self.pattern), (self._p, []))[1].append((text, pos))


def _replay() -> float:
    """Each recorded run again, untimed, in CPU time per pattern; returns the clock read's cost."""
    for key, (pattern, calls) in CALLS.items():
        finditer = key[0] == "rule regex"
        t0 = time.process_time()
        for text, pos in calls:
            if finditer:
                list(pattern.finditer(text, pos))
            else:
                pattern.search(text)
        SPENT[key] = time.process_time() - t0
        RUNS[key] = len(calls)
        CHARS[key] = sum(len(text) - pos for text, pos in calls)
    probe = CALLS and next(iter(CALLS.values()))
    if not probe:
        return 0.0
    pattern, calls = probe
    t0 = time.process_time()
    for _ in range(20):
        for text, _pos in calls[:50]:
            pattern.search(text, timeout=1.0)
            pattern.search(text)
    timed_and_untimed = time.process_time() - t0
    t0 = time.process_time()
    for _ in range(20):
        for text, _pos in calls[:50]:
            pattern.search(text)
            pattern.search(text)
    return max(0.0, (timed_and_untimed - (time.process_time() - t0)) / (20 * min(50, len(calls))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tenders", type=int, default=12)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()

    import ospo_procure.rules.matchers as matchers
    from ospo_procure.lint import lint_document
    from ospo_procure.matching import compile_rules
    from ospo_procure.readers import read_document
    from ospo_procure.rules import load_ruleset

    ruleset = load_ruleset()
    with tempfile.TemporaryDirectory() as tmp:
        make_portfolio(Path(tmp), args.tenders, 8000)
        docs = [read_document(p) for p in sorted(Path(tmp).rglob("tender-*"))]
    for doc in docs:  # every language's scanners and tables built first
        lint_document(doc, ruleset=ruleset)
    for lang in ("en", "es", "pt", "fr"):
        scanner = compile_rules(ruleset, lang).scanners.get("regex")
        if scanner is not None:
            scanner.entries = [(rule, m, _Recorded(p)) for rule, m, p in scanner.entries]  # type: ignore[attr-defined]
    search = matchers.BlockContext.search
    matchers.BlockContext.search = lambda self, p, lo, hi, who: search(self, _Recorded(p), lo, hi, who)  # type: ignore[method-assign]
    t0 = time.process_time()
    for doc in docs:
        lint_document(doc, ruleset=ruleset)
    total = time.process_time() - t0
    clock = _replay()
    runs = sum(RUNS.values())
    print(
        f"{len(docs)} tenders linted in {total:.2f} s of CPU; their {runs:,} rule regex runs and cue searches "
        f"take {sum(SPENT.values()):.2f} s untimed, and the timeout's clock reads about {clock * runs:.2f} s more "
        f"({clock * 1e6:.1f} µs a run)"
    )
    for key, secs in SPENT.most_common(args.top):
        kind, pattern = key
        print(
            f"  {secs * 1000:7.1f} ms  {RUNS[key]:5d} runs  {secs / RUNS[key] * 1e6:6.1f} µs/run  "
            f"{CHARS[key] / RUNS[key]:5.0f} chars/run  {kind:10} {pattern[:80]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
