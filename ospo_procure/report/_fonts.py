"""Embedded TrueType fonts for reportlab output.

reportlab's default Helvetica is a standard-14 font: not embedded and limited to
WinAnsi, so a viewer substitutes it and text extraction can lose accents. We embed
DejaVu Sans (wide Latin coverage) when the system has it, else reportlab's bundled
Bitstream Vera, and register a family so `<b>`/`<i>` in Paragraphs map to real faces.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
_VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    source: str  # "DejaVuSans" or "Vera": which files were embedded


def _candidates() -> list[tuple[str, dict[str, Path]]]:
    sets = [
        (
            "DejaVuSans",
            {
                "regular": d / "DejaVuSans.ttf",
                "bold": d / "DejaVuSans-Bold.ttf",
                "italic": d / "DejaVuSans-Oblique.ttf",
            },
        )
        for d in DEJAVU_DIRS
    ]
    sets.append(
        (
            "Vera",
            {"regular": _VERA_DIR / "Vera.ttf", "bold": _VERA_DIR / "VeraBd.ttf", "italic": _VERA_DIR / "VeraIt.ttf"},
        )
    )
    return sets


@lru_cache(maxsize=2)
def register_fonts(*, bundled_only: bool = False) -> FontSet:
    """Register the first complete font set found; idempotent (reportlab's registry is global).

    `bundled_only` skips the system DejaVu (used to test the fallback).
    """
    for source, files in _candidates():
        if bundled_only and source != "Vera":
            continue
        if not (files["regular"].is_file() and files["bold"].is_file()):
            continue
        italic = files["italic"] if files["italic"].is_file() else files["regular"]
        base = f"Ospo{source}"  # distinct per source: re-registering a name would swap files
        names = {"regular": base, "bold": f"{base}-Bold", "italic": f"{base}-Italic"}
        pdfmetrics.registerFont(TTFont(names["regular"], str(files["regular"])))
        pdfmetrics.registerFont(TTFont(names["bold"], str(files["bold"])))
        pdfmetrics.registerFont(TTFont(names["italic"], str(italic)))
        pdfmetrics.registerFontFamily(
            names["regular"],
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold"],
        )
        return FontSet(names["regular"], names["bold"], names["italic"], source)
    raise RuntimeError("no embeddable TrueType font found (DejaVu or reportlab's Vera)")
