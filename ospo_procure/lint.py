"""The lint engine: Document -> findings and evidence -> scorecard.

Entry points (the CLI is a thin layer over these):
  lint_document(doc, ...) -> FileResult      one document already read
  lint_text(text, ...) -> FileResult         a string (rule examples, tests)
  lint_paths(paths, ...) -> list[FileResult] files and folders; unreadable files become error entries
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ospo_procure.constants import LINTABLE_SUFFIXES
from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.i18n import N_, translator
from ospo_procure.limits import Limits
from ospo_procure.matching import BlockContext, Candidate, candidates, compile_rules
from ospo_procure.message import Message
from ospo_procure.model import SEVERITY_RANK, Document, FileResult, Finding, with_sources
from ospo_procure.nlp import SUPPORTED_LANGUAGES, detect_language
from ospo_procure.roles import UNDECIDED, Decision, DocumentContext, RoleStage
from ospo_procure.rules.lexicons import names_in
from ospo_procure.rules.loader import Rule, RuleSet, load_ruleset
from ospo_procure.termsafe import display_path

if TYPE_CHECKING:
    from ospo_procure.model import Waiver
    from ospo_procure.waivers import FileWaivers, WaiverIndex

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace {name} placeholders; unknown names are left as they are (no str.format)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


_JOINER = re.compile(r"[\s(),:/]{0,3}")


# One short word between two matches of the same lock-in term: "450 licences priced per named
# user" is one licensing basis, not two. (Evidence items keep their own count: `_one_per_sentence`.)
_TERM_JOINER = re.compile(r"\s+[^\W\d]{1,12}\s+")


def _joined(prev: Candidate, c: Candidate, prev_end: int, text: str) -> bool:
    """Whether `c` continues the run that ends at `prev_end`: only a bracket or comma apart
    ("Excel 97-2003 (.xls)"), or one word apart for two matches of the same term rule."""
    if _JOINER.fullmatch(text, prev_end, c.start):
        return True
    same_term = prev.rule is c.rule and prev.rule.kind != "evidence" and prev.mention == c.mention == "term"
    return same_term and _TERM_JOINER.fullmatch(text, prev_end, c.start) is not None


def _resolve_overlaps(cands: list[Candidate], text: str) -> list[Candidate]:
    """One finding per category per place: overlapping candidates of the same category, or
    ones only a bracket or comma apart (`_joined`), merge into one, keeping the most severe
    rule. A vendor's subscription of open-source software stays apart from proprietary products
    listed beside it ("Windows Server, Red Hat Enterprise Linux"): the two say different things."""
    by_cat: dict[tuple[str, bool], list[Candidate]] = {}
    for cand in cands:
        by_cat.setdefault((cand.rule.category, cand.open_source), []).append(cand)
    kept: list[Candidate] = []
    for group in by_cat.values():
        group.sort(key=lambda c: (c.start, -(c.end - c.start)))
        current: list[Candidate] = []
        cur_end = -1
        pending: list[Candidate | None] = [*group, None]  # None flushes the last run
        for c in pending:
            if c is not None and current and (c.start < cur_end or _joined(current[-1], c, cur_end, text)):
                current.append(c)
                cur_end = max(cur_end, c.end)
                continue
            if current:
                best = max(current, key=lambda x: (SEVERITY_RANK[x.severity or x.rule.severity], x.end - x.start))
                best.start = min(x.start for x in current)
                best.end = max(x.end for x in current)
                if (
                    best.end < len(text)
                    and text[best.end] == ")"
                    and text.count("(", best.start, best.end) > text.count(")", best.start, best.end)
                ):
                    best.end += 1
                kept.append(best)
            if c is not None:
                current, cur_end = [c], c.end
    return sorted(kept, key=lambda c: (c.start, c.rule.id))


# "{" opens a record of a machine-readable notice (one award criterion and its weight each)
_UNIT_BREAKS = ";|\t\n{"
_WORD = re.compile(r"[^\W\d_]{4,}")
_NUMBER = re.compile(r"\d+")


def _one_per_sentence(cands: list[Candidate], ctx: BlockContext) -> list[Candidate]:
    """Evidence said again in the same sentence is one item: "the transition to the
    Government ... the transition activities", "PKCS#12 e PKCS#5" are one commitment, so a
    later item of the same rule goes when it repeats the earlier ones: it is a short phrase
    (one or two words of four letters or more) that shares a word with them, or it shares
    two or more words with them. One shared word in a longer phrase is a new idea in the
    same field ("total cost of ownership ... the estimated cost of exiting the solution";
    "life-cycle cost ... the cost of migrating data out"), and so is a phrase with a number
    the earlier ones did not have ("Máximo 10 puntos ... Máximo 15 puntos": every stated
    weight is its own item); the guideline labels each.
    The first item is kept, as the scorer counts the first of a sentence, so scores do not
    move. Kept apart too: two rules of one category (the rubric may weigh them differently),
    and anything past a semicolon, table cell, line break or the opening brace of a record
    in a notice's structured data (each item of a list of obligations, each cell of a table
    row, each criterion of a notice, is labelled as its own evidence). Findings are
    not touched."""
    said: dict[tuple[str, int], set[str]] = {}
    out: list[Candidate] = []
    for c in cands:  # sorted by start
        if c.rule.kind == "evidence":
            start, _ = ctx.sentence(c.start, c.start + 1)
            key = (c.rule.id, max([start] + [ctx.text.rfind(ch, start, c.start) + 1 for ch in _UNIT_BREAKS]))
            matched = ctx.text[c.start : c.end].casefold()
            words = set(_WORD.findall(matched))
            numbers = {f"#{n}" for n in _NUMBER.findall(matched)}
            shared = words & said.get(key, set())
            # a new number is a new item ("Máximo 10 puntos ... Máximo 15 puntos": two weights)
            if shared and (len(words) <= 2 or len(shared) >= 2) and numbers <= said.get(key, set()):
                continue
            said.setdefault(key, set()).update(words | numbers)
        out.append(c)
    return out


# What a message says where the lexicon lists no alternatives or standards for a product.
NO_ALTERNATIVES = N_("the open-source solutions on the market")
NO_STANDARDS = N_("the relevant open standards")


def _values(c: Candidate, text: str, lang: str) -> dict[str, str]:
    """The placeholders of a rule's message and suggestion, worded in `lang`."""
    values = {"match": text[c.start : c.end]}
    _ = translator(lang)
    if c.product is not None:
        values.update(
            product=c.product.full_name,
            vendor=c.product.vendor,
            alternatives=", ".join(names_in(c.product.alternatives, lang)) or _(NO_ALTERNATIVES),
            standards=", ".join(names_in(c.product.standards, lang)) or _(NO_STANDARDS),
        )
    if c.vendor is not None:  # a vendor named on its own: no product's alternatives apply
        values.update(product=c.vendor, vendor=c.vendor, alternatives=_(NO_ALTERNATIVES))
        values.setdefault("standards", _(NO_STANDARDS))
    if c.fmt is not None:
        values.update(
            format=(c.fmt.extensions[0] if c.fmt.extensions else c.fmt.id),
            open_alternatives=", ".join(names_in(c.fmt.open_alternatives, lang)),
        )
    return values


def _without_echo(message: str, values: dict[str, str]) -> str:
    """'Proprietary format '.xls' (.xls)', 'product 'Oracle' (Oracle)': a format or vendor in
    brackets that repeats the quoted match goes."""
    for key in ("format", "vendor"):
        value = values.get(key)
        if value and values["match"].casefold() == value.casefold():
            message = message.replace(f" ({value})", "", 1)
    return message


def _document_language(doc: Document, language: str | None) -> str:
    """`language`, or the one detected from the document's first blocks; it must be supported."""
    lang = language or detect_language(" ".join(b.text for b in doc.blocks[:400]))
    if lang not in SUPPORTED_LANGUAGES:
        supported = ", ".join(SUPPORTED_LANGUAGES)
        message = Message("unsupported language {lang} (supported: {supported})", lang=repr(lang), supported=supported)
        raise InputError(message, path=doc.path)
    return lang


def lint_document(
    doc: Document,
    *,
    language: str | None = None,
    ruleset: RuleSet | None = None,
    score: bool = True,
    waivers: FileWaivers | list[Waiver] | None = None,
    report_language: str | None = None,
    limits: Limits | None = None,
    role_trace: list[tuple[int, Candidate, Decision]] | None = None,
) -> FileResult:
    """Lint one document. `language` overrides detection; `ruleset` defaults to the bundled rules.
    Messages, suggestions, legal bases, notes and criterion titles are worded in
    `report_language` (default: the document's language). `limits.max_seconds` bounds the
    lint: beyond it, LimitExceeded (a per-file error). `role_trace`, when a list, receives every
    role decision (block index, candidate, decision), kept or not: what audits of the cues read."""
    ruleset = ruleset or load_ruleset()
    lang = _document_language(doc, language)
    words_lang = report_language or lang
    notes = _note_translations(ruleset, lang, words_lang) if words_lang != lang else None
    deadline = _Deadline(limits or Limits(), doc.path)
    compiled = compile_rules(ruleset, lang)
    result = FileResult(
        path=doc.path,
        language=lang,
        format=doc.format,
        warnings=list(doc.warnings),
        blocks=[b.detached() for b in doc.blocks],
        unreadable=doc.unreadable,
    )
    roles = RoleStage(ruleset.roles, DocumentContext(ruleset.roles, doc.blocks, lang, ruleset.products))
    roles.trace = role_trace
    for index, block in enumerate(doc.blocks):
        deadline.check()
        ctx = BlockContext(block.text, lang, index=index, location=block.location, tables=compiled.tables)
        raw = candidates(compiled, ctx)
        if raw:
            kept: list[Candidate] = []
            for at in range(0, len(raw), _ROLE_BATCH):  # a long paragraph can hold thousands
                deadline.check()
                kept.extend(roles.assign(raw[at : at + _ROLE_BATCH], ctx))
            for c in _one_per_sentence(_resolve_overlaps(kept, block.text), ctx):
                if notes is not None and c.note:
                    c.note = notes.get(c.note, c.note)
                result_list = result.evidence if c.rule.kind == "evidence" else result.findings
                result_list.append(_finding(c, block.text, index, block.location, ctx, words_lang))
        result.warnings.extend(ctx.warnings)
        result.words += len(block.text.split())
    result.findings = with_sources(result.findings, doc.blocks)
    result.evidence = with_sources(result.evidence, doc.blocks)
    from ospo_procure.waivers import apply_waivers

    apply_waivers(result, doc, waivers)
    if score:
        from ospo_procure.scoring import score_result

        result.scorecard = score_result(result, ruleset, words_lang)
    return result


def _note_translations(ruleset: RuleSet, lang: str, to: str) -> dict[str, str]:
    """Each note the role stage can write in `lang` (roles.yaml, rule exceptions), in `to`."""
    tables = [spec.note for spec in ruleset.roles.roles.values()]
    tables += [exc.note for rule in ruleset.rules for exc in rule.exceptions]
    return {t[lang]: t.get(to) or t[lang] for t in tables if t.get(lang)}


_ROLE_BATCH = 256
_now = time.monotonic


class _Deadline:
    """`limits.max_seconds` for the lint of one document, checked between blocks."""

    def __init__(self, limits: Limits, path: str) -> None:
        self.limits = limits
        self.path = path
        self.end = _now() + limits.max_seconds

    def check(self) -> None:
        if _now() > self.end:
            raise LimitExceeded(
                Message(
                    "linting took over {seconds} s (max_seconds limit; raise it with --max-seconds); "
                    "the file was not fully checked",
                    seconds=f"{self.limits.max_seconds:g}",
                ),
                path=self.path,
            )


def _finding(c: Candidate, text: str, index: int, location, ctx: BlockContext, lang: str) -> Finding:
    """The finding of a candidate, its texts worded in `lang`."""
    rule: Rule = c.rule
    values = _values(c, text, lang)
    message = _without_echo(_fill(rule.text("message", lang), values), values)
    note_only = bool(c.note) and c.severity == "info"
    # A note, not a finding, or a role only the default gave: say why instead of the accusation.
    if c.note and (note_only or c.role_reason == UNDECIDED):
        message = f"{c.note[:1].upper()}{c.note[1:]}: '{values['match']}'."
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=c.severity or rule.severity,
        message=message,
        match=values["match"],
        start=c.start,
        end=c.end,
        context=text,
        location=location,
        # A mention the tender need not change (the system in place, an example) gets no advice to replace it.
        suggestion="" if note_only else _fill(rule.text("suggestion", lang), values),
        criteria=rule.criteria,
        legal_basis=rule.text("legal_basis", lang),
        kind=rule.kind,
        block_index=index,
        sentence=ctx.sentence(c.start, c.end),
        note=c.note,
        role=c.role,
        role_reason=c.role_reason,
    )


def lint_text(
    text: str,
    *,
    language: str | None = None,
    ruleset: RuleSet | None = None,
    markdown: bool = False,
    score: bool = True,
    role_trace: list[tuple[int, Candidate, Decision]] | None = None,
) -> FileResult:
    from ospo_procure.readers.text_reader import parse_text

    doc = parse_text(text, markdown=markdown)
    return lint_document(doc, language=language, ruleset=ruleset, score=score, role_trace=role_trace)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expanded to the lintable files below them, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in LINTABLE_SUFFIXES))
        else:
            out.append(p)
    return out


def lint_paths(
    paths: Iterable[str | Path],
    *,
    language: str | None = None,
    ruleset: RuleSet | None = None,
    limits: Limits | None = None,
    waivers: WaiverIndex | None = None,
    report_language: str | None = None,
) -> list[FileResult]:
    """Lint files and folders. A file that cannot be read becomes a FileResult with `error` set,
    and the others are still linted. `waivers` gives each file its waiver-file entries;
    `report_language` words the findings (default: each document's language)."""
    from ospo_procure.readers import read_document

    ruleset = ruleset or load_ruleset()
    results: list[FileResult] = []
    for path in expand_paths(paths):
        try:
            doc = read_document(path, limits)
            file_waivers = waivers.for_file(path) if waivers is not None else None
            results.append(
                lint_document(
                    doc,
                    language=language,
                    ruleset=ruleset,
                    waivers=file_waivers,
                    report_language=report_language,
                    limits=limits,
                )
            )
        except InputError as exc:
            results.append(FileResult(path=display_path(path), error=exc.message))
    return results
