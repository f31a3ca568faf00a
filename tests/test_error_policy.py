"""One error policy for every command: a user error is one line and exit 2, a bug is one
line and exit 3 (never a traceback), a closed pipe ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.cli_common import handle_errors
from ospo_procure.constants import ExitCode
from ospo_procure.errors import DataError


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out += all_commands(cmd, f"{prefix}{name} ")
        else:
            out.append((prefix + name, cmd))
    return out


def test_every_command_runs_under_the_error_policy() -> None:
    commands = all_commands(main)
    assert {"lint", "build", "init", "rules list", "clauses validate"} <= {name for name, _ in commands}
    wrapper_code = handle_errors(lambda: None).__code__  # every wrapped body runs this code
    for name, cmd in commands:
        assert cmd.callback is not None and cmd.callback.__code__ is wrapper_code, name


def _boom(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["lint", "x.txt"], "ospo_procure.service.run_lint"),
        (["build", "spec.yaml", "-o", "out"], "ospo_procure.tender.build_tender"),
        (["init", "-o", "spec.yaml"], "ospo_procure.tender.starter.write_starter"),
        (["clauses", "list"], "ospo_procure.cli_tender._library"),
        (["clauses", "validate"], "ospo_procure.tender.validation.validate_library"),
        (["rules", "check"], "ospo_procure.rules.load_ruleset"),
    ],
)
def test_a_bug_is_one_line_and_exit_3(
    args: list[str], target: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OSPO_PROCURE_DEBUG", raising=False)
    monkeypatch.setattr(target, _boom)
    res = CliRunner().invoke(main, args)
    assert res.exit_code == ExitCode.INTERNAL, res.output
    assert res.stderr == "ospo-procure: internal error (RuntimeError: boom); please report it\n"
    assert "Traceback" not in res.output


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["build", "spec.yaml", "-o", "out"], "ospo_procure.tender.build_tender"),
        (["clauses", "list"], "ospo_procure.cli_tender._library"),
        (["rules", "list"], "ospo_procure.rules.load_ruleset"),
    ],
)
def test_a_user_error_is_one_line_and_exit_2(
    args: list[str], target: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)

    def bad_data(*_args: object, **_kwargs: object) -> None:
        raise DataError("broken clause", path="lib/x.yaml", line=3)

    monkeypatch.setattr(target, bad_data)
    res = CliRunner().invoke(main, args)
    assert res.exit_code == ExitCode.ERROR
    assert res.stderr == "ospo-procure: lib/x.yaml:3: broken clause\n"


def test_debug_variable_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSPO_PROCURE_DEBUG", "1")
    monkeypatch.setattr("ospo_procure.rules.load_ruleset", _boom)
    res = CliRunner().invoke(main, ["rules", "check"])
    assert isinstance(res.exception, RuntimeError)


def test_closed_pipe_ends_quietly() -> None:
    """`ospo-procure rules list | head -1`: the reader goes away; no 'internal error', status 0."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "ospo_procure", "rules", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(40)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    # Nothing but the line that names the rules in use (`rules` commands say it on stderr).
    assert first and all(line.startswith("lint rules: ") for line in err.splitlines()), err


def test_a_reader_gone_before_the_report_ends_the_lint_quietly() -> None:
    """`ospo-procure lint ... | head` where head has already exited: the report's write meets a
    pipe with no reader (EPIPE whatever the pipe's size), and lint ends quietly with status 0
    although the tender has findings (nobody is left to act on them)."""
    root = Path(__file__).resolve().parents[1]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before lint writes a byte
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "ospo_procure", "lint", "examples/tenders/pliego_gestion_documental.md"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=root,
            timeout=120,
        )
    finally:
        os.close(write_end)
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "error" not in err.lower() and "Traceback" not in err, err


def test_ctrl_c_is_status_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("ospo_procure.tender.starter.write_starter", interrupt)
    res = CliRunner().invoke(main, ["init", "-o", "x.yaml"])
    assert res.exit_code == ExitCode.INTERRUPTED and res.stderr == "ospo-procure: interrupted\n"
