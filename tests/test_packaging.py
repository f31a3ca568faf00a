"""The data folders ship inside the wheel and are found from an installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    hatch_wheel = pytest.importorskip("hatchling.builders.wheel")
    out = tmp_path_factory.mktemp("dist")
    builder = hatch_wheel.WheelBuilder(str(ROOT))
    return Path(next(builder.build(directory=str(out), versions=["standard"])))


def test_wheel_contains_data_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "ospo_procure/data/lint_rules/context.yaml",
        "ospo_procure/data/lint_rules/roles.yaml",
        "ospo_procure/data/lint_rules/checklist.yaml",
        "ospo_procure/data/lint_rules/lexicons/products.yaml",
        "ospo_procure/data/templates/terms_of_reference.docx",
        "ospo_procure/data/examples/tenders/sba_case_management_tor.docx",
    ):
        assert needed in names, needed
    assert any(n.startswith("ospo_procure/data/clause_library/") and n.endswith(".yaml") for n in names)


def test_installed_package_finds_its_data(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "from ospo_procure.paths import data_dir; print(data_dir('lint_rules')); print(data_dir('clause_library'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site)},
        check=True,
    )
    for line in out.stdout.split():
        assert line.startswith(str(site / "ospo_procure" / "data")), line
