"""Checks the commands make before any work: output paths, scenario names, and long values shortened in messages.

A forecast or a solve can take minutes; a path that cannot be written must fail in the first second, with a
usage error naming the option (exit 2), not with a traceback after the work.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import click

from wfm.io import FRAME_FORMATS

#: Characters of a user's value shown in a message before it is cut.
SHOWN_CHARACTERS = 60


def shown(value: str, limit: int = SHOWN_CHARACTERS) -> str:
    """A value for a one-line message: its repr, cut to ``limit`` characters (with its length) when longer."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value):,} characters)"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _name_max(folder: Path) -> int:
    """The longest file name the folder's file system takes, in bytes (255 where it cannot tell)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def _check_name_length(path: Path, option: str) -> None:
    for part in path.parts:
        if len(os.fsencode(part)) > 255:
            raise click.BadParameter(f"the name {shown(part)} is too long ({len(os.fsencode(part))} bytes, at most "
                                     "255); use a shorter one", param_hint=option)


def writable_folder(path: Path, option: str, *, create: bool = True) -> Path:
    """The folder as an absolute path, refused (naming ``option``) if it cannot be written.

    With ``create`` the folder is made now (``wfm plan`` exports beside it); without, nothing is created: the
    nearest existing folder on the path must be writable, and no file may stand in the way.
    """
    _check_name_length(path, option)
    existing = path
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True)
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
    except FileExistsError:
        raise click.BadParameter(f"{shown(str(path))} is a file, not a folder; choose a writable folder",
                                 param_hint=option) from None
    except OSError as exc:
        raise click.BadParameter(f"cannot create {shown(str(path))}: {_reason(exc)}; choose a writable folder",
                                 param_hint=option) from None
    if not existing.is_dir():
        problem = "is a file, not a folder" if existing == path else f"cannot be made: {shown(str(existing))} is a file"
        raise click.BadParameter(f"{shown(str(path))} {problem}; choose a writable folder", param_hint=option)
    try:  # os.access alone trusts permission bits; a read-only file system or root squash shows only on a write
        if not os.access(existing, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        fd, probe = tempfile.mkstemp(prefix=".wfm-probe-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise click.BadParameter(f"{shown(str(existing))} is not writable ({_reason(exc)}); choose a writable folder",
                                 param_hint=option) from None
    return path.resolve()


def writable_file(path: Path, option: str, suffixes: tuple[str, ...] = FRAME_FORMATS) -> Path:
    """A file path the command can write: a known extension, a short enough name, in a folder that is or can be
    made writable (made by the writer, not here); refused before any work, naming ``option``."""
    if path.suffix.lower() not in suffixes:
        raise click.BadParameter(f"unsupported file type {path.suffix or '(none)'!r} of {shown(str(path))}; use "
                                 f"{' or '.join(suffixes[:2])}", param_hint=option)
    _check_name_length(path, option)
    if path.is_dir():
        raise click.BadParameter(f"{shown(str(path))} is a folder; give a file name", param_hint=option)
    writable_folder(path.parent, option, create=False)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    limit = _name_max(folder)
    if len(os.fsencode(path.name)) > limit:
        raise click.BadParameter(f"the file name {shown(path.name)} is too long (at most {limit} bytes); use a "
                                 "shorter one", param_hint=option)
    return path
