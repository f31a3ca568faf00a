"""Where lint time goes, stage by stage, on the generated tender of bench_lint.py. Prints
figures (CPU seconds, best of N runs); asserts nothing.

    python benchmarks/lint_stages.py [--words 40000] [--runs 5] [--dense]

Stages: start-up (spaCy import, rule folder load, pipeline and matcher build) in fresh
processes, then one lint split into the spaCy pipeline (tokenizer, sentencizer, lookup
lemmas), each matcher kind's scanner, the role stage, findings and scoring. It also counts
the blocks where a matcher that needs no spaCy (lexicons, regexes) finds a candidate, and
the blocks where only the spaCy matchers (phrases, tokens) do: what running spaCy only where
candidates exist could save. The loop mirrors lint.lint_document; keep them in step.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lint import make_tender

STARTUP = {
    "import spacy": "import spacy",
    "import ospo_procure.lint (no spaCy)": "import ospo_procure.lint",
    "load_ruleset (validated before)": "from ospo_procure.rules import load_ruleset; load_ruleset()",
    "load_ruleset + compile_rules('en')": (
        "from ospo_procure.rules import load_ruleset; from ospo_procure.matching import compile_rules; "
        "compile_rules(load_ruleset(), 'en')"
    ),
}


def startup_figures() -> None:
    base = _child("pass")
    print(f"fresh python: {base:.2f} s")
    for label, code in STARTUP.items():
        print(f"  + {label}: {_child(code) - base:.2f} s")


def _child(code: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def stage_figures(doc, ruleset, runs: int) -> None:
    from ospo_procure.lint import _resolve_overlaps, lint_document, sentence_spans
    from ospo_procure.matching import compile_rules
    from ospo_procure.roles import DocumentContext, RoleStage
    from ospo_procure.rules.matchers import BlockContext
    from ospo_procure.scoring import score_result

    compiled = compile_rules(ruleset, "en")
    lint_document(doc, language="en", ruleset=ruleset)  # warm every cache
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    counts: dict[str, int] = {}
    for _ in range(runs):
        t: dict[str, float] = defaultdict(float)
        free_blocks = spacy_only_blocks = 0
        c = time.process_time()
        roles = RoleStage(ruleset.roles, DocumentContext(ruleset.roles, doc.blocks, "en", ruleset.products))
        t["role stage: document context (sections, stated object)"] += time.process_time() - c
        c = time.process_time()
        sdocs = list(compiled.nlp.pipe([b.text for b in doc.blocks], batch_size=256))
        t["spaCy pipeline (tokenizer, sentencizer, lemmas)"] += time.process_time() - c
        for index, (block, sdoc) in enumerate(zip(doc.blocks, sdocs, strict=True)):
            c = time.process_time()
            ctx = BlockContext(block.text, sentence_spans(sdoc, len(block.text)), "en", index=index, doc=sdoc)
            t["sentence spans"] += time.process_time() - c
            cands = []
            found = {}
            for kind, scanner in compiled.scanners.items():
                c = time.process_time()
                got = [x for x in scanner.scan(ctx) if x.matcher is None or x.matcher.accepts(x, ctx)]
                t[f"scan: {kind}"] += time.process_time() - c
                found[kind] = bool(got)
                cands.extend(got)
            free = found.get("lexicon") or found.get("regex")
            free_blocks += bool(free)
            spacy_only_blocks += bool(not free and (found.get("phrases") or found.get("tokens")))
            c = time.process_time()
            kept = roles.assign(cands, ctx)
            t["role stage: roles and rule exceptions"] += time.process_time() - c
            c = time.process_time()
            _resolve_overlaps(kept, block.text)
            t["overlaps"] += time.process_time() - c
        c = time.process_time()
        score_result(lint_document(doc, language="en", ruleset=ruleset, score=False), ruleset)
        t["(a whole lint_document without scoring, plus scoring)"] += time.process_time() - c
        for k, v in t.items():
            best[k] = min(best[k], v)
        counts = {"blocks": len(doc.blocks), "free": free_blocks, "spacy_only": spacy_only_blocks}
    for k, v in best.items():
        print(f"  {k:<58} {v * 1000:7.1f} ms")
    n = counts["blocks"]
    print(
        f"blocks: {n}; with a lexicon or regex candidate: {counts['free']} ({counts['free'] / n:.0%}); "
        f"with phrase/token candidates only: {counts['spacy_only']} ({counts['spacy_only'] / n:.0%})"
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
