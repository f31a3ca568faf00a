"""Reports carry the paths the user gave, relative to the current folder: no home folder in a
report attached to a procurement file, and SARIF URIs a code-scanning service can map to the
repository (relative to %SRCROOT%, given in `originalUriBaseIds`). `--absolute-paths` asks
for absolute ones."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from ospo_procure.cli import main
from ospo_procure.paths import data_dir

EXAMPLE = data_dir("examples") / "tenders" / "pliego_gestion_documental.md"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of tenders, the current folder; the tender is named by its absolute path."""
    (tmp_path / "tenders").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "tenders" / "pliego.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str) -> bytes:
    res = CliRunner().invoke(main, ["lint", *args])
    assert res.exit_code == 1, res.output  # the example has error findings
    return res.stdout_bytes


def test_json_html_pdf_name_the_tender_relative_to_the_current_folder(project: Path) -> None:
    tender = str(project / "tenders" / "pliego.md")
    data = json.loads(lint(tender, "--format", "json"))
    assert data["files"][0]["path"] == "tenders/pliego.md"
    html = lint(tender, "--format", "html", "-o", "-").decode("utf-8")
    assert "<h2" in html and "tenders/pliego.md" in html and str(project) not in html
    lint(tender, "--format", "pdf", "-o", "r.pdf")
    reader = PdfReader(io.BytesIO((project / "r.pdf").read_bytes()))
    assert reader.metadata is not None and str(reader.metadata.title).endswith(": tenders/pliego.md")
    text = "".join(p.extract_text() for p in reader.pages)
    assert "tenders/pliego.md" in text and str(project) not in text and str(project) not in str(reader.metadata)
    for fmt in ("text", "junit"):
        out = lint(tender, "--format", fmt).decode("utf-8")
        assert "tenders/pliego.md" in out and str(project) not in out, fmt


def test_sarif_uris_are_relative_to_srcroot(project: Path) -> None:
    log = json.loads(lint(str(project / "tenders" / "pliego.md"), "--format", "sarif"))
    run = log["runs"][0]
    assert run["artifacts"][0]["location"] == {"uri": "tenders/pliego.md", "uriBaseId": "%SRCROOT%"}
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uri"] == "tenders/pliego.md" and location["uriBaseId"] == "%SRCROOT%"
    # The one absolute URI: where %SRCROOT% is, as SARIF consumers expect it.
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.resolve().as_uri() + "/"}}
    del run["originalUriBaseIds"]
    assert str(project) not in json.dumps(log, ensure_ascii=False)


def test_absolute_paths_when_asked(project: Path) -> None:
    data = json.loads(lint("tenders/pliego.md", "--format", "json", "--absolute-paths"))
    assert data["files"][0]["path"] == str(project.resolve() / "tenders" / "pliego.md")
    log = json.loads(lint("tenders/pliego.md", "--format", "sarif", "--absolute-paths"))
    uri = log["runs"][0]["artifacts"][0]["location"]["uri"]
    assert uri == (project.resolve() / "tenders" / "pliego.md").as_uri()


def test_a_file_outside_the_current_folder_keeps_the_path_given(project: Path, tmp_path_factory) -> None:
    """'../../x' says less than the path the user typed: outside the folder, the path as given."""
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "pliego.md"
    shutil.copy(EXAMPLE, elsewhere)
    data = json.loads(lint(str(elsewhere), "--format", "json"))
    assert data["files"][0]["path"] == str(elsewhere)
    log = json.loads(lint(str(elsewhere), "--format", "sarif"))
    assert log["runs"][0]["artifacts"][0]["location"] == {"uri": elsewhere.as_uri()}
