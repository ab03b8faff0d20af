"""The ``wfm`` command line: a few lines per command over the library.

Exit codes: 0 ok, 1 input or config error, 2 usage error, 3 coverage could not be met (infeasible rules
or no solution from the solver).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from wfm.errors import WfmError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="wfm")
def cli() -> None:
    """wfm: forecast contacts, size staff with Erlang, schedule shifts, export the week."""


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``wfm`` console script: one-line errors, documented exit codes, no tracebacks."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="wfm", standalone_mode=False)
    except WfmError as exc:
        click.echo(f"wfm: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"wfm: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("wfm: aborted", err=True)
        sys.exit(130)


# Commands register themselves on `cli` when imported.
from wfm.cli import erlang as _erlang  # noqa: E402,F401
from wfm.cli import forecast as _forecast  # noqa: E402,F401
from wfm.cli import plan as _plan  # noqa: E402,F401
from wfm.cli import scenario as _scenario  # noqa: E402,F401
from wfm.cli import schedule as _schedule  # noqa: E402,F401
