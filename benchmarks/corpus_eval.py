"""Measure the linter on the labelled development corpus (../shared/corpus by default).

Prints, per language and per category, precision and recall of findings (a finding matches
a label when the categories agree and the spans overlap; info-level findings, such as a brand
named as the legacy system, are notes and do not count) and of evidence, then for each whole
document whether every criterion's score falls in its expected band.

    python benchmarks/corpus_eval.py [--corpus DIR] [--rules DIR] [--show-errors]
    python benchmarks/corpus_eval.py --real [--rules DIR] [--show-errors] [--by-category] [--bands]

`--real` measures on the real-tender corpus (benchmarks/corpus/real/, see real_eval.py and
docs/labelling.md) instead: both parts, per language, with a plain brand-name baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from ospo_procure.lint import lint_document
from ospo_procure.model import Block, Document, Finding, Location
from ospo_procure.readers import read_document
from ospo_procure.rules import load_ruleset

BANDS = {"low": (0, 1), "mid": (2, 3), "high": (4, 5)}
ROOT = Path(__file__).resolve().parent.parent


class Tally:
    def __init__(self) -> None:
        self.tp_pred = defaultdict(int)  # predictions that match a label
        self.pred = defaultdict(int)
        self.tp_label = defaultdict(int)  # labels found
        self.label = defaultdict(int)

    def add(self, key: tuple[str, str], pred_ok: int, pred: int, lab_ok: int, lab: int) -> None:
        self.tp_pred[key] += pred_ok
        self.pred[key] += pred
        self.tp_label[key] += lab_ok
        self.label[key] += lab

    def pr(self, keys: list[tuple[str, str]]) -> tuple[float, float, int, int]:
        tp_p = sum(self.tp_pred[k] for k in keys)
        p = sum(self.pred[k] for k in keys)
        tp_l = sum(self.tp_label[k] for k in keys)
        lab = sum(self.label[k] for k in keys)
        return (tp_p / p if p else 1.0), (tp_l / lab if lab else 1.0), p, lab


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    out, i = [], text.find(needle)
    while i != -1:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def compare(
    items: list[Finding],
    labels: list[tuple[str, tuple[int, int], int]],
    key_lang: str,
    tally: Tally,
    errors: list[str],
    where: str,
) -> None:
    """items: predictions; labels: (category, span, block index)."""
    cats = {c for c, _, _ in labels} | {f.category for f in items}
    for cat in cats:
        preds = [f for f in items if f.category == cat]
        labs = [lab for lab in labels if lab[0] == cat]
        pred_ok = [f for f in preds if any(b == f.block_index and _overlap((f.start, f.end), s) for _, s, b in labs)]
        lab_ok = [
            lab for lab in labs if any(f.block_index == lab[2] and _overlap((f.start, f.end), lab[1]) for f in preds)
        ]
        tally.add((key_lang, cat), len(pred_ok), len(preds), len(lab_ok), len(labs))
        for f in preds:
            if f not in pred_ok:
                errors.append(f"FP {where} {cat}: {f.match!r} ({f.rule}) in: {f.context[:160]}")
        for lab in labs:
            if lab not in lab_ok:
                errors.append(f"FN {where} {cat}: missed label span {lab[1]} in block {lab[2]}")


def eval_paragraphs(corpus: Path, ruleset, ftally: Tally, etally: Tally, errors: list[str]) -> None:
    for line in (corpus / "paragraphs.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text, lang = row["text"], row["lang"]
        doc = Document(path=row["id"], format="txt", blocks=[Block(text, Location(paragraph=1))])
        res = lint_document(doc, language=lang, ruleset=ruleset, score=False)
        findings = [f for f in res.findings if f.severity != "info"]
        sig = [(s["type"], sp, 0) for s in row["signals"] for sp in _spans(text, s["span"])[:1]]
        pos = [(s["type"], sp, 0) for s in row["positive"] for sp in _spans(text, s["span"])[:1]]
        compare(findings, sig, lang, ftally, errors, f"{row['id']} [{text[:150]}]")
        compare(res.evidence, pos, lang, etally, errors, f"{row['id']} evidence [{text[:150]}]")


def _part_ok(where: str, f_part: str) -> bool:
    if where.startswith("page"):
        return f_part == "page"
    if where == "body":
        return f_part in ("body", "table", "page")
    return f_part == where


def eval_documents(corpus: Path, ruleset, ftally: Tally, etally: Tally, errors: list[str]) -> list[str]:
    lines: list[str] = []
    for expected_path in sorted((corpus / "docs").glob("*.expected.json")):
        stem = expected_path.name.removesuffix(".expected.json")
        doc_path = next(p for p in (corpus / "docs").glob(stem + ".*") if not p.name.endswith(".json"))
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        doc = read_document(doc_path)
        res = lint_document(doc, ruleset=ruleset)
        lang = res.language or "?"

        def labels(kind: str, expected=expected, doc=doc, doc_path=doc_path) -> list[tuple[str, tuple[int, int], int]]:
            out = []
            for lab in expected[kind]:
                for i, b in enumerate(doc.blocks):
                    page_ok = not lab["where"].startswith("page") or b.location.page == int(lab["where"].split()[1])
                    if _part_ok(lab["where"], b.location.part) and page_ok and lab["text"] in b.text:
                        out.append((lab["type"], _spans(b.text, lab["text"])[0], i))
                        break
                else:
                    errors.append(f"label not located in {doc_path.name}: {lab['type']} {lab['text']!r}")
            return out

        findings = [f for f in res.findings if f.severity != "info"]
        compare(findings, labels("signals"), lang, ftally, errors, doc_path.name)
        compare(res.evidence, labels("positive"), lang, etally, errors, f"{doc_path.name} evidence")
        bands = []
        ok_all = True
        for n, band in expected["checklist_expectation"].items():
            score = res.scorecard.criteria[int(n)].score
            lo, hi = BANDS[band]
            ok = lo <= score <= hi
            ok_all &= ok
            bands.append(f"{n}:{score}{'' if ok else '!'}({band})")
        lines.append(
            f"  {doc_path.name:<28} {'OK ' if ok_all else 'OUT'} {' '.join(bands)}  overall {res.scorecard.overall}"
        )
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--rules", type=Path, default=None)
    ap.add_argument("--show-errors", action="store_true", help="list every false positive and false negative")
    ap.add_argument("--real", action="store_true", help="measure on the real-tender corpus (benchmarks/corpus/real)")
    ap.add_argument("--by-category", action="store_true", help="with --real: precision and recall per category")
    ap.add_argument("--split", choices=["dev", "test"], help="with --real: only this part (tune with --split dev)")
    ap.add_argument(
        "--ids",
        type=Path,
        help="with --real: only the documents whose ids this file lists, one per line "
        "(e.g. a batch labelled this week, measured before any rule is tuned on it)",
    )
    ap.add_argument(
        "--ci",
        action="store_true",
        help="with --real: 95%% bootstrap intervals over documents under each line (how far a figure "
        "could move with another sample of tenders)",
    )
    ap.add_argument(
        "--classify",
        action="store_true",
        help="with --real: count why findings and evidence are missed or false (a finding: kept at "
        "info with its role, confused with another category, placed elsewhere in the block, a listed "
        "name dropped, on a labelled mention, nothing there; evidence: confused, placed, in the "
        "adjacent block, on lock-in text, nothing there); with --show-errors each error is tagged "
        "with its class",
    )
    ap.add_argument(
        "--bands",
        action="store_true",
        help="with --real: per criterion, labelled band against scored band; with --show-errors each "
        "band outside its label lists the terms and items that drove the score",
    )
    args = ap.parse_args()
    if args.real:
        from real_eval import run  # benchmarks/ is on sys.path when this file runs as a script

        splits = (args.split,) if args.split else ("dev", "test")
        ids = frozenset(args.ids.read_text(encoding="utf-8").split()) if args.ids else None
        lines = run(
            show_errors=args.show_errors,
            by_category=args.by_category,
            splits=splits,
            ids=ids,
            rules=args.rules,
            confidence=args.ci,
            classify=args.classify,
            bands=args.bands,
        )
        print("\n".join(lines))
        return 0
    if not (args.corpus / "paragraphs.jsonl").is_file():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    ruleset = load_ruleset(args.rules)
    ftally, etally, errors = Tally(), Tally(), []
    eval_paragraphs(args.corpus, ruleset, ftally, etally, errors)
    doc_lines = eval_documents(args.corpus, ruleset, ftally, etally, errors)
    langs = sorted({k[0] for k in ftally.label} | {k[0] for k in ftally.pred})
    for title, tally in (("FINDINGS", ftally), ("EVIDENCE", etally)):
        print(f"{title} (precision / recall, predictions / labels)")
        for lang in langs:
            keys = [k for k in set(tally.label) | set(tally.pred) if k[0] == lang]
            p, r, n_p, n_l = tally.pr(keys)
            print(f"  {lang}: P {p:.3f}  R {r:.3f}  ({n_p} / {n_l})")
            for cat in sorted({k[1] for k in keys}):
                p, r, n_p, n_l = tally.pr([(lang, cat)])
                print(f"      {cat:<30} P {p:.3f}  R {r:.3f}  ({n_p} / {n_l})")
    print("DOCUMENTS (criterion:score(expected band); ! = outside band)")
    print("\n".join(doc_lines))
    if args.show_errors:
        print("ERRORS")
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
