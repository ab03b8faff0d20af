"""Erlang B, Erlang C and Erlang A (M/M/N+M), vectorised over intervals and exact at any size.

Conventions: ``calls`` are contacts offered in an interval of ``interval_minutes``; ``aht_seconds`` is
the mean handle time; the offered load in Erlangs is ``calls * aht_seconds / (60 * interval_minutes)``.
The service level is the share of *all* arriving contacts answered within ``answer_seconds`` (under
Erlang A, contacts that abandon count against it). With chat ``concurrency`` k, an agent is k parallel
servers, so the queue has ``agents * k`` servers.

Every function accepts scalars or numpy arrays (broadcast together) and returns numpy values of the
broadcast shape; :func:`required_agents` returns an ``int`` for scalar input.

Numerics: probabilities are formed in log space from Loader's Poisson terms and the regularised
incomplete gamma functions (see :mod:`wfm.staffing._special`), so nothing overflows or underflows
from 0 to well beyond 100,000 Erlangs, and Erlang A stays exact where a textbook form underflows.

Bounds: every argument is checked (:class:`~wfm.errors.InputError` names it and the allowed range): loads up
to :data:`MAX_ERLANGS` (1,000,000 Erlangs) per interval, intervals of 1 to 1440 minutes, handle and answer
times finite and at most a day, patience at most 1e9 seconds, concurrency at most 100, headcounts at most
10,000,000.
The Erlang A closed forms follow from the birth-death model: with x = N/(theta AHT) and
y = lambda/theta (theta = 1/patience), an arrival waits with probability A E / (1 + (A - 1) E) where E is
Erlang B and A = x e^y y^-x gamma(x, y); given it waits, it is answered within t with probability
(gamma(x+1, y) - gamma(x+1, y e^(-theta t))) / (y gamma(x, y)).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from wfm.errors import InputError
from wfm.staffing._special import log_erlang_b, log_lower_gamma_ratio, log_poisson

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: The largest offered load sized in one interval, in Erlangs: far above any real center (100,000 Erlangs is a
#: very large one), and low enough that the headcount search stays exact in floating point. Larger loads are
#: refused: they come from wrong units (contacts per day given per interval, milliseconds as seconds).
MAX_ERLANGS = 1_000_000.0
#: The largest headcount assessed in one interval.
MAX_AGENTS = 10_000_000
#: Bounds of the interval length in minutes: one minute to a day.
MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES = 1.0, 1440.0
#: The longest handle or answer time, in seconds: a day.
MAX_SECONDS = 86_400.0
#: The longest mean patience, in seconds (about 30 years): Erlang A is then Erlang C to 1e-6, and its numerics
#: lose accuracy far beyond it.
MAX_PATIENCE_SECONDS = 1e9
#: The most contacts an agent handles at once.
MAX_CONCURRENCY = 100

#: Servers beyond which the headcount search gives up (floats stay exact integers below 2**53).
_SEARCH_LIMIT = 2.0**52


@dataclass(frozen=True)
class QueueMetrics:
    """What a queue delivers with a given headcount, per interval (arrays of one shape).

    Attributes
    ----------
    agents
        Productive agents on the queue.
    erlangs
        Offered load in Erlangs.
    service_level
        Share of all arriving contacts answered within the answer time.
    asa_seconds
        Average speed of answer: mean wait of answered contacts (inf when the queue is unstable).
    p_wait
        Probability that an arriving contact waits at all.
    occupancy
        Share of agents' time spent handling contacts.
    p_abandon
        Probability that an arriving contact abandons (0 under Erlang C).
    """

    agents: IntArray
    erlangs: FloatArray
    service_level: FloatArray
    asa_seconds: FloatArray
    p_wait: FloatArray
    occupancy: FloatArray
    p_abandon: FloatArray


def offered_load(calls: ArrayLike, aht_seconds: ArrayLike, interval_minutes: ArrayLike) -> FloatArray:
    """Offered load in Erlangs: calls x AHT over the interval length."""
    return np.asarray(calls, dtype=float) * np.asarray(aht_seconds, dtype=float) / (
        60.0 * np.asarray(interval_minutes, dtype=float))


def erlang_b(servers: ArrayLike, erlangs: ArrayLike) -> FloatArray:
    """Erlang B: the blocking probability of N servers offered A Erlangs with no queue.

    >>> round(float(erlang_b(10, 5)), 5)
    0.01838
    """
    return np.exp(log_erlang_b(np.asarray(servers, dtype=float), np.asarray(erlangs, dtype=float)))


def erlang_c(servers: ArrayLike, erlangs: ArrayLike) -> FloatArray:
    """Erlang C: the probability that an arrival waits, with N servers and A Erlangs (1 when N <= A)."""
    return np.exp(_log_erlang_c(*np.broadcast_arrays(np.asarray(servers, dtype=float),
                                                      np.asarray(erlangs, dtype=float))))


def _log_erlang_c(servers: FloatArray, load: FloatArray) -> FloatArray:
    out = np.zeros(servers.shape)
    out[load == 0] = -np.inf
    stable = (servers > load) & (load > 0)
    n, a = servers[stable], load[stable]
    log_b = log_erlang_b(n, a)
    # C = N B / (N - A + A B): no cancellation, N - A > 0.
    out[stable] = log_b + np.log(n) - np.logaddexp(np.log(n - a), np.log(a) + log_b)
    return out


def _erlang_c_metrics(servers: FloatArray, load: FloatArray, aht: FloatArray, answer: FloatArray,
                      ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Service level, ASA and P(wait) of M/M/N (servers may be k x agents for chat)."""
    log_c = _log_erlang_c(servers, load)
    p_wait = np.where(load > 0, np.exp(log_c), 0.0)
    stable = (servers > load) | (load == 0)
    excess = np.where(servers > load, servers - load, 1.0)
    service_level = np.where(stable, 1.0 - p_wait * np.exp(-excess * answer / aht), 0.0)
    asa = np.where(stable, p_wait * aht / excess, np.inf)
    return np.clip(service_level, 0.0, 1.0), asa, p_wait


def _erlang_a_metrics(servers: FloatArray, load: FloatArray, aht: FloatArray, answer: FloatArray,
                      patience: FloatArray, *, with_asa: bool = True,
                      ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Service level, ASA, P(wait) and P(abandon) of M/M/N+M (exponential patience); without ``with_asa`` the ASA
    is left at zero (it costs four more incomplete gamma evaluations, and the headcount search needs none)."""
    shape = servers.shape
    service_level, asa, p_wait, p_abandon = (np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape))
    service_level[load == 0] = 1.0
    nobody = (servers == 0) & (load > 0)
    p_wait[nobody], p_abandon[nobody], asa[nobody] = 1.0, 1.0, np.nan
    live = (servers > 0) & (load > 0)
    n, a, h, t, pat = servers[live], load[live], aht[live], answer[live], patience[live]
    x = n * pat / h          # N mu / theta
    y = a * pat / h          # lambda / theta
    log_ratio_x = log_lower_gamma_ratio(x, y)          # log A(x, y)
    log_ratio_x1 = log_lower_gamma_ratio(x + 1.0, y)
    # P(wait) = 1 / (1 + (1/E - 1) / A) with 1/E - 1 = (N / A_load) / B(N - 1, A_load).
    log_inv_e_minus_1 = np.log(n) - np.log(a) - log_erlang_b(n - 1.0, a)
    wait = special.expit(log_ratio_x - log_inv_e_minus_1)
    # P(answered | wait) = x/(x+1) R(x+1, y) / R(x, y), R the lower-gamma ratio.
    served = x / (x + 1.0) * np.exp(log_ratio_x1 - log_ratio_x)
    y_late = y * np.exp(-t / pat)
    late = np.exp(np.log(x) - np.log(y) + log_poisson(x + 1.0, y_late) - log_poisson(x, y)
                  + log_lower_gamma_ratio(x + 1.0, y_late) - log_ratio_x)
    within = np.clip(served - late, 0.0, 1.0)
    service_level[live] = 1.0 - wait + wait * within
    p_wait[live] = wait
    p_abandon[live] = wait * np.clip(1.0 - served, 0.0, 1.0)
    if not with_asa:
        return np.clip(service_level, 0.0, 1.0), asa, p_wait, p_abandon
    # Mean wait of answered contacts: E[V | answered, waited] = patience (1/b - d/db log R(b, y)), b = x + 1.
    step = 1e-2 * np.sqrt(x + 1.0)
    slope = (8.0 * (log_lower_gamma_ratio(x + 1.0 + step, y) - log_lower_gamma_ratio(x + 1.0 - step, y))
             - (log_lower_gamma_ratio(x + 1.0 + 2 * step, y) - log_lower_gamma_ratio(x + 1.0 - 2 * step, y))
             ) / (12.0 * step)
    mean_wait_answered = pat * (1.0 / (x + 1.0) - slope)
    answered = 1.0 - p_abandon[live]
    asa[live] = np.where(answered > 0, wait * served * mean_wait_answered / np.maximum(answered, 1e-300), np.nan)
    return np.clip(service_level, 0.0, 1.0), asa, p_wait, p_abandon


def queue_metrics(agents: ArrayLike, calls: ArrayLike, aht_seconds: ArrayLike, interval_minutes: ArrayLike,
                  answer_seconds: ArrayLike, *, patience_seconds: ArrayLike | None = None,
                  concurrency: ArrayLike = 1) -> QueueMetrics:
    """Service level, ASA, P(wait), occupancy (and P(abandon)) for a given headcount.

    Erlang C by default; Erlang A (callers abandon after an exponential patience with the given mean)
    when ``patience_seconds`` is given. Zero calls give service level 1 and occupancy 0.

    Examples
    --------
    >>> m = queue_metrics(14, 100, 180, 30, 20)
    >>> round(float(m.service_level), 4), round(float(m.asa_seconds), 2)
    (0.8884, 7.84)
    """
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (
        agents, calls, aht_seconds, interval_minutes, answer_seconds, concurrency,
        np.inf if patience_seconds is None else patience_seconds)))
    agents_f, calls_f, aht, interval, answer, conc, patience = (np.array(v, dtype=float) for v in arrays)
    _check_inputs(agents=agents_f, calls=calls_f, aht_seconds=aht, interval_minutes=interval, answer_seconds=answer,
                  concurrency=conc, **({} if patience_seconds is None else {"patience_seconds": patience}))
    load = offered_load(calls_f, aht, interval)
    servers = agents_f * conc
    if patience_seconds is None:
        service_level, asa, p_wait = _erlang_c_metrics(servers, load, aht, answer)
        p_abandon = np.zeros(load.shape)
        carried = np.where(servers > load, load, servers)
    else:
        service_level, asa, p_wait, p_abandon = _erlang_a_metrics(servers, load, aht, answer, patience)
        carried = load * (1.0 - p_abandon)
    occupancy = np.divide(carried, servers, out=np.zeros(load.shape), where=servers > 0)
    return QueueMetrics(agents=agents_f.astype(np.int64), erlangs=load, service_level=service_level,
                        asa_seconds=asa, p_wait=p_wait, occupancy=np.clip(occupancy, 0.0, 1.0),
                        p_abandon=p_abandon)


def _ceil_ratio(value: FloatArray, fraction: Fraction) -> FloatArray:
    """ceil(value / fraction), forgiving float noise below 1e-12 relative (so 21 / 0.7 gives 30)."""
    scaled = value * fraction.denominator / fraction.numerator
    return np.ceil(scaled * (1.0 - 1e-12))


def _exact(value: float) -> Fraction:
    """The decimal a user typed (0.7), not the binary float nearest to it."""
    return Fraction(repr(float(value))).limit_denominator(10**9)


def required_agents(calls: ArrayLike, aht_seconds: ArrayLike, interval_minutes: ArrayLike,
                    service_level: ArrayLike, answer_seconds: ArrayLike, max_occupancy: ArrayLike = 1.0, *,
                    patience_seconds: ArrayLike | None = None, concurrency: ArrayLike = 1,
                    ) -> int | IntArray:
    """The smallest headcount meeting the service level and the occupancy cap, per interval.

    Parameters
    ----------
    calls
        Contacts offered in the interval (fractional forecasts are fine).
    aht_seconds
        Average handle time in seconds.
    interval_minutes
        Interval length in minutes.
    service_level
        Target share answered within ``answer_seconds``, in (0, 1).
    answer_seconds
        The answer-time threshold of the target.
    max_occupancy
        Cap on the share of time agents are busy, in (0, 1].
    patience_seconds
        Mean caller patience; when given, Erlang A is used (abandons count against the target).
    concurrency
        Contacts an agent handles at once (chat).

    Returns
    -------
    int or numpy.ndarray of int
        Agents needed (0 where there are no calls).

    Examples
    --------
    >>> required_agents(100, 180, 30, 0.8, 20)
    14
    """
    scalar = all(v is None or np.ndim(v) == 0 for v in (calls, aht_seconds, interval_minutes, service_level,
                                             answer_seconds, max_occupancy, concurrency, patience_seconds))
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (
        calls, aht_seconds, interval_minutes, service_level, answer_seconds, max_occupancy, concurrency,
        np.inf if patience_seconds is None else patience_seconds)))
    calls_f, aht, interval, target, answer, occupancy_cap, conc, patience = (np.array(v) for v in arrays)
    _check_inputs(calls=calls_f, aht_seconds=aht, interval_minutes=interval, service_level=target,
                  answer_seconds=answer, max_occupancy=occupancy_cap, concurrency=conc,
                  **({} if patience_seconds is None else {"patience_seconds": patience}))
    load = offered_load(calls_f, aht, interval)

    def meets(servers: FloatArray, rows: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """Whether ``servers`` meet both rules in the intervals ``rows`` (the others are not evaluated)."""
        n, a = servers[rows], load[rows]
        if patience_seconds is None:
            level = _erlang_c_metrics(n, a, aht[rows], answer[rows])[0]
            carried = a
        else:
            level, _, _, p_abandon = _erlang_a_metrics(n, a, aht[rows], answer[rows], patience[rows],
                                                       with_asa=False)
            carried = a * (1 - p_abandon)
        occupancy = np.divide(carried, n, out=np.ones(n.shape), where=n > 0)
        out = np.zeros(servers.shape, dtype=bool)
        out[rows] = (level >= target[rows]) & (occupancy <= occupancy_cap[rows] * (1 + 1e-12))
        return out

    # Bisection on servers between an infeasible lower and a feasible upper bound, all intervals at once.
    busy = load > 0
    # Erlang C needs more servers than the load and than load / cap; with abandonment (Erlang A) the carried
    # load is smaller than the offered load, so no such floor holds and the search starts at zero.
    low = np.zeros(load.shape)
    if patience_seconds is None:
        occupancy_floor = np.zeros(load.shape)
        for cap in np.unique(occupancy_cap):
            where = occupancy_cap == cap
            occupancy_floor[where] = _ceil_ratio(load[where], _exact(cap))
        low = np.where(busy, np.maximum(np.floor(load), occupancy_floor - 1.0), 0.0)
    high = np.maximum(low + 1.0, np.ceil(load + 4.0 * np.sqrt(load) + 5.0))
    ok = meets(high, busy) | ~busy
    while not ok.all():
        if (high[~ok] > _SEARCH_LIMIT).any():  # a safety net: no admitted input gets here
            raise InputError("service_level", f"cannot be met by any headcount up to {_SEARCH_LIMIT:g} servers; "
                                              "lower the target or raise answer_seconds")
        low = np.where(ok, low, high)
        high = np.where(ok, high, 2.0 * high + 1.0)
        ok = ok | meets(high, ~ok)
    while (gap := busy & (high - low > 1)).any():
        mid = np.where(gap, np.floor((low + high) / 2.0), high)
        fine = meets(mid, gap)
        high = np.where(gap & fine, mid, high)
        low = np.where(gap & ~fine, mid, low)
    servers = np.where(busy, high, 0.0)
    agents = np.ceil(servers / conc).astype(np.int64)
    if agents.size and agents.max() > MAX_AGENTS:
        worst = int(np.argmax(agents))
        cap, level = float(occupancy_cap.flat[worst]), float(target.flat[worst])
        name, value = (("max_occupancy", cap) if load.flat[worst] / cap > MAX_AGENTS * conc.flat[worst]
                       else ("service_level", level))
        raise InputError(name, f"needs {agents.max():,} agents in one interval, more than the {MAX_AGENTS:,} wfm "
                               f"sizes, got {value:g}; check it and the load")
    return int(agents) if scalar else agents


Rule = tuple[Callable[[FloatArray], NDArray[np.bool_]], str]

# Each field's rules in order; the first one broken gives the message (NaN breaks every rule).
_RULES: dict[str, tuple[Rule, ...]] = {
    "agents": ((lambda v: (v >= 0) & (v == np.round(v)), "must be a whole number >= 0"),
               (lambda v: v <= MAX_AGENTS, f"must be at most {MAX_AGENTS:,} in one interval")),
    "calls": ((lambda v: v >= 0, "must be >= 0"),
              (np.isfinite, "must be a finite number of contacts")),
    "aht_seconds": ((lambda v: (v > 0) & np.isfinite(v), "must be > 0 and finite"),
                    (lambda v: v <= MAX_SECONDS, f"must be at most {MAX_SECONDS:.0f} (a day)")),
    "interval_minutes": ((lambda v: (v > 0) & np.isfinite(v), "must be > 0 and finite"),
                         (lambda v: (v >= MIN_INTERVAL_MINUTES) & (v <= MAX_INTERVAL_MINUTES),
                          f"must be between {MIN_INTERVAL_MINUTES:.0f} and {MAX_INTERVAL_MINUTES:.0f} (a day)")),
    "service_level": ((lambda v: (v > 0) & (v < 1), "must be in (0, 1)"),),
    "answer_seconds": ((lambda v: v >= 0, "must be >= 0"),
                       (lambda v: v <= MAX_SECONDS, f"must be finite and at most {MAX_SECONDS:.0f} (a day)")),
    "max_occupancy": ((lambda v: (v > 0) & (v <= 1), "must be in (0, 1]"),),
    "concurrency": ((lambda v: (v >= 1) & (v == np.round(v)), "must be a whole number >= 1"),
                    (lambda v: v <= MAX_CONCURRENCY, f"must be at most {MAX_CONCURRENCY} contacts at once")),
    "patience_seconds": ((lambda v: v > 0, "must be > 0"),
                         (lambda v: v <= MAX_PATIENCE_SECONDS, f"must be finite and at most {MAX_PATIENCE_SECONDS:g} "
                                                               "(longer patience is Erlang C: leave it out)")),
}


def _check_inputs(**values: FloatArray) -> None:
    """Refuse out-of-range arguments with an InputError naming the first one (and NaN, which no rule admits),
    and loads above :data:`MAX_ERLANGS`."""
    for name, array in values.items():
        for valid, rule in _RULES[name]:
            with np.errstate(invalid="ignore"):
                ok = valid(array)
            if not np.all(ok):
                bad = array[~ok].flat[0]
                raise InputError(name, f"{rule}, got {bad:g}")
    with np.errstate(over="ignore"):
        load = offered_load(values["calls"], values["aht_seconds"], values["interval_minutes"])
    if load.size and load.max() > MAX_ERLANGS:
        worst = int(np.argmax(load))
        calls = float(np.broadcast_to(values["calls"], load.shape).flat[worst])
        raise InputError("calls", f"{calls:g} with this aht_seconds and interval_minutes is an offered load of "
                                  f"{load.max():.3g} Erlangs, above the maximum of {MAX_ERLANGS:,.0f} Erlangs in one "
                                  "interval; check the units (contacts per interval, seconds, minutes)")


def scheduled_agents(agents: ArrayLike, shrinkage: float) -> int | IntArray:
    """Agents to schedule so that ``agents`` remain after shrinkage: the smallest integer >= agents / (1 - s).

    Computed in exact rational arithmetic, so 21 agents at 30% shrinkage give 30, not 31.

    >>> scheduled_agents(21, 0.3)
    30
    """
    if not 0.0 <= shrinkage < 1.0:
        raise InputError("shrinkage", f"must be in [0, 1), got {shrinkage:g}")
    available = 1 - _exact(shrinkage)
    counts = np.asarray(agents)
    if np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise InputError("agents", "must be whole numbers >= 0")
    whole = counts.astype(np.int64)
    # ceil(n * q / p) with integers only.
    result = -((-whole * available.denominator) // available.numerator)
    return int(result) if np.ndim(agents) == 0 else result
