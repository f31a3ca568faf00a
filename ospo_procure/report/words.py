"""What the reports say, in the reader's language: one `Words` object per language.

Every sentence, label and reason a reporter writes comes from here or from a `_()` call in
the reporter itself, through the gettext catalogue (ospo_procure/i18n.py). Source strings are
English with named `{placeholders}`, so a translation may reorder them; numbers are written
the language's way ("2,5" in Spanish). The vocabulary of the project (severities,
categories, roles, places in a document) and the wording of a scorecard live here, so every
format says them the same way.

The report's language is the document's (each file's findings were worded in it when it was
linted), unless `--report-lang` chose one for the whole run (`ReportOptions.lang`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ospo_procure.i18n import N_, SOURCE_LANGUAGE, translations
from ospo_procure.message import Message

if TYPE_CHECKING:
    from ospo_procure.model import FileResult, Finding, Location, Waiver, WaiverSource
    from ospo_procure.scoring_model import CriterionScore, ScoreTerm

REPORT_LANGUAGES = ("en", "es", "pt", "fr")

SEVERITY_NAMES = {"error": N_("error"), "warning": N_("warning"), "info": N_("note")}
CATEGORY_NAMES = {
    # lock-in findings
    "brand": N_("brand names"),
    "per_user_licensing": N_("per-user licensing"),
    "proprietary_format": N_("proprietary formats"),
    "proprietary_technology": N_("proprietary technology"),
    "vendor_certification": N_("vendor certification"),
    "sole_source": N_("sole sourcing"),
    "ip_retained_by_vendor": N_("intellectual property kept by the vendor"),
    "no_source_code": N_("no source code"),
    # OSS-friendly evidence
    "oss_allowed": N_("open source allowed"),
    "source_code_access": N_("access to the source code"),
    "open_license_of_deliverables": N_("open licence of the deliverables"),
    "open_standards": N_("open standards"),
    "tco": N_("total cost of ownership"),
    "exit_portability": N_("exit and portability"),
    "or_equivalent": N_("“or equivalent”"),
    "weighted_award_criteria": N_("weighted award criteria"),
}
ROLE_NAMES = {
    "required": N_("required"),
    "object": N_("object of the contract"),
    "continuity": N_("continuity"),
    "example": N_("example"),
    "existing": N_("existing system"),
    "procedural": N_("procedure"),
    "excluded": N_("excluded"),
    "negated": N_("negated"),
    "commentary": N_("commentary"),
    "history": N_("history"),
}
PART_NAMES = {
    "body": N_("body"),
    "table": N_("table"),
    "header": N_("header"),
    "footer": N_("footer"),
    "textbox": N_("text box"),
    "page": N_("page"),
    "footnote": N_("footnote"),
    "endnote": N_("endnote"),
    "comment": N_("comment"),
}
# Typographic quotes of each language, for words quoted from the tender.
QUOTES = {"en": ("“", "”"), "es": ("«", "»"), "pt": ("“", "”"), "fr": ("« ", " »")}


def file_language(fr: FileResult, forced: str | None = None) -> str:
    """The language a file's part of the report is written in."""
    lang = forced or fr.language or SOURCE_LANGUAGE
    return lang if lang in REPORT_LANGUAGES else SOURCE_LANGUAGE


def run_language(files: Iterable[FileResult], forced: str | None = None) -> str:
    """The language of what a report says about the run as a whole: `forced`, else the
    language most of its files are in (the first file's on a tie), else English."""
    if forced:
        return file_language_code(forced)
    counts = Counter(file_language(fr) for fr in files if fr.language)
    if not counts:
        return SOURCE_LANGUAGE
    best = max(counts.values())
    return next(lang for lang in counts if counts[lang] == best)


def file_language_code(lang: str | None) -> str:
    return lang if lang in REPORT_LANGUAGES else SOURCE_LANGUAGE


@lru_cache(maxsize=8)
def words(lang: str | None) -> Words:
    """The `Words` of a language (cached: reporters ask for it per file)."""
    return Words(file_language_code(lang))


class Words:
    """`_ = words("es")`, then `_("Findings")`, `_("{n} words", n=3)`, `_.num(2.5)`, `_.location(loc)`.

    Called like gettext, with named values to fill in; the name `_` lets the catalogue's
    extractor find the messages (`python -m ospo_procure.i18n update`).
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._t = translations(lang)

    def __call__(self, message: str, /, **values: Any) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def pgettext(self, context: str, message: str, /, **values: Any) -> str:
        """A message whose English words mean something else elsewhere ("waived" on a badge)."""
        text = self._t.pgettext(context, message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        return self._t.ngettext(singular, plural, n).format(n=self.num(n), **values)

    def text(self, message: str | None) -> str:
        """A file warning or read error in this language: a `Message` is worded through the
        catalogue, any other string (an exception's own words) is shown as it is."""
        if not isinstance(message, Message):
            return message or ""
        values = {k: self.text(v) if isinstance(v, str) else self._value(v) for k, v in message.values.items()}
        return self._t.gettext(message.msgid).format(**values) if values else self._t.gettext(message.msgid)

    def _value(self, value: Any) -> Any:
        from ospo_procure.model import Location

        return self.location(value) if isinstance(value, Location) else value

    # -- numbers and quotes

    def num(self, x: float) -> str:
        """A number as the language writes it: '2.5', '2,5'; integers without decimals."""
        from babel.numbers import format_decimal

        return format_decimal(round(float(x), 2), format="#,##0.##", locale=self.lang)

    def signed(self, x: float) -> str:
        """'+2,5', '-1', '0'."""
        text = self.num(abs(x))
        return ("+" if x > 0 else "-" if x < 0 else "") + text

    @property
    def separator(self) -> str:
        """Between the items of a list in running text: '; ' (' ; ' in French typography)."""
        # Translators: the separator of list items in running text, with its spaces.
        return self.pgettext("list separator", "; ")

    def quoted(self, text: str) -> str:
        """Words of the tender, in the language's quotation marks."""
        left, right = QUOTES.get(self.lang, QUOTES["en"])
        return f"{left}{text}{right}"

    # -- the project's vocabulary

    def severity(self, severity: str) -> str:
        return self(SEVERITY_NAMES[severity]) if severity in SEVERITY_NAMES else severity

    def category(self, category: str) -> str:
        return self(CATEGORY_NAMES[category]) if category in CATEGORY_NAMES else category.replace("_", " ")

    def categories(self, categories: Iterable[str]) -> str:
        return ", ".join(self.category(c) for c in categories)

    def role(self, role: str) -> str:
        return self(ROLE_NAMES[role]) if role in ROLE_NAMES else role

    def part(self, part: str) -> str:
        return self(PART_NAMES[part]) if part in PART_NAMES else part

    def location(self, loc: Location) -> str:
        """Where a block is, as Location.label() says it, in this language: 'página 3 ¶2'."""
        bits: list[str] = []
        if loc.page is not None:
            bits.append(self(N_("page {n}"), n=loc.page))
        if loc.table is not None:
            bits.append(self(N_("table {table} r{row}c{cell}"), table=loc.table, row=loc.row, cell=loc.cell))
        if loc.part in ("footnote", "endnote", "comment") and loc.note is not None:
            bits.append(self.part(loc.part) + f" {loc.note}")
        elif loc.part not in ("body", "table", "page"):
            bits.append(self.part(loc.part))
        if loc.line is not None:
            bits.append(self(N_("line {n}"), n=loc.line))
        elif loc.paragraph is not None and loc.table is None:
            bits.append(f"¶{loc.paragraph}")
        return " ".join(bits) or self.part(loc.part)

    def label(self, label: str) -> str:
        """A location label already written in English (Location.label(), e.g. kept in a
        waiver's source), said in this language."""
        if self.lang == SOURCE_LANGUAGE:
            return label
        out = _LABEL_TABLE.sub(
            lambda m: self(N_("table {table} r{row}c{cell}"), table=m[1], row=m[2], cell=m[3]), label
        )
        out = _LABEL_PAGE.sub(lambda m: self(N_("page {n}"), n=m[1]), out)
        out = _LABEL_LINE.sub(lambda m: self(N_("line {n}"), n=m[1]), out)
        return _LABEL_PART.sub(lambda m: self.part(m[0]), out)

    def rules_source(self, shown: str, *, label: bool = True) -> str:
        """'rules: lint_rules/' or 'rules: bundled with ospo-procure' (ReportOptions.rules_source)."""
        folder = self(N_("bundled with ospo-procure")) if shown == "bundled" else shown
        return self(N_("rules: {folder}"), folder=folder) if label else folder

    # -- findings

    def waived(self) -> str:
        """The mark of one waived finding (a badge, a label)."""
        return self.pgettext("one finding", "waived")

    def role_text(self, f: Finding) -> str:
        """'role: example (“such as”)', or '' when the linter gave the mention no role."""
        if not f.role:
            return ""
        if not f.role_reason:
            return self(N_("role: {role}"), role=self.role(f.role))
        return self(N_("role: {role} ({why})"), role=self.role(f.role), why=self.role_reason(f.role_reason))

    def role_reason(self, reason: str) -> str:
        """The words that decided a role (roles.py writes them as `"words"`, `section "X"`,
        `stated object "X"`...), with the linking words in this language."""
        return self.separator.join(self._one_reason(part) for part in reason.split("; ") if part)

    def _one_reason(self, reason: str) -> str:
        m = _REASON.fullmatch(reason)
        if m is None:
            return reason
        what, quoted, vendor = m["what"], self._requote(m["quoted"] or ""), m["vendor"]
        if what == "no qualifying context":
            return self(N_("nothing around it says otherwise"))
        if what == "section":
            return self(N_("under the heading {heading}"), heading=quoted)
        if what == "document":
            return self(N_("the document says {words}"), words=quoted)
        if what == "stated object" and vendor:
            return self(N_("the contract is for {words}, bought from {vendor}"), words=quoted, vendor=vendor)
        if what == "stated object":
            return self(N_("the contract is for {words}"), words=quoted)
        return quoted

    def _requote(self, text: str) -> str:
        return self.quoted(text[1:-1]) if len(text) >= 2 and text[0] == text[-1] == '"' else text

    def finding_note(self, f: Finding) -> str:
        """The finding's note, unless its message already says it."""
        if f.note and f.note.lower() not in f.message.lower():
            return f.note
        return ""

    # -- waivers

    def source(self, source: WaiverSource | None) -> str:
        if source is None:
            return ""
        if source.kind == "file":
            return str(source)
        if source.kind == "comment":
            return self(N_("a comment in the document"))
        return (
            self(N_("a marker line in {where}"), where=self.label(source.where))
            if source.where
            else self(N_("a marker line"))
        )

    def waiver(self, w: Waiver, *, with_source: bool = True) -> str:
        """'justification (approved by X on D; waivers.yaml:3)', said once."""
        bits = []
        if w.approved_by and w.approved_on:
            bits.append(self(N_("approved by {who} on {date}"), who=w.approved_by, date=w.approved_on))
        elif w.approved_by:
            bits.append(self(N_("approved by {who}"), who=w.approved_by))
        elif w.approved_on:
            bits.append(self(N_("approved on {date}"), date=w.approved_on))
        if w.source is not None and with_source:
            bits.append(self.source(w.source))
        justification = w.justification.strip()
        # A justification that already names its approval (a comment waiver's text often does)
        # is not followed by the same words again.
        bits = [b for b in bits if b.casefold() not in justification.casefold()]
        return justification + (f" ({'; '.join(bits)})" if bits else "")

    def unused_waiver(self, w: Waiver) -> str:
        """'unused waiver for RULE (waivers.yaml:9): it matches no finding'."""
        if w.source is not None:
            return self(
                N_("unused waiver for {rule} ({source}): it matches no finding"),
                rule=w.rule,
                source=self.source(w.source),
            )
        return self(N_("unused waiver for {rule}: it matches no finding"), rule=w.rule)

    def unused_waiver_item(self, w: Waiver) -> tuple[str, str]:
        """('RULE (waivers.yaml:9)', 'justification (approved by X on D)') for a list of unused waivers."""
        head = w.rule + (f" ({self.source(w.source)})" if w.source is not None else "")
        return head, self.waiver(w, with_source=False)

    # -- scorecards

    def criterion_reasons(self, c: CriterionScore) -> list[str]:
        """Why a criterion scores what it does: the base, each term, the cap or bound, the total.
        The same parts, in the same order, in every format."""
        out = [self(N_("the document's text could not be read: this score means nothing"))] if c.unreadable else []
        out.append(self(N_("base {base}"), base=self.num(c.base)))
        out += [self.term(t) for t in c.terms]
        if c.cap is not None:
            out.append(
                self(
                    N_("capped at {score} while a finding remains ({what})"),
                    score=self.num(c.cap.score),
                    what=self.categories(c.cap.categories),
                )
            )
        if c.bound is not None:
            message = N_("raised to {score}: {fact} ({words})")
            if c.bound.kind == "ceiling":
                message = N_("held to {score}: {fact} ({words})")
            out.append(
                self(
                    message,
                    score=self.num(c.bound.score),
                    fact=c.bound.says.get(self.lang) or c.bound.says["en"],
                    words=self.quoted(c.bound.words),
                )
            )
        out.append(self.total(c))
        return out

    def term(self, t: ScoreTerm) -> str:
        what = self.categories(t.categories)
        if t.rules:
            what += ": " + ", ".join(t.rules)
        if t.kind == "evidence":
            items = self.ngettext("{n} passage", "{n} passages", t.count)
        else:
            items = self.ngettext("{n} finding", "{n} findings", t.count)
        text = self(N_("{points} for {items} ({what})"), points=self.signed(t.points), items=items, what=what)
        if t.waived:
            waived = self.ngettext("{n} waived", "{n} waived", t.waived)
            text += " " + self(
                N_("[{waived}, each counted at {factor} of a finding]"), waived=waived, factor=self.num(t.waived_factor)
            )
        return text

    def total(self, c: CriterionScore) -> str:
        total = c.total if c.total is not None else criterion_total(c)
        if round(total, 4) == c.score:
            return self(N_("total {score}/5"), score=c.score)
        return self(N_("total {total}, scored {score}/5 (rounded, within 0–5)"), total=self.num(total), score=c.score)

    def score(self, value: float) -> str:
        return self(N_("{score}/5"), score=self.num(value))


def criterion_total(c: CriterionScore) -> float:
    """Base plus terms (or the cap, or a fact's bound), before the score is kept within 0-5 and
    rounded: what a scorecard made before the scorer recorded its total adds up to."""
    if c.bound is not None:
        return c.bound.score
    return c.cap.score if c.cap is not None else c.base + sum(t.points for t in c.terms)


_REASON = re.compile(
    r'(?P<what>no qualifying context|section|document|stated object)?\s*(?P<quoted>"[^"]*")?(?: buys (?P<vendor>.+))?'
)
_LABEL_TABLE = re.compile(r"\btable (\d+) r(\d+)c(\d+)")
_LABEL_PAGE = re.compile(r"\bpage (\d+)")
_LABEL_LINE = re.compile(r"\bline (\d+)")
_LABEL_PART = re.compile(r"\b(?:body|header|footer|textbox|footnote|endnote|comment)\b")
