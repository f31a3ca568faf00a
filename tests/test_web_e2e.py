"""End to end: `ospo-procure serve` in a real headless Chromium, as a reviewer and an officer use it.

Debian's chromium and chromium-driver drive the browser (no browser download). Screenshots of
every page go to test-artifacts/ (git-ignored) for a person to look at. When axe-core is
installed (`npm ci --prefix tests/e2e`, as .ci/run does), every page is checked against the
WCAG 2.1 A/AA rules.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
AXE = ROOT / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
DOCX = ROOT / "examples" / "tenders" / "sba_case_management_tor.docx"
MD = ROOT / "examples" / "tenders" / "pliego_gestion_documental.md"

if not (CHROMIUM.exists() and DRIVER.exists()):
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium and chromium-driver (see .ci/run)")
    pytest.skip("Debian's chromium and chromium-driver are not installed", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ospo_procure", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert f"http://127.0.0.1:{port}/" in line, line
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def wait(driver: WebDriver, timeout: float = 30) -> WebDriverWait:
    # A page that reloads can replace an element between finding it and reading it: try again.
    return WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException])


def shot(driver: WebDriver, name: str, *, full: bool = True) -> None:
    """A screenshot of the whole page (the window grows to the page's height, then shrinks back)."""
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1400, min(max(int(height), 1000), 6000))
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    driver.set_window_size(1400, 1000)


def console_errors(driver: WebDriver) -> list[str]:
    """Browser errors (a CSP violation, a failed script); read once, then cleared.

    A page that answers 422 on purpose (a form with problems to fix) is not an error here."""
    deliberate = re.compile(r"status of 422 \(Unprocessable")
    return [
        e["message"]
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" and not deliberate.search(e["message"])
    ]


def check_accessibility(driver: WebDriver, page: str) -> None:
    if not AXE.exists():
        if os.environ.get("CI"):
            raise AssertionError("axe-core is missing: .ci/run runs `npm ci --prefix tests/e2e`")
        return  # a developer without npm still runs the rest; CI always runs axe
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target)})))))"
        ".catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));"
    )
    violations = json.loads(result)
    assert violations == [], f"{page}: {violations}"


def wait_for_file(folder: Path, suffix: str, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {sorted(p.name for p in folder.iterdir())}")


def test_review_a_docx_draft(server: str, browser: WebDriver, downloads: Path) -> None:
    browser.get(server + "/")
    assert "Review a tender draft" in browser.find_element(By.TAG_NAME, "h1").text
    shot(browser, "01-review-upload")
    check_accessibility(browser, "upload page")
    browser.find_element(By.ID, "file").send_keys(str(DOCX))
    assert browser.find_element(By.CSS_SELECTOR, "[data-chosen]").text == DOCX.name
    browser.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "h1.filename")))
    assert browser.find_element(By.CSS_SELECTOR, "h1.filename").text == DOCX.name

    marks = browser.find_elements(By.CSS_SELECTOR, ".doc-text a.hl-error")
    assert marks and any("Microsoft SQL Server 2022 Enterprise" in m.text for m in marks)
    shot(browser, "02-review-result", full=False)
    browser.execute_script("document.querySelector('.filters').scrollIntoView()")
    shot(browser, "02b-review-findings", full=False)
    browser.execute_script("window.scrollTo(0, 0)")
    shot(browser, "03-review-result-full")
    check_accessibility(browser, "review page")

    # A highlight leads to its explanation: message, legal basis, suggested wording.
    target = next(m for m in marks if "Microsoft SQL Server" in m.text)
    card_id = target.get_attribute("href").rsplit("#", 1)[1]
    target.click()
    card = browser.find_element(By.ID, card_id)
    assert card.is_displayed() and "Legal basis" in card.text and "Suggested wording" in card.text

    # Downloads: the annotated Word copy opens and carries the comments; the PDF report opens.
    browser.find_element(By.CSS_SELECTOR, "a[data-download=docx]").click()
    annotated = wait_for_file(downloads, ".reviewed.docx")
    import docx

    doc = docx.Document(str(annotated))
    assert any("SQL Server" in p.text for p in doc.paragraphs)
    with zipfile.ZipFile(annotated) as zf:
        assert "BRAND-PRODUCT" in zf.read("word/comments.xml").decode()
    browser.find_element(By.CSS_SELECTOR, "a[data-download=pdf]").click()
    report = wait_for_file(downloads, ".review.pdf")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(report)).pages)
    assert "BRAND-PRODUCT" in text or "Microsoft SQL Server" in text
    assert console_errors(browser) == []


def test_drop_a_markdown_draft_filter_and_waive(server: str, browser: WebDriver) -> None:
    browser.get(server + "/?lang=es")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    # Drop the file on the drop zone, as a person dragging it from their desktop.
    browser.execute_script(
        "const [name, text] = arguments; const dt = new DataTransfer();"
        "dt.items.add(new File([text], name, {type: 'text/markdown'}));"
        "const zone = document.querySelector('[data-dropzone]');"
        "zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true}));"
        "zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true}));",
        MD.name,
        MD.read_text(encoding="utf-8"),
    )
    assert browser.find_element(By.CSS_SELECTOR, "[data-chosen]").text == MD.name
    shot(browser, "04-upload-dropped-es", full=False)
    browser.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "h1.filename")))
    assert "Revisión de" in browser.page_source
    total = len(browser.find_elements(By.CSS_SELECTOR, "li.finding"))

    # Filter to brand names: htmx swaps the list in place.
    Select(browser.find_element(By.ID, "flt-category")).select_by_value("brand")
    wait(browser).until(lambda d: "category=brand" in d.current_url)
    wait(browser).until(lambda d: 0 < len(d.find_elements(By.CSS_SELECTOR, "li.finding")) < total)
    categories = {c.get_attribute("data-category") for c in browser.find_elements(By.CSS_SELECTOR, "li.finding")}
    assert categories == {"brand"}
    browser.get(browser.current_url.split("?", 1)[0])

    # Waive the first finding with a justification: the waiver-file entry appears.
    card = browser.find_element(By.CSS_SELECTOR, "li.finding")
    card.find_element(By.CSS_SELECTOR, "details.waive summary").click()
    card.find_element(By.CSS_SELECTOR, "textarea[name=justification]").send_keys(
        "Licencias vigentes hasta 2028; ver memorando 14/2026."
    )
    card.find_element(By.CSS_SELECTOR, "input[name=approved_by]").send_keys("Unidad jurídica")
    card.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    yaml_box = wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#waivers pre.yaml")))
    assert "justification: Licencias vigentes hasta 2028" in yaml_box.text
    shot(browser, "05-review-waiver-es")
    assert console_errors(browser) == []


def set_value(browser: WebDriver, name: str, value: str) -> None:
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def test_build_a_tender_with_an_error_then_correctly(server: str, browser: WebDriver, downloads: Path) -> None:
    browser.get(server + "/build?lang=en")
    Select(browser.find_element(By.ID, "example")).select_by_value("en-grants-platform")
    browser.find_element(By.CSS_SELECTOR, ".start-from button[type=submit]").click()
    wait(browser).until(lambda d: d.find_element(By.NAME, "reference").get_attribute("value") == "MSTI-ICT-2026-014")
    check_accessibility(browser, "build form")
    set_value(browser, "agency", "Ministry of Digital Services")
    set_value(browser, "award_criteria.0.weight", "25")  # the weights now sum to 90
    total = browser.find_element(By.CSS_SELECTOR, "[data-weight-total]")
    assert "90" in total.text
    browser.find_element(By.CSS_SELECTOR, ".sticky-actions button[value=check]").click()
    summary = wait(browser).until(ec.presence_of_element_located((By.ID, "error-summary")))
    assert "weights sum to 90, they must sum to 100" in summary.text
    error = browser.find_element(By.ID, "f-award_criteria-error")
    assert "weights sum to 90" in error.text
    shot(browser, "06-build-error")
    check_accessibility(browser, "build form with errors")

    set_value(browser, "award_criteria.0.weight", "35")
    browser.find_element(By.CSS_SELECTOR, ".sticky-actions button[value=check]").click()
    preview = wait(browser).until(ec.presence_of_element_located((By.ID, "preview")))
    assert "source-code-delivery" in preview.text
    shot(browser, "07-build-preview", full=False)
    preview.find_element(By.CSS_SELECTOR, "button[value=package]").click()
    package = wait_for_file(downloads, ".zip", timeout=30)
    with zipfile.ZipFile(package) as zf:
        import docx

        tor = docx.Document(io.BytesIO(zf.read("tender/terms_of_reference.docx")))
        assert any("Ministry of Digital Services" in p.text for p in tor.paragraphs)
        assert zf.read("tender/terms_of_reference.pdf").startswith(b"%PDF")
        assert "agency: Ministry of Digital Services" in zf.read("tender/spec.yaml").decode()
    assert console_errors(browser) == []


def test_clause_library_and_api_page(server: str, browser: WebDriver) -> None:
    browser.get(server + "/clauses?lang=fr")
    total = len(browser.find_elements(By.CSS_SELECTOR, "li.clause"))
    browser.find_element(By.ID, "q").send_keys("escrow")
    wait(browser).until(lambda d: 0 < len(d.find_elements(By.CSS_SELECTOR, "li.clause")) < total)
    browser.find_element(By.CSS_SELECTOR, "li.clause summary").click()
    shot(browser, "08-clauses-fr")
    check_accessibility(browser, "clause library")
    browser.get(server + "/api/docs?lang=en")
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock")))
    assert re.search(r"/api/lint", browser.page_source)
    shot(browser, "09-api-docs")
    assert console_errors(browser) == []


def test_long_review_shows_progress_and_cancels(
    server: str, browser: WebDriver, tmp_path_factory: pytest.TempPathFactory
) -> None:
    big = tmp_path_factory.mktemp("big") / "long-draft.txt"
    paragraph = "The platform shall run on Microsoft SharePoint Online with 300 named-user licences. " * 40
    big.write_text("\n\n".join([paragraph] * 2000), encoding="utf-8")  # several seconds of linting
    browser.get(server + "/?lang=en")
    browser.find_element(By.ID, "file").send_keys(str(big))
    browser.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    box = wait(browser).until(ec.presence_of_element_located((By.ID, "progress")))
    assert "long-draft.txt" in box.text
    current = wait(browser, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#progress .step-current")))
    assert current.text.endswith("Reading the document and looking for lock-in")
    shot(browser, "10-review-progress", full=False)
    browser.find_element(By.XPATH, "//button[normalize-space()='Cancel']").click()
    notice = wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".alert-info")))
    assert "cancelled" in notice.text
    assert console_errors(browser) == []
