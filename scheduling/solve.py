"""Solving the covering model: the LP relaxation for a lower bound, then the integer program.

The reported ``bound`` is the best proven lower bound we hold: the LP relaxation, or the solver's own
dual bound when it reports a better one (HiGHS). ``gap = (objective - bound) / objective``, measured by
us, not taken from the solver's say-so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from scheduling.lp import Backend, SolveStatus, available_backends
from scheduling.model import CoverModel, ModelKind, rounded_start
from wfm.errors import InfeasibleError, SolverError

#: Default solver per model kind, chosen by bench/schedule.py on a 2-core machine (see the module docs).
DEFAULT_BACKEND: dict[ModelKind, Backend] = {"shifts": "highs", "breaks": "highs", "tours": "highs"}


@dataclass(frozen=True)
class SolveReport:
    """Status, objective, lower bound, relative gap and seconds of one schedule solve."""

    status: SolveStatus
    objective: float
    bound: float
    gap: float
    seconds: float
    solver: Backend
    model: ModelKind
    integer_variables: int
    constraints: int


def pick_backend(requested: str, kind: ModelKind) -> Backend:
    """The solver to use: the one requested, or for "auto" the benchmarked default for this model kind."""
    if requested == "auto":
        preferred = DEFAULT_BACKEND[kind]
        return preferred if preferred in available_backends() else "cbc"
    if requested not in ("cbc", "highs"):
        raise SolverError(f"solver: unknown solver {requested!r}; use auto, cbc or highs")
    return requested  # type: ignore[return-value]


def solve_model(model: CoverModel, backend: Backend, *, time_limit_seconds: float, gap: float) -> SolveReport:
    """Solve the LP relaxation (the bound), then the integer program within the time left.

    Raises
    ------
    InfeasibleError
        When the hard rules (min_count, max_count, caps) cannot hold together.
    SolverError
        When the solver stops without any solution.
    """
    relaxed = model.lp.solve(backend, time_limit_seconds=time_limit_seconds, gap=gap, relax=True)
    if relaxed.status == "infeasible":
        raise InfeasibleError("shifts.min_count / shifts.max_count and groups.headcount_cap / budget_cap "
                              "contradict each other: no schedule meets them all; relax one of them")
    lp_bound = relaxed.objective if relaxed.status == "optimal" else math.nan
    start = rounded_start(model) if relaxed.status == "optimal" else {}
    model.lp.set_values(start)
    start_ok = bool(start) and model.lp.values_feasible()
    start_objective = model.lp.objective_value() if start_ok else math.inf
    remaining = max(time_limit_seconds - relaxed.seconds, 1.0)
    outcome = model.lp.solve(backend, time_limit_seconds=remaining, gap=gap, warm_start=start_ok)
    seconds = relaxed.seconds + outcome.seconds
    if outcome.status in ("infeasible", "no_solution") or outcome.objective > start_objective:
        if not start_ok:
            raise SolverError(f"the {backend} solver found no schedule within {time_limit_seconds:g} s "
                              f"({outcome.status}); raise the time limit (--time-limit) or try the other solver")
        # The solver found nothing better than the rounded LP solution: keep that.
        model.lp.set_values(start)
        status = "optimal" if outcome.status == "optimal" else "feasible"
        outcome = replace(outcome, status=status, objective=start_objective)
    bound = max((b for b in (lp_bound, outcome.dual_bound) if not math.isnan(b)), default=math.nan)
    bound = min(bound, outcome.objective)
    scale = max(abs(outcome.objective), 1e-9)
    relative_gap = max(0.0, (outcome.objective - bound) / scale) if not math.isnan(bound) else math.nan
    return SolveReport(status=outcome.status, objective=outcome.objective, bound=bound, gap=relative_gap,
                       seconds=seconds, solver=backend, model=model.kind,
                       integer_variables=model.lp.integer_count, constraints=model.lp.row_count)
