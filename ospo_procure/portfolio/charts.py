"""The dashboard's charts, drawn once with matplotlib and rendered twice: SVG (text as
glyph paths, so the page looks the same with no fonts or network) for the HTML page and
PNG for the PDF. No pyplot: figures are built directly, with no global state.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Callable
from typing import Any

from ospo_procure.portfolio.kpis import HEADLINE, Kpis
from ospo_procure.portfolio.strings import text

# Score colours (0 to 5) as in the single-tender HTML report; signal colours by category.
SCORE_COLOURS = ("#7f0000", "#c62828", "#ef6c00", "#f9a825", "#7cb342", "#2e7d32")
INK = "#1b1b1b"
MUTED = "#6b6b6b"
GRID = "#e3e3e3"
ACCENT = "#b71c1c"  # headline signals
SECONDARY = "#e57373"
NEUTRAL = "#37474f"
LINES = {
    "brand": "#b71c1c",
    "per_user_licensing": "#1565c0",
    "proprietary_format": "#6a1b9a",
    "vendor_certification": "#ef6c00",
}
WIDTH = 10.0  # inches: the HTML column and the PDF frame scale the figure to fit

_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.edgecolor": "#bdbdbd",
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "svg.fonttype": "path",
    "svg.hashsalt": "ospo-procure",  # stable ids: the same store gives the same page
}


def _figure(height: float, width: float = WIDTH) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _clean(ax: Any, grid: str = "x") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    if grid:
        ax.grid(axis=grid, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)


def svg(draw: Callable[[], Any]) -> str:
    """One chart as inline SVG markup for the HTML page (scales to the column's width)."""
    import matplotlib

    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]  # keys are checked at run time
        out = io.StringIO()
        draw().savefig(out, format="svg", metadata={"Date": None})
    markup = out.getvalue()
    markup = markup[markup.index("<svg") :]  # drop the XML prolog and doctype: inline SVG
    return re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1class="chart"', markup, count=1)


def png(draw: Callable[[], Any]) -> bytes:
    """One chart as a 200-dpi PNG for the PDF."""
    import matplotlib

    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]  # keys are checked at run time
        out = io.BytesIO()
        draw().savefig(out, format="png", dpi=200)
    return out.getvalue()


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def signals(k: Kpis, width: float = WIDTH) -> Callable[[], Any]:
    """Share of tenders with each kind of lock-in signal, headline kinds first."""

    def draw() -> Any:
        cats = list(HEADLINE) + sorted((c for c in k.shares if c not in HEADLINE), key=lambda c: -k.shares[c].ratio)
        fig = _figure(0.42 * len(cats) + 0.6, width)
        ax = fig.add_subplot()
        y = list(range(len(cats)))[::-1]
        ratios = [k.shares[c].ratio for c in cats]
        colours = [ACCENT if c in HEADLINE else SECONDARY for c in cats]
        ax.barh(y, ratios, color=colours, height=0.62)
        ax.set_yticks(y, [(lambda t: t[:1].upper() + t[1:])(text(f"cat_{c}")) for c in cats])
        ax.set_xlim(0, 1.08)
        ax.xaxis.set_major_formatter(lambda v, _: _pct(v) if v <= 1 else "")
        for yi, c in zip(y, cats, strict=True):
            s = k.shares[c]
            ax.text(s.ratio + 0.01, yi, f"{_pct(s.ratio)}  ({s.count})", va="center", color=INK, fontsize=9)
        _clean(ax)
        ax.set_xlabel(text("axis_share"), color=MUTED)
        return fig

    return draw


def names(items: list[tuple[str, int]], colour: str = NEUTRAL, width: float = WIDTH) -> Callable[[], Any]:
    """Tenders that require each product / vendor / format by name, most named first."""

    def draw() -> Any:
        fig = _figure(0.32 * max(len(items), 3) + 0.5, width)
        ax = fig.add_subplot()
        y = list(range(len(items)))[::-1]
        counts = [n for _, n in items]
        ax.barh(y, counts, color=colour, height=0.62)
        ax.set_yticks(y, [label if len(label) <= 40 else label[:39] + "…" for label, _ in items])
        top = max(counts, default=1)
        ax.set_xlim(0, top * 1.15 + 0.5)
        for yi, n in zip(y, counts, strict=True):
            ax.text(n + top * 0.01, yi, str(n), va="center", fontsize=9, color=INK)
        ax.xaxis.get_major_locator().set_params(integer=True)
        _clean(ax)
        ax.set_xlabel(text("axis_tenders"), color=MUTED)
        return fig

    return draw


def criteria(k: Kpis, width: float = WIDTH) -> Callable[[], Any]:
    """Per criterion: the tenders at each score (stacked to 100%) and the average."""

    def draw() -> Any:
        fig = _figure(0.6 * len(k.criteria) + 1.1, width)
        ax = fig.add_subplot()
        y = list(range(len(k.criteria)))[::-1]
        lefts = [0.0] * len(k.criteria)
        for score in range(6):
            widths = [c.counts[score] / max(1, sum(c.counts)) for c in k.criteria]
            ax.barh(y, widths, left=lefts, color=SCORE_COLOURS[score], height=0.66, label=text("score_label", n=score))
            for yi, left, w in zip(y, lefts, widths, strict=True):
                if w >= 0.06:
                    ink = "white" if score in (0, 1, 2, 5) else INK
                    ax.text(left + w / 2, yi, _pct(w), ha="center", va="center", fontsize=7.5, color=ink)
            lefts = [a + b for a, b in zip(lefts, widths, strict=True)]
        labels = [
            f"{c.number}. " + "\n".join(textwrap.wrap(c.title, 44, max_lines=2, placeholder="…")) for c in k.criteria
        ]
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda v, _: _pct(v))
        for yi, c in zip(y, k.criteria, strict=True):
            ax.text(
                1.015,
                yi,
                text("mean_label", mean=c.mean),
                va="center",
                fontsize=9.5,
                color=INK,
                weight="bold",
                transform=ax.get_yaxis_transform(),
            )
        ax.legend(
            ncols=6,
            loc="lower center",
            bbox_to_anchor=(0.3, 1.0),
            frameon=False,
            fontsize=8,
            handlelength=1.2,
            columnspacing=1.0,
        )
        _clean(ax, grid="")
        return fig

    return draw


def overall(k: Kpis, width: float = WIDTH) -> Callable[[], Any]:
    """Histogram of overall scores in half-point bins, coloured like the scores."""

    def draw() -> Any:
        fig = _figure(2.6, width)
        ax = fig.add_subplot()
        bins = [0] * 10
        for v in k.overall:
            bins[min(9, int(v * 2))] += 1
        xs = [i / 2 + 0.25 for i in range(10)]
        colours = [SCORE_COLOURS[min(5, round(x))] for x in xs]
        ax.bar(xs, bins, width=0.46, color=colours)
        for x, n in zip(xs, bins, strict=True):
            if n:
                ax.text(x, n, str(n), ha="center", va="bottom", fontsize=8.5, color=INK)
        ax.set_xticks([0, 1, 2, 3, 4, 5])
        ax.set_xlim(-0.05, 5.05)
        ax.set_ylim(0, max(bins) * 1.18 + 0.5)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(text("axis_score"), color=MUTED)
        ax.set_ylabel(text("axis_tenders"), color=MUTED)
        _clean(ax, grid="y")
        return fig

    return draw


def over_time(k: Kpis, width: float = WIDTH) -> Callable[[], Any]:
    """Share of tenders with each headline signal, by period, with the count under each period."""

    def draw() -> Any:
        fig = _figure(3.2, width)
        ax = fig.add_subplot()
        x = list(range(len(k.periods)))
        for c in HEADLINE:
            ax.plot(
                x,
                [g.shares[c].ratio for g in k.periods],
                marker="o",
                markersize=4,
                linewidth=2,
                color=LINES[c],
                label=text(f"short_{c}"),
            )
        step = max(1, len(x) // 16)  # at most ~16 labels
        ax.set_xticks(x[::step], [f"{g.label}\n{text('n_label', n=g.tenders)}" for g in k.periods][::step], fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.yaxis.set_major_formatter(lambda v, _: _pct(v))
        ax.set_ylabel(text("axis_share"), color=MUTED)
        ax.legend(ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
        _clean(ax, grid="y")
        return fig

    return draw


def buyers(k: Kpis, width: float = WIDTH) -> Callable[[], Any]:
    """Heat map: buyers (rows) by headline signal (columns), share of their tenders."""

    def draw() -> Any:
        from matplotlib.colors import LinearSegmentedColormap

        rows = k.buyers
        fig = _figure(0.36 * len(rows) + 1.0, width)
        ax = fig.add_subplot()
        data = [[g.shares[c].ratio for c in HEADLINE] for g in rows]
        cmap = LinearSegmentedColormap.from_list("lockin", ["#fbe9e7", "#e57373", "#8e0000"])
        ax.imshow(data, cmap=cmap, vmin=0, vmax=1, aspect="auto")
        for i, g in enumerate(rows):
            for j, c in enumerate(HEADLINE):
                v = g.shares[c].ratio
                ax.text(j, i, _pct(v), ha="center", va="center", fontsize=8.5, color="white" if v > 0.55 else INK)
        labels = [
            f"{g.label if len(g.label) <= 40 else g.label[:39] + '…'}  ({text('n_label', n=g.tenders)}, "
            f"{text('mean_label', mean=g.mean)})"
            for g in rows
        ]
        ax.set_yticks(range(len(rows)), labels)
        ax.set_xticks(range(len(HEADLINE)), ["\n".join(textwrap.wrap(text(f"short_{c}"), 14)) for c in HEADLINE])
        ax.xaxis.tick_top()
        for side in ax.spines.values():
            side.set_visible(False)
        ax.tick_params(length=0)
        return fig

    return draw
