"""The one exception tree of wfm.

Everything a user can cause raises a subclass of :class:`WfmError`, with a message that names the
source (file, row, field or config key) and the fix::

    WfmError
    ├── ConfigError       bad or contradictory configuration (key path in the message)
    ├── DataError         bad input data (file, line and field in the message)
    ├── InfeasibleError   rules that cannot be met together (which rule in the message)
    ├── SolverError       the LP/MIP solver failed or returned no solution
    └── StoreError        the run and scenario store cannot be read or written
"""

from __future__ import annotations


class WfmError(Exception):
    """Base class of every error a user of wfm can cause."""

    #: Process exit code used by the command line for this kind of error.
    exit_code: int = 1


class ConfigError(WfmError):
    """The configuration is invalid; the message names the key path and the fix."""


class DataError(WfmError):
    """Input data is invalid; the message names the file, line, field and the fix."""


class InfeasibleError(WfmError):
    """The rules contradict each other; the message names the rule."""

    exit_code = 3


class SolverError(WfmError):
    """The solver failed, or stopped without any feasible solution."""

    exit_code = 3


class StoreError(WfmError):
    """The run and scenario store could not be read or written."""
