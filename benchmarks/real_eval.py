"""Measure the linter on the real-tender corpus (benchmarks/corpus/real/), per split and language.

Called by `python benchmarks/corpus_eval.py --real`. Measures, as defined in docs/labelling.md:
finding precision and recall (error/warning findings against `signal` labels of the same
category, on overlap in the same block), evidence precision and recall, role errors (error
findings on a non-lock-in `mention`), the quiet rate of paragraphs with no signal, criterion
band agreement of whole/long documents, and a plain brand-name baseline scored the same way.
Errors are listed for the development part only: the test part is for figures, never tuning.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
import yaml
from realcorpus import BANDS, ROOT, CorpusDoc, Located, load_corpus, overlaps

from ospo_procure.lint import lint_document
from ospo_procure.paths import data_dir
from ospo_procure.rules import RuleSet, load_ruleset
from ospo_procure.scoring_model import CriterionScore

BAND_RANGE = {"low": (0, 1), "mid": (2, 3), "high": (4, 5)}
assert set(BAND_RANGE) == set(BANDS)


@dataclass(frozen=True)
class Pred:
    category: str
    block: int
    start: int
    end: int
    severity: str
    what: str  # rule and match, for error listings
    role: str | None = None  # the role the role stage gave a finding


@dataclass
class Counts:
    tp_pred: int = 0
    pred: int = 0
    tp_lab: int = 0
    lab: int = 0

    def add(self, other: Counts) -> None:
        self.tp_pred += other.tp_pred
        self.pred += other.pred
        self.tp_lab += other.tp_lab
        self.lab += other.lab

    def p(self) -> float | None:
        return self.tp_pred / self.pred if self.pred else None

    def r(self) -> float | None:
        return self.tp_lab / self.lab if self.lab else None


@dataclass
class Tally:
    findings: Counts = field(default_factory=Counts)
    evidence: Counts = field(default_factory=Counts)
    baseline: Counts = field(default_factory=Counts)
    role_errors: int = 0
    role_warnings: int = 0  # the same at warning level: reported, but as something to check
    clean_blocks: int = 0
    quiet_blocks: int = 0
    bands_ok: int = 0
    bands: int = 0
    by_category: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    # criterion -> (labelled band, scored band) -> documents: the confusion table of `--bands`
    confusion: dict[int, Counter[tuple[str, str]]] = field(default_factory=lambda: defaultdict(Counter))
    evidence_by_category: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    # (FN|FP, why) -> count, for lock-in findings and evidence items: what `--classify` prints
    finding_classes: Counter[tuple[str, str]] = field(default_factory=Counter)
    evidence_classes: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.finding_classes.update(other.finding_classes)
        self.evidence_classes.update(other.evidence_classes)
        for name in ("findings", "evidence", "baseline"):
            getattr(self, name).add(getattr(other, name))
        for k, v in other.by_category.items():
            self.by_category[k].add(v)
        for k, v in other.evidence_by_category.items():
            self.evidence_by_category[k].add(v)
        for n, c in other.confusion.items():
            self.confusion[n].update(c)
        self.role_errors += other.role_errors
        self.role_warnings += other.role_warnings
        self.clean_blocks += other.clean_blocks
        self.quiet_blocks += other.quiet_blocks
        self.bands_ok += other.bands_ok
        self.bands += other.bands


def score(
    preds: list[Pred],
    labels: list[Located],
    errors: list[str] | None,
    where: str,
    why: Callable[[str, Pred | Located], str] | None = None,
    classes: Counter[tuple[str, str]] | None = None,
) -> Counts:
    """Category-aware overlap matching; `errors` collects FP/FN lines when given. With `why`,
    each false or missed item is classed by `why(kind, item)`: the class tags its error line and
    is counted in `classes`."""
    c = Counts(pred=len(preds), lab=len(labels))

    def wrong(kind: str, item: Pred | Located, line: str) -> None:
        tag = why(kind, item) if why else None
        if classes is not None and tag is not None:
            classes[(kind, tag)] += 1
        if errors is not None:
            errors.append(line + (f" <{tag}>" if tag else ""))

    for p in preds:
        if any(overlaps(p, lab) and lab.label.category == p.category for lab in labels):
            c.tp_pred += 1
        else:
            wrong("FP", p, f"FP {where} {p.category}: {p.what}")
    for lab in labels:
        if any(overlaps(p, lab) and lab.label.category == p.category for p in preds):
            c.tp_lab += 1
        else:
            wrong("FN", lab, f"FN {where} {lab.label.category}/{lab.label.role}: {lab.label.text!r}")
    return c


def evidence_miss_class(kind: str, item: Pred | Located, preds: list[Pred], located: list[Located]) -> str:
    """Why an evidence item is a miss (FN) or a false item (FP), for --classify:
    `confused` (an item of another evidence category overlaps it), `placed` (the right category
    is in the same block but elsewhere: span placement), `adjacent` (the right category is in the
    next or previous block: a split sentence, table cell or heading), `lockin` (FP only: the text is
    labelled as a lock-in signal or mention) or `nothing` (nothing there)."""
    others: list[tuple[str, Pred | Located]]
    if kind == "FN":
        assert isinstance(item, Located)
        cat = item.label.category
        others = [(p.category, p) for p in preds]
    else:
        assert isinstance(item, Pred)
        cat = item.category
        others = [(e.label.category, e) for e in located if e.label.kind == "evidence"]
    if any(c != cat and overlaps(item, o) for c, o in others):
        return "confused"
    if any(c == cat and o.block == item.block for c, o in others):
        return "placed"
    if any(c == cat and abs(o.block - item.block) == 1 for c, o in others):
        return "adjacent"
    if kind == "FP" and any(loc.label.kind != "evidence" and overlaps(item, loc) for loc in located):
        return "lockin"
    return "nothing"


def finding_miss_class(
    kind: str, item: Pred | Located, preds: list[Pred], quiet: list[Pred], listed: list[Pred], located: list[Located]
) -> str:
    """Why a lock-in signal is missed (FN) or a finding is false (FP), for --classify. A miss is
    `confused` (a finding of another category overlaps it), `info:<role>` (the rule found it and
    the role stage kept it at info level, with the role it gave), `placed` (the right category is
    elsewhere in the block), `listed` (not found although the plain brand list names it: a known
    name the engine dropped) or `nothing` (no rule reaches the wording). A false finding is
    `mention:<role>` (text labelled as a non-lock-in mention, with its labelled role), `confused`
    (a signal of another category), `placed` (a signal of its category elsewhere in the block) or
    `nothing` (unlabelled text)."""
    if kind == "FN":
        assert isinstance(item, Located)
        return _missed_signal_class(item, preds, quiet, listed)
    assert isinstance(item, Pred)
    mentions = [loc for loc in located if loc.label.kind == "mention" and overlaps(item, loc)]
    if mentions:
        return "mention:" + "/".join(sorted({str(m.label.role) for m in mentions}))
    signals = [loc for loc in located if loc.label.kind == "signal"]
    if any(s.label.category != item.category and overlaps(item, s) for s in signals):
        return "confused"
    if any(s.label.category == item.category and s.block == item.block for s in signals):
        return "placed"
    return "nothing"


def _missed_signal_class(item: Located, preds: list[Pred], quiet: list[Pred], listed: list[Pred]) -> str:
    cat = item.label.category
    if any(p.category != cat and overlaps(p, item) for p in preds):
        return "confused"
    roles = sorted({str(p.role) for p in quiet if p.category == cat and overlaps(p, item)})
    if roles:
        return "info:" + "/".join(roles)
    if any(p.category == cat and p.block == item.block for p in preds):
        return "placed"
    if cat == "brand" and any(overlaps(p, item) for p in listed):
        return "listed"
    return "nothing"


class Baseline:
    """A plain brand-name matcher: every vendor and product name of the lexicon (and their
    aliases), exact case, whole words. Vendor names count too: a brand list names "Oracle"
    whether the lexicon files it as a vendor or as a product alias."""

    def __init__(self) -> None:
        data = yaml.safe_load((data_dir("lint_rules") / "lexicons" / "products.yaml").read_text(encoding="utf-8"))
        self.automaton = ahocorasick.Automaton()
        for vendor in data["vendors"]:
            names = [vendor["vendor"], *vendor.get("aliases", [])]
            for v in names:
                self.automaton.add_word(v, v)
            for prod in vendor.get("products", []):
                for name in [prod["name"], *prod.get("aliases", [])]:
                    self.automaton.add_word(name, name)
                    for v in names:
                        self.automaton.add_word(f"{v} {name}", f"{v} {name}")
        self.automaton.make_automaton()

    def scan(self, text: str, block: int) -> list[Pred]:
        hits: list[tuple[int, int]] = []
        for end_idx, name in self.automaton.iter(text):
            start, end = end_idx - len(name) + 1, end_idx + 1
            if re.match(r"\w", text[start - 1 : start] or " ") or re.match(r"\w", text[end : end + 1] or " "):
                continue
            hits.append((start, end))
        hits.sort(key=lambda h: (h[0], -h[1]))
        kept: list[tuple[int, int]] = []
        for h in hits:
            if not kept or h[0] >= kept[-1][1]:
                kept.append(h)
        return [Pred("brand", block, s, e, "error", text[s:e]) for s, e in kept]


def evaluate_doc(
    doc: CorpusDoc,
    baseline: Baseline,
    errors: list[str] | None,
    ruleset: RuleSet | None = None,
    band_errors: list[str] | None = None,
) -> Tally:
    """One document's tally; `errors` collects its FP/FN/role/band lines, `band_errors` only the
    bands outside their label with what drove each score."""
    assert doc.document is not None
    t = Tally()
    result = lint_document(doc.document, language=doc.meta["language"], ruleset=ruleset)
    preds = [
        Pred(f.category, f.block_index, f.start, f.end, f.severity, f"{f.rule} {f.match!r} [{f.role}]")
        for f in result.findings
        if f.severity in ("error", "warning") and not f.waived
    ]
    evid = [
        Pred(f.category, f.block_index, f.start, f.end, f.severity, f"{f.rule} {f.match!r}") for f in result.evidence
    ]
    quiet = [
        Pred(f.category, f.block_index, f.start, f.end, f.severity, f"{f.rule} {f.match!r}", f.role)
        for f in result.findings
        if f.severity == "info" and not f.waived
    ]
    signals = [loc for loc in doc.located if loc.label.kind == "signal"]
    mentions = [loc for loc in doc.located if loc.label.kind == "mention"]
    evidence = [loc for loc in doc.located if loc.label.kind == "evidence"]
    base = [p for i, b in enumerate(doc.document.blocks) for p in baseline.scan(b.text, i)]

    def why_finding(kind: str, item: Pred | Located) -> str:
        return finding_miss_class(kind, item, preds, quiet, base, doc.located)

    def why(kind: str, item: Pred | Located) -> str:
        return evidence_miss_class(kind, item, evid, doc.located)

    t.findings = score(preds, signals, errors, doc.id, why_finding, t.finding_classes)
    t.evidence = score(evid, evidence, errors, f"{doc.id} evidence", why, t.evidence_classes)
    for cat in {p.category for p in preds} | {lab.label.category for lab in signals}:
        t.by_category[cat] = score(
            [p for p in preds if p.category == cat], [s for s in signals if s.label.category == cat], None, ""
        )
    for cat in {p.category for p in evid} | {lab.label.category for lab in evidence}:
        t.evidence_by_category[cat] = score(
            [p for p in evid if p.category == cat], [e for e in evidence if e.label.category == cat], None, ""
        )
    t.baseline = score(base, signals, None, "")
    for p in preds:
        if any(overlaps(p, m) for m in mentions) and not any(overlaps(p, s) for s in signals):
            warning = p.severity == "warning"
            t.role_warnings += warning
            t.role_errors += not warning
            if errors is not None:
                errors.append(
                    f"ROLE {doc.id}: {p.severity} {p.what} on a mention labelled "
                    f"{[m.label.role for m in mentions if overlaps(p, m)]}"
                )
    signal_blocks = {s.block for s in signals}
    flagged = {p.block for p in preds}
    clean = [i for i in range(len(doc.document.blocks)) if i not in signal_blocks]
    t.clean_blocks = len(clean)
    t.quiet_blocks = sum(i not in flagged for i in clean)
    if doc.meta["kind"] in ("whole", "long") and result.scorecard is not None:
        for n, band in sorted(doc.bands.items()):
            lo, hi = BAND_RANGE[band]
            got = result.scorecard.criteria[n].score
            t.bands += 1
            t.bands_ok += lo <= got <= hi
            t.confusion[n][(band, band_of(got))] += 1
            if lo <= got <= hi:
                continue
            for out in (errors, band_errors):
                if out is not None:
                    out.append(f"BAND {doc.id} criterion {n}: scored {got}, labelled {band}")
            if band_errors is not None:
                band_errors += [f"    {line}" for line in _drivers(result.scorecard.criteria[n])]
    return t


def band_of(score: int) -> str:
    return next(band for band, (lo, hi) in BAND_RANGE.items() if lo <= score <= hi)


def _drivers(c: CriterionScore) -> list[str]:
    """What drove a criterion's score: its reasons (base, terms, cap, total) and the items behind
    them (rule, matched words, role), for the listing of a band outside its label."""
    items = [f"{f.rule} {f.match[:60]!r}" + (f" [{f.role}]" if f.role else "") for f in (*c.evidence, *c.findings)]
    return ["; ".join(c.reasons("en")), *(f"  {i}" for i in items)]


def confusion_table(t: Tally) -> list[str]:
    """Per criterion, labelled band (rows) against scored band (columns), the agreement, and how
    many bands are scored below and above their label (which way a criterion is off)."""
    lines = ["  criterion  labelled -> scored low/mid/high   agreement  below/above"]
    order = list(BANDS)
    for n, c in sorted(t.confusion.items()):
        rows = [f"{lab}:{'/'.join(str(c[(lab, got)]) for got in BANDS)}" for lab in BANDS]
        ok, total = sum(c[(b, b)] for b in BANDS), sum(c.values())
        below = sum(k for (lab, got), k in c.items() if order.index(got) < order.index(lab))
        above = sum(k for (lab, got), k in c.items() if order.index(got) > order.index(lab))
        lines.append(
            f"  {n:>9}  {'  '.join(f'{r:<13}' for r in rows)} {ok}/{total} {_f(ok / total if total else None)}"
            f"  {below}/{above}"
        )
    return lines


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def _row(name: str, t: Tally) -> str:
    quiet = t.quiet_blocks / t.clean_blocks if t.clean_blocks else None
    bands = t.bands_ok / t.bands if t.bands else None
    return (
        f"{name:<9} find P {_f(t.findings.p())} R {_f(t.findings.r())} ({t.findings.pred}/{t.findings.lab})  "
        f"evid P {_f(t.evidence.p())} R {_f(t.evidence.r())} ({t.evidence.pred}/{t.evidence.lab})  "
        f"role-err {t.role_errors:<3}(+{t.role_warnings:<2} warn) quiet {_f(quiet)}  bands {_f(bands)} ({t.bands_ok}/{t.bands})  "
        f"baseline P {_f(t.baseline.p())} R {_f(t.baseline.r())}"
    )


def _classes(t: Tally) -> list[str]:
    lines = []
    for name, classes in (("finding", t.finding_classes), ("evidence", t.evidence_classes)):
        parts = [
            f"{kind} "
            + " ".join(f"{why} {n}" for (k, why), n in sorted(classes.items(), key=lambda kv: -kv[1]) if k == kind)
            for kind in ("FN", "FP")
        ]
        lines.append(f"            {name} errors by class: " + "; ".join(parts))
    return lines


def _interval(values: list[float]) -> str:
    values.sort()
    lo, hi = values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]
    return f"{lo:.2f}-{hi:.2f}"


def intervals(docs: list[Tally], rounds: int = 1000, seed: int = 0) -> str:
    """95% percentile-bootstrap intervals, resampling whole documents: labels in one document are
    not independent (one tender repeats its brand and its weights), so documents are the unit.
    Fixed seed: the same corpus and rules always print the same intervals."""
    rng = random.Random(seed)
    draws: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        t = Tally()
        for d in rng.choices(docs, k=len(docs)):
            t.add(d)
        for name, v in (
            ("find P", t.findings.p()),
            ("R", t.findings.r()),
            ("evid P", t.evidence.p()),
            ("evid R", t.evidence.r()),
        ):
            if v is not None:
                draws[name].append(v)
    # A draw with no prediction (or no label) leaves P (or R) undefined: the interval is taken over
    # the draws that define it, and left out when more than a tenth of the draws do not.
    parts = [f"{name} {_interval(v)}" for name, v in draws.items() if len(v) >= 0.9 * rounds]
    return "            95% CI (bootstrap over documents): " + (", ".join(parts) or "too few predictions and labels")


def run(
    root: Path = ROOT,
    *,
    show_errors: bool = False,
    by_category: bool = False,
    splits: tuple[str, ...] = ("dev", "test"),
    ids: frozenset[str] | None = None,
    rules: Path | None = None,
    confidence: bool = False,
    classify: bool = False,
    bands: bool = False,
) -> list[str]:
    """The report lines; `rules` is a rule folder to measure instead of the bundled rules;
    `confidence` adds a bootstrap interval under each language's line and the total; `classify`
    adds, per language, why findings and evidence items are missed or false (finding_miss_class,
    evidence_miss_class); `bands` a
    confusion table of criterion bands per split (labelled against scored)."""
    baseline = Baseline()
    ruleset = load_ruleset(rules) if rules is not None else None
    docs = [d for d in load_corpus(root) if d.meta["split"] in splits and (ids is None or d.id in ids)]
    problems = [f"{d.id}: {p}" for d in docs for p in d.problems]
    lines: list[str] = []
    if problems:
        lines.append(f"corpus has {len(problems)} label problem(s); run `python benchmarks/realcorpus.py check`")
    errors: list[str] = []
    per: dict[tuple[str, str], Tally] = defaultdict(Tally)
    per_doc: dict[tuple[str, str], list[Tally]] = defaultdict(list)
    band_errors: list[str] = []
    for d in docs:
        dev = d.meta["split"] == "dev"
        t = evaluate_doc(
            d, baseline, errors if (show_errors and dev) else None, ruleset, band_errors if (bands and dev) else None
        )
        per[(d.meta["split"], d.meta["language"])].add(t)
        per_doc[(d.meta["split"], d.meta["language"])].append(t)
    if show_errors:
        lines += ["ERRORS (development part only)", *errors, ""]
    if band_errors:
        lines += ["BANDS OUTSIDE THEIR LABEL, with what drove the score (development part only)", *band_errors, ""]
    for split in splits:
        total = Tally()
        block: list[str] = []
        for (s, lang), t in sorted(per.items()):
            if s == split:
                total.add(t)
                block.append(_row(f"  {lang}", t))
                if confidence:
                    block.append(intervals(per_doc[(s, lang)]))
                if classify:
                    block += _classes(t)
                if by_category:
                    block += [
                        f"      {cat:<24} P {_f(c.p())} R {_f(c.r())} ({c.pred}/{c.lab})"
                        for cat, c in sorted(t.by_category.items())
                    ]
                    block += [
                        f"      evidence {cat:<28} P {_f(c.p())} R {_f(c.r())} ({c.pred}/{c.lab})"
                        for cat, c in sorted(t.evidence_by_category.items())
                    ]
        lines += [
            f"REAL CORPUS, {split.upper()} PART ({sum(1 for d in docs if d.meta['split'] == split)} documents)",
            *block,
            _row("  all", total),
        ]
        if classify:
            lines += _classes(total)
        if confidence:
            lines.append(intervals([t for (s, _), ts in sorted(per_doc.items()) if s == split for t in ts]))
        if bands:
            lines += confusion_table(total)
    return lines


def documents(root: Path = ROOT) -> Iterable[CorpusDoc]:
    return load_corpus(root)
