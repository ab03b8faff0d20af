"""The ``wfm`` command line: a few lines per command over the library.

Exit codes: 0 ok, 1 input or config error, 2 usage error, 3 coverage could not be met (infeasible rules
or no solution from the solver; or, from ``wfm schedule`` and ``wfm plan``, exported but short). Errors print
as one ``wfm: error: ...`` line on stderr, and warnings the library issues (:class:`~wfm.errors.WfmWarning`)
as one ``wfm: warning: ...`` line each.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

import click

from wfm.errors import WfmError, WfmWarning, one_line


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="wfm")
def cli() -> None:
    """wfm: forecast contacts, size staff with Erlang, schedule shifts, export the week."""


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``wfm`` console script: one-line errors, documented exit codes, no tracebacks."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", WfmWarning)
            warnings.showwarning = _show_warning
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


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: TextIO | None = None, line: str | None = None) -> None:
    """Print a wfm warning as one line; other warnings (a dependency's) keep Python's format."""
    if issubclass(category, WfmWarning):
        click.echo(f"wfm: warning: {one_line(str(message))}", err=True)
    else:
        (file or sys.stderr).write(warnings.formatwarning(message, category, filename, lineno, line))


# Commands register themselves on `cli` when imported.
from wfm.cli import accuracy as _accuracy  # noqa: E402,F401
from wfm.cli import capacity as _capacity  # noqa: E402,F401
from wfm.cli import erlang as _erlang  # noqa: E402,F401
from wfm.cli import forecast as _forecast  # noqa: E402,F401
from wfm.cli import plan as _plan  # noqa: E402,F401
from wfm.cli import scenario as _scenario  # noqa: E402,F401
from wfm.cli import schedule as _schedule  # noqa: E402,F401
