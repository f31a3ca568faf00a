"""How far two labellers of the real-tender corpus agree: the ceiling of the linter's figures.

The first labels are `benchmarks/corpus/real/labels/`; the second labeller's, made independently
by docs/labelling.md on the sample listed in `corpus/real/agreement/sample.txt`, are
`corpus/real/agreement/labels/`. Items are matched exactly as `real_eval.py` matches the linter
to the labels (overlap in the same block, same category, through its `score`), with the second
labeller in the linter's place: precision is the share of the second labeller's items that the
first also labelled, recall the share of the first's items that the second found, and F1 (the
same whichever labeller is taken first) is the agreement figure. Also: role agreement on
overlapping signals and mentions of one category, criterion band agreement with Cohen's kappa.
Disagreements are listed for the development part only; the test part's are counted.

    python benchmarks/label_agreement.py [--by-category]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from real_eval import Counts, Pred, _f, evidence_miss_class, finding_miss_class, score
from realcorpus import BANDS, ROOT, CorpusDoc, Located, load_corpus, locate, overlaps

AGREEMENT = ROOT / "agreement"
KINDS = ("signal", "evidence", "mention")


def _as_pred(loc: Located) -> Pred:
    """A second-labeller item in the place `score` gives a prediction; `what` ends with the role
    in brackets, as the linter's findings do, so `finding_miss_class` reads it."""
    role = f" [{loc.label.role}]" if loc.label.role else ""
    return Pred(loc.label.category, loc.block, loc.start, loc.end, "label", f"{loc.label.text[:70]!r}{role}")


@dataclass
class Agreement:
    """Counts for one document or a sum of them. `items[(kind, category)]`: the second
    labeller's items (pred) against the first's (lab)."""

    items: dict[tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    # (first role, second role) of overlapping signal/mention items of one category
    roles: Counter[tuple[str, str]] = field(default_factory=Counter)
    # (criterion, first band, second band)
    bands: Counter[tuple[int, str, str]] = field(default_factory=Counter)
    # (kind, "only first" | "only second", class) -> count: the disagreement classes
    classes: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def add(self, other: Agreement) -> None:
        for k, c in other.items.items():
            self.items[k].add(c)
        self.roles.update(other.roles)
        self.bands.update(other.bands)
        self.classes.update(other.classes)

    def kind(self, kind: str) -> Counts:
        total = Counts()
        for (k, _), c in self.items.items():
            if k == kind:
                total.add(c)
        return total


def f1(c: Counts) -> float | None:
    p, r = c.p(), c.r()
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def cohen_kappa(pairs: Iterable[tuple[str, str]], categories: tuple[str, ...], weighted: bool = False) -> float | None:
    """Cohen's kappa of two raters' paired labels; `weighted` uses linear weights on the order of
    `categories` (bands are ordinal: low/high is a worse disagreement than low/mid). None when
    chance agreement is total (every item in one category) or there are no pairs."""
    pairs = list(pairs)
    if not pairs:
        return None
    index = {c: i for i, c in enumerate(categories)}
    k, n = len(categories), len(pairs)

    def weight(a: str, b: str) -> float:
        if not weighted:
            return float(a == b)
        return 1 - abs(index[a] - index[b]) / (k - 1)

    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    observed = sum(weight(a, b) for a, b in pairs) / n
    expected = sum(first[a] * second[b] * weight(a, b) for a in categories for b in categories) / n**2
    return None if expected >= 1 else (observed - expected) / (1 - expected)


def compare_doc(first: CorpusDoc, second: CorpusDoc, listing: list[str] | None) -> Agreement:
    """One document's agreement; `listing` collects its disagreements (development part)."""
    a = Agreement()
    where = first.id
    for kind in KINDS:
        ones = [loc for loc in first.located if loc.label.kind == kind]
        twos = [loc for loc in second.located if loc.label.kind == kind]
        preds = [_as_pred(t) for t in twos]
        why = _classifier(kind, preds, first, second)
        lines: list[str] = []
        classes: Counter[tuple[str, str]] = Counter()
        score(preds, ones, lines, where, why, classes)
        for (side, tag), n in classes.items():
            a.classes[(kind, "only second" if side == "FP" else "only first", tag)] += n
        if listing is not None:
            listing += [_renamed(kind, line) for line in lines]
        for cat in {loc.label.category for loc in (*ones, *twos)}:
            a.items[(kind, cat)] = score(
                [p for p in preds if p.category == cat], [o for o in ones if o.label.category == cat], None, ""
            )
    _roles(first, second, a, listing)
    for n in sorted(set(first.bands) & set(second.bands)):
        pair = (first.bands[n], second.bands[n])
        a.bands[(n, *pair)] += 1
        if listing is not None and pair[0] != pair[1]:
            listing.append(f"BAND {where} criterion {n}: first {pair[0]}, second {pair[1]}")
    return a


def _classifier(
    kind: str, preds: list[Pred], first: CorpusDoc, second: CorpusDoc
) -> Callable[[str, Pred | Located], str]:
    """Why an item is one labeller's only, by the classes real_eval.py gives the linter's errors.
    For signals, one labeller's signal that the other labelled as a mention shows as `info:<role>`
    (first's signal, second's mention of that role) or `mention:<role>` (the reverse)."""
    if kind == "evidence":
        return lambda k, item: evidence_miss_class(k, item, preds, first.located)
    if kind == "signal":
        quiet = [_as_pred(t) for t in second.located if t.label.kind == "mention"]
        return lambda k, item: finding_miss_class(k, item, preds, quiet, [], first.located)
    return lambda k, item: _mention_class(k, item, first, second)


def _mention_class(kind: str, item: Pred | Located, first: CorpusDoc, second: CorpusDoc) -> str:
    """Why a mention is one labeller's only: the other made it a `signal:<role>` (same category,
    overlapping), labelled another category there (`confused`), or nothing (`nothing`)."""
    other = second if kind == "FN" else first
    near = [t for t in other.located if t.label.kind != "evidence" and overlaps(item, t)]
    cat = item.label.category if isinstance(item, Located) else item.category
    signals = sorted({str(t.label.role) for t in near if t.label.kind == "signal" and t.label.category == cat})
    if signals:
        return "signal:" + "/".join(signals)
    return "confused" if near else "nothing"


def _renamed(kind: str, line: str) -> str:
    side, rest = line.split(" ", 1)
    return f"{kind.upper()} {'ONLY-2ND' if side == 'FP' else 'ONLY-1ST'} {rest}"


def _roles(first: CorpusDoc, second: CorpusDoc, a: Agreement, listing: list[str] | None) -> None:
    """Each first-labeller signal or mention that a second-labeller signal or mention of the same
    category overlaps is a pair; the pair agrees when one of the overlapping items has its role."""
    has_role = [t for t in second.located if t.label.role]
    for one in first.located:
        if not one.label.role:
            continue
        twos = [t for t in has_role if t.label.category == one.label.category and overlaps(one, t)]
        if not twos:
            continue
        same = next((t for t in twos if t.label.role == one.label.role), None)
        role2 = str((same or twos[0]).label.role)
        a.roles[(str(one.label.role), role2)] += 1
        if same is None and listing is not None:
            listing.append(
                f"ROLE {first.id} {one.label.category} {one.label.text[:70]!r}: first {one.label.role}, second {role2}"
            )


def load_pairs(root: Path = ROOT, label_dir: Path = AGREEMENT / "labels") -> list[tuple[CorpusDoc, CorpusDoc]]:
    """(first labels, second labels) for every document of the sample."""
    ids = [i for i in (label_dir.parent / "sample.txt").read_text(encoding="utf-8").split() if i]
    seconds = {d.id: d for d in load_corpus(root, label_dir=label_dir)}
    missing = [i for i in ids if i not in seconds]
    if missing:
        raise SystemExit(f"no second label file for {', '.join(missing)} in {label_dir}")
    firsts = {d.id: d for d in load_corpus(root, read=False) if d.id in seconds}
    for d in firsts.values():
        d.document = seconds[d.id].document  # the same file read by the same reader
        locate(d)
    problems = [f"{d.id}: {p}" for d in (*firsts.values(), *seconds.values()) for p in d.problems]
    if problems:
        raise SystemExit("label problems; run `python benchmarks/realcorpus.py check` first:\n" + "\n".join(problems))
    return [(firsts[i], seconds[i]) for i in ids]


@dataclass
class Report:
    lines: list[str]
    totals: dict[str, Agreement]  # "all", "dev", "test"


def _row(name: str, a: Agreement) -> str:
    parts = []
    for kind in KINDS:
        c = a.kind(kind)
        parts.append(f"{kind} P {_f(c.p())} R {_f(c.r())} F1 {_f(f1(c))} ({c.pred}/{c.lab})")
    role_ok, role_n = sum(n for (x, y), n in a.roles.items() if x == y), sum(a.roles.values())
    band_ok, band_n = sum(n for (_, x, y), n in a.bands.items() if x == y), sum(a.bands.values())
    return (
        f"{name:<6} "
        + "  ".join(parts)
        + f"  roles {_f(role_ok / role_n if role_n else None)} ({role_ok}/{role_n})"
        + f"  bands {_f(band_ok / band_n if band_n else None)} ({band_ok}/{band_n})"
    )


def _details(a: Agreement) -> list[str]:
    roles = sorted({r for pair in a.roles for r in pair})
    band_pairs = [(x, y) for (_, x, y), n in a.bands.items() for _ in range(n)]
    lines = [
        f"       role kappa {_f(cohen_kappa((p for p, n in a.roles.items() for _ in range(n)), tuple(roles)))} "
        f"over {sum(a.roles.values())} overlapping pairs; band kappa "
        f"{_f(cohen_kappa(band_pairs, BANDS))}, linear-weighted {_f(cohen_kappa(band_pairs, BANDS, weighted=True))}"
    ]
    for kind in ("signal", "evidence"):
        lines += [
            f"         {kind} {cat:<30} P {_f(c.p())} R {_f(c.r())} F1 {_f(f1(c))} ({c.pred}/{c.lab})"
            for (k, cat), c in sorted(a.items.items())
            if k == kind
        ]
    return lines


def _band_table(a: Agreement) -> list[str]:
    lines = ["       criterion  first -> second low/mid/high   agreement"]
    for n in sorted({c for c, _, _ in a.bands}):
        rows = [f"{x}:{'/'.join(str(a.bands[(n, x, y)]) for y in BANDS)}" for x in BANDS]
        ok = sum(a.bands[(n, b, b)] for b in BANDS)
        total = sum(v for (c, _, _), v in a.bands.items() if c == n)
        lines.append(f"       {n:>9}  {'  '.join(f'{r:<13}' for r in rows)} {ok}/{total}")
    return lines


def _classes(a: Agreement) -> list[str]:
    out = []
    for kind in KINDS:
        parts = [
            f"{side}: "
            + ", ".join(f"{tag} {n}" for (k, s, tag), n in sorted(a.classes.items()) if (k, s) == (kind, side))
            for side in ("only first", "only second")
        ]
        out.append(f"       {kind} disagreements by class — " + "; ".join(parts))
    return out


def run(
    root: Path = ROOT, label_dir: Path = AGREEMENT / "labels", *, by_category: bool = False, list_dev: bool = True
) -> Report:
    pairs = load_pairs(root, label_dir)
    listing: list[str] = []
    per: dict[tuple[str, str], Agreement] = defaultdict(Agreement)
    for first, second in pairs:
        dev = first.meta["split"] == "dev"
        a = compare_doc(first, second, listing if (dev and list_dev) else None)
        per[(first.meta["split"], first.meta["language"])].add(a)
    totals: dict[str, Agreement] = defaultdict(Agreement)
    for (split, _), a in per.items():
        totals[split].add(a)
        totals["all"].add(a)
    lines = [f"LABEL AGREEMENT, second labeller against the first, {len(pairs)} documents"]
    if list_dev:
        lines += ["DISAGREEMENTS (development part only)", *listing, ""]
    for part in ("all", "dev", "test"):
        docs = sum(1 for f, _ in pairs if part in ("all", f.meta["split"]))
        lines.append(f"{part.upper()} ({docs} documents)")
        for (split, lang), a in sorted(per.items()):
            if part in ("all", split) and part != "all":
                lines.append(_row(f"  {lang}", a))
                if by_category:
                    lines += _details(a)
        if part == "all":
            merged: dict[str, Agreement] = defaultdict(Agreement)
            for (_, lang), a in per.items():
                merged[lang].add(a)
            for lang, a in sorted(merged.items()):
                lines.append(_row(f"  {lang}", a))
                if by_category:
                    lines += _details(a)
        lines += [_row("  total", totals[part]), *_details(totals[part]), *_classes(totals[part])]
        lines += _band_table(totals[part])
    return Report(lines, dict(totals))


def main() -> int:
    ap = argparse.ArgumentParser(description="Agreement of the second labeller with the first on the sample.")
    ap.add_argument("--by-category", action="store_true", help="per language, figures per category too")
    ap.add_argument("--labels", type=Path, default=AGREEMENT / "labels", help="the second labeller's folder")
    args = ap.parse_args()
    print("\n".join(run(label_dir=args.labels, by_category=args.by_category).lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
