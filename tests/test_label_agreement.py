"""The inter-labeller agreement of the real-tender corpus (benchmarks/label_agreement.py), run on
the committed sample: the second labeller's labels against the first's, matched as real_eval.py
matches the linter."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from label_agreement import AGREEMENT, KINDS, Agreement, cohen_kappa, f1, run  # noqa: E402
from realcorpus import ROOT as CORPUS  # noqa: E402
from realcorpus import read_manifest  # noqa: E402


def _figures(a: Agreement) -> list[float]:
    out: list[float | None] = []
    for kind in KINDS:
        c = a.kind(kind)
        out += [c.p(), c.r(), f1(c)]
    for pairs in (list(a.roles.items()), [((x, y), n) for (_, x, y), n in a.bands.items()]):
        total = sum(n for _, n in pairs)
        out.append(sum(n for (x, y), n in pairs if x == y) / total if total else None)
    return [x for x in out if x is not None]


def test_the_committed_sample_gives_figures_in_range_and_lists_only_dev_documents() -> None:
    report = run()
    sample = (AGREEMENT / "sample.txt").read_text(encoding="utf-8").split()
    assert len(sample) >= 30
    for part in ("all", "dev", "test"):
        a = report.totals[part]
        assert a.kind("signal").lab > 0 and a.kind("signal").pred > 0
        figures = _figures(a)
        assert len(figures) >= 9, part  # P, R, F1 of each kind, roles and bands are defined
        assert all(0.0 <= x <= 1.0 for x in figures), (part, figures)
        band_pairs = [(x, y) for (_, x, y), n in a.bands.items() for _ in range(n)]
        kappa = cohen_kappa(band_pairs, ("low", "mid", "high"))
        assert kappa is not None and -1.0 <= kappa <= 1.0
    # the test part is sealed: its disagreements are counted, never listed
    test_ids = {r["id"] for r in read_manifest(CORPUS) if r["id"] in sample and r["split"] == "test"}
    assert test_ids
    listing = report.lines[report.lines.index("DISAGREEMENTS (development part only)") + 1 :]
    listing = listing[: listing.index("")]
    assert not [line for line in listing if any(f" {i} " in f" {line} " for i in test_ids)]


def test_labels_compared_with_themselves_agree_fully(tmp_path: Path) -> None:
    # three documents of the sample with bands, spans and roles: the first labels copied as a second
    ids = ["pt-mz-ormm-tdr-sistema-gestao", "fr-fr-amue-note-accord-cadre-sap-bo", "en-in-mnnit-amc-networking-servers"]
    (tmp_path / "labels").mkdir()
    for i in ids:
        shutil.copy(CORPUS / "labels" / f"{i}.yaml", tmp_path / "labels" / f"{i}.yaml")
    (tmp_path / "sample.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    a = run(label_dir=tmp_path / "labels").totals["all"]
    for kind in ("signal", "evidence"):
        c = a.kind(kind)
        assert c.lab > 0 and c.p() == c.r() == f1(c) == 1.0
    assert a.roles and all(x == y for x, y in a.roles)
    assert sum(a.bands.values()) == 9 and all(x == y for _, x, y in a.bands)


def test_cohen_kappa_matches_a_worked_example() -> None:
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 -> p_o 0.7, p_e 0.5, kappa 0.4
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert abs((cohen_kappa(pairs, ("yes", "no")) or 0) - 0.4) < 1e-9
    # linear weights on three ordered bands: a low/high disagreement weighs more than low/mid
    near = [("low", "low"), ("mid", "mid"), ("high", "high"), ("low", "mid")]
    far = [("low", "low"), ("mid", "mid"), ("high", "high"), ("low", "high")]
    bands = ("low", "mid", "high")
    assert (cohen_kappa(near, bands, weighted=True) or 0) > (cohen_kappa(far, bands, weighted=True) or 0)
    assert cohen_kappa([("low", "low")] * 3, bands) is None  # chance agreement is total
