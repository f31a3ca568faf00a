"""What the build does to a rendered .docx beyond the template: check it, then make it fit to file.

`check_template` makes sure a template (ours or an agency's `--template DIR`) has what the
build relies on: the numbered styles, the list behind them, the page-number and TOC fields.
`finish` then sets the language of every run and style, the paper size and margins of the
country, the table of contents (one entry per heading, each a link to a bookmark on it), and
bookmarks on the clause headings that the clause-sources annex cross-refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ospo_procure.errors import DataError

from .content import DocContent
from .country import Paper, Setup
from .ooxml import Numbering, Styles, el, paragraph_style, put, run_properties, text_of, w

# Numbered styles the build's content uses, with their level in the one clause list.
NUMBERED_STYLES = (
    ("Heading 1", 0, "sections (1.)"),
    ("Heading 2", 1, "clauses (1.1)"),
    ("Clause Paragraph", 2, "sub-clauses (1.1.1)"),
    ("Clause Item", 3, "items ((a))"),
    ("Clause Subitem", 4, "sub-items ((i))"),
)
TOC_DOCS = ("terms_of_reference.docx", "contract_annex.docx")
RT_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
RT_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
DOCS = "see docs/tender-spec.md, 'Templates'"


@dataclass
class Parts:
    """The XML parts of a python-docx Document the build reads and edits."""

    document: Any  # python-docx Document

    @property
    def body(self) -> etree._Element:
        return self.document.element.body

    @property
    def styles(self) -> etree._Element:
        return self.document.styles.element

    @property
    def settings(self) -> etree._Element:
        return self.document.settings.element

    @property
    def numbering(self) -> etree._Element | None:
        try:
            return self.document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return None

    def headers_footers(self) -> list[etree._Element]:
        rels = self.document.part.rels.values()
        return [r.target_part.element for r in rels if r.reltype in (RT_HEADER, RT_FOOTER) and not r.is_external]


# ---------------------------------------------------------------- template check


def check_template(document: Any, template: Path) -> None:
    """Raise one DataError line naming what the template lacks (called on the rendered copy)."""
    parts = Parts(document)
    styles = Styles.read(parts.styles)
    numbering = Numbering(parts.numbering)
    lists: set[str] = set()
    for name, level, role in NUMBERED_STYLES:
        info = styles.find(name)
        if info is None:
            raise DataError(
                f"template lacks the paragraph style {name!r}, which numbers {role} ({DOCS})", path=template
            )
        num = styles.numbering(info.style_id)
        if num is None or num[0] == "0" or not numbering.has(*num):
            raise DataError(
                f"style {name!r} has no list numbering; link it to level {level + 1} of one list ({DOCS})",
                path=template,
            )
        if num[1] != level:
            raise DataError(
                f"style {name!r} is on list level {num[1] + 1}, expected level {level + 1} ({DOCS})", path=template
            )
        lists.add(num[0])
    if len(lists) > 1:
        raise DataError(
            f"styles {', '.join(repr(n) for n, _, _ in NUMBERED_STYLES)} must share one list, so sub-clauses "
            f"restart under each clause ({DOCS})",
            path=template,
        )
    bullet = styles.find("List Bullet")
    if bullet is None or styles.numbering(bullet.style_id) in (None, ("0", 0)):
        raise DataError(f"template lacks a numbered paragraph style 'List Bullet' ({DOCS})", path=template)
    footer_fields = {
        f.instr.split()[0].upper() for part in parts.headers_footers() for f in _fields(part) if f.instr.split()
    }
    for needed in ("PAGE", "NUMPAGES"):
        if needed not in footer_fields:
            raise DataError(
                f"template has no {needed} field in its header or footer ('page X of Y', {DOCS})", path=template
            )
    if template.name in TOC_DOCS and not any(f.instr.upper().startswith("TOC") for f in _fields(parts.body)):
        raise DataError(f"template has no table-of-contents (TOC) field ({DOCS})", path=template)


def check_rendered(document: Any, content: DocContent, template: Path) -> None:
    """The rendered document must show every section and clause heading of the content."""
    parts = Parts(document)
    styles = Styles.read(parts.styles)
    shown = [text_of(p).strip() for p in parts.body.iter(w("p")) if _outline_level(p, styles) in (0, 1)]
    for level, _number, title in content.headings():
        if title.strip() not in shown:
            what = "section" if level == 0 else "clause"
            raise DataError(
                f"the rendered document does not show the {what} heading {title!r}: the template must "
                f"loop over doc.sections with Heading 1/Heading 2 paragraphs ({DOCS})",
                path=template,
            )


# ---------------------------------------------------------------- finishing


def finish(document: Any, setup: Setup, content: DocContent) -> None:
    parts = Parts(document)
    styles = Styles.read(parts.styles)
    headings = _bookmark_headings(parts, styles, content)
    has_toc = fill_toc(parts, styles, headings)
    set_language(parts, setup.locale)  # last: the TOC entries are runs too
    set_page(parts, setup.paper)
    _settings(parts, setup.locale, update_fields=has_toc)


def set_language(parts: Parts, locale: str) -> None:
    """The language on the defaults, every style and every run (Word spell-checks by it)."""
    defaults = parts.styles.find(w("docDefaults"))
    if defaults is None:
        defaults = el("docDefaults")
        parts.styles.insert(0, defaults)
    rpr_default = defaults.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = el("rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(w("rPr"))
    if rpr is None:
        rpr = el("rPr")
        rpr_default.append(rpr)
    _lang(rpr, locale)
    for style in parts.styles.iter(w("style")):
        if style.get(w("type")) in ("paragraph", "character", "table"):
            _lang(put(style, "rPr", "style"), locale)
    for root in (parts.body, *parts.headers_footers()):
        for run in root.iter(w("r")):
            _lang(run_properties(run), locale)


def _lang(rpr: etree._Element, locale: str) -> None:
    put(rpr, "lang", "rPr").set(w("val"), locale)


def set_page(parts: Parts, paper: Paper) -> None:
    """Paper size and margins of the country on every section; tables and right tabs follow the text width."""
    sections = list(parts.body.iter(w("sectPr")))
    old_width = _text_width(sections[-1]) if sections else None
    for sect in sections:
        size = put(sect, "pgSz", "sectPr")
        size.set(w("w"), str(Paper.twips(paper.width_mm)))
        size.set(w("h"), str(Paper.twips(paper.height_mm)))
        if w("orient") in size.attrib:
            del size.attrib[w("orient")]
        margins = put(sect, "pgMar", "sectPr")
        for side in ("top", "right", "bottom", "left"):
            margins.set(w(side), str(Paper.twips(paper.margin_mm)))
        for attr, default in (("header", "709"), ("footer", "567"), ("gutter", "0")):
            margins.set(w(attr), margins.get(w(attr), default))
    new_width = paper.text_width_twips
    if old_width and old_width != new_width:
        _scale_widths(parts, old_width, new_width)


def _text_width(sect: etree._Element) -> int | None:
    size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
    if size is None or margins is None:
        return None
    try:
        return int(size.get(w("w"), "0")) - int(margins.get(w("left"), "0")) - int(margins.get(w("right"), "0"))
    except ValueError:
        return None


def _scale_widths(parts: Parts, old: int, new: int) -> None:
    factor = new / old
    for root in (parts.body, *parts.headers_footers()):
        for node in root.iter(w("tblW"), w("tcW"), w("gridCol")):
            if node.get(w("type"), "dxa") == "dxa" and (value := node.get(w("w"), "")).isdigit():
                node.set(w("w"), str(round(int(value) * factor)))
    for root in (parts.styles, parts.body, *parts.headers_footers()):
        for tab in root.iter(w("tab")):
            pos = tab.get(w("pos"), "")
            if tab.get(w("val")) == "right" and pos.isdigit() and abs(int(pos) - old) < 20:
                tab.set(w("pos"), str(new))


def _settings(parts: Parts, locale: str, *, update_fields: bool) -> None:
    settings = parts.settings
    if update_fields:  # Word offers to update the TOC (page numbers) when the file opens
        put(settings, "updateFields", "settings").set(w("val"), "true")
    put(settings, "themeFontLang", "settings").set(w("val"), locale)
    comma = not locale.startswith("en")
    put(settings, "decimalSymbol", "settings").set(w("val"), "," if comma else ".")
    put(settings, "listSeparator", "settings").set(w("val"), ";" if comma else ",")


# ---------------------------------------------------------------- headings, bookmarks, TOC


@dataclass
class Heading:
    level: int  # 0-based outline level
    label: str  # the list label a word processor shows ("2.", "2.3"), "" when unnumbered
    text: str
    bookmark: str


def _outline_level(p: etree._Element, styles: Styles) -> int | None:
    direct = p.find(f"{w('pPr')}/{w('outlineLvl')}")
    if direct is not None:
        return int(direct.get(w("val"), "9"))
    return styles.outline(paragraph_style(p))


def _bookmark_headings(parts: Parts, styles: Styles, content: DocContent) -> list[Heading]:
    """Number every list paragraph as Word would; bookmark headings (TOC) and clause headings (annex)."""
    numbering = Numbering(parts.numbering)
    next_id = 1 + max(
        (int(b.get(w("id"), "0")) for b in parts.body.iter(w("bookmarkStart")) if b.get(w("id"), "").isdigit()),
        default=0,
    )
    clause_refs = [(c.title.strip(), c.bookmark) for s in content.sections for c in s.clauses]
    headings: list[Heading] = []
    for p in list(parts.body.iter(w("p"))):
        direct = p.find(f"{w('pPr')}/{w('numPr')}")
        num = _direct_num(direct) if direct is not None else styles.numbering(paragraph_style(p))
        label = numbering.count(*num) if num and num[0] != "0" else ""
        level = _outline_level(p, styles)
        if level is None or level > 8:
            continue
        text = text_of(p).strip()
        names = [f"_Toc{len(headings) + 1:09d}"]
        if clause_refs and text == clause_refs[0][0]:
            names.append(clause_refs.pop(0)[1])
        for name in names:
            _bookmark(p, name, next_id)
            next_id += 1
        headings.append(Heading(level, label, text, names[0]))
    return headings


def _direct_num(num_pr: etree._Element) -> tuple[str, int]:
    num_id, ilvl = num_pr.find(w("numId")), num_pr.find(w("ilvl"))
    return (
        num_id.get(w("val"), "0") if num_id is not None else "0",
        int(ilvl.get(w("val"), "0")) if ilvl is not None else 0,
    )


def _bookmark(p: etree._Element, name: str, bid: int) -> None:
    ppr = p.find(w("pPr"))
    at = 1 if ppr is not None else 0
    p.insert(at, el("bookmarkStart", id=str(bid), name=name))
    p.append(el("bookmarkEnd", id=str(bid)))


@dataclass
class Field:
    """A complex field: its instruction and the runs holding begin, separate (if any) and end."""

    instr: str
    begin: etree._Element | None
    end: etree._Element | None


def _fields(root: etree._Element) -> list[Field]:
    """Every top-level field under `root`, in document order (simple fields have no runs)."""
    out: list[Field] = []
    stack: list[tuple[list[str], etree._Element]] = []
    for node in root.iter(w("fldChar"), w("instrText"), w("fldSimple")):
        if node.tag == w("fldSimple"):
            out.append(Field(node.get(w("instr"), "").strip(), None, None))
        elif node.tag == w("instrText"):
            if stack:
                stack[-1][0].append(node.text or "")
        elif node.get(w("fldCharType")) == "begin":
            stack.append(([], node))
        elif node.get(w("fldCharType")) == "end" and stack:
            instr, begin = stack.pop()
            if not stack:
                out.append(Field("".join(instr).strip(), begin.getparent(), node.getparent()))
    return out


def fill_toc(parts: Parts, styles: Styles, headings: list[Heading]) -> bool:
    """Replace the TOC field's result with one linked entry per heading; False when there is none.

    Page numbers are left to the word processor: Word updates the field when the file opens
    (settings updateFields) and LibreOffice on Tools > Update; the entries show number and title.
    """
    toc = next((f for f in _fields(parts.body) if f.instr.upper().startswith("TOC")), None)
    if toc is None:
        return False
    first = toc.begin.getparent() if toc.begin is not None else None
    last = toc.end.getparent() if toc.end is not None else None
    body = first.getparent() if first is not None else None
    if first is None or last is None or body is None or first.tag != w("p") or last.getparent() is not body:
        return True  # a simple field, or one inside a hyperlink or table cell: leave it as it is
    depth = _toc_depth(toc.instr)
    new = [_toc_entry(h, styles) for h in headings if h.level < depth] or [el("p")]
    instr_run = el("r")
    instr_run.append(el("instrText", f" {toc.instr} "))
    at = 1 if new[0].find(w("pPr")) is not None else 0
    for offset, run in enumerate((_field_run("begin"), instr_run, _field_run("separate"))):
        new[0].insert(at + offset, run)
    new[-1].append(_field_run("end"))
    index = body.index(first)
    for node in list(body)[index : body.index(last) + 1]:
        body.remove(node)
    for offset, p in enumerate(new):
        body.insert(index + offset, p)
    return True


def _toc_entry(h: Heading, styles: Styles) -> etree._Element:
    p = el("p")
    info = styles.find(f"toc {h.level + 1}")
    if info is not None:
        ppr = el("pPr")
        ppr.append(el("pStyle", val=info.style_id))
        p.append(ppr)
    link = el("hyperlink", anchor=h.bookmark, history="1")
    if h.label:
        link.append(_run(h.label))
        tab = el("r")
        tab.append(el("tab"))
        link.append(tab)
    link.append(_run(h.text))
    p.append(link)
    return p


def _toc_depth(instr: str) -> int:
    m = re.search(r'\\o\s+"?(\d)\s*-\s*(\d)"?', instr)
    return int(m.group(2)) if m else 3


def _run(text: str) -> etree._Element:
    r = el("r")
    r.append(el("t", text))
    return r


def _field_run(kind: str) -> etree._Element:
    r = el("r")
    r.append(el("fldChar", fldCharType=kind))
    return r
