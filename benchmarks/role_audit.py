"""Audit the role stage's cues against the labels of the real-tender corpus.

For every finding candidate (a product, vendor, format or term a signal rule matched) the role
stage records which step decided its role (`Decision.path`: a cue group of roles.yaml with its
line, a section, the stated object, a rule's exception, the undecided default). This script
counts, per language and per path, how many mentions the path decided, how many of those the
labels agree with, and which role the labels gave instead; one column block per id list, so the
two halves of the development part can be read side by side:

    python benchmarks/role_audit.py --ids /work/devA_ids.txt --ids /work/devB_ids.txt --lang en
    python benchmarks/role_audit.py --ids /work/devA_ids.txt --show "role existing cue 12"

A mention is counted once per path (a product is a candidate of several rules). The truth is the
role of the label that overlaps it (same category first, a signal before a mention); a mention
with no label is `-` (the guideline labels every named product that is not lock-in, so an
unlabelled one is usually no product at all). Columns: `n` mentions the path decided; `ok` the
share reported (error or warning) exactly where the label is lock-in (required, object,
continuity); `fpE`/`fpW` errors/warnings on a mention the labels call no lock-in (a role error,
or no product); `fn` lock-in signals the path leaves unreported; then the label roles where the
path was wrong.

`--silenced` lists the lock-in signals a plain brand list finds (required or object) that no
candidate reports at error or warning level, with the path that silenced each.

Only the development part: test documents are for figures (docs/labelling.md).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from real_eval import Baseline
from realcorpus import ROOT, CorpusDoc, Located, Place, Placed, load_corpus, overlaps

from ospo_procure.lint import lint_document
from ospo_procure.matching import Candidate
from ospo_procure.roles import Decision
from ospo_procure.rules import RuleSet, load_ruleset

LOCK_IN = frozenset({"required", "object", "continuity"})
REPORTED = frozenset({"error", "warning"})


@dataclass
class Seen:
    """One mention as one path decided it."""

    doc: str
    block: int
    start: int
    end: int
    category: str
    role: str  # decided role, or "drop"
    severity: str  # reported severity, or "none"
    truth: str  # the label's role, or "-"
    reason: str
    sentence: str


@dataclass
class Stats:
    n: int = 0
    right: int = 0  # reported (error or warning) exactly where the label is lock-in
    fp_error: int = 0  # an error on a mention the labels call no lock-in (or no product)
    fp_warning: int = 0  # the same at warning level
    fn: int = 0  # a lock-in signal the path leaves unreported (info, nothing, dropped)
    instead: Counter[str] = field(default_factory=Counter)  # label roles where the path was wrong

    def add(self, s: Seen) -> None:
        self.n += 1
        reported, lock_in = s.severity in REPORTED, s.truth in LOCK_IN
        self.right += reported == lock_in
        self.fp_error += reported and not lock_in and s.severity == "error"
        self.fp_warning += reported and not lock_in and s.severity == "warning"
        self.fn += lock_in and not reported
        if reported != lock_in:
            self.instead[s.truth] += 1


# A product gives both the brand and the platform finding (docs/labelling.md): a label of either
# is the truth of a candidate of either. Other categories' labels are other findings' truth.
_FAMILY = {"brand": {"brand", "proprietary_technology"}, "proprietary_technology": {"brand", "proprietary_technology"}}


def _truth(labels: list[Located], place: Placed, category: str) -> str:
    family = _FAMILY.get(category, {category})
    over = [loc for loc in labels if overlaps(loc, place) and loc.label.category in family]
    if not over:
        return "-"
    over.sort(key=lambda loc: (loc.label.category != category, loc.label.kind != "signal"))
    return over[0].label.role or "-"


def _path_key(d: Decision) -> str:
    return d.path or ("drop" if d.role is None else "?")


def audit_doc(doc: CorpusDoc, ruleset: RuleSet) -> list[tuple[str, Seen]]:
    """Every (path, mention) of one document, as the lint itself decided them."""
    assert doc.document is not None
    trace: list[tuple[int, Candidate, Decision]] = []
    lint_document(doc.document, language=doc.meta["language"], ruleset=ruleset, score=False, role_trace=trace)
    labels = [loc for loc in doc.located if loc.label.kind != "evidence"]
    out: dict[tuple[str, int, int, int], tuple[str, Seen]] = {}
    for index, cand, decision in trace:
        path = _path_key(decision)
        key = (path, index, cand.start, cand.end)
        if key in out:
            continue
        text = doc.document.blocks[index].text
        role = decision.role if decision.role is not None else "drop"
        severity = cand.severity if cand.role is not None and cand.severity is not None else "none"
        out[key] = (
            path,
            Seen(
                doc.id,
                index,
                cand.start,
                cand.end,
                cand.rule.category,
                role,
                severity,
                _truth(labels, Place(index, cand.start, cand.end), cand.rule.category),
                decision.reason,
                " ".join(text[max(0, cand.start - 160) : cand.end + 160].split()),
            ),
        )
    return list(out.values())


def _silenced(doc: CorpusDoc, seen: list[tuple[str, Seen]], baseline: Baseline) -> list[tuple[str, Located]]:
    """Signals (required/object) the brand list finds that nothing reports, with what silenced them."""
    assert doc.document is not None
    out: list[tuple[str, Located]] = []
    for loc in doc.located:
        if loc.label.kind != "signal" or loc.label.role not in ("required", "object"):
            continue
        text = doc.document.blocks[loc.block].text
        if not any(overlaps(p, loc) for p in baseline.scan(text, loc.block)):
            continue
        over = [(p, s) for p, s in seen if overlaps(s, loc)]
        if any(s.severity in REPORTED for _, s in over):
            continue
        paths = sorted({f"{p} -> {s.role}/{s.severity}" for p, s in over}) or ["(no candidate)"]
        out.append(("; ".join(paths), loc))
    return out


def _fmt(st: Stats | None) -> str:
    if st is None or not st.n:
        return f"{'':>4} {'':>4} {'':>3} {'':>3} {'':>3}"
    return f"{st.n:>4} {st.right / st.n:>4.2f} {st.fp_error:>3} {st.fp_warning:>3} {st.fn:>3}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ids", action="append", type=Path, help="a file of document ids (repeat for columns)")
    ap.add_argument("--lang", action="append", help="only these languages (repeatable)")
    ap.add_argument("--rules", type=Path, help="a rule folder to audit instead of the bundled rules")
    ap.add_argument("--min", type=int, default=1, help="only paths deciding at least this many mentions")
    ap.add_argument("--show", help="list the mentions of paths containing this text (first --ids only)")
    ap.add_argument("--silenced", action="store_true", help="list silenced brand-list signals (first --ids only)")
    args = ap.parse_args()
    ruleset = load_ruleset(args.rules)
    docs = {d.id: d for d in load_corpus(ROOT) if d.meta["split"] == "dev"}
    id_sets: list[tuple[str, list[str]]] = []
    for f in args.ids or []:
        ids = [i.strip() for i in f.read_text(encoding="utf-8").split() if i.strip() in docs]
        id_sets.append((f.stem, ids))
    if not id_sets:
        id_sets = [("dev", sorted(docs))]
    langs = set(args.lang) if args.lang else None
    # (lang, path) -> stats per id set
    table: dict[tuple[str, str], list[Stats]] = defaultdict(lambda: [Stats() for _ in id_sets])
    shown: list[tuple[str, Seen]] = []
    silenced: list[tuple[str, str, Located]] = []
    baseline = Baseline() if args.silenced else None
    for col, (_, ids) in enumerate(id_sets):
        for doc_id in ids:
            doc = docs[doc_id]
            lang = doc.meta["language"]
            if langs is not None and lang not in langs:
                continue
            seen = audit_doc(doc, ruleset)
            for path, s in seen:
                table[(lang, path)][col].add(s)
                table[("all", path)][col].add(s)
                if col == 0 and args.show and args.show in path:
                    shown.append((path, s))
            if col == 0 and baseline is not None:
                silenced += [(doc_id, why, loc) for why, loc in _silenced(doc, seen, baseline)]
    heads = "".join(f" | {name[:21]:^21}" for name, _ in id_sets)
    print(f"{'lang':<4} {'path':<58}{heads}   roles the labels gave instead")
    print(f"{'':<4} {'':<58}" + " | {:>4} {:>4} {:>3} {:>3} {:>3}".format("n", "ok", "fpE", "fpW", "fn") * len(id_sets))
    order = sorted(table.items(), key=lambda kv: (kv[0][0] == "all", kv[0][0], -sum(s.n for s in kv[1])))
    for (lang, path), stats in order:
        if sum(s.n for s in stats) < args.min:
            continue
        cells = "".join(f" | {_fmt(s)}" for s in stats)
        instead = " / ".join(", ".join(f"{k}:{v}" for k, v in s.instead.most_common(4)) or "." for s in stats)
        print(f"{lang:<4} {path[:58]:<58}{cells}   {instead}")
    if shown:
        print(f"\nMENTIONS ({args.show})")
        for path, s in shown:
            mark = "ok " if (s.severity in REPORTED) == (s.truth in LOCK_IN) else "BAD"
            print(
                f"{mark} {s.doc} [{path}] {s.role}/{s.severity} label={s.truth} reason={s.reason}\n      {s.sentence}"
            )
    if baseline is not None:
        print(f"\nSILENCED SIGNALS ({len(silenced)})")
        by = Counter(why for _, why, _ in silenced)
        for why, n in by.most_common():
            print(f"{n:>4}  {why}")
        for doc_id, why, loc in silenced:
            print(f"  {doc_id} {loc.label.category}/{loc.label.role} {loc.label.text!r}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
