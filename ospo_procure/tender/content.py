"""The assembled content of each document: one structure feeds the docx templates and the PDF.

Numbering happens here (not in Word numbering definitions) so the .docx, the PDF, the
clause-sources annex and the self-lint all see the same "3.2" for the same clause.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .clauses import Decision
from .labels import LABELS, PROCUREMENT_TYPE_NAMES, SECTION_TITLES
from .render import render_clause
from .spec import TenderSpec
from .vocab import SECTIONS

_BULLET = re.compile(r"^\s*[-*•]\s+")


@dataclass
class Para:
    text: str
    bullet: bool = False


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
    meta: list[dict[str, str]]
    sections: list[Section]
    criteria: list[dict[str, str]]
    total_weight: str
    sources: list[dict[str, str]]
    labels: dict[str, str]
    language: str

    def context(self) -> dict[str, Any]:
        """The docxtpl context: plain dicts and lists only."""
        return {"doc": asdict(self), "L": self.labels}


def split_paragraphs(text: str) -> list[Para]:
    """Blank lines separate paragraphs; lines starting with '- ' are bullet items."""
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
                paras.append(Para(_BULLET.sub("", ln).strip(), bullet=True))
            elif paras and paras[-1].bullet and not current and ln.startswith((" ", "\t")):
                paras[-1].text += " " + ln.strip()  # wrapped bullet line
            else:
                current.append(ln.strip())
        if current:
            paras.append(Para(" ".join(current)))
    return paras


def _fmt_weight(w: float) -> str:
    return f"{w:g}"


def assemble(spec: TenderSpec, decisions: list[Decision]) -> dict[str, DocContent]:
    """Render every selected clause and lay out the three documents."""
    lang = spec.language
    L = LABELS[lang]
    titles = SECTION_TITLES[lang]
    variables = spec.variables()
    d = spec.data

    by_section: dict[tuple[str, str], list[ClauseBlock]] = {}
    for dec in decisions:
        if not dec.included:
            continue
        c = dec.clause
        title, text = render_clause(c, lang, variables)
        block = ClauseBlock(c.id, c.version, "", title, split_paragraphs(text))
        by_section.setdefault((c.document, c.section), []).append(block)

    criteria = [
        {"name": c["name"], "weight": _fmt_weight(c["weight"]), "description": c.get("description", "")}
        for c in d["award_criteria"]
    ]
    total = _fmt_weight(sum(c["weight"] for c in d["award_criteria"]))

    meta = [
        {"label": L["agency"], "value": d["agency"]},
        {"label": L["reference"], "value": d["reference"]},
        {"label": L["country"], "value": d["country"]},
        {"label": L["procurement_type"], "value": PROCUREMENT_TYPE_NAMES[lang][d["procurement_type"]]},
        {"label": L["licence"], "value": f"{variables['licence_name']} ({d['licence']})"},
    ]
    if d.get("repository"):
        meta.append({"label": L["repository"], "value": d["repository"]["url"]})

    docs: dict[str, DocContent] = {}
    for kind in ("tor", "contract", "grid"):
        sections: list[Section] = []
        for key in SECTIONS:
            sec = Section(key, "", titles[key])
            if kind == "tor":
                _builtin(sec, spec, L, criteria)
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
                sources.append({"number": block.number, "title": block.title, "id": block.id, "version": block.version})
        docs[kind] = DocContent(
            kind=kind,
            heading=L[kind],
            title=d["title"],
            meta=meta,
            sections=sections,
            criteria=criteria,
            total_weight=total,
            sources=sources,
            labels=L,
            language=lang,
        )
    return docs


def _builtin(sec: Section, spec: TenderSpec, L: dict[str, str], criteria: list[dict[str, str]]) -> None:
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
            line = f"{L['start']}: {t['start']}. " + line
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
