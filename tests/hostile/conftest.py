"""Fixtures for the hostile-input suite (issue 6).

Every hostile file is built inside the test (hostile_files.py); nothing large is
committed. Lints use the small `mini_rules` folder from tests/conftest.py so these tests
assert on errors and exit statuses, never on the bundled rules' findings.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # hostile_files.py
sys.path.insert(0, str(HERE.parent))  # builders.py


@pytest.fixture(scope="session")
def rules_dir(mini_rules: Any) -> Path:
    return Path(mini_rules.directory)
