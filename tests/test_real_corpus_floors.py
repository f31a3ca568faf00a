"""Regression floors on the real-tender corpus (benchmarks/corpus/real/, docs/labelling.md).

Runs the same measurement as `python benchmarks/corpus_eval.py --real` on both parts and
checks evidence precision and recall, per category where the development part has labels,
and criterion band agreement against floors a little below the figures reached when the
floors were set (see docs/scoring.md). Only figures are read here, never the test part's
errors: the test part stays sealed for tuning.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from real_eval import Baseline, Tally, evaluate_doc  # noqa: E402
from realcorpus import load_corpus  # noqa: E402

# Figures when these floors were set (evidence and rubric work on issue 9, second round):
#   dev:  evidence P 0.85 R 0.92, bands 0.81;  test: evidence P 0.55 R 0.60, bands 0.72.
# Set again when 46 documents from 37 new buyers joined (168 documents), before any tuning on them:
#   dev:  evidence P 0.75 R 0.82, bands 0.77;  test: evidence P 0.62 R 0.62, bands 0.74.
# After the fifth round of rules and rubric:
#   dev:  evidence P 0.84 R 0.86, bands 0.85;  test: evidence P 0.61 R 0.61, bands 0.74.
# Set again when 98 documents joined (266 documents), after the sixth round:
#   dev:  evidence P 0.79 R 0.77, bands 0.79;  test: evidence P 0.62 R 0.58, bands 0.72.
# Set again when 55 documents from 52 new buyers joined (321 documents), before any tuning on them:
#   dev:  evidence P 0.78 R 0.75, bands 0.78;  test: evidence P 0.61 R 0.51, bands 0.74.
# After the seventh round (evidence wording in four languages):
#   dev:  evidence P 0.83 R 0.87, bands 0.78;  test: evidence P 0.61 R 0.53, bands 0.74.
# Set again when 81 documents from 73 new buyers joined (402 documents), before any tuning on them:
#   dev:  evidence P 0.81 R 0.82, bands 0.76;  test: evidence P 0.61 R 0.52, bands 0.72.
# After the eighth round (evidence from each legal framework's terms in es/pt/fr):
#   dev:  evidence P 0.81 R 0.83, bands 0.76;  test: evidence P 0.61 R 0.53, bands 0.72.
# Set again when 75 documents from 74 new buyers joined (477 documents), before any tuning on them:
#   dev:  evidence P 0.80 R 0.79, bands 0.76;  test: evidence P 0.61 R 0.52, bands 0.72.
# After the ninth round (roles, signals, evidence in es/pt/fr, a calibrated rubric: brands counted
# once per product, facts as floors and ceilings):
#   dev:  evidence P 0.81 R 0.81, bands 0.81;  test: evidence P 0.61 R 0.53, bands 0.75.
# Set again when 147 excerpts from 141 new buyers joined (624 documents), before any tuning on them:
#   dev:  evidence P 0.81 R 0.81, bands 0.81;  test: evidence P 0.61 R 0.52, bands 0.75.
# After the tenth round (evidence in each country's legal vocabulary, a rubric that reads no fact
# from a contents entry, roles of the installed base):
#   dev:  evidence P 0.82 R 0.82, bands 0.84;  test: evidence P 0.62 R 0.52, bands 0.76.
FLOORS = {
    "dev": {"evidence_p": 0.81, "evidence_r": 0.81, "bands": 0.83},
    "test": {"evidence_p": 0.60, "evidence_r": 0.51, "bands": 0.75},
}
# Development-part recall per evidence category (categories with at least 10 labels); set again
# at 477 documents (exit 0.78, tco 0.76, weights 0.91 before any tuning on the seventh batch);
# open licences 0.77 -> 0.75 at 624 documents (0.76 before any tuning on the eighth batch); the
# others raised after the tenth round.
DEV_CATEGORY_RECALL = {
    "exit_portability": 0.77,
    "open_license_of_deliverables": 0.75,
    "open_standards": 0.73,
    "or_equivalent": 0.96,
    "oss_allowed": 0.86,
    "source_code_access": 0.69,
    "tco": 0.83,
    "weighted_award_criteria": 0.94,
}


@lru_cache(maxsize=2)
def _tally(split: str) -> Tally:
    baseline = Baseline()
    total = Tally()
    docs = load_corpus(split=split)
    assert docs, f"no documents in the {split} part"
    for doc in docs:
        total.add(evaluate_doc(doc, baseline, None))
    return total


@pytest.mark.parametrize("split", ["dev", "test"])
def test_evidence_and_band_floors(split: str) -> None:
    t = _tally(split)
    floors = FLOORS[split]
    p, r = t.evidence.p(), t.evidence.r()
    bands = t.bands_ok / t.bands
    assert p is not None and p >= floors["evidence_p"], f"{split} evidence precision {p}"
    assert r is not None and r >= floors["evidence_r"], f"{split} evidence recall {r}"
    assert bands >= floors["bands"], f"{split} band agreement {bands:.2f} ({t.bands_ok}/{t.bands})"


def test_dev_evidence_recall_per_category() -> None:
    t = _tally("dev")
    low = {
        cat: f"{c.r():.2f}"
        for cat, floor in DEV_CATEGORY_RECALL.items()
        if (c := t.evidence_by_category[cat]).r() is not None and c.r() < floor  # type: ignore[operator]
    }
    assert not low, f"evidence recall below its floor on the development part: {low}"
