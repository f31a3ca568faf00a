"""Error types. Every error the user can cause is one of these: every command prints
`str(err)` on one line and exits with `err.exit_code`, never a traceback
(`cli_common.handle_errors`)."""

from __future__ import annotations

from pathlib import Path

from ospo_procure.constants import ExitCode
from ospo_procure.termsafe import display_path, escape


class OspoError(Exception):
    """Base class: a clear, one-line, user-facing error."""

    exit_code: int = ExitCode.ERROR

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        # A file name that is not UTF-8 is shown as \xNN, so the line can always be printed.
        self.path = display_path(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        # One line, whatever a file name or a zip member name holds (termsafe.escape).
        return escape(where + self.message)


class InputError(OspoError):
    """A document that cannot be read (wrong format, corrupt, encrypted, too big...)."""


class LimitExceeded(InputError):
    """A document that exceeds a configured safety limit."""


class ReaderCrash(InputError):
    """A reader failed in a way it did not anticipate (a bug, reported per file).

    Kept as an InputError so one odd file never aborts a multi-file lint; a distinct
    class so tests (fuzzing) can tell a clean refusal from a reader bug.
    """


class DataError(OspoError):
    """Broken project data: a rule, lexicon, clause, template or tender spec."""


class UsageError(OspoError):
    """A command-line usage problem not caught by click itself."""
