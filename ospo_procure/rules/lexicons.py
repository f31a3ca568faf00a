"""Product and format lexicons, compiled into Aho-Corasick automata for fast scanning.

Lexicon matching is case-insensitive on the raw block text with word-boundary checks;
pyahocorasick scans millions of words per second, where a regex alternation of
thousands of names would be two orders of magnitude slower (../shared/STACK.md).

The lexicons are cached with the compiled rule set (rules/cache.py), so they are built to
load fast: automata map keys to integer ids (pyahocorasick loads those several times faster
than Python values), and a product named with its vendor ("Microsoft SQL Server") is found
from its name's hit and the vendor written before it, instead of as one more key: three
quarters of the product keys were such combinations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

from ospo_procure.errors import DataError
from ospo_procure.rules import schema
from ospo_procure.yamlio import line_of, load_yaml, validate

# A name as a lexicon lists it: one string for every language, or one per language.
Name = str | dict[str, str]


def names_in(names: tuple[Name, ...], lang: str | None) -> list[str]:
    """The names as written in `lang` (English, else the first given, when it has none)."""
    out = []
    for n in names:
        if isinstance(n, str):
            out.append(n)
        else:
            out.append(n.get(lang or "en") or n.get("en") or next(iter(n.values())))
    return out


class ProductEntry(NamedTuple):
    vendor: str
    name: str
    category: str
    findings: tuple[str, ...]
    market: str = ""
    alternatives: tuple[Name, ...] = ()
    standards: tuple[Name, ...] = ()
    # A vendor's distribution or subscription of open-source software (`open_source: true`):
    # its own rules report it, and it is never a proprietary technology.
    open_source: bool = False

    @property
    def full_name(self) -> str:
        return self.name if self.name.lower().startswith(self.vendor.lower()) else f"{self.vendor} {self.name}"


class Surface(NamedTuple):
    """One way of writing a product: the entry, its exact spelling and whether it is an ordinary word."""

    entry: int
    text: str
    ambiguous: bool
    with_vendor: bool


@dataclass
class LexHit:
    start: int
    end: int
    surface: Surface


def _boundary_ok(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    # A surface starting/ending with punctuation (".doc", "S/4HANA") carries its own boundary.
    left_ok = not (before.isalnum() or before == "_") or not text[start].isalnum()
    right_ok = not (after.isalnum() or after == "_") or not text[end - 1].isalnum()
    return left_ok and right_ok


def lower(text: str) -> str:
    """The text lower-cased character by character, so offsets stay those of the text
    (what every lexicon scan reads; compute it once per block and pass it on)."""
    low = text.lower()
    if len(low) != len(text):  # rare Unicode case changes length: fall back to casefold-free scan
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


class _Automaton:
    """Case-insensitive keys, each with the list of values added under it, in order."""

    def __init__(self) -> None:
        self._a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.values: list[list[Any]] = []
        self.lengths: list[int] = []
        self._built = False

    def add(self, key: str, value: object) -> int:
        key = key.lower()
        existing = self._a.get(key, None)
        if existing is not None:
            self.values[existing].append(value)
            return int(existing)
        ident = len(self.values)
        self._a.add_word(key, ident)
        self.values.append([value])
        self.lengths.append(len(key))
        return ident

    def ident(self, key: str) -> int | None:
        found = self._a.get(key.lower(), None)
        return None if found is None else int(found)

    def build(self) -> None:
        """Make the automaton (before it is cached, so a loaded one is ready)."""
        if not self._built:
            self._a.make_automaton()
            self._built = True

    def find(self, low: str) -> list[tuple[int, int, int]]:
        """(start, end, key id) of every key in `low`, a text lower-cased by lower()."""
        self.build()
        if not self.values:
            return []
        lengths = self.lengths
        return [(end - lengths[ident] + 1, end + 1, ident) for end, ident in self._a.iter(low)]

    def iter(
        self, text: str, low: str | None = None, found: list[tuple[int, int, int]] | None = None
    ) -> Iterator[tuple[int, int, list[Any]]]:
        """(start, end, values) of every key in `text`; `found`: find(low), when known."""
        values = self.values
        for start, end, ident in self.find(lower(text) if low is None else low) if found is None else found:
            yield start, end, values[ident]

    def items(self) -> Iterator[tuple[str, int]]:
        """Every key (lower-cased) with its id."""
        return self._a.items()


class LexiconPass:
    """The keys of several automata in one, so that a block is read once for all of them
    (the products, vendors and formats lexicons: 4 ms instead of 12 ms of reading on the
    40,000-word benchmark tender). Built with the rule set and cached with it."""

    def __init__(self, automata: list[_Automaton]) -> None:
        self.size = len(automata)
        self._a = ahocorasick.Automaton()
        owners: dict[str, list[tuple[int, int]]] = {}
        for which, automaton in enumerate(automata):
            automaton.build()
            for key, ident in automaton.items():
                owners.setdefault(key, []).append((which, ident))
        for key, found in owners.items():
            self._a.add_word(key, (len(key), tuple(found)))
        self._empty = not owners
        if not self._empty:
            self._a.make_automaton()

    def find(self, low: str) -> list[list[tuple[int, int, int]]]:
        """For each automaton, what its find(low) returns, in the same order."""
        out: list[list[tuple[int, int, int]]] = [[] for _ in range(self.size)]
        if not self._empty:
            for end, (length, found) in self._a.iter(low):
                for which, ident in found:
                    out[which].append((end - length + 1, end + 1, ident))
        return out


class VendorSurface(NamedTuple):
    """One way of writing a vendor's name on its own ("Microsoft", "MS", "Oracle Corporation")."""

    vendor: str
    text: str
    exact_case: bool  # ordinary-word or short all-caps names count only as written here


@dataclass
class VendorHit:
    start: int
    end: int
    vendor: str


@dataclass
class ProductLexicon:
    entries: list[ProductEntry] = field(default_factory=list)
    surfaces: _Automaton = field(default_factory=_Automaton)
    vendors: set[str] = field(default_factory=set)
    # Vendors whose listed products are all open source (Red Hat, SUSE): their name on its own
    # is matched by the open-source vendor rule, not by the proprietary vendor one.
    open_source_vendors: set[str] = field(default_factory=set)
    # Vendors whose name on its own names a platform: most of their listed products (three in
    # four, hardware aside) are platforms, so "the VMware infrastructure" is the hypervisor.
    platform_vendors: set[str] = field(default_factory=set)
    vendor_surfaces: _Automaton = field(default_factory=_Automaton)
    # Keys that are only "vendor name" combinations, found from the name's key:
    # name key id -> [(lower-cased vendor name, combination id)]; surfaces per combination.
    combined: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    combined_surfaces: list[list[tuple[int, str]]] = field(default_factory=list)
    # While loading: every surface in the order added, by key, with "vendor name" parts.
    _pending: dict[str, list[tuple[Surface, str | None, str | None]]] = field(default_factory=dict, repr=False)

    def add_surface(self, key: str, surface: Surface, vendor: str | None = None, name: str | None = None) -> None:
        """Add a way of writing a product; `vendor` and `name` when it is "vendor name"."""
        self._pending.setdefault(key.lower(), []).append((surface, vendor, name))

    def finish(self) -> None:
        """Build the automata. A key written only as "vendor name" becomes a combination found
        from its name's key; every other key keeps all its surfaces, in the order they came."""
        combos: list[tuple[str, list[tuple[Surface, str | None, str | None]]]] = []
        for key, items in self._pending.items():
            split = all(
                v is not None and n is not None and key == f"{v.lower()} {n.lower()}" and n.lower() in self._pending
                for _, v, n in items
            )
            if split:
                combos.append((key, items))
            else:
                for surface, _, _ in items:
                    self.surfaces.add(key, surface)
        for _key, items in combos:
            combo = len(self.combined_surfaces)
            self.combined_surfaces.append([(s.entry, s.text) for s, _, _ in items])
            for vendor, name in dict.fromkeys((str(v).lower(), str(n)) for _, v, n in items):
                name_id = self.surfaces.ident(name)
                assert name_id is not None  # every product name is a surface of its own
                self.combined.setdefault(name_id, []).append((vendor, combo))
        self._pending = {}
        self.surfaces.build()
        self.vendor_surfaces.build()

    def scan(self, text: str, low: str | None = None, found: list[tuple[int, int, int]] | None = None) -> list[LexHit]:
        """Products named in `text` (`low`: lower(text), and `found`: surfaces.find(low), when
        the caller has them)."""
        hits: list[LexHit] = []
        low = lower(text) if low is None else low
        values = self.surfaces.values
        seen: set[tuple[int, int]] = set()
        for start, end, ident in self.surfaces.find(low) if found is None else found:
            if _boundary_ok(text, start, end):
                hits.extend(LexHit(start, end, s) for s in values[ident])
            for vendor, combo in self.combined.get(ident, ()):
                begin = start - 1 - len(vendor)
                if begin < 0 or low[start - 1] != " " or not low.startswith(vendor, begin):
                    continue
                if (begin, combo) in seen:
                    continue
                seen.add((begin, combo))
                if _boundary_ok(text, begin, end):
                    hits.extend(
                        LexHit(begin, end, Surface(e, t, False, True)) for e, t in self.combined_surfaces[combo]
                    )
        return hits

    def scan_vendors(
        self, text: str, low: str | None = None, found: list[tuple[int, int, int]] | None = None
    ) -> list[VendorHit]:
        """Vendor names anywhere in the text, longest first where they overlap."""
        hits: list[VendorHit] = []
        for start, end, values in self.vendor_surfaces.iter(text, low, found):
            if not _boundary_ok(text, start, end):
                continue
            for v in values:
                if not v.exact_case or text[start:end] == v.text:
                    hits.append(VendorHit(start, end, v.vendor))
                    break
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[VendorHit] = []
        for h in hits:
            if not kept or h.start >= kept[-1].end:
                kept.append(h)
        return kept


class FormatEntry(NamedTuple):
    id: str
    extensions: tuple[str, ...]
    names: tuple[str, ...]
    open_alternatives: tuple[Name, ...]
    vendor: str = ""
    family: str = ""
    ambiguous: bool = False


@dataclass
class FormatLexicon:
    entries: list[FormatEntry] = field(default_factory=list)
    surfaces: _Automaton = field(default_factory=_Automaton)
    open_formats: list[str] = field(default_factory=list)

    def scan(
        self, text: str, low: str | None = None, found: list[tuple[int, int, int]] | None = None
    ) -> list[tuple[int, int, FormatEntry, str]]:
        out = []
        for start, end, values in self.surfaces.iter(text, low, found):
            if not _boundary_ok(text, start, end):
                continue
            for idx, surface in values:
                out.append((start, end, self.entries[idx], surface))
        return out

    def open_formats_regex(self) -> str:
        """An alternation of the open format names, for context cues ({open_formats})."""
        names = sorted({re.escape(n) for n in self.open_formats}, key=len, reverse=True)
        return r"(?<!\w)(?:" + "|".join(names) + r")(?!\w)" if names else r"(?!x)x"


def load_products(path: Path, validate_schema: bool = True) -> ProductLexicon:
    if not path.is_file():
        raise DataError("missing products lexicon", path=path)
    data, lines = load_yaml(path)
    if validate_schema:
        validate(data, schema.PRODUCTS_FILE, path, lines)
    lex = ProductLexicon()
    cat_findings: dict[str, list[str]] = data["category_findings"]
    first_block: dict[str, int] = {}  # vendor -> its first block
    for vi, vendor in enumerate(data["vendors"]):
        ambiguous_vendor = bool(vendor.get("ambiguous_vendor"))
        first = first_block.setdefault(vendor["vendor"], vi)
        if ambiguous_vendor != bool(data["vendors"][first].get("ambiguous_vendor")):
            # a vendor listed in two blocks (a group appended apart, such as the open-source
            # subscriptions) is one vendor: an ordinary-word name must stay exact in both
            raise DataError(
                f"vendor {vendor['vendor']!r}: `ambiguous_vendor` differs from its block at line "
                f"{line_of(lines, ('vendors', first))}",
                path=path,
                line=line_of(lines, ("vendors", vi, "ambiguous_vendor")) or line_of(lines, ("vendors", vi)),
            )
        vnames = [vendor["vendor"], *list(vendor.get("aliases", []))]
        _add_vendor(lex, vendor["vendor"], vnames, ambiguous_vendor)
        for pi, prod in enumerate(vendor["products"]):
            idx = len(lex.entries)
            lex.entries.append(_product_entry(vendor["vendor"], prod, cat_findings, path, lines, (vi, pi)))
            ambiguous = {a.lower() for a in prod.get("ambiguous", [])}
            for name in [prod["name"], *list(prod.get("aliases", []))]:
                lex.add_surface(name, Surface(idx, name, name.lower() in ambiguous, False))
                for v in vnames:
                    if not name.lower().startswith(v.lower()):
                        lex.add_surface(f"{v} {name}", Surface(idx, f"{v} {name}", False, True), v, name)
    proprietary_vendors = {e.vendor for e in lex.entries if not e.open_source}
    lex.open_source_vendors = {e.vendor for e in lex.entries if e.open_source} - proprietary_vendors
    lex.platform_vendors = _platform_vendors(lex.entries)
    lex.finish()
    return lex


PLATFORM_SHARE = 0.75  # a vendor named alone is its platform when this share of its products are platforms


def _platform_vendors(entries: list[ProductEntry]) -> set[str]:
    """Vendors with two or more proprietary software products, most of which give the platform
    finding (a vendor with one product is named by it, and the product rules read that)."""
    counts: dict[str, list[int]] = {}
    for e in entries:
        if e.open_source or e.market == "hardware":
            continue
        c = counts.setdefault(e.vendor, [0, 0])
        c[0] += "proprietary_technology" in e.findings
        c[1] += 1
    return {v for v, (platforms, total) in counts.items() if total >= 2 and platforms >= PLATFORM_SHARE * total}


def _product_entry(
    vendor: str, prod: dict[str, Any], cat_findings: dict[str, list[str]], path: Path, lines: Any, at: tuple[int, int]
) -> ProductEntry:
    """One product of a vendor's block (`at`: the block's and the product's index)."""
    where = ("vendors", at[0], "products", at[1])
    if prod["category"] not in cat_findings:
        raise DataError(
            f"product {prod['name']!r}: category {prod['category']!r} is not in category_findings",
            path=path,
            line=line_of(lines, (*where, "category")),
        )
    open_source = bool(prod.get("open_source"))
    findings = cat_findings[prod["category"]]
    if open_source:  # open code is no proprietary platform, whatever its category
        findings = [f for f in findings if f != "proprietary_technology"]
        if "brand" not in findings:
            raise DataError(
                f"product {prod['name']!r}: an open-source product needs a category that gives "
                f"the brand finding (category {prod['category']!r} gives {cat_findings[prod['category']]})",
                path=path,
                line=line_of(lines, (*where, "open_source")),
            )
    return ProductEntry(
        vendor=vendor,
        name=prod["name"],
        category=prod["category"],
        findings=tuple(findings),
        market=prod.get("market", ""),
        alternatives=tuple(prod.get("alternatives", [])),
        standards=tuple(prod.get("standards", [])),
        open_source=open_source,
    )


def _add_vendor(lex: ProductLexicon, vendor: str, names: list[str], ambiguous: bool) -> None:
    """The vendor's own names, for vendors named on their own (the `vendors` lexicon matcher).
    Ordinary-word names ("Oracle", "Sage") and short all-caps ones ("SAP", "HP") must be
    written exactly as listed."""
    lex.vendors.update(v.lower() for v in names)
    for v in names:
        if len(v) >= 2:
            lex.vendor_surfaces.add(v, VendorSurface(vendor, v, ambiguous or (len(v) <= 4 and v.isupper())))


def load_formats(path: Path, validate_schema: bool = True) -> FormatLexicon:
    if not path.is_file():
        raise DataError("missing formats lexicon", path=path)
    data, lines = load_yaml(path)
    if validate_schema:
        validate(data, schema.FORMATS_FILE, path, lines)
    lex = FormatLexicon()
    for raw in data["formats"]:
        entry = FormatEntry(
            id=raw["id"],
            extensions=tuple(e if e.startswith(".") else "." + e for e in raw.get("extensions", [])),
            names=tuple(raw.get("names", [])),
            open_alternatives=tuple(raw["open_alternatives"]),
            vendor=raw.get("vendor", ""),
            family=raw.get("family", ""),
            ambiguous=bool(raw.get("ambiguous", False)),
        )
        idx = len(lex.entries)
        lex.entries.append(entry)
        for surface in entry.extensions + entry.names:
            lex.surfaces.add(surface, (idx, surface))
    lex.open_formats = list(data.get("open_formats", []))
    return lex
