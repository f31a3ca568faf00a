"""Small WordprocessingML helpers: names, schema-ordered insertion, styles, list numbering.

Word refuses a file whose elements are out of schema order ("unreadable content"), so every
child the build adds goes through `put`, which inserts it where the schema sequence says.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def el(tag: str, text: str | None = None, /, **attrs: str) -> etree._Element:
    node = etree.Element(w(tag))
    for key, value in attrs.items():
        node.set(w(key), value)
    if text is not None:
        node.text = text
        if text != text.strip() or "  " in text:
            node.set(XML_SPACE, "preserve")
    return node


# Child order of the elements the build edits (ECMA-376 part 1, the CT_* sequences).
ORDER = {
    "rPr": [
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
        "rPrChange",
    ],
    "style": [
        "name",
        "aliases",
        "basedOn",
        "next",
        "link",
        "autoRedefine",
        "hidden",
        "uiPriority",
        "semiHidden",
        "unhideWhenUsed",
        "qFormat",
        "locked",
        "personal",
        "personalCompose",
        "personalReply",
        "rsid",
        "pPr",
        "rPr",
        "tblPr",
        "trPr",
        "tcPr",
        "tblStylePr",
    ],
    "sectPr": [
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    ],
    "settings": [
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
        "embedTrueTypeFonts",
        "embedSystemFonts",
        "saveSubsetFonts",
        "saveFormsData",
        "mirrorMargins",
        "alignBordersAndEdges",
        "bordersDoNotSurroundHeader",
        "bordersDoNotSurroundFooter",
        "gutterAtTop",
        "hideSpellingErrors",
        "hideGrammaticalErrors",
        "activeWritingStyle",
        "proofState",
        "formsDesign",
        "attachedTemplate",
        "linkStyles",
        "stylePaneFormatFilter",
        "stylePaneSortMethod",
        "documentType",
        "mailMerge",
        "revisionView",
        "trackRevisions",
        "doNotTrackMoves",
        "doNotTrackFormatting",
        "documentProtection",
        "autoFormatOverride",
        "styleLockTheme",
        "styleLockQFSet",
        "defaultTabStop",
        "autoHyphenation",
        "consecutiveHyphenLimit",
        "hyphenationZone",
        "doNotHyphenateCaps",
        "showEnvelope",
        "summaryLength",
        "clickAndTypeStyle",
        "defaultTableStyle",
        "evenAndOddHeaders",
        "bookFoldRevPrinting",
        "bookFoldPrinting",
        "bookFoldPrintingSheets",
        "drawingGridHorizontalSpacing",
        "drawingGridVerticalSpacing",
        "displayHorizontalDrawingGridEvery",
        "displayVerticalDrawingGridEvery",
        "doNotUseMarginsForDrawingGridOrigin",
        "drawingGridHorizontalOrigin",
        "drawingGridVerticalOrigin",
        "doNotShadeFormData",
        "noPunctuationKerning",
        "characterSpacingControl",
        "printTwoOnOne",
        "strictFirstAndLastChars",
        "noLineBreaksAfter",
        "noLineBreaksBefore",
        "savePreviewPicture",
        "doNotValidateAgainstSchema",
        "saveInvalidXml",
        "ignoreMixedContent",
        "alwaysShowPlaceholderText",
        "doNotDemarcateInvalidXml",
        "saveXmlDataOnly",
        "useXSLTWhenSaving",
        "saveThroughXslt",
        "showXMLTags",
        "alwaysMergeEmptyNamespace",
        "updateFields",
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "mathPr",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    ],
}


def put(parent: etree._Element, name: str, kind: str) -> etree._Element:
    """The child `name` of `parent` (a `kind` element), created in schema order if absent."""
    found = parent.find(w(name))
    if found is not None:
        return found
    order = ORDER[kind]
    rank = order.index(name)
    child = el(name)
    for i, sibling in enumerate(parent):
        local = etree.QName(sibling).localname if isinstance(sibling.tag, str) else ""
        if local in order and order.index(local) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def run_properties(run: etree._Element) -> etree._Element:
    rpr = run.find(w("rPr"))
    if rpr is None:
        rpr = el("rPr")
        run.insert(0, rpr)
    return rpr


def style_properties(style: etree._Element, name: str) -> etree._Element:
    return put(style, name, "style")


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


# ---------------------------------------------------------------- styles


@dataclass
class StyleInfo:
    style_id: str
    name: str
    kind: str
    based_on: str | None
    num: tuple[str, int] | None  # (numId, ilvl) from the style's own pPr
    outline: int | None


@dataclass
class Styles:
    by_id: dict[str, StyleInfo] = field(default_factory=dict)

    @classmethod
    def read(cls, root: etree._Element) -> Styles:
        styles = cls()
        for s in root.iter(w("style")):
            sid = s.get(w("styleId")) or ""
            name_el = s.find(w("name"))
            name = name_el.get(w("val"), sid) if name_el is not None else sid
            based = s.find(w("basedOn"))
            ppr = s.find(w("pPr"))
            styles.by_id[sid] = StyleInfo(
                sid,
                name,
                s.get(w("type"), "paragraph"),
                based.get(w("val")) if based is not None else None,
                _num_pr(ppr),
                _outline(ppr),
            )
        return styles

    def find(self, name: str) -> StyleInfo | None:
        """A style by its name, as Word and LibreOffice write it ('heading 1' == 'Heading 1')."""
        wanted = name.casefold()
        for info in self.by_id.values():
            if info.name.casefold() == wanted:
                return info
        return None

    def chain(self, style_id: str | None) -> Iterator[StyleInfo]:
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            info = self.by_id[style_id]
            yield info
            style_id = info.based_on

    def numbering(self, style_id: str | None) -> tuple[str, int] | None:
        for info in self.chain(style_id):
            if info.num is not None:
                return info.num
        return None

    def outline(self, style_id: str | None) -> int | None:
        for info in self.chain(style_id):
            if info.outline is not None:
                return info.outline
        return None


def _num_pr(ppr: etree._Element | None) -> tuple[str, int] | None:
    if ppr is None:
        return None
    num = ppr.find(w("numPr"))
    if num is None:
        return None
    num_id = num.find(w("numId"))
    ilvl = num.find(w("ilvl"))
    nid = num_id.get(w("val"), "0") if num_id is not None else "0"
    return (nid, int(ilvl.get(w("val"), "0")) if ilvl is not None else 0)


def _outline(ppr: etree._Element | None) -> int | None:
    if ppr is None:
        return None
    node = ppr.find(w("outlineLvl"))
    return int(node.get(w("val"), "9")) if node is not None else None


def paragraph_style(p: etree._Element) -> str | None:
    ps = p.find(f"{w('pPr')}/{w('pStyle')}")
    return ps.get(w("val")) if ps is not None else None


# ---------------------------------------------------------------- list numbering


@dataclass
class Level:
    start: int
    fmt: str
    text: str
    legal: bool


ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(n: int) -> str:
    out = ""
    for value, digits in ROMAN:
        while n >= value:
            out += digits
            n -= value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class Numbering:
    """Counts list paragraphs the way a word processor does, to label headings in the TOC."""

    def __init__(self, root: etree._Element | None):
        self.levels: dict[str, dict[int, Level]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, Level]] = {}
        for a in root.iter(w("abstractNum")):
            levels: dict[int, Level] = {}
            for lvl in a.iter(w("lvl")):
                levels[int(lvl.get(w("ilvl"), "0"))] = Level(
                    int(_val(lvl, "start", "1")),
                    _val(lvl, "numFmt", "decimal"),
                    _val(lvl, "lvlText", ""),
                    lvl.find(w("isLgl")) is not None,
                )
            abstract[a.get(w("abstractNumId"), "")] = levels
        for num in root.iter(w("num")):
            ref = num.find(w("abstractNumId"))
            if ref is not None:
                self.levels[num.get(w("numId"), "")] = abstract.get(ref.get(w("val"), ""), {})
        self.counters: dict[str, dict[int, int]] = {}

    def has(self, num_id: str, ilvl: int) -> bool:
        return ilvl in self.levels.get(num_id, {})

    def count(self, num_id: str, ilvl: int) -> str:
        """Advance the list at this level and return the label it shows."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        label = levels[ilvl].text
        for k in range(ilvl + 1):
            level = levels.get(k)
            if level is None:
                continue
            value = counters.get(k, level.start)
            fmt = "decimal" if levels[ilvl].legal and k < ilvl else level.fmt
            label = label.replace(f"%{k + 1}", _format(value, fmt))
        return label


def _val(node: etree._Element, child: str, default: str) -> str:
    found = node.find(w(child))
    return found.get(w("val"), default) if found is not None else default
