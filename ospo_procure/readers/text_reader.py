"""Plain text and Markdown: paragraphs split on blank lines, headings from `#` lines.

Form feeds separate pages (as in text exported from a PDF). Block locations carry the
1-based line and column of the paragraph's first character, for SARIF text regions.
"""

from __future__ import annotations

import re
from pathlib import Path

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.fsutil import NotRegularFile, TooLarge, read_regular
from ospo_procure.limits import Limits
from ospo_procure.model import Block, Document, Location

_SETEXT = re.compile(r"^(=+|-+)\s*$")
# Waiver marker lines ("ospo-procure: allow RULE because ...") stand alone as blocks,
# so their justification never runs into the paragraph they cover.
_MARKER = re.compile(r"ospo-procure:\s*allow\b", re.IGNORECASE)
_LIST = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")


def _atx_heading(line: str) -> tuple[int, str] | None:
    """(level, title) of a `# Title #` line, with string methods: the obvious regex
    (`^(#{1,6})\\s+(.*?)\\s*#*\\s*$`) backtracks quadratically on long runs of spaces."""
    if not line.startswith("#"):
        return None
    rest = line.lstrip("#")
    level = len(line) - len(rest)
    if level > 6 or not rest[:1].isspace():
        return None
    title = rest.strip()
    closed = title.rstrip("#")
    if closed != title and (not closed or closed[-1].isspace()):  # optional closing hashes
        title = closed.rstrip()
    return level, title


def decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("not valid UTF-16 text", path=path) from None
    if b"\x00" in data[:8192]:
        raise InputError("binary data, not text; save the tender as UTF-8 .txt, .docx or .pdf", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (bad byte at offset {exc.start}); re-save the file as UTF-8", path=path
        ) from None


def read(path: Path, limits: Limits) -> Document:
    # A byte cap, not the size on disk: the file may have grown, or been swapped for a FIFO.
    try:
        data = read_regular(path, limits.max_file_bytes)
    except NotRegularFile:
        raise InputError("not a regular file (a pipe, device or socket); pass a saved document", path=path) from None
    except TooLarge:
        raise LimitExceeded(
            f"file is over the max_file_bytes limit of {limits.max_file_bytes / 2**20:.1f} MB", path=path
        ) from None
    text = decode(data, path)
    if len(text) > limits.max_chars:  # refuse before splitting: that would copy it twice more
        raise LimitExceeded(
            f"document text is {len(text):,} characters, over the max_chars limit of {limits.max_chars:,}",
            path=path,
        )
    markdown = path.suffix.lower() in (".md", ".markdown")
    return parse_text(
        text, str(path), markdown=markdown, max_block_chars=limits.max_block_chars, max_blocks=limits.max_blocks
    )


def parse_text(  # noqa: PLR0915 - to be split (issue 13): one pass over lines with its buffer state
    text: str,
    path: str = "<text>",
    *,
    markdown: bool = False,
    max_block_chars: int | None = None,
    max_blocks: int | None = None,
) -> Document:
    """Blocks from text. A paragraph longer than `max_block_chars` (hard-wrapped text with
    no blank lines) is cut at line ends, so no block is too long to lint."""
    doc = Document(path=path, format="md" if markdown else "txt")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings: list[tuple[int, str]] = []
    page = 1
    para_in_part = 0
    buf: list[str] = []
    buf_chars = 0
    buf_line = 0
    buf_col = 1
    any_ff = "\f" in text

    def add(block: Block) -> None:
        # Checked while parsing: "a\n\n" * 5M would build millions of blocks first.
        if max_blocks is not None and len(doc.blocks) >= max_blocks:
            raise LimitExceeded(f"over {max_blocks:,} paragraphs (max_blocks limit)", path=path)
        doc.blocks.append(block)

    def flush() -> None:
        nonlocal buf, buf_chars, para_in_part
        if not buf:
            return
        joined = " ".join(s.strip() for s in buf).strip()
        buf = []
        buf_chars = 0
        if not joined:
            return
        para_in_part += 1
        kind = "list_item" if markdown and _LIST.match(joined) else "paragraph"
        add(
            Block(
                text=joined,
                location=Location(
                    part="page" if any_ff else "body",
                    page=page if any_ff else None,
                    paragraph=para_in_part,
                    heading=" > ".join(h for _, h in headings) or None,
                    line=buf_line,
                    column=buf_col,
                ),
                kind=kind,
            )
        )

    for lineno, raw in enumerate(lines, start=1):
        pages = raw.split("\f")  # one split: splitting off one page at a time is quadratic
        raw = pages.pop()
        for before in pages:
            if before.strip():
                if not buf:
                    buf_line, buf_col = lineno, len(before) - len(before.lstrip()) + 1
                buf.append(before)
            flush()
            page += 1
            para_in_part = 0
        line = raw
        m = _atx_heading(line) if markdown else None
        if m:
            flush()
            level, title = m
            headings[:] = [h for h in headings if h[0] < level] + [(level, title)]
            para_in_part += 1
            add(
                Block(
                    text=title,
                    location=Location(
                        part="page" if any_ff else "body",
                        page=page if any_ff else None,
                        paragraph=para_in_part,
                        heading=" > ".join(h for _, h in headings[:-1]) or None,
                        line=lineno,
                        column=line.index(title) + 1 if title else 1,
                    ),
                    kind="heading",
                    level=level,
                )
            )
            continue
        if not line.strip():
            flush()
            continue
        if markdown and buf and _SETEXT.match(line) and len(buf) == 1:
            # Setext heading: the buffered line is the title.
            title = buf[0].strip()
            buf = []
            level = 1 if line.strip().startswith("=") else 2
            headings[:] = [h for h in headings if h[0] < level] + [(level, title)]
            para_in_part += 1
            add(
                Block(
                    text=title,
                    location=Location(part="body", paragraph=para_in_part, line=lineno - 1, column=1),
                    kind="heading",
                    level=level,
                )
            )
            continue
        if _MARKER.search(line):
            flush()
            buf_line, buf_col = lineno, len(line) - len(line.lstrip()) + 1
            buf.append(line)
            flush()
            continue
        if markdown and _LIST.match(line) and buf:
            flush()  # each list item is its own block
        if buf and max_block_chars is not None and buf_chars + len(line) + 1 > max_block_chars:
            flush()
        if not buf:
            buf_line = lineno
            buf_col = len(line) - len(line.lstrip()) + 1
        buf.append(line)
        buf_chars += len(line) + 1
    flush()
    if any_ff:
        doc.pages = page
    return doc
