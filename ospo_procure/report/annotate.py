"""An annotated copy of a .docx tender: one Word comment per finding, on the exact words.

The docx reader's `paragraph_segments` maps block-text offsets to the `w:t` elements
they came from, so a finding's [start, end) becomes a run range: each paragraph's runs are
split once at every finding boundary it holds (the pieces keep a copy of `w:rPr`) and each
comment is anchored on the runs in between. Word allows comments only in the main document
story (body and its tables); findings in headers, footers, notes, text boxes and imported
chunks are listed in one summary comment on the first body paragraph instead.

The copy is made from a cleaned in-memory package (readers/docx_package.py), never from the
received file as it is, and the work is linear in the findings: 10,000 comments take
seconds (benchmarks/bench_annotate.py). `annotate_to_file` turns any failure into one line,
so a copy that cannot be made never costs the lint report.
"""

from __future__ import annotations

import bisect
import copy
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_procure.errors import OspoError
from ospo_procure.fsutil import Protected, atomic_write_bytes, check_output
from ospo_procure.i18n import N_
from ospo_procure.limits import Limits
from ospo_procure.model import Block, FileResult, Finding
from ospo_procure.readers.docx_package import clean_package
from ospo_procure.readers.docx_reader import (
    W,
    extract_blocks,
    paragraph_segments,
    paragraph_text,
    parts_from_python_docx,
)
from ospo_procure.readers.safe_xml import Deadline
from ospo_procure.report._shared import xml_safe
from ospo_procure.report.words import Words, file_language, words
from ospo_procure.termsafe import display_path

_R, _RPR, _T = W + "r", W + "rPr", W + "t"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ANCHORABLE_PARTS = ("body", "table")
# Why a finding is listed in the summary comment instead of on its words.
NOT_FOUND = N_("text not found in this copy")
NO_COMMENTS_HERE = N_("Word allows no comments here")
NO_RUNS = N_("paragraph has no runs to anchor on")


@dataclass
class AnnotateStats:
    comments: int = 0  # comments written, the summary comment included
    anchored: int = 0  # findings anchored on exactly their matched words
    fallback: int = 0  # findings anchored on their whole paragraph (words could not be isolated)
    summarized: int = 0  # findings listed in the summary comment (headers, footers, notes...)
    waived: int = 0  # waived findings among all of the above
    notes: list[str] = field(default_factory=list)  # what the copy changed (e.g. macros dropped)


def annotate_docx(
    source: Path,
    result: FileResult,
    dest: Path,
    *,
    author: str = "ospo-procure",
    initials: str = "OP",
    limits: Limits | None = None,
    protected: Iterable[Protected] = (),
    follow_symlinks: bool = False,
    lang: str | None = None,
) -> AnnotateStats:
    """Write `dest`: a copy of `source` with the findings of `result` as Word comments,
    in the report's language (`lang`, else the document's).

    Linear in the document and the findings: each paragraph is split once at every finding
    boundary it holds, and comments are appended with their own id counter (python-docx's
    `add_comment` rescans every existing id, which is quadratic over thousands of comments).
    `limits.max_seconds` bounds the whole step.
    """
    import docx  # python-docx is only needed here: keep it off the CLI start-up path

    source, dest = Path(source), Path(dest)
    target = check_output(dest, inputs=[source], protected=protected, follow_symlinks=follow_symlinks)
    limits = limits or Limits()
    deadline = Deadline(limits, source)
    package, notes = clean_package(source, limits)
    deadline.check(N_("annotating"))
    document = docx.Document(io.BytesIO(package))
    blocks, _ = extract_blocks(parts_from_python_docx(document))
    stats = AnnotateStats(notes=notes)
    _ = words(file_language(result, lang))
    writer = _CommentWriter(document, author, initials)
    placed, leftovers = _place(blocks, result.findings, document.element, stats)
    for n, (p, items) in enumerate(placed.values()):
        if n % 64 == 0:
            deadline.check(N_("annotating"))
        leftovers += _comment_paragraph(p, items, writer, stats, _)
    if leftovers:
        target_runs = next(
            (first for b in blocks if _commentable(b, document.element) and (first := _paragraph_runs(b.anchor))), None
        )
        if target_runs is not None:
            writer.add(target_runs, _summary_text(leftovers, _))
            stats.comments += 1
            stats.summarized = len(leftovers)
    deadline.check(N_("annotating"))
    buf = io.BytesIO()
    document.save(buf)
    atomic_write_bytes(target, buf.getvalue(), inputs=[source], protected=protected)
    return stats


_Placed = dict[int, tuple[Any, list[tuple[Finding, int, int]]]]  # id(w:p) -> (w:p, its findings and spans)


def _commentable(block: Block, body_root: Any) -> bool:
    """Word takes comments only in the main story: body and its tables, not text boxes."""
    p = block.anchor
    return block.location.part in _ANCHORABLE_PARTS and p.getroottree().getroot() is body_root and not _in_textbox(p)


def _place(
    blocks: list[Block], findings: list[Finding], body_root: Any, stats: AnnotateStats
) -> tuple[_Placed, list[tuple[Finding, str]]]:
    """Findings grouped by the paragraph they go on, and those for the summary comment (with why)."""
    placed: _Placed = {}
    leftovers: list[tuple[Finding, str]] = []
    finder = _Locator(blocks)
    for f in sorted(findings, key=lambda f: (f.block_index, f.start)):
        stats.waived += f.waived
        located = finder.locate(f)
        if located is None:
            leftovers.append((f, NOT_FOUND))
            continue
        block, start, end = located
        if not _commentable(block, body_root):
            leftovers.append((f, NO_COMMENTS_HERE))
            continue
        placed.setdefault(id(block.anchor), (block.anchor, []))[1].append((f, start, end))
    return placed, leftovers


def _comment_paragraph(
    p: Any, items: list[tuple[Finding, int, int]], writer: _CommentWriter, stats: AnnotateStats, _: Words
) -> list[tuple[Finding, str]]:
    """Comments on one paragraph's findings, split once at all their boundaries; the findings
    left for the summary comment."""
    _split_paragraph(p, sorted({k for _f, s, e in items for k in (s, e)}))
    runs = _RunIndex(p)
    leftovers: list[tuple[Finding, str]] = []
    for f, start, end in items:
        covered = runs.cover(start, end)
        if covered is not None and "".join(paragraph_text(r) for r in covered) == f.match:
            writer.add(covered, _comment_text(f, _))
            stats.anchored += 1
        elif runs.all:
            whole = _("(On the whole paragraph: the words {match} could not be isolated.)", match=_.quoted(f.match))
            writer.add(runs.all, whole + "\n" + _comment_text(f, _))
            stats.fallback += 1
        else:
            leftovers.append((f, NO_RUNS))
            continue
        stats.comments += 1
    return leftovers


def annotate_to_file(
    source: Path,
    result: FileResult,
    dest: Path,
    **options: Any,
) -> tuple[str, int]:
    """`annotate_docx` for a command: (one line for the user, exit status 0 or 2).

    A copy that cannot be made never costs the lint report: the caller still renders it.
    """
    try:
        stats = annotate_docx(source, result, dest, **options)
    except OspoError as exc:
        return f"annotated copy not written: {exc}", 2
    except (MemoryError, RecursionError) as exc:
        return f"annotated copy not written: the document is too large or nested to annotate ({type(exc).__name__})", 2
    except Exception as exc:  # python-docx on a package it cannot handle; the lint report is still complete
        return (
            f"annotated copy not written: {display_path(source)} could not be opened for annotation "
            f"({type(exc).__name__}: {str(exc)[:200]}); the lint report is complete",
            2,
        )
    extra = "".join(f"; {n}" for n in stats.notes)
    return f"annotated copy written to {display_path(dest)}{extra}", 0


class _Locator:
    """The block and span of a finding in the copy being annotated, checked against its text."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self._by_location: dict[Any, list[Block]] | None = None

    def locate(self, f: Finding) -> tuple[Block, int, int] | None:
        blocks = self.blocks
        if 0 <= f.block_index < len(blocks) and blocks[f.block_index].text[f.start : f.end] == f.match:
            return blocks[f.block_index], f.start, f.end
        if not f.match:
            return None
        # Block numbering differs (e.g. the result came from another reader version): use the location.
        if self._by_location is None:
            self._by_location = {}
            for b in blocks:
                self._by_location.setdefault(b.location, []).append(b)
        for b in self._by_location.get(f.location, []):
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


def _split_paragraph(p: Any, cuts: list[int]) -> None:
    """Split the runs of `p` so that no run straddles an offset in `cuts` (sorted)."""
    for r, segs in _run_spans(p).items():
        lo, hi = segs[0][0], segs[-1][1]
        i = bisect.bisect_right(cuts, lo)
        inner: list[int] = []
        while i < len(cuts) and cuts[i] < hi:
            inner.append(cuts[i])
            i += 1
        if inner:
            _split_run(r, segs, inner)


def _split_run(r: Any, segs: list[tuple[int, int, Any]], cuts: list[int]) -> None:
    """Split run `r` at every block offset in `cuts` (strictly inside it, sorted) in one pass.

    Each piece is a new run with a copy of the formatting (`w:rPr`); a `w:t` that straddles
    cuts is sliced once per piece, so the cost is linear in the run's text and the cuts.
    """
    span_of = {el: (s, e) for s, e, el in segs}
    children = [c for c in r if c.tag != _RPR]
    for c in children:
        r.remove(c)
    template = copy.deepcopy(r)  # attributes and w:rPr only
    bounds = [*cuts, float("inf")]
    pieces = [r]
    k = 0
    cur = r

    def next_piece() -> Any:
        nonlocal cur, k
        cur = copy.deepcopy(template)
        pieces.append(cur)
        k += 1
        return cur

    for c in children:
        span = span_of.get(c)
        if span is None:  # no text (field char, page-break marker...): stays with its neighbours
            cur.append(c)
            continue
        s, e = span
        while s >= bounds[k]:
            next_piece()
        if e <= bounds[k]:
            cur.append(c)
            continue
        text, pos, el = c.text or "", s, c  # a w:t straddling one or more cuts
        while True:
            stop = int(min(e, bounds[k]))
            el.text = text[pos - s : stop - s]
            el.set(_XML_SPACE, "preserve")
            cur.append(el)
            pos = stop
            if pos >= e:
                break
            next_piece()
            el = copy.deepcopy(c)
            el.tail = None
    anchor = r
    for piece in pieces[1:]:
        anchor.addnext(piece)
        anchor = piece


class _RunIndex:
    """The runs of a paragraph by block offset, for the run range of each finding."""

    def __init__(self, p: Any) -> None:
        spans = _run_spans(p)
        self.all = list(spans)
        self.los = [segs[0][0] for segs in spans.values()]
        self.his = [segs[-1][1] for segs in spans.values()]

    def cover(self, start: int, end: int) -> list[Any] | None:
        """Runs covering exactly [start, end), or None if no run boundary falls there."""
        if end <= start:
            return None
        i = bisect.bisect_right(self.his, start)
        if i >= len(self.all) or self.los[i] != start:
            return None
        out = []
        pos = start
        while i < len(self.all) and self.los[i] < end:
            if self.los[i] != pos or self.his[i] > end:
                return None  # a gap (text outside a w:r) or a run that could not be split
            out.append(self.all[i])
            pos = self.his[i]
            i += 1
        return out if pos == end else None


def _paragraph_runs(p: Any) -> list[Any]:
    return list(_run_spans(p))


class _CommentWriter:
    """Appends w:comment elements and their range markers, numbering them itself."""

    def __init__(self, document: Any, author: str, initials: str) -> None:
        import datetime as dt

        self.root = document.part._comments_part.element  # created when missing
        ids = [int(v) for v in self.root.xpath("./w:comment/@w:id") if str(v).isdigit()]
        self.next_id = max(ids, default=-1) + 1
        self.author = xml_safe(author)
        self.initials = xml_safe(initials)
        self.date = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")

    def add(self, runs: list[Any], text: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        cid = str(self.next_id)
        self.next_id += 1
        comment = OxmlElement(
            "w:comment",
            attrs={
                qn("w:id"): cid,
                qn("w:author"): self.author,
                qn("w:initials"): self.initials,
                qn("w:date"): self.date,
            },
        )
        for n, line in enumerate(xml_safe(text).split("\n")):
            para = OxmlElement("w:p")
            ppr = OxmlElement("w:pPr")
            ppr.append(OxmlElement("w:pStyle", attrs={qn("w:val"): "CommentText"}))
            para.append(ppr)
            if n == 0:
                para.append(_styled_run("w:annotationRef", None))
            t = OxmlElement("w:t")
            t.text = line
            t.set(_XML_SPACE, "preserve")
            run = OxmlElement("w:r")
            run.append(t)
            para.append(run)
            comment.append(para)
        self.root.append(comment)
        runs[0].addprevious(OxmlElement("w:commentRangeStart", attrs={qn("w:id"): cid}))
        runs[-1].addnext(_styled_run("w:commentReference", cid))
        runs[-1].addnext(OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): cid}))


def _styled_run(tag: str, cid: str | None) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
    run.append(rpr)
    run.append(OxmlElement(tag, attrs={qn("w:id"): cid} if cid is not None else None))
    return run


def _comment_text(f: Finding, _: Words) -> str:
    head = f"[{_.severity(f.severity).upper()}] {f.rule}"
    if f.criteria:
        head += " (" + _("checklist criteria {numbers}", numbers=", ".join(str(c) for c in f.criteria)) + ")"
    lines = [head, f.message]
    note = _.finding_note(f)
    if note:
        lines.append(_("Note: {note}", note=note))
    if f.role:
        role = _.role_text(f)
        lines.append(role[:1].upper() + role[1:])
    if f.legal_basis:
        lines.append(_("Legal basis: {text}", text=f.legal_basis))
    if f.suggestion:
        lines.append(_("Suggestion: {text}", text=f.suggestion))
    if f.waiver is not None:
        lines[0] = f"[{_.waived().upper()}] " + lines[0]
        lines.append(_("Waived: {justification}", justification=_.waiver(f.waiver)))
    return "\n".join(lines)


def _summary_text(leftovers: list[tuple[Finding, str]], _: Words) -> str:
    lines = [
        "ospo-procure: "
        + _.ngettext(
            "{n} finding outside the main text (headers, footers, footnotes, text boxes), where Word allows no comments:",
            "{n} findings outside the main text (headers, footers, footnotes, text boxes), where Word allows no comments:",
            len(leftovers),
        )
    ]
    for f, why in leftovers:
        line = "• " + _(
            "[{severity}] {rule} at {where}: {match} — {message}",
            severity=_.severity(f.severity).upper(),
            rule=f.rule,
            where=_.location(f.location),
            match=_.quoted(f.match),
            message=f.message,
        )
        if f.suggestion:
            line += " " + _("Suggestion: {text}", text=f.suggestion)
        if f.role:
            line += f" ({_.role_text(f)})"
        if why != NO_COMMENTS_HERE:
            line += f" ({_(why)})"
        if f.waiver is not None:
            line += f" [{_.waived().upper()}: {_.waiver(f.waiver)}]"
        lines.append(line)
    return "\n".join(lines)
