"""The miss classes of findings and evidence that `corpus_eval.py --real --classify` counts."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from real_eval import Pred, evidence_miss_class, finding_miss_class  # noqa: E402
from realcorpus import Label, Located  # noqa: E402


def _lab(kind: str, category: str, block: int, start: int, end: int) -> Located:
    return Located(Label(kind, category, None, "x" * (end - start), None, ""), block, start, end)


def _pred(category: str, block: int, start: int, end: int, severity: str = "info", role: str | None = None) -> Pred:
    return Pred(category, block, start, end, severity, "", role)


def test_a_missed_label_is_classed_by_what_the_linter_put_near_it() -> None:
    label = _lab("evidence", "source_code_access", 3, 10, 40)
    assert evidence_miss_class("FN", label, [_pred("open_license_of_deliverables", 3, 30, 50)], [label]) == "confused"
    assert evidence_miss_class("FN", label, [_pred("source_code_access", 3, 60, 80)], [label]) == "placed"
    assert evidence_miss_class("FN", label, [_pred("source_code_access", 4, 0, 20)], [label]) == "adjacent"
    assert evidence_miss_class("FN", label, [_pred("source_code_access", 6, 0, 20)], [label]) == "nothing"


def test_a_false_item_is_classed_by_the_labels_around_it() -> None:
    pred = _pred("open_standards", 2, 0, 10)
    other = _lab("evidence", "exit_portability", 2, 5, 30)
    assert evidence_miss_class("FP", pred, [pred], [other]) == "confused"
    same_block = _lab("evidence", "open_standards", 2, 50, 70)
    assert evidence_miss_class("FP", pred, [pred], [same_block]) == "placed"
    signal = _lab("signal", "proprietary_format", 2, 0, 8)
    assert evidence_miss_class("FP", pred, [pred], [signal]) == "lockin"
    assert evidence_miss_class("FP", pred, [pred], []) == "nothing"


def test_a_missed_signal_says_whether_the_role_stage_quieted_it_or_nothing_reached_it() -> None:
    label = _lab("signal", "brand", 1, 10, 20)
    other = _pred("proprietary_technology", 1, 10, 20, "error")
    assert finding_miss_class("FN", label, [other], [], [], [label]) == "confused"
    quiet = _pred("brand", 1, 12, 18, "info", "procedural")
    assert finding_miss_class("FN", label, [], [quiet], [], [label]) == "info:procedural"
    elsewhere = _pred("brand", 1, 40, 50, "error")
    assert finding_miss_class("FN", label, [elsewhere], [], [], [label]) == "placed"
    listed = _pred("brand", 1, 10, 20, "error")
    assert finding_miss_class("FN", label, [], [], [listed], [label]) == "listed"
    assert finding_miss_class("FN", label, [], [], [], [label]) == "nothing"


def test_a_false_finding_names_the_labelled_role_it_ignored() -> None:
    pred = _pred("brand", 4, 0, 9, "error")
    existing = Located(Label("mention", "brand", "existing", "x" * 9, None, ""), 4, 0, 9)
    assert finding_miss_class("FP", pred, [pred], [], [], [existing]) == "mention:existing"
    tech = _lab("signal", "proprietary_technology", 4, 0, 9)
    assert finding_miss_class("FP", pred, [pred], [], [], [tech]) == "confused"
    same = _lab("signal", "brand", 4, 30, 40)
    assert finding_miss_class("FP", pred, [pred], [], [], [same]) == "placed"
    assert finding_miss_class("FP", pred, [pred], [], [], []) == "nothing"
