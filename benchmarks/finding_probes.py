"""Measure the finding rules and the role stage on the finding probe sets
(tests/data/probes/findings_<lang>.yaml, held out: findings_holdout_<lang>.yaml).

The probe sets are sentences written for this repository from the general language of public
procurement (RFPs, RFQs, statements of work, council award reports, sole-source justifications,
IT standards lists, licence schedules, pliegos, estudios previos, termos de referência, ETPs,
editais, CCTP), never taken or paraphrased from a tender. Two kinds of probe:

- **role probes** (`roles:`): a sentence (or a few paragraphs: title, heading, text) and the
  mention in it whose role is known. For `required`, `object` and `continuity` the mention must
  get an error or warning finding of each listed category with that role (a lock-in positive);
  for every other role it must get no error or warning finding at all (a hard negative), and
  its role, when a finding is reported as a note, must be the one given.
- **category probes** (`categories:`): `positive` items name a mention that must get an
  error/warning finding of the category (with the role given, default `required`); `negative`
  items (hard negatives: the category's words in another sense, negated, an example, the
  installed base...) must get no error/warning finding of the category (on the mention when one
  is named, else anywhere in the text).

Figures: probe recall (lock-in positives found) and precision (found positives over found
positives plus hard negatives flagged), per language, role and category; role accuracy (the
role the engine gives equals the labelled one; a mention the engine drops counts as right for
a role that reports nothing: `negated`, or a vendor named on its own, whose notes are dropped).

    python benchmarks/finding_probes.py [--set findings|holdout] [--lang es] [--show-errors]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ospo_procure.constants import LANGUAGES as CONSTANT_LANGUAGES
from ospo_procure.lint import lint_text
from ospo_procure.model import FINDING_CATEGORIES, ROLES, SEVERITY_RANK, Finding
from ospo_procure.rules import RuleSet, load_ruleset

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "tests" / "data" / "probes"
LANGUAGES = CONSTANT_LANGUAGES
LOCK_IN_ROLES = ("required", "object", "continuity")
CATEGORIES = FINDING_CATEGORIES
SETS = {"findings": "findings_{lang}.yaml", "holdout": "findings_holdout_{lang}.yaml"}
REPORTED = ("error", "warning")


@dataclass(frozen=True)
class Probe:
    lang: str
    group: str  # "role <name>" or "category <name>"
    text: str
    mention: str | None
    role: str | None  # the labelled role of the mention (None: a category negative without one)
    categories: tuple[str, ...]  # categories that must be found (positives) or must not (negatives)
    positive: bool

    def where(self) -> str:
        return f"[{self.lang}] {self.group}: {self.text!r}" + (f" <{self.mention}>" if self.mention else "")


def _cats(raw: object, default: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None:
        return default
    return (raw,) if isinstance(raw, str) else tuple(raw)  # type: ignore[arg-type]


def load_probes(lang: str, probe_set: str = "findings") -> list[Probe]:
    path = PROBES / SETS[probe_set].format(lang=lang)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("language") != lang:
        raise ValueError(f"{path.name}: language is {data.get('language')!r}, expected {lang!r}")
    probes: list[Probe] = []
    for role, items in (data.get("roles") or {}).items():
        if role not in ROLES:
            raise ValueError(f"{path.name}: unknown role {role!r}")
        for item in items:
            lock_in = role in LOCK_IN_ROLES
            probes.append(
                Probe(
                    lang,
                    f"role {role}",
                    item["text"],
                    item["mention"],
                    role,
                    _cats(item.get("category"), ("brand",)) if lock_in else (),
                    lock_in,
                )
            )
    for cat, sets in (data.get("categories") or {}).items():
        if cat not in CATEGORIES:
            raise ValueError(f"{path.name}: unknown category {cat!r}")
        for item in sets.get("positive", []):
            item = item if isinstance(item, dict) else {"text": item}
            probes.append(
                Probe(
                    lang,
                    f"category {cat}",
                    item["text"],
                    item["mention"],
                    item.get("role", "required"),
                    (cat, *_cats(item.get("also"), ())),  # `also`: categories the same mention must give too
                    True,
                )
            )
        for item in sets.get("negative", []):
            item = item if isinstance(item, dict) else {"text": item}
            probes.append(
                Probe(lang, f"category {cat}", item["text"], item.get("mention"), item.get("role"), (cat,), False)
            )
    for p in probes:
        if p.mention is not None and p.mention not in p.text:
            raise ValueError(f"{path.name}: mention {p.mention!r} not in {p.text!r}")
        if p.role is not None and p.role not in ROLES:
            raise ValueError(f"{path.name}: unknown role {p.role!r} in {p.text!r}")
    return probes


@dataclass
class Outcome:
    probe: Probe
    flagged: bool  # positives: every category found with the role; negatives: a lock-in finding
    role: str | None  # the role the engine gave the mention (None: nothing reported on it)
    role_ok: bool | None  # None: the probe names no role
    findings: list[Finding] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return self.flagged if self.probe.positive else not self.flagged


def _on_mention(result_findings: list[Finding], block: int, start: int, end: int) -> list[Finding]:
    return [f for f in result_findings if f.block_index == block and f.start < end and start < f.end]


def run_probe(probe: Probe, ruleset: RuleSet) -> Outcome:
    result = lint_text(probe.text, language=probe.lang, ruleset=ruleset, score=False)
    findings = [f for f in result.findings if f.kind == "finding"]
    if probe.mention is None:
        hits = [f for f in findings if f.category in probe.categories and f.severity in REPORTED]
        return Outcome(probe, bool(hits), None, None, hits)
    # the mention in the last block that names it (a title or heading may come first)
    block = max(i for i, b in enumerate(result.blocks) if probe.mention in b.text)
    start = result.blocks[block].text.index(probe.mention)
    on = _on_mention(findings, block, start, start + len(probe.mention))
    reported = [f for f in on if f.severity in REPORTED]
    if probe.positive:  # as the corpus evaluation counts: the category at error or warning level
        flagged = all(any(f.category == cat for f in reported) for cat in probe.categories)
    elif probe.categories:  # a category negative: only that category counts
        flagged = any(f.category in probe.categories for f in reported)
    else:
        flagged = bool(reported)
    ranked = sorted(on, key=lambda f: (f.category not in probe.categories, -SEVERITY_RANK.get(f.severity, 0)))
    given = next((f.role for f in ranked if f.role), None)
    role_ok = None
    if probe.role is not None and (
        given is not None or probe.role in LOCK_IN_ROLES or _reports_nothing(probe, ruleset)
    ):
        role_ok = given == probe.role or (given is None and probe.role not in LOCK_IN_ROLES)
    return Outcome(probe, flagged, given, role_ok, on)


def _reports_nothing(probe: Probe, ruleset: RuleSet) -> bool:
    """Whether the engine reports nothing for this role on this mention by design: a negated
    mention, or a vendor named on its own (its non-lock-in roles are dropped)."""
    if ruleset.roles.roles[probe.role or ""].outcome == "none":
        return True
    mention = probe.mention or ""
    products = ruleset.products
    return products is not None and not list(products.scan(mention)) and bool(list(products.scan_vendors(mention)))


@dataclass
class Counts:
    positives: int = 0
    found: int = 0
    negatives: int = 0
    false_alarms: int = 0
    roles: int = 0
    roles_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, o: Outcome) -> None:
        p = o.probe
        if p.positive:
            self.positives += 1
            self.found += o.flagged
        else:
            self.negatives += 1
            self.false_alarms += o.flagged
        if o.role_ok is not None:
            self.roles += 1
            self.roles_ok += o.role_ok
        if not o.right or o.role_ok is False:
            what = [(f.rule, f.match, f.severity, f.role, f.role_reason) for f in o.findings]
            kind = "MISS" if p.positive and not o.flagged else "FALSE" if o.flagged and not p.positive else "ROLE"
            self.errors.append(f"{kind} {p.where()} role={p.role} given={o.role} -> {what}")

    def merge(self, other: Counts) -> None:
        for name in ("positives", "found", "negatives", "false_alarms", "roles", "roles_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def recall(self) -> float | None:
        return self.found / self.positives if self.positives else None

    def precision(self) -> float | None:
        flagged = self.found + self.false_alarms
        return self.found / flagged if flagged else None

    def role_accuracy(self) -> float | None:
        return self.roles_ok / self.roles if self.roles else None


def measure(
    ruleset: RuleSet, langs: Iterable[str] = LANGUAGES, probe_set: str = "findings"
) -> dict[tuple[str, str], Counts]:
    """Counts per (language, group)."""
    out: dict[tuple[str, str], Counts] = defaultdict(Counts)
    for lang in langs:
        for probe in load_probes(lang, probe_set):
            out[(lang, probe.group)].add(run_probe(probe, ruleset))
    return dict(out)


def _f(x: float | None) -> str:
    return "  - " if x is None else f"{x:.2f}"


def _row(name: str, c: Counts) -> str:
    return (
        f"{name:<36} R {_f(c.recall())} ({c.found}/{c.positives})  P {_f(c.precision())}  "
        f"false {c.false_alarms}/{c.negatives}  roles {_f(c.role_accuracy())} ({c.roles_ok}/{c.roles})"
    )


def totals(results: dict[tuple[str, str], Counts]) -> dict[str, Counts]:
    """Per language and overall ("all")."""
    out: dict[str, Counts] = defaultdict(Counts)
    for (lang, _), c in results.items():
        out[lang].merge(c)
        out["all"].merge(c)
    return dict(out)


def report(results: dict[tuple[str, str], Counts], show_errors: bool = False, detail: bool = True) -> list[str]:
    lines: list[str] = []
    groups = sorted({g for _, g in results})
    for lang in LANGUAGES:
        if not any(key[0] == lang for key in results):
            continue
        if detail:
            lines += [_row(f"  {lang} {g}", results[(lang, g)]) for g in groups if (lang, g) in results]
    for g in groups:
        c = Counts()
        for lang in LANGUAGES:
            if (lang, g) in results:
                c.merge(results[(lang, g)])
        lines.append(_row(f"all {g}", c))
    tot = totals(results)
    lines += [_row(f"{lang} ALL", tot[lang]) for lang in LANGUAGES if lang in tot]
    lines.append(_row("ALL", tot["all"]))
    if show_errors:
        lines += ["", *tot["all"].errors]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", dest="probe_set", choices=sorted(SETS), default="findings")
    ap.add_argument("--lang", action="append", choices=LANGUAGES)
    ap.add_argument("--rules", type=Path, help="rule folder (default: the bundled rules)")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--brief", action="store_true", help="totals per group and language only")
    args = ap.parse_args()
    ruleset = load_ruleset(args.rules) if args.rules else load_ruleset()
    results = measure(ruleset, args.lang or LANGUAGES, args.probe_set)
    print("\n".join(report(results, args.show_errors, detail=not args.brief)))


if __name__ == "__main__":
    main()
