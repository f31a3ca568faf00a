"""Paper size, margins and language tag of a built tender, from the spec's country (countries.yaml)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ospo_procure.errors import DataError
from ospo_procure.yamlio import line_of, load_yaml, validate

from .vocab import LANGUAGES

TABLE = Path(__file__).with_name("countries.yaml")
MM_PER_TWIP = 25.4 / 1440
PT_PER_MM = 72 / 25.4

_LANG_MAP = {"type": "object", "additionalProperties": False, "required": list(LANGUAGES)}
_LANG_MAP["properties"] = {lang: {"type": "string", "pattern": f"^{lang}-[A-Z0-9]{{2,3}}$"} for lang in LANGUAGES}
_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["defaults", "papers", "countries"],
    "properties": {
        "defaults": _LANG_MAP,
        "papers": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["width", "height", "margin"],
                "properties": {k: {"type": "number", "exclusiveMinimum": 0} for k in ("width", "height", "margin")},
            },
        },
        "countries": {
            "type": "object",
            "propertyNames": {"pattern": "^[A-Z]{2}$"},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["alpha3", "paper", "languages", "names"],
                "properties": {
                    "alpha3": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    "paper": {"type": "string"},
                    "languages": {"type": "array", "items": {"enum": list(LANGUAGES)}},
                    "names": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Paper:
    name: str  # A4 | Letter
    width_mm: float
    height_mm: float
    margin_mm: float

    @staticmethod
    def twips(mm: float) -> int:
        return round(mm / MM_PER_TWIP)

    @property
    def points(self) -> tuple[float, float]:
        return self.width_mm * PT_PER_MM, self.height_mm * PT_PER_MM

    @property
    def text_width_twips(self) -> int:
        return self.twips(self.width_mm) - 2 * self.twips(self.margin_mm)


@dataclass(frozen=True)
class Setup:
    """What the build needs to know about where the tender is filed."""

    locale: str  # BCP 47 tag set on every run and style, e.g. es-UY
    paper: Paper
    country_code: str | None  # ISO 3166 alpha-2, None when the country is not in the table


@dataclass(frozen=True)
class _Table:
    defaults: dict[str, str]
    papers: dict[str, Paper]
    countries: dict[str, dict[str, Any]]
    by_name: dict[str, str]


def _key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form: 'EE. UU.' == 'ee uu', 'México' == 'mexico'."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@lru_cache(maxsize=4)
def load_table(path: Path = TABLE) -> _Table:
    data, lines = load_yaml(path)
    validate(data, _SCHEMA, path, lines)
    papers = {name: Paper(name, p["width"], p["height"], p["margin"]) for name, p in data["papers"].items()}
    by_name: dict[str, str] = {}
    for code, entry in data["countries"].items():
        if entry["paper"] not in papers:
            where = line_of(lines, ("countries", code, "paper"))
            raise DataError(
                f"{code}: unknown paper {entry['paper']!r} (known: {', '.join(papers)})", path=path, line=where
            )
        for i, name in enumerate([code, entry["alpha3"], *entry["names"]]):
            key = _key(name)
            if by_name.get(key, code) != code:
                where = line_of(lines, ("countries", code, "names", i - 2) if i >= 2 else ("countries", code))
                raise DataError(f"{code}: name {name!r} already names {by_name[key]}", path=path, line=where)
            by_name[key] = code
    return _Table(data["defaults"], papers, data["countries"], by_name)


def papers() -> tuple[str, ...]:
    return tuple(load_table().papers)


def resolve(
    country: str, language: str, *, paper: str | None = None, locale: str | None = None
) -> tuple[Setup, list[str]]:
    """The setup of a tender for `country` written in `language`; warnings when guessing."""
    table = load_table()
    code = table.by_name.get(_key(country))
    warnings: list[str] = []
    entry = table.countries.get(code) if code else None
    if entry is None and not (paper and locale):
        warnings.append(
            f"country {country!r} is not in the country table ({TABLE.name}): using "
            f"{paper or 'A4'} paper and the language tag {locale or table.defaults[language]}; "
            "set `paper` and `locale` in the spec to choose"
        )
    if locale is None:
        if entry is not None and language in entry["languages"]:
            locale = f"{language}-{code}"
        else:
            locale = table.defaults[language]
    paper_name = paper or (entry["paper"] if entry is not None else "A4")
    return Setup(locale, table.papers[paper_name], code), warnings


# ---------------------------------------------------------------- dates in words

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


def format_date(day: dt.date, locale: str) -> str:
    """'15 de febrero de 2026', '1er avril 2026', 'February 15, 2026' (en-US), '15 February 2026'."""
    language = locale.split("-")[0]
    month = MONTHS[language].split()[day.month - 1]
    if language in ("es", "pt"):
        return f"{day.day} de {month} de {day.year}"
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    if locale in ("en-US", "en-CA", "en-PH"):
        return f"{month} {day.day}, {day.year}"
    return f"{day.day} {month} {day.year}"
