"""The scan's progress bar: files done, files per second and time left, on a terminal only.

Piped or redirected (CI logs, `> log.txt`), nothing is drawn: a log of carriage returns
helps no one, and the summary line says what happened.
"""

from __future__ import annotations

from typing import Any

from ospo_procure.portfolio.scan import Progress
from ospo_procure.portfolio.strings import text


class RichProgress(Progress):
    def __init__(self, console: Any) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import (
            Progress as _Bar,
        )
        from rich.text import Text

        class _Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text(text("progress_rate", rate=f"{speed:.1f}") if speed else "", style="progress.data.speed")

        self._bar = _Bar(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: Any = None

    def start(self, total: int) -> None:
        if total:
            self._bar.start()
            self._task = self._bar.add_task(text("progress_label"), total=total)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)

    def stop(self) -> None:
        if self._task is not None:
            self._bar.stop()
            self._task = None


def terminal_progress() -> Progress:
    """A rich bar on stderr when it is a terminal, else a silent Progress."""
    from rich.console import Console

    console = Console(stderr=True)
    return RichProgress(console) if console.is_terminal else Progress()
