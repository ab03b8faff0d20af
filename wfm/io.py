"""Reading and writing contract frames: CSV or Parquet by file extension, writes atomic."""

from __future__ import annotations

import errno
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from wfm.config import Config
from wfm.contracts import (
    RowNamer,
    csv_lines,
    frame_rows,
    validate_agents,
    validate_history,
    validate_requirements,
)
from wfm.errors import DataError, Problem

_FORMATS = (".csv", ".parquet", ".pq")


def _file_error(path: str | Path, problem: str) -> DataError:
    return DataError(Problem(str(path), "", "", problem))


def read_table(path: str | Path) -> tuple[pd.DataFrame, RowNamer]:
    """Read a CSV or Parquet file as raw strings/values, and how to name its rows in messages."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise _file_error(path, f"unsupported file type {suffix or '(none)'!r}; use .csv or .parquet")
    if not path.exists():
        raise _file_error(path, "file not found; check the path")
    if path.stat().st_size == 0:
        raise _file_error(path, "the file is empty; it needs a header row and one row per channel and interval")
    try:
        if suffix == ".csv":
            with warnings.catch_warnings():
                # index_col=False: a row with more fields than the header must not shift the columns.
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True,
                                    index_col=False)
            return frame, csv_lines
        return pd.read_parquet(path), frame_rows
    except pd.errors.ParserWarning:
        raise _file_error(path, "some rows have more fields than the header; remove the extra values or name "
                          "their columns in the header") from None
    except pd.errors.EmptyDataError:
        raise _file_error(path, "the file is empty; it needs a header row and data rows") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _file_error(path, f"cannot be read as {suffix[1:].upper()}: {first}") from None


def read_history(path: str | Path, config: Config | None = None, *, interval_minutes: int | None = None,
                 max_problems: int = 1) -> pd.DataFrame:
    """Read a history file (CSV or Parquet) into the validated history contract.

    Naive timestamps are read in the config's timezone; channels must be the config's. Without a config,
    ``interval_minutes`` is required and timestamps must carry their UTC offset.

    Raises
    ------
    DataError
        Naming the file, line, field and the fix; with ``max_problems`` > 1 it lists up to that many
        problems in ``problems`` (see :func:`wfm.contracts.validate_history`).
    """
    frame, rows = read_table(path)
    minutes = interval_minutes or (config.interval_minutes if config else None)
    if minutes is None:
        raise _file_error(path, "the interval length is unknown; pass --interval-minutes or a config")
    return validate_history(frame, source=str(path), interval_minutes=minutes,
                            timezone=config.timezone if config else None,
                            channels=list(config.channels) if config else None, rows=rows,
                            max_problems=max_problems)


def read_requirements(path: str | Path, config: Config) -> pd.DataFrame:
    """Read a requirements file (CSV or Parquet) for the scheduler, validated against the config."""
    frame, rows = read_table(path)
    return validate_requirements(frame, source=str(path), interval_minutes=config.interval_minutes,
                                 timezone=config.timezone, channels=list(config.channels), rows=rows)


def read_agents(path: str | Path, config: Config) -> pd.DataFrame:
    """Read and validate an agents file (CSV or Parquet; format in :mod:`wfm.contracts`) against the config.

    Raises
    ------
    DataError
        Naming the file, line, field and the fix.
    """
    frame, rows = read_table(path)
    return validate_agents(frame, source=str(path), groups=list(config.groups), rows=rows)


def write_error(path: str | Path, exc: OSError) -> DataError:
    """A one-line DataError for a file or folder that cannot be written, naming it and the fix."""
    fixes = {errno.ENOTDIR: "a part of the path is a file, not a folder; choose another path",
             errno.EEXIST: "a file of that name is in the way; choose a folder path",
             errno.EISDIR: "it is a folder; give a file name",
             errno.ENAMETOOLONG: "the name is too long; use a shorter one",
             errno.EACCES: "permission denied; choose a writable folder",
             errno.EPERM: "permission denied; choose a writable folder",
             errno.EROFS: "the file system is read-only; choose a writable folder",
             errno.ENOSPC: "the disk is full; free some space or choose another folder"}
    fix = fixes.get(exc.errno or 0, f"{exc.strerror or type(exc).__name__}; choose a writable path")
    return _file_error(path, f"cannot write: {fix}")


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Write a file through a temporary sibling renamed into place, so readers never see half a file.

    Raises
    ------
    DataError
        When the file or its folder cannot be written (naming the path and the fix).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The temporary name is cut short, so a file name near the system's limit still gets one.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:64]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp creates the file private (0600); give it the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a frame as CSV or Parquet (by extension), atomically. Timestamps keep their UTC offset.

    Raises
    ------
    DataError
        An unsupported extension, or a path that cannot be written (naming it and the fix).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise _file_error(path, f"unsupported output type {suffix or '(none)'!r}; use .csv or .parquet")
    if suffix == ".csv":
        return atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, date_format="%Y-%m-%dT%H:%M:%S%z"))
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))
