"""The real-tender corpus (benchmarks/corpus/real/): manifest, documents and labels.

Loads the manifest and the label files written by the guideline in docs/labelling.md, reads
each document with the project's readers (never the linter) and locates every label in the
reader's blocks. `python benchmarks/realcorpus.py check` validates the corpus and prints its
counts; labellers run it before committing labels. corpus_eval.py builds on `load_corpus`.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import yaml

from ospo_procure.model import EVIDENCE_CATEGORIES, FINDING_CATEGORIES, ROLES, Document
from ospo_procure.readers import read_document

ROOT = Path(__file__).resolve().parent / "corpus" / "real"
COLUMNS = ["id", "language", "country", "buyer", "source_url", "reuse", "split", "path", "date", "kind", "title"]
KINDS = ("whole", "long", "excerpt")
BANDS = ("low", "mid", "high")
SIGNAL_ROLES = ("required", "object", "continuity")
MENTION_ROLES = tuple(r for r in ROLES if r not in SIGNAL_ROLES)
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Label:
    kind: str  # signal | evidence | mention
    category: str
    role: str | None
    text: str
    context: str | None
    why: str


class Placed(Protocol):
    """Anything placed in a block of a document: a located label, a prediction, a mention seen."""

    @property
    def block(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Place(NamedTuple):
    block: int
    start: int
    end: int


def overlaps(a: Placed, b: Placed) -> bool:
    """Whether two places share characters of one block: how every measure matches a finding to
    a label."""
    return a.block == b.block and a.start < b.end and b.start < a.end


@dataclass(frozen=True)
class Located:
    label: Label
    block: int
    start: int  # offsets in the block's own text
    end: int


@dataclass
class CorpusDoc:
    meta: dict[str, str]
    path: Path
    labels: list[Label]
    bands: dict[int, str]
    document: Document | None = None
    located: list[Located] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta["id"]


class Normalised:
    """A block's text with whitespace runs collapsed and soft hyphens dropped, mapped back."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        offsets: list[int] = []
        prev_space = True
        for i, ch in enumerate(text):
            if ch == "\u00ad":
                continue
            if ch.isspace():
                if prev_space:
                    continue
                ch, prev_space = " ", True
            else:
                prev_space = False
            chars.append(ch)
            offsets.append(i)
        self.text = "".join(chars)
        self.offsets = [*offsets, len(text)]

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        out, i = [], self.text.find(needle)
        while i != -1:
            out.append((self.offsets[i], self.offsets[i + len(needle) - 1] + 1))
            i = self.text.find(needle, i + 1)
        return out


def normalise(s: str) -> str:
    return _WS.sub(" ", s.replace("\u00ad", "")).strip()


def read_manifest(root: Path = ROOT) -> list[dict[str, str]]:
    with (root / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            raise SystemExit(f"manifest.csv: columns must be {','.join(COLUMNS)}; got {reader.fieldnames}")
        return list(reader)


def _parse_label(raw: Any, where: str, problems: list[str]) -> Label | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        problems.append(f"{where}: a span needs a non-empty `text`")
        return None
    kind, cat, role = raw.get("kind"), raw.get("category"), raw.get("role")
    if kind == "evidence":
        ok_cat, ok_role = cat in EVIDENCE_CATEGORIES, role is None
    elif kind == "signal":
        ok_cat, ok_role = cat in FINDING_CATEGORIES, role in SIGNAL_ROLES
    elif kind == "mention":
        ok_cat, ok_role = cat in FINDING_CATEGORIES, role in MENTION_ROLES
    else:
        problems.append(f"{where}: kind must be signal, evidence or mention, not {kind!r}")
        return None
    if not ok_cat:
        problems.append(f"{where}: category {cat!r} is not a {kind} category")
    if not ok_role:
        allowed = {"signal": SIGNAL_ROLES, "mention": MENTION_ROLES}.get(kind, ("(none)",))
        problems.append(f"{where}: role {role!r} does not fit kind {kind} (allowed: {', '.join(allowed)})")
    if not (ok_cat and ok_role):
        return None
    context = raw.get("context")
    return Label(
        kind, str(cat), role, normalise(raw["text"]), normalise(context) if context else None, raw.get("why", "")
    )


def load_labels(path: Path, meta: dict[str, str]) -> tuple[list[Label], dict[int, str], list[str]]:
    problems: list[str] = []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        return [], {}, [f"{path.name}{line}: not valid YAML ({getattr(exc, 'problem', exc)})"]
    if not isinstance(data, dict):
        return [], {}, [f"{path.name}: the label file must be a mapping (id, labelled_on, spans, criteria)"]
    if data.get("id") != meta["id"]:
        problems.append(f"{path.name}: id {data.get('id')!r} differs from the manifest's {meta['id']!r}")
    if not data.get("labelled_on"):
        problems.append(f"{path.name}: `labelled_on` (the date the labels were made) is missing")
    labels = [
        lab
        for i, raw in enumerate(data.get("spans") or [])
        if (lab := _parse_label(raw, f"{path.name} span {i + 1}", problems)) is not None
    ]
    bands: dict[int, str] = {}
    for key, value in (data.get("criteria") or {}).items():
        band = value.get("band") if isinstance(value, dict) else None
        if str(key) not in {str(n) for n in range(1, 10)} or band not in BANDS:
            problems.append(f"{path.name}: criterion {key!r} needs a band low, mid or high")
            continue
        if not str(value.get("because", "")).strip():
            problems.append(f"{path.name}: criterion {key} needs `because:` (the document's own words)")
        bands[int(key)] = band
    if meta.get("kind") in ("whole", "long") and len(bands) != 9:
        problems.append(f"{path.name}: a {meta['kind']} document needs a band for each of the nine criteria")
    return labels, bands, problems


def locate(doc: CorpusDoc) -> None:
    """Find every label in the document's blocks (whitespace-normalised, exact case)."""
    assert doc.document is not None
    norms = [Normalised(b.text) for b in doc.document.blocks]
    with_context: list[Located] = []
    for lab in doc.labels:
        if lab.context is None:
            continue
        hits = [(bi, s, e) for bi, n in enumerate(norms) for s, e in n.find_all(lab.context)]
        if len(hits) != 1:
            doc.problems.append(f"context {lab.context[:60]!r} occurs {len(hits)} times; it must occur once")
            continue
        bi, s, _ = hits[0]
        inner = Normalised(doc.document.blocks[bi].text[s:]).find_all(lab.text)
        if not inner:
            doc.problems.append(f"text {lab.text!r} is not inside its context {lab.context[:60]!r}")
            continue
        with_context.append(Located(lab, bi, s + inner[0][0], s + inner[0][1]))
    taken = {(loc.label.text, loc.block, loc.start) for loc in with_context}
    doc.located = list(with_context)
    for lab in doc.labels:
        if lab.context is not None:
            continue
        hits = [(bi, s, e) for bi, n in enumerate(norms) for s, e in n.find_all(lab.text)]
        if not hits:
            doc.problems.append(f"{lab.kind} {lab.category} text {lab.text[:80]!r} not found in the document")
        doc.located.extend(Located(lab, bi, s, e) for bi, s, e in hits if (lab.text, bi, s) not in taken)


def load_corpus(
    root: Path = ROOT, *, split: str | None = None, read: bool = True, label_dir: Path | None = None
) -> list[CorpusDoc]:
    """The manifest's documents with their labels; `label_dir` is another folder of label files (a
    second labeller's, benchmarks/corpus/real/agreement/labels/): then only the documents that
    have a file there are loaded."""
    docs: list[CorpusDoc] = []
    for meta in read_manifest(root):
        if split is not None and meta["split"] != split:
            continue
        path = root / meta["path"]
        label_path = (label_dir or root / "labels") / f"{meta['id']}.yaml"
        if label_dir is not None and not label_path.is_file():
            continue
        if label_path.is_file():
            labels, bands, problems = load_labels(label_path, meta)
        else:
            labels, bands, problems = [], {}, [f"no label file labels/{meta['id']}.yaml"]
        doc = CorpusDoc(meta, path, labels, bands, problems=problems)
        if read:
            doc.document = read_document(path)
            locate(doc)
        docs.append(doc)
    return docs


def _manifest_problems(rows: list[dict[str, str]], root: Path) -> list[str]:
    problems: list[str] = []
    ids = Counter(r["id"] for r in rows)
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    split_of_buyer: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        where = f"manifest row {r['id']}"
        if r["language"] not in ("en", "es", "pt", "fr"):
            problems.append(f"{where}: language {r['language']!r}")
        if r["split"] not in ("dev", "test"):
            problems.append(f"{where}: split must be dev or test")
        if r["kind"] not in KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        if not (root / r["path"]).is_file():
            problems.append(f"{where}: no file {r['path']}")
        for col in ("country", "buyer", "source_url", "reuse", "title"):
            if not r[col].strip():
                problems.append(f"{where}: empty {col}")
        split_of_buyer[(r["country"], r["buyer"])].add(r["split"])
    problems += [f"buyer {b} ({c}) is in both splits" for (c, b), s in split_of_buyer.items() if len(s) > 1]
    return problems


def summary(docs: list[CorpusDoc]) -> list[str]:
    lines = []
    by_lang: dict[str, list[CorpusDoc]] = defaultdict(list)
    for d in docs:
        by_lang[d.meta["language"]].append(d)
    for lang, ds in sorted(by_lang.items()):
        paras = {
            s: sum(len(d.document.blocks) for d in ds if d.meta["split"] == s and d.document) for s in ("dev", "test")
        }
        test_docs = sum(d.meta["split"] == "test" for d in ds)
        long_docs = sum(d.meta["kind"] in ("whole", "long") for d in ds)
        kinds = Counter(loc.label.kind for d in ds for loc in d.located)
        lines.append(
            f"{lang}: {len(ds)} documents ({long_docs} whole/long, {test_docs} test), "
            f"paragraphs dev {paras['dev']} / test {paras['test']}, located labels "
            f"{kinds['signal']} signal, {kinds['evidence']} evidence, {kinds['mention']} mention"
        )
    buyers = {(d.meta["country"], d.meta["buyer"]) for d in docs}
    countries = {d.meta["country"] for d in docs}
    lines.append(f"all: {len(docs)} documents, {len(buyers)} buyers, {len(countries)} countries")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description="Validate the real-tender corpus and print its counts.")
    ap.add_argument("command", choices=["check"])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--id", action="append", help="only these document ids")
    ap.add_argument(
        "--labels", type=Path, help="check this folder of label files instead (only the documents it labels)"
    )
    args = ap.parse_args()
    rows = read_manifest(args.root)
    problems = _manifest_problems(rows, args.root)
    docs = [d for d in load_corpus(args.root, read=False, label_dir=args.labels) if not args.id or d.id in args.id]
    for d in docs:
        try:
            d.document = read_document(d.path)
        except Exception as exc:  # report every unreadable document, not only the first
            d.problems.append(f"cannot read {d.path.name}: {exc}")
            continue
        locate(d)
    for d in docs:
        problems += [f"{d.id}: {p}" for p in d.problems]
    print("\n".join(summary([d for d in docs if d.document is not None])))
    for p in problems:
        print(f"PROBLEM {p}")
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
