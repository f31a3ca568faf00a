"""Outputs never replace what is not theirs; data files are read only from regular files; file
names and document text reach the terminal escaped; one bad file name never costs the report.

Limits these cases prove (docs/limits.md, "Outputs" and "Terminal"): an output is written only
onto a regular file or a new name; devices, FIFOs, sockets, folders, symbolic links (without
--follow-symlinks), inputs, and the waiver, rule and configuration files in use are refused
with one line and exit 2 before anything is linted; `-o -` is stdout. A FIFO or device named
as a data file is refused before it is opened. Every FIFO and device here is made in the
test's own folder: no real /dev file is ever written.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest
from builders import make_docx
from click.testing import CliRunner
from hostile_support import Snapshot, run_measured

from ospo_procure.cli import main
from ospo_procure.errors import DataError, UsageError
from ospo_procure.fsutil import atomic_write_bytes, check_output, read_regular
from ospo_procure.service import LintOptions, run_lint
from ospo_procure.termsafe import display_path, escape
from ospo_procure.yamlio import read_data_file

TEXT = "The database layer must run on Microsoft SQL Server 2019.\n\nAll offers priced per named user.\n"


@pytest.fixture
def tender(tmp_path: Path) -> Path:
    p = tmp_path / "tender.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def lint(*args: str, rules_dir: Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["lint", *args, "--rules", str(rules_dir), "--lang", "en"])


def assert_refused(res, words: str) -> None:  # type: ignore[no-untyped-def]
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("ospo-procure:")]
    assert len(lines) == 1 and words in lines[0], res.stderr
    assert "internal error" not in res.output and "Traceback" not in res.output


# ------------------------------------------------------------------ special files as outputs


def test_report_onto_a_fifo_is_refused(tender: Path, tmp_path: Path, rules_dir: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    res = lint(str(tender), "--format", "json", "-o", str(fifo), rules_dir=rules_dir)
    assert_refused(res, "is a FIFO (named pipe), not a regular file; refusing to replace it")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO: never renamed over


def test_report_onto_a_device_is_refused(tender: Path, tmp_path: Path, rules_dir: Path) -> None:
    """`-o /dev/null` as root used to turn /dev/null into a plain file. A scratch device node
    (the null device, made in the test folder) stands in for it."""
    dev = tmp_path / "null"
    try:
        os.mknod(dev, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("creating a device node needs CAP_MKNOD")
    res = lint(str(tender), "-o", str(dev), rules_dir=rules_dir)
    assert_refused(res, "is a device, not a regular file; refusing to replace it")
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


def test_report_onto_a_socket_or_folder_is_refused(tender: Path, tmp_path: Path, rules_dir: Path) -> None:
    sock_path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        assert_refused(lint(str(tender), "-o", str(sock_path), rules_dir=rules_dir), "is a socket")
    folder = tmp_path / "reports"
    folder.mkdir()
    assert_refused(
        lint(str(tender), "-o", str(folder), rules_dir=rules_dir), "is a folder; give the output a file name"
    )
    assert folder.is_dir() and not any(folder.iterdir())


def test_output_under_a_file_or_in_an_unwritable_folder_is_one_line(
    tender: Path, tmp_path: Path, rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker.txt"
    blocker.write_text("x")
    res = lint(str(tender), "-o", str(blocker / "report.json"), rules_dir=rules_dir)
    assert_refused(res, "a parent of this path is a file, not a folder")
    # Root writes anywhere, so the read-only folder is simulated where the temporary file is made.
    from ospo_procure import fsutil

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fsutil, "_create_temp", denied)
    res = lint(str(tender), "-o", str(tmp_path / "ro" / "report.json"), rules_dir=rules_dir)
    assert_refused(res, "cannot write here (Permission denied); choose a folder you can write to")


def test_symlink_output_needs_follow_symlinks(tender: Path, tmp_path: Path, rules_dir: Path) -> None:
    target = tmp_path / "real-report.txt"
    target.write_text("old")
    link = tmp_path / "report-link.txt"
    link.symlink_to(target)
    assert_refused(lint(str(tender), "-o", str(link), rules_dir=rules_dir), "is a symbolic link")
    assert link.is_symlink() and target.read_text() == "old"
    res = lint(str(tender), "-o", str(link), "--follow-symlinks", rules_dir=rules_dir)
    assert res.exit_code == 1
    assert link.is_symlink() and "T-BRAND" in target.read_text()  # written through, link kept


def test_symlink_to_a_device_is_refused_even_when_followed(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.json"
    link.symlink_to(fifo)
    with pytest.raises(UsageError, match="FIFO"):
        check_output(link, follow_symlinks=True)


def test_dash_means_stdout(tender: Path, tmp_path: Path, rules_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = lint(str(tender), "--format", "json", "-o", "-", rules_dir=rules_dir)
    # The report names the tender relative to the current folder, however it was given.
    assert res.exit_code == 1 and json.loads(res.stdout)["files"][0]["path"] == "tender.txt"
    assert not (tmp_path / "-").exists()
    html = lint(str(tender), "--format", "html", "-o", "-", rules_dir=rules_dir)
    assert html.stdout.startswith("<!DOCTYPE html>") and not (tmp_path / "-").exists()
    out = run_lint([tender], LintOptions(rules_dir=rules_dir, fmt="pdf", output=Path("-")))
    assert out.report is None and out.binary is not None and out.binary.startswith(b"%PDF-")
    pdf = CliRunner().invoke(main, ["lint", str(tender), "--rules", str(rules_dir), "--format", "pdf", "-o", "-"])
    assert pdf.stdout_bytes.startswith(b"%PDF-") and not (tmp_path / "-").exists()


# ------------------------------------------------------------------ files in use as outputs


def test_waiver_rule_and_config_files_in_use_are_never_outputs(
    tender: Path, tmp_path: Path, rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "legal").mkdir(parents=True)
    waivers = project / "legal" / "w.yaml"
    waivers.write_text(
        "waivers:\n  - rule: T-BRAND\n    justification: The registry interface needs it until 2028.\n"
        "    approved_by: Legal unit\n    approved_on: '2026-10-02'\n"
    )
    config = project / ".ospo-procure.toml"
    config.write_text('waivers = "legal/w.yaml"\n')
    rules = Path(shutil.copytree(rules_dir, tmp_path / "rules"))
    rule_file = next((rules / "rules").glob("*.yaml"))
    docx_tender = make_docx(tmp_path, ["It must run on Microsoft SQL Server."], name="t.docx")
    monkeypatch.chdir(project)
    snap = Snapshot([waivers, config, rule_file])
    cases = [
        (["-o", str(waivers)], "refusing to overwrite a waiver file in use"),
        (["--annotate", str(waivers)], "refusing to overwrite a waiver file in use"),
        (["-o", str(config)], "refusing to overwrite the configuration file in use"),
        (["-o", str(rule_file)], "refusing to overwrite a rule file in use"),
    ]
    for extra, words in cases:
        res = CliRunner().invoke(main, ["lint", str(docx_tender), "--rules", str(rules), "--lang", "en", *extra])
        assert_refused(res, words)
    explicit = tmp_path / "other-waivers.yaml"
    shutil.copy(waivers, explicit)
    res = CliRunner().invoke(
        main, ["lint", str(tender), "--rules", str(rules), "--waivers", str(explicit), "-o", str(explicit)]
    )
    assert_refused(res, "refusing to overwrite a waiver file in use")
    snap.assert_unchanged()


def test_outputs_are_checked_before_any_linting(tender: Path, tmp_path: Path, rules_dir: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="FIFO"):
        run_lint([tender], LintOptions(rules_dir=rules_dir, output=fifo))
    docx_tender = make_docx(tmp_path, ["Plain text."], name="t.docx")
    with pytest.raises(UsageError, match="FIFO"):
        run_lint([docx_tender], LintOptions(rules_dir=rules_dir, annotate=fifo))


def test_atomic_write_refuses_special_files_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="FIFO"):
        atomic_write_bytes(fifo, b"x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    new = atomic_write_bytes(tmp_path / "a" / "b" / "new.txt", b"fine")
    assert new.read_bytes() == b"fine"


# ------------------------------------------------------------------ special files as data files

_READ_DATA = """
import sys
from pathlib import Path
from ospo_procure.errors import OspoError
from ospo_procure.yamlio import read_data_file
try:
    read_data_file(Path(sys.argv[1] if len(sys.argv) > 1 else PATH))
except OspoError as exc:
    print("REFUSED", exc)
"""


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_fifo_or_device_as_a_data_file_is_refused_before_reading(tmp_path: Path, kind: str) -> None:
    """In a subprocess with a timeout: a regression that opens the FIFO blocks, and is killed."""
    path = tmp_path / "ospo-waivers.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # a scratch node of the zero device
        except (PermissionError, OSError):
            pytest.skip("creating a device node needs CAP_MKNOD")
    m = run_measured(f"PATH = {str(path)!r}\n" + _READ_DATA, timeout=30)
    expected = "a FIFO (named pipe)" if kind == "fifo" else "a device"
    assert f"is {expected}, not a regular file" in m.stdout, m.stdout + m.stderr


def test_data_files_are_read_with_a_byte_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(6 * 1024 * 1024)  # sparse: 6 MB on paper, nothing on disk
    with pytest.raises(DataError, match="larger than 5 MB"):
        read_data_file(big)
    assert read_regular(tmp_path / "big.yaml", 7 * 1024 * 1024)[:4] == b"\0\0\0\0"


def test_fifo_as_waiver_rule_or_spec_file_through_the_commands(tmp_path: Path, rules_dir: Path) -> None:
    tender = tmp_path / "t.txt"
    tender.write_text(TEXT)
    fifo = tmp_path / "w.yaml"
    os.mkfifo(fifo)
    rules = Path(shutil.copytree(rules_dir, tmp_path / "rules"))
    os.mkfifo(rules / "rules" / "zz-extra.yaml")
    spec = tmp_path / "spec.yaml"
    os.mkfifo(spec)
    code = f"""
import sys
from click.testing import CliRunner
from ospo_procure.cli import main
for args in (
    ["lint", {str(tender)!r}, "--waivers", {str(fifo)!r}, "--rules", {str(rules_dir)!r}],
    ["lint", {str(tender)!r}, "--rules", {str(rules)!r}],
    ["build", {str(spec)!r}, "-o", {str(tmp_path / "out")!r}],
):
    res = CliRunner().invoke(main, args)
    print("EXIT", res.exit_code, res.stderr.strip().splitlines()[-1])
"""
    m = run_measured(code, timeout=60)
    lines = [ln for ln in m.stdout.splitlines() if ln.startswith("EXIT")]
    assert len(lines) == 3, m.stdout + m.stderr
    assert all(ln.startswith("EXIT 2 ") and "FIFO (named pipe), not a regular file" in ln for ln in lines), lines


# ------------------------------------------------------------------ file names and terminal text


def test_escape_shows_controls_bidi_and_escape_sequences() -> None:
    hostile = "a\x1b[2J\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07\u202etxt.exe\nforged\r\x9b\u2066b\ttab"
    shown = escape(hostile)
    assert shown == ("a\\x1b[2J\\x1b]0;title\\x07\\x1b]52;c;ZXZpbA==\\x07\\u202etxt.exe\\nforged\\r\\x9b\\u2066b\ttab")
    assert escape("Licitación – «plataforma» ñandú 日本") == "Licitación – «plataforma» ñandú 日本"
    assert display_path(os.fsdecode(b"bad\xff\xfename.txt")) == "bad\\xff\\xfename.txt"


def test_text_report_escapes_document_text_and_file_names(tmp_path: Path, rules_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    nasty = folder / "evil\n\x1b[31mname.txt"
    nasty.write_text(
        "The database layer must run on Microsoft SQL Server \x1b]52;c;ZXZpbA==\x07 now\u202e.\n", encoding="utf-8"
    )
    for out in (
        run_lint([folder], LintOptions(rules_dir=rules_dir, language="en")).report,
        lint(str(folder), rules_dir=rules_dir).stdout,  # a pipe: escaped just the same
    ):
        assert isinstance(out, str)
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
        assert "evil\\n\\x1b[31mname.txt" in out and "\\x1b]52;c;ZXZpbA==\\x07" in out and "\\u202e" in out
        finding_lines = [ln for ln in out.splitlines() if " error T-BRAND " in ln]
        assert len(finding_lines) == 1 and finding_lines[0].startswith(str(folder) + "/evil\\n")


def test_error_lines_on_stderr_are_escaped(tmp_path: Path, rules_dir: Path) -> None:
    nasty = tmp_path / "x\x1b]0;owned\x07.txt"
    nasty.write_text(TEXT)
    res = lint(str(nasty), "-o", str(nasty), rules_dir=rules_dir)
    assert res.exit_code == 2 and "\x1b" not in res.stderr and "\\x1b]0;owned\\x07" in res.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "html", "junit", "pdf"])
def test_a_file_name_that_is_not_utf8_keeps_the_whole_report(tmp_path: Path, rules_dir: Path, fmt: str) -> None:
    folder = tmp_path / "tenders"
    folder.mkdir()
    bad = os.fsdecode(os.fsencode(str(folder)) + b"/pliego-\xe9\xff.txt")
    try:
        Path(bad).write_text(TEXT, encoding="utf-8")
    except (UnicodeEncodeError, OSError):
        pytest.skip("this filesystem refuses non-UTF-8 names")
    (folder / "good.txt").write_text("The supplier shall deliver open standards.\n", encoding="utf-8")
    report = tmp_path / f"report.{fmt}"
    out = run_lint([folder], LintOptions(rules_dir=rules_dir, fmt=fmt, output=report, language="en"))
    assert out.exit_code == 1  # the bad-named file was read and linted, not lost
    data = report.read_bytes()
    if fmt != "pdf":
        text = data.decode("utf-8")  # every text format stays valid UTF-8
        assert "good.txt" in text
        assert "pliego-\\xe9\\xff.txt" in text.replace("\\\\", "\\").replace("%5C", "\\")
    assert sorted(r.path.rsplit("/", 1)[-1] for r in out.results) == ["good.txt", "pliego-\\xe9\\xff.txt"]
