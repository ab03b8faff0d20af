"""Fuzz of the readers: any history (CSV text or frame) and any config text is accepted or refused with a
one-line WfmError, never another exception and never a hang.

Each test is bounded (examples and a per-example deadline) so the file runs in a few seconds.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfm.config import Config, load_config
from wfm.contracts import validate_history
from wfm.errors import WfmError
from wfm.io import read_history

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example.toml"
FUZZ = settings(max_examples=150, deadline=dt.timedelta(seconds=2), derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def accepted_or_one_line(read: object) -> None:
    """Call ``read``; it returns, or raises a WfmError whose message is one non-empty line."""
    try:
        read()  # type: ignore[operator]
    except WfmError as exc:
        message = str(exc)
        assert message and "\n" not in message and "\r" not in message, message


# Pieces a careless or hostile file is made of: good values, near misses and junk.
CELLS = st.one_of(
    st.sampled_from(["voice", "chat", "email", "sms", "", " ", "voice\n", "=1+1", "NaN", "null", "None"]),
    st.sampled_from(["2026-07-06 08:00", "2026-07-06T08:15:00+01:00", "2026-07-06T08:30:00Z", "2026-07-06",
                     "2026-03-29 01:30", "2026-10-25 01:15", "garbage", "9999-12-31 23:45", "0001-01-01 00:00",
                     "2026-13-45 25:61", "2026-07-06 08:00+25:00", "1e9", "-0"]),
    st.sampled_from(["12", "0", "-3", "2.5", "1e20", "9.3e18", "inf", "-inf", "1e400", "0x10", "true", "12 ",
                     "1,5", "١٢", "99999999999999999999999"]),
    st.text(max_size=12),
)
HEADERS = st.sampled_from([
    "channel,interval_start,volume,aht_seconds", "channel,interval_start,volume", "channel,interval_start",
    "channel,interval_start,volume,aht_seconds,abandoned", "# exported\nchannel,interval_start,volume",
    "\ufeffchannel,interval_start,volume,aht_seconds", "channel;interval_start;volume", "",
])


def _field(cell: str) -> str:
    return f'"{cell}"' if any(ch in cell for ch in ',"\n\r') and '"' not in cell else cell


ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=6).map(lambda cells: ",".join(map(_field, cells))),
                max_size=12)
CONFIG: Config = load_config(EXAMPLE)


@FUZZ
@given(header=HEADERS, rows=ROWS, blank=st.booleans(), crlf=st.booleans())
def test_csv_history_is_accepted_or_refused_in_one_line(header: str, rows: list[str], blank: bool,
                                                        crlf: bool) -> None:
    lines = [header, *(["", "  "] if blank else []), *rows]
    text = ("\r\n" if crlf else "\n").join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.csv"
        path.write_text(text, encoding="utf-8", newline="")
        accepted_or_one_line(lambda: read_history(path, CONFIG, max_problems=3))


@FUZZ
@given(data=st.binary(max_size=200))
def test_csv_bytes_are_accepted_or_refused_in_one_line(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.csv"
        path.write_bytes(b"channel,interval_start,volume\n" + data)
        accepted_or_one_line(lambda: read_history(path, CONFIG))


VALUES = st.one_of(CELLS, st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                   st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([pd.Timestamp("2026-07-06 08:00", tz="UTC"), pd.Timestamp("2026-07-06 08:15"),
                                    pd.NaT, np.int64(3), np.float32(1.5), dt.date(2026, 7, 6), b"voice", b"\xff", [1],
                                    {"a": 1}]))


def _column(length: int) -> st.SearchStrategy[object]:
    """A column as a typed array (bool, int, float, datetime, NaT) or a list of mixed objects."""
    return st.one_of(
        st.lists(VALUES, min_size=length, max_size=length),
        st.lists(st.booleans(), min_size=length, max_size=length).map(lambda v: np.array(v, dtype=bool)),
        st.lists(st.integers(-5, 10**6), min_size=length, max_size=length).map(lambda v: np.array(v)),
        st.lists(st.floats(), min_size=length, max_size=length).map(lambda v: np.array(v, dtype=float)),
        st.just(pd.Series(pd.date_range("2026-07-06 08:00", periods=length, freq="15min",
                                        tz="Europe/London")).where(lambda s: s.index % 3 != 1)),
        st.just(pd.Series(pd.date_range("2026-07-06", periods=length, freq="15min"))),
    )


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    length = draw(st.integers(0, 8))
    names = draw(st.sets(st.sampled_from(["channel", "interval_start", "volume", "aht_seconds", "abandoned",
                                          "extra"]), min_size=0, max_size=6))
    return pd.DataFrame({name: pd.Series(draw(_column(length))).reset_index(drop=True) for name in sorted(names)},
                        index=range(length))


@FUZZ
@given(frame=frames(), zone=st.sampled_from(["Europe/London", None]), minutes=st.sampled_from([15, 30, 60]))
def test_history_frames_are_accepted_or_refused_in_one_line(frame: pd.DataFrame, zone: str | None,
                                                            minutes: int) -> None:
    accepted_or_one_line(lambda: validate_history(frame, source="frame", interval_minutes=minutes, timezone=zone,
                                                  channels=["voice", "chat"], max_problems=3))


EXAMPLE_LINES = EXAMPLE.read_text(encoding="utf-8").splitlines()
TOML_PIECES = st.sampled_from([
    "", "0", "-1", "1e400", "inf", "nan", '"x"', "[]", "{}", "true", '"07:00"', '"25:00"', "[1, 2]", '"\\n"',
    "1.5", '"voice\\nchat"', "[channels.\"a\\nb\"]\nkind = \"voice\"", "=", "[[", "\x00", "ö",
])


@st.composite
def config_texts(draw: st.DrawFn) -> str:
    """The example config with a few lines dropped, values replaced, or junk inserted."""
    lines = list(EXAMPLE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "value", "insert", "text"]))
        if action == "drop":
            del lines[index]
        elif action == "value" and "=" in lines[index]:
            lines[index] = lines[index].split("=", 1)[0] + "= " + draw(TOML_PIECES)
        elif action == "insert":
            lines.insert(index, draw(TOML_PIECES))
        else:
            lines.insert(index, draw(st.text(max_size=20)))
    return "\n".join(lines)


@FUZZ
@given(text=st.one_of(config_texts(), st.text(max_size=80)))
def test_config_text_is_accepted_or_refused_in_one_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wfm.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        accepted_or_one_line(lambda: load_config(path))
