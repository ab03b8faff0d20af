"""Staffing to a risk level: the probability that a queue meets its service-level target, given forecast uncertainty.

The forecast gives each interval an expected volume ``m`` and an 80% band ``[volume_lo, volume_hi]`` built as
``m -/+ 1.2816 sd`` (the lower end clipped at 0), so ``sd = (volume_hi - m) / 1.2816``. From these:

* **Marginal distribution.** An interval's volume is lognormal with the forecast's mean and sd:
  ``sigma^2 = ln(1 + (sd / m)^2)``, ``mu = ln m - sigma^2 / 2``. A lognormal is never negative and is skewed
  upwards as count data are; an interval with ``m = 0`` has no volume.
* **Dependence.** Most interval error is the day's total (a busy day is busy all day), so the intervals of one
  channel and day share a common lognormal daily factor with relative sd ``r``; the rest is independent per
  interval. ``r`` is read off the band itself: the forecast's variance has the form ``(m r)^2 + c m`` (the daily
  error plus count noise), fitted per channel and day by least squares with both terms >= 0. In log space
  ``ln V = mu + a Z_day + e Z``, with ``a^2 = min(ln(1 + r^2), sigma^2)`` and ``e^2 = sigma^2 - a^2``, so each
  interval keeps its marginal exactly. Days are independent of each other (a stated simplification: a forecast's
  errors on consecutive days are in fact mildly correlated, which makes the week probability a little low).
* **Handle time** is the forecast's, taken as known.

With ``N`` productive agents an interval meets its target when its volume is at most ``v*(N)``, the largest
volume at which ``N`` agents reach the service level (service level falls as volume rises), so
``P(meet) = P(V <= v*(N))``. Staffing to probability ``P`` is therefore staffing to the volume's ``P``-quantile,
exactly; the occupancy cap is applied at that volume too, which keeps staffing monotone in ``P``. Day and week
probabilities (every interval meets) integrate over the daily factor by Gauss-Hermite quadrature.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

from wfm.config import ChannelConfig, Config
from wfm.contracts import Z80
from wfm.errors import DataError, InputError
from wfm.staffing.erlang import QueueMetrics, queue_metrics
from wfm.staffing.requirements import requirements

#: Risk levels wfm staffs to: below 0.5 a plan expects to miss its target more often than not.
MIN_RISK, MAX_RISK = 0.5, 0.999

_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(48)  # E[f(Z)], Z standard normal
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def check_probability(probability: float, name: str = "risk") -> float:
    """``probability`` as a float, refused unless it is in [:data:`MIN_RISK`, :data:`MAX_RISK`]."""
    if not MIN_RISK <= float(probability) <= MAX_RISK:
        raise InputError(name, f"must be a probability between {MIN_RISK:g} and {MAX_RISK:g} (0.9 staffs every "
                               f"interval to meet its target 9 times in 10), got {probability:g}")
    return float(probability)


def volume_distribution(forecast: pd.DataFrame) -> pd.DataFrame:
    """The lognormal volume of each interval, from the forecast's mean and 80% band (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        ``channel, interval_start, volume, mu, sigma`` (log-scale parameters; ``sigma`` 0 for a certain
        volume), ``daily_loading`` (``a``, the weight of the day's common factor) and ``own_sigma`` (``e``).

    Raises
    ------
    DataError
        When the forecast has no ``volume_lo`` / ``volume_hi`` band.
    """
    missing = [c for c in ("volume_lo", "volume_hi") if c not in forecast]
    if missing:
        raise DataError(f"forecast: no {', '.join(missing)} column; staffing to a risk level needs the forecast's "
                        "80% band (make the forecast with wfm forecast or wfm plan)")
    out = forecast[["channel", "interval_start", "volume"]].reset_index(drop=True).astype({"volume": float})
    mean = out["volume"].to_numpy()
    sd = np.maximum(forecast["volume_hi"].to_numpy(float) - mean, 0.0) / Z80
    positive = mean > 0
    ratio = np.divide(sd, mean, out=np.zeros_like(mean), where=positive)
    sigma2 = np.log1p(ratio**2)
    daily = np.zeros_like(mean)
    days = out["interval_start"].dt.date
    for rows in out.groupby([out["channel"], days]).indices.values():
        daily[rows] = _daily_relative_variance(mean[rows], sd[rows])
    a2 = np.minimum(np.log1p(daily), sigma2)
    return out.assign(mu=np.log(np.where(positive, mean, 1.0)) - sigma2 / 2, sigma=np.sqrt(sigma2),
                      daily_loading=np.sqrt(a2), own_sigma=np.sqrt(sigma2 - a2))


def _daily_relative_variance(mean: np.ndarray, sd: np.ndarray) -> float:
    """``r^2`` of ``sd^2 = r^2 m^2 + c m`` fitted by least squares with ``r^2, c >= 0``."""
    keep = mean > 0
    m, v = mean[keep], sd[keep] ** 2
    if len(m) == 0:
        return 0.0
    design = np.column_stack([m**2, m])
    if len(m) >= 2:
        (r2, c), *_ = np.linalg.lstsq(design, v, rcond=None)
        if r2 >= 0 and c >= 0:
            return float(r2)
        if c < 0:  # the count-noise term is pinned at 0: all of it is the day's
            return float(max((m**2 @ v) / (m**4).sum(), 0.0))
    return 0.0  # the daily term is pinned at 0 (or one interval: nothing to share)


def volume_quantile(distribution: pd.DataFrame, probability: float) -> np.ndarray:
    """Each interval's volume that is exceeded with probability ``1 - probability``."""
    z = float(stats.norm.ppf(probability))
    mean = distribution["volume"].to_numpy()
    return np.where(mean > 0, np.exp(distribution["mu"].to_numpy() + z * distribution["sigma"].to_numpy()), 0.0)


def _queue_rows(frame: pd.DataFrame, config: Config) -> np.ndarray:
    """Whether each row's channel is a queue (voice or chat)."""
    return frame["channel"].map({name: c.is_queue for name, c in config.channels.items()}).to_numpy(bool)


def risk_requirements(forecast: pd.DataFrame, config: Config, probability: float, *,
                      distribution: pd.DataFrame | None = None) -> pd.DataFrame:
    """Requirements that meet each queue interval's target with probability at least ``probability``.

    Queue channels are sized (service level and occupancy cap) at their volume's ``probability``-quantile, never
    below the expected volume (the plan's own rule: a quantile under the mean would staff below it); deferred
    channels keep their expected-volume requirement. ``volume`` and the service level, ASA and
    occupancy stay those at the expected volume, so the frame reads like :func:`requirements`' (the same
    columns) with more agents. ``distribution`` is :func:`volume_distribution` of ``forecast``, when already made
    (a frontier staffs one forecast to many probabilities).
    """
    probability = check_probability(probability)
    distribution = volume_distribution(forecast) if distribution is None else distribution
    queue = _queue_rows(distribution, config)
    sized = forecast.reset_index(drop=True).drop(columns=["volume_lo", "volume_hi"])
    sized["volume"] = np.where(queue, np.maximum(volume_quantile(distribution, probability),
                                                 distribution["volume"].to_numpy()), distribution["volume"])
    staffed = requirements(sized, config)  # deferred channels keep their volume, so their expected requirement
    expected = distribution.set_index(["channel", "interval_start"])["volume"]
    staffed["volume"] = expected.reindex(pd.MultiIndex.from_frame(staffed[["channel", "interval_start"]])).to_numpy()
    for name, rows in staffed.groupby("channel").indices.items():
        channel = config.channels[str(name)]
        if channel.is_queue:
            metrics = _metrics(staffed["agents"].to_numpy()[rows], staffed["volume"].to_numpy()[rows],
                               staffed["aht_seconds"].to_numpy()[rows], channel, config.interval_minutes)
            staffed.loc[staffed.index[rows], ["erlangs", "service_level", "asa_seconds", "occupancy"]] = (
                np.column_stack([metrics.erlangs, metrics.service_level, metrics.asa_seconds, metrics.occupancy]))
    return staffed


def _metrics(agents: np.ndarray, calls: np.ndarray, aht: np.ndarray, channel: ChannelConfig,
             interval_minutes: int) -> QueueMetrics:
    assert channel.answer_seconds is not None  # queue channels have one (checked by the config)
    return queue_metrics(agents, calls, aht, interval_minutes, channel.answer_seconds,
                         patience_seconds=channel.patience_seconds, concurrency=channel.concurrency)


def threshold_volume(agents: np.ndarray, aht_seconds: np.ndarray, channel: ChannelConfig, interval_minutes: int,
                     ) -> np.ndarray:
    """The largest volume at which ``agents`` meet the channel's service-level target, per interval.

    Found by bisection on volume (service level falls as volume rises), to 1e-6 relative: a probability of
    meeting the target then moves by less than 1e-5.
    """
    target = channel.service_level
    assert target is not None  # queue channels have one (checked by the config)
    agents = np.asarray(agents, dtype=float)
    aht = np.asarray(aht_seconds, dtype=float)
    per_server = interval_minutes * 60.0 / aht  # contacts one busy server handles in the interval

    def meets(calls: np.ndarray) -> np.ndarray:
        return _metrics(agents, calls, aht, channel, interval_minutes).service_level >= target

    low = np.zeros(agents.shape)
    servers = agents * channel.concurrency
    high = (servers + 4 * np.sqrt(servers) + 1) * per_server
    while (grow := meets(high) & (agents > 0)).any():  # with abandonment a queue can carry more than its servers
        low, high = np.where(grow, high, low), np.where(grow, 2 * high, high)
    while not np.all(high - low <= 1e-6 * np.maximum(high, 1.0)):
        mid = (low + high) / 2
        fine = meets(mid)
        low, high = np.where(fine, mid, low), np.where(fine, high, mid)
    return np.where(agents > 0, low, 0.0)


def _log_threshold(distribution: pd.DataFrame, agents: np.ndarray, config: Config) -> np.ndarray:
    """``ln v*`` per row (``-inf`` where no volume is met, NaN for deferred channels)."""
    out = np.full(len(distribution), np.nan)
    aht = distribution["aht_seconds"].to_numpy(float)
    for name, rows in distribution.groupby("channel").indices.items():
        channel = config.channels[str(name)]
        if channel.is_queue:
            with np.errstate(divide="ignore"):
                out[rows] = np.log(threshold_volume(agents[rows], aht[rows], channel, config.interval_minutes))
    return out


def interval_risk(forecast: pd.DataFrame, agents: pd.DataFrame, config: Config, *,
                  distribution: pd.DataFrame | None = None) -> pd.DataFrame:
    """The probability that each queue interval meets its target with the given agents, and the expected level.

    Parameters
    ----------
    forecast
        ``channel, interval_start, volume, volume_lo, volume_hi, aht_seconds`` (a forecast frame).
    agents
        ``channel, interval_start, agents``: productive agents per interval (a projection or requirements frame).
    config
        The channels' targets and the interval length.
    distribution
        :func:`volume_distribution` of ``forecast`` (all its rows), when already made.

    Returns
    -------
    pandas.DataFrame
        ``channel, interval_start, volume, agents, p_meet`` (probability the interval meets its service-level
        target), ``expected_service_level`` (the service level averaged over the volume's distribution,
        weighted by volume), and the distribution's ``mu, sigma, daily_loading, own_sigma, log_threshold``;
        queue channels only.
    """
    queue = _queue_rows(forecast, config)
    distribution = (volume_distribution(forecast[queue]) if distribution is None
                    else distribution[queue].reset_index(drop=True))
    distribution["aht_seconds"] = forecast["aht_seconds"].to_numpy(float)[queue]
    staffed = agents.set_index(["channel", "interval_start"])["agents"]
    key = pd.MultiIndex.from_frame(distribution[["channel", "interval_start"]])
    count = staffed.reindex(key).fillna(0).to_numpy(float)
    distribution["agents"] = count.astype(np.int64)
    log_v = _log_threshold(distribution, count, config)
    mean, mu, sigma = (distribution[c].to_numpy() for c in ("volume", "mu", "sigma"))
    certain = (sigma == 0) | (mean == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (log_v - mu) / np.where(certain, 1.0, sigma)
        p_meet = np.where(certain, (mean == 0) | (np.log(np.where(mean > 0, mean, 1.0)) <= log_v),
                          special.ndtr(z))
    distribution["p_meet"] = p_meet.astype(float)
    distribution["log_threshold"] = log_v
    distribution["expected_service_level"] = _expected_service_level(distribution, config)
    return distribution


def _expected_service_level(distribution: pd.DataFrame, config: Config) -> np.ndarray:
    """``E[V SL(N, V)] / E[V]`` per interval by Gauss-Hermite quadrature over the lognormal volume."""
    out = np.full(len(distribution), np.nan)
    nodes = _NODES[::3]
    weights = _WEIGHTS[::3] / _WEIGHTS[::3].sum()  # 16 nodes: the level is smooth in volume
    for name, rows in distribution.groupby("channel").indices.items():
        channel = config.channels[str(name)]
        part = distribution.iloc[rows]
        mu, sigma = part["mu"].to_numpy()[:, None], part["sigma"].to_numpy()[:, None]
        volume = np.exp(mu + sigma * nodes[None, :]) * (part["volume"].to_numpy()[:, None] > 0)
        shape = volume.shape
        level = _metrics(np.broadcast_to(part["agents"].to_numpy()[:, None], shape).ravel(), volume.ravel(),
                         np.broadcast_to(part["aht_seconds"].to_numpy()[:, None], shape).ravel(), channel,
                         config.interval_minutes).service_level.reshape(shape)
        weighted = (volume * weights).sum(axis=1)
        out[rows] = np.divide((volume * level * weights).sum(axis=1), weighted, out=np.ones(len(rows)),
                              where=weighted > 0)
    return out


def all_meet_probability(risk: pd.DataFrame) -> float:
    """The probability that every interval of ``risk`` (rows of :func:`interval_risk`) meets its target.

    Intervals of one channel and day share the daily factor (integrated by Gauss-Hermite quadrature); days and
    channels are independent.
    """
    days = _day_probabilities(risk)
    if (days <= 0.0).any():  # a day that cannot meet its targets (e.g. a headcount cap far below the need)
        return 0.0
    return float(np.exp(np.log(days).sum()))


def _day_probabilities(risk: pd.DataFrame) -> np.ndarray:
    """Per channel and day (in ``groupby`` order), the probability that all of its intervals meet the target."""
    if risk.empty:
        return np.ones(0)
    group = risk.groupby([risk["channel"], risk["interval_start"].dt.date], sort=True).ngroup().to_numpy()
    count = group.max() + 1
    busy = risk["volume"].to_numpy() > 0
    mu, a, e, log_v = (risk[c].to_numpy(float)[busy] for c in ("mu", "daily_loading", "own_sigma", "log_threshold"))
    gap = log_v[:, None] - mu[:, None] - a[:, None] * _NODES[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(e[:, None] > 0, special.ndtr(gap / np.where(e > 0, e, 1.0)[:, None]), (gap >= 0).astype(float))
    log_p = np.zeros((count, len(_NODES)))
    np.add.at(log_p, group[busy], np.log(np.maximum(p, 1e-300)))
    return np.exp(log_p) @ _WEIGHTS


def channel_risk(risk: pd.DataFrame) -> pd.DataFrame:
    """Per channel: the lowest interval probability of meeting the target, the week's and the expected level.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_probability`` (the lowest ``p_meet`` of its busy intervals: every interval
        meets its target with at least this probability), ``intervals_meeting_target`` (the mean ``p_meet`` of
        its busy intervals: the share of them expected to meet the target), ``week_probability`` (every interval
        of the week meets it), ``expected_service_level`` (volume-weighted).
    """
    rows = []
    for name, part in risk.groupby("channel"):
        busy = part[part["volume"] > 0]
        rows.append({"channel": str(name),
                     "interval_probability": float(busy["p_meet"].min()) if len(busy) else 1.0,
                     "intervals_meeting_target": float(busy["p_meet"].mean()) if len(busy) else 1.0,
                     "week_probability": all_meet_probability(part),
                     "expected_service_level": float(np.average(busy["expected_service_level"],
                                                                weights=busy["volume"])) if len(busy) else 1.0})
    return pd.DataFrame(rows, columns=["channel", "interval_probability", "intervals_meeting_target",
                                       "week_probability", "expected_service_level"])


def daily_risk(risk: pd.DataFrame) -> pd.DataFrame:
    """Per channel and day: ``day_probability``, the probability that every interval of the day meets its target."""
    days = risk["interval_start"].dt.date
    keys = risk.groupby([risk["channel"], days], sort=True).size().index
    return pd.DataFrame({"channel": [str(c) for c, _ in keys], "date": [d for _, d in keys],
                         "day_probability": _day_probabilities(risk)}, columns=["channel", "date", "day_probability"])
