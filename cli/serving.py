"""The web desk's command: ``serve``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from twinning.cli.common import LangOpt, check_lang, err_console, guarded, speak
from twinning.errors import UsageError
from twinning.messages import say


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the application."""
    app.command(
        epilog=(
            "The planners' web desk and its HTTP API (POST/GET/DELETE /api/jobs, "
            "/api/jobs/ID/files/NAME, /api/jobs/ID/adopt, /api/health; README, The web desk). "
            "Binds to 127.0.0.1; any other --host needs --token, and every request then "
            "carries Authorization: Bearer TOKEN. Jobs, uploads and plans are kept in --data "
            "and survive a restart. Exit codes: 0 stopped; 2 bad usage; 3 a defect of twinning."
        )
    )(serve)


@guarded
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
    data: Annotated[
        Path, typer.Option(help="Folder for uploads, jobs and plans (created).")
    ] = Path("twinning-desk"),
    registry: Annotated[
        str | None,
        typer.Option(help="Registry for adoptions (default: DATA/registry.db)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Solves at a time (default: the number of cores).", min=1)
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            help="Token every request must carry (Authorization: Bearer TOKEN); needed "
            "for any --host other than the loopback. Default: $TWINNING_TOKEN.",
        ),
    ] = None,
    max_upload: Annotated[int, typer.Option(help="Largest upload, in MB.", min=1, max=2048)] = 50,
    mask_names: Annotated[
        bool, typer.Option("--mask-names", help="Pseudonyms for staff names in every file.")
    ] = False,
    lang: LangOpt = None,
) -> None:
    """The planners' web desk and its HTTP API."""
    import uvicorn

    from twinning.serve.app import Config, create_app
    from twinning.serve.security import check_bind

    check_lang(lang)
    said = speak(lang or "zh")
    token = token or os.environ.get("TWINNING_TOKEN") or None
    check_bind(host, token)
    if data.exists() and not data.is_dir():
        raise UsageError.of("serve.usage.data_file", data=str(data))
    config = Config(
        data=data.resolve(),
        registry=registry,
        workers=workers or os.cpu_count() or 1,
        token=token,
        upload_limit=max_upload * 1024 * 1024,
        mask_names=mask_names,
    )
    app = create_app(config)
    shown = f"[{host}]" if ":" in host else host
    line = say(
        "serve.listening",
        said,
        url=f"http://{shown}:{port}/",
        data=str(config.data),
        registry=config.registry_url,
        workers=config.workers,
    )
    err_console.print(line, markup=False, soft_wrap=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
