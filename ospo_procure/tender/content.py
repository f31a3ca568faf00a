"""The assembled content of each document: one structure feeds the docx templates and the PDF.

The .docx numbers its sections, clauses and sub-clauses with real Word list numbering (the
template's styles carry it), so Word and LibreOffice renumber when a lawyer inserts a
clause. The same numbers are computed here, the way a word processor counts them, for the
PDF, the clause-sources annex, the manifest and the table of contents: "2.2", "2.2.3",
"(b)" mean the same paragraph everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .clauses import Decision
from .country import Setup, format_date
from .labels import LABELS, PROCUREMENT_TYPE_NAMES, SECTION_TITLES
from .render import render_clause
from .spec import TenderSpec
from .vocab import SECTIONS

_BULLET = re.compile(r"^\s*[-*•]\s+")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+")
_LETTERED = re.compile(r"^\s*\(([a-z])\)\s+")
_ROMAN = re.compile(r"^\s*\(([ivxl]{1,6})\)\s+")

# Paragraph kinds and their list level (Heading 1 is level 0, Heading 2 level 1).
LEVELS = {"clause": 2, "item": 3, "subitem": 4}
ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")


@dataclass
class Para:
    text: str
    kind: str = "body"  # body | bullet | clause (1.1.1) | item ((a)) | subitem ((i))
    number: str = ""  # the label the list numbering shows, e.g. "2.2.3" or "(b)"
    marker: str = ""  # the label typed in the clause text ("3", "b", "ii"), checked by `clauses validate`

    @property
    def bullet(self) -> bool:
        return self.kind == "bullet"


@dataclass
class Group:
    number: str
    title: str
    entries: list[str]


@dataclass
class ClauseBlock:
    id: str
    version: str
    number: str
    title: str
    paragraphs: list[Para]
    bookmark: str = ""  # the Word bookmark on its heading; the sources annex cross-refers to it


@dataclass
class Section:
    key: str
    number: str
    title: str
    intro: list[Para] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    table: list[dict[str, str]] | None = None  # award criteria rows (ToR only)
    clauses: list[ClauseBlock] = field(default_factory=list)


@dataclass
class DocContent:
    kind: str  # tor | contract | grid
    heading: str
    title: str
    agency: str
    reference: str
    version: str
    date: str  # in words, in the document's language
    meta: list[dict[str, str]]
    sections: list[Section]
    criteria: list[dict[str, str]]
    total_weight: str
    sources: list[dict[str, str]]
    labels: dict[str, str]
    language: str
    locale: str

    def context(self) -> dict[str, Any]:
        """The docxtpl context: plain dicts and lists only."""
        return {"doc": asdict(self), "L": self.labels}

    def headings(self) -> list[tuple[int, str, str]]:
        """(level, number, title) of every numbered heading, in order (the table of contents)."""
        out: list[tuple[int, str, str]] = []
        for s in self.sections:
            out.append((0, f"{s.number}.", s.title))
            out += [(1, g.number, g.title) for g in s.groups]
            out += [(1, c.number, c.title) for c in s.clauses]
        return out


def split_paragraphs(text: str) -> list[Para]:
    """Officer text: blank lines separate paragraphs, wrapped lines join, '- ' lines are bullets."""
    paras: list[Para] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        current: list[str] = []
        for ln in lines:
            if _BULLET.match(ln):
                if current:
                    paras.append(Para(" ".join(current)))
                    current = []
                paras.append(Para(_BULLET.sub("", ln).strip(), "bullet"))
            elif paras and paras[-1].bullet and not current and ln.startswith((" ", "\t")):
                paras[-1].text += " " + ln.strip()  # wrapped bullet line
            else:
                current.append(ln.strip())
        if current:
            paras.append(Para(" ".join(current)))
    return paras


def clause_paragraphs(text: str) -> list[Para]:
    """Clause text: one paragraph per line. "1." lines are sub-clauses, "(a)" items,
    "(i)" sub-items, "- " bullets; the typed label is dropped because the list numbers them."""
    paras: list[Para] = []
    expected_letter = "a"
    for line in text.strip().splitlines():
        if not line.strip():
            continue
        roman = _ROMAN.match(line)
        # "(i)" is the ninth letter when it follows (h), a roman numeral otherwise.
        if roman and paras and paras[-1].kind in ("item", "subitem") and roman.group(1) != expected_letter:
            paras.append(Para(line[roman.end() :].strip(), "subitem", marker=roman.group(1)))
        elif m := _LETTERED.match(line):
            paras.append(Para(line[m.end() :].strip(), "item", marker=m.group(1)))
            expected_letter = chr(ord(m.group(1)) + 1)
        elif m := _NUMBERED.match(line):
            paras.append(Para(line[m.end() :].strip(), "clause", marker=m.group(1)))
            expected_letter = "a"
        elif _BULLET.match(line):
            paras.append(Para(_BULLET.sub("", line).strip(), "bullet"))
        else:
            paras.append(Para(line.strip()))
    return paras


def number_paragraphs(paras: list[Para], prefix: str) -> None:
    """Give each numbered paragraph the label a word processor shows under heading `prefix`.

    Like Word's list numbering: a paragraph at level n counts up at that level and restarts
    every deeper level; unnumbered paragraphs in between change nothing.
    """
    counters = {level: 0 for level in LEVELS.values()}
    for p in paras:
        level = LEVELS.get(p.kind)
        if level is None:
            continue
        counters[level] += 1
        for deeper in counters:
            if deeper > level:
                counters[deeper] = 0
        n = counters[level]
        if p.kind == "clause":
            p.number = f"{prefix}.{n}"
        elif p.kind == "item":
            p.number = f"({_letters(n)})"
        else:
            p.number = f"({ROMANS[n - 1] if n <= len(ROMANS) else n})"


def _letters(n: int) -> str:
    """a..z, then aa, bb... as Word's lowerLetter format does."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def marker_problems(paras: list[Para]) -> list[str]:
    """Typed labels that the list numbering would silently change ("1., 3." becomes 1.1.1, 1.1.2)."""
    problems: list[str] = []
    for p in paras:
        if not p.marker:
            continue
        expected = p.number.rsplit(".", 1)[-1].strip("()")
        if p.marker != expected:
            label = f"{p.marker}." if p.kind == "clause" else f"({p.marker})"
            problems.append(
                f"paragraph {label!r} would be numbered {expected!r}: number them in order from 1, (a), (i)"
            )
    return problems


def _fmt_weight(w: float) -> str:
    return f"{w:g}"


# long: the three documents' layouts side by side, in the order they are read
def assemble(spec: TenderSpec, decisions: list[Decision], setup: Setup | None = None) -> dict[str, DocContent]:
    """Render every selected clause and lay out the three documents."""
    lang = spec.language
    if setup is None:
        setup = spec.setup()[0]
    L = dict(LABELS[lang])
    titles = SECTION_TITLES[lang]
    variables = spec.variables()
    d = spec.data

    by_section: dict[tuple[str, str], list[ClauseBlock]] = {}
    for dec in decisions:
        if not dec.included:
            continue
        c = dec.clause
        title, text = render_clause(c, lang, variables)
        block = ClauseBlock(c.id, c.version, "", title, clause_paragraphs(text))
        by_section.setdefault((c.document, c.section), []).append(block)

    criteria = [
        {"name": c["name"], "weight": _fmt_weight(c["weight"]), "description": c.get("description", "")}
        for c in d["award_criteria"]
    ]
    total = _fmt_weight(sum(c["weight"] for c in d["award_criteria"]))
    version = spec.version
    date = format_date(spec.issue_date(), setup.locale)

    meta = [
        {"label": L["agency"], "value": d["agency"]},
        {"label": L["reference"], "value": d["reference"]},
        {"label": L["country"], "value": d["country"]},
        {"label": L["procurement_type"], "value": PROCUREMENT_TYPE_NAMES[lang][d["procurement_type"]]},
        {"label": L["licence"], "value": f"{variables['licence_name']} ({d['licence']})"},
    ]
    if d.get("repository"):
        meta.append({"label": L["repository"], "value": d["repository"]["url"]})
    meta += [{"label": L["version"], "value": version}, {"label": L["date"], "value": date}]

    docs: dict[str, DocContent] = {}
    for kind in ("tor", "contract", "grid"):
        sections: list[Section] = []
        for key in SECTIONS:
            sec = Section(key, "", titles[key])
            if kind == "tor":
                _builtin(sec, spec, L, criteria, setup.locale)
            sec.clauses = by_section.get((kind, key), [])
            if sec.intro or sec.groups or sec.table or sec.clauses:
                sections.append(sec)
        sources: list[dict[str, str]] = []
        for n, sec in enumerate(sections, 1):
            sec.number = str(n)
            sub = 0
            for g in sec.groups:
                sub += 1
                g.number = f"{n}.{sub}"
            for block in sec.clauses:
                sub += 1
                block.number = f"{n}.{sub}"
                block.bookmark = f"_RefClause{len(sources) + 1:04d}"
                number_paragraphs(block.paragraphs, block.number)
                sources.append(
                    {
                        "number": block.number,
                        "title": block.title,
                        "id": block.id,
                        "version": block.version,
                        "bookmark": block.bookmark,
                    }
                )
        docs[kind] = DocContent(
            kind=kind,
            heading=L[kind],
            title=d["title"],
            agency=d["agency"],
            reference=d["reference"],
            version=version,
            date=date,
            meta=meta,
            sections=sections,
            criteria=criteria,
            total_weight=total,
            sources=sources,
            labels=L,
            language=lang,
            locale=setup.locale,
        )
    if lang == "fr":
        for doc in docs.values():
            french_spacing(doc)
    return docs


_FR_SPACE = re.compile(r" ([:;!?»])|(«) ")
_KEEP = frozenset({"id", "bookmark", "kind", "number", "marker", "version", "locale", "language", "key"})


def french_spacing(node: Any) -> Any:
    """French puts a space before : ; ! ? » and after «; make it a no-break space so a line
    never starts with the punctuation mark (in place for dataclasses, dicts and lists)."""
    if isinstance(node, str):
        return _FR_SPACE.sub(lambda m: f"\u00a0{m[1]}" if m[1] else f"{m[2]}\u00a0", node)
    if isinstance(node, list):
        node[:] = [french_spacing(x) for x in node]
    elif isinstance(node, dict):
        for key in list(node):
            if key not in _KEEP:
                node[key] = french_spacing(node[key])
    elif hasattr(node, "__dataclass_fields__"):
        for name in node.__dataclass_fields__:
            if name not in _KEEP:
                setattr(node, name, french_spacing(getattr(node, name)))
    return node


def _builtin(sec: Section, spec: TenderSpec, L: dict[str, str], criteria: list[dict[str, str]], locale: str) -> None:
    """The officer's own content from the spec, placed in its ToR section."""
    d = spec.data
    lang = spec.language
    if sec.key == "background":
        sec.intro = split_paragraphs(d["background"])
        if d.get("needs"):
            sec.groups.append(Group("", L["needs"], list(d["needs"])))
    elif sec.key == "scope":
        kind = PROCUREMENT_TYPE_NAMES[lang][d["procurement_type"]]
        sec.intro = [Para(L["scope_intro"].format(kind=kind, title=d["title"]))]
    elif sec.key == "requirements":
        for key, label in (
            ("functional_requirements", "functional"),
            ("non_functional_requirements", "non_functional"),
        ):
            if d.get(key):
                sec.groups.append(Group("", L[label], [f"{r['id']}: {r['text']}" for r in d[key]]))
    elif sec.key == "deliverables" and d.get("timeline"):
        t = d["timeline"]
        line = f"{L['duration']}: {t['duration_months']} {L['months']}."
        if t.get("start"):
            start = format_date(dt.date.fromisoformat(t["start"]), locale)
            line = f"{L['start']}: {start}. " + line
        sec.intro = [Para(line)]
        if t.get("milestones"):
            items = [
                f"{L['month']} {m['month']}: {m['name']}" for m in sorted(t["milestones"], key=lambda m: m["month"])
            ]
            sec.groups.append(Group("", L["milestones"], items))
    elif sec.key == "economic" and d.get("budget"):
        b = d["budget"]
        sec.intro = [Para(f"{L['budget']}: {spec.variables()['budget_amount']} {b['currency']}.")]
    elif sec.key == "award":
        sec.intro = [Para(L["award_intro"])]
        sec.table = criteria
