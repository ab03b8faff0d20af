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
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from scheduling.lp import Backend
from scheduling.model import CoverModel

#: Time a window solve spends outside the solver (PuLP writing and reading the model), kept out of its limit.
WINDOW_OVERHEAD_SECONDS = 0.7


def _apportion(values: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers summing to ``total``, in proportion to ``values`` (largest remainders)."""
    values = np.maximum(values, 0.0)
    scaled = values / values.sum() * total if values.sum() > 0 else np.full(len(values), total / len(values))
    whole = np.floor(scaled + 1e-9).astype(np.int64)
    order = np.argsort(-(scaled - whole), kind="stable")
    whole[order[: total - int(whole.sum())]] += 1
    return whole


def _cumulative(values: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers summing to ``total`` whose running sums stay within half of the running sums of ``values``
    scaled to ``total`` (systematic rounding: in time order, no stretch of starts gains or loses a whole shift)."""
    values = np.maximum(values, 0.0)
    scaled = values / values.sum() * total if values.sum() > 0 else np.full(len(values), total / len(values))
    running = np.floor(np.cumsum(scaled) + 0.5 + 1e-9)
    running[-1] = total
    return np.diff(np.concatenate([[0.0], running])).astype(np.int64)


def _round_day(model: CoverModel, xs: list[Any], lp_values: np.ndarray, total: int) -> np.ndarray:
    """A toured day's ``total`` shifts spread like the LP's: the total apportioned among shift kinds, then each
    kind's shifts rounded systematically in start order, so coverage over the day keeps the LP's shape."""
    kind_of = {x: k for _, k, x in model.shifts}
    slot_of = {x: s.slot for s, _, x in model.shifts}
    kinds = sorted({kind_of[x] for x in xs})
    members = [np.array([i for i, x in enumerate(xs) if kind_of[x] == k]) for k in kinds]
    totals = _apportion(np.array([lp_values[m].sum() for m in members]), total)
    whole = np.zeros(len(xs), dtype=np.int64)
    for m, kind_total in zip(members, totals, strict=True):
        ordered = m[np.argsort([slot_of[xs[i]] for i in m], kind="stable")]
        whole[ordered] = _cumulative(lp_values[ordered], int(kind_total))
    return whole


def _round_tours(model: CoverModel, relaxed: Mapping[Any, float]) -> dict[Any, float]:
    """Whole tours from the LP's: each pattern rounded down, then agents added, one pattern at a time, until
    every day has at least the LP's shifts (rounded up) of each template; each time the pattern whose working
    days are most short, the largest fraction breaking ties. Fewer tours than rounding each to nearest."""
    whole: dict[Any, float] = {}
    for t in sorted({tour.template for tour in model.tours}):
        tours = [tour for tour in model.tours if tour.template == t]
        days = sorted(day for template, day in model.day_shifts if template == t)
        works = np.array([[tour.pattern[model.weekdays[day]] for day in days] for tour in tours], dtype=np.int64)
        wanted = np.array([np.ceil(sum(relaxed[x] for x in model.day_shifts[(t, day)]) - 1e-6) for day in days])
        lp_counts = np.array([relaxed[tour.variable] for tour in tours])
        counts = np.floor(lp_counts + 1e-6)
        while True:
            short = counts @ works < wanted
            gains = works @ short
            if not gains.any():
                break
            counts[np.lexsort((-(lp_counts - counts), -gains))[0]] += 1
        whole.update({tour.variable: float(c) for tour, c in zip(tours, counts, strict=True)})
    return whole


def rounded_start(model: CoverModel, relaxed: Mapping[Any, float], *, down: bool = False, repair: bool = True,
                  ) -> dict[Any, float]:
    """An integer solution rounded from the LP relaxation's values ``relaxed``.

    Tours are rounded to the nearest whole agent and each day's shifts apportioned to the agents working;
    without tours each day's shifts are rounded up in total and apportioned among starts and lengths, then
    shifts are added (``repair``) where intervals are left short, within the upper limits (caps, named
    agents). Break counts are apportioned to their shifts; the slacks follow from the coverage. With
    ``down``, everything is rounded down, which keeps every upper limit the LP met.
    """
    value = relaxed.__getitem__
    start: dict[Any, float] = {}
    if down:
        start.update({tour.variable: float(np.floor(value(tour.variable) + 1e-6)) for tour in model.tours})
    else:
        start.update(_round_tours(model, relaxed))
    tour_templates = {tour.template for tour in model.tours}
    for (t, day), xs in model.day_shifts.items():
        lp_values = np.array([value(x) for x in xs])
        if t in tour_templates:
            total = int(sum(start[tour.variable] for tour in model.tours
                            if tour.template == t and tour.pattern[model.weekdays[day]]))
        else:
            total = int(np.floor(lp_values.sum() + 1e-6) if down else np.ceil(lp_values.sum() - 1e-6))
        # Toured shifts always sum to the agents working that day; others are rounded down with ``down``.
        if t in tour_templates:
            whole = _round_day(model, xs, lp_values, total)
        else:
            whole = np.floor(lp_values + 1e-6) if down else _apportion(lp_values, total)
        start.update(zip(xs, whole.astype(float), strict=True))
    _place_breaks(model, relaxed, start, repair=repair)
    return start


def _deficit(model: CoverModel, start: Mapping[Any, float]) -> dict[str, np.ndarray]:
    """Agents short (negative: over) per group and interval under the values ``start``."""
    n = model.n_slots
    windows = {(k.template, w.key): w for k in model.kinds for w in k.breaks}
    deficit = {group: np.array(required, dtype=float) for group, required in model.required.items()}
    for s, k, x in model.shifts:
        if start[x]:
            span = np.arange(s.slot, s.slot + model.kinds[k].length_slots) % n
            deficit[model.group_of_template[s.template]][span] -= start[x]
    for (t, key, slot), pool in model.breaks.items():
        for offset, w in pool:
            if start[w]:
                taken = np.arange(slot + offset, slot + offset + windows[(t, key)].length_slots) % n
                deficit[model.group_of_template[t]][taken] += start[w]
    return deficit


def _room(model: CoverModel, start: Mapping[Any, float]) -> tuple[list[float], dict[Any, list[tuple[int, float]]]]:
    """What is left under each upper limit, and the limits each variable is in (index, coefficient)."""
    room = [cap - sum(c * start[v] for v, c in terms.items()) for terms, cap in model.limits]
    limits_of: dict[Any, list[tuple[int, float]]] = defaultdict(list)
    for index, (terms, _) in enumerate(model.limits):
        for v, coefficient in terms.items():
            limits_of[v].append((index, coefficient))
    return room, limits_of


def _repair_tours(model: CoverModel, start: dict[Any, float]) -> None:
    """Add whole tours where the rounded start leaves intervals short: one more agent on the days-off pattern
    whose working days' best shifts cover most short intervals per cost, each day's shift with its breaks
    where they leave nothing short, until nothing is short or no tour helps (within the upper limits)."""
    if not model.tours:
        return
    n = model.n_slots
    deficit = _deficit(model, start)
    room, limits_of = _room(model, start)
    options: dict[tuple[int, int], list[tuple[Any, int, Any]]] = defaultdict(list)
    for s, k, x in model.shifts:
        options[(s.template, s.day)].append((s, k, x))
    tours_of: dict[int, list[Any]] = defaultdict(list)
    for tour in model.tours:
        tours_of[tour.template].append(tour)
    days = sorted({day for _, day in model.day_shifts})

    def fits(variable: Any, extra: dict[int, float]) -> bool:
        upper = model.lp.upper(variable)
        if upper is not None and start[variable] >= upper:
            return False
        return all(c + extra.get(i, 0.0) <= room[i] + 1e-9 for i, c in limits_of[variable])

    while True:
        best: tuple[float, Any, list[tuple[Any, int, Any, list[tuple[Any, int]]]]] | None = None
        for t, tours in tours_of.items():
            short = deficit[model.group_of_template[t]]
            if not (short > 0).any():
                continue
            gaps = np.concatenate([short > 0, short > 0]).astype(np.int64)
            prefix = np.concatenate([[0], np.cumsum(gaps)])
            picks: dict[int, tuple[float, float, tuple[Any, int, Any, list[tuple[Any, int]]]]] = {}
            for day in days:
                chosen = None
                for s, k, x in options[(t, day)]:
                    if not fits(x, {}):
                        continue
                    kind = model.kinds[k]
                    begin = s.slot % n
                    gain = float(prefix[begin + kind.length_slots] - prefix[begin])
                    placed = []
                    for window in kind.breaks:
                        loss, offset = min((float(prefix[begin + o + window.length_slots] - prefix[begin + o]), o)
                                           for o in window.offsets)
                        gain -= loss
                        placed.append((window, offset))
                    if chosen is None or (gain, -kind.cost) > (chosen[0], -chosen[1]):
                        chosen = (gain, kind.cost, (s, k, x, placed))
                if chosen is not None:
                    picks[day] = chosen
            for tour in tours:
                working = [day for day in days if tour.pattern[model.weekdays[day]]]
                if any(day not in picks for day in working) or not fits(tour.variable, {}):
                    continue
                gain = sum(picks[day][0] for day in working)
                cost = sum(picks[day][1] for day in working)
                if gain > 0 and (best is None or gain / max(cost, 1e-9) > best[0]):
                    best = (gain / max(cost, 1e-9), tour.variable, [picks[day][2] for day in working])
        if best is None:
            return
        _, y, shifts = best
        start[y] += 1
        for index, coefficient in limits_of[y]:
            room[index] -= coefficient
        for s, k, x, placed in shifts:
            group = model.group_of_template[s.template]
            start[x] += 1
            for index, coefficient in limits_of[x]:
                room[index] -= coefficient
            deficit[group][np.arange(s.slot, s.slot + model.kinds[k].length_slots) % n] -= 1
            for window, offset in placed:
                w = next(var for o, var in model.breaks[(s.template, window.key, s.slot)] if o == offset)
                start[w] += 1
                deficit[group][np.arange(s.slot + offset, s.slot + offset + window.length_slots) % n] += 1


class _ToursFloor:
    """The shifts of toured templates as the start holds them, with each group's deficit and the room under
    each upper limit, for taking shifts away where nothing goes short."""

    def __init__(self, model: CoverModel, start: dict[Any, float]) -> None:
        self.model, self.start, self.n = model, start, model.n_slots
        self.deficit = _deficit(model, start)
        self.room, self.limits_of = _room(model, start)
        toured = {tour.template for tour in model.tours}
        self.options: dict[tuple[int, int], list[tuple[Any, int, Any]]] = defaultdict(list)
        for s, k, x in model.shifts:
            if s.template in toured:
                self.options[(s.template, s.day)].append((s, k, x))

    def _span(self, slot: int, length: int) -> np.ndarray:
        return np.arange(slot, slot + length) % self.n

    def change(self, variable: Any, step: int) -> None:
        """Add ``step`` to a variable, keeping the room under its limits."""
        self.start[variable] += step
        for index, coefficient in self.limits_of[variable]:
            self.room[index] -= step * coefficient

    def removable(self, t: int, day: int) -> tuple[Any, int, Any, list[Any]] | None:
        """The dearest shift of template ``t`` on ``day`` whose removal (with breaks where the floor is tight)
        leaves nothing short, or None."""
        best = None
        for s, k, x in self.options[(t, day)]:
            if self.start[x] < 1:
                continue
            kind = self.model.kinds[k]
            short = self.deficit[self.model.group_of_template[t]]
            tight = np.zeros(self.n, dtype=bool)
            tight[self._span(s.slot, kind.length_slots)] = True
            tight &= short > -1
            taken = []
            for window in kind.breaks:
                pool = [(o, w) for o, w in self.model.breaks[(t, window.key, s.slot)] if self.start[w] >= 1]
                if not pool:
                    break
                o, w = max(pool, key=lambda ow: int(tight[self._span(s.slot + ow[0], window.length_slots)].sum()))
                tight[self._span(s.slot + o, window.length_slots)] = False
                taken.append(w)
            if len(taken) == len(kind.breaks) and not tight.any() and (best is None or kind.cost > best[0]):
                best = (kind.cost, (s, k, x, taken))
        return None if best is None else best[1]

    def remove(self, shift: tuple[Any, int, Any, list[Any]]) -> None:
        """Take a shift (and its breaks) off the floor."""
        s, k, x, taken = shift
        group = self.model.group_of_template[s.template]
        self.change(x, -1)
        self.deficit[group][self._span(s.slot, self.model.kinds[k].length_slots)] += 1
        windows = {w: (o, key) for key in {b.key for b in self.model.kinds[k].breaks}
                   for o, w in self.model.breaks[(s.template, key, s.slot)]}
        lengths = {b.key: b.length_slots for b in self.model.kinds[k].breaks}
        for w in taken:
            o, key = windows[w]
            self.change(w, -1)
            self.deficit[group][self._span(s.slot + o, lengths[key])] -= 1


def _drop_tours(model: CoverModel, start: dict[Any, float]) -> None:
    """Take away whole tours nobody needs: an agent of a days-off pattern and, on each of its working days, a
    shift whose removal leaves nothing short, while one can be found."""
    if not model.tours:
        return
    floor = _ToursFloor(model, start)
    days = sorted({day for _, day in model.day_shifts})
    dropped = True
    while dropped:
        dropped = False
        for tour in sorted(model.tours, key=lambda tour: -start[tour.variable]):
            if start[tour.variable] < 1:
                continue
            saved = (dict(start), {g: d.copy() for g, d in floor.deficit.items()}, list(floor.room))
            for day in days:
                if not tour.pattern[model.weekdays[day]]:
                    continue
                spare = floor.removable(tour.template, day)
                if spare is None:
                    break
                floor.remove(spare)
            else:
                floor.change(tour.variable, -1)
                dropped = True
                continue
            start.clear()
            start.update(saved[0])
            floor.deficit, floor.room = saved[1], saved[2]


def _repair(model: CoverModel, start: dict[Any, float]) -> None:
    """Add shifts (of templates without tours) where the rounded start leaves intervals short, most short
    intervals covered per cost first, each with its breaks where they leave nothing short."""
    n = model.n_slots
    deficit = _deficit(model, start)
    room, limits_of = _room(model, start)
    toured = {tour.template for tour in model.tours}
    covering: dict[tuple[str, int], list[tuple[Any, int, Any, np.ndarray]]] = defaultdict(list)
    for s, k, x in model.shifts:
        if s.template not in toured:
            span = np.arange(s.slot, s.slot + model.kinds[k].length_slots) % n
            for covered in span.tolist():
                covering[(model.group_of_template[s.template], covered)].append((s, k, x, span))
    for group, short in deficit.items():
        hopeless = np.zeros(n, dtype=bool)
        while True:
            open_slots = np.flatnonzero((short > 0) & ~hopeless)
            if not open_slots.size:
                break
            first = int(open_slots[0])
            best, best_score, best_breaks = None, 0.0, []
            for s, k, x, span in covering[(group, first)]:
                upper = model.lp.upper(x)
                if (upper is not None and start[x] >= upper) or any(c > room[i] + 1e-9 for i, c in limits_of[x]):
                    continue
                kind = model.kinds[k]
                placed, gain = [], float((short[span] > 0).sum())
                for window in kind.breaks:
                    losses = [(float((short[np.arange(s.slot + o, s.slot + o + window.length_slots) % n] > 0).sum()), o)
                              for o in window.offsets]
                    loss, offset = min(losses)
                    gain -= loss
                    placed.append((window, offset))
                score = gain / max(kind.cost, 1e-9)
                if gain > 0 and score > best_score:
                    best, best_score, best_breaks = (s, k, x, span), score, placed
            if best is None:
                hopeless[first] = True
                continue
            s, k, x, span = best
            start[x] += 1
            for index, coefficient in limits_of[x]:
                room[index] -= coefficient
            short[span] -= 1
            for window, offset in best_breaks:
                w = next(var for o, var in model.breaks[(s.template, window.key, s.slot)] if o == offset)
                start[w] += 1
                short[np.arange(s.slot + offset, s.slot + offset + window.length_slots) % n] += 1


def _place_breaks(model: CoverModel, relaxed: Mapping[Any, float], start: dict[Any, float], *, repair: bool,
                  ) -> None:
    """Apportion each start's breaks among its break positions as the LP did, repair (add shifts where
    short) if asked, then set the slacks."""
    value = relaxed.__getitem__
    x_by_start: dict[tuple[int, int], list[tuple[int, Any]]] = defaultdict(list)
    for s, k, x in model.shifts:
        x_by_start[(s.template, s.slot)].append((k, x))
    for (t, key, slot), pool in model.breaks.items():
        total = int(sum(start[x] for k, x in x_by_start[(t, slot)]
                        if any(w.key == key for w in model.kinds[k].breaks)))
        counts = _apportion(np.array([value(w) for _, w in pool]), total)
        start.update(zip((w for _, w in pool), counts.astype(float), strict=True))
    if repair:
        _repair_tours(model, start)
        _drop_tours(model, start)
        _repair(model, start)
    for row in model.cover_rows:
        covered = sum(coefficient * start[var] for var, coefficient in row.on_shift.items())
        start[row.under] = max(row.required - covered, 0.0)
        start[row.over] = max(covered - row.required, 0.0)
    for terms, missing, count in model.floors:
        start[missing] = max(count - sum(coefficient * start[x] for x, coefficient in terms.items()), 0.0)


def improve_by_days(model: CoverModel, backend: Backend, *, seconds: float, gap: float, target: float,
                    say: Callable[[str], None], on_incumbent: Callable[[float], None] = lambda objective: None,
                    ) -> None:
    """Fix-and-optimise from the current (feasible) values, one day's starts at a time (tours and slacks stay
    free), for ``seconds``, until the objective reaches ``target``, or until a pass over all days changes
    nothing with every window solved to optimality. The best values found are left on the variables;
    ``on_incumbent`` is called with each better objective, the values on the variables.
    """
    lp = model.lp
    everything = lp.variables()
    uppers = {v: lp.upper(v) for v in everything}
    always_free = {tour.variable for tour in model.tours}
    always_free |= {v for row in model.cover_rows for v in (row.under, row.over)}
    always_free |= {missing for _, missing, _ in model.floors}
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
    while not converged:
        converged = True
        for position, day in enumerate(days):
            left = deadline - time.perf_counter()
            if left < 2 * WINDOW_OVERHEAD_SECONDS or best <= target:
                return
            fixed = {v: incumbent[v] for v in everything if v not in by_day[day] and v not in always_free}
            lp.fix(fixed)
            lp.set_values(incumbent)
            budget = left / (len(days) - position) - WINDOW_OVERHEAD_SECONDS
            outcome = lp.solve(backend, time_limit_seconds=max(budget, 1.0), gap=gap, warm_start=True)
            lp.release(fixed, uppers)
            say(f"day {day + 1}: {outcome.status}, objective {best:.2f} -> {outcome.objective:.2f} "
                f"in {outcome.seconds:.1f} s")
            if outcome.status in ("optimal", "feasible") and outcome.objective < best - 1e-6 * max(abs(best), 1):
                incumbent, best = lp.current(everything), outcome.objective
                on_incumbent(best)
                converged = False
            elif outcome.status != "optimal":
                converged = False
            lp.set_values(incumbent)
