"""State shared by the XML-walking readers (.docx, .odt): where in the document we are."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class WalkContext:
    part: str  # body, header, footer, footnote, endnote, textbox (tables keep their part)
    note: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    para: int = 0  # paragraphs emitted so far in this part / note / cell
    in_body: bool = False  # headings only structure the body
    in_list: bool = False
    depth: int = 0  # table nesting
    hidden: bool = False  # inside a container whose text is hidden (an ODF section with display none)
