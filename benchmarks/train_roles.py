"""Does a learned component help the role stage? (issue 9, item 2)

A small spaCy text classifier reads a finding the rules report (error or warning) and says how
likely the mention is lock-in: it would demote to a note a finding whose role no cue decided
(reason "no qualifying context", the default role) when it is confident the mention is not
lock-in. Trained on the development part of the real-tender corpus: a finding is lock-in when it
overlaps a signal label of its category (a labelled document asserts that an unlabelled stretch
holds no lock-in).

    python benchmarks/train_roles.py                      # cross-validate every variant on dev (folds by buyer)
    python benchmarks/train_roles.py --variant V --save   # cross-validate V, train it on dev, save build/roles_model
    python benchmarks/train_roles.py --variant V --exclude-ids F --ids F --measure dev --measure test
                                                          # a fresh batch: rules vs rules + model, never trained on
    python benchmarks/train_roles.py --variant V --measure test   # once: the sealed test part, figures only

`--exclude-ids FILE` leaves documents out of training (a fresh batch measured before any model
saw it). Threshold: chosen by the cross-validation on the training documents (best F1 of the
findings, then fewest role errors), unless `--threshold` gives one. Deterministic: fixed seeds,
one thread, architectures without pretrained vectors (nothing downloaded). Test figures are
printed per language, never its errors.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import spacy
from real_eval import Counts, Pred, score
from realcorpus import CorpusDoc, Located, load_corpus, overlaps
from spacy.training import Example

from ospo_procure.lint import lint_document
from ospo_procure.model import FileResult, Finding
from ospo_procure.roles import heading_level

OUT = Path(__file__).resolve().parent.parent / "build" / "roles_model"  # not shipped unless it wins
LABELS = ("LOCKIN", "NOT")
EPOCHS = 12
SEED = 7
FOLDS = 5
UNDECIDED = "no qualifying context"
_SENT_END = re.compile(r"[.!?;:](?=\s)|\n")
_WORD = re.compile(r"\w[\w'-]*")


# --------------------------------------------------------------------------- samples


@dataclass
class Sample:
    doc: str
    buyer: str
    lang: str
    undecided: bool  # the role fell to the default: no cue, heading or stated object decided it
    lockin: bool  # overlaps a signal label of its category
    texts: dict[str, str]  # feature variant -> classifier input


@dataclass
class Linted:
    doc: CorpusDoc
    preds: list[tuple[Pred, int]]  # every error/warning finding, with its sample index
    signals: list[Located]
    mentions: list[Located]


def _findings(result: FileResult) -> list[Finding]:
    return [f for f in result.findings if f.severity in ("error", "warning") and not f.waived]


def _sentences(text: str) -> list[tuple[int, int]]:
    out, s = [], 0
    for m in _SENT_END.finditer(text):
        if text[s : m.end()].strip():
            out.append((s, m.end()))
        s = m.end()
    if text[s:].strip():
        out.append((s, len(text)))
    return out


def _tag(prefix: str, text: str, limit: int) -> str:
    return " ".join(f"{prefix}{w.lower()}" for w in _WORD.findall(text)[:limit])


def features(f: Finding, heading: str) -> dict[str, str]:
    """The classifier's input, in four variants: the sentence alone; with the words right
    around the mention marked by side; with the neighbouring sentences and the section heading
    too (their words marked, so that a bag of words tells them apart); and `plain`, the window
    with only the category in front (what a labelled mention has too, so that the labels
    themselves can train it)."""
    head = f"{f.category} {f.role or 'none'} {f.rule.replace('-', '_')} {'undecided' if UNDECIDED in f.role_reason else 'cue'}"
    return span_features(f.context, f.start, f.end, head, f.category, heading)


def span_features(text: str, start: int, end: int, head: str, category: str, heading: str) -> dict[str, str]:
    sents = _sentences(text)
    i = next((k for k, (s, e) in enumerate(sents) if s <= start < e), None)
    s, e = sents[i] if i is not None else (0, len(text))
    masked = " ".join(f"{text[s:start]} MENTION {text[end:e]}".split())[:500]
    left = " ".join(_WORD.findall(text[max(s, start - 80) : start])[-6:])
    right = " ".join(_WORD.findall(text[end : min(e, end + 80)])[:6])
    tags = f"{_tag('l_', left, 6)} {_tag('r_', right, 6)}"
    prev = text[sents[i - 1][0] : sents[i - 1][1]] if i else ""
    nxt = text[sents[i + 1][0] : sents[i + 1][1]] if i is not None and i + 1 < len(sents) else ""
    window = f"{head} | {masked} | {tags}"
    return {
        "sent": f"{head} | {masked}",
        "window": window,
        "context": f"{window} | {_tag('p_', prev, 40)} {_tag('n_', nxt, 40)} {_tag('h_', heading, 12)}",
        "plain": f"{category} | {masked} | {tags}",
    }


def _headings(result: FileResult) -> list[str]:
    """For every block, the last heading before it (a reader heading or a heading-like line)."""
    out, last = [], ""
    for b in result.blocks:
        out.append(last)
        if b.kind == "heading" or heading_level(b) is not None:
            last = b.text.strip()
    return out


def collect(docs: list[CorpusDoc]) -> tuple[list[Sample], list[Linted], list[Sample]]:
    """The findings of the documents (as samples), what scoring needs, and one sample for every
    labelled signal or non-lock-in mention (the labels as training data of their own)."""
    samples: list[Sample] = []
    linted: list[Linted] = []
    labelled: list[Sample] = []
    for d in docs:
        assert d.document is not None
        result = lint_document(d.document, language=d.meta["language"])
        heads = _headings(result)
        signals = [loc for loc in d.located if loc.label.kind == "signal"]
        mentions = [loc for loc in d.located if loc.label.kind == "mention"]
        preds: list[tuple[Pred, int]] = []
        for f in _findings(result):
            p = Pred(f.category, f.block_index, f.start, f.end, f.severity, f"{f.rule} {f.match!r}")
            lockin = any(
                loc.block == f.block_index
                and loc.start < f.end
                and f.start < loc.end
                and loc.label.category == f.category
                for loc in signals
            )
            head = heads[f.block_index] if f.block_index < len(heads) else ""
            preds.append((p, len(samples)))
            samples.append(
                Sample(
                    d.id,
                    d.meta["buyer"],
                    d.meta["language"],
                    UNDECIDED in f.role_reason,
                    lockin,
                    features(f, head),
                )
            )
        linted.append(Linted(d, preds, signals, mentions))
        blocks = d.document.blocks
        for loc in [*signals, *mentions]:
            feats = span_features(blocks[loc.block].text, loc.start, loc.end, "", loc.label.category, heads[loc.block])
            labelled.append(Sample(d.id, d.meta["buyer"], d.meta["language"], True, loc.label.kind == "signal", feats))
    return samples, linted, labelled


# --------------------------------------------------------------------------- models


ARCHS: dict[str, dict] = {
    "bow": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 65536,
    },
    "ensemble": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "nO": None,
        "linear_model": {
            "@architectures": "spacy.TextCatBOW.v3",
            "exclusive_classes": True,
            "ngram_size": 2,
            "no_output_layer": False,
            "length": 65536,
        },
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 64,
                "rows": [2000, 1000],
                "attrs": ["NORM", "SHAPE"],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 64,
                "window_size": 1,
                "maxout_pieces": 3,
                "depth": 2,
            },
        },
    },
}


@dataclass(frozen=True)
class Variant:
    arch: str  # a key of ARCHS
    feats: str  # a key of features()
    train_on: str  # "all" findings, or only the "undecided" ones

    @property
    def name(self) -> str:
        return f"{self.arch}/{self.feats}/{self.train_on}"

    @staticmethod
    def parse(name: str) -> Variant:
        arch, feats, train_on = name.split("/")
        return Variant(arch, feats, train_on)


_BOW = ARCHS["bow"]
ARCHS["bow1"] = {**_BOW, "ngram_size": 1}
ARCHS["bow3"] = {**_BOW, "ngram_size": 3}
ARCHS["reduce"] = {
    "@architectures": "spacy.TextCatReduce.v1",
    "exclusive_classes": True,
    "use_reduce_first": False,
    "use_reduce_last": False,
    "use_reduce_max": True,
    "use_reduce_mean": True,
    "nO": None,
    "tok2vec": ARCHS["ensemble"]["tok2vec"],
}

# the variants measured (docs/roles.md); `python benchmarks/train_roles.py` cross-validates them all
VARIANTS = [
    *(
        Variant(a, f, t)
        for a in ("bow", "ensemble")
        for f in ("sent", "window", "context")
        for t in ("all", "undecided")
    ),
    Variant("bow1", "window", "undecided"),
    Variant("bow3", "window", "undecided"),
    Variant("reduce", "window", "all"),
    Variant("bow", "plain", "labels"),
    Variant("bow", "plain", "labels+undecided"),
]


def train(data: list[Sample], v: Variant, labelled: list[Sample]) -> spacy.language.Language:
    random.seed(SEED)
    spacy.util.fix_random_seed(SEED)
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat", config={"model": ARCHS[v.arch]})
    for label in LABELS:
        textcat.add_label(label)
    rows = {
        "all": data,
        "undecided": [s for s in data if s.undecided],
        "labels": labelled,
        "labels+undecided": [*labelled, *(s for s in data if s.undecided)],
    }[v.train_on]
    examples = [
        Example.from_dict(
            nlp.make_doc(s.texts[v.feats]), {"cats": {"LOCKIN": float(s.lockin), "NOT": float(not s.lockin)}}
        )
        for s in rows
    ]
    nlp.initialize(lambda: examples)
    for _ in range(EPOCHS):
        random.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=16):
            nlp.update(batch, drop=0.1)
    return nlp


def p_lockin(nlp: spacy.language.Language, texts: list[str]) -> list[float]:
    return [doc.cats["LOCKIN"] for doc in nlp.pipe(texts)]


def out_of_fold(samples: list[Sample], v: Variant, labelled: list[Sample]) -> list[float | None]:
    """p(lock-in) of every undecided finding from a model that saw none of its buyer's documents."""
    buyers = sorted({s.buyer for s in [*samples, *labelled]})
    random.Random(SEED).shuffle(buyers)
    fold_of = {b: i % FOLDS for i, b in enumerate(buyers)}
    probs: list[float | None] = [None] * len(samples)
    for k in range(FOLDS):
        model = train([s for s in samples if fold_of[s.buyer] != k], v, [s for s in labelled if fold_of[s.buyer] != k])
        held = [i for i, s in enumerate(samples) if fold_of[s.buyer] == k and s.undecided]
        for i, p in zip(held, p_lockin(model, [samples[i].texts[v.feats] for i in held]), strict=True):
            probs[i] = p
    return probs


# --------------------------------------------------------------------------- measuring


@dataclass
class Figures:
    find: Counts
    role_errors: int  # error or warning findings on a non-lock-in mention label

    def f1(self) -> float:
        p, r = self.find.p() or 0.0, self.find.r() or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> str:
        p, r = self.find.p(), self.find.r()
        return (
            f"find P {p if p is None else f'{p:.3f}'} R {r if r is None else f'{r:.3f}'} "
            f"({self.find.pred}/{self.find.lab}) F1 {self.f1():.3f}  role-err(any severity) {self.role_errors}"
        )


def measure(linted: list[Linted], demoted: Callable[[int], bool], lang: str | None = None) -> Figures:
    """Finding precision/recall and role errors as corpus_eval counts them, with the findings
    `demoted` (by sample index) turned into notes."""
    total, role_errors = Counts(), 0
    for lt in linted:
        if lang is not None and lt.doc.meta["language"] != lang:
            continue
        preds = [p for p, i in lt.preds if not demoted(i)]
        total.add(score(preds, lt.signals, None, ""))
        for p in preds:
            on_mention = any(overlaps(p, m) for m in lt.mentions)
            on_signal = any(overlaps(p, s) for s in lt.signals)
            role_errors += on_mention and not on_signal
    return Figures(total, role_errors)


THRESHOLDS = [i / 20 for i in range(0, 20)]


def choose_threshold(linted: list[Linted], probs: list[float | None], verbose: bool) -> tuple[float, Figures]:
    best_t, best = 0.0, measure(linted, lambda i: False)
    for t in THRESHOLDS[1:]:
        fig = measure(linted, lambda i, t=t: probs[i] is not None and probs[i] < t)  # type: ignore[operator]
        if verbose:
            print(f"    threshold {t:.2f}: {fig.row()}")
        if (round(fig.f1(), 4), -fig.role_errors) > (round(best.f1(), 4), -best.role_errors):
            best_t, best = t, fig
    return best_t, best


def auc(scored: list[tuple[float, bool]]) -> float:
    """The chance that a lock-in finding gets a higher p(lock-in) than a non-lock-in one."""
    pos = [p for p, y in scored if y]
    neg = [p for p, y in scored if not y]
    if not pos or not neg:
        return float("nan")
    return sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / (len(pos) * len(neg))


def _ids(path: Path | None) -> frozenset[str]:
    return frozenset(path.read_text(encoding="utf-8").split()) if path else frozenset()


def cross_validate(
    samples: list[Sample], linted: list[Linted], labelled: list[Sample], v: Variant, verbose: bool
) -> float:
    """Out-of-fold figures of one variant, and the threshold they choose."""
    probs = out_of_fold(samples, v, labelled)
    und = [(p, samples[i]) for i, p in enumerate(probs) if p is not None]
    auc_all = auc([(p, s.lockin) for p, s in und])
    auc_en = auc([(p, s.lockin) for p, s in und if s.lang == "en"])
    print(f"  CV {v.name:<28} AUC of p(lock-in) on the undecided findings {auc_all:.3f} (all) {auc_en:.3f} (en)")
    t, fig = choose_threshold(linted, probs, verbose)

    def demoted(i: int) -> bool:
        p = probs[i]
        return p is not None and p < t

    en = measure(linted, demoted, "en")
    gone = [i for i in range(len(samples)) if demoted(i)]
    print(
        f"  CV {v.name:<28} threshold {t:.2f}: {fig.row()}  | en {en.row()}  "
        f"| demoted {len(gone)} ({sum(samples[i].lockin for i in gone)} lock-in)"
    )
    return t


def compare(model: spacy.language.Language, v: Variant, docs: list[CorpusDoc], thresholds: list[float]) -> None:
    """Rules alone vs rules + model on `docs`, per language (figures only)."""
    samples, linted, _ = collect(docs)
    probs = p_lockin(model, [s.texts[v.feats] for s in samples])
    for lang in [None, *sorted({d.meta["language"] for d in docs})]:
        print(f"  {lang or 'all':<4} rules              {measure(linted, lambda i: False, lang).row()}")
        for t in thresholds:
            fig = measure(linted, lambda i, t=t: samples[i].undecided and probs[i] < t, lang)
            print(f"  {lang or 'all':<4} rules + model {t:.2f} {fig.row()}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variant", help="arch/features/train_on[,...], e.g. bow/window/undecided (default: all of them)")
    ap.add_argument("--exclude-ids", type=Path, help="documents never trained on (a fresh batch)")
    ap.add_argument(
        "--threshold", type=float, help="demote below this p(lock-in) (default: chosen by cross-validation)"
    )
    ap.add_argument("--also", type=float, action="append", default=[], help="with --measure: another threshold to show")
    ap.add_argument(
        "--measure",
        choices=["dev", "test"],
        action="append",
        default=[],
        help="rules vs rules + model on this part (test: figures only); may be given twice",
    )
    ap.add_argument("--ids", type=Path, help="with --measure: only these documents")
    ap.add_argument("--save", action="store_true", help=f"save the trained model to --out ({OUT})")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--seed", type=int, default=7, help="random seed (training and folds)")
    ap.add_argument("--verbose", action="store_true", help="print every threshold of the cross-validation")
    args = ap.parse_args()
    global SEED  # noqa: PLW0603 (one run, one seed)
    SEED = args.seed

    excluded = _ids(args.exclude_ids)
    wanted = _ids(args.ids)
    if "dev" in args.measure and not (wanted and wanted <= excluded):
        ap.error("--measure dev needs --ids of documents that --exclude-ids keeps out of training")
    dev_docs = [d for d in load_corpus(split="dev") if d.id not in excluded]
    samples, linted, labelled = collect(dev_docs)
    und = [s for s in samples if s.undecided]
    print(
        f"training part: {len(dev_docs)} dev documents ({len({s.buyer for s in samples})} buyers with findings), "
        f"{len(samples)} findings ({sum(s.lockin for s in samples)} lock-in); undecided {len(und)} "
        f"({sum(s.lockin for s in und)} lock-in; en {sum(s.lang == 'en' for s in und)})"
    )
    print(f"  rules alone: {measure(linted, lambda i: False).row()}")
    variants = [Variant.parse(n) for n in args.variant.split(",")] if args.variant else VARIANTS
    threshold = args.threshold
    for v in variants:
        if args.threshold is None:
            threshold = cross_validate(samples, linted, labelled, v, args.verbose)
    if len(variants) > 1 or not (args.save or args.measure):
        return 0
    assert threshold is not None
    v = variants[0]
    model = train(samples, v, labelled)
    if args.save:
        args.out.mkdir(parents=True, exist_ok=True)
        model.to_disk(args.out)
        (args.out / "threshold.txt").write_text(f"{threshold}\n", encoding="utf-8")
        size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
        print(f"model saved to {args.out} ({size / 1e6:.1f} MB)")
    for part in args.measure:
        docs = [d for d in load_corpus(split=part) if not wanted or d.id in wanted]
        where = f" ({args.ids})" if args.ids else ""
        print(f"{part.upper()} PART{where}: {len(docs)} documents; {v.name}, threshold {threshold:.2f}")
        compare(model, v, docs, [threshold, *args.also])
    return 0


if __name__ == "__main__":
    sys.exit(main())
