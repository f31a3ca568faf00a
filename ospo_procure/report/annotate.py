"""An annotated copy of a .docx tender: one Word comment per finding, on the exact words.

The docx reader's `paragraph_segments` maps block-text offsets to the `w:t` elements
they came from, so a finding's [start, end) becomes a run range: runs are split at the
two boundaries (the split halves are deep copies, keeping `w:rPr` formatting) and the
comment is anchored on the runs in between. Word allows comments only in the main
document story (body and its tables); findings in headers, footers, notes and text
boxes are listed in one summary comment on the first body paragraph instead.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo_procure.errors import UsageError
from ospo_procure.fsutil import atomic_write_bytes
from ospo_procure.model import Block, FileResult, Finding
from ospo_procure.readers.docx_reader import (
    W,
    extract_blocks,
    paragraph_segments,
    paragraph_text,
    parts_from_python_docx,
)
from ospo_procure.report._shared import waiver_text, xml_safe

_R, _RPR, _T = W + "r", W + "rPr", W + "t"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ANCHORABLE_PARTS = ("body", "table")


@dataclass
class AnnotateStats:
    comments: int = 0  # comments written, the summary comment included
    anchored: int = 0  # findings anchored on exactly their matched words
    fallback: int = 0  # findings anchored on their whole paragraph (words could not be isolated)
    summarized: int = 0  # findings listed in the summary comment (headers, footers, notes...)
    waived: int = 0  # waived findings among all of the above


def annotate_docx(
    source: Path,
    result: FileResult,
    dest: Path,
    *,
    author: str = "ospo-procure",
    initials: str = "OP",
) -> AnnotateStats:
    """Write `dest`: a copy of `source` with the findings of `result` as Word comments."""
    import docx  # python-docx is only needed here: keep it off the CLI start-up path

    source, dest = Path(source), Path(dest)
    if dest.resolve() == source.resolve():
        raise UsageError("refusing to overwrite the input; choose another output path", path=dest)
    document = docx.Document(str(source))
    blocks, _ = extract_blocks(parts_from_python_docx(document))
    body_root = document.element
    stats = AnnotateStats()
    leftovers: list[tuple[Finding, str]] = []  # (finding, why it is in the summary)

    for f in sorted(result.findings, key=lambda f: (f.block_index, f.start)):
        stats.waived += f.waived
        located = _locate(blocks, f)
        if located is None:
            leftovers.append((f, "text not found in this copy"))
            continue
        block, start, end = located
        p = block.anchor
        if block.location.part not in _ANCHORABLE_PARTS or p.getroottree().getroot() is not body_root or _in_textbox(p):
            leftovers.append((f, "Word allows no comments here"))
            continue
        runs = _isolate(p, start, end)
        if runs is not None and "".join(paragraph_text(r) for r in runs) == f.match:
            _comment(document, runs, _comment_text(f), author, initials)
            stats.anchored += 1
        else:
            runs = _paragraph_runs(p)
            if not runs:
                leftovers.append((f, "paragraph has no runs to anchor on"))
                continue
            text = f"(On the whole paragraph: the words “{f.match}” could not be isolated.)\n" + _comment_text(f)
            _comment(document, runs, text, author, initials)
            stats.fallback += 1
        stats.comments += 1

    if leftovers:
        target = next(
            (
                runs
                for b in blocks
                if b.location.part in _ANCHORABLE_PARTS
                and b.anchor.getroottree().getroot() is body_root
                and not _in_textbox(b.anchor)
                and (runs := _paragraph_runs(b.anchor))
            ),
            None,
        )
        if target is not None:
            _comment(document, target, _summary_text(leftovers), author, initials)
            stats.comments += 1
            stats.summarized = len(leftovers)

    buf = io.BytesIO()
    document.save(buf)
    atomic_write_bytes(dest, buf.getvalue(), inputs=[source])
    return stats


def _locate(blocks: list[Block], f: Finding) -> tuple[Block, int, int] | None:
    """The block and span of `f` in this copy, checked against the matched text."""
    if 0 <= f.block_index < len(blocks) and blocks[f.block_index].text[f.start : f.end] == f.match:
        return blocks[f.block_index], f.start, f.end
    if not f.match:
        return None
    # Block numbering differs (e.g. the result came from another reader version): use the location.
    for b in blocks:
        if b.location == f.location:
            pos = b.text.find(f.match)
            if pos >= 0:
                return b, pos, pos + len(f.match)
    return None


def _in_textbox(p: Any) -> bool:
    return any(a.tag == W + "txbxContent" for a in p.iterancestors())


def _run_spans(p: Any) -> dict[Any, list[tuple[int, int, Any]]]:
    """Segments of the paragraph grouped by their w:r, in document order."""
    spans: dict[Any, list[tuple[int, int, Any]]] = {}
    segments: list[tuple[int, int, Any]] = paragraph_segments(p)
    for s, e, el in segments:
        r = el.getparent()
        if r is not None and r.tag == _R:
            spans.setdefault(r, []).append((s, e, el))
    return spans


def _split_run(r: Any, segs: list[tuple[int, int, Any]], k: int) -> None:
    """Split run `r` at block offset `k` (strictly inside it) into two formatted runs."""
    right = copy.deepcopy(r)
    seg_of = {el: (s, e) for s, e, el in segs}
    on_right = False
    for child, twin in zip(list(r), list(right), strict=True):
        if child.tag == _RPR:
            continue  # both halves keep the formatting
        span = seg_of.get(child)
        if span is None:  # no text (field char, page-break marker...): stays with its neighbours
            (r if on_right else right).remove(child if on_right else twin)
            continue
        s, e = span
        if e <= k:
            right.remove(twin)
        elif s >= k:
            r.remove(child)
            on_right = True
        else:  # a w:t straddling k
            cut = k - s
            child.text, twin.text = child.text[:cut], child.text[cut:]
            child.set(_XML_SPACE, "preserve")
            twin.set(_XML_SPACE, "preserve")
            on_right = True
    r.addnext(right)


def _split_at(p: Any, k: int) -> None:
    for r, segs in _run_spans(p).items():
        if segs[0][0] < k < segs[-1][1]:
            _split_run(r, segs, k)
            return


def _isolate(p: Any, start: int, end: int) -> list[Any] | None:
    """Runs covering exactly [start, end) after splitting, or None if that is impossible."""
    if end <= start:
        return None
    _split_at(p, start)
    _split_at(p, end)
    runs = []
    for r, segs in _run_spans(p).items():
        lo, hi = segs[0][0], segs[-1][1]
        if hi <= start or lo >= end:
            continue
        if lo < start or hi > end:
            return None  # could not be split (text outside a w:r)
        runs.append(r)
    return runs or None


def _paragraph_runs(p: Any) -> list[Any]:
    return list(_run_spans(p))


def _comment(document: Any, runs: list[Any], text: str, author: str, initials: str) -> None:
    from docx.text.run import Run

    # Only the first and last run matter: the range markers go around them.
    document.add_comment(
        [Run(runs[0], document), Run(runs[-1], document)], text=xml_safe(text), author=author, initials=initials
    )


def _comment_text(f: Finding) -> str:
    head = f"[{f.severity.upper()}] {f.rule}"
    if f.criteria:
        head += " (checklist criteria " + ", ".join(str(c) for c in f.criteria) + ")"
    lines = [head, f.message]
    if f.note:
        lines.append(f"Note: {f.note}")
    if f.legal_basis:
        lines.append(f"Legal basis: {f.legal_basis}")
    if f.suggestion:
        lines.append(f"Suggestion: {f.suggestion}")
    if f.waiver is not None:
        lines[0] = "[WAIVED] " + lines[0]
        lines.append(f"Waived: {waiver_text(f.waiver)}")
    return "\n".join(lines)


def _summary_text(leftovers: list[tuple[Finding, str]]) -> str:
    lines = [
        f"ospo-procure: {len(leftovers)} finding(s) outside the main text "
        "(headers, footers, footnotes, text boxes), where Word allows no comments:"
    ]
    for f, why in leftovers:
        waived = f" [WAIVED: {waiver_text(f.waiver)}]" if f.waiver is not None else ""
        line = f"• [{f.severity.upper()}] {f.rule} at {f.location.label()}: “{f.match}” — {f.message}"
        if f.suggestion:
            line += f" Suggestion: {f.suggestion}"
        if why != "Word allows no comments here":
            line += f" ({why})"
        lines.append(line + waived)
    return "\n".join(lines)
