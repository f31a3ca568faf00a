"""State shared by the XML-walking readers (.docx, .odt): where in the document we are,
and the XPath of the element being read (for each block's source map)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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


def qname(el: Any) -> str:
    """'w:p' for an element in the w namespace (the prefix the document itself uses)."""
    tag = el.tag
    local = tag.rpartition("}")[2] if isinstance(tag, str) else "node()"
    return f"{el.prefix}:{local}" if getattr(el, "prefix", None) else local


def step(path: str, el: Any, n: int) -> str:
    """The XPath of `el`, the n-th child of its tag under the element at `path`."""
    return f"{path}/{qname(el)}[{n}]"


def first_child_path(path: str, parent: Any, n: int, child: Any) -> str:
    """XPath of `child`, the first of its tag (as `find` returns it) in the n-th `parent`."""
    return f"{step(path, parent, n)}/{qname(child)}[1]"


def xml_path(el: Any) -> str:
    """The XPath of `el` from its document root. For elements near the root (a part's
    body, a header): siblings are counted level by level."""
    steps: list[str] = []
    while el is not None:
        parent = el.getparent()
        if parent is None:
            steps.append(qname(el))
            break
        n = 1 + sum(1 for _ in el.itersiblings(el.tag, preceding=True))
        steps.append(f"{qname(el)}[{n}]")
        el = parent
    return "".join("/" + s for s in reversed(steps))


class PathIndex:
    """XPaths of elements found anywhere below one element (a text box or note inside a
    paragraph). Each parent's children are numbered once, so even a paragraph holding
    thousands of text boxes costs one pass over it."""

    def __init__(self, anchor: Any, base: str) -> None:
        self.anchor = anchor
        self.base = base
        self.numbers: dict[Any, dict[Any, int]] = {}

    def path(self, el: Any) -> str:
        steps: list[str] = []
        while el is not None and el is not self.anchor:
            parent = el.getparent()
            if parent is None:
                break
            numbers = self.numbers.get(parent)
            if numbers is None:
                numbers = self.numbers[parent] = _number_children(parent)
            steps.append(f"{qname(el)}[{numbers[el]}]")
            el = parent
        return self.base + "".join("/" + s for s in reversed(steps))


def _number_children(parent: Any) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    numbers: dict[Any, int] = {}
    for child in parent:
        numbers[child] = counts[child.tag] = counts.get(child.tag, 0) + 1
    return numbers
