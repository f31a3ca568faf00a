"""Names and numbers the whole tool agrees on, defined once.

Everything here is plain data with no imports beyond the standard library, so the CLI
can build its option choices from it without slowing `ospo-procure --help`. Output
formats are not here: the reporter registry (`ospo_procure.report.REPORTERS`) is their
one source. Limit defaults live on `ospo_procure.limits.Limits`.
"""

from __future__ import annotations

from enum import IntEnum

# Languages of tenders, rules, clauses and reports (ISO 639-1).
LANGUAGES = ("en", "es", "pt", "fr")


class ExitCode(IntEnum):
    """Exit statuses of every command (docs/limits.md, README)."""

    OK = 0
    FINDINGS = 1  # lint: findings at or above --fail-on, or a score below --fail-under; build --strict
    ERROR = 2  # unreadable input, bad data, safety limit, usage error
    INTERNAL = 3  # a bug: the message asks the user to report it
    INTERRUPTED = 130  # Ctrl-C


# Tender files the linter reads: suffix -> document format (Document.format).
DOCUMENT_FORMATS = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".odt": "odt",
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
}
LINTABLE_SUFFIXES = tuple(DOCUMENT_FORMATS)
TEXT_SUFFIXES = tuple(s for s, fmt in DOCUMENT_FORMATS.items() if fmt in ("txt", "md"))
# For messages: ".docx .pdf .odt .txt .md".
SUFFIX_LIST = " ".join(dict.fromkeys(s for s in LINTABLE_SUFFIXES if s != ".markdown"))
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
}

# Severities of a finding, most severe first; --fail-on takes one of them or "never".
SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
FAIL_ON = (*SEVERITIES, "never")
