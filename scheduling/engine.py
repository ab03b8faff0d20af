"""solve_schedule: requirements in, shifts with breaks and days off solved, agents assigned, frames out.

Staff groups share nothing in the model (each has its own templates, caps and agents), so each group is
solved on its own, all at once in worker processes (the cores shared among them; a small group done early
leaves its core to the others), each within what is left of the time limit once its model is built. The
coverage status then comes from the roster's own coverage (:mod:`scheduling.status`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import signal
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scheduling.diagnose import agents_wanted, explain_shortfall
from scheduling.grid import Grid, group_requirements, make_grid
from scheduling.lp import Backend
from scheduling.model import CoverModel, build_model
from scheduling.outputs import UNMET_COLUMNS, ScheduleResult, ScheduleSummary, coverage_frame, roster_frames
from scheduling.roster import (
    Availability,
    RosterRules,
    ShiftInstance,
    SolvedTour,
    assign_shifts,
    availability,
)
from scheduling.solve import SolveReport, pick_backend, solve_model
from scheduling.status import CoverageStatus, coverage_status
from wfm.config import Config
from wfm.contracts import validate_requirements
from wfm.errors import DataError, Problem

#: Most worker processes for solving groups in parallel (the cores there are, up to this).
MAX_WORKERS = 8
#: Seconds kept back from each group's time limit for reading its solution out.
GROUP_OVERHEAD_SECONDS = 2.0


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
    teams = availability(agents) if agents is not None else None
    limit = time_limit_seconds if time_limit_seconds is not None else config.solver.time_limit_seconds
    gap_limit = gap if gap is not None else config.solver.gap
    requested = solver or config.solver.backend
    workers = max(min(len(need), MAX_WORKERS), 1) if (os.cpu_count() or 1) > 1 else 1
    order = sorted(need, key=lambda g: -float(need[g].sum()))  # largest first
    say(f"solving {len(need)} group{'s' if len(need) > 1 else ''} ({', '.join(order)}) on {grid.n_days} days x "
        f"{grid.n_slots // grid.n_days} intervals, {workers} at a time on {os.cpu_count() or 1} cores, "
        f"limit {limit:g} s")
    clock = time.monotonic()
    jobs = [(config, grid, group, need[group], _team_of(teams, group), requested, limit, gap_limit, clock)
            for group in order]
    if len(jobs) > 1 and workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent) as pool:
            solved = list(pool.map(_solve_group, *zip(*jobs, strict=True)))
    else:
        solved = [_solve_group(*job, say=say) for job in jobs]
    for part in solved:
        for message in part.messages:
            say(f"{part.group}: {message}")
    report = _combined(solved, time.monotonic() - clock)
    say(f"{report.status}: objective {report.objective:.2f}, bound {report.bound:.2f}, gap {report.gap:.2%}")
    started = time.perf_counter()
    shifts = [shift for part in solved for shift in part.shifts]
    tours = [tour for part in solved for tour in part.tours]

    def rostering(done: int, total: int) -> None:
        say(f"rostering: {done:,} of {total:,} shifts assigned in {time.perf_counter() - started:.0f} s")

    assigned, unassigned, below = assign_shifts(shifts, grid, agents=agents, tours=tours, progress=rostering,
                                               rules=RosterRules(time_limit_seconds=limit,
                                                                 start_band_minutes=config.roster.start_band_minutes))
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
    status = _status(solved, unmet, unassigned, grid, report, under)
    say(status.headline())
    summary = ScheduleSummary(
        paid_hours=round(paid, 4), cost=round(float(sum(shift.cost for _, shift in assigned)), 4),
        required_agent_hours=required, scheduled_agent_hours=float(coverage["scheduled"].sum()) * hours,
        under_agent_hours=under, over_agent_hours=over,
        coverage=1 - under / required if required else 1.0,
        efficiency=1 - (over + under) / required if required else float(over == 0),
        paid_hours_per_required_hour=paid / required if required else float(np.nan),
        agents=int(roster["agent_id"].nunique()), shifts=len(assigned), unassigned_shifts=len(unassigned),
        unmet_intervals=len(unmet), agents_below_min_hours=len(below), roster_seconds=roster_seconds,
        solver=report, status=status)
    return ScheduleResult(roster=roster, breaks=breaks, coverage=coverage, unmet=unmet, unassigned=missing,
                          summary=summary)


def _die_with_parent() -> None:
    """Make a worker process end when its parent does (Linux), so a killed ``wfm plan`` leaves no solves behind."""
    libc_name = ctypes.util.find_library("c")
    prctl = getattr(ctypes.CDLL(libc_name), "prctl", None) if libc_name else None
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class _GroupSolution:
    """One group's solve: its shifts and tours, the report, the agent-intervals its solution leaves short,
    why (when the rules force it: reason and fix) and the progress messages."""

    group: str
    shifts: list[ShiftInstance]
    tours: list[SolvedTour]
    report: SolveReport
    model_short: float
    reason: str | None
    fix: str | None
    messages: list[str]


def _team_of(teams: Mapping[str, Availability] | None, group: str) -> dict[str, Availability] | None:
    """The named agents of one group (an empty team when the file has none of it; None: generated agents)."""
    if teams is None:
        return None
    return {group: teams[group]} if group in teams else {}


def _solve_group(config: Config, grid: Grid, group: str, need: np.ndarray, team: dict[str, Availability] | None,
                 requested: str, limit: float, gap: float, clock: float,
                 say: Callable[[str], None] | None = None) -> _GroupSolution:
    """Build and solve one group's model within what is left of the time limit (counted on the monotonic
    ``clock`` from the start of the whole solve), and explain a shortfall the rules force."""
    messages: list[str] = []

    def note(message: str) -> None:
        messages.append(message) if say is None else say(message)

    model = build_model(config, grid, {group: need}, team)
    seconds = max(limit - (time.monotonic() - clock) - GROUP_OVERHEAD_SECONDS, 1.0)
    backend: Backend = pick_backend(requested, model.kind)
    note(f"solving the {model.kind} model with {backend} ({model.lp.integer_count} integer variables, "
         f"{model.lp.row_count} constraints, limit {seconds:.0f} s)")
    report = solve_model(model, backend, time_limit_seconds=seconds, gap=gap, say=note)
    started = time.monotonic() - clock - report.seconds  # this solve's start on the shared clock
    report = _shifted(report, started)
    short = float(sum(model.lp.value(row.under) for row in model.cover_rows))
    reason = fix = None
    if report.forced_short > 0:
        reason, fix = explain_shortfall(config, grid, group, need, team, backend,
                                        time_limit_seconds=max(limit - (time.monotonic() - clock), 5.0))
    shifts = _solved_shifts(model, config)
    tours = [SolvedTour(config.shifts[tour.template].group, tour.template, tour.pattern,
                        round(model.lp.value(tour.variable))) for tour in model.tours]
    return _GroupSolution(group, shifts, tours, report, short, reason, fix, messages)


def _shifted(report: SolveReport, offset: float) -> SolveReport:
    """The report's event times counted from the start of the whole solve (a group may start later)."""
    return replace(report, first_covered_seconds=report.first_covered_seconds + offset,
                   gap_reached_seconds=report.gap_reached_seconds + offset)


def _combined(parts: list[_GroupSolution], seconds: float) -> SolveReport:
    """One report for the groups solved separately: sums of objectives and bounds, the latest event times;
    ``seconds`` is the whole solve's (models built and solved), the clock the event times are counted on."""
    reports = [p.report for p in parts]
    first = reports[0]
    if len(reports) == 1:
        return replace(first, seconds=seconds)
    objective = sum(r.objective for r in reports)
    bound = sum(r.bound for r in reports)
    lp_bound = sum(r.lp_bound for r in reports)
    gap = max(0.0, (objective - bound) / max(abs(objective), 1e-9)) if not math.isnan(bound) else math.nan
    return SolveReport(
        status="optimal" if all(r.status == "optimal" for r in reports) else "feasible", objective=objective,
        bound=bound, lp_bound=lp_bound, gap=gap, gap_limit=first.gap_limit, seconds=seconds,
        backend=first.backend if all(r.backend == first.backend for r in reports) else "cbc",
        model=first.model if all(r.model == first.model for r in reports) else "tours" if any(
            r.model == "tours" for r in reports) else "breaks",
        integer_variables=sum(r.integer_variables for r in reports),
        constraints=sum(r.constraints for r in reports), forced_short=sum(r.forced_short for r in reports),
        first_covered_seconds=max(r.first_covered_seconds for r in reports),
        gap_reached_seconds=max(r.gap_reached_seconds for r in reports))


def _status(parts: list[_GroupSolution], unmet: pd.DataFrame, unassigned: list[ShiftInstance], grid: Grid,
            report: SolveReport, under_hours: float) -> CoverageStatus:
    """The coverage status from the roster's coverage; for each short group, why and what would fix it."""
    reasons: list[str] = []
    fixes: list[str] = []
    short_groups = set(unmet["group"]) if len(unmet) else set()
    for part in parts:
        if part.group not in short_groups:
            continue
        if part.reason is not None:
            reasons.append(part.reason)
            fixes.append(part.fix or "")
            continue
        missed = [s for s in unassigned if s.group == part.group]
        if part.model_short < 1e-6 and missed:
            per_day: dict[int, int] = {}
            for shift in missed:
                per_day[shift.day] = per_day.get(shift.day, 0) + 1
            begins = [grid.clock_minutes(s.start_slot, s.day) for s in missed]
            ends = [grid.clock_minutes(s.start_slot + s.length_slots, s.day) for s in missed]
            reasons.append(f"rostering: {len(missed):,} shifts of group {part.group!r} no named agent could take "
                           "(availability, 11 h rest, consecutive days, max hours)")
            fixes.append(agents_wanted(part.group, max(per_day.values()),
                                       [grid.dates[d].weekday() for d in per_day], min(begins), max(ends)))
        else:
            reasons.append(f"the time limit: group {part.group!r} can be covered, the solver stopped first")
            fixes.append("raise the time limit (--time-limit or solver.time_limit_seconds)")
    gap = report.gap if math.isfinite(report.gap) else math.nan
    return coverage_status(short_agent_hours=under_hours, short_intervals=len(unmet), gap=gap,
                           gap_limit=report.gap_limit, reason="; ".join(reasons) or None,
                           fix="; ".join(f for f in fixes if f) or None)
