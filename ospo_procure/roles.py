"""The role stage: what every candidate mention is doing in its document, decided in one place.

A candidate (a product, vendor, format or lock-in term a rule matched) gets one role from
model.ROLES: required, object, continuity, example, existing, procedural, excluded, negated,
commentary or history. The role decides what is reported: only `required` and `object` keep
the rule's severity; the outcome of every other role (a warning, an info note or nothing)
is data in lint_rules/roles.yaml, as are all the cues. docs/roles.md explains the roles.

Order of decision for one candidate (`RoleStage.assign`):
  1. the rule's own `exceptions:` (wording traps of its pattern: drop, or a named role);
  2. attributions: the mention belongs to another finding (a vendor named as the certifying
     party, a product naming a file format) and is dropped here;
  3. clause cues, role by role in the configured precedence; the first cue found decides;
  4. the section the block sits in (reader headings, numbered or capitalised heading lines,
     a "Label:" opening the paragraph), innermost heading first;
  5. the document's stated object (title, Object section or label, "the object of this
     contract is ..." sentence): a mention inside it is the object of the contract;
  6. the mention's default (a vendor named on its own is dropped unless a cue made it the
     object or a requirement).
Every decision records `role_reason`: the cue words, the heading or the object statement.

The stage needs no spaCy: it reads the block text, the sentence spans the linter already has
and the document's headings, so blocks without candidates cost nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import regex

from ospo_procure.model import ROLES, SEVERITY_RANK, Block
from ospo_procure.rules import schema
from ospo_procure.rules.lexicons import ProductLexicon
from ospo_procure.rules.matchers import BlockContext, Candidate
from ospo_procure.rules.patterns import CueCheck, LoadEnv, Patterns
from ospo_procure.rules.prefilter import Prefilter
from ospo_procure.yamlio import line_of, load_yaml

# --------------------------------------------------------------------------- the model (data)


@dataclass
class CueGroup:
    check: CueCheck
    mentions: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    markets: frozenset[str] | None = None  # only products of these markets (a channel: code hosting, meetings)
    unless: CueCheck | None = None  # the cue does not count where this one is found too
    # The role stays even where the stated object buys the mention's vendor: what is replaced or
    # decommissioned is left behind, not bought ("modernise the Windows 2003 servers").
    keeps_role: bool = False
    line: int | None = None  # where the group is in roles.yaml (audits name it)

    @property
    def path(self) -> str:
        return f"{self.check.name} (line {self.line})" if self.line is not None else self.check.name

    def applies(self, cand: Candidate) -> bool:
        market = cand.product.market if cand.product is not None else None
        return _filter_ok(self.mentions, self.categories, cand) and (self.markets is None or market in self.markets)


@dataclass
class RoleSpec:
    name: str
    outcome: str  # rule | warning | info | none
    note: dict[str, str]
    groups: list[CueGroup]
    sections: Patterns
    mentions: frozenset[str] | None = None
    categories: frozenset[str] | None = None

    def applies(self, cand: Candidate) -> bool:
        return _filter_ok(self.mentions, self.categories, cand)


@dataclass
class Attribution:
    name: str
    reported_by: str
    groups: list[CueGroup]
    mentions: frozenset[str] | None = None
    categories: frozenset[str] | None = None


@dataclass
class MentionPolicy:
    default: str  # a role, or "drop"
    report: frozenset[str] | None = None  # roles that are reported for this mention (None: all)
    sections: bool = True  # whether a section heading may decide its role
    # Where no cue, heading or stated object decides the role: the severity it is capped at
    # and the note saying why (`undecided:` in roles.yaml); None keeps the rule's severity.
    undecided: str | None = None
    undecided_note: dict[str, str] = field(default_factory=dict)


@dataclass
class DocumentRole:
    """A role every candidate of some categories takes when the document states a fact once
    for the whole procedure ("CONTRATACIÓN DIRECTA POR URGENCIA"), unless its own clause says
    otherwise."""

    role: str
    cues: Patterns
    categories: frozenset[str] | None = None
    mentions: frozenset[str] | None = None
    note: dict[str, str] = field(default_factory=dict)  # replaces the role's note when given


@dataclass
class FindingPolicy:
    """The roles a finding category reports itself; a product that also gives the `defer_to`
    finding leaves the other roles to it (one finding per role and mention)."""

    report: frozenset[str]
    defer_to: str


@dataclass
class ObjectStatementSpec:
    title: bool
    headings: Patterns
    labels: Patterns
    cues: Patterns
    # Roles that a mention of a vendor the stated object buys is read as the object instead
    # (its installed products are what is supported or renewed).
    vendor_roles: frozenset[str] = frozenset()


@dataclass
class RoleModel:
    precedence: list[str]
    roles: dict[str, RoleSpec]
    attributions: list[Attribution]
    mentions: dict[str, MentionPolicy]
    object_statement: ObjectStatementSpec
    source: Path
    findings: dict[str, FindingPolicy] = field(default_factory=dict)
    document_roles: list[DocumentRole] = field(default_factory=list)
    rule_defaults: dict[str, str] = field(default_factory=dict)  # rule id -> its matches' default role
    rule_reports: dict[str, frozenset[str]] = field(default_factory=dict)  # rule id -> the roles it reports
    # rule id -> roles it reports only where the stated object buys the mention's vendor
    rule_when_bought: dict[str, frozenset[str]] = field(default_factory=dict)
    _indexes: dict[str, CueIndex] = field(default_factory=dict, repr=False)
    _document_cues: dict[str, DocumentCues] = field(default_factory=dict, repr=False)

    def groups(self) -> list[CueGroup]:
        return [g for a in self.attributions for g in a.groups] + [g for r in self.roles.values() for g in r.groups]

    def cue_index(self, lang: str) -> CueIndex:
        if lang not in self._indexes:
            self._indexes[lang] = CueIndex(self.groups(), lang)
        return self._indexes[lang]

    def document_cues(self, lang: str) -> DocumentCues:
        if lang not in self._document_cues:
            self._document_cues[lang] = DocumentCues(self, lang)
        return self._document_cues[lang]


class CueIndex:
    """Every cue pattern of the role model in one language behind one literal prefilter, so a
    block is scanned once (Aho-Corasick) and only the cues whose literals occur in it run."""

    def __init__(self, groups: list[CueGroup], lang: str) -> None:
        self.owner: list[tuple[int, regex.Pattern[str]]] = []  # pattern index -> (id of its check, pattern)
        sources: list[str] = []
        for group in groups:
            if group.check.scope == "lead_in":
                continue  # looks at another block's text
            for pattern in group.check.patterns(lang):
                self.owner.append((id(group.check), pattern))
                sources.append(pattern.pattern)
        self.prefilter = Prefilter(sources)

    def by_check(self, possible: set[int]) -> dict[int, list[regex.Pattern[str]]]:
        """The possible patterns of every check that has one (`patterns` for each at once)."""
        out: dict[int, list[regex.Pattern[str]]] = {}
        for i in sorted(possible):
            check, pattern = self.owner[i]
            out.setdefault(check, []).append(pattern)
        return out


class DocumentCues:
    """The cues read on every block of a document, once per document: the object statement's
    and each document role's, in one language, behind one literal prefilter, so that a block
    is folded and scanned once for all of them (most blocks hold none)."""

    def __init__(self, model: RoleModel, lang: str) -> None:
        self.object_cues = model.object_statement.cues.for_lang(lang)
        self.roles: list[tuple[DocumentRole, list[regex.Pattern[str]]]] = [
            (spec, spec.cues.for_lang(lang)) for spec in model.document_roles if spec.cues.for_lang(lang)
        ]
        patterns = [*self.object_cues, *(p for _, ps in self.roles for p in ps)]
        self.prefilter = Prefilter([p.pattern for p in patterns])

    def possible(self, text: str) -> list[int]:
        """The indexes of the cues that can occur in `text`, object cues first, each role's
        after them in order."""
        return sorted(self.prefilter.candidates(text))


def _filter_ok(mentions: frozenset[str] | None, categories: frozenset[str] | None, cand: Candidate) -> bool:
    return _kind_ok(mentions, categories, cand.mention, cand.rule.category)


def _kind_ok(mentions: frozenset[str] | None, categories: frozenset[str] | None, mention: str, category: str) -> bool:
    return (mentions is None or mention in mentions) and (categories is None or category in categories)


def _names(raw: dict[str, Any], key: str) -> frozenset[str] | None:
    return frozenset(raw[key]) if key in raw else None


def _conditions(raw: dict[str, Any], env: LoadEnv) -> dict[str, CueCheck]:
    """The named conditions of `unless:`, each one check however many cue groups name it."""
    return {
        name: CueCheck(
            name=f"condition {name}",
            cues=env.patterns(c["cues"], line_of(env.lines, ("conditions", name)), f"condition {name}"),
            scope=c.get("scope", "sentence"),
            window=c.get("window", 200),
        )
        for name, c in raw.items()
    }


def _groups(
    raw: list[dict[str, Any]], env: LoadEnv, at: tuple[Any, ...], what: str, conditions: dict[str, CueCheck]
) -> list[CueGroup]:
    out: list[CueGroup] = []
    for i, g in enumerate(raw):
        line = line_of(env.lines, (*at, i))
        check = CueCheck(
            name=f"{what} cue {i + 1}",
            cues=env.patterns(g["cues"], line, f"{what} cue {i + 1}"),
            scope=g.get("scope", "sentence"),
            window=g.get("window", 200),
        )
        unless = None
        if "unless" in g:
            unless = conditions.get(g["unless"])
            if unless is None:
                raise env.error(
                    f"unknown condition {g['unless']!r} in `unless:` (known: {', '.join(sorted(conditions))})",
                    line_of(env.lines, (*at, i, "unless")),
                )
        out.append(
            CueGroup(
                check,
                _names(g, "mentions"),
                _names(g, "categories"),
                _names(g, "markets"),
                unless,
                keeps_role=bool(g.get("keeps_role", False)),
                line=line,
            )
        )
    return out


def _check_complete(data: dict[str, Any], env: LoadEnv) -> None:
    missing = [r for r in ROLES if r not in data["roles"] or r not in data["precedence"]]
    if missing:
        raise env.error(
            f"every role needs an entry under `roles:` and a place in `precedence:`; missing: {', '.join(missing)}",
            line_of(env.lines, ("precedence",)),
        )


def load_roles(path: Path, eager: bool = True, macros: dict[str, str] | None = None) -> RoleModel:
    """Read and validate roles.yaml (errors name the file and line)."""
    data, lines = load_yaml(path)
    env = LoadEnv(path, lines, eager, macros=macros or {})
    env.validate(data, schema.ROLES_FILE)
    _check_complete(data, env)
    conditions = _conditions(data.get("conditions", {}), env)
    roles = {
        name: RoleSpec(
            name=name,
            outcome=raw["outcome"],
            note=dict(raw["note"]),
            groups=_groups(raw.get("cues", []), env, ("roles", name, "cues"), f"role {name}", conditions),
            sections=env.patterns(raw.get("sections", {}), line_of(lines, ("roles", name, "sections")), f"role {name}"),
            mentions=_names(raw, "mentions"),
            categories=_names(raw, "categories"),
        )
        for name, raw in data["roles"].items()
    }
    attributions = [
        Attribution(
            name=name,
            reported_by=raw.get("reported_by", ""),
            groups=_groups(raw["cues"], env, ("attributions", name, "cues"), f"attribution {name}", conditions),
            mentions=_names(raw, "mentions"),
            categories=_names(raw, "categories"),
        )
        for name, raw in data.get("attributions", {}).items()
    ]
    mentions = {
        m: MentionPolicy(
            raw["default"],
            frozenset(raw["report"]) if "report" in raw else None,
            bool(raw.get("sections", True)),
            raw["undecided"]["severity"] if "undecided" in raw else None,
            dict(raw["undecided"]["note"]) if "undecided" in raw else {},
        )
        for m, raw in data["mentions"].items()
    }
    findings = {
        cat: FindingPolicy(frozenset(raw["report"]), raw["defer_to"]) for cat, raw in data.get("findings", {}).items()
    }
    rule_policies = data.get("rules", {})
    return RoleModel(
        list(data["precedence"]),
        roles,
        attributions,
        mentions,
        _object_statement(data.get("object_statement", {}), env, line_of(lines, ("object_statement",))),
        path,
        findings,
        _document_roles(data.get("document", []), env),
        {rule_id: raw["default"] for rule_id, raw in rule_policies.items() if "default" in raw},
        _rule_roles(rule_policies, "report"),
        _rule_roles(rule_policies, "when_bought"),
    )


def _rule_roles(policies: dict[str, Any], key: str) -> dict[str, frozenset[str]]:
    """Rule id -> the roles a `rules:` entry lists under `key`."""
    return {rule_id: frozenset(raw[key]) for rule_id, raw in policies.items() if key in raw}


def _object_statement(obj: dict[str, Any], env: LoadEnv, at: int | None) -> ObjectStatementSpec:
    return ObjectStatementSpec(
        title=bool(obj.get("title", False)),
        headings=env.patterns(obj.get("headings", {}), at, "object_statement headings"),
        labels=env.patterns(obj.get("labels", {}), at, "object_statement labels"),
        cues=env.patterns(obj.get("cues", {}), at, "object_statement cues"),
        vendor_roles=frozenset(obj.get("vendor_roles", [])),
    )


def _document_roles(raw_list: list[dict[str, Any]], env: LoadEnv) -> list[DocumentRole]:
    return [
        DocumentRole(
            role=raw["role"],
            cues=env.patterns(raw["cues"], line_of(env.lines, ("document", i)), f"document role {i + 1}"),
            categories=_names(raw, "categories"),
            mentions=_names(raw, "mentions"),
            note=dict(raw.get("note", {})),
        )
        for i, raw in enumerate(raw_list)
    ]


# --------------------------------------------------------------------------- the document


_NUMBERED = re.compile(r"^\s*((?:\d{1,3}\.)*\d{1,3})\.?\s+(?=[^\W\d_])")
_LETTERED = re.compile(r"^\s*(?:[IVXLC]{1,6}|[A-Z])[.)]\s+(?=[^\W\d_])")
_KEYWORD = re.compile(
    r"^\s*(?:CL[ÁA]USULA|SECCI[ÓO]N|SECTION|ARTICLE|ART[ÍI]CULO|ARTIGO|CAP[ÍI]TULO|CHAPTER|T[ÍI]TULO|ANEXO|ANNEX|"
    r"APPENDIX|CHAPITRE|TITRE|PART|PARTE)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*([^:.;\n]{3,60}?)\s*:\s+\S")
_HEADING_TAIL = re.compile(r"[\s\-=_*#:]+$")  # a plain-text underline or trailing colon
_STATEMENT_MAX = 300  # characters of a stated object found by a cue, after the cue
_SENTENCE_END = re.compile(r"[.!?](?=\s+[^\W\d_])")
# A table of contents heads many documents: it is no title.
_CONTENTS = re.compile(
    r"^\W*(?:table of contents|contents|índice|sumário|sumario|contenido|table des matières|sommaire)\W*$", re.I
)


def heading_level(block: Block) -> int | None:
    """The level of a paragraph that reads as a heading ("2.1 Current environment", "BACKGROUND",
    "CLÁUSULA TERCEIRA - DO OBJETO"), or None. Reader headings are handled by the reader."""
    text = block.text.strip()
    if block.kind == "heading" or block.location.table is not None or block.location.part not in ("body", "page"):
        return None
    if not text or len(text) > 120 or len(text.split()) > 14 or text[-1] in ".;,":
        return None
    m = _NUMBERED.match(text)
    if m:
        return m.group(1).count(".") + 1
    if _LETTERED.match(text) or _KEYWORD.match(text):
        return 1
    letters = [c for c in text if c.isalpha()]
    return 1 if len(letters) >= 4 and all(c.isupper() for c in letters) else None


@dataclass
class BlockPlace:
    """Where a block sits: its section headings (innermost last), the line introducing the
    list it belongs to, and the spans of it that state the document's object."""

    sections: list[str] = field(default_factory=list)
    lead_in: str | None = None
    object_spans: list[tuple[int, int]] = field(default_factory=list)


class DocumentContext:
    """Sections, list lead-ins and the stated object of one document, computed once."""

    def __init__(
        self, model: RoleModel, blocks: list[Block], lang: str, products: ProductLexicon | None = None
    ) -> None:
        self.model = model
        self.lang = lang
        self.products = products
        self.object_vendors: dict[str, str] | None = None  # vendor -> the statement naming it (RoleStage fills it)
        self._section_roles: dict[str, list[str]] = {}
        self._object_headings: dict[str, bool] = {}
        self.places = self._sections(blocks)
        self._lead_ins(blocks)
        self.statements: list[str] = []
        cues = model.document_cues(lang)
        possible = [cues.possible(block.text) for block in blocks]
        self._stated_object(blocks, cues, possible)
        self.document_roles = self._document_roles(blocks, cues, possible)

    def at(self, index: int) -> BlockPlace:
        return self.places[index] if 0 <= index < len(self.places) else BlockPlace()

    def section_roles(self, heading: str) -> list[str]:
        """The roles whose section patterns match a heading, in precedence order (cached)."""
        if heading not in self._section_roles:
            self._section_roles[heading] = [
                name
                for name in self.model.precedence
                if any(_matches(p, heading) for p in self.model.roles[name].sections.for_lang(self.lang))
            ]
        return self._section_roles[heading]

    def _sections(self, blocks: list[Block]) -> list[BlockPlace]:
        places: list[BlockPlace] = []
        pseudo: list[tuple[int, str]] = []
        for block in blocks:
            if block.kind == "heading":
                pseudo = []  # a reader heading starts a new section; its path is in the location
            reader = [h.strip() for h in (block.location.heading or "").split(" > ") if h.strip()]
            level = heading_level(block)
            if level is not None:
                pseudo = [p for p in pseudo if p[0] < level]
            sections = reader + [t for _, t in pseudo]
            label = _LABEL.match(block.text)
            if label and len(label.group(1).split()) <= 6:
                sections = [*sections, label.group(1)]
            places.append(BlockPlace(sections=sections))
            if level is not None:
                pseudo.append((level, _HEADING_TAIL.sub("", block.text)))
        return places

    def _lead_ins(self, blocks: list[Block]) -> None:
        """A list (list items, table cells, or lines that do not end a sentence: the rows of a
        table a PDF reader splits into lines) after a paragraph ending in ':' is introduced by it."""
        lead: str | None = None
        for block, place in zip(blocks, self.places, strict=True):
            text = block.text.strip()
            is_item = (
                block.kind == "list_item"
                or block.location.table is not None
                or (len(text.split()) <= 20 and not text.endswith(":"))
                or (len(text.split()) <= 30 and not text.endswith((".", ":")))
            )
            if is_item and lead is not None:
                place.lead_in = lead
            if text.endswith(":"):
                lead = text
            elif not is_item:
                lead = None

    def _stated_object(self, blocks: list[Block], cues: DocumentCues, possible: list[list[int]]) -> None:
        """`possible`: per block, the cues that can occur in it (most blocks state no object)."""
        spec = self.model.object_statement
        title_done = not spec.title
        labelled = False  # the previous block was an object label on its own line ("Subject:")
        for index, (block, place) in enumerate(zip(blocks, self.places, strict=True)):
            text = block.text
            is_title = (
                not title_done
                and index < 3
                and (block.kind == "heading" or heading_level(block) is not None)
                and not _CONTENTS.match(text)
            )
            title_done = title_done or is_title
            after_label, labelled = labelled, self._label_only(text)
            start = 0 if is_title or after_label else self._whole_block_states_object(place, text)
            if start is not None:
                self._add_statement(place, start, len(text), text[start:])
                continue
            for i in possible[index]:
                if i >= len(cues.object_cues):
                    break  # a document role's cue
                m = _search(cues.object_cues[i], text)
                if m is not None:
                    # from the cue to the end of its sentence ("From: ..., Senior Officer. Subject: X"
                    # states X); a run-in page without sentence ends is cut after a few lines
                    _, e = _sentence_around(text, m.start(), m.end())
                    s, e = m.start(), min(e, m.end() + _STATEMENT_MAX)
                    self._add_statement(place, s, e, text[s:e])
                    break

    def _document_roles(
        self, blocks: list[Block], cues: DocumentCues, possible: list[list[int]]
    ) -> list[tuple[DocumentRole, str]]:
        """The document-wide roles whose cue occurs somewhere in the document, with its words."""
        found: list[tuple[DocumentRole, str]] = []
        first = len(cues.object_cues)  # the index of the first cue of the role
        for spec, patterns in cues.roles:
            end = first + len(patterns)
            for block, indexes in zip(blocks, possible, strict=True):
                m = next(
                    (m for i in indexes if first <= i < end and (m := _search(patterns[i - first], block.text))),
                    None,
                )
                if m is not None:
                    found.append((spec, m.group(0)))
                    break
            first = end
        return found

    def _whole_block_states_object(self, place: BlockPlace, text: str) -> int | None:
        """Where the block states the object: 0 under an Object heading, after the label when it
        opens with an "Object:" label (the label's own words are no object: "Project: ..."),
        None when it states none."""
        spec = self.model.object_statement
        if place.sections:
            heading = place.sections[-1]
            under = self._object_headings.get(heading)
            if under is None:  # a heading is shared by the blocks of its section: checked once
                under = self._object_headings[heading] = any(
                    _matches(p, heading) for p in spec.headings.for_lang(self.lang)
                )
            if under:
                return 0
        for p in spec.labels.for_lang(self.lang):
            m = _search(p, text[:80])
            if m is not None:
                return m.end()
        return None

    def _label_only(self, text: str) -> bool:
        """An object label alone on its line ("ASSUNTO:", "Subject:"): the next block states it."""
        text = text.strip()
        if not text.endswith(":") or len(text.split()) > 6:
            return False
        return any(_matches(p, text + " x") for p in self.model.object_statement.labels.for_lang(self.lang))

    def _add_statement(self, place: BlockPlace, start: int, end: int, text: str) -> None:
        place.object_spans.append((start, end))
        self.statements.append(text.strip())


def _search(pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
    try:
        return pattern.search(text, timeout=0.25)
    except TimeoutError:  # a heading or statement check: failing to find one is the safe side
        return None


def _matches(pattern: regex.Pattern[str], text: str) -> bool:
    return _search(pattern, text) is not None


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    m2 = _SENTENCE_END.search(text, end)
    return s, (m2.end() if m2 else len(text))


# --------------------------------------------------------------------------- the decision

# The reason of a role that nothing in the text decided (the mention's default).
UNDECIDED = "no qualifying context"
# Between two items of one list: a comma, a slash or a conjunction, with version numbers and an
# article around it ("X 2010 ou Y", "X, Y", "X and the Y").
_COORDINATION = regex.compile(
    r"(?:\s*[\w.-]*\d[\w.-]*)*\s*(?:,|/|\band/or\b|\by/o\b|\be/ou\b|\bet/ou\b|\b(?:and|or|y|o|u|e|ou|et)\b)"
    r"\s*(?:(?:the|el|la|los|las|o|a|os|as|le|les)\s+|l[’']\s*)?\s*\Z",
    regex.IGNORECASE,
)


@dataclass
class Decision:
    role: str | None  # None: the candidate is dropped
    reason: str = ""
    note: str | None = None  # a rule exception's own explanation
    cap: str | None = None  # a rule exception's severity cap
    by_cue: bool = False  # decided by words of the clause (not by a heading or a default)
    keeps_role: bool = False  # not read as the stated object's vendor (a cue group's `keeps_role`)
    # Which step (and which cue group) decided: "role existing cue 12", "section", "undecided"...
    # For audits of the cues (benchmarks/role_audit.py); reports show `reason`.
    path: str = ""


def _quote(words: str, limit: int = 60) -> str:
    """The deciding words, in quotes; a long cue match keeps its first and last words."""
    words = " ".join(words.split())
    if len(words) <= limit:
        return f'"{words}"'
    parts = words.split(" ")
    head, tail = _words_within(parts[:5], limit // 2), _words_within(parts[-4:][::-1], limit // 2)[::-1]
    return f'"{" ".join(head)} … {" ".join(tail)}"'


def _words_within(words: list[str], limit: int) -> list[str]:
    """The first words that fit in `limit` characters (at least one): a word is never cut."""
    out: list[str] = []
    for w in words:
        if out and len(" ".join([*out, w])) > limit:
            break
        out.append(w)
    return out


@dataclass
class _Plan:
    attributions: list[tuple[Attribution, CueGroup]]
    cues: list[tuple[str, CueGroup]]  # (role name, group)


class RoleStage:
    """Assigns a role (and with it severity, note and reason) to every candidate of a document."""

    def __init__(self, model: RoleModel, doc: DocumentContext) -> None:
        self.model = model
        self.doc = doc
        self.index = model.cue_index(doc.lang)
        # Per block: the cue patterns whose literals occur in it, and cue results by span
        # (a product is a candidate of several rules, all asking the same questions).
        self._block: BlockContext | None = None
        self._live: dict[int, list[regex.Pattern[str]]] = {}  # check id -> its patterns possible in the block
        self._memo: dict[tuple[int, int, int], str | None] = {}
        # The cue groups that apply to a kind of candidate, in the order they are tried.
        self._plans: dict[tuple[str, str, str | None], _Plan] = {}
        # When a list: every finding candidate with its block index and decision, kept or not
        # (lint_document's `role_trace`, read by benchmarks/role_audit.py).
        self.trace: list[tuple[int, Candidate, Decision]] | None = None

    def assign(self, cands: list[Candidate], ctx: BlockContext) -> list[Candidate]:
        if not cands:
            return []
        decided: list[tuple[Candidate, Decision | None]] = []
        for cand in cands:
            if cand.rule.kind == "evidence":  # evidence has no role: only its rule's exceptions apply
                decided.append((cand, None))
            else:
                decided.append((cand, self.decide(cand, ctx)))
        coordinated = self._coordinated(decided, ctx)
        kept: list[Candidate] = []
        for i, (cand, decision) in enumerate(decided):
            if decision is None:
                if self._rule_exception(cand, ctx) is None:
                    kept.append(cand)
                continue
            decision = coordinated.get(i, decision)
            if self.trace is not None:
                self.trace.append((ctx.index, cand, decision))
            if self._apply(cand, decision, ctx.lang):
                kept.append(cand)
        return kept

    def _coordinated(self, decided: list[tuple[Candidate, Decision | None]], ctx: BlockContext) -> dict[int, Decision]:
        """A product listed right after one whose role its clause decided ("users have X 2010 or
        Y", "migrated from X and Y") takes that role where nothing decided it, or where what
        decided it is a cue that reaches across the first item ("will be migrated from X and" + Y:
        the first item's own cue is the nearer one). Only products, and only across a comma, a
        slash or a conjunction (version numbers and an article between)."""
        cued = sorted(
            ((c.end, c.start, d) for c, d in decided if d is not None and d.by_cue and c.mention == "product"),
            key=lambda t: t[0],
        )
        if not cued:
            return {}
        out: dict[int, Decision] = {}
        for i, (cand, d) in enumerate(decided):
            if d is None or cand.mention != "product" or not (d.by_cue or d.reason == UNDECIDED):
                continue
            for end, start, prev in reversed(cued):
                if end > cand.start or start >= cand.start:
                    continue
                if cand.start - end <= 40 and _COORDINATION.match(ctx.text, end, cand.start):
                    across = d.by_cue and prev.role != d.role and ctx.text[start:end] in d.reason
                    if not d.by_cue or across:
                        out[i] = replace(
                            prev, reason=f"listed with it: {prev.reason}", path=f"coordinated ({prev.path})"
                        )
                break
        return out

    def _enter(self, ctx: BlockContext) -> None:
        if self._block is not ctx:
            possible = self.index.prefilter.candidates(ctx.text, ctx.folded)
            self._block, self._live, self._memo = ctx, self.index.by_check(possible), {}

    def _plan(self, cand: Candidate) -> _Plan:
        """The attribution groups and role cue groups (in precedence) that apply to `cand`:
        they depend only on its mention, category and market, so are listed once for each."""
        key = (cand.mention, cand.rule.category, cand.product.market if cand.product is not None else None)
        plan = self._plans.get(key)
        if plan is None:
            attributions = [
                (a, g)
                for a in self.model.attributions
                if _filter_ok(a.mentions, a.categories, cand)
                for g in a.groups
                if g.applies(cand)
            ]
            cues = [
                (name, g)
                for name in self.model.precedence
                if self.model.roles[name].applies(cand)
                for g in self.model.roles[name].groups
                if g.applies(cand)
            ]
            plan = self._plans[key] = _Plan(attributions, cues)
        return plan

    def _may_find(self, group: CueGroup) -> bool:
        """Whether `_found` can find the group's cue in the current block at all."""
        return group.check.scope == "lead_in" or id(group.check) in self._live

    def decide(self, cand: Candidate, ctx: BlockContext) -> Decision:
        """The role of one finding candidate, with the words that decided it."""
        self._enter(ctx)
        exception = self._rule_exception(cand, ctx)
        if exception is not None and exception.cap is None:
            return exception  # dropped, or given the role the rule names
        decision = self._decide_in_context(cand, ctx)
        if exception is not None:  # the rule caps this wording's severity, whatever the role
            decision.cap, decision.note = exception.cap, exception.note
            decision.reason = f"{decision.reason}; {exception.reason}"
        return decision

    def _decide_in_context(self, cand: Candidate, ctx: BlockContext) -> Decision:
        place = self.doc.at(ctx.index)
        for attribution, group in self._plan(cand).attributions:
            if self._may_find(group):
                words = self._found(group, cand, ctx, place, f"attribution {attribution.name}")
                if words is not None:
                    return Decision(None, f"{attribution.name} {_quote(words)}", path=group.path)
        decision = (
            self._by_cue(cand, ctx, place)
            or self._by_document(cand)
            or self._by_section(cand, place)
            or self._by_object(cand, ctx, place)
            or self._undecided(cand)
        )
        default = self.model.rule_defaults.get(cand.rule.id)
        role = decision.role
        if default is not None and (role not in self.model.roles or self.model.roles[role].outcome == "rule"):
            # the rule names what its matches are (a continuity argument); only a role that
            # reports less (negated, history, an example...) overrides it
            path = f"rule default ({decision.path})"
            return Decision(default, decision.reason if decision.by_cue else UNDECIDED, by_cue=True, path=path)
        return self._object_vendor(cand, decision) or decision

    # -- the steps

    def _rule_exception(self, cand: Candidate, ctx: BlockContext) -> Decision | None:
        self._enter(ctx)
        for exc in cand.rule.exceptions:
            found = ctx.find(exc.check, cand.start, cand.end, f"rule {cand.rule.id}'s exception {exc.name!r}")
            if found is not None:
                note = exc.note.get(ctx.lang) or exc.note.get("en")
                words = _quote(ctx.text[found[0] : found[1]])
                return Decision(exc.role, words, note, exc.severity, path=f"rule {cand.rule.id} exception {exc.name}")
        return None

    def _by_cue(self, cand: Candidate, ctx: BlockContext, place: BlockPlace) -> Decision | None:
        for name, group in self._plan(cand).cues:
            if self._may_find(group):
                words = self._found(group, cand, ctx, place, f"role {name} cue")
                if words is not None:
                    return Decision(name, _quote(words), by_cue=True, keeps_role=group.keeps_role, path=group.path)
        return None

    def _by_document(self, cand: Candidate) -> Decision | None:
        for spec, words in self.doc.document_roles:
            if _filter_ok(spec.mentions, spec.categories, cand) and self.model.roles[spec.role].applies(cand):
                note = spec.note.get(self.doc.lang) or spec.note.get("en")
                return Decision(spec.role, f"document {_quote(words)}", note=note, path=f"document {spec.role}")
        return None

    def _by_section(self, cand: Candidate, place: BlockPlace) -> Decision | None:
        if not self._policy(cand).sections:
            return None
        for heading in reversed(place.sections):
            for name in self.doc.section_roles(heading):
                if self.model.roles[name].applies(cand):
                    return Decision(name, f"section {_quote(heading)}", path=f"section {name}")
        return None

    def _by_object(self, cand: Candidate, ctx: BlockContext, place: BlockPlace) -> Decision | None:
        if not self.model.roles["object"].applies(cand):
            return None
        for s, e in place.object_spans:
            if s <= cand.start < e:
                return Decision("object", f"stated object {_quote(ctx.text[s:e])}", path="object statement")
        if cand.product is None or self._policy(cand).default != "required":
            return None
        statement = self._object_vendors().get(cand.product.vendor)
        if statement is not None:
            return Decision("object", f"stated object {_quote(statement)}", path="object vendor (default)")
        return None

    def _object_vendor(self, cand: Candidate, decision: Decision) -> Decision | None:
        """A mention of a vendor whose products the stated object buys is the object too, when
        its own clause only reads as the installed base or a requirement ("the Oracle databases
        in use", "compatible with Oracle Database" in a contract for Oracle support)."""
        vendor = cand.product.vendor if cand.product is not None else cand.vendor
        # a requirement only a heading or the default gave ("Requirements") is no clause of its own
        weak = decision.role in ("drop", "required") and not decision.by_cue
        if (
            decision.keeps_role
            or vendor is None
            or not (weak or decision.role in self.model.object_statement.vendor_roles)
        ):
            return None
        if not self.model.roles["object"].applies(cand):
            return None
        statement = self._object_vendors().get(vendor)
        if statement is None:
            return None
        path = f"object vendor ({decision.path})"
        return Decision("object", f"stated object {_quote(statement)} buys {vendor}", path=path)

    def _object_vendors(self) -> dict[str, str]:
        """The vendors the document's stated object buys: a product or vendor named in an object
        statement whose clause there reads as what is bought (an object cue, or no cue of another
        role: "Renewal of Oracle support", not "migration from Oracle to an open platform")."""
        doc = self.doc
        if doc.object_vendors is not None:
            return doc.object_vendors
        found: dict[str, str] = {}
        doc.object_vendors = found
        lexicon = doc.products
        if lexicon is None:
            return found
        for statement in dict.fromkeys(doc.statements):
            ctx = BlockContext(statement, doc.lang)  # no tables: the statement is one sentence
            # an ordinary-word product name ("Office", "Teams") is not trusted without its context here
            named: list[tuple[int, int, str, str]] = [
                (h.start, h.end, lexicon.entries[h.surface.entry].vendor, "product")
                for h in lexicon.scan(statement)
                if not h.surface.ambiguous
            ]
            named += [(h.start, h.end, h.vendor, "vendor") for h in lexicon.scan_vendors(statement)]
            for start, end, vendor, mention in named:
                if vendor not in found and self._statement_buys(ctx, start, end, mention):
                    found[vendor] = statement
        return found

    def _statement_buys(self, ctx: BlockContext, start: int, end: int, mention: str) -> bool:
        """Whether a mention in an object statement reads as what is bought there."""
        for name in ["object", *(r for r in self.model.precedence if r != "object")]:
            spec = self.model.roles[name]
            if not _kind_ok(spec.mentions, spec.categories, mention, "brand"):
                continue
            for group in spec.groups:
                if (
                    group.check.scope == "lead_in"
                    or group.markets is not None
                    or not _kind_ok(group.mentions, group.categories, mention, "brand")
                ):
                    continue
                if ctx.find(group.check, start, end, f"object statement ({group.check.name})") is not None:
                    return spec.outcome == "rule" or name == "continuity"
        return True

    # -- helpers

    def _found(self, group: CueGroup, cand: Candidate, ctx: BlockContext, place: BlockPlace, who: str) -> str | None:
        check = group.check
        if check.scope == "lead_in":
            if not place.lead_in:
                return None
            for p in check.patterns(ctx.lang):
                m = _search(p, place.lead_in)
                if m is not None:
                    return m.group(0)
            return None
        key = (id(check), cand.start, cand.end)
        if key not in self._memo:
            patterns = self._live.get(id(check))
            span = ctx.find(check, cand.start, cand.end, f"{who} ({check.name})", patterns) if patterns else None
            self._memo[key] = ctx.text[span[0] : span[1]] if span is not None else None
        words = self._memo[key]
        unless = group.unless
        if words is not None and unless is not None and ctx.find(unless, cand.start, cand.end, f"{who} (unless)"):
            return None
        return words

    def _undecided(self, cand: Candidate) -> Decision:
        """The mention's default role, where nothing in the text decided it: capped at the
        policy's `undecided` severity, with its note, since a guess is not a finding."""
        policy = self._policy(cand)
        if policy.undecided is None:
            return Decision(policy.default, UNDECIDED, path=f"default {policy.default}")
        note = policy.undecided_note.get(self.doc.lang) or policy.undecided_note.get("en")
        return Decision(policy.default, UNDECIDED, note=note, cap=policy.undecided, path="undecided")

    def _policy(self, cand: Candidate) -> MentionPolicy:
        policy = self.model.mentions.get(cand.mention) or MentionPolicy("required")
        default = self.model.rule_defaults.get(cand.rule.id)
        if default is not None:  # the rule names what its matches are: never an undecided guess
            policy = replace(policy, default=default, undecided=None)
        report = self.model.rule_reports.get(cand.rule.id)
        if report is not None:  # the rule's own roles, within what the mention reports
            policy = replace(policy, report=report if policy.report is None else report & policy.report)
        return policy

    def _reported(self, cand: Candidate, decision: Decision) -> bool:
        """Whether the mention's and the rule's policies report the decided role. `report` limits
        the roles the text decides: a mention nothing decides keeps its undecided warning (a
        subscription named with no cue may be what is bought); a `when_bought` role counts only
        where the stated object buys the mention's vendor."""
        policy = self._policy(cand)
        undecided = decision.reason == UNDECIDED and decision.cap is not None
        if policy.report is not None and decision.role not in policy.report and not undecided:
            return False
        if decision.role in self.model.rule_when_bought.get(cand.rule.id, ()):
            vendor = cand.product.vendor if cand.product is not None else cand.vendor
            return vendor in self._object_vendors()
        return True

    def _apply(self, cand: Candidate, decision: Decision, lang: str) -> bool:
        """Set role, reason, severity and note from the decision; False when nothing is reported."""
        role = decision.role
        if role is None or role == "drop" or not self._reported(cand, decision):
            return False
        finding = self.model.findings.get(cand.rule.category)
        if (
            finding is not None
            and role not in finding.report
            and cand.product is not None
            and finding.defer_to in cand.product.findings
        ):
            return False
        spec = self.model.roles[role]
        if spec.outcome == "none":
            return False
        cand.role, cand.role_reason = role, decision.reason
        severity = {"rule": cand.rule.severity, "warning": "warning", "info": "info"}[spec.outcome]
        if decision.cap is not None:
            severity = decision.cap
        cand.severity = min(cand.rule.severity, severity, key=lambda s: SEVERITY_RANK[s])
        if spec.outcome != "rule" or decision.cap is not None:
            cand.note = decision.note or spec.note.get(lang) or spec.note.get("en") or role
        return True
