"""solve_schedule: requirements in, shifts with breaks and days off solved, agents assigned, frames out."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from scheduling.grid import Grid, group_requirements, make_grid
from scheduling.model import CoverModel, build_model
from scheduling.outputs import UNMET_COLUMNS, ScheduleResult, ScheduleSummary, coverage_frame, roster_frames
from scheduling.roster import ShiftInstance, SolvedTour, assign_shifts, availability
from scheduling.solve import pick_backend, solve_model
from wfm.config import Config
from wfm.contracts import validate_requirements
from wfm.errors import DataError, Problem


def _solved_shifts(model: CoverModel, config: Config) -> list[ShiftInstance]:
    """Read the solution into shift instances, each given breaks from its start's break counts."""
    value = model.lp.value
    pools: dict[tuple[int, str, int], list[int]] = {
        key: [offset for offset, w in pool for _ in range(round(value(w)))] for key, pool in model.breaks.items()}
    shifts = []
    for start, k, x in model.shifts:
        kind = model.kinds[k]
        for _ in range(round(value(x))):
            breaks = []
            for window in kind.breaks:
                offset = pools[(start.template, window.key, start.slot)].pop()
                breaks.append((window.rule, start.slot + offset, window.length_slots))
            shifts.append(ShiftInstance(group=config.shifts[start.template].group, template=start.template,
                                        day=start.day, start_slot=start.slot, length_slots=kind.length_slots,
                                        paid_hours=kind.paid_hours, cost=kind.cost, breaks=tuple(breaks)))
    return shifts


#: The most agents a staff group may require in one interval. Far above a real team (split a larger center into
#: groups); it bounds the rostering, whose time grows with the square of the shifts.
MAX_AGENTS_PER_INTERVAL = 5_000


def _check_headcount(need: dict[str, np.ndarray], grid: Grid) -> None:
    """Refuse a group requirement above :data:`MAX_AGENTS_PER_INTERVAL`, naming the group and the interval."""
    for group, required in need.items():
        if required.size and required.max() > MAX_AGENTS_PER_INTERVAL:
            slot = int(np.argmax(required))
            raise DataError(Problem("requirements", f"{grid.stamp(slot):%Y-%m-%d %H:%M}", "scheduled_agents",
                                    f"group {group!r} needs {int(required[slot]):,} agents in one interval, more "
                                    f"than the {MAX_AGENTS_PER_INTERVAL:,} wfm schedules; check the requirement, "
                                    "or split the channels into more staff groups"))


def solve_schedule(requirements: pd.DataFrame, config: Config, *, agents: pd.DataFrame | None = None,
                   solver: str | None = None, time_limit_seconds: float | None = None, gap: float | None = None,
                   progress: Callable[[str], None] | None = None) -> ScheduleResult:
    """Cover interval requirements with shifts at least cost, then give the shifts to agents.

    Parameters
    ----------
    requirements
        Frame with ``channel``, ``interval_start`` (on the config grid) and ``scheduled_agents``; other
        columns are ignored. Intervals absent from it are closed (nothing required); the plan spans whole
        weeks from the first day present.
    config
        Groups, break rules, shift templates (with optional days-off rules) and solver settings.
    agents
        Named agents from :func:`wfm.io.read_agents`, or None to generate agent ids.
    solver
        "auto", "cbc" or "highs"; defaults to ``config.solver.backend``.
    time_limit_seconds, gap
        Solver limits; default to the config's.
    progress
        Called with a short message at each stage.

    Returns
    -------
    ScheduleResult
        Roster, breaks, coverage (recomputed from the roster), unmet intervals, unassigned shifts, summary.

    Raises
    ------
    DataError
        Bad requirements, or a group needing more than :data:`MAX_AGENTS_PER_INTERVAL` (5,000) agents in
        one interval.
    InfeasibleError
        Rules that contradict each other (no template reaches a required interval, a break that cannot fit,
        an impossible days-off pattern, hard counts against caps).
    SolverError
        The solver found no schedule in time.

    Examples
    --------
    >>> result = solve_schedule(requirements, load_config("data/example.toml"))  # doctest: +SKIP
    >>> result.summary.coverage  # doctest: +SKIP
    1.0
    """
    say = progress or (lambda message: None)
    requirements = validate_requirements(requirements, source="requirements", interval_minutes=config.interval_minutes,
                                         timezone=config.timezone, channels=list(config.channels))
    grid = make_grid(requirements, config)
    need = group_requirements(requirements, config, grid)
    _check_headcount(need, grid)
    say(f"building the model: {grid.n_days} days x {grid.n_slots // grid.n_days} intervals, {len(need)} groups")
    model = build_model(config, grid, need, availability(agents) if agents is not None else None)
    backend = pick_backend(solver or config.solver.backend, model.kind)
    limit = time_limit_seconds if time_limit_seconds is not None else config.solver.time_limit_seconds
    gap_limit = gap if gap is not None else config.solver.gap
    say(f"solving the {model.kind} model with {backend} ({model.lp.integer_count} integer variables, "
        f"{model.lp.row_count} constraints, limit {limit:g} s)")
    report = solve_model(model, backend, time_limit_seconds=limit, gap=gap_limit, say=say)
    say(f"{report.status}: objective {report.objective:.2f}, bound {report.bound:.2f}, gap {report.gap:.2%}")
    started = time.perf_counter()
    shifts = _solved_shifts(model, config)
    tours = [SolvedTour(config.shifts[tour.template].group, tour.template, tour.pattern,
                        round(model.lp.value(tour.variable))) for tour in model.tours]

    def rostering(done: int, total: int) -> None:
        say(f"rostering: {done:,} of {total:,} shifts assigned in {time.perf_counter() - started:.0f} s")

    assigned, unassigned, below = assign_shifts(shifts, grid, agents=agents, tours=tours, progress=rostering)
    roster, breaks, missing = roster_frames(assigned, unassigned, grid)
    coverage = coverage_frame(assigned, need, grid)
    roster_seconds = time.perf_counter() - started
    say(f"rostered {len(assigned)} shifts to {roster['agent_id'].nunique()} agents "
        f"({len(unassigned)} unassigned) in {roster_seconds:.1f} s")
    unmet = coverage.loc[coverage["under"] > 0, list(UNMET_COLUMNS)].reset_index(drop=True)
    hours = config.interval_minutes / 60
    required = float(coverage["required"].sum()) * hours
    under = float(coverage["under"].sum()) * hours
    over = float(coverage["over"].sum()) * hours
    paid = float(sum(shift.paid_hours for _, shift in assigned))
    summary = ScheduleSummary(
        paid_hours=round(paid, 4), cost=round(float(sum(shift.cost for _, shift in assigned)), 4),
        required_agent_hours=required, scheduled_agent_hours=float(coverage["scheduled"].sum()) * hours,
        under_agent_hours=under, over_agent_hours=over,
        coverage=1 - under / required if required else 1.0,
        efficiency=1 - (over + under) / required if required else float(over == 0),
        paid_hours_per_required_hour=paid / required if required else float(np.nan),
        agents=int(roster["agent_id"].nunique()), shifts=len(assigned), unassigned_shifts=len(unassigned),
        unmet_intervals=len(unmet), agents_below_min_hours=len(below), roster_seconds=roster_seconds,
        solver=report)
    return ScheduleResult(roster=roster, breaks=breaks, coverage=coverage, unmet=unmet, unassigned=missing,
                          summary=summary)
