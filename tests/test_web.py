"""The web page and API of `ospo-procure serve`, through the framework's test client.

Each lint and build runs in a real worker process (as in production), so these tests upload
the bundled examples and read back what a reviewer or an integration would get.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from ospo_procure.errors import DataError
from ospo_procure.service import LintOptions, run_lint
from ospo_procure.tender import load_spec
from ospo_procure.tender.spec import SPEC_SCHEMA
from ospo_procure.waivers import load_waivers
from ospo_procure.web.app import create_app
from ospo_procure.web.pages import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCX = ROOT / "examples" / "tenders" / "sba_case_management_tor.docx"
MD = ROOT / "examples" / "tenders" / "pliego_gestion_documental.md"
SPEC = ROOT / "examples" / "specs" / "en-grants-platform.yaml"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings())) as c:
        yield c


def csrf(client: TestClient, path: str = "/") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "every form carries the CSRF token"
    return match.group(1)


def upload(client: TestClient, name: str, data: bytes, **extra_files) -> str:
    """Upload a file for review; return the review page URL."""
    files = {"file": (name, data)}
    files.update(extra_files)
    r = client.post("/review", data={"csrf_token": csrf(client)}, files=files, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    return r.headers["location"]


def wait(client: TestClient, url: str, timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = client.get(url)
        if "review_progress" not in r.text and 'id="progress"' not in r.text:
            return r
        time.sleep(0.2)
    raise AssertionError("the review did not finish")


def cli_json(path: Path, tmp_path: Path) -> dict:
    """What `ospo-procure lint FILE --format json` prints for a file of the same name."""
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        outcome = run_lint([Path(path.name)], LintOptions(fmt="json"))
    finally:
        os.chdir(cwd)
    return json.loads(outcome.report or "")


# ------------------------------------------------------------------- review


def test_home_page_is_safe_and_labelled(client):
    r = client.get("/")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert "ospo_csrf" in r.headers.get("set-cookie", "")
    assert_labelled(r.text)
    assert_no_inline_code(r.text)


def assert_labelled(page: str) -> None:
    """Every visible control has a label (for=, wrapping label, or aria-label)."""
    tree = lxml_html.fromstring(page)
    for el in tree.xpath("//input[not(@type='hidden')] | //select | //textarea"):
        if el.get("aria-label") or el.xpath("ancestor::label"):
            continue
        ident = el.get("id")
        assert ident and tree.xpath(f"//label[@for='{ident}']"), f"unlabelled control {lxml_html.tostring(el)[:120]!r}"


def assert_no_inline_code(page: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script"
    assert not re.search(r"<style\b", page), "inline style element"
    assert not re.search(r"\sstyle=", page), "style attribute"
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"


def test_review_shows_findings_on_the_text_and_the_cli_json(client, tmp_path):
    page = wait(client, upload(client, MD.name, MD.read_bytes()))
    assert page.status_code == 200
    text = page.text
    assert_no_inline_code(text)
    assert_labelled(text)
    tree = lxml_html.fromstring(text)
    marks = tree.xpath("//a[contains(@class, 'hl-error')]")
    assert any("Microsoft SharePoint Online" in m.text_content() for m in marks)
    # Each highlight links to its card, which carries the message, legal basis and wording.
    cards = tree.xpath("//li[contains(@class, 'finding')]")
    expected = cli_json(MD, tmp_path)["files"][0]
    assert len(cards) == len(expected["findings"])
    first = expected["findings"][0]
    shown = tree.text_content()
    legal_basis = expected["rules"][first["rule"]]["legal_basis"]
    assert first["message"] in shown and legal_basis in shown and first["suggestion"] in shown
    for m in marks:
        assert tree.xpath(f"//li[@id='{m.get('href')[1:]}']"), "a highlight points at its finding card"
    # The scorecard: nine criteria with their reasons.
    assert len(tree.xpath("//ol[@class='scorecard']/li")) == 9
    assert expected["scorecard"]["criteria"]["1"]["reasons"][0] in shown

    url = page.url.path
    got = json.loads(client.get(url + "/download/json").content)
    assert got == cli_json(MD, tmp_path), "the JSON download is the CLI's JSON"
    pdf = client.get(url + "/download/pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    sarif = json.loads(client.get(url + "/download/sarif").content)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert client.get(url + "/download/docx").status_code == 404, "annotation is for .docx inputs only"


def test_docx_review_offers_the_annotated_copy(client):
    page = wait(client, upload(client, DOCX.name, DOCX.read_bytes()))
    url = page.url.path
    r = client.get(url + "/download/docx")
    assert r.status_code == 200
    assert 'filename="sba_case_management_tor.reviewed.docx"' in r.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        comments = zf.read("word/comments.xml").decode()
    assert "BRAND-PRODUCT" in comments


def test_filters_by_severity_category_and_criterion(client):
    url = wait(client, upload(client, DOCX.name, DOCX.read_bytes())).url.path
    file = json.loads(client.get(url + "/download/json").content)["files"][0]
    data, rules = file["findings"], file["rules"]
    for query, keep in [
        ("severity=warning", lambda f: f["severity"] == "warning"),
        ("category=brand", lambda f: f["category"] == "brand"),
        ("criterion=8", lambda f: 8 in rules[f["rule"]]["criteria"]),
    ]:
        tree = lxml_html.fromstring(client.get(f"{url}?{query}").text)
        cards = tree.xpath("//li[contains(@class, 'finding')]//code[@class='rule']/text()")
        expected = [f["rule"] for f in data if keep(f)]
        assert cards == expected and 0 < len(expected) < len(data), query
        # one highlight per marked span: two findings on the same words share it
        spans = {(f["block"], f["start"], f["end"]) for f in data if keep(f)}
        assert len(tree.xpath("//a[contains(@class, 'hl ')]")) >= len(spans)


def test_bad_file_gives_the_cli_one_line_message(client, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"this is not a zip at all")
    page = wait(client, upload(client, bad.name, bad.read_bytes()))
    assert page.status_code == 422
    cli = cli_json(bad, tmp_path)["files"][0]["error"]
    assert f"broken.docx: {cli}" in lxml_html.fromstring(page.text).text_content()
    assert "Traceback" not in page.text


def test_document_text_is_escaped(client):
    text = "<script>alert(1)</script> The system shall run on Microsoft SQL Server 2022 Enterprise only.\n"
    page = wait(client, upload(client, "evil.txt", text.encode()))
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_csrf_is_required(client):
    r = client.post("/review", data={"csrf_token": "forged"}, files={"file": ("a.md", b"x")})
    assert r.status_code == 403
    r = client.post("/build", data={"csrf_token": "forged", "agency": "x"})
    assert r.status_code == 403


def test_upload_over_the_limit_is_refused_before_linting():
    with TestClient(create_app(Settings(max_upload_bytes=1024), warm=False)) as c:
        token = csrf(c)
        big = b"a" * (200 * 1024)
        r = c.post("/review", data={"csrf_token": token}, files={"file": ("big.txt", big)})
        assert r.status_code == 413
        assert "over the max_file_bytes limit of 0.0 MB" in r.text
        api = c.post("/api/lint", files={"file": ("big.txt", big)})
        assert api.status_code == 413 and "max_file_bytes" in api.json()["error"]


def test_waiver_entry_is_drafted_checked_and_applies(client, tmp_path):
    url = wait(client, upload(client, MD.name, MD.read_bytes())).url.path
    token = csrf(client)
    short = client.post(
        url + "/waive",
        data={
            "csrf_token": token,
            "finding": "1",
            "justification": "short",
            "approved_by": "Legal",
            "approved_on": "2026-03-01",
        },
    )
    assert short.status_code == 422 and "justification" in short.text and "too short" in short.text
    ok = client.post(
        url + "/waive",
        data={
            "csrf_token": token,
            "finding": "1",
            "justification": "Existing licences run until 2028; see memo 14/2026.",
            "approved_by": "Legal unit",
            "approved_on": "2026-03-01",
        },
    )
    assert ok.status_code == 200 and "ospo-waivers.yaml" in ok.text
    waiver_text = client.get(url + "/waivers.yaml").text
    saved = tmp_path / "ospo-waivers.yaml"
    saved.write_text(waiver_text, encoding="utf-8")
    (waiver,) = load_waivers(saved)
    first = json.loads(client.get(url + "/download/json").content)["files"][0]["findings"][0]
    assert (waiver.rule, waiver.match) == (first["rule"], first["match"])
    # Uploading the waiver file with the next review marks that finding as waived.
    again = wait(client, upload(client, MD.name, MD.read_bytes(), waivers=("ospo-waivers.yaml", waiver_text.encode())))
    data = json.loads(client.get(again.url.path + "/download/json").content)["files"][0]["findings"][0]
    assert data["waived"] and data["waiver"]["justification"].startswith("Existing licences")


def test_long_review_shows_progress_and_can_be_cancelled(client):
    paragraph = "The platform shall run on Microsoft SharePoint Online with 300 named-user licences. " * 40
    big = ("\n\n".join([paragraph] * 2000)).encode()  # about 7 MB of text: several seconds of work
    url = upload(client, "big.txt", big)
    first = client.get(url)
    assert 'id="progress"' in first.text and "hx-trigger" in first.text
    status = client.get(url + "/status")
    assert status.status_code in (200, 204)
    job = client.app.state.jobs.get(url.rsplit("/", 1)[-1])
    folder = job.folder
    r = client.post(url + "/cancel", data={"csrf_token": csrf(client)})
    assert r.status_code == 200 and "cancelled" in r.text
    assert job.state == "cancelled"
    assert not folder.exists(), "the job's temporary folder is removed"


def test_concurrent_reviews_see_only_their_own_file(client):
    a = b"The system shall run on Oracle Database 19c.\n"
    b = b"The system shall run on Microsoft SQL Server 2022 Enterprise.\n"
    url_a, url_b = upload(client, "same.txt", a), upload(client, "same.txt", b)
    page_a, page_b = wait(client, url_a).text, wait(client, url_b).text
    assert "Oracle Database 19c" in page_a and "Microsoft SQL Server" not in page_a
    assert "Microsoft SQL Server" in page_b and "Oracle Database 19c" not in page_b
    for url in (url_a, url_b):
        job = client.app.state.jobs.get(url.rsplit("/", 1)[-1])
        assert not job.folder.exists()


def test_unknown_review_is_a_clear_404(client):
    r = client.get("/review/no-such-id")
    assert r.status_code == 404 and "30 minutes" in r.text


# --------------------------------------------------------------- languages


def test_interface_follows_the_browser_and_the_switch(client):
    client = TestClient(client.app)  # its own cookie jar
    r = client.get("/", headers={"accept-language": "es-UY,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in r.text and "Revisar un borrador" in r.text
    r = client.get("/?lang=fr")
    assert '<html lang="fr">' in r.text and "ospo_lang=fr" in r.headers["set-cookie"]
    r = TestClient(client.app).get("/build", headers={"cookie": "ospo_lang=pt"})
    assert '<html lang="pt">' in r.text and "Montar um edital" in r.text


# -------------------------------------------------------------------- build


def form_from_spec(client: TestClient, example: str) -> dict[str, str]:
    """The build form as the browser would submit it, opened on a bundled example."""
    tree = lxml_html.fromstring(client.get(f"/build?example={example}").text)
    (form,) = tree.xpath("//form[@id='spec-form']")
    return {k: v for k, v in form.form_values()}


def test_build_form_is_generated_from_the_schema(client):
    page = client.get("/build")
    tree = lxml_html.fromstring(page.text)
    names = set(tree.xpath("//form[@id='spec-form']//*[@name]/@name"))
    for key in SPEC_SCHEMA["properties"]:
        assert any(n == key or n.startswith(key + ".") for n in names), f"no field for {key}"
    assert_labelled(page.text)
    assert_no_inline_code(page.text)


def test_build_shows_the_cli_messages_beside_the_fields(client):
    values = form_from_spec(client, "en-grants-platform")
    values["award_criteria.0.weight"] = "25"  # 25 + 30 + 20 + 15 = 90
    values["agency"] = ""
    r = client.post("/build", data={**values, "action": "check"})
    assert r.status_code == 422
    tree = lxml_html.fromstring(r.text)
    (agency_error,) = tree.xpath("//p[@id='f-agency-error']")
    assert "missing required field: 'agency'" in agency_error.text_content()
    values["agency"] = "Ministry"
    r = client.post("/build", data={**values, "action": "check"})
    tree = lxml_html.fromstring(r.text)
    (weights,) = tree.xpath("//p[@id='f-award_criteria-error']")
    assert "award_criteria: weights sum to 90, they must sum to 100" in weights.text_content()


def test_build_preview_package_and_spec(client, tmp_path):
    values = form_from_spec(client, "en-grants-platform")
    preview = client.post("/build", data={**values, "action": "check"})
    assert preview.status_code == 200
    assert "source-code-delivery" in preview.text and "applies_when" in preview.text
    package = client.post("/build", data={**values, "action": "package"})
    assert package.status_code == 200 and package.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(package.content)) as zf:
        names = set(zf.namelist())
        spec_text = zf.read("tender/spec.yaml").decode()
    assert {
        "tender/terms_of_reference.docx",
        "tender/terms_of_reference.pdf",
        "tender/contract_annex.docx",
        "tender/evaluation_grid.docx",
        "tender/spec.yaml",
    } <= names
    spec = client.post("/build", data={**values, "action": "spec"})
    assert spec.headers["content-type"].startswith("application/yaml")
    path = tmp_path / "spec.yaml"
    path.write_text(spec.text, encoding="utf-8")
    rebuilt, original = load_spec(path), load_spec(SPEC)
    # Same clause conditions, variables and officer text: the same tender (an unticked
    # optional box is simply left out, and text loses its trailing newline).
    assert rebuilt.conditions() == original.conditions() and rebuilt.variables() == original.variables()
    for key in ("background", "needs", "functional_requirements", "non_functional_requirements", "award_criteria"):
        assert json.dumps(rebuilt.data[key]).replace("\\n", "") == json.dumps(original.data[key]).replace("\\n", "")
    assert spec_text.strip() in spec.text


def test_build_add_row_and_load_a_saved_spec(client):
    values = form_from_spec(client, "en-grants-platform")
    rows = lxml_html.fromstring(client.post("/build", data={**values, "add_row": "award_criteria"}).text)
    assert len(rows.xpath("//input[starts-with(@name, 'award_criteria.') and contains(@name, '.weight')]")) == 6
    r = client.post(
        "/build/load", data={"csrf_token": csrf(client, "/build")}, files={"spec": ("saved.yaml", SPEC.read_bytes())}
    )
    assert r.status_code == 200 and 'value="MSTI-ICT-2026-014"' in r.text
    bad = client.post(
        "/build/load", data={"csrf_token": csrf(client, "/build")}, files={"spec": ("saved.yaml", b"agency: [unclosed")}
    )
    assert bad.status_code == 422 and "saved.yaml:" in bad.text and "invalid YAML" in bad.text


# ---------------------------------------------------------------------- API


def test_api_lint_returns_the_cli_json(client, tmp_path):
    r = client.post("/api/lint", files={"file": (MD.name, MD.read_bytes())})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == cli_json(MD, tmp_path)


def test_api_errors_are_one_line_json(client, tmp_path):
    r = client.post("/api/lint", files={"file": ("scan.pdf", b"GIF89a not a pdf")})
    assert r.status_code == 422
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"GIF89a not a pdf")
    assert r.json() == {"error": f"scan.pdf: {cli_json(bad, tmp_path)['files'][0]['error']}"}
    r = client.post("/api/lint")
    assert r.status_code == 422 and "file" in r.json()["error"]


def test_api_build_returns_the_zip_and_cli_spec_errors(client, tmp_path):
    r = client.post("/api/build", content=SPEC.read_bytes(), headers={"content-type": "application/yaml"})
    assert r.status_code == 200
    assert "tender/terms_of_reference.docx" in zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    as_json = json.dumps(load_spec(SPEC).data)
    r = client.post("/api/build", content=as_json, headers={"content-type": "application/json"})
    assert r.status_code == 200
    broken = SPEC.read_text(encoding="utf-8").replace("weight: 35", "weight: 25")
    r = client.post("/api/build", content=broken.encode(), headers={"content-type": "application/yaml"})
    assert r.status_code == 422
    path = tmp_path / "spec.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataError) as cli:
        load_spec(path)
    assert r.json() == {"error": str(cli.value).replace(str(tmp_path) + "/", "")}


def test_openapi_documents_the_api(client):
    doc = client.get("/openapi.json").json()
    for path in ("/api/lint", "/api/build"):
        assert "422" in doc["paths"][path]["post"]["responses"]
    assert set(doc["paths"]) == {"/api/lint", "/api/build"}, "pages stay out of the API description"
    page = client.get("/api/docs")
    assert "swagger-ui-bundle.js" in page.text and "cdn" not in page.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


# ------------------------------------------------------------------ clauses


def test_clause_library_filters(client):
    page = client.get("/clauses?criterion=3&language=pt")
    tree = lxml_html.fromstring(page.text)
    crits = tree.xpath("//li[contains(@class, 'clause')]//span[@class='clause-crit']")
    assert crits and all("3" in c.text_content().split() or "3" in c.text_content() for c in crits)
    assert "código" in page.text.lower()
    found = lxml_html.fromstring(client.get("/clauses?q=escrow").text)
    every = lxml_html.fromstring(client.get("/clauses").text)
    assert (
        0 < len(found.xpath("//li[contains(@class, 'clause')]")) < len(every.xpath("//li[contains(@class, 'clause')]"))
    )
    assert_labelled(page.text)


# --------------------------------------------------------- access control


def test_token_auth_and_host_check():
    app = create_app(Settings(token="s3cret-token"), allowed_hosts=["127.0.0.1", "localhost"], warm=False)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert c.post("/api/lint", files={"file": ("a.md", b"x")}).status_code == 401
        assert c.get("/static/app.css").status_code == 200
        token = csrf(c, "/login")
        assert c.post("/login", data={"csrf_token": token, "token": "wrong"}).status_code == 403
        r = c.post("/login", data={"csrf_token": token, "token": "s3cret-token"}, follow_redirects=False)
        assert r.status_code == 303
        assert c.get("/").status_code == 200
        assert c.get("/openapi.json", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
    with TestClient(app, base_url="http://evil.example") as c:
        assert c.get("/login").status_code == 400


def test_a_finding_deep_in_a_long_paragraph_is_highlighted(client):
    """Items point at their block by number: a match far into a long paragraph (past any
    excerpt window a report shows) is still highlighted in the page's text."""
    filler = "The platform keeps an audit trail of every change and trains the staff of the registry. " * 30
    text = filler + "The database must be Microsoft SQL Server 2019 for the reporting layer.\n"
    page = wait(client, upload(client, "long.txt", text.encode()))
    tree = lxml_html.fromstring(page.text)
    marks = tree.xpath("//a[contains(@class, 'hl-error')]")
    assert any("Microsoft SQL Server" in m.text_content() for m in marks)
