"""Issue 12, T2/T3 and U1: writers turn OS errors into one-line DataErrors; implausible volumes are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from wfm.config import Config
from wfm.errors import DataError
from wfm.io import atomic_write, read_history, write_frame

FRAME = pd.DataFrame({"a": [1, 2]})


def test_a_file_in_the_way_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    target = tmp_path / "afile" / "fc.csv"
    with pytest.raises(DataError) as caught:
        write_frame(FRAME, target)
    assert str(caught.value) == f"{target}: cannot write: a file of that name is in the way; choose a folder path"


def test_a_file_deeper_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    target = tmp_path / "afile" / "sub" / "fc.csv"
    with pytest.raises(DataError, match=r"cannot write: a part of the path is a file, not a folder"):
        write_frame(FRAME, target)


def test_a_name_too_long(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"cannot write: the name is too long; use a shorter one$"):
        write_frame(FRAME, tmp_path / ("x" * 300 + ".csv"))


def test_a_name_near_the_limit_still_gets_a_temporary_sibling(tmp_path: Path) -> None:
    name = "y" * 250 + ".csv"
    write_frame(FRAME, tmp_path / name)
    assert os.listdir(tmp_path) == [name]


def test_a_folder_in_the_way_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(DataError, match=r"out\.csv: cannot write: it is a folder; give a file name"):
        write_frame(FRAME, tmp_path / "out.csv")
    assert os.listdir(tmp_path / "out.csv") == []  # no temporary file left behind


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o555)
    with pytest.raises(DataError, match=r"cannot write: permission denied; choose a writable folder"):
        atomic_write(folder / "x.json", lambda tmp: tmp.write_text("{}"))


@pytest.mark.parametrize(("volume", "shown"), [("1e20", "1e+20"), ("9300000000000000000", "9.3e+18"),
                                               ("1000000000001", "1e+12")])
def test_implausible_volume_names_the_line(tmp_path: Path, example_config: Config, volume: str, shown: str) -> None:
    path = tmp_path / "history.csv"
    path.write_text("channel,interval_start,volume,aht_seconds\nvoice,2026-07-06 08:00,12,200\n"
                    f"voice,2026-07-06 08:15,{volume},200\n")
    with pytest.raises(DataError) as caught:
        read_history(path, example_config)
    assert str(caught.value) == (f"{path}: line 3: volume: must be at most 1,000,000,000 contacts in one interval, "
                                 f"got {shown}; check the column and its units")


def test_the_largest_plausible_volume_is_read(tmp_path: Path, example_config: Config) -> None:
    path = tmp_path / "history.csv"
    path.write_text("channel,interval_start,volume,aht_seconds\nvoice,2026-07-06 08:00,1000000000,200\n")
    assert read_history(path, example_config)["volume"].tolist() == [1_000_000_000]
