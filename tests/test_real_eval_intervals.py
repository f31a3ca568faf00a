"""The bootstrap intervals that `corpus_eval.py --real --ci` prints under each figure."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from real_eval import Counts, Tally, intervals  # noqa: E402


def _doc(tp: int, pred: int, lab_ok: int, lab: int) -> Tally:
    t = Tally()
    t.findings = Counts(tp_pred=tp, pred=pred, tp_lab=lab_ok, lab=lab)
    t.evidence = Counts(tp_pred=1, pred=2, tp_lab=1, lab=1)
    return t


def _bounds(line: str, name: str) -> tuple[float, float]:
    part = line.split(": ", 1)[1].split(", ")
    lo, hi = next(p for p in part if p.startswith(name + " "))[len(name) + 1 :].split("-")
    return float(lo), float(hi)


def test_identical_documents_give_a_point_interval() -> None:
    line = intervals([_doc(3, 4, 3, 6)] * 8)
    assert _bounds(line, "find P") == (0.75, 0.75)
    assert _bounds(line, "R") == (0.5, 0.5)


def test_interval_spans_the_documents_and_is_reproducible() -> None:
    docs = [_doc(1, 1, 1, 1), _doc(0, 1, 0, 1), _doc(2, 4, 2, 3), _doc(5, 5, 4, 8)] * 3
    line = intervals(docs)
    lo, hi = _bounds(line, "find P")
    pooled = sum(d.findings.tp_pred for d in docs) / sum(d.findings.pred for d in docs)
    assert 0.0 <= lo < pooled < hi <= 1.0
    assert intervals(docs) == line  # fixed seed


def test_measure_undefined_in_most_draws_is_left_out() -> None:
    # One document in twelve has predictions: most draws have none, so precision has no interval.
    docs = [_doc(1, 1, 1, 1)] + [_doc(0, 0, 0, 1)] * 11
    line = intervals(docs)
    assert "find P" not in line
    assert _bounds(line, "R")[1] > 0
