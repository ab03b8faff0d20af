"""Heuristics around the integer program: an integer start rounded from the LP relaxation, then
fix-and-optimise over day windows (a MIP per day, the other days held at their current values).

A week of shifts with implicit breaks has some 18,000 integer variables; CBC and HiGHS both struggle to find
good solutions to it directly in 30 s, while the same model restricted to one day's starts solves in a few
seconds. Every window starts from the incumbent, so the objective never gets worse, and the bound reported
stays the LP relaxation of the whole model.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from scheduling.lp import Backend
from scheduling.model import CoverModel


def _apportion(values: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers summing to ``total``, in proportion to ``values`` (largest remainders)."""
    values = np.maximum(values, 0.0)
    scaled = values * (total / values.sum()) if values.sum() > 0 else np.full(len(values), total / len(values))
    whole = np.floor(scaled + 1e-9).astype(np.int64)
    order = np.argsort(-(scaled - whole), kind="stable")
    whole[order[: total - int(whole.sum())]] += 1
    return whole


def rounded_start(model: CoverModel) -> dict[Any, float]:
    """An integer solution rounded from the LP relaxation's values (call after solving the relaxation).

    Tours are rounded to the nearest whole agent and each day's shifts apportioned to the agents working;
    without tours each day's shifts are rounded up in total and apportioned among starts and lengths. Break
    counts are apportioned to their shifts. The slacks then follow from the coverage.
    """
    value = model.lp.value
    start: dict[Any, float] = {}
    for _, _, y in model.tours:
        start[y] = float(round(value(y)))
    tour_templates = {t for t, _, _ in model.tours}
    for (t, day), xs in model.day_shifts.items():
        lp_values = np.array([value(x) for x in xs])
        if t in tour_templates:
            total = int(sum(start[y] for tt, pattern, y in model.tours if tt == t and pattern[model.weekdays[day]]))
        else:
            total = int(np.ceil(lp_values.sum() - 1e-6))
        start.update(zip(xs, _apportion(lp_values, total).astype(float), strict=True))
    _place_breaks(model, start)
    return start


def _place_breaks(model: CoverModel, start: dict[Any, float]) -> None:
    """Apportion each start's breaks among its break positions as the LP did, then set the slacks."""
    value = model.lp.value
    x_by_start: dict[tuple[int, int], list[tuple[int, Any]]] = defaultdict(list)
    for s, k, x in model.shifts:
        x_by_start[(s.template, s.slot)].append((k, x))
    for (t, key, slot), pool in model.breaks.items():
        total = int(sum(start[x] for k, x in x_by_start[(t, slot)]
                        if any(w.key == key for w in model.kinds[k].breaks)))
        counts = _apportion(np.array([value(w) for _, w in pool]), total)
        start.update(zip((w for _, w in pool), counts.astype(float), strict=True))
    for terms, under, over, required in model.cover_rows:
        covered = sum(coefficient * start[var] for var, coefficient in terms.items())
        start[under] = max(required - covered, 0.0)
        start[over] = max(covered - required, 0.0)


def improve_by_days(model: CoverModel, backend: Backend, *, seconds: float, gap: float, target: float,
                    say: Callable[[str], None]) -> bool:
    """Fix-and-optimise from the current (feasible) values, one day's starts at a time, for ``seconds`` or
    until the objective reaches ``target``.

    Returns whether every window was solved to optimality (within ``gap``) in the last pass without
    improving, which proves nothing globally but says the search converged.
    """
    lp = model.lp
    everything = lp.variables()
    uppers = {v: lp.upper(v) for v in everything}
    always_free = {y for _, _, y in model.tours}
    always_free |= {v for _, under, over, _ in model.cover_rows for v in (under, over)}
    by_day: dict[int, set[Any]] = defaultdict(set)
    day_of_start = {}
    for s, _, x in model.shifts:
        by_day[s.day].add(x)
        day_of_start[(s.template, s.slot)] = s.day
    for (t, _, slot), pool in model.breaks.items():
        by_day[day_of_start[(t, slot)]].update(w for _, w in pool)
    incumbent = lp.current(everything)
    best = lp.objective_value()
    deadline = time.perf_counter() + seconds
    days = sorted(by_day)
    converged = False
    while not converged and time.perf_counter() < deadline - 1:
        converged = True
        for position, day in enumerate(days):
            left = deadline - time.perf_counter()
            if left < 1 or best <= target:
                return False
            fixed = {v: incumbent[v] for v in everything if v not in by_day[day] and v not in always_free}
            lp.fix(fixed)
            lp.set_values(incumbent)
            outcome = lp.solve(backend, time_limit_seconds=max(left / (len(days) - position), 1.0), gap=gap,
                               warm_start=True)
            lp.release(fixed, uppers)
            say(f"day {day + 1}: {outcome.status} {outcome.objective:.2f} in {outcome.seconds:.1f} s")
            if outcome.status in ("optimal", "feasible") and outcome.objective < best - 1e-6 * max(abs(best), 1):
                say(f"day {day + 1}: objective {best:.2f} -> {outcome.objective:.2f}")
                incumbent, best = lp.current(everything), outcome.objective
                converged = False
            elif outcome.status != "optimal":
                converged = False
            lp.set_values(incumbent)
    return converged
