"""altChunk: whole files imported into a .docx (`w:altChunk`), read or reported, never skipped.

Word merges an "alternative format chunk" (HTML, plain text, another .docx, RTF, MHT) into the
document when it opens it, so its text is part of what the bidder reads. HTML, plain text
and .docx chunks are read here; other kinds are reported as not read. Their blocks come
after every other part (part "altchunk", paragraphs numbered across all chunks), so the
block numbering of the rest of the document is the same as without them, and an annotated
copy (which only places comments in the main text) still finds its blocks.

Chunks are read through the same capped zip reader; a .docx chunk is opened with its own
`SafeZip` under the same limits, and chunks inside a chunk are reported, not followed.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.i18n import N_
from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.model import Block, Location
from ospo_procure.readers.safe_xml import MAX_BLOCKS, Deadline, SafeZip

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
T_ALTCHUNK = f"{{{W_NS}}}altChunk"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "dt",
        "dd",
        "caption",
        "tr",
        "table",
        "ul",
        "ol",
        "section",
        "article",
    ]
)
_SKIP_TAGS = frozenset(("script", "style", "head", "title", "noscript"))
_PARAGRAPHS = re.compile(r"\n\s*\n")


def _kind(name: str, data: bytes) -> str:
    ext = posixpath.splitext(name)[1].lower()
    if data.startswith(b"PK\x03\x04") or ext in (".docx", ".docm", ".dotx"):
        return "docx"
    if data.lstrip()[:5].lower() == b"{\\rtf" or ext == ".rtf":
        return "RTF"
    if ext in (".mht", ".mhtml"):
        return "MHT"
    if ext in (".htm", ".html", ".xhtml"):
        return "html"
    if ext == ".txt":
        return "text"
    return ext.lstrip(".") or "unknown"


def _text_paragraphs(data: bytes) -> list[str]:
    text = _decode(data)
    return [" ".join(p.split()) for p in _PARAGRAPHS.split(text.replace("\r\n", "\n")) if p.strip()]


def _decode(data: bytes) -> str:
    """Chunk text: UTF-16 with a BOM, else UTF-8 (undecodable bytes shown as U+FFFD, not refused:
    the chunk is one part of a document that was read)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8-sig", "replace")


def _html_paragraphs(data: bytes) -> list[str]:
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    root = etree.fromstring(data, parser)
    if root is None:
        return []
    pieces: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            pass
        else:
            block = tag in _BLOCK_TAGS
            if block:
                pieces.append("\n\n")
            if tag == "br":
                pieces.append(" ")
            if el.text:
                pieces.append(el.text)
            for child in el:
                walk(child)
            if block:
                pieces.append("\n\n")
        if el.tail:
            pieces.append(el.tail)

    walk(root)
    return [" ".join(p.split()) for p in _PARAGRAPHS.split("".join(pieces)) if p.strip()]


def _docx_paragraphs(data: bytes, limits: Limits, deadline: Deadline | None) -> tuple[list[str], bool]:
    """Body paragraphs of a .docx chunk, and whether it holds altChunks of its own."""
    from ospo_procure.readers.docx_reader import DocxParts, _main_part, extract_blocks

    with SafeZip(io.BytesIO(data), limits, "docx") as inner:
        main = _main_part(inner)
        if not inner.has(main):
            raise InputError(Message("corrupt .docx chunk: missing {name}", name=main))
        root = inner.parse(main)
    blocks, _ = extract_blocks(DocxParts(body=root), limits, deadline)
    nested = next(root.iter(T_ALTCHUNK), None) is not None
    return [b.text for b in blocks], nested


_NESTED = N_("imported .docx (altChunk {n}) imports content of its own; that inner content is not read")
_NOT_READ = N_(
    "imported {kind} content (altChunk {n}, {name}) is not read: open the document in Word and "
    "save it again so the content becomes ordinary text, then lint that copy"
)


def read_alt_chunks(
    z: SafeZip,
    root: Any,
    rels: dict[str, tuple[str, str]],
    limits: Limits,
    deadline: Deadline | None,
    warn: Callable[[str], None],
) -> list[Block]:
    """Blocks of every altChunk of the document body `root`; what cannot be read goes to `warn`."""
    blocks: list[Block] = []
    for n, el in enumerate(root.iter(T_ALTCHUNK), start=1):
        if deadline is not None:
            deadline.check()
        rel = rels.get(el.get(R_ID, ""))
        if rel is None or not z.has(rel[1]):
            warn(Message("imported content (altChunk {n}) points to a part missing from the .docx; not read", n=n))
            continue
        name = rel[1]
        data = z.read(name)
        kind = _kind(name, data)
        try:
            if kind == "text":
                texts = _text_paragraphs(data)
            elif kind == "html":
                texts = _html_paragraphs(data)
            elif kind == "docx":
                texts, nested = _docx_paragraphs(data, limits, deadline)
                if nested:
                    warn(Message(_NESTED, n=n))
            else:
                warn(Message(_NOT_READ, kind=kind, n=n, name=name))
                continue
        except (etree.XMLSyntaxError, ValueError, InputError) as exc:
            message = exc.message if isinstance(exc, InputError) else str(exc)
            warn(
                Message(
                    "imported content (altChunk {n}, {name}) could not be read ({reason}); not linted",
                    n=n,
                    name=name,
                    reason=message[:120],
                )
            )
            continue
        for text in texts:
            blocks.append(Block(text=text, location=Location(part="altchunk", paragraph=len(blocks) + 1, note=n)))
            if len(blocks) > limits.max_blocks:
                raise LimitExceeded(Message(MAX_BLOCKS, n=f"{limits.max_blocks:,}"))
    return blocks
