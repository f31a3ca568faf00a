"""Safety limits applied to every input. Configurable from the CLI (`--max-*`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 100 * 1024 * 1024  # size of the file on disk
    max_uncompressed_bytes: int = 200 * 1024 * 1024  # all zip members of a .docx/.odt
    max_part_bytes: int = 64 * 1024 * 1024  # one XML part
    max_compression_ratio: int = 200  # zip-bomb guard, per member
    max_pages: int = 2000  # PDF pages read
    max_chars: int = 20_000_000  # text extracted from one document
    max_seconds: float = 120.0  # wall time to read one document
    max_nesting: int = 64  # nested tables
