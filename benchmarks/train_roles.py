"""Does a learned component help the role stage? (issue 9, item 2)

Trains a small spaCy text classifier on the development part of the real-tender corpus: for every
finding the rules report as an error or a warning, the sentence around the mention (the mention
itself masked) with the rule's category and role in front, labelled lock-in when it overlaps a
signal label of the same category and not lock-in otherwise (a labelled document asserts that an
unlabelled stretch holds no lock-in). The model would then demote a finding to a note when it is
confident the mention is not lock-in, and the note would name the model and its confidence.

    python benchmarks/train_roles.py                 # cross-validate on dev, train, save (offline, seeded)
    python benchmarks/train_roles.py --compare       # once, at the end: test part, rules vs rules + model

The threshold is chosen by cross-validation on the development part (folds by buyer). `--compare`
prints per-language figures of the test part only, never its errors. Deterministic: fixed seeds,
one thread, a bag-of-words architecture (no pretrained vectors, nothing downloaded).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import spacy
from real_eval import Tally, evaluate_doc
from realcorpus import CorpusDoc, load_corpus
from spacy.training import Example

from ospo_procure.lint import lint_document
from ospo_procure.model import FileResult, Finding

OUT = Path(__file__).resolve().parent.parent / "build" / "roles_model"  # not shipped unless it wins
LABELS = ("LOCKIN", "NOT")
EPOCHS = 12
SEED = 7


@dataclass
class Sample:
    doc: str
    buyer: str
    text: str
    lockin: bool


def mention_text(f: Finding) -> str:
    """The sentence around the mention, the mention masked, with what the rules decided."""
    s, e = f.sentence
    sentence = f.context[s:e]
    start, end = f.start - s, f.end - s
    masked = f"{sentence[:start]} MENTION {sentence[end:]}".strip()
    return f"{f.category} {f.role or 'none'} {f.rule} | {masked[:400]}"


def _findings(result: FileResult) -> list[Finding]:
    return [f for f in result.findings if f.severity in ("error", "warning") and not f.waived]


def samples(docs: list[CorpusDoc]) -> list[Sample]:
    out: list[Sample] = []
    for d in docs:
        assert d.document is not None and d.meta["split"] == "dev"
        result = lint_document(d.document, language=d.meta["language"])
        signals = [loc for loc in d.located if loc.label.kind == "signal"]
        for f in _findings(result):
            lockin = any(
                loc.block == f.block_index
                and loc.start < f.end
                and f.start < loc.end
                and loc.label.category == f.category
                for loc in signals
            )
            out.append(Sample(d.id, d.meta["buyer"], mention_text(f), lockin))
    return out


def train(data: list[Sample]) -> spacy.language.Language:
    random.seed(SEED)
    spacy.util.fix_random_seed(SEED)
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe(
        "textcat",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": True,
                "ngram_size": 2,
                "no_output_layer": False,
                "length": 65536,
            }
        },
    )
    for label in LABELS:
        textcat.add_label(label)
    examples = [
        Example.from_dict(nlp.make_doc(s.text), {"cats": {"LOCKIN": float(s.lockin), "NOT": float(not s.lockin)}})
        for s in data
    ]
    nlp.initialize(lambda: examples)
    for _ in range(EPOCHS):
        random.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=16):
            nlp.update(batch, drop=0.1)
    return nlp


def p_lockin(nlp: spacy.language.Language, texts: list[str]) -> list[float]:
    return [doc.cats["LOCKIN"] for doc in nlp.pipe(texts)]


def cross_validate(data: list[Sample], folds: int = 5) -> float:
    """The threshold that maximises F1 of the kept findings, over folds by buyer."""
    buyers = sorted({s.buyer for s in data})
    random.Random(SEED).shuffle(buyers)
    fold_of = {b: i % folds for i, b in enumerate(buyers)}
    scored: list[tuple[float, bool]] = []
    for k in range(folds):
        model = train([s for s in data if fold_of[s.buyer] != k])
        held = [s for s in data if fold_of[s.buyer] == k]
        scored += list(zip(p_lockin(model, [s.text for s in held]), [s.lockin for s in held], strict=True))
    best, best_f1 = 0.0, -1.0
    positives = sum(y for _, y in scored)
    for t in [i / 20 for i in range(0, 20)]:
        kept = [(p, y) for p, y in scored if p >= t]
        tp = sum(y for _, y in kept)
        prec = tp / len(kept) if kept else 0.0
        rec = tp / positives if positives else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"  threshold {t:.2f}: kept {len(kept)}/{len(scored)}  P {prec:.2f} R {rec:.2f} F1 {f1:.2f}")
        if f1 > best_f1:
            best, best_f1 = t, f1
    base_p = positives / len(scored) if scored else 0.0
    print(
        f"rules alone (dev, cross-validated): P {base_p:.2f} R 1.00 (of what the rules find); best threshold {best:.2f}"
    )
    return best


def compare(model: spacy.language.Language, threshold: float) -> None:
    """Test part: rules alone vs rules + model, per language (figures only)."""
    from real_eval import Baseline, _row

    baseline = Baseline()
    per: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for d in load_corpus(split="test"):
        lang = d.meta["language"]
        per[("rules", lang)].add(evaluate_doc(d, baseline, None))
        per[("rules + model", lang)].add(_evaluate_with_model(d, baseline, model, threshold))
    for variant in ("rules", "rules + model"):
        print(f"TEST PART, {variant}")
        total = Tally()
        for (v, lang), t in sorted(per.items()):
            if v == variant:
                total.add(t)
                print(_row(f"  {lang}", t))
        print(_row("  all", total))


def _evaluate_with_model(d: CorpusDoc, baseline, model, threshold: float) -> Tally:
    """evaluate_doc with the model's demotions applied to the linted result."""
    import real_eval

    original = real_eval.lint_document

    def lint_and_demote(document, **kw):
        result = original(document, **kw)
        findings = _findings(result)
        probs = p_lockin(model, [mention_text(f) for f in findings])
        for f, p in zip(findings, probs, strict=True):
            if p < threshold:
                f.severity = "info"
                f.role_reason = f"{f.role_reason}; roles model {p:.2f} lock-in"
        return result

    real_eval.lint_document = lint_and_demote
    try:
        return evaluate_doc(d, baseline, None)
    finally:
        real_eval.lint_document = original


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", action="store_true", help="test part: rules alone vs rules + model (run once)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    data = samples(load_corpus(split="dev"))
    print(f"{len(data)} findings on the development part, {sum(s.lockin for s in data)} on lock-in labels")
    threshold = cross_validate(data)
    model = train(data)
    args.out.mkdir(parents=True, exist_ok=True)
    model.to_disk(args.out)
    (args.out / "threshold.txt").write_text(f"{threshold}\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"model saved to {args.out} ({size / 1e6:.1f} MB)")
    if args.compare:
        compare(model, threshold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
