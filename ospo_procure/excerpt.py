"""The bounded context a report shows around a finding (one helper, used by every serialiser).

A finding keeps its whole block in memory (`Finding.context`, the same string object for every
finding of the block), but a report that copied it per finding grew with findings x paragraph
length: a 199 KB one-paragraph text gave a 1.6 GB JSON report. Reports carry this excerpt
instead: at most `RADIUS` characters each side of the match, cut at a space, with the match's
offsets relative to it and the excerpt's own offset in the block (`offset + start` is the
match's offset in the block). A block short enough to show whole is shown whole, so ordinary
paragraphs look as they always did.
"""

from __future__ import annotations

from dataclasses import dataclass

RADIUS = 120  # characters of context kept each side of a match
WHOLE_UP_TO = 2 * RADIUS + 80  # blocks this short are shown whole
_SNAP = 24  # how far to look for a space to cut at


@dataclass(frozen=True)
class Excerpt:
    text: str
    start: int  # the match is text[start:end]
    end: int
    offset: int  # text begins at this offset of the block
    truncated_before: bool
    truncated_after: bool


def excerpt(context: str, start: int, end: int, radius: int = RADIUS) -> Excerpt:
    """The excerpt of `context` (a block's text) around the match at [start, end); `radius`
    narrows it where a report quotes words inside a sentence of its own (a score's reason)."""
    n = len(context)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    if n <= WHOLE_UP_TO - 2 * (RADIUS - radius):
        return Excerpt(context, start, end, 0, False, False)
    lo, hi = max(0, start - radius), min(n, end + radius)
    if lo > 0:
        space = context.find(" ", lo, min(start, lo + _SNAP))
        lo = space + 1 if space >= 0 else lo
    if hi < n:
        space = context.rfind(" ", max(end, hi - _SNAP), hi)
        hi = space if space >= 0 else hi
    return Excerpt(context[lo:hi], start - lo, end - lo, lo, lo > 0, hi < n)
