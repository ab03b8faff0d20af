"""The one exception tree of wfm.

Everything a user can cause raises a subclass of :class:`WfmError`, with a message that names the
source (file, row, field or config key) and the fix::

    WfmError
    ├── ConfigError       bad or contradictory configuration (key path in the message)
    ├── DataError         bad input data (file, line and field in the message; ``problems`` lists them)
    ├── InputError        a number given to a function or option is out of range (also a ValueError)
    ├── InfeasibleError   rules that cannot be met together (which rule in the message)
    ├── SolverError       the LP/MIP solver failed or returned no solution
    └── StoreError        the run and scenario store cannot be read or written

    WfmWarning            (a UserWarning) the input is accepted but the plan may not be what was meant

Every message is one line: control characters in it (a newline in a channel name) are escaped, so the command
line prints each error or warning as one ``wfm: error: ...`` / ``wfm: warning: ...`` line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with control characters (newlines, tabs, NUL, ...) escaped as in a Python literal: one line."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


class WfmError(Exception):
    """Base class of every error a user of wfm can cause; its message is one line (see :func:`one_line`)."""

    #: Process exit code used by the command line for this kind of error.
    exit_code: int = 1

    def __init__(self, *args: object) -> None:
        super().__init__(*(one_line(arg) if isinstance(arg, str) else arg for arg in args))


class WfmWarning(UserWarning):
    """The input is accepted but may not give the plan that was meant (a configured channel with no history).

    Issued with :func:`warnings.warn`; the command line prints each as one ``wfm: warning: ...`` line, and the
    dashboard can collect them with :func:`warnings.catch_warnings`.
    """


class ConfigError(WfmError):
    """The configuration is invalid; the message names the key path and the fix."""


@dataclass(frozen=True)
class Problem:
    """One problem of an input: where it is, what is wrong and how to fix it.

    ``row`` is ``"line 12"`` for CSV files, ``"row 12"`` for other sources, or ``""`` for a problem of the
    whole input (a missing column); ``field`` is the column, or ``""``.
    """

    source: str
    row: str
    field: str
    problem: str

    def __post_init__(self) -> None:
        for name in ("source", "row", "field", "problem"):
            object.__setattr__(self, name, one_line(str(getattr(self, name))))

    def __str__(self) -> str:
        return ": ".join(part for part in (self.source, self.row, self.field, self.problem) if part)


class DataError(WfmError):
    """Input data is invalid; the message names the file, line, field and the fix.

    ``problems`` holds every problem found (at least one when the error came from validation; a validation
    that collects problems lists up to its limit), the first of which is the message.
    """

    def __init__(self, message: str | Problem, problems: Sequence[Problem] = ()) -> None:
        if isinstance(message, Problem):
            problems = problems or (message,)
        super().__init__(str(message))
        self.problems: tuple[Problem, ...] = tuple(problems)


class InputError(WfmError, ValueError):
    """A value passed to a function (or a command-line option) is out of range.

    ``field`` names the argument, e.g. ``aht_seconds``; the message is ``"aht_seconds must be > 0, got -3"``.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}")
        self.field = field
        self.problem = problem


class InfeasibleError(WfmError):
    """The rules contradict each other; the message names the rule."""

    exit_code = 3


class SolverError(WfmError):
    """The solver failed, or stopped without any feasible solution."""

    exit_code = 3


class StoreError(WfmError):
    """The run and scenario store could not be read or written."""
