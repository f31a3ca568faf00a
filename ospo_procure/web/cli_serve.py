"""`ospo-procure serve`: the web page for people who never open a terminal (docs/web.md)."""

from __future__ import annotations

import os
import secrets

import click

from ospo_procure.cli_common import handle_errors
from ospo_procure.errors import UsageError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (this computer only by default)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--auth",
    is_flag=True,
    help="Require a shared access token (from $OSPO_PROCURE_TOKEN, else a new one is printed).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="Host name the server answers to behind a reverse proxy (repeatable); others get 400.",
)
@click.option(
    "--root-path", default="", help="URL prefix when a reverse proxy serves the page under a sub-path, e.g. /tenders."
)
@click.option(
    "--workers", type=click.IntRange(1, 32), default=2, show_default=True, help="Reviews and builds run at once."
)
@handle_errors
def serve_cmd(host: str, port: int, auth: bool, allowed_hosts: tuple[str, ...], root_path: str, workers: int) -> None:
    """Start the web page: review drafts and build tenders in a browser."""
    try:
        import uvicorn

        from ospo_procure.web.app import create_app, engine_ready
        from ospo_procure.web.pages import Settings
    except ImportError as exc:  # the optional 'web' extra is missing
        raise UsageError(
            f"the web page needs the 'web' extra ({exc.name} is missing): pip install 'ospo-procure[web]'"
        ) from None
    engine_ready()  # a broken rule folder is one line and exit 2 (handle_errors)
    token = (os.environ.get("OSPO_PROCURE_TOKEN") or secrets.token_urlsafe(24)) if auth else None
    hosts = list(allowed_hosts)
    if not hosts and host in LOOPBACK:
        hosts = ["127.0.0.1", "localhost"]  # refuse other Host headers (DNS rebinding)
    app = create_app(Settings(token=token, workers=workers), allowed_hosts=hosts or None)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}{root_path}/"
    click.echo(f"ospo-procure web page: open {url} in your browser (Ctrl+C stops it)")
    if token is not None and not os.environ.get("OSPO_PROCURE_TOKEN"):
        click.echo(f"access token for your colleagues: {token}")
    if host not in LOOPBACK and token is None:
        click.echo(
            "warning: listening beyond this computer without --auth: anyone who can reach it can use it", err=True
        )
    uvicorn.run(app, host=host, port=port, root_path=root_path, log_level="warning", proxy_headers=True)
