"""Reading and writing contract frames: CSV or Parquet by file extension, writes atomic."""

from __future__ import annotations

import csv
import errno
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Literal, TextIO

import numpy as np
import pandas as pd

from wfm.config import Config
from wfm.contracts import (
    RowNamer,
    frame_rows,
    validate_agents,
    validate_history,
    validate_requirements,
)
from wfm.errors import DataError, Problem

#: File types read and written by extension.
FRAME_FORMATS = (".csv", ".parquet", ".pq")


def _file_error(path: str | Path, problem: str) -> DataError:
    return DataError(Problem(str(path), "", "", problem))


def read_table(path: str | Path) -> tuple[pd.DataFrame, RowNamer]:
    """Read a CSV or Parquet file as raw strings/values, and how to name its rows in messages.

    CSV rows are named by the physical line they start on (blank lines, and quoted values running over
    several lines, count), Parquet rows by their 1-based row number.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FRAME_FORMATS:
        raise _file_error(path, f"unsupported file type {suffix or '(none)'!r}; use .csv or .parquet")
    if not path.exists():
        raise _file_error(path, "file not found; check the path")
    if path.is_dir():
        raise _file_error(path, "is a folder, not a file; pass the path of a .csv or .parquet file")
    if path.stat().st_size == 0:
        raise _file_error(path, "the file is empty; it needs a header row and one row per channel and interval")
    if suffix == ".csv":
        return _read_csv(path)
    try:
        return pd.read_parquet(path), frame_rows
    except (OSError, ValueError, TypeError) as exc:
        raise _file_error(path, f"cannot be read as PARQUET: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _read_csv(path: Path) -> tuple[pd.DataFrame, RowNamer]:
    try:
        with warnings.catch_warnings():
            # index_col=False: a row with more fields than the header must not shift the columns.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True,
                                index_col=False)
    except UnicodeDecodeError:
        raise _encoding_error(path) from None
    except pd.errors.ParserWarning:
        raise _layout_error(path) from None
    except pd.errors.EmptyDataError:
        raise _file_error(path, "the file is empty; it needs a header row and data rows") from None
    except pd.errors.ParserError as exc:
        raise _layout_error(path, exc) from None
    except (OSError, ValueError) as exc:
        raise _file_error(path, f"cannot be read as CSV: {_first_line(exc)}") from None
    return frame, CsvLines(path, len(frame))


class CsvLines:
    """Names the data rows of a CSV file by the physical line each starts on, as ``line 12``.

    The lines are found when first asked (only when there is a problem to report), with the csv module,
    which splits records as pandas does: blank lines are skipped but counted, and a quoted value holding a
    newline makes its record span several lines. Should the two ever disagree on the number of rows, rows
    are named ``data row N`` (N counted after the header) rather than by a line that may be wrong.
    """

    def __init__(self, path: Path, rows: int) -> None:
        self.path, self.rows = path, rows
        self._lines: Sequence[int] | None = None

    def __call__(self, position: int) -> str:
        if self._lines is None:
            data = _data_lines(self.path)
            self._lines = data if len(data) == self.rows else []
        if 0 <= position < len(self._lines):
            return f"line {self._lines[position]}"
        return f"data row {position + 1}"


_BLANK_AFTER = re.compile(rb"\n(?=[ \t\r]*(?:\n|\Z))")


def _data_lines(path: Path) -> Sequence[int]:
    """The first physical line of each data record of a CSV file (blank lines skipped, as pandas does).

    Plain files (no quotes, no lone carriage returns) are counted with numpy in a second or two even for
    hundreds of megabytes; others are split by the csv module.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if b'"' in data or re.search(rb"\r(?!\n)", data):
        return [line for line, _, blank in _csv_records(path)[1:] if not blank]
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    count = len(ends) + (0 if data.endswith(b"\n") else 1)
    keep = np.ones(count + 2, dtype=bool)
    keep[0] = False
    if not data[:data.find(b"\n") if b"\n" in data else len(data)].strip(b" \t\r"):
        keep[1] = False
    after = np.fromiter((match.start() for match in _BLANK_AFTER.finditer(data)), dtype=np.int64)
    keep[np.searchsorted(ends, after, side="right") + 1] = False
    return (np.flatnonzero(keep[:count + 1]))[1:].tolist()  # after the header


def _csv_records(path: Path) -> list[tuple[int, list[str], bool]]:
    """Every record of a CSV file from its header on: (first physical line, fields, blank); [] if unreadable.

    Leading blank lines (skipped by pandas before the header) are dropped.
    """
    records: list[tuple[int, list[str], bool]] = []
    last = ""

    def lines(handle: TextIO) -> Iterator[str]:
        nonlocal last
        for line in handle:
            last = line
            yield line

    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(lines(handle), skipinitialspace=True)
            start = 1
            for fields in reader:
                blank = reader.line_num == start and not last.strip(" \t\r\n")
                if records or not blank:
                    records.append((start, fields, blank))
                start = reader.line_num + 1
    except (csv.Error, OSError):
        return []
    return records


def _layout_error(path: Path, exc: pd.errors.ParserError | None = None) -> DataError:
    """The first record pandas cannot fit under the header, named by its line, and a likely cause."""
    records = _csv_records(path)
    if records and exc is not None and "EOF inside string" in str(exc):
        line = records[-1][0]
        return DataError(Problem(str(path), f"line {line}", "", 'a quoted value is never closed (an unmatched " '
                                 'character); close the quote or remove it'))
    header = records[0][1] if records else []
    extra = [(line, fields) for line, fields, blank in records[1:] if not blank and len(fields) > len(header)]
    if not extra:
        detail = f": {_first_line(exc)}" if exc is not None else ""
        return _file_error(path, f"cannot be read as CSV{detail}")
    line, fields = next(((line, fields) for line, fields in extra if any(f.strip() for f in fields[len(header):])),
                        extra[0])
    problem = (f"some rows have more fields than the header: this row has {len(fields)}, the header (line "
               f"{records[0][0]}) {len(header)}")
    first = ",".join(header)
    if first.lstrip().startswith(("#", "//", ";")) or len(header) == 1:
        problem += (f"; line {records[0][0]} ({first[:40]!r}) looks like a comment or title above the header: "
                    "delete it so the column names are the first line")
    else:
        problem += "; remove the extra values or name their columns in the header"
    return DataError(Problem(str(path), f"line {line}", "", problem))


def _encoding_error(path: Path) -> DataError:
    """A file that is not UTF-8: the line of the first byte that does not decode, and how to save it."""
    data = path.read_bytes()
    fix = "save the file as UTF-8 (in Excel: Save As > CSV UTF-8)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _file_error(path, f"the file is UTF-16 text, not UTF-8; {fix}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = max(data.rfind(b"\n", 0, exc.start), data.rfind(b"\r", 0, exc.start)) + 1
        line = data.count(b"\n", 0, exc.start) + 1 if b"\n" in data else data.count(b"\r", 0, exc.start) + 1
        byte = data[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        return DataError(Problem(str(path), f"line {line}", "", (
            f"not UTF-8 text: byte 0x{byte:02x} at byte {exc.start - line_start + 1} of the line ({guess!r} in "
            f"Windows-1252/Latin-1); {fix}")))
    return _file_error(path, f"cannot be decoded as UTF-8; {fix}")


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
    if suffix not in FRAME_FORMATS:
        raise _file_error(path, f"unsupported output type {suffix or '(none)'!r}; use .csv or .parquet")
    if suffix == ".csv":
        frame = safe_cells(frame, "csv")
        return atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, date_format="%Y-%m-%dT%H:%M:%S%z"))
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))


#: First characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What replaces a character a file format cannot hold.
REPLACEMENT = "\ufffd"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# XLSX (XML 1.0) cannot hold C0 control characters other than tab, line feed and carriage return
# (openpyxl raises IllegalCharacterError); a CSV holds anything but NUL, which many readers stop at.
_UNHOLDABLE = {"xlsx": re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]"), "csv": re.compile(r"\x00")}


def safe_text(text: str, file_format: Literal["csv", "xlsx"] = "csv") -> str:
    """Text made safe for a spreadsheet cell of ``file_format``.

    Characters the format cannot hold become U+FFFD (visibly); text a spreadsheet would run as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading single quote, as OWASP's
    CSV-injection guidance says. Text that is a plain number (``-5``, ``+1.5e3``) stays as it is.

    >>> safe_text("=1+1"), safe_text("-5"), safe_text("@SUM(A1)")
    ("'=1+1", '-5', "'@SUM(A1)")
    """
    text = _UNHOLDABLE[file_format].sub(REPLACEMENT, text)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_cells(frame: pd.DataFrame, file_format: Literal["csv", "xlsx"] = "csv") -> pd.DataFrame:
    """``frame`` with every text cell passed through :func:`safe_text` (every CSV and XLSX writer calls it).

    Numbers, timestamps, dates and missing values stay as they are; the frame itself is not changed.
    """
    out = frame
    for index in range(frame.shape[1]):
        values = frame.iloc[:, index]
        if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype | pd.CategoricalDtype)):
            continue
        texts = values.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool)
        if not texts.any():
            continue
        cleaned = values.astype(object).where(~texts, values[texts].astype(str).map(
            lambda v: safe_text(v, file_format)))
        if out is frame:
            out = frame.copy()
        out.isetitem(index, cleaned)
    return out
