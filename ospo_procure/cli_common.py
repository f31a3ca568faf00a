"""What every command shares: the one error policy and the common options.

`handle_errors` wraps every command body, in `cli.py` and `cli_tender.py` alike:
  * a user-caused error (`OspoError`) is one line on stderr and its exit status (2);
  * a bug is one line asking for a report and exit status 3, never a traceback
    (`OSPO_PROCURE_DEBUG=1` re-raises it to show one);
  * Ctrl-C is exit status 130; a reader that closed the pipe (`| head`) ends quietly.
The body returns its exit status (None means 0).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ospo_procure.constants import LANGUAGES, ExitCode
from ospo_procure.errors import OspoError

PROG = "ospo-procure"
F = TypeVar("F", bound=Callable[..., Any])


def error_status(exc: BaseException) -> tuple[int, str | None]:
    """(exit status, one-line message or None) for an exception escaping a command."""
    if isinstance(exc, OspoError):
        return exc.exit_code, str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED, "interrupted"
    if isinstance(exc, BrokenPipeError):
        return ExitCode.OK, None  # the reader stopped listening (`| head`): not an error
    if isinstance(exc, MemoryError):
        return ExitCode.ERROR, "out of memory; lower the --max-* limits or lint fewer files at once"
    return ExitCode.INTERNAL, f"internal error ({type(exc).__name__}: {exc}); please report it"


def handle_errors(fn: F) -> F:
    """Run a command body under the error policy above and exit with its status."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = fn(*args, **kwargs) or ExitCode.OK
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own usage errors and exits keep click's handling
        except (Exception, KeyboardInterrupt) as exc:
            if os.environ.get("OSPO_PROCURE_DEBUG") and not isinstance(exc, (OspoError, KeyboardInterrupt)):
                raise
            code, message = error_status(exc)
            if isinstance(exc, BrokenPipeError):
                _silence_stdout()
            elif message is not None:
                click.echo(f"{PROG}: {message}", err=True)
        sys.exit(int(code))

    return wrapper  # type: ignore[return-value]


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (e.g. under a test runner)
        pass


def lang_option(*names: str, **kwargs: Any) -> Callable[[F], F]:
    """A --lang option whose choices are the supported languages."""
    return click.option(*(names or ("--lang",)), type=click.Choice(LANGUAGES), **kwargs)


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows of a listing as lines whose columns line up however long a value is (an OSPO's
    own rule or clause ids may be longer than ours); the last column is left as it is."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [" ".join([*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]]) for row in rows]
