"""Every word the scan summary and the dashboard show, by key.

The words are the message catalogue's (gettext .po files under ospo_procure/locale/, read by
ospo_procure/i18n.py): each key names an English source string marked with `N_`, and
`text(key, **values)` gives it in the dashboard's language, set once for a whole page with
`with language("es"):`. Templates use named `{placeholders}` only, so a translation can
reorder them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from ospo_procure.i18n import N_, SOURCE_LANGUAGE, translator

_LANGUAGE: ContextVar[str] = ContextVar("dashboard_language", default=SOURCE_LANGUAGE)


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Everything `text` says inside the block is in `lang` (default: English)."""
    token = _LANGUAGE.set(lang or SOURCE_LANGUAGE)
    try:
        yield _LANGUAGE.get()
    finally:
        _LANGUAGE.reset(token)


def current_language() -> str:
    return _LANGUAGE.get()


TEXTS: dict[str, str] = {
    # scan
    "progress_label": N_("Linting"),
    "progress_rate": N_("{rate} files/s"),
    "scan_summary": N_(
        "{found} tenders: {linted} linted, {unchanged} unchanged, {errors} could not be read ({seconds:.1f} s); store {store}"
    ),
    "scan_interrupted": N_("interrupted: {linted} tenders stored so far; run the same command again to resume"),
    "scan_unreadable": N_("{source}: {reason}"),
    "scan_more_unreadable": N_("... and {n} more (see the files table, status 'error')"),
    "scan_metadata": N_("metadata CSV applied to {n} tenders"),
    "scan_pruned": N_("{n} tenders no longer in the scanned folders were removed from the store"),
    "export_written": N_("{table}: {rows} rows written to {path}"),
    "dashboard_written": N_("dashboard written to {path}"),
    # dashboard: page
    "title": N_("Software tenders: vendor lock-in indicators"),
    "subtitle": N_("{tenders} tenders scanned{period} · generated {generated} with ospo-procure {version}"),
    "period": N_(" · {first} to {last}"),
    "nothing": N_("The store holds no readable tender yet: run `ospo-procure scan` on a folder of tenders first."),
    "kpi_of": N_("{count} of {total} tenders"),
    "kpi_mean": N_("Average checklist score"),
    "kpi_mean_detail": N_("out of 5, over nine criteria"),
    "kpi_any": N_("Tenders with at least one lock-in error"),
    # finding categories, as a KPI tile or chart label says them
    "cat_brand": N_("name brands without “or equivalent”"),
    "cat_per_user_licensing": N_("impose per-user licensing"),
    "cat_proprietary_format": N_("require proprietary formats"),
    "cat_vendor_certification": N_("require vendor certification"),
    "cat_proprietary_technology": N_("impose a proprietary platform"),
    "cat_sole_source": N_("award directly without justification"),
    "cat_ip_retained_by_vendor": N_("leave the IP with the vendor"),
    "cat_no_source_code": N_("deliver no source code"),
    "short_brand": N_("Brands"),
    "short_per_user_licensing": N_("Per-user licences"),
    "short_proprietary_format": N_("Proprietary formats"),
    "short_vendor_certification": N_("Vendor certification"),
    "short_proprietary_technology": N_("Proprietary platform"),
    "short_sole_source": N_("Direct award"),
    "short_ip_retained_by_vendor": N_("Vendor keeps IP"),
    "short_no_source_code": N_("No source code"),
    # sections
    "h_signals": N_("Lock-in signals across the portfolio"),
    "p_signals": N_(
        "Share of tenders with at least one unwaived finding of each kind (errors and warnings; mentions of a system being replaced do not count)."
    ),
    "h_names": N_("Products, vendors and formats required by name"),
    "p_names": N_("Number of tenders that require each one by name without an acceptable equivalent."),
    "chart_products": N_("Products"),
    "chart_vendors": N_("Vendors"),
    "chart_formats": N_("File formats"),
    "none_named": N_("No tender requires a product, vendor or format by name."),
    "h_scores": N_("Scores on the nine checklist criteria"),
    "p_scores": N_(
        "Each bar shows how the tenders score on one criterion of the IDB OSS-friendly tender checklist (0 none, 5 very strong); the figure at the right is the average."
    ),
    "h_overall": N_("Overall scores"),
    "p_overall": N_("Tenders by overall score (the mean of the nine criteria)."),
    "axis_tenders": N_("tenders"),
    "axis_share": N_("share of tenders"),
    "axis_score": N_("overall score (0-5)"),
    "score_label": N_("score {n}"),
    "mean_label": N_("avg {mean:.1f}"),
    "h_time": N_("Over time"),
    "p_time": N_(
        "Share of tenders with each signal, by quarter of publication (from OCDS dates, the user's metadata CSV or the documents' own properties)."
    ),
    "no_dates": N_("No tender has a known date: add OCDS data or a metadata CSV (`scan --metadata`) to see the trend."),
    "undated": N_("{n} tenders have no known date and are not shown."),
    "one_period": N_("The dated tenders ({n}) all fall in {period}; a trend needs two periods or more."),
    "n_label": N_("n={n}"),
    "h_buyers": N_("By buyer"),
    "p_buyers": N_(
        "The buyers with the most tenders: share of their tenders with each signal, and their average score."
    ),
    "no_buyers": N_(
        "No tender has a known buyer: add OCDS data or a metadata CSV (`scan --metadata`) to compare buyers."
    ),
    "col_buyer": N_("Buyer"),
    "col_tenders": N_("Tenders"),
    "col_mean": N_("Avg score"),
    "h_worst": N_("Lowest-scoring tenders"),
    "p_worst": N_("The tenders with the lowest overall score; each name links to its report below."),
    "col_rank": N_("#"),
    "col_tender": N_("Tender"),
    "col_date": N_("Date"),
    "col_score": N_("Score"),
    "col_errors": N_("Errors"),
    "col_issues": N_("Main issues"),
    "h_reports": N_("Reports on the lowest-scoring tenders"),
    "report_meta": N_("{buyer} · {date} · {language} · {words} words"),
    "report_source": N_("Source: {source}"),
    "report_scores": N_("Checklist scores"),
    "report_findings": N_("Lock-in findings ({n})"),
    "report_more": N_("... and {n} more findings in the store."),
    "report_no_findings": N_("No lock-in finding."),
    "report_back": N_("back to the list"),
    "waived": N_("waived: {why}"),
    "unknown": N_("unknown"),
    "h_unreadable": N_("Files that could not be read"),
    "no_text_layer": N_("no text layer (scanned images?): run OCR and scan it again"),
    "more_unreadable": N_("… and {n} more (the store's files table, status 'error')"),
    "p_unreadable": N_("{n} files could not be read and are not counted above."),
    "h_method": N_("How these figures are made"),
    "p_method": N_(
        "Each tender was linted by ospo-procure with rule set {rules}. A signal counts when the linter reports it as an error or a warning and no justified waiver covers it; a product named only as the system being replaced or as an example does not count. Scores follow the nine criteria of the IDB OSS-friendly tender checklist. Figures are automatic and meant to direct review, not to replace it."
    ),
    "footer": N_("ospo-procure {version} · store {store}"),
}


def text(key: str, **values: object) -> str:
    template = translator(_LANGUAGE.get())(TEXTS[key])
    return template.format(**values) if values else template


def severity_label(severity: str, waived: bool) -> str:
    """A stored finding's severity (or 'waived'), in the page's language."""
    from ospo_procure.report.words import words

    _ = words(current_language())
    return _.waived() if waived else _.severity(severity)


def place(label: str) -> str:
    """A stored location label ('line 25', 'table 1 r2c3'), in the page's language."""
    from ospo_procure.report.words import words

    return words(current_language()).label(label)


def quoted(text: str) -> str:
    """Words of a tender, in the page language's quotation marks."""
    from ospo_procure.report.words import words

    return words(current_language()).quoted(text)
