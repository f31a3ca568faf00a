"""The shared development corpus: `../shared/corpus/docs` beside the checkout.

A test that needs a corpus file asks `corpus_file(name)`. When the corpus is missing the
test is skipped on a developer's machine, with the path it looked for, and fails in CI
(`CI=true`), where a silent skip would hide that the test never ran.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "docs"


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        message = f"shared corpus file {path} not found (the corpus lives in ../shared/corpus beside the checkout)"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message)
        pytest.skip(message)
    return path
