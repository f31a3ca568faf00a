"""Word .docx reader: walks the WordprocessingML with lxml.

python-docx's paragraph API drops tracked insertions and content controls and repeats
merged cells, so the XML is walked directly. Tracked changes are read as if accepted.

Block order: body (tables and text boxes in place; a text box's blocks follow the
paragraph that anchors it), then each header/footer part once in section order, then
footnotes, then endnotes. Comments go to `Document.comments`, not to blocks.

Numbering (`Location.paragraph`, 1-based) counts only paragraphs that produced a block:
empty paragraphs are neither emitted nor counted. It restarts per part: body, each
header/footer part, each note, each table cell, and all text boxes together. `cell` is
the 1-based grid column where the cell starts (gridBefore and gridSpan counted), as
python-docx's `row.cells` would index it. Tables inside headers, footers, notes and
text boxes keep that part name; body tables use part "table".

Block text is never stripped: it is exactly the concatenation of `paragraph_segments`,
so the report annotator can map any character span back to the `w:t` elements.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.model import Block, DocComment, Document, Location, SourceMap
from ospo_procure.readers.docx_altchunk import read_alt_chunks
from ospo_procure.readers.safe_xml import MAX_BLOCKS, Deadline, SafeZip, open_zip
from ospo_procure.readers.walk import PathIndex, WalkContext, first_child_path, step, xml_path

Element = etree._Element

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

W_VAL = W + "val"
W_ID = W + "id"
W_TYPE = W + "type"
T_P, T_TBL, T_TR, T_TC, T_T = W + "p", W + "tbl", W + "tr", W + "tc", W + "t"
T_SDT, T_SDT_CONTENT, T_CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
T_TXBX = W + "txbxContent"
T_ALT, T_CHOICE, T_FALLBACK = MC + "AlternateContent", MC + "Choice", MC + "Fallback"
T_CRS, T_CRE, T_CREF = W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference"
T_R, T_RPR, T_VANISH, T_RSTYLE = W + "r", W + "rPr", W + "vanish", W + "rStyle"
_OFF = frozenset(("0", "false", "off"))

# Inline elements that produce a fixed character (tab as "\t": keeps offsets 1:1).
_CHAR = {
    W + "tab": "\t",
    W + "ptab": "\t",
    W + "br": " ",
    W + "cr": " ",
    W + "noBreakHyphen": "-",
}
# Inline subtrees that never contribute text to the accepted view of a paragraph.
_SKIP = frozenset(
    W + n
    for n in (
        "pPr",
        "rPr",
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "delInstrText",
        "sdtPr",
        "sdtEndPr",
        "sym",
        "softHyphen",
        "rt",
        "fldData",
        "footnoteRef",
        "endnoteRef",
        "annotationRef",
    )
)
# Block-level wrappers whose children are blocks (accepted view: insertions in).
_BLOCK_WRAPPERS = frozenset((T_CUSTOM_XML, W + "ins", W + "moveTo"))
_BLOCK_DROPPED = frozenset((W + "del", W + "moveFrom"))
_SKIP_NOTE_TYPES = frozenset(("separator", "continuationSeparator", "continuationNotice"))

_HEADING_NAME = re.compile(r"^(?:heading|titre|t[ií]tulo|ttulo|[üu]berschrift|berschrift|kop|titolo|rubrik)([1-9])$")
_LIST_NAME = re.compile(r"^list(?:bullet|number)\d?$")
# Anchored comment text is only used to place waivers. Capped, so a file with thousands
# of never-closed comment ranges cannot copy the whole text into each of them.
_ANCHOR_MAX = 20_000  # characters kept per comment
_ANCHOR_BUDGET = 2_000_000  # characters kept for all comments of a document

Segment = tuple[int, int, Element]


@dataclass
class DocxParts:
    """Parsed root elements of the parts a .docx's text lives in.

    `body` is the w:document root (or its w:body). `headers_footers` holds
    ("header"|"footer", root) in section order, each part once.
    """

    body: Element
    headers_footers: list[tuple[str, Element]] = field(default_factory=list)
    footnotes: Element | None = None
    endnotes: Element | None = None
    comments: Element | None = None
    styles: Element | None = None
    names: dict[Element, str] = field(default_factory=dict)  # part root -> zip member name


# --------------------------------------------------------------------------------------
# Paragraph text
# --------------------------------------------------------------------------------------


class _Para:
    """Everything one walk over a w:p yields (one walk, so text and segments agree)."""

    __slots__ = ("boxes", "marks", "pieces", "pos", "runs", "segs")

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.segs: list[Segment] = []
        self.marks: list[tuple[int, str, str]] = []  # (offset, start|end|ref, comment id)
        self.boxes: list[Element] = []  # w:txbxContent found inside, read as separate blocks
        # (start, end, state) of runs whose own properties say something about hiding:
        # state is True/False (direct w:vanish) or a character style id (w:rStyle).
        self.runs: list[tuple[int, int, bool | str]] = []
        self.pos = 0


def _run_state(rpr: Element) -> bool | str | None:
    vanish = rpr.find(T_VANISH)
    if vanish is not None:
        return vanish.get(W_VAL, "true").lower() not in _OFF
    style = rpr.find(T_RSTYLE)
    return style.get(W_VAL, "") if style is not None else None


# complex: one flat branch per inline element kind of WordprocessingML, in one walk
def _walk_inline(el: Element, acc: _Para) -> None:
    for child in el:
        tag = child.tag
        if tag.__class__ is not str:  # comments/PIs (python-docx trees keep them)
            continue
        if tag == T_T:
            text = child.text
            if text:
                end = acc.pos + len(text)
                acc.segs.append((acc.pos, end, child))
                acc.pieces.append(text)
                acc.pos = end
        elif tag in _SKIP:
            continue
        elif tag in _CHAR:
            ch = _CHAR[tag]
            acc.segs.append((acc.pos, acc.pos + 1, child))
            acc.pieces.append(ch)
            acc.pos += 1
        elif tag == T_TXBX:
            acc.boxes.append(child)
        elif tag == T_ALT:
            # Choice and Fallback hold the same content twice (DrawingML vs VML).
            chosen = child.find(T_CHOICE)
            if chosen is None:
                chosen = child.find(T_FALLBACK)
            if chosen is not None:
                _walk_inline(chosen, acc)
        elif tag == T_CRS:
            acc.marks.append((acc.pos, "start", child.get(W_ID, "")))
        elif tag == T_CRE:
            acc.marks.append((acc.pos, "end", child.get(W_ID, "")))
        elif tag == T_CREF:
            acc.marks.append((acc.pos, "ref", child.get(W_ID, "")))
        elif tag == T_R and len(child) and child[0].tag == T_RPR and len(child[0]):
            state = _run_state(child[0])
            start = acc.pos
            _walk_inline(child, acc)
            if state is not None and acc.pos > start:
                acc.runs.append((start, acc.pos, state))
        elif len(child):
            # Runs, hyperlinks, insertions, moveTo, smart tags, fields, sdtContent, drawings.
            _walk_inline(child, acc)


def _walk_paragraph(p: Element) -> _Para:
    acc = _Para()
    _walk_inline(p, acc)
    return acc


def paragraph_segments(p: Element) -> list[Segment]:
    """(start, end, element) ranges of a w:p's block text, in order.

    `element` is the w:t (or w:tab/w:br/w:cr/w:noBreakHyphen) the characters came from;
    its run is `element.getparent()`. For a w:t, `block.text[start:end] == element.text`.
    The reader builds block text from exactly this walk, so the two never disagree.
    Text inside text boxes is not part of the host paragraph (it has its own blocks).
    """
    return _walk_paragraph(p).segs


def paragraph_text(p: Element) -> str:
    """The accepted-view text of one w:p, as the reader would emit it."""
    return "".join(_walk_paragraph(p).pieces)


# --------------------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------------------


class _Styles:
    """Heading level and list-ness per paragraph style id, following basedOn chains."""

    def __init__(self, root: Element | None):
        self.level: dict[str, int | None] = {}
        self.is_list: dict[str, bool] = {}
        self.hidden = _HiddenStyles(root)
        raw: dict[str, tuple[str, str | None, int | None, bool | None]] = {}
        if root is not None:
            for st in root.iter(W + "style"):
                if st.get(W_TYPE, "paragraph") != "paragraph":
                    continue
                sid = st.get(W + "styleId") or ""
                name_el = st.find(W + "name")
                name = name_el.get(W_VAL, "") if name_el is not None else ""
                based_el = st.find(W + "basedOn")
                based = based_el.get(W_VAL) if based_el is not None else None
                ppr = st.find(W + "pPr")
                outline = _outline_level(ppr)
                numbered = _num_state(ppr)
                level = _heading_from_name(name) or _heading_from_name(sid) or outline
                listy = numbered if numbered is not None else (True if _LIST_NAME.match(_norm(name)) else None)
                raw[sid] = (name, based, level, listy)
        for sid in raw:
            self.level[sid], self.is_list[sid] = self._resolve(raw, sid)

    @staticmethod
    def _resolve(raw: dict[str, Any], sid: str) -> tuple[int | None, bool]:
        level: int | None = None
        listy: bool | None = None
        seen: set[str] = set()
        cur: str | None = sid
        while cur is not None and cur in raw and cur not in seen:  # guard basedOn cycles
            seen.add(cur)
            _, based, lvl, lst = raw[cur]
            if level is None and lvl is not None:
                level = lvl
            if listy is None and lst is not None:
                listy = lst
            cur = based
        return (level if level and level > 0 else None), bool(listy)

    def classify(self, p: Element) -> tuple[str, int | None]:
        """("heading", level) | ("list_item", None) | ("paragraph", None) for a w:p."""
        ppr = p.find(W + "pPr")
        if ppr is None:
            return "paragraph", None
        sid = None
        ps = ppr.find(W + "pStyle")
        if ps is not None:
            sid = ps.get(W_VAL)
        level = _outline_level(ppr)
        if level is None and sid is not None:
            level = self.level.get(sid) or _heading_from_name(sid)
        if level:
            return "heading", level
        numbered = _num_state(ppr)
        if numbered is None and sid is not None:
            numbered = self.is_list.get(sid, bool(_LIST_NAME.match(_norm(sid))))
        return ("list_item" if numbered else "paragraph"), None


class _HiddenStyles:
    """Which paragraph and character styles hide their text (w:vanish in their w:rPr,
    following basedOn), and whether the document default does."""

    def __init__(self, root: Element | None):
        self.paragraph: dict[str, bool] = {}
        self.character: dict[str, bool] = {}
        self.default = False
        if root is None:
            return
        raw: dict[tuple[str, str], tuple[str | None, bool | None]] = {}
        for st in root.iter(W + "style"):
            kind = st.get(W_TYPE, "paragraph")
            if kind not in ("paragraph", "character"):
                continue
            rpr = st.find(T_RPR)
            vanish = rpr.find(T_VANISH) if rpr is not None else None
            based = st.find(W + "basedOn")
            raw[(kind, st.get(W + "styleId") or "")] = (
                based.get(W_VAL) if based is not None else None,
                None if vanish is None else vanish.get(W_VAL, "true").lower() not in _OFF,
            )
        for kind, sid in raw:
            seen: set[str] = set()
            cur: str | None = sid
            value: bool | None = None
            while value is None and cur is not None and (kind, cur) in raw and cur not in seen:
                seen.add(cur)
                cur, value = raw[(kind, cur)]
            if value is not None:
                (self.paragraph if kind == "paragraph" else self.character)[sid] = value
        default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}vanish")
        self.default = default is not None and default.get(W_VAL, "true").lower() not in _OFF

    def spans(self, p: Element, runs: list[tuple[int, int, bool | str]], length: int) -> tuple[tuple[int, int], ...]:
        """[start, end) spans of a paragraph's text that are hidden."""
        if not runs and not self.paragraph and not self.default:
            return ()
        ps = p.find(f"{W}pPr/{W}pStyle")
        base = self.paragraph.get(ps.get(W_VAL, ""), self.default) if ps is not None else self.default
        if not runs:
            return ((0, length),) if base and length else ()
        out: list[tuple[int, int]] = []
        pos = 0
        for start, end, state in runs:
            if start < pos:  # a run nested in a run already counted
                continue
            if base and pos < start:
                out.append((pos, start))
            hidden = state if isinstance(state, bool) else self.character.get(state, base)
            if hidden:
                out.append((start, end))
            pos = end
        if base and pos < length:
            out.append((pos, length))
        merged: list[tuple[int, int]] = []
        for s, e in out:
            if merged and merged[-1][1] >= s:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            elif e > s:
                merged.append((s, e))
        return tuple(merged)


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name.lower())


def _heading_from_name(name: str) -> int | None:
    m = _HEADING_NAME.match(_norm(name))
    return int(m.group(1)) if m else None


def _outline_level(ppr: Element | None) -> int | None:
    if ppr is None:
        return None
    ol = ppr.find(W + "outlineLvl")
    if ol is None:
        return None
    try:
        v = int(ol.get(W_VAL, "9"))
    except ValueError:
        return None
    return v + 1 if 0 <= v <= 8 else None  # 9 means "body text"


def _num_state(ppr: Element | None) -> bool | None:
    """True/False when numPr says so (numId 0 removes numbering), None when absent."""
    if ppr is None:
        return None
    num = ppr.find(W + "numPr")
    if num is None:
        return None
    nid = num.find(W + "numId")
    if nid is None:
        return True  # ilvl only: numbering comes from the style
    return nid.get(W_VAL, "0") != "0"


# --------------------------------------------------------------------------------------
# Block extraction
# --------------------------------------------------------------------------------------


_Ctx = WalkContext


class _Extractor:
    def __init__(self, styles: Element | None, limits: Limits | None, deadline: Deadline | None):
        self.styles = _Styles(styles)
        self.limits = limits or Limits()
        self.deadline = deadline
        self.paras_seen = 0
        self.blocks: list[Block] = []
        self.headings: list[tuple[int, str]] = []
        self.table_no = 0
        self.textbox_ctx = _Ctx(part="textbox")
        # Comment anchoring state.
        self.open: dict[str, list[str]] = {}  # comment id -> anchored pieces so far
        self.full: dict[str, list[str]] = {}  # open, but no longer collecting (cap reached)
        self.open_len: dict[str, int] = {}
        self.budget = _ANCHOR_BUDGET
        self.anchor_text: dict[str, str] = {}
        self.anchor_block: dict[str, int] = {}
        self.pending: list[str] = []  # started in a paragraph that produced no block
        self.part_name: str | None = None  # zip member being read, for source maps

    # -- containers ---------------------------------------------------------------
    def container(self, el: Element, ctx: _Ctx, path: str) -> None:
        counts: dict[Any, int] = {}  # same-tag siblings so far, for each child's XPath
        for child in el:
            tag = child.tag
            n = counts[tag] = counts.get(tag, 0) + 1
            if tag == T_P:
                self.paragraph(child, ctx, path, n)
            elif tag == T_TBL:
                self.table(child, ctx, step(path, child, n))
            elif tag == T_SDT:
                content = child.find(T_SDT_CONTENT)
                if content is not None:
                    self.container(content, ctx, first_child_path(path, child, n, content))
            elif tag in _BLOCK_WRAPPERS:
                self.container(child, ctx, step(path, child, n))
            elif tag == T_ALT:
                chosen = child.find(T_CHOICE)
                if chosen is None:
                    chosen = child.find(T_FALLBACK)
                if chosen is not None:
                    self.container(chosen, ctx, first_child_path(path, child, n, chosen))
            elif tag == T_CRS:  # block-level range start: anchors on the next block
                cid = child.get(W_ID, "")
                self.open.setdefault(cid, [])
                if cid not in self.anchor_block:
                    self.pending.append(cid)
            elif tag == T_CRE:
                self._close(child.get(W_ID, ""))
            # w:del / w:moveFrom wrappers, sectPr, bookmarks...: no accepted text.

    def _close(self, cid: str) -> None:
        pieces = self.open.pop(cid, None)
        if pieces is None:
            pieces = self.full.pop(cid, None)
        if pieces is not None:
            self.anchor_text[cid] = "\n".join(p for p in pieces if p).strip()

    def paragraph(self, p: Element, ctx: _Ctx, parent_path: str, n: int) -> None:
        """Read one w:p, the n-th of its parent (at `parent_path`); its XPath is built only
        when it yields a block (a body of a million empty paragraphs stays cheap)."""
        self.paras_seen += 1
        if self.deadline is not None and self.paras_seen % 2000 == 0:  # bounds time within a part
            self.deadline.check()
        acc = _walk_paragraph(p)
        text = "".join(acc.pieces)
        self._comments(acc, text)
        if text.strip():
            kind, level = self._kind(p, ctx)
            ctx.para += 1
            heading = " > ".join(h for _, h in self.headings) or None if ctx.in_body else None
            loc = Location(
                part=ctx.part,
                paragraph=ctx.para,
                table=ctx.table,
                row=ctx.row,
                cell=ctx.cell,
                heading=heading,
                note=ctx.note,
            )
            idx = len(self.blocks)
            if idx >= self.limits.max_blocks:
                raise LimitExceeded(Message(MAX_BLOCKS, n=f"{self.limits.max_blocks:,}"))
            hidden = self.styles.hidden.spans(p, acc.runs, len(text))
            source = SourceMap(part=self.part_name, xpath=step(parent_path, p, n))
            block = Block(text=text, location=loc, kind=kind, level=level, anchor=p, hidden=hidden, source=source)
            self.blocks.append(block)
            for cid in self.pending:
                self.anchor_block.setdefault(cid, idx)
            self.pending.clear()
            for _, what, cid in acc.marks:
                if what in ("start", "ref"):
                    self.anchor_block.setdefault(cid, idx)
            if kind == "heading" and level is not None:
                title = " ".join(text.split())
                self.headings = [h for h in self.headings if h[0] < level] + [(level, title)]
        else:
            for _, what, cid in acc.marks:
                if what == "start" and cid not in self.anchor_block:
                    self.pending.append(cid)
        if acc.boxes:
            self._textboxes(acc.boxes, ctx, PathIndex(p, step(parent_path, p, n)))

    def _kind(self, p: Element, ctx: _Ctx) -> tuple[str, int | None]:
        """Block kind and heading level of a paragraph that has text."""
        kind, level = self.styles.classify(p)
        if ctx.part in ("footnote", "endnote"):
            return "note", None
        if ctx.table is not None:
            return "cell", None
        if ctx.part != "body" and kind == "heading":  # only body headings structure the path
            return "paragraph", None
        return kind, level

    def _textboxes(self, boxes: list[Element], ctx: _Ctx, paths: PathIndex) -> None:
        """Text boxes found inside a paragraph: read after it, as blocks of their own."""
        for box in boxes:
            box_ctx = self.textbox_ctx
            box_ctx.in_body = ctx.in_body
            box_ctx.depth = ctx.depth
            self.container(box, box_ctx, paths.path(box))

    def _collect(self, cid: str, piece: str) -> None:
        """Add anchored text to an open comment, within the per-comment cap and the budget."""
        pieces = self.open.get(cid)
        if pieces is None:
            return
        room = min(_ANCHOR_MAX - self.open_len.get(cid, 0), self.budget)
        if len(piece) >= room:
            pieces.append(piece[: max(room, 0)])
            self.budget -= max(room, 0)
            self.full[cid] = self.open.pop(cid)
            if self.budget <= 0:  # nothing more is collected: stop visiting open comments
                self.full.update(self.open)
                self.open.clear()
            return
        pieces.append(piece)
        self.open_len[cid] = self.open_len.get(cid, 0) + len(piece)
        self.budget -= len(piece)

    def _comments(self, acc: _Para, text: str) -> None:
        # Each open comment visited costs at least one character of the budget, so the
        # work here stays linear in the document even with thousands of open ranges.
        if not acc.marks and (not self.open or not text):
            return
        starts = {cid: 0 for cid in self.open}
        for pos, what, cid in acc.marks:
            if what == "start":
                if cid not in self.full:
                    self.open.setdefault(cid, [])
                starts[cid] = pos
            elif what == "end" and (cid in self.open or cid in self.full):
                self._collect(cid, text[starts.get(cid, 0) : pos])
                starts.pop(cid, None)
                self._close(cid)
        for cid, start in starts.items():
            if cid in self.open:
                self._collect(cid, text[start:])

    def table(self, tbl: Element, ctx: _Ctx, path: str) -> None:
        depth = ctx.depth + 1
        if depth > self.limits.max_nesting:
            raise LimitExceeded(
                Message(
                    "tables nested {depth} deep, over the max_nesting limit of {limit}",
                    depth=depth,
                    limit=self.limits.max_nesting,
                )
            )
        self.table_no += 1
        tno = self.table_no
        part = "table" if ctx.part in ("body", "table") else ctx.part
        row_no = 0
        for tr, tr_path in _children(tbl, T_TR, path):
            trpr = tr.find(W + "trPr")
            if trpr is not None and trpr.find(W + "del") is not None:
                continue  # deleted row: gone once changes are accepted
            row_no += 1
            col = 1
            if trpr is not None:
                gb = trpr.find(W + "gridBefore")
                if gb is not None:
                    col += _int(gb.get(W_VAL), 0)
            for tc, tc_path in _children(tr, T_TC, tr_path):
                span = 1
                continuation = False
                tcpr = tc.find(W + "tcPr")
                if tcpr is not None:
                    gs = tcpr.find(W + "gridSpan")
                    if gs is not None:
                        span = max(1, _int(gs.get(W_VAL), 1))
                    vm = tcpr.find(W + "vMerge")
                    # vMerge without val (or "continue") continues the cell above.
                    continuation = vm is not None and vm.get(W_VAL, "continue") == "continue"
                if not continuation:
                    cell_ctx = _Ctx(
                        part=part,
                        note=ctx.note,
                        table=tno,
                        row=row_no,
                        cell=col,
                        in_body=ctx.in_body,
                        depth=depth,
                    )
                    self.container(tc, cell_ctx, tc_path)
                col += span


def _children(el: Element, want: str, path: str) -> Iterator[tuple[Element, str]]:
    """(child, its XPath) for children with tag `want`, looking through sdt/customXml/ins wrappers."""
    counts: dict[Any, int] = {}
    for child in el:
        tag = child.tag
        n = counts[tag] = counts.get(tag, 0) + 1
        if tag == want:
            yield child, step(path, child, n)
        elif tag == T_SDT:
            content = child.find(T_SDT_CONTENT)
            if content is not None:
                yield from _children(content, want, first_child_path(path, child, n, content))
        elif tag in _BLOCK_WRAPPERS:
            yield from _children(child, want, step(path, child, n))


def _int(v: str | None, default: int) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def extract_blocks(
    parts: DocxParts, limits: Limits | None = None, deadline: Deadline | None = None
) -> tuple[list[Block], list[DocComment]]:
    """Blocks (each `anchor` is its w:p) and comments from parsed .docx parts."""
    ex = _Extractor(parts.styles, limits, deadline)
    body = parts.body
    ex.part_name = parts.names.get(body, "word/document.xml")
    if body.tag == W + "document":
        found = body.find(W + "body")
        if found is None:
            raise InputError(Message("corrupt .docx: word/document.xml has no w:body"))
        body = found
    ex.container(body, _Ctx(part="body", in_body=True), xml_path(body))
    for kind, root in parts.headers_footers:
        if deadline:
            deadline.check()
        ex.part_name = parts.names.get(root)
        ex.container(root, _Ctx(part=kind), xml_path(root))
    for kind, notes_root in (("footnote", parts.footnotes), ("endnote", parts.endnotes)):
        if notes_root is None:
            continue
        if deadline:
            deadline.check()
        ex.part_name = parts.names.get(notes_root)
        root_path = xml_path(notes_root)
        n = 0
        for note in notes_root:
            if note.tag != W + kind:
                continue
            n += 1
            if note.get(W_TYPE) not in _SKIP_NOTE_TYPES:
                ex.container(note, _Ctx(part=kind, note=_int(note.get(W_ID), 0)), step(root_path, note, n))
    comments = _comments(parts.comments, ex, deadline) if parts.comments is not None else []
    return ex.blocks, comments


def _comments(root: Element, ex: _Extractor, deadline: Deadline | None) -> list[DocComment]:
    """The document's comments, with the text each is anchored on (gathered by the walk)."""
    comments: list[DocComment] = []
    for n, cm in enumerate(root.iter(W + "comment")):
        if deadline is not None and n % 2000 == 1999:  # comments count against max_seconds too
            deadline.check()
        cid = cm.get(W_ID, "")
        texts = [t for t in (paragraph_text(p) for p in cm.iter(T_P)) if t.strip()]
        comments.append(
            DocComment(
                text="\n".join(t.strip() for t in texts),
                author=cm.get(W + "author"),
                anchored_text=ex.anchor_text.get(cid, "\n".join(ex.open.get(cid) or ex.full.get(cid) or []).strip()),
                block_index=ex.anchor_block.get(cid),
            )
        )
    return comments


# --------------------------------------------------------------------------------------
# Package plumbing
# --------------------------------------------------------------------------------------


def header_footer_refs(document_root: Element) -> list[tuple[str, str]]:
    """("header"|"footer", rId) in section order (a section's headers, then its footers)."""
    refs: list[tuple[str, str]] = []
    for sect in document_root.iter(W + "sectPr"):
        parent = sect.getparent()
        if parent is not None and parent.tag == W + "sectPrChange":
            continue  # a tracked old version of the section properties
        heads = [("header", r.get(R_ID, "")) for r in sect.iter(W + "headerReference")]
        foots = [("footer", r.get(R_ID, "")) for r in sect.iter(W + "footerReference")]
        refs.extend(heads + foots)
    return refs


def _read_rels(z: SafeZip, part_name: str) -> dict[str, tuple[str, str]]:
    """rId -> (relationship type's last segment, target part name) for one part."""
    folder, base = posixpath.split(part_name)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    root = z.parse_optional(rels_name)
    out: dict[str, tuple[str, str]] = {}
    if root is None:
        return out
    for rel in root.iter(PKG_REL):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], name)
    return out


def _main_part(z: SafeZip) -> str:
    for _, (rtype, target) in _read_rels(z, "").items():
        if rtype == "officeDocument":
            return target
    return "word/document.xml"


def read(path: Path, limits: Limits) -> Document:
    deadline = Deadline(limits, path)
    doc = Document(path=str(path), format="docx")
    with open_zip(path, limits, "docx") as z:
        parts, rels = _load_parts(z, path, doc, deadline)
        chunks = read_alt_chunks(z, parts.body, rels, limits, deadline, doc.warnings.append)
    deadline.check()
    try:
        doc.blocks, doc.comments = extract_blocks(parts, limits, deadline)
        doc.blocks.extend(chunks)  # after every other part: the numbering of the rest is unchanged
        if len(doc.blocks) > limits.max_blocks:
            raise LimitExceeded(Message(MAX_BLOCKS, n=f"{limits.max_blocks:,}"))
    except LimitExceeded as exc:
        raise LimitExceeded(exc.message, path=path) from None
    except InputError as exc:
        raise InputError(exc.message, path=path) from None
    except RecursionError:
        raise LimitExceeded(Message("XML nested too deeply to read safely"), path=path) from None
    return doc


def _load_parts(
    z: SafeZip, path: Path, doc: Document, deadline: Deadline
) -> tuple[DocxParts, dict[str, tuple[str, str]]]:
    """Parse the parts text lives in (the main part, headers/footers, notes, comments, styles);
    and the main part's relationships."""
    main = _main_part(z)
    if not z.has(main):
        raise InputError(Message("corrupt .docx: missing {name}", name=main), path=path)
    root = z.parse(main)
    if root.tag != W + "document":
        if root.tag.endswith("}document"):
            raise InputError(
                Message("Strict Open XML .docx is not supported; save it as a standard Word document (.docx)"),
                path=path,
            )
        raise InputError(Message("corrupt .docx: {name} is not a Word document body", name=main), path=path)
    rels = _read_rels(z, main)
    names: dict[Element, str] = {root: main}

    def load(name: str) -> Element | None:
        if not z.has(name):
            doc.warnings.append(Message("{name} is referenced but missing from the .docx; skipped", name=name))
            return None
        deadline.check()
        el = z.parse(name)
        names[el] = name
        return el

    def by_type(rtype: str) -> Element | None:
        for t, name in rels.values():
            if t == rtype:
                return load(name)
        return None

    hf: list[tuple[str, Element]] = []
    seen: set[str] = set()
    for kind, rid in header_footer_refs(root):
        rel = rels.get(rid)
        if rel is None or rel[1] in seen:
            continue
        seen.add(rel[1])
        el = load(rel[1])
        if el is not None:
            hf.append((kind, el))
    parts = DocxParts(
        body=root,
        headers_footers=hf,
        footnotes=by_type("footnotes"),
        endnotes=by_type("endnotes"),
        comments=by_type("comments"),
        styles=by_type("styles"),
        names=names,
    )
    return parts, rels


def parts_from_python_docx(document: Any) -> DocxParts:
    """DocxParts from a python-docx `Document`, using its own element trees.

    Edits to the returned elements land in `document.save()`. Footnotes/endnotes parts
    (which python-docx keeps as opaque blobs) are replaced in the package by XmlParts
    parsed from the same bytes, so they serialise from the edited tree.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    dpart = document.part
    root = document.element
    names: dict[Element, str] = {root: str(dpart.partname).lstrip("/")}
    hf: list[tuple[str, Element]] = []
    seen: set[int] = set()
    for kind, rid in header_footer_refs(root):
        rel = dpart.rels.get(rid)
        if rel is None or rel.is_external:
            continue
        part = rel.target_part
        if id(part) in seen:
            continue
        seen.add(id(part))
        el = _xml_part_element(dpart, part)
        names[el] = str(part.partname).lstrip("/")
        hf.append((kind, el))

    def by_type(reltype: str) -> Element | None:
        for rel in list(dpart.rels.values()):
            if rel.reltype == reltype and not rel.is_external:
                el = _xml_part_element(dpart, rel.target_part)
                names[el] = str(rel.target_part.partname).lstrip("/")
                return el
        return None

    return DocxParts(
        body=root,
        headers_footers=hf,
        footnotes=by_type(RT.FOOTNOTES),
        endnotes=by_type(RT.ENDNOTES),
        comments=by_type(RT.COMMENTS),
        styles=by_type(RT.STYLES),
        names=names,
    )


def _xml_part_element(source: Any, part: Any) -> Element:
    """The root element of `part`, upgrading a blob-only Part to an XmlPart in place."""
    from docx.opc.part import XmlPart
    from docx.oxml.parser import parse_xml

    if isinstance(part, XmlPart):
        return part.element
    blob = part.blob
    if b"<!DOCTYPE" in blob[:4096]:
        raise InputError(Message("{part}: XML part declares a DTD; refused for safety", part=str(part.partname)))
    new = XmlPart(part.partname, part.content_type, parse_xml(blob), part.package)
    for rel in part.rels.values():  # keep the part's own relationships (images, links)
        target = rel.target_ref if rel.is_external else rel.target_part
        new.load_rel(rel.reltype, target, rel.rId, rel.is_external)
    # Re-point every relationship that targeted the old part; python-docx offers no
    # public API for replacing a part, so the private target fields are updated.
    for src in [source.package, *source.package.iter_parts()]:
        rels = src.rels
        for rid, rel in rels.items():
            if not rel.is_external and rel._target is part:
                rel._target = new
                rels._target_parts_by_rId[rid] = new
    return new.element
