"""Assemble OSS-friendly tenders: spec + approved clause library + templates -> .docx/.pdf.

Public API: `build_tender`, `BuildResult`, `load_spec`, `load_library`, `select`.
"""

from __future__ import annotations

from .assemble import BuildResult, build_tender
from .clauses import Clause, Decision, Library, load_library, select
from .spec import TenderSpec, load_spec

__all__ = [
    "BuildResult",
    "Clause",
    "Decision",
    "Library",
    "TenderSpec",
    "build_tender",
    "load_library",
    "load_spec",
    "select",
]
