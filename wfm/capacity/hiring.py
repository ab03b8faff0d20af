"""The hiring plan: when and how many to hire per staff group, as an integer program (pulp).

For each group ``g`` and week ``t`` of the horizon the supply is the current agents after attrition, plus each
class started in an earlier week ``w`` (``hires[g, w]`` people of ``hire_fte`` each) after attrition and at its
tenure productivity (:mod:`wfm.capacity.supply`), plus overtime up to ``overtime_fraction`` of that supply. What
the supply leaves of the requirement is short (``gap_fte``). The program minimises

    salaries of the hires over the rest of the horizon + hiring cost per hire
    + overtime (salary x overtime_premium) + shortage_cost_per_fte_week x FTE-weeks short

subject to: no class before ``lead_time_weeks``; a class has ``min_class_size`` to ``max_class_size`` hires; at
most ``max_classes_per_month`` classes per group start in a calendar month (of the class's first Monday). The
salaries of the current agents are a constant, reported but not decided. Weeks before the first week a class
can be productive (``lead_time_weeks + training_weeks``) cannot be covered by hiring at all: their gap is
reported as caused by the lead time.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pulp

from wfm.capacity.supply import tenure_productivity, weekly_survival
from wfm.config import CapacitySettings
from wfm.errors import DataError, SolverError

#: Columns of :attr:`HiringPlan.frame`, one row per staff group and week.
CAPACITY_COLUMNS = (
    "week", "group", "required_fte", "available_fte", "overtime_fte", "gap_fte", "gap_cause", "hires_starting",
    "in_training", "payroll_fte", "attrition_fte", "salary_cost", "hiring_cost", "overtime_cost", "total_cost",
    "shortage_penalty",
)

#: Why a week is short: no class can be productive yet, or the hiring rules or costs left it short.
LEAD_TIME, HIRING_RULES = "lead time", "hiring rules or costs"


@dataclass(frozen=True)
class HiringPlan:
    """A solved hiring plan.

    Attributes
    ----------
    frame
        :data:`CAPACITY_COLUMNS`: ``week`` (Monday), ``group``; ``required_fte``; ``available_fte`` (productive FTE
        of current agents and hires, after attrition, training and nesting, without overtime); ``overtime_fte``;
        ``gap_fte`` (required not met, >= 0) and ``gap_cause`` (:data:`LEAD_TIME`, :data:`HIRING_RULES`, or ""
        when covered); ``hires_starting`` (people whose class starts that week); ``in_training`` (people in
        training, after attrition); ``payroll_fte`` (all paid FTE, trainees included); ``attrition_fte`` (FTE
        leaving at the end of the week); costs of the week: ``salary_cost`` (payroll), ``hiring_cost``,
        ``overtime_cost``, ``total_cost`` (their sum, money spent) and ``shortage_penalty`` (the program's price of
        the gap, not money spent).
    status
        ``"optimal"``, or ``"feasible"`` when the solver stopped at its time limit with a solution not proven best.
    first_productive_week
        Index of the first week a class decided now can add any FTE (``lead_time_weeks + training_weeks``).
    """

    frame: pd.DataFrame
    status: str
    first_productive_week: int


def _check_required(required: pd.DataFrame) -> tuple[list[dt.date], list[str]]:
    missing = [c for c in ("week", "group", "required_fte") if c not in required.columns]
    if missing:
        raise DataError(f"required: missing column {missing[0]!r}; give week, group, required_fte")
    weeks = sorted(set(required["week"]))
    groups = sorted(set(required["group"]))
    if len(required) != len(weeks) * len(groups) or required.duplicated(["week", "group"]).any():
        raise DataError("required: give exactly one row per week and staff group")
    if any((b - a).days != 7 for a, b in zip(weeks, weeks[1:], strict=False)):
        raise DataError("required: weeks must be consecutive Mondays")
    values = required["required_fte"].to_numpy(dtype=float)
    if not np.isfinite(values).all() or (values < 0).any():
        raise DataError("required: required_fte must be a finite number >= 0 in every row")
    return weeks, groups


def plan_hiring(required: pd.DataFrame, current: Mapping[str, float], settings: CapacitySettings,
                salaries: Mapping[str, float], *, time_limit_seconds: float = 60.0, gap: float = 0.0,
                backend: Literal["cbc", "highs"] = "cbc") -> HiringPlan:
    """Choose hiring classes per staff group and week to meet ``required_fte`` at least cost.

    Parameters
    ----------
    required
        ``week`` (consecutive Mondays), ``group``, ``required_fte``: one row per week and group.
    current
        FTE of the current agents per group (:func:`~wfm.capacity.supply.current_fte`); missing groups have 0.
    settings
        Hiring rules, attrition and costs (``[capacity]`` of the config).
    salaries
        Cost of one FTE for one week, per group.
    time_limit_seconds, gap
        Solver limits: stop at the time limit (shared equally by the groups, solved one by one), or once proven
        within ``gap`` (relative) of the optimum.
    backend
        PuLP's bundled CBC (default: as fast here, and HiGHS prints its banner on stdout) or HiGHS
        (``bench/capacity.py`` compares them).

    Raises
    ------
    SolverError
        The solver found no solution within its time limit.
    """
    weeks, groups = _check_required(required)
    horizon = len(weeks)
    need = required.set_index(["group", "week"])["required_fte"].astype(float)
    productivity = tenure_productivity(horizon, settings.training_weeks, settings.nesting_productivity)
    first_productive = settings.lead_time_weeks + int(np.argmax(productivity > 0)) if productivity.any() else horizon
    months = np.array([(w.year, w.month) for w in weeks])
    chosen: dict[str, dict[int, pulp.LpVariable]] = {}
    statuses = []
    for group in groups:  # groups share no rule: one small program each solves faster than one large one
        problem = pulp.LpProblem(f"hiring_{group}", pulp.LpMinimize)
        objective = []
        survive = weekly_survival(settings.group(group).monthly_attrition)
        decay = survive ** np.arange(horizon)
        salary = float(salaries[group])
        base = float(current.get(group, 0.0)) * decay  # current agents, productive, after attrition
        demand = np.array([need[(group, week)] for week in weeks])
        open_weeks = range(settings.lead_time_weeks, horizon)
        hires = {w: problem.add_variable(f"hires_w{w}", lowBound=0, upBound=settings.max_class_size, cat="Integer")
                 for w in open_weeks} if settings.max_classes_per_month != 0 else {}
        _class_rules(problem, hires, settings, months, demand, decay, productivity)
        for w, h in hires.items():
            paid_weeks = float(decay[:horizon - w].sum())
            objective.append(h * (settings.hiring_cost + salary * settings.hire_fte * paid_weeks))
        short = [problem.add_variable(f"short_w{t}", lowBound=0) for t in range(horizon)]
        overtime_bound = None if settings.overtime_fraction else 0
        overtime = [problem.add_variable(f"overtime_w{t}", lowBound=0, upBound=overtime_bound) for t in range(horizon)]
        for t in range(horizon):
            productive = base[t] + pulp.lpSum(settings.hire_fte * decay[t - w] * productivity[t - w] * h
                                              for w, h in hires.items() if w <= t and productivity[t - w] > 0)
            problem.addConstraint(productive + overtime[t] + short[t] >= demand[t], f"cover_w{t}")
            if settings.overtime_fraction:
                problem.addConstraint(overtime[t] <= settings.overtime_fraction * productive, f"overtime_cap_w{t}")
        objective.append(pulp.lpSum(overtime) * salary * settings.overtime_premium)
        objective.append(pulp.lpSum(short) * settings.shortage_cost_per_fte_week)
        problem.setObjective(pulp.lpSum(objective))
        statuses.append(_solve(problem, group, backend, time_limit_seconds / len(groups), gap))
        chosen[group] = hires
    status = "optimal" if all(one == "optimal" for one in statuses) else "feasible"
    frames = [_group_frame(group, weeks, need, current, settings, salaries[group], chosen[group], productivity,
                           first_productive) for group in groups]
    frame = pd.concat(frames, ignore_index=True)[list(CAPACITY_COLUMNS)]
    return HiringPlan(frame=frame, status=status, first_productive_week=first_productive)


def _solve(problem: pulp.LpProblem, group: str, backend: str, time_limit_seconds: float, gap: float) -> str:
    """Solve one group's program; ``"optimal"`` or ``"feasible"`` (stopped at the time limit), else SolverError."""
    options = {"msg": False, "timeLimit": time_limit_seconds, "gapRel": gap}
    if backend == "cbc":
        with warnings.catch_warnings():  # PuLP 3.3 deprecates its bundled CBC for 4.0
            warnings.filterwarnings("ignore", message="PULP_CBC_CMD is deprecated", category=DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(**options)
    else:
        solver = pulp.HiGHS(**options)
    try:
        problem.solve(solver)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"capacity: the {backend} solver failed on group {group!r}: {exc}") from None
    if problem.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        raise SolverError(f"capacity: the hiring program of group {group!r} found no solution "
                          f"({pulp.LpStatus[problem.status]}) within {time_limit_seconds:g} s; raise "
                          "solver.time_limit_seconds or relax the hiring rules")
    return "optimal" if problem.sol_status == pulp.LpSolutionOptimal else "feasible"


def _class_rules(problem: pulp.LpProblem, hires: Mapping[int, pulp.LpVariable],
                 settings: CapacitySettings, months: np.ndarray, demand: np.ndarray, decay: np.ndarray,
                 productivity: np.ndarray) -> None:
    """Class size limits and classes per month, through one binary per possible class (only when needed)."""
    if not hires or (settings.min_class_size <= 1 and settings.max_classes_per_month is None):
        return
    # Without a size limit, a class never needs more people than would cover the largest week alone.
    weakest = settings.hire_fte * float(decay[-1]) * float(productivity[productivity > 0].min(initial=1.0))
    largest = settings.max_class_size or max(settings.min_class_size, math.ceil(float(demand.max()) / weakest) + 1)
    classes = {w: problem.add_variable(f"class_w{w}", cat="Binary") for w in hires}
    for w, h in hires.items():
        problem.addConstraint(h <= largest * classes[w], f"class_max_w{w}")
        problem.addConstraint(h >= settings.min_class_size * classes[w], f"class_min_w{w}")
    if settings.max_classes_per_month is not None:
        for month in sorted({tuple(m) for m in months.tolist()}):
            in_month = [classes[w] for w in hires if tuple(months[w]) == month]
            if in_month:
                problem.addConstraint(pulp.lpSum(in_month) <= settings.max_classes_per_month,
                                      f"classes_{month[0]}_{month[1]:02d}")


def _group_frame(group: str, weeks: list[dt.date], need: pd.Series, current: Mapping[str, float],
                 settings: CapacitySettings, salary: float, hires: Mapping[int, pulp.LpVariable],
                 productivity: np.ndarray, first_productive: int) -> pd.DataFrame:
    """The solved plan of one group, recomputed from the chosen hires (whole people) week by week."""
    horizon = len(weeks)
    survive = weekly_survival(settings.group(group).monthly_attrition)
    decay = survive ** np.arange(horizon)
    starting = np.zeros(horizon)
    for w, h in hires.items():
        starting[w] = round(h.value() or 0.0)
    # Tenure matrix: k = t - w weeks since the class started (negative: not started yet).
    tenure = np.arange(horizon)[:, None] - np.arange(horizon)[None, :]
    started = tenure >= 0
    k = np.where(started, tenure, 0)
    people = np.where(started, starting[None, :] * decay[k], 0.0)  # people of class w still employed in week t
    hired_payroll = settings.hire_fte * people.sum(axis=1)
    hired_productive = settings.hire_fte * (people * productivity[k]).sum(axis=1)
    in_training = (people * (started & (tenure < settings.training_weeks))).sum(axis=1)
    current_payroll = float(current.get(group, 0.0)) * decay
    available = current_payroll + hired_productive
    demand = np.array([need[(group, week)] for week in weeks])
    overtime_cap = settings.overtime_fraction * available
    overtime = np.clip(demand - available, 0.0, overtime_cap)
    gap = np.maximum(demand - available - overtime, 0.0)
    gap = np.where(gap > 1e-9, gap, 0.0)
    cause = np.where(gap == 0, "", np.where(np.arange(horizon) < first_productive, LEAD_TIME, HIRING_RULES))
    payroll = current_payroll + hired_payroll
    salary_cost = salary * payroll
    hiring_cost = settings.hiring_cost * starting
    overtime_cost = salary * settings.overtime_premium * overtime
    return pd.DataFrame({
        "week": weeks, "group": group, "required_fte": demand, "available_fte": available, "overtime_fte": overtime,
        "gap_fte": gap, "gap_cause": cause, "hires_starting": starting.astype(np.int64), "in_training": in_training,
        "payroll_fte": payroll, "attrition_fte": payroll * (1.0 - survive), "salary_cost": salary_cost,
        "hiring_cost": hiring_cost, "overtime_cost": overtime_cost,
        "total_cost": salary_cost + hiring_cost + overtime_cost,
        "shortage_penalty": settings.shortage_cost_per_fte_week * gap,
    })
