"""Which rule regexes and cues cost the most lint time: every regex run of the rule scanner
and every cue search, timed per pattern text, over generated portfolio tenders. Prints
figures; asserts nothing.

    python benchmarks/regex_costs.py [--tenders 12] [--top 15]

For rule authors: a pattern near the top runs often (its prefilter literals are common) or
slowly per run (long optional runs, nested repeats); both are rule data. The role stage's
own heading and label checks (roles.py) are not counted.
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


class _Timed:
    """A compiled pattern whose runs are timed (the scanner calls finditer, cues search)."""

    def __init__(self, pattern: Any) -> None:
        self._p = pattern
        self.pattern = pattern.pattern

    def finditer(self, text: str, pos: int = 0, timeout: float | None = None) -> list[Any]:
        t0 = time.perf_counter()
        found = list(self._p.finditer(text, pos, timeout=timeout))
        self._count("rule regex", t0, len(text) - pos)
        return found

    def search(self, text: str, timeout: float | None = None) -> Any:
        t0 = time.perf_counter()
        found = self._p.search(text, timeout=timeout)
        self._count("cue", t0, len(text))
        return found

    def _count(self, kind: str, t0: float, chars: int) -> None:
        key = (kind, self.pattern)
        SPENT[key] += time.perf_counter() - t0
        RUNS[key] += 1
        CHARS[key] += chars


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
            scanner.entries = [(rule, m, _Timed(p)) for rule, m, p in scanner.entries]  # type: ignore[attr-defined]
    search = matchers.BlockContext.search
    matchers.BlockContext.search = lambda self, p, lo, hi, who: search(self, _Timed(p), lo, hi, who)  # type: ignore[method-assign]
    t0 = time.perf_counter()
    for doc in docs:
        lint_document(doc, ruleset=ruleset)
    total = time.perf_counter() - t0
    print(f"{len(docs)} tenders linted in {total:.2f} s, of which rule regexes and cues {sum(SPENT.values()):.2f} s")
    for key, secs in SPENT.most_common(args.top):
        kind, pattern = key
        print(
            f"  {secs * 1000:7.1f} ms  {RUNS[key]:5d} runs  {secs / RUNS[key] * 1e6:6.0f} µs/run  "
            f"{CHARS[key] / RUNS[key]:5.0f} chars/run  {kind:10} {pattern[:80]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
