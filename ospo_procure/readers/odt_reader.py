"""OpenDocument text (.odt) reader: content.xml and styles.xml walked with lxml.

Block order mirrors the .docx reader: body (tables and text-box frames in place), then
headers/footers of each master page (styles.xml) in order, then footnotes, then
endnotes. Tracked changes are read as accepted: deleted text lives only inside
text:tracked-changes, which is skipped; inserted text is inline and kept.
Indexes (tables of contents etc.) are skipped: they repeat the headings.
Paragraph numbering follows the .docx reader: only non-empty paragraphs count, per part
(body, each header/footer, each note, each table cell, all text boxes together).
Block text is whitespace-normalised and stripped (ODF collapses whitespace anyway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.model import Block, DocComment, Document, Location, SourceMap
from ospo_procure.readers.safe_xml import MAX_BLOCKS, Deadline, open_zip
from ospo_procure.readers.walk import PathIndex, WalkContext, qname, step, xml_path

Element = etree._Element

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"

_WS = re.compile(r"[ \t\r\n]+")
_MAX_SPACES = 1000  # per text:s element
# Anchored comment text only places waivers: capped per comment and per document so
# thousands of never-ended annotation ranges cannot each copy the whole text.
_ANCHOR_MAX = 20_000
_ANCHOR_BUDGET = 2_000_000
# Inline subtrees that are not part of the paragraph's visible text.
_INLINE_SKIP = frozenset(
    (
        TEXT + "note",
        OFFICE + "annotation",
        OFFICE + "annotation-end",
        TEXT + "ruby-text",
        DRAW + "frame",
        TEXT + "tracked-changes",
        TEXT + "bookmark-ref",
    )
)
_INDEXES = frozenset(
    TEXT + n
    for n in (
        "table-of-content",
        "alphabetical-index",
        "illustration-index",
        "table-index",
        "object-index",
        "user-index",
        "bibliography",
    )
)
_ROW_GROUPS = frozenset(TABLE + n for n in ("table-header-rows", "table-rows", "table-row-group"))
# Hidden text is kept, between these two marks, until the paragraph text is final; then the
# marks become `Block.hidden` spans.
_HIDE, _SHOW = "\x05", "\x06"


_Ctx = WalkContext


@dataclass
class _Comment:
    text: str
    author: str | None
    name: str | None
    pieces: list[str] = field(default_factory=list)
    block_index: int | None = None
    size: int = 0


class _Extractor:
    def __init__(self, limits: Limits, deadline: Deadline | None = None, hidden: HiddenStyles | None = None):
        self.limits = limits
        self.hidden = hidden or HiddenStyles()
        self.deadline = deadline
        self.paras_seen = 0
        self.blocks: list[Block] = []
        self.headings: list[tuple[int, str]] = []
        self.table_no = 0
        self.textbox_ctx = _Ctx(part="textbox")
        self.notes: list[tuple[str, int, Element, str]] = []  # (class, number, body, XPath)
        self.part_name = "content.xml"  # zip member being read, for source maps
        # The paragraph being walked (element, parent XPath, index), and the XPaths of the notes
        # and frames inside it, worked out only when there are some.
        self.current: tuple[Element, str, int] | None = None
        self.below_p: PathIndex | None = None
        self.note_seq = {"footnote": 0, "endnote": 0}
        self.comments: list[_Comment] = []
        self.open: dict[str, _Comment] = {}  # annotation name -> comment still collecting
        self.full: dict[str, _Comment] = {}  # range still open, cap reached: not collecting
        self.budget = _ANCHOR_BUDGET
        self.starting: dict[str, _Comment] = {}  # seen in the paragraph being walked

    # -- inline ---------------------------------------------------------------------
    def _inline(self, el: Element, out: list[str], frames: list[Element], pending: list[_Comment]) -> None:
        if el.text:
            out.append(_WS.sub(" ", el.text))
        for child in el:
            tag = child.tag
            if tag.__class__ is str:
                if tag == TEXT + "s":
                    # Protected spaces; the count is capped: text:c="1000000000" would be a 1 GB string.
                    out.append("\x00" * min(max(_int(child.get(TEXT + "c"), 1), 0), _MAX_SPACES))
                elif tag == TEXT + "tab":
                    out.append("\x01")
                elif tag == TEXT + "line-break":
                    out.append(" ")
                elif tag == TEXT + "note":
                    self._note(child)
                elif tag == OFFICE + "annotation":
                    self._annotation(child, out, pending)
                elif tag == OFFICE + "annotation-end":
                    self._annotation_end(child.get(OFFICE + "name"), out)
                elif tag == DRAW + "frame":
                    frames.append(child)
                elif self.hidden.hides(child):
                    out.append(_HIDE)
                    self._inline(child, out, frames, pending)
                    out.append(_SHOW)
                elif tag not in _INLINE_SKIP:
                    self._inline(child, out, frames, pending)  # spans, links, fields, meta
            if child.tail:
                out.append(_WS.sub(" ", child.tail))

    def _note(self, note: Element) -> None:
        cls = "endnote" if note.get(TEXT + "note-class") == "endnote" else "footnote"
        self.note_seq[cls] += 1
        cit = note.find(TEXT + "note-citation")
        label = (cit.get(TEXT + "label") or "".join(map(str, cit.itertext()))) if cit is not None else ""
        # isdecimal (not isdigit: "²" is a digit int() rejects) and short (int() limits digits).
        label = label.strip()
        num = int(label) if label.isdecimal() and len(label) <= 9 else self.note_seq[cls]
        body = note.find(TEXT + "note-body")
        if body is not None:
            self.notes.append((cls, num, body, self._below().path(body)))

    def _annotation(self, ann: Element, out: list[str], pending: list[_Comment]) -> None:
        texts = [" ".join("".join(map(str, p.itertext())).split()) for p in ann.iter(TEXT + "p")]
        creator = ann.find(DC + "creator")
        c = _Comment(
            text="\n".join(t for t in texts if t),
            author=creator.text if creator is not None else None,
            name=ann.get(OFFICE + "name"),
        )
        self.comments.append(c)
        pending.append(c)
        if c.name:  # a range: text until the matching annotation-end is anchored
            self.starting[c.name] = c
            out.append(f"\x02{c.name}\x03")  # marker, removed when the text is finalised

    def _annotation_end(self, name: str | None, out: list[str]) -> None:
        if name:
            out.append(f"\x04{name}\x03")

    # -- blocks --------------------------------------------------------------------
    def container(self, el: Element, ctx: _Ctx, path: str) -> None:
        counts: dict[object, int] = {}  # same-tag siblings so far, for each child's XPath
        for child in el:
            tag = child.tag
            n = counts[tag] = counts.get(tag, 0) + 1
            if tag == TEXT + "p" or tag == TEXT + "h":
                self.paragraph(child, ctx, path, n)
            elif tag == TEXT + "list":
                inner = _Ctx(**{**ctx.__dict__, "in_list": True})
                list_path = step(path, child, n)
                items: dict[object, int] = {}
                for item in child:
                    k = items[item.tag] = items.get(item.tag, 0) + 1
                    if item.tag in (TEXT + "list-item", TEXT + "list-header"):
                        self.container(item, inner, step(list_path, item, k))
                ctx.para = inner.para
            elif tag == TABLE + "table":
                self.table(child, ctx, step(path, child, n))
            elif tag in (TEXT + "section", TEXT + "soft-page-break") or tag == DRAW + "text-box":
                if tag == TEXT + "section" and child.get(TEXT + "display") == "none" and not ctx.hidden:
                    self.container(child, _Ctx(**{**ctx.__dict__, "hidden": True}), step(path, child, n))
                else:
                    self.container(child, ctx, step(path, child, n))
            # tracked-changes, indexes, sequence/variable decls, forms: no body text

    def _below(self) -> PathIndex:
        if self.below_p is None:
            assert self.current is not None
            p, parent_path, n = self.current
            self.below_p = PathIndex(p, step(parent_path, p, n))
        return self.below_p

    def paragraph(self, p: Element, ctx: _Ctx, parent_path: str, n: int) -> None:
        """Read one text:p/h, the n-th of its tag in its parent (at `parent_path`)."""
        self.paras_seen += 1
        if self.deadline is not None and self.paras_seen % 2000 == 0:  # cheap enough, bounds time
            self.deadline.check()
        self.current, self.below_p = (p, parent_path, n), None
        out: list[str] = []
        frames: list[Element] = []
        pending: list[_Comment] = []
        self._inline(p, out, frames, pending)
        if ctx.hidden or self.hidden.hides_paragraph(p):
            out = [_HIDE, *out, _SHOW]
        raw = "".join(out)
        text, hidden = _final_with_hidden(self._finish_ranges(raw))
        if text.strip():
            kind, level = _kind(p, ctx)
            ctx.para += 1
            heading = (" > ".join(h for _, h in self.headings) or None) if ctx.in_body else None
            idx = len(self.blocks)
            if idx >= self.limits.max_blocks:
                raise LimitExceeded(Message(MAX_BLOCKS, n=f"{self.limits.max_blocks:,}"))
            self.blocks.append(
                Block(
                    text=text,
                    location=Location(
                        part=ctx.part,
                        paragraph=ctx.para,
                        table=ctx.table,
                        row=ctx.row,
                        cell=ctx.cell,
                        heading=heading,
                        note=ctx.note,
                    ),
                    kind=kind,
                    level=level,
                    anchor=p,
                    hidden=hidden,
                    source=SourceMap(part=self.part_name, xpath=step(parent_path, p, n)),
                )
            )
            for c in pending:
                c.block_index = idx
            if level is not None:
                self.headings = [h for h in self.headings if h[0] < level] + [(level, text)]
        below = self._below() if frames else None
        for frame in frames:
            for box in frame.iter(DRAW + "text-box"):
                assert below is not None
                self.textbox_ctx.in_body = ctx.in_body
                self.container(box, self.textbox_ctx, below.path(box))

    def _finish_ranges(self, raw: str) -> str:
        """Strip annotation markers from a paragraph, feeding anchored text to comments; the
        result still has its whitespace and hidden-text marks (see `_final_with_hidden`).

        Linear in the paragraph and the markers: events are recorded with offsets into
        the clean text and sliced once, and anchored text is capped (see _collect).
        """
        parts = re.split(r"([\x02\x04][^\x03]*\x03)", raw)
        clean: list[str] = []
        events: list[tuple[str, str, int]] = []
        length = 0
        for piece in parts:
            if piece[:1] in ("\x02", "\x04"):
                events.append((piece[:1], piece[1:-1], length))
            else:
                clean.append(piece)
                length += len(piece)
        text = "".join(clean)
        starts: dict[str, int] = {}
        ended: set[str] = set()
        for kind, name, at in events:
            if kind == "\x02":
                started = self.starting.pop(name, None)
                if started is not None:
                    self.open[name] = started
                    starts[name] = at
            else:
                c = self.open.pop(name, None) or self.full.pop(name, None)
                if c is not None:
                    self._collect(c, text[starts.pop(name, 0) : at])
                    ended.add(name)
        if text.strip():  # still open: this paragraph (from its marker on) is one anchored piece
            for name, c in list(self.open.items()):
                if name not in ended:
                    self._collect(c, text[starts.get(name, 0) :], keep_open=True)
        return text

    def _collect(self, c: _Comment, piece: str, keep_open: bool = False) -> None:
        """Add anchored text to a comment within _ANCHOR_MAX and the document's budget;
        a comment that reaches the cap stops being visited (moves to `full`)."""
        room = min(_ANCHOR_MAX - c.size, self.budget)
        piece = piece[: max(room, 0)]
        c.pieces.append(piece)
        c.size += len(piece)
        self.budget -= len(piece)
        if keep_open and c.name and len(piece) >= room:
            self.open.pop(c.name, None)
            self.full[c.name] = c
        if self.budget <= 0:
            self.full.update(self.open)
            self.open.clear()

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
        for row, row_path in _rows(tbl, path):
            row_no += 1
            col = 1
            cells: dict[object, int] = {}
            for cell in row:
                k = cells[cell.tag] = cells.get(cell.tag, 0) + 1
                if cell.tag == TABLE + "covered-table-cell":  # merged away: no own text
                    col += _int(cell.get(TABLE + "number-columns-repeated"), 1)
                    continue
                if cell.tag != TABLE + "table-cell":
                    continue
                cctx = _Ctx(
                    part=part,
                    note=ctx.note,
                    table=tno,
                    row=row_no,
                    cell=col,
                    in_body=ctx.in_body,
                    depth=depth,
                    hidden=ctx.hidden,
                )
                self.container(cell, cctx, step(row_path, cell, k))
                # A spanning cell is followed by covered cells for the other columns.
                col += _int(cell.get(TABLE + "number-columns-repeated"), 1)
            row_no += _int(row.get(TABLE + "number-rows-repeated"), 1) - 1


def _kind(p: Element, ctx: _Ctx) -> tuple[str, int | None]:
    """Block kind and heading level of a paragraph that has text."""
    if ctx.part in ("footnote", "endnote"):
        return "note", None
    if ctx.table is not None:
        return "cell", None
    if p.tag == TEXT + "h" and ctx.part == "body":
        return "heading", max(1, _int(p.get(TEXT + "outline-level"), 1))
    return ("list_item" if ctx.in_list else "paragraph"), None


def _master_pages(styles: Element) -> list[tuple[Element, str]]:
    """(style:master-page, its XPath); each parent's path is worked out once."""
    parents: dict[Element | None, tuple[str, int]] = {}
    out: list[tuple[Element, str]] = []
    for master in styles.iter(STYLE + "master-page"):
        parent = master.getparent()
        if parent not in parents:
            parents[parent] = (xml_path(parent) if parent is not None else "", 0)
        base, n = parents[parent]
        parents[parent] = (base, n + 1)
        out.append((master, step(base, master, n + 1)))
    return out


def _rows(tbl: Element, path: str) -> list[tuple[Element, str]]:
    rows: list[tuple[Element, str]] = []
    counts: dict[object, int] = {}
    for child in tbl:
        n = counts[child.tag] = counts.get(child.tag, 0) + 1
        if child.tag == TABLE + "table-row":
            rows.append((child, step(path, child, n)))
        elif child.tag in _ROW_GROUPS:
            rows.extend(_rows(child, step(path, child, n)))
    return rows


def _final(text: str) -> str:
    text = _WS.sub(" ", text).replace("\x00", " ").replace("\x01", "\t")
    return text.replace(_HIDE, "").replace(_SHOW, "").strip()


def _final_with_hidden(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`_final(text)` and the [start, end) spans of it that were between hidden-text marks.

    The whitespace is collapsed piece by piece exactly as `_final` collapses it over the whole,
    so the text is the same with or without marks.
    """
    if _HIDE not in text:
        return _final(text), ()
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = depth = start = 0
    last_space = False
    for piece in re.split(f"([{_HIDE}{_SHOW}])", text):
        if piece == _HIDE:
            start = length if depth == 0 else start
            depth += 1
        elif piece == _SHOW:
            depth = max(0, depth - 1)
            if depth == 0 and length > start:
                spans.append((start, length))
        elif piece:
            norm = _WS.sub(" ", piece)
            if last_space and norm.startswith(" "):
                norm = norm[1:]
            if norm:
                parts.append(norm)
                length += len(norm)
                last_space = norm.endswith(" ")
    if depth and length > start:
        spans.append((start, length))
    joined = "".join(parts).replace("\x00", " ").replace("\x01", "\t")
    clean = joined.strip()
    lead = len(joined) - len(joined.lstrip())
    kept = [(max(0, s - lead), min(len(clean), e - lead)) for s, e in spans]
    return clean, tuple((s, e) for s, e in kept if e > s)


class HiddenStyles:
    """Which ODF text and paragraph styles hide their text (`text:display="none"` in their text
    properties, following parent styles), from content.xml's and styles.xml's style lists."""

    def __init__(self, *roots: Element | None) -> None:
        raw: dict[tuple[str, str], tuple[str | None, bool | None]] = {}
        for root in roots:
            if root is None:
                continue
            for st in root.iter(STYLE + "style"):
                family = st.get(STYLE + "family", "")
                if family not in ("text", "paragraph"):
                    continue
                props = st.find(STYLE + "text-properties")
                display = props.get(TEXT + "display") if props is not None else None
                raw[(family, st.get(STYLE + "name", ""))] = (
                    st.get(STYLE + "parent-style-name"),
                    None if display is None else display == "none",
                )
        self.text: set[str] = set()
        self.paragraph: set[str] = set()
        # Only a document that has hidden-paragraph fields pays for looking for them.
        self.fields = any(r is not None and next(r.iter(TEXT + "hidden-paragraph"), None) is not None for r in roots)
        for family, name in raw:
            seen: set[str] = set()
            cur: str | None = name
            value: bool | None = None
            while value is None and cur is not None and (family, cur) in raw and cur not in seen:
                seen.add(cur)
                cur, value = raw[(family, cur)]
            if value:
                (self.text if family == "text" else self.paragraph).add(name)

    def hides(self, el: Element) -> bool:
        """A span in a hidden text style, or a hidden-text field that is hidden."""
        if el.tag == TEXT + "span":
            return el.get(TEXT + "style-name") in self.text
        return el.tag == TEXT + "hidden-text" and el.get(TEXT + "is-hidden") == "true"

    def hides_paragraph(self, p: Element) -> bool:
        if p.get(TEXT + "style-name") in self.paragraph:
            return True
        return self.fields and any(h.get(TEXT + "is-hidden") == "true" for h in p.iter(TEXT + "hidden-paragraph"))


def _int(v: str | None, default: int) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def _extract(ex: _Extractor, body: Element, styles: Element | None, deadline: Deadline) -> None:
    """Body, then the master pages' headers and footers (styles.xml), then the notes."""
    ex.container(body, _Ctx(part="body", in_body=True), xml_path(body))
    deadline.check()
    if styles is not None:
        ex.part_name = "styles.xml"
        for master, master_path in _master_pages(styles):
            for kind in ("header", "footer"):
                for suffix in ("", "-left", "-first"):
                    el = master.find(STYLE + kind + suffix)
                    if el is not None and el.get(STYLE + "display") != "false":
                        ex.container(el, _Ctx(part=kind), f"{master_path}/{qname(el)}[1]")
    # Notes come after the body and headers/footers: footnotes, then endnotes.
    ex.part_name = "content.xml"
    for wanted in ("footnote", "endnote"):
        for cls, num, note_body, note_path in list(ex.notes):
            if cls == wanted:
                ex.container(note_body, _Ctx(part=cls, note=num), note_path)
        deadline.check()


def read(path: Path, limits: Limits) -> Document:
    deadline = Deadline(limits, path)
    doc = Document(path=str(path), format="odt")
    with open_zip(path, limits, "odt") as z:
        if z.has("word/document.xml"):
            raise InputError(Message("this .odt is actually a Word document; rename it to .docx"), path=path)
        if z.has("mimetype"):
            mime = z.read("mimetype").decode("ascii", "replace").strip()
            if mime and not mime.startswith("application/vnd.oasis.opendocument.text"):
                raise InputError(Message("not an OpenDocument text file (mimetype {mime})", mime=mime), path=path)
        manifest = z.read("META-INF/manifest.xml") if z.has("META-INF/manifest.xml") else b""
        if b"encryption-data" in manifest:
            raise InputError(Message("password-protected .odt; remove the password to lint it"), path=path)
        content = z.parse("content.xml")
        deadline.check()
        styles = z.parse_optional("styles.xml")
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise InputError(Message("corrupt .odt: content.xml has no office:text body"), path=path)
    ex = _Extractor(limits, deadline, HiddenStyles(content, styles))
    try:
        _extract(ex, body, styles, deadline)
    except RecursionError:
        raise LimitExceeded(Message("XML nested too deeply to read safely"), path=path) from None
    except LimitExceeded as exc:
        raise LimitExceeded(exc.message, path=path) from None
    doc.blocks = ex.blocks
    doc.comments = [
        DocComment(
            text=c.text,
            author=c.author,
            block_index=c.block_index,
            anchored_text="\n".join(t for t in (_final(x) for x in c.pieces) if t),
        )
        for c in ex.comments
    ]
    return doc
