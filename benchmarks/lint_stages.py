"""Where lint time goes, stage by stage, on the generated tender of bench_lint.py. Prints
figures (CPU seconds, best of N runs); asserts nothing.

    python benchmarks/lint_stages.py [--words 40000] [--runs 5] [--dense]

Stages: start-up (imports, the cached rule set, a language's scanners) in fresh processes,
then one lint split into the role stage's document context, each matcher kind's scanner,
the role stage, overlaps and findings, and scoring. Tokens and sentence spans are computed
lazily inside those stages, only for blocks that need them: their share is shown on its own
line, with how many blocks needed them. The loop mirrors lint.lint_document; keep them in step.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lint import _env, make_tender

STARTUP = {
    "import ospo_procure.lint": "import ospo_procure.lint",
    "import, then load_ruleset() (cached)": "from ospo_procure.rules import load_ruleset; load_ruleset()",
    "import, load_ruleset(), compile_rules(ruleset, 'en')": (
        "from ospo_procure.rules import load_ruleset; from ospo_procure.matching import compile_rules; "
        "compile_rules(load_ruleset(), 'en')"
    ),
    "import spacy (for comparison: not on the lint path)": "import spacy",
}


def startup_figures() -> None:
    base_wall, base_cpu = _child("pass")
    print(f"fresh python: {base_wall:.3f} s (CPU {base_cpu:.3f} s); each line below adds to it:")
    for label, code in STARTUP.items():
        wall, cpu = _child(code)
        print(f"  {label}: +{wall - base_wall:.3f} s (CPU +{cpu - base_cpu:.3f} s)")


def _child(code: str, runs: int = 5) -> tuple[float, float]:
    """Best wall and CPU time of a fresh interpreter running `code`, as an installed tool runs
    (with its bytecode, and the rule set cached: the unmeasured first run makes both)."""
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())
    wall = cpu = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=_env())
        wall = min(wall, time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


class _Clock:
    """CPU time spent in the tokenizer, wherever it is called from."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.blocks: set[int] = set()

    def wrap(self, fn):  # type: ignore[no-untyped-def]
        def timed(tokenizer, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            c = time.process_time()
            try:
                return fn(tokenizer, text, *args, **kwargs)
            finally:
                self.seconds += time.process_time() - c
                self.blocks.add(id(text))

        return timed


def stage_figures(doc, ruleset, runs: int) -> None:  # type: ignore[no-untyped-def]
    from ospo_procure.lint import _resolve_overlaps, lint_document
    from ospo_procure.matching import compile_rules
    from ospo_procure.roles import DocumentContext, RoleStage
    from ospo_procure.rules.matchers import BlockContext
    from ospo_procure.scoring import score_result
    from ospo_procure.tokenizer import Tokenizer

    compiled = compile_rules(ruleset, "en")
    lint_document(doc, language="en", ruleset=ruleset)  # warm every cache
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    counts: dict[str, int] = {}
    clock = _Clock()
    originals = Tokenizer.tokens, Tokenizer.sentences
    Tokenizer.tokens, Tokenizer.sentences = clock.wrap(Tokenizer.tokens), clock.wrap(Tokenizer.sentences)  # type: ignore[method-assign]
    try:
        for _ in range(runs):
            t: dict[str, float] = defaultdict(float)
            clock.seconds, clock.blocks = 0.0, set()
            with_candidates = 0
            c = time.process_time()
            roles = RoleStage(ruleset.roles, DocumentContext(ruleset.roles, doc.blocks, "en", ruleset.products))
            t["role stage: document context (sections, stated object)"] += time.process_time() - c
            for index, block in enumerate(doc.blocks):
                ctx = BlockContext(block.text, "en", index=index, tables=compiled.tables)
                cands = []
                for kind, scanner in compiled.scanners.items():
                    c = time.process_time()
                    cands.extend(x for x in scanner.scan(ctx) if x.matcher is None or x.matcher.accepts(x, ctx))
                    t[f"scan: {kind}"] += time.process_time() - c
                with_candidates += bool(cands)
                c = time.process_time()
                kept = roles.assign(cands, ctx)
                t["role stage: roles and rule exceptions"] += time.process_time() - c
                c = time.process_time()
                for cand in _resolve_overlaps(kept, block.text):
                    ctx.sentence(cand.start, cand.end)
                t["overlaps and finding sentences"] += time.process_time() - c
            t["  of which tokens and sentence spans"] = clock.seconds
            c = time.process_time()
            result = lint_document(doc, language="en", ruleset=ruleset, score=False)
            t["(a whole lint_document without scoring)"] += time.process_time() - c
            c = time.process_time()
            score_result(result, ruleset)
            t["(scoring)"] += time.process_time() - c
            for k, v in t.items():
                best[k] = min(best[k], v)
            counts = {"blocks": len(doc.blocks), "candidates": with_candidates, "tokenized": len(clock.blocks)}
    finally:
        Tokenizer.tokens, Tokenizer.sentences = originals  # type: ignore[method-assign]
    for k, v in best.items():
        print(f"  {k:<58} {v * 1000:7.1f} ms")
    n = counts["blocks"]
    print(
        f"blocks: {n}; with a candidate: {counts['candidates']} ({counts['candidates'] / n:.0%}); "
        f"tokenized (phrase prefilter hit, or sentence spans needed): {counts['tokenized']} "
        f"({counts['tokenized'] / n:.0%})"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=40_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dense", action="store_true")
    args = ap.parse_args()
    startup_figures()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tender.docx"
        words = make_tender(path, args.words, dense=args.dense)
        from ospo_procure.readers import read_document
        from ospo_procure.rules import load_ruleset

        doc = read_document(path)
        print(f"document: {words:,} words, {len(doc.blocks):,} blocks; CPU time per stage, best of {args.runs}:")
        stage_figures(doc, load_ruleset(), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
