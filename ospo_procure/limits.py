"""Safety limits applied to every input. Configurable from the CLI (`--max-*`).

Every tender is treated as hostile: each limit bounds one way a file could make the
linter use unbounded memory or time. The defaults are far above any real tender and
keep a lint of one file under about 1 GB of memory. docs/limits.md documents them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 100 * 1024 * 1024  # size of the file on disk
    max_uncompressed_bytes: int = 200 * 1024 * 1024  # all zip members of a .docx/.odt read
    max_part_bytes: int = 64 * 1024 * 1024  # one XML part of a .docx/.odt; one PDF font
    max_compression_ratio: int = 200  # zip-bomb guard, per member
    # One PDF content/object stream once inflated: pdfium builds page objects from it and
    # needs ~15x its size in memory, so this is what bounds a "huge stream" PDF.
    max_pdf_stream_bytes: int = 16 * 1024 * 1024
    max_pages: int = 2000  # PDF pages read
    # Text extracted from one document; linting costs about 1 s and 25 MB per million.
    max_chars: int = 10_000_000
    # One paragraph (block). spaCy refuses texts over 1,000,000 characters; a real
    # paragraph is a few thousand.
    max_block_chars: int = 200_000
    # XML elements in all parts of one .docx/.odt read: lxml needs ~150 bytes each, so
    # this (not the byte size) bounds a part made of millions of empty paragraphs.
    max_xml_elements: int = 2_000_000
    # Paragraphs (blocks) in one document; each costs ~1 KB through linting.
    max_blocks: int = 200_000
    max_seconds: float = 120.0  # wall time to read one document (checked between parts/pages)
    max_nesting: int = 64  # nested tables
