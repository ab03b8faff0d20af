"""Solving the covering model: the LP relaxation for a lower bound, then the integer program.

The reported ``bound`` is the best proven lower bound we hold: the LP relaxation, or the solver's own
dual bound when it reports a better one (HiGHS; CBC's is not readable through PuLP). ``gap = (objective -
bound) / objective``, measured by us, not taken from the solver's say-so; a CBC "optimal" on a small model
may therefore show a gap above the requested one (CBC proved it against its own, tighter bound).

Default solvers, from ``python bench/schedule.py`` on a 2-core machine (one week, 15-minute intervals,
peak 150 agents, 4-10 h shifts every 15 minutes; gap to the LP bound):

============  ==================  ==================
model         CBC                 HiGHS
============  ==================  ==================
shifts        optimal, 0.7 s      optimal, 1.0 s
breaks        0.43% in 30 s       1.07% in 34 s
tours         0.52% in 50 s       0.73% in 119 s
breaks x10    0.09% in 23 s       0.11% in 17 s
============  ==================  ==================

HiGHS overruns its time limit in the day windows and finds fewer improvements there, so "auto" is CBC.

Coverage is a hard requirement whenever the LP relaxation shows it can be met: the shortfall variables are
then held at zero, so the integer search only ever sees covered schedules and its gap is a gap on cost. Only
when the rules themselves force a shortfall (named agents, caps) does it stay a penalty; ``forced_short``
reports the LP's minimum shortfall then.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from scheduling.improve import improve_by_days, rounded_start
from scheduling.lp import Backend, SolveStatus, available_backends
from scheduling.model import CoverModel, ModelKind
from wfm.errors import InfeasibleError, SolverError

#: Default solver per model kind, chosen by bench/schedule.py on a 2-core machine (see the module docs).
DEFAULT_BACKEND: dict[ModelKind, Backend] = {"shifts": "cbc", "breaks": "cbc", "tours": "cbc"}
#: Models with more integer variables than this are solved by fix-and-optimise over day windows.
DIRECT_MIP_LIMIT = 4000
#: Relative gap each day window is solved to.
WINDOW_GAP = 0.0005


@dataclass(frozen=True)
class SolveReport:
    """How one schedule solve went: the solver's own figures, embedded as is in every summary that shows them.

    ``status`` is "optimal" (proven within ``gap_limit`` of the bound) or "feasible" (stopped at the time
    limit); ``objective`` is cost plus penalties; ``bound`` the best proven lower bound of it (the LP relaxation
    ``lp_bound``, or the solver's own when better); ``gap`` = (objective - bound) / objective; ``seconds`` the
    solve time (LP and integer search; in a schedule's summary, from the start of building the models to the
    end of the last group's solve, the clock of the event times below); ``backend`` the solver used ("cbc" or
    "highs"); ``model`` the kind of covering model (shifts, breaks or tours) and its size. ``forced_short``
    is the agent-intervals the LP relaxation could not cover (0 when the rules allow full coverage);
    ``first_covered_seconds`` and ``gap_reached_seconds`` when the first solution leaving nothing short, and
    the first within ``gap_limit``, were found (NaN: never, or not observed inside a solver run).
    """

    status: SolveStatus
    objective: float
    bound: float
    lp_bound: float
    gap: float
    gap_limit: float
    seconds: float
    backend: Backend
    model: ModelKind
    integer_variables: int
    constraints: int
    forced_short: float = 0.0
    first_covered_seconds: float = math.nan
    gap_reached_seconds: float = math.nan


def pick_backend(requested: str, kind: ModelKind) -> Backend:
    """The solver to use: the one requested, or for "auto" the benchmarked default for this model kind."""
    if requested == "auto":
        preferred = DEFAULT_BACKEND[kind]
        return preferred if preferred in available_backends() else "cbc"
    if requested not in ("cbc", "highs"):
        raise SolverError(f"solver: unknown solver {requested!r}; use auto, cbc or highs")
    return requested  # type: ignore[return-value]


def _gap(objective: float, bound: float) -> float:
    if math.isnan(bound):
        return math.nan
    return max(0.0, (objective - bound) / max(abs(objective), 1e-9))


def solve_model(model: CoverModel, backend: Backend, *, time_limit_seconds: float, gap: float,
                say: Callable[[str], None] = lambda message: None) -> SolveReport:
    """Solve the LP relaxation (the bound), round it to an integer start, then improve it in the time left.

    Models up to ``DIRECT_MIP_LIMIT`` integer variables go to the solver whole (warm-started); larger ones
    are improved by fix-and-optimise over day windows (see :mod:`scheduling.improve`). Status "optimal"
    means proven within ``gap`` of the bound.

    Raises
    ------
    InfeasibleError
        When the hard rules (min_count, max_count, caps) cannot hold together.
    SolverError
        When the solver stops without any solution.
    """
    lp = model.lp
    started = time.perf_counter()
    relaxed = lp.solve(backend, time_limit_seconds=time_limit_seconds, gap=gap, relax=True)
    if relaxed.status == "infeasible":
        raise InfeasibleError("shifts.min_count / shifts.max_count and groups.headcount_cap / budget_cap "
                              "contradict each other: no schedule meets them all; relax one of them")
    lp_bound = relaxed.objective if relaxed.status == "optimal" else math.nan
    forced = sum(lp.value(row.under) for row in model.cover_rows) if relaxed.status == "optimal" else math.nan
    forced = 0.0 if forced < 1e-6 else forced
    times = _Times(started, gap)
    start: dict[Any, float] = {}
    start_ok = False
    solution = {v: lp.value(v) for v in lp.variables()}
    hard = forced == 0.0
    unders = [row.under for row in model.cover_rows]
    if hard:
        lp.fix(dict.fromkeys(unders, 0.0))
    if relaxed.status == "optimal":
        start, start_ok = _best_start(model, solution, every=bool(model.tours))
    if hard and not start_ok and relaxed.status == "optimal":
        # No covered integer start: coverage goes back to a penalty, and the search may leave intervals short.
        hard = False
        lp.release(unders, {row.under: row.required for row in model.cover_rows})
        start, start_ok = _best_start(model, solution, every=bool(model.tours))
    start_objective = lp.objective_value() if start_ok else math.inf
    if start_ok:
        times.note(model, start_objective, lp_bound)
    why = ("the LP relaxation stopped unsolved" if math.isnan(forced) else
           f"{forced:,.1f} agent-intervals short in the LP" if forced > 0 else "no rounded start covers every interval")
    say(f"LP bound {lp_bound:.2f}; rounded start {start_objective:.2f}"
        + ("" if hard else f"; coverage is a penalty ({why})"))
    remaining = max(time_limit_seconds - (time.perf_counter() - started), 1.0)

    def finish(status: SolveStatus, objective: float, bound: float) -> SolveReport:
        return SolveReport(status=status, objective=objective, bound=bound, lp_bound=lp_bound,
                           gap=_gap(objective, bound), gap_limit=gap, seconds=time.perf_counter() - started,
                           backend=backend, model=model.kind, integer_variables=lp.integer_count,
                           constraints=lp.row_count, forced_short=forced, first_covered_seconds=times.covered,
                           gap_reached_seconds=times.reached)

    if start_ok and lp.integer_count > DIRECT_MIP_LIMIT:
        improve_by_days(model, backend, seconds=remaining, gap=min(gap, WINDOW_GAP), say=say,
                        target=lp_bound / (1 - gap) if gap < 1 else math.inf,
                        on_incumbent=lambda objective: times.note(model, objective, lp_bound))
        objective = lp.objective_value()
        return finish("optimal" if _gap(objective, lp_bound) <= gap else "feasible", objective,
                      min(lp_bound, objective))
    outcome = lp.solve(backend, time_limit_seconds=remaining, gap=gap, warm_start=start_ok)
    if outcome.status in ("infeasible", "no_solution") or outcome.objective > start_objective:
        if not start_ok:
            raise SolverError(f"the {backend} solver found no schedule within {time_limit_seconds:g} s "
                              f"({outcome.status}); raise the time limit (--time-limit) or try the other solver")
        # The solver found nothing better than the rounded LP solution: keep that.
        lp.set_values(start)
        outcome = replace(outcome, status="optimal" if outcome.status == "optimal" else "feasible",
                          objective=start_objective)
    else:
        times.note(model, outcome.objective, lp_bound)
    bound = max((b for b in (lp_bound, outcome.dual_bound) if not math.isnan(b)), default=math.nan)
    bound = min(bound, outcome.objective)
    return finish(outcome.status, outcome.objective, bound)


def _best_start(model: CoverModel, solution: dict[Any, float], *, every: bool) -> tuple[dict[Any, float], bool]:
    """An integer start rounded from the LP ``solution``: rounded to nearest and repaired, else rounded down and
    repaired, else rounded down; with ``every`` (tours, where rounding down and adding whole tours is often
    cheaper) the cheapest of all that meet every constraint. The start is left on the variables."""
    lp = model.lp
    best: tuple[float, dict[Any, float]] | None = None
    for down, repair in ((False, True), (True, True), (True, False)):
        if best is not None and not repair:
            break
        start = rounded_start(model, solution, down=down, repair=repair)
        lp.set_values(start)
        if lp.values_feasible():
            if best is None or lp.objective_value() < best[0]:
                best = (lp.objective_value(), start)
            if not every:
                break
    if best is None:
        return start, False
    lp.set_values(best[1])
    return best[1], True


class _Times:
    """When the first covered solution, and the first within the gap, were seen (seconds from ``started``)."""

    def __init__(self, started: float, gap: float) -> None:
        self.started, self.gap = started, gap
        self.covered = self.reached = math.nan

    def note(self, model: CoverModel, objective: float, bound: float) -> None:
        """Record the incumbent now on the model's variables."""
        now = time.perf_counter() - self.started
        covered = all(model.lp.value(row.under) < 1e-6 for row in model.cover_rows)
        if covered and math.isnan(self.covered):
            self.covered = now
        if covered and math.isnan(self.reached) and _gap(objective, bound) <= self.gap:
            self.reached = now
