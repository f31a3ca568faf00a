"""Regression floors on the real-tender corpus (benchmarks/corpus/real/, docs/labelling.md).

Runs the real-corpus evaluation of benchmarks/real_eval.py on both parts, per language, and
asserts finding precision and recall and a ceiling on role errors (error findings on a mention
whose role is example, existing, procedural, excluded, negated, commentary or history), a little
below what the rules reach today. It lists no errors (the test part is sealed: figures only), so a
failure says which figure fell; investigate on the development part with
`python benchmarks/corpus_eval.py --real --split dev --show-errors`.

The floors are not the targets of issue 9 (precision 0.92, recall 0.88 per language on the test
part); they only stop the figures from falling back. Raise them when the rules improve.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from real_eval import Baseline, Tally, evaluate_doc  # noqa: E402
from realcorpus import load_corpus  # noqa: E402

# Recall floors for dev es/fr/pt and test pt were lowered when adjudication round 1 labelled
# sole-source statements and platform pairs the first labelling had left out (REVIEW.md); the
# dev-en floors moved when 12 lock-in-heavy English documents joined the dev part. All floors were
# set again when 46 documents from 37 new buyers joined (168 documents; the new Spanish excerpts
# lowered es precision on both parts), at the figures the rules reached on them before any tuning;
# the dev floors were raised after the fifth round of rules (dev: all 0.94 / 0.79, role errors 22).
# Set again when 98 documents from 64 new buyers joined (266 documents; the fresh batch gave
# findings 0.42 / 0.46 on its development part and 0.66 / 0.44 on its test part before any
# tuning), after the sixth round of rules (dev all 0.88 / 0.74, role errors 75; test 0.72 / 0.57).
# Set again when 55 documents from 52 new buyers joined (321 documents; before any tuning the
# fresh batch gave findings 0.56 / 0.61 on its development part and 0.64 / 0.51 on its test part),
# with role errors counted at error level only: a product no cue decides is now a warning.
# Raised after the seventh round (dev all 0.85 / 0.79; test 0.73 / 0.62, English recall 0.54 to
# 0.60 from where tenders state their object and which vendor supplies it).
# Set again when 81 documents from 73 new buyers joined (402 documents; before any tuning the
# fresh batch gave findings 0.40 / 0.44 on its development part and 0.61 / 0.37 on its test part,
# a plain brand list 0.22 / 0.49 and 0.15 / 0.25), at the figures the rules reached on it.
# After the eighth round (dev all 0.84 / 0.81; test 0.73 / 0.61), role errors at error level fell
# from 66 to 39 on dev and from 85 to 27 on test (English 79 to 24): requirements headings no
# longer decide a role, and installed-base prose is read in four languages (docs/roles.md).
# Set again when 75 documents from 74 new buyers joined (477 documents; before any tuning the
# fresh batch gave findings 0.53 / 0.35 on its development part and 0.33 / 0.50 on its test part,
# a plain brand list 0.24 / 0.46 and 0.16 / 0.50), at the figures the rules reached on it.
# After the ninth round (dev all 0.87 / 0.84, role errors 39 -> 29, English 24 -> 15; test
# 0.71 / 0.61 -> 0.72 / 0.61, role errors 28): the fresh batch's dev part went 0.53 / 0.35 ->
# 0.84 / 0.62 once tuned on, its test part 0.33 / 0.50 -> 0.35 / 0.54.
# Set again for the eighth fresh batch (147 excerpts from 141 new buyers, labelled before any lint
# run; before any tuning it gave findings 0.64 / 0.66 on its development part and 0.81 / 0.49 on
# its test part, a plain brand list 0.49 / 0.48 and 0.56 / 0.34), at the figures the rules reached
# on the grown corpus (dev all 0.86 / 0.83; test 0.73 / 0.60).
# Raised after the tenth round (dev all 0.89 / 0.84, role errors 30 -> 20; test 0.73 / 0.60 ->
# 0.73 / 0.65, English recall 0.60 -> 0.66 from cloud services and platform vendors named alone
# reported as proprietary technology too). The test Portuguese ceiling went 1 -> 2: one installed
# VMware mention already reported as a brand now also gives the technology finding.
# (split, language): (finding precision floor, finding recall floor, role errors ceiling)
FLOORS = {
    ("dev", "en"): (0.86, 0.85, 9),
    ("dev", "es"): (0.94, 0.72, 1),
    ("dev", "fr"): (0.85, 0.89, 3),
    ("dev", "pt"): (0.92, 0.83, 7),
    ("test", "en"): (0.71, 0.65, 25),
    ("test", "es"): (0.73, 0.52, 4),
    ("test", "fr"): (0.74, 0.59, 0),
    ("test", "pt"): (0.76, 0.63, 2),
}


@pytest.fixture(scope="module")
def tallies() -> dict[tuple[str, str], Tally]:
    baseline = Baseline()
    per: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for doc in load_corpus():
        assert not doc.problems, (doc.id, doc.problems[:3])
        per[(doc.meta["split"], doc.meta["language"])].add(evaluate_doc(doc, baseline, None))
    return dict(per)


@pytest.mark.parametrize("part", sorted(FLOORS), ids=[f"{s}-{lang}" for s, lang in sorted(FLOORS)])
def test_findings_stay_above_their_floors(tallies, part):
    p_floor, r_floor, role_ceiling = FLOORS[part]
    t = tallies[part]
    p, r = t.findings.p(), t.findings.r()
    assert p is not None and p >= p_floor, f"{part}: finding precision {p} fell below {p_floor}"
    assert r is not None and r >= r_floor, f"{part}: finding recall {r} fell below {r_floor}"
    assert t.role_errors <= role_ceiling, f"{part}: {t.role_errors} role errors, more than {role_ceiling}"


def test_every_part_and_language_has_a_floor(tallies):
    assert set(tallies) == set(FLOORS)
