"""PDF reader: text per page with pypdfium2, lines rejoined into paragraphs.

PDF has no paragraphs, only positioned lines. A paragraph break is inferred from a
vertical gap larger than the page's usual line step, a line starting with a list
marker, sentence-ending punctuation followed by an uppercase start, or a short line
followed by an uppercase start. End-of-line hyphenation is undone ("licen-" + "ças").
Paragraphs never span pages: `Location(part="page", page=N, paragraph=k)`.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.i18n import N_
from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.model import Block, Document, Location, SourceMap
from ospo_procure.readers.pdf_guard import check_pdf_streams
from ospo_procure.readers.safe_xml import MAX_BLOCKS, Deadline

# pdfium error codes (fpdfview.h)
_ERR_PASSWORD = 4
_ERR_SECURITY = 6
_MAX_PAGES = N_("PDF has {n} pages, over the max_pages limit of {limit} (raise it with --max-pages)")
_MAX_CHARS = N_("document text is over the {limit} character limit (max_chars)")
# PDFium's own words for why a file did not open, in the report's language (other codes: its text).
_PDFIUM_REASONS = {2: N_("the file cannot be opened or read"), 3: N_("its structure is damaged")}

_LIST_MARKER = re.compile(
    r"^(?:[•·▪◦●○■□‣⁃\-–—*]\s|\(?\d{1,3}(?:\.\d{1,3})*[.)]\s|\(?[a-zA-Z][.)]\s|\(?[ivxIVX]{1,4}[.)]\s)"
)
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’»)\]]*$")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
# Second halves that make a line-end hyphen a real compound ("per-user", "lock-in").
_COMPOUND_TAILS = frozenset(
    [
        "user",
        "users",
        "seat",
        "seats",
        "device",
        "devices",
        "core",
        "cores",
        "cpu",
        "cpus",
        "processor",
        "based",
        "party",
        "source",
        "mail",
        "premise",
        "premises",
        "owned",
        "specific",
        "in",
        "time",
        "level",
        "line",
        "house",
    ]
)
_HYPHENS = ("-", "\x02", "\u00ad", "\u2010")


@dataclass
class PdfLine:
    """One text line; geometry in PDF points (None when unavailable)."""

    text: str
    top: float | None = None
    bottom: float | None = None
    left: float | None = None
    right: float | None = None


def read(path: Path, limits: Limits) -> Document:
    import pypdfium2 as pdfium

    deadline = Deadline(limits, path)
    doc = Document(path=str(path), format="pdf")
    check_pdf_streams(path, limits)  # bounds pdfium's memory: it has no inflate cap
    deadline.check(N_("scanning the PDF"))
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == _ERR_PASSWORD:
            raise InputError(Message("password-protected PDF; remove the password to lint it"), path=path) from None
        if code == _ERR_SECURITY:
            raise InputError(
                Message("PDF uses an unsupported encryption handler; save an unencrypted copy"), path=path
            ) from None
        reason = Message(_PDFIUM_REASONS[code]) if code in _PDFIUM_REASONS else str(exc)
        raise InputError(Message("corrupt PDF: cannot be opened ({reason})", reason=reason), path=path) from None
    try:
        n = len(pdf)
        doc.pages = n
        if n > limits.max_pages:
            raise LimitExceeded(Message(_MAX_PAGES, n=n, limit=limits.max_pages), path=path)
        chars = 0
        empty: list[int] = []
        for i in range(n):
            deadline.check(Message("reading page {n}", n=i + 1))
            try:
                lines = _page_lines(pdf, i)
            except pdfium.PdfiumError as exc:
                doc.warnings.append(Message("page {n} could not be read ({reason}); skipped", n=i + 1, reason=str(exc)))
                continue
            paras = paragraphs_from_lines(lines)
            if not paras:
                empty.append(i + 1)
                doc.warnings.append(Message("page {n} has no text layer (scanned image?): run OCR to lint it", n=i + 1))
                continue
            if len(doc.blocks) + len(paras) > limits.max_blocks:
                raise LimitExceeded(Message(MAX_BLOCKS, n=f"{limits.max_blocks:,}"), path=path)
            for k, text in enumerate(paras, start=1):
                chars += len(text)
                location = Location(part="page", page=i + 1, paragraph=k)
                doc.blocks.append(Block(text=text, location=location, source=SourceMap(page=i + 1)))
            if chars > limits.max_chars:
                raise LimitExceeded(Message(_MAX_CHARS, limit=f"{limits.max_chars:,}"), path=path)
        _collapse_running_lines(doc)
        if n == 0 or len(empty) == n:
            doc.unreadable = True
            doc.warnings.append(Message("no page has a text layer: the PDF is probably scanned; run OCR to lint it"))
    finally:
        pdf.close()
    return doc


_EDGE = 2  # blocks at the top and bottom of a page that may be running headers/footers
_DIGITS = re.compile(r"\d+")
_RUNNING_MAX_CHARS = 200
_RUNNING = {
    "header": N_("running header repeated on {n} pages, linted once: '{text}'"),
    "footer": N_("running footer repeated on {n} pages, linted once: '{text}'"),
}


def _collapse_running_lines(doc: Document) -> None:
    """Running headers and footers repeat on every page ("Terms of Reference - Page 3 of 40").
    Linting each copy would report the same finding once per page, so a block found at the
    top or bottom of at least half the pages (and of 3 or more) is kept once, as a header or
    footer, and the copies are dropped."""
    pages: dict[int, list[int]] = {}
    for index, block in enumerate(doc.blocks):
        pages.setdefault(block.location.page or 0, []).append(index)
    if len(pages) < 3:
        return
    # key -> [(block index, relative position on its page: 0 top .. 1 bottom)]
    seen: dict[str, list[tuple[int, float]]] = {}
    for indexes in pages.values():
        if len(indexes) < 2:
            continue  # a page's only text is its body, never a running header
        last = len(indexes) - 1
        done: set[str] = set()
        for pos in sorted(
            set(range(min(_EDGE, len(indexes)))) | set(range(max(0, len(indexes) - _EDGE), len(indexes)))
        ):
            i = indexes[pos]
            if len(doc.blocks[i].text) > _RUNNING_MAX_CHARS:
                continue  # running headers and footers are short lines, not paragraphs
            key = _DIGITS.sub("#", " ".join(doc.blocks[i].text.lower().split()))
            if key and key not in done:
                done.add(key)
                seen.setdefault(key, []).append((i, pos / last))
    drop: set[int] = set()
    for places in seen.values():
        if len(places) >= max(3, len(pages) / 2):
            first = places[0][0]
            part = "header" if sum(rel for _, rel in places) / len(places) < 0.5 else "footer"
            block = doc.blocks[first]
            block.location = Location(part=part, page=block.location.page, paragraph=1)
            drop.update(i for i, _ in places[1:])
            doc.warnings.append(Message(_RUNNING[part], n=len(places), text=block.text[:60]))
    if drop:
        doc.blocks = [b for i, b in enumerate(doc.blocks) if i not in drop]


def _page_lines(pdf: object, index: int) -> list[PdfLine]:
    page = pdf[index]  # type: ignore[index]
    try:
        tp = page.get_textpage()
        try:
            text = tp.get_text_range()
            n = tp.count_chars()
            # Geometry needs text offsets == pdfium char indices; otherwise fall back to
            # punctuation-only joining rather than misplace boxes.
            aligned = len(text) == n
            lines: list[PdfLine] = []
            pos = 0
            for raw in text.split("\n"):
                start, pos = pos, pos + len(raw) + 1
                body = raw.rstrip("\r")
                stripped = body.strip()
                if not stripped:
                    lines.append(PdfLine(""))
                    continue
                line = PdfLine(stripped)
                if aligned:
                    first = start + (len(body) - len(body.lstrip()))
                    last = start + len(body.rstrip()) - 1
                    l1, b1, _r1, t1 = tp.get_charbox(first)
                    _l2, b2, r2, t2 = tp.get_charbox(last)
                    line.top, line.bottom = max(t1, t2), min(b1, b2)
                    line.left, line.right = l1, r2
                lines.append(line)
            return lines
        finally:
            tp.close()
    finally:
        page.close()


def _clean(s: str) -> str:
    s = s.translate(_LIGATURES).replace("\x00", "")
    if "\ufffe" in s:
        # pdfium merges a line ending in a hyphen with the next line and marks the
        # spot with U+FFFE; apply the same hyphenation rule as between lines.
        pieces = s.split("\ufffe")
        parts = [pieces[0]]
        for nxt in pieces[1:]:
            if nxt.strip():
                parts[-1] += "-"
                _join_into(parts, nxt.lstrip())
            else:
                parts[-1] += "-"
        s = "".join(parts)
    return s


def _starts_upper(s: str) -> bool:
    c = s.lstrip("\"'“‘«(¿¡")[:1]
    return c.isupper() or c.isdigit()


def _is_break(a: PdfLine, b: PdfLine, step: float | None, right_edge: float | None, long_len: int) -> bool:
    if _LIST_MARKER.match(b.text):
        return True
    if step and a.bottom is not None and b.bottom is not None:
        delta = a.bottom - b.bottom
        if delta > step * 1.4 or delta < -step * 0.5:  # big gap, or a jump up (new column)
            return True
    if not _starts_upper(b.text):
        return False
    if _SENTENCE_END.search(a.text[-32:]):  # the tail only: bounded cost on hostile lines
        return True
    if right_edge is not None and a.right is not None and a.left is not None:
        short = a.right < right_edge - 0.15 * (right_edge - a.left)
    else:
        short = len(a.text) < 0.6 * long_len
    return short


def _join(a: str, b: str) -> str:
    """Join two lines of one paragraph, undoing end-of-line hyphenation."""
    if not b:
        return a
    if a and a[-1] in _HYPHENS and len(a) > 1 and a[-2].isalpha():
        head = a[:-1]
        frag = re.split(r"[\s\-/]", head[-64:])[-1]  # only its length matters (> 2)
        nxt = re.match(r"[\w]+", b)
        tail = nxt.group(0).lower() if nxt else ""
        if a[-1] == "\u00ad":
            return head + b  # explicit soft hyphen: always a break hyphen
        if b[:1].islower() and len(frag) > 2 and tail not in _COMPOUND_TAILS:
            return head + b  # "licen-" + "ças"
        return head + "-" + b  # "e-" + "mail", "per-" + "user", "Anti-" + "Corruption"
    return a + " " + b


_TAIL = 256  # _join only looks at the end of the text so far


def _join_into(parts: list[str], b: str) -> None:
    """Append line `b` to a paragraph kept as pieces, in O(len(b)).

    Joining onto the whole paragraph string each time is quadratic, and a hostile page
    can hold one "paragraph" of a million characters.
    """
    last = parts[-1]
    if len(last) > _TAIL:
        parts[-1] = last[:-_TAIL]
        last = last[-_TAIL:]
        parts.append(last)
    parts[-1] = _join(last, b)


# complex: the line-joining heuristics of one page side by side, each pinned by a reader test
def paragraphs_from_lines(lines: list[PdfLine]) -> list[str]:
    """Rejoin one page's lines into paragraphs (blank lines always break)."""
    for ln in lines:
        ln.text = _clean(ln.text).strip()
    real = [ln for ln in lines if ln.text]
    if not real:
        return []
    steps = [
        a.bottom - b.bottom
        for a, b in itertools.pairwise(real)
        if a.bottom is not None and b.bottom is not None and a.bottom - b.bottom > 0.5
    ]
    step = statistics.median(steps) if len(steps) >= 2 else None
    rights = [ln.right for ln in real if ln.right is not None]
    right_edge = max(rights) if rights else None
    long_len = max(len(ln.text) for ln in real)
    paras: list[str] = []
    cur: list[str] | None = None
    prev: PdfLine | None = None
    for ln in lines:
        if not ln.text:
            if cur is not None:
                paras.append("".join(cur))
            cur, prev = None, None
            continue
        if cur is None or prev is None or _is_break(prev, ln, step, right_edge, long_len):
            if cur is not None:
                paras.append("".join(cur))
            cur = [ln.text]
        else:
            _join_into(cur, ln.text)
        prev = ln
    if cur is not None:
        paras.append("".join(cur))
    return [" ".join(p.replace("\x02", "-").split()) for p in paras if p.strip()]
