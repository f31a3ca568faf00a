"""Plain text and Markdown: paragraphs split on blank lines, headings from `#` lines.

Form feeds separate pages (as in text exported from a PDF). Block locations carry the
1-based line and column of the paragraph's first character; each block's source map
takes any offset in it back to its line and column (a paragraph's lines are stripped
and joined with one space).
"""

from __future__ import annotations

import re
from pathlib import Path

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.fsutil import NotRegularFile, TooLarge, read_regular
from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.model import Block, Document, Location, SourceMap
from ospo_procure.readers.safe_xml import MAX_BLOCKS

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
            raise InputError(Message("not valid UTF-16 text"), path=path) from None
    if b"\x00" in data[:8192]:
        raise InputError(Message("binary data, not text; save the tender as UTF-8 .txt, .docx or .pdf"), path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            Message("not UTF-8 text (bad byte at offset {offset}); re-save the file as UTF-8", offset=exc.start),
            path=path,
        ) from None


def read(path: Path, limits: Limits) -> Document:
    # A byte cap, not the size on disk: the file may have grown, or been swapped for a FIFO.
    try:
        data = read_regular(path, limits.max_file_bytes)
    except NotRegularFile:
        raise InputError(
            Message("not a regular file (a pipe, device or socket); pass a saved document"), path=path
        ) from None
    except TooLarge:
        raise LimitExceeded(
            Message(
                "file is over the max_file_bytes limit of {limit} MB", limit=f"{limits.max_file_bytes / 2**20:.1f}"
            ),
            path=path,
        ) from None
    text = decode(data, path)
    if len(text) > limits.max_chars:  # refuse before splitting: that would copy it twice more
        raise LimitExceeded(
            Message(
                "document text is {n} characters, over the max_chars limit of {limit}",
                n=f"{len(text):,}",
                limit=f"{limits.max_chars:,}",
            ),
            path=path,
        )
    markdown = path.suffix.lower() in (".md", ".markdown")
    return parse_text(
        text, str(path), markdown=markdown, max_block_chars=limits.max_block_chars, max_blocks=limits.max_blocks
    )


def parse_text(
    text: str,
    path: str = "<text>",
    *,
    markdown: bool = False,
    max_block_chars: int | None = None,
    max_blocks: int | None = None,
) -> Document:
    """Blocks from text. A paragraph longer than `max_block_chars` (hard-wrapped text with
    no blank lines) is cut at line ends, so no block is too long to lint."""
    parser = _Parser(path, markdown=markdown, max_block_chars=max_block_chars, max_blocks=max_blocks)
    parser.any_ff = "\f" in text
    parser.part = "page" if parser.any_ff else "body"
    read_line = parser.line if parser.any_ff else parser.text_line
    for lineno, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        read_line(lineno, raw)
    parser.flush()
    if parser.any_ff:
        parser.doc.pages = parser.page
    return parser.doc


class _Parser:
    """One pass over the lines: a buffer of the paragraph's lines, the heading path, the page.

    Each buffered piece keeps its line and the column where it starts, so every block
    gets a source map from block offsets back to lines and columns.
    """

    def __init__(self, path: str, *, markdown: bool, max_block_chars: int | None, max_blocks: int | None) -> None:
        self.doc = Document(path=path, format="md" if markdown else "txt")
        self.markdown = markdown
        self.max_block_chars = max_block_chars
        self.max_blocks = max_blocks
        self.any_ff = False
        self.part = "body"
        self.headings: list[tuple[int, str]] = []
        self.path: str | None = None  # " > ".join of the headings, kept as they change
        self.parent_path: str | None = None  # the same without the last heading (for a heading's own block)
        self.page = 1
        self.para_in_part = 0
        self.buf: list[tuple[str, int, int]] = []  # (text, line, 1-based column where it starts)
        self.buf_chars = 0

    def line(self, lineno: int, raw: str) -> None:
        pages = raw.split("\f")  # one split: splitting off one page at a time is quadratic
        col = 1
        for before in pages[:-1]:
            if before.strip():
                self.buf.append((before, lineno, col))
            col += len(before) + 1
            self.flush()
            self.page += 1
            self.para_in_part = 0
        self.text_line(lineno, pages[-1], col)

    def text_line(self, lineno: int, line: str, col: int = 1) -> None:
        heading = _atx_heading(line) if self.markdown else None
        if heading:
            self.flush()
            level, title = heading
            self.push_heading(level, title)
            start = col + (line.index(title) if title else 0)
            self.add(title, ((0, lineno, start),), "heading", self.parent_path, level)
        elif not line.strip():
            self.flush()
        elif self.markdown and len(self.buf) == 1 and _SETEXT.match(line):
            self.setext(line)
        elif _MARKER.search(line):  # a waiver marker line is a block of its own
            self.flush()
            self.buf.append((line, lineno, col))
            self.flush()
        else:
            if self.buf and (
                (self.markdown and _LIST.match(line))  # each list item is its own block
                or (self.max_block_chars is not None and self.buf_chars + len(line) + 1 > self.max_block_chars)
            ):
                self.flush()
            self.buf.append((line, lineno, col))
            self.buf_chars += len(line) + 1

    def setext(self, underline: str) -> None:
        """The buffered line is a heading title underlined with === or ---."""
        raw, lineno, col = self.buf[0]
        title = raw.strip()
        self.buf, self.buf_chars = [], 0
        level = 1 if underline.strip().startswith("=") else 2
        self.push_heading(level, title)
        start = col + len(raw) - len(raw.lstrip())
        self.add(title, ((0, lineno, start),), "heading", self.parent_path, level)

    def push_heading(self, level: int, title: str) -> None:
        self.headings[:] = [h for h in self.headings if h[0] < level] + [(level, title)]
        self.path = " > ".join(h for _, h in self.headings) or None
        self.parent_path = " > ".join(h for _, h in self.headings[:-1]) or None

    def flush(self) -> None:
        if not self.buf:
            return
        pieces, self.buf, self.buf_chars = self.buf, [], 0
        lines: list[tuple[int, int, int]] = []
        texts: list[str] = []
        offset = 0
        for raw, lineno, col in pieces:
            stripped = raw.strip()
            if stripped:
                lines.append((offset, lineno, col + len(raw) - len(raw.lstrip())))
                texts.append(stripped)
                offset += len(stripped) + 1
        if texts:
            joined = texts[0] if len(texts) == 1 else " ".join(texts)
            kind = "list_item" if self.markdown and _LIST.match(joined) else "paragraph"
            self.add(joined, tuple(lines), kind, self.path)

    def add(
        self,
        text: str,
        lines: tuple[tuple[int, int, int], ...],
        kind: str,
        heading: str | None,
        level: int | None = None,
    ) -> None:
        # Checked while parsing: "a\n\n" * 5M would build millions of blocks first.
        if self.max_blocks is not None and len(self.doc.blocks) >= self.max_blocks:
            raise LimitExceeded(Message(MAX_BLOCKS, n=f"{self.max_blocks:,}"), path=self.doc.path)
        self.para_in_part += 1
        _, line, column = lines[0]
        page = self.page if self.any_ff else None
        location = Location(self.part, page, self.para_in_part, heading=heading, line=line, column=column)
        self.doc.blocks.append(Block(text, location, kind, level, source=SourceMap(lines=lines)))
