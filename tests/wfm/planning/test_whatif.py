"""What-if modifiers: what they change, and what they refuse."""

from __future__ import annotations

import pandas as pd
import pytest

from wfm.config import Config
from wfm.errors import ConfigError
from wfm.planning.whatif import ChannelChanges, Modifiers, changes_against, configured_values, from_channels


def test_no_change_is_the_same_config(example_config: Config) -> None:
    assert Modifiers().is_empty
    assert Modifiers().apply_to_config(example_config) == example_config


def test_rules_change_where_they_apply(example_config: Config) -> None:
    changed = Modifiers(service_level=0.9, answer_seconds=30, shrinkage=0.25, concurrency=3, max_occupancy=0.8,
                        patience_seconds=120, headcount_cap=80, cost_per_hour=30).apply_to_config(example_config)
    voice, chat, email = (changed.channels[c] for c in ("voice", "chat", "email"))
    assert (voice.service_level, voice.answer_seconds, voice.patience_seconds) == (0.9, 30, 120)
    assert chat.concurrency == 3 and voice.concurrency == 1
    assert email.service_level is None and email.patience_seconds is None  # deferred work has no queue target
    assert {c.shrinkage for c in changed.channels.values()} == {0.25}
    assert {g.headcount_cap for g in changed.groups.values()} == {80}
    assert {s.cost_per_hour for s in changed.shifts} == {30}


def test_scope_limits_the_changes(example_config: Config) -> None:
    changed = Modifiers(service_level=0.95, headcount_cap=40, channels=("chat",)).apply_to_config(example_config)
    assert changed.channels["chat"].service_level == 0.95
    assert changed.channels["voice"].service_level == 0.8
    assert changed.groups["frontline"].headcount_cap == 40 and changed.groups["backoffice"].headcount_cap is None


def test_forecast_scaling() -> None:
    frame = pd.DataFrame({"channel": ["voice", "chat"], "volume": [100.0, 10.0], "volume_lo": [90.0, 9.0],
                          "volume_hi": [110.0, 11.0], "aht_seconds": [200.0, 400.0]})
    out = Modifiers(volume_pct=10, aht_pct=-50, channels=("voice",)).apply_to_forecast(frame)
    assert out["volume"].tolist() == pytest.approx([110.0, 10.0])
    assert out["volume_hi"].tolist() == pytest.approx([121.0, 11.0])
    assert out["aht_seconds"].tolist() == pytest.approx([100.0, 400.0])
    assert frame["volume"].tolist() == [100.0, 10.0]  # the input is not modified


def test_bad_values_name_the_field(example_config: Config) -> None:
    with pytest.raises(ConfigError, match=r"what-if: channels\.voice\.service_level: must be in \(0, 1\), got 1\.4"):
        Modifiers(service_level=1.4).apply_to_config(example_config)
    with pytest.raises(ConfigError, match=r"modifiers\.volume_pct: must be > -100"):
        Modifiers(volume_pct=-100)
    with pytest.raises(ConfigError, match=r"modifiers\.channels: unknown channel 'sms'"):
        Modifiers(channels=("sms",)).apply_to_config(example_config)
    with pytest.raises(ConfigError, match=r"modifiers\.volume: unknown modifier"):
        Modifiers.from_dict({"volume": 3})


def test_round_trip_through_plain_data() -> None:
    modifiers = Modifiers(volume_pct=5, channels=("voice", "chat"))
    assert modifiers.to_dict() == {"volume_pct": 5, "channels": ["voice", "chat"]}
    assert Modifiers.from_dict(modifiers.to_dict()) == modifiers


def test_per_channel_targets_move_only_their_channel(example_config: Config) -> None:
    # "+15% on all channels, 90/20 on voice only"
    modifiers = Modifiers(volume_pct=15, per_channel={"voice": ChannelChanges(service_level=0.9, answer_seconds=20),
                                                     "chat": ChannelChanges(volume_pct=0, concurrency=3)})
    changed = modifiers.apply_to_config(example_config)
    assert (changed.channels["voice"].service_level, changed.channels["voice"].answer_seconds) == (0.9, 20)
    assert changed.channels["chat"] == example_config.channels["chat"].model_copy(update={"concurrency": 3})
    assert changed.channels["email"] == example_config.channels["email"]
    frame = pd.DataFrame({"channel": ["voice", "chat", "email"], "volume": [100.0, 10.0, 20.0],
                          "aht_seconds": [200.0, 400.0, 300.0]})
    assert modifiers.apply_to_forecast(frame)["volume"].tolist() == pytest.approx([115.0, 10.0, 23.0])


def test_per_channel_values_replace_the_all_channel_ones() -> None:
    modifiers = Modifiers(service_level=0.85, max_occupancy=0.9, channels=("chat",),
                          per_channel={"chat": {"service_level": 0.95}})  # plain data is accepted too
    assert modifiers.for_channel("chat") == ChannelChanges(volume_pct=0.0, aht_pct=0.0, service_level=0.95,
                                                           max_occupancy=0.9)
    assert modifiers.for_channel("voice") == ChannelChanges()  # out of the all-channel scope


def test_per_channel_refuses_queue_rules_on_deferred_work(example_config: Config) -> None:
    with pytest.raises(ConfigError, match=r"modifiers\.per_channel\.email\.service_level: email is deferred work"):
        Modifiers(per_channel={"email": ChannelChanges(service_level=0.9)}).apply_to_config(example_config)
    with pytest.raises(ConfigError, match=r"modifiers\.per_channel\.voice\.volume_pct: must be > -100"):
        Modifiers.from_dict({"per_channel": {"voice": {"volume_pct": -120}}})
    with pytest.raises(ConfigError, match=r"modifiers\.per_channel\.voice\.level: unknown modifier"):
        Modifiers.from_dict({"per_channel": {"voice": {"level": 0.9}}})


def test_stored_modifiers_of_before_per_channel_still_load(example_config: Config) -> None:
    # The plain data scenarios stored before per-channel changes existed: same meaning, same plain data.
    old = {"volume_pct": 10, "service_level": 0.9, "headcount_cap": 150, "channels": ["voice"]}
    loaded = Modifiers.from_dict(old)
    assert loaded.to_dict() == old
    changed = loaded.apply_to_config(example_config)
    assert changed.channels["voice"].service_level == 0.9 and changed.channels["chat"].service_level == 0.8
    new = Modifiers(per_channel={"voice": ChannelChanges(answer_seconds=30)})
    assert new.to_dict() == {"per_channel": {"voice": {"answer_seconds": 30}}}
    assert Modifiers.from_dict(new.to_dict()) == new


def test_changes_against_the_config_keep_only_real_changes(example_config: Config) -> None:
    assert configured_values(example_config, "chat")["answer_seconds"] == 60
    shown = {"service_level": 0.8, "answer_seconds": 30.0, "max_occupancy": None, "volume_pct": None}
    assert changes_against(example_config, "chat", shown) == ChannelChanges(answer_seconds=30.0)


def test_a_change_every_channel_shares_is_written_once(example_config: Config) -> None:
    same = ChannelChanges(shrinkage=0.2, patience_seconds=240)
    modifiers = from_channels(example_config, {"voice": same, "chat": same,
                                               "email": ChannelChanges(shrinkage=0.2, max_occupancy=0.8)},
                              volume_pct=15)
    assert modifiers == Modifiers(volume_pct=15, shrinkage=0.2, patience_seconds=240,
                                  per_channel={"email": ChannelChanges(max_occupancy=0.8)})
