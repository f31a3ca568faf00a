"""Measure the evidence rules on the probe sets (tests/data/probes/evidence_<lang>.yaml).

The probe sets are sentences written for this repository from the general language of public
procurement (never taken from a tender): for each evidence category and language, positives
(the way buyers write that commitment) and hard negatives (the same words negated, conditional,
descriptive, a heading, or another sense of the word). They measure whether the rules describe
the language of procurement rather than the wording of the documents they were tuned on.

A positive counts as found when the sentence yields at least one evidence item of its category;
a negative counts as a false alarm when it yields one. Precision is found positives over found
positives plus false alarms; "multi" counts positives with more than one item of the category
(the scorer counts a sentence once, but each extra item is a prediction in the corpus figures).

A second, smaller set (holdout_<lang>.yaml) was written before the second round of rule
changes and kept out of the tuning loop: it is measured with `--set holdout`, to check that the
rules did not simply learn the first set.

A third set (framework_<lang>.yaml, es/pt/fr only, `--set framework --lang es --lang pt --lang fr`)
checks legal-framework parity: how the procurement laws and model documents of each language area
(CCAG-TIC and the Code de la commande publique; Lei 14.133/2021, the IN SGD/ME 94/2022 model TRs
and Portugal's Código dos Contratos Públicos; Spain's LCSP and the Latin American laws) phrase each
commitment. Its sentences were written in two batches, each measured before the rules were widened
for it; it is a tuning set, like evidence_<lang>.yaml.

    python benchmarks/probe_eval.py [--set evidence|holdout|framework] [--lang es] [--category tco] [--show-errors]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ospo_procure.constants import LANGUAGES
from ospo_procure.lint import lint_text
from ospo_procure.model import EVIDENCE_CATEGORIES
from ospo_procure.rules import RuleSet, load_ruleset

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "tests" / "data" / "probes"
CATEGORIES = EVIDENCE_CATEGORIES


@dataclass
class ProbeCounts:
    positives: int = 0
    found: int = 0
    negatives: int = 0
    false_alarms: int = 0
    multi: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: ProbeCounts) -> None:
        self.positives += other.positives
        self.found += other.found
        self.negatives += other.negatives
        self.false_alarms += other.false_alarms
        self.multi += other.multi
        self.errors += other.errors

    def recall(self) -> float:
        return self.found / self.positives if self.positives else 1.0

    def precision(self) -> float:
        flagged = self.found + self.false_alarms
        return self.found / flagged if flagged else 1.0


def load_probes(lang: str, probe_set: str = "evidence") -> dict[str, dict[str, list[str]]]:
    """{category: {"positive": [...], "negative": [...]}} for one language."""
    path = PROBES / f"{probe_set}_{lang}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["language"] == lang, f"{path.name} says language {data['language']}"
    return {cat: data["categories"][cat] for cat in CATEGORIES if cat in data["categories"]}


def evidence_of(text: str, lang: str, ruleset: RuleSet) -> list[tuple[str, str, str]]:
    """(category, rule, match) of every evidence item the linter finds in one probe sentence."""
    result = lint_text(text, language=lang, ruleset=ruleset, score=False)
    return [(e.category, e.rule, e.match) for e in result.evidence]


def measure(
    ruleset: RuleSet,
    langs: Iterable[str] = LANGUAGES,
    categories: Iterable[str] = CATEGORIES,
    probe_set: str = "evidence",
) -> dict[tuple[str, str], ProbeCounts]:
    cats = set(categories)
    out: dict[tuple[str, str], ProbeCounts] = {}
    for lang in langs:
        for cat, sets in load_probes(lang, probe_set).items():
            if cat not in cats:
                continue
            c = ProbeCounts()
            for text in sets.get("positive", []):
                items = [i for i in evidence_of(text, lang, ruleset) if i[0] == cat]
                c.positives += 1
                c.found += bool(items)
                c.multi += len(items) > 1
                if not items:
                    c.errors.append(f"MISS [{lang}] {cat}: {text}")
                elif len(items) > 1:
                    c.errors.append(f"MULTI [{lang}] {cat}: {text} -> {[(r, m) for _, r, m in items]}")
            for text in sets.get("negative", []):
                items = [i for i in evidence_of(text, lang, ruleset) if i[0] == cat]
                c.negatives += 1
                c.false_alarms += bool(items)
                if items:
                    c.errors.append(f"FALSE [{lang}] {cat}: {text} -> {[(r, m) for _, r, m in items]}")
            out[(lang, cat)] = c
    return out


def _row(name: str, c: ProbeCounts) -> str:
    return (
        f"{name:<34} R {c.recall():.2f} ({c.found}/{c.positives})  P {c.precision():.2f}  "
        f"false alarms {c.false_alarms}/{c.negatives}  multi {c.multi}"
    )


def report(results: dict[tuple[str, str], ProbeCounts], show_errors: bool = False) -> list[str]:
    lines: list[str] = []
    langs = sorted({lang for lang, _ in results}, key=LANGUAGES.index)
    total = ProbeCounts()
    for lang in langs:
        per_lang = ProbeCounts()
        for cat in CATEGORIES:
            if (lang, cat) in results:
                c = results[(lang, cat)]
                per_lang.add(c)
                lines.append(_row(f"  {lang} {cat}", c))
        lines.append(_row(f"{lang} all", per_lang))
        total.add(per_lang)
    for cat in CATEGORIES:
        per_cat = ProbeCounts()
        for lang in langs:
            if (lang, cat) in results:
                per_cat.add(results[(lang, cat)])
        if per_cat.positives or per_cat.negatives:
            lines.append(_row(f"all {cat}", per_cat))
    lines.append(_row("ALL", total))
    if show_errors:
        lines += ["", *total.errors]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", dest="probe_set", choices=("evidence", "holdout", "framework"), default="evidence")
    ap.add_argument("--lang", action="append", choices=LANGUAGES)
    ap.add_argument("--category", action="append", choices=CATEGORIES)
    ap.add_argument("--rules", type=Path, help="rule folder (default: the bundled rules)")
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    ruleset = load_ruleset(args.rules) if args.rules else load_ruleset()
    results = measure(ruleset, args.lang or LANGUAGES, args.category or CATEGORIES, args.probe_set)
    print("\n".join(report(results, args.show_errors)))


if __name__ == "__main__":
    main()
