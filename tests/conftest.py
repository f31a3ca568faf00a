"""Shared fixtures. `mini_rules` is a small rule folder of our own (bundled context and
rubric, test lexicons and one rule per matcher kind), so engine tests do not move when
the OSPO edits the bundled rule packs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/builders.py, tests/rulefolder.py

from rulefolder import write_rule_folder


@pytest.fixture(scope="session")
def mini_rules(tmp_path_factory: pytest.TempPathFactory):
    from ospo_procure.rules import load_ruleset

    return load_ruleset(write_rule_folder(tmp_path_factory.mktemp("mini_rules")))


@pytest.fixture(scope="session")
def bundled_rules():
    from ospo_procure.rules import load_ruleset

    return load_ruleset()
