"""Reading history: the contract on good files, and one clear error per kind of bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.config import Config
from wfm.contracts import validate_history
from wfm.errors import DataError, Problem
from wfm.io import read_agents, read_history, read_requirements, write_frame

HEADER = "channel,interval_start,volume,aht_seconds\n"


def history_file(tmp_path: Path, body: str, header: str = HEADER, name: str = "history.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body)
    return path


def test_reads_naive_times_in_the_config_timezone(tmp_path: Path, example_config: Config) -> None:
    path = history_file(tmp_path, "voice,2026-07-06 08:00,12,200\nchat,2026-07-06 08:15,3,400\n"
                                  "voice,2026-07-06 08:15,0,\n")
    frame = read_history(path, example_config)
    assert list(frame.columns) == ["channel", "interval_start", "volume", "aht_seconds"]
    assert frame["channel"].tolist() == ["chat", "voice", "voice"]
    assert str(frame["interval_start"].dt.tz) == "Europe/London"
    # 08:00 in London in July is 07:00 UTC.
    assert frame["interval_start"].iloc[1].tz_convert("UTC") == pd.Timestamp("2026-07-06 07:00", tz="UTC")
    assert frame["volume"].tolist() == [3, 12, 0]
    assert frame["aht_seconds"].isna().tolist() == [False, False, True]


def test_offsets_are_converted_and_dst_is_handled(tmp_path: Path, example_config: Config) -> None:
    # The two 01:15s of the October change, told apart by their offsets.
    path = history_file(tmp_path, "voice,2026-10-25T01:15:00+01:00,5,180\nvoice,2026-10-25T01:15:00+00:00,6,180\n")
    frame = read_history(path, example_config)
    assert frame["interval_start"].dt.tz_convert("UTC").tolist() == [
        pd.Timestamp("2026-10-25 00:15", tz="UTC"), pd.Timestamp("2026-10-25 01:15", tz="UTC")]


def test_parquet_round_trip(tmp_path: Path, example_config: Config) -> None:
    frame = read_history(history_file(tmp_path, "voice,2026-07-06 08:00,12,200\n"), example_config)
    path = write_frame(frame, tmp_path / "history.parquet")
    again = read_history(path, example_config)
    pd.testing.assert_frame_equal(again, frame, check_dtype=False)


def test_fractional_volumes_are_accepted(tmp_path: Path, example_config: Config) -> None:
    """Imputed half-calls are volumes: a non-negative fraction is read as it is."""
    frame = read_history(history_file(tmp_path, "voice,2026-07-06 08:00,2.5,200\n"), example_config)
    assert frame["volume"].tolist() == [2.5]


def test_csv_written_by_wfm_reads_back(tmp_path: Path, example_config: Config) -> None:
    frame = read_history(history_file(tmp_path, "voice,2026-10-25T01:15:00+00:00,6,180\n"), example_config)
    again = read_history(write_frame(frame, tmp_path / "out.csv"), example_config)
    assert again["interval_start"].tolist() == frame["interval_start"].tolist()


BAD_ROWS = [
    ("voice,2026-07-06 08:00,twelve,200\n", r"line 2: volume: not a number \('twelve'\)"),
    ("voice,2026-07-06 08:00,12,200\nvoice,2026-07-06 08:15,-3,200\n", r"line 3: volume: must be >= 0, got -3"),
    ("voice,2026-07-06 08:00,12,0\n", r"line 2: aht_seconds: must be > 0 where there are contacts, got 0"),
    ("voice,2026-07-06 08:00,12,\n", r"line 2: aht_seconds: must be > 0 where there are contacts, got nothing"),
    ("voice,2026-07-06 08:00,12,200\nchat,2026-07-06 08:00,1,200\nvoice,2026-07-06 08:00,3,200\n",
     r"line 2: interval_start: duplicate interval .* for channel 'voice' \(again at line 4\)"),
    ("voice,2026-07-06 08:05,12,200\n", r"line 2: interval_start: 2026-07-06 08:05:00\+01:00 is not on the 15-minute"),
    ("voice,2026-03-29 01:30,12,200\n", r"line 2: interval_start: local time 2026-03-29 01:30:00 does not exist in "
                                        r"Europe/London \(clocks jump forward: DST gap\)"),
    ("voice,2026-10-25 01:30,12,200\n", r"line 2: interval_start: local time 2026-10-25 01:30:00 happens twice in "
                                        r"Europe/London \(clocks go back: DST overlap\)"),
    ("voice,yesterday,12,200\n", r"line 2: interval_start: not a timestamp \('yesterday'\)"),
    # A date that does not exist is a bad date, not a "-45" UTC offset mixed with local times (issue 13).
    ("voice,2026-07-06 08:00,12,200\nvoice,2026-13-45,1,200\n",
     r"line 3: interval_start: not a valid date or time \('2026-13-45'\): the month must be 1-12"),
    ("voice,2026-13-45T08:00:00+01:00,12,200\n", r"line 2: interval_start: not a valid date or time"),
    ("voice,2026-07-06T08:00:00+01:00,12,200\nvoice,2026-07-06 08:15,1,200\n",
     r"line 3: interval_start: mixes timestamps with and without a UTC offset"),
    ("sms,2026-07-06 08:00,12,200\n", r"line 2: channel: unknown channel 'sms'; the config defines voice, chat, email"),
    (",2026-07-06 08:00,12,200\n", r"line 2: channel: is empty"),
]


@pytest.mark.parametrize(("body", "message"), BAD_ROWS)
def test_bad_rows_name_file_line_field_and_fix(tmp_path: Path, example_config: Config, body: str,
                                               message: str) -> None:
    path = history_file(tmp_path, body)
    with pytest.raises(DataError, match=f"^{path}: {message}") as raised:
        read_history(path, example_config)
    [problem] = raised.value.problems
    assert str(problem) == str(raised.value) and problem.source == str(path)


def test_extra_fields_do_not_shift_the_columns(tmp_path: Path, example_config: Config) -> None:
    trailing = history_file(tmp_path, "voice,2026-07-06 08:00,12,200,\n", name="trailing.csv")
    assert read_history(trailing, example_config)["volume"].tolist() == [12]  # an empty trailing field is harmless
    extra = history_file(tmp_path, "voice,2026-07-06 08:00,12,200,7\n", name="extra.csv")
    with pytest.raises(DataError, match=r"extra\.csv: line 2: some rows have more fields than the header: this row "
                                        r"has 5, the header \(line 1\) 4; remove the extra values"):
        read_history(extra, example_config)


def test_missing_column(tmp_path: Path, example_config: Config) -> None:
    path = history_file(tmp_path, "voice,2026-07-06 08:00\n", header="channel,interval_start\n")
    with pytest.raises(DataError, match=r"missing column volume; the header must name channel, interval_start, "
                                        r"volume \(found: channel, interval_start\)") as raised:
        read_history(path, example_config, max_problems=10)  # a problem of the whole file stops at once
    assert [(p.row, p.field) for p in raised.value.problems] == [("", "")]


def test_empty_file_and_header_only(tmp_path: Path, example_config: Config) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match=r"empty\.csv: the file is empty"):
        read_history(empty, example_config)
    with pytest.raises(DataError, match=r"header\.csv: the file has no data rows"):
        read_history(history_file(tmp_path, "", name="header.csv"), example_config)


def test_unsupported_and_missing_files(tmp_path: Path, example_config: Config) -> None:
    with pytest.raises(DataError, match=r"unsupported file type '\.xlsx'; use \.csv or \.parquet"):
        read_history(tmp_path / "history.xlsx", example_config)
    with pytest.raises(DataError, match="file not found"):
        read_history(tmp_path / "absent.csv", example_config)


def test_parquet_errors_use_row_numbers(tmp_path: Path, example_config: Config) -> None:
    frame = pd.DataFrame({"channel": ["voice", "voice"], "interval_start": ["2026-07-06 08:00", "2026-07-06 08:15"],
                          "volume": [1, -1]})
    path = tmp_path / "history.parquet"
    frame.to_parquet(path)
    with pytest.raises(DataError, match=r"history\.parquet: row 2: volume: must be >= 0"):
        read_history(path, example_config)


def test_without_config_naive_times_are_refused(tmp_path: Path) -> None:
    path = history_file(tmp_path, "voice,2026-07-06 08:00,12,200\n")
    with pytest.raises(DataError, match="no UTC offset and no timezone is configured; pass --config"):
        read_history(path, interval_minutes=15)
    aware = history_file(tmp_path, "bank,2026-07-06T08:00:00+03:00,12,200\n", name="aware.csv")
    frame = read_history(aware, interval_minutes=30)
    assert frame["interval_start"].iloc[0].utcoffset() == pd.Timedelta(hours=3)


def test_requirements_reader(tmp_path: Path, example_config: Config) -> None:
    path = tmp_path / "req.csv"
    path.write_text("channel,interval_start,scheduled_agents\nvoice,2026-07-06 08:00,12\nvoice,2026-07-06 08:15,1.5\n")
    with pytest.raises(DataError, match=r"line 3: scheduled_agents: must be a whole number >= 0, got 1\.5"):
        read_requirements(path, example_config)
    # 1e20 agents would overflow a 64-bit integer: refused by line, as a wrong column.
    path.write_text("channel,interval_start,scheduled_agents\nvoice,2026-07-06 08:00,12\nvoice,2026-07-06 08:15,1e20\n")
    with pytest.raises(DataError, match=r"line 3: scheduled_agents: must be at most 10,000,000 agents in one "
                                        r"interval, got 1e\+20; check the column"):
        read_requirements(path, example_config)


PLANTED = ("voice,2026-07-06 08:00,12,200\n"     # line 2
           "voice,2026-07-06 08:15,12,200\n"     # line 3
           "voice,2026-07-06 08:30,abc,200\n"    # line 4: volume is not a number
           "voice,2026-07-06 08:45,12,200\n"     # line 5
           "chat,2026-07-06 08:00,3,400\n"       # line 6
           "chat,2026-07-06 08:15,3,-3\n"        # line 7: negative handle time
           "chat,2026-07-06 08:30,3,400\n"       # line 8
           "sms,2026-07-06 08:00,1,60\n"         # line 9: unknown channel
           "email,2026-07-06 08:00,4,600\n")     # line 10


def planted_problems(path: Path) -> list[Problem]:
    source = str(path)
    return [
        Problem(source, "line 4", "volume", "not a number ('abc'); write a plain number such as 12"),
        Problem(source, "line 7", "aht_seconds", "must be > 0 where there are contacts, got -3; give the average "
                "handle time in seconds (leave it empty only where volume is 0)"),
        Problem(source, "line 9", "channel", "unknown channel 'sms'; the config defines voice, chat, email "
                "(add [channels.sms] to the config or fix the name)"),
    ]


def test_every_planted_problem_is_reported_in_file_order(tmp_path: Path, example_config: Config) -> None:
    path = history_file(tmp_path, PLANTED)
    with pytest.raises(DataError) as raised:
        read_history(path, example_config, max_problems=10)
    expected = planted_problems(path)
    assert list(raised.value.problems) == expected
    assert str(raised.value) == f"{expected[0]} (and 2 more problems)"


def test_max_problems_limits_the_list(tmp_path: Path, example_config: Config) -> None:
    path = history_file(tmp_path, PLANTED)
    with pytest.raises(DataError) as raised:
        read_history(path, example_config, max_problems=2)
    expected = planted_problems(path)
    assert list(raised.value.problems) == expected[:2]
    assert str(raised.value) == f"{expected[0]} (and 2 more problems)"


def test_by_default_the_first_check_that_fails_is_the_error(tmp_path: Path, example_config: Config) -> None:
    # Channels are checked before volumes: one problem, the message as it always was.
    path = history_file(tmp_path, PLANTED)
    with pytest.raises(DataError) as raised:
        read_history(path, example_config)
    unknown = planted_problems(path)[2]
    assert raised.value.problems == (unknown,)
    assert str(raised.value) == (f"{path}: line 9: channel: unknown channel 'sms'; the config defines voice, "
                                 "chat, email (add [channels.sms] to the config or fix the name)")


def test_file_problems_are_structured(tmp_path: Path, example_config: Config) -> None:
    with pytest.raises(DataError) as raised:
        read_history(tmp_path / "absent.csv", example_config)
    assert raised.value.problems == (Problem(str(tmp_path / "absent.csv"), "", "", "file not found; check the path"),)
    path = tmp_path / "req.csv"
    path.write_text("channel,interval_start,scheduled_agents\nvoice,2026-07-06 08:00,-1\n")
    with pytest.raises(DataError) as raised:
        read_requirements(path, example_config)
    assert raised.value.problems == (Problem(str(path), "line 2", "scheduled_agents",
                                             "must be a whole number >= 0, got -1"),)
    agents = tmp_path / "agents.csv"
    agents.write_text("agent_id,group,min_hours,max_hours\nA1,frontline,30,40\nA2,nobody,30,40\n")
    with pytest.raises(DataError) as raised:
        read_agents(agents, example_config)
    assert [(p.row, p.field) for p in raised.value.problems] == [("line 3", "group")]


# Issue 12: line numbers are the file's physical lines, and each bad input is named for what it is.

def test_lines_count_blank_lines_and_values_spanning_lines(tmp_path: Path, example_config: Config) -> None:
    good = "".join(f"voice,2026-07-06 {8 + i // 4:02d}:{15 * (i % 4):02d},5,200\n" for i in range(8))
    path = tmp_path / "blank.csv"
    path.write_text("\n\n" + HEADER + "\n   \n" + good + "\t\n\n" + "voice,2026-07-06 12:00,x,200\n")
    with pytest.raises(DataError, match=r"blank\.csv: line 16: volume: not a number \('x'\)"):
        read_history(path, example_config)
    quoted = history_file(tmp_path, 'voice,2026-07-06 08:00,5,"200\n"\nvoice,2026-07-06 08:15,-1,200\n',
                          name="quoted.csv")
    with pytest.raises(DataError, match=r"quoted\.csv: line 4: volume: must be >= 0"):
        read_history(quoted, example_config)
    crlf = history_file(tmp_path, "\r\n\r\nvoice,2026-07-06 08:00,5,200\r\nvoice,2026-07-06 08:00,1,200\r\n",
                        name="crlf.csv")
    with pytest.raises(DataError, match=r"crlf\.csv: line 4: interval_start: duplicate .* \(again at line 5\)"):
        read_history(crlf, example_config)


OFFSET_ROWS = "voice,2026-07-06T08:00:00+01:00,5,200\nvoice,2026-07-06T08:15:00+01:00,5,200\n"


def test_a_value_that_is_no_timestamp_is_not_a_mix_of_offsets(tmp_path: Path, example_config: Config) -> None:
    path = history_file(tmp_path, OFFSET_ROWS + "voice,garbage,5,200\n")
    with pytest.raises(DataError, match=r"line 4: interval_start: not a timestamp \('garbage'\); use ISO 8601"):
        read_history(path, example_config)
    frame = pd.DataFrame({"channel": ["voice"] * 2, "interval_start": ["2026-07-06T08:00:00+01:00", "garbage"],
                          "volume": [1, 2]})
    frame.to_parquet(tmp_path / "garbage.parquet")
    with pytest.raises(DataError, match=r"row 2: interval_start: not a timestamp \('garbage'\)"):
        read_history(tmp_path / "garbage.parquet", example_config)
    # A real mix is still named as one, after the values that are no timestamp at all.
    mixed = history_file(tmp_path, OFFSET_ROWS + "voice,soon,5,200\nvoice,2026-07-06 09:00,5,200\n", name="m.csv")
    with pytest.raises(DataError) as raised:
        read_history(mixed, example_config, max_problems=5)
    assert [(p.row, p.problem.split(" (")[0]) for p in raised.value.problems] == [
        ("line 4", "not a timestamp"), ("line 5", "mixes timestamps with and without a UTC offset")]


@pytest.mark.parametrize("stamps", [
    pd.to_datetime(["2026-07-06T08:00:00+01:00", None], utc=True),
    pd.to_datetime(["2026-07-06 08:00", None]),
    ["2026-07-06T08:00:00+01:00", None],
])
def test_a_missing_timestamp_is_named_missing(tmp_path: Path, example_config: Config, stamps: object) -> None:
    pd.DataFrame({"channel": ["voice"] * 2, "interval_start": stamps, "volume": [1, 2]}).to_parquet(
        tmp_path / "nat.parquet")
    with pytest.raises(DataError, match=r"nat\.parquet: row 2: interval_start: is missing; give every row its "
                                        r"interval start"):
        read_history(tmp_path / "nat.parquet", example_config)
    csv = history_file(tmp_path, OFFSET_ROWS + "voice,,5,200\n", name="empty.csv")
    with pytest.raises(DataError, match=r"empty\.csv: line 4: interval_start: is missing"):
        read_history(csv, example_config)


def test_a_file_not_in_utf8_names_its_line_and_how_to_save_it(tmp_path: Path, example_config: Config) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "voice,2026-07-06 08:00,5,200\n\nMontréal,2026-07-06 08:00,5,200\n").encode("latin-1"))
    with pytest.raises(DataError, match=r"^\S*latin1\.csv: line 4: not UTF-8 text: byte 0xe9 at byte 6 of the line "
                                        r"\('é' in Windows-1252/Latin-1\); save the file as UTF-8"):
        read_history(path, example_config)
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes((HEADER + "voice,2026-07-06 08:00,5,200\n").encode("utf-16"))
    with pytest.raises(DataError, match=r"utf16\.csv: the file is UTF-16 text, not UTF-8; save the file as UTF-8"):
        read_history(utf16, example_config)


def test_a_comment_above_the_header_is_named(tmp_path: Path, example_config: Config) -> None:
    path = history_file(tmp_path, "voice,2026-07-06 08:00,5,200\n", header="# exported from the ACD\n" + HEADER)
    with pytest.raises(DataError, match=r"comment\.csv: line 2: some rows have more fields than the header: this row "
                                        r"has 4, the header \(line 1\) 1; line 1 \('# exported from the ACD'\) looks "
                                        r"like a comment or title above the header: delete it"):
        read_history(path.rename(tmp_path / "comment.csv"), example_config)
    unclosed = history_file(tmp_path, 'voice,2026-07-06 08:00,5,200\n"voice,2026-07-06 08:15,5,200\n',
                            name="quote.csv")
    with pytest.raises(DataError, match=r"quote\.csv: line 3: a quoted value is never closed"):
        read_history(unclosed, example_config)


def test_boolean_and_date_volumes_are_refused(tmp_path: Path, example_config: Config) -> None:
    stamps = ["2026-07-06 08:00", "2026-07-06 08:15"]
    pd.DataFrame({"channel": ["voice"] * 2, "interval_start": stamps, "volume": [True, False]}).to_parquet(
        tmp_path / "bool.parquet")
    with pytest.raises(DataError, match=r"bool\.parquet: volume: is a true/false \(boolean\) column, not numbers; "
                                        r"store volume as numbers"):
        read_history(tmp_path / "bool.parquet", example_config)
    pd.DataFrame({"channel": ["voice"] * 2, "interval_start": stamps, "volume": [1, 2],
                  "aht_seconds": pd.to_datetime(stamps)}).to_parquet(tmp_path / "dates.parquet")
    with pytest.raises(DataError, match=r"aht_seconds: is a column of datetime64\[.*\] values, not numbers"):
        read_history(tmp_path / "dates.parquet", example_config)
    # In a column of mixed objects (a frame built in code), a bool is a bad value, not 1 contact.
    mixed = pd.DataFrame({"channel": ["voice"] * 2, "interval_start": stamps,
                          "volume": pd.Series([3, True], dtype=object)})
    with pytest.raises(DataError, match=r"^h: row 2: volume: not a number \('True'\)"):
        validate_history(mixed, source="h", interval_minutes=15, timezone="Europe/London")


def test_control_characters_are_escaped_one_line(tmp_path: Path, example_config: Config) -> None:
    path = history_file(tmp_path, '"voi\nce",2026-07-06 08:00,5,200\n')
    with pytest.raises(DataError) as raised:
        read_history(path, example_config)
    assert str(raised.value) == (f"{path}: line 2: channel: unknown channel 'voi\\nce'; the config defines voice, "
                                 "chat, email (add [channels.\"voi\\nce\"] to the config or fix the name)")
    header = history_file(tmp_path, "voice,2026-07-06 08:00\n", header='channel,"interval\nstart"\n', name="h.csv")
    with pytest.raises(DataError, match=r"\(found: channel, interval\\nstart\)$"):
        read_history(header, example_config)


def quarter_hours(days: int, slots: range, channels: tuple[str, ...] = ("voice",)) -> pd.DataFrame:
    """A history of ``days`` days with a row per channel at each 15-minute slot in ``slots`` (0 = midnight)."""
    stamps = [pd.Timestamp("2026-06-01", tz="Europe/London") + pd.Timedelta(days=d, minutes=15 * s)
              for d in range(days) for s in slots]
    return pd.DataFrame([(c, t.isoformat(), 4) for c in channels for t in stamps],
                        columns=["channel", "interval_start", "volume"])


def test_history_on_a_coarser_grid_than_the_config_is_refused(tmp_path: Path, example_config: Config) -> None:
    half_hours = quarter_hours(14, range(32, 72, 2), ("voice", "chat"))  # 08:00-17:30, every 30 minutes
    half_hours.to_csv(tmp_path / "h30.csv", index=False)
    with pytest.raises(DataError, match=r"h30\.csv: interval_start: interval_minutes is 15 but the data looks like "
                                        r"30-minute intervals: all 560 interval starts fall on a 30-minute grid and "
                                        r"none in between, .* set interval_minutes = 30 in the config"):
        read_history(tmp_path / "h30.csv", example_config)
    daily = quarter_hours(120, range(0, 1))
    with pytest.raises(DataError, match=r"^d: interval_start: interval_minutes is 15 but the data looks like one row a "
                                        r"day \(daily totals\): .*; supply 15-minute interval history$"):
        validate_history(daily, source="d", interval_minutes=15, timezone="Europe/London")


def test_sparse_quarter_hour_history_is_not_mistaken_for_a_coarser_grid(example_config: Config) -> None:
    # A quiet channel with rows only where a contact came, closed hours absent: one :15 or :45 row is enough.
    rng = np.random.default_rng(7)
    sparse = quarter_hours(28, range(32, 72, 2), ("email",))
    sparse = pd.concat([sparse.sample(frac=0.3, random_state=1),
                        quarter_hours(28, range(33, 72, 2), ("email",)).iloc[[int(rng.integers(0, 500))]]])
    assert len(validate_history(sparse, source="s", interval_minutes=15, timezone="Europe/London")) == len(sparse)
    # Too little data to tell (under a week, or few rows): accepted as before.
    short = quarter_hours(5, range(32, 72, 2))
    assert len(validate_history(short, source="s", interval_minutes=15, timezone="Europe/London")) == 100
    # Data on the config's own grid is never refused.
    assert len(validate_history(quarter_hours(14, range(32, 72, 2)), source="s", interval_minutes=30,
                                timezone="Europe/London")) == 280
