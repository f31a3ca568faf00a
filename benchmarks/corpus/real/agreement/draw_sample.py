"""Draw the inter-labeller agreement sample of the real-tender corpus (fixed seed, reproducible).

`python benchmarks/corpus/real/agreement/draw_sample.py` writes `sample.txt` beside this file:
- excerpts: per language (en/es/pt/fr) and split (dev/test), EXCERPTS_PER_CELL documents drawn
  at random among those whose first label file has at least one span; in one cell per language
  (dev or test, drawn) one of them is instead drawn among documents with no span, so that quiet
  documents are measured too;
- whole/long documents (they carry criterion bands): WHOLE_PER_SPLIT per split, drawn among
  those whose reader text is at most WHOLE_BUDGET characters (the second labeller's time budget),
  taking languages in turn so that each split gets more than English when it can.
Only the number of spans of each first label file is read, never the labels themselves: the
second labeller labels the sample before looking at them.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # benchmarks/

from realcorpus import ROOT, read_manifest  # noqa: E402

from ospo_procure.readers import read_document  # noqa: E402

SEED = 9
EXCERPTS_PER_CELL = 4
WHOLE_PER_SPLIT = 3
WHOLE_BUDGET = 15_000
LANGUAGES = ("en", "es", "pt", "fr")
SPLITS = ("dev", "test")


def _has_spans(doc_id: str) -> bool:
    data = yaml.safe_load((ROOT / "labels" / f"{doc_id}.yaml").read_text(encoding="utf-8")) or {}
    return bool(data.get("spans"))


def draw() -> list[str]:
    rng = random.Random(SEED)
    rows = read_manifest(ROOT)
    chosen: list[str] = []
    for lang in LANGUAGES:
        quiet_split = rng.choice(SPLITS)
        for split in SPLITS:
            cell = sorted(
                r["id"] for r in rows if r["kind"] == "excerpt" and (r["language"], r["split"]) == (lang, split)
            )
            labelled = [i for i in cell if _has_spans(i)]
            quiet = [i for i in cell if i not in labelled]
            n_quiet = 1 if split == quiet_split and quiet else 0
            chosen += rng.sample(labelled, EXCERPTS_PER_CELL - n_quiet) + rng.sample(quiet, n_quiet)
    for split in SPLITS:
        long_docs = sorted(
            (r for r in rows if r["kind"] in ("whole", "long") and r["split"] == split), key=lambda r: r["id"]
        )
        fits = [
            r for r in long_docs if sum(len(b.text) for b in read_document(ROOT / r["path"]).blocks) <= WHOLE_BUDGET
        ]
        rng.shuffle(fits)
        taken: list[str] = []
        while len(taken) < WHOLE_PER_SPLIT and len(taken) < len(fits):
            seen = {r["language"] for r in fits if r["id"] in taken}
            rest = [r for r in fits if r["id"] not in taken]
            pick = next((r for r in rest if r["language"] not in seen), rest[0])
            taken.append(pick["id"])
        chosen += taken
    return chosen


def main() -> None:
    ids = draw()
    (HERE / "sample.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    print(f"{len(ids)} documents written to {HERE / 'sample.txt'}")


if __name__ == "__main__":
    main()
