"""Why a group's schedule is short, and the smallest change that would cover it.

The elastic model (:func:`scheduling.model.build_model` with ``elastic=True``) must cover every interval
and may exceed any upper limit at a high price per agent; its LP relaxation's excesses name the limits that
bind (the named agents' availability for the shifts needed, agents per weekday, contract hours, a headcount
or budget cap, a template's max_count) and by how much: that is the fix reported.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from scheduling.grid import Grid
from scheduling.lp import Backend
from scheduling.model import Slack, build_model
from scheduling.roster import Availability
from wfm.config import Config
from wfm.contracts import DAY_NAMES

#: Excess below this (agents, hours, money) is solver noise, not a binding limit.
NOISE = 1e-4


def weekdays_text(weekdays: Sequence[int]) -> str:
    """Weekdays (Monday = 0) as people write them: a run as "Tue-Sat", others listed ("Mon, Wed")."""
    chosen = sorted(set(weekdays))
    if not chosen:
        return ""
    runs: list[list[int]] = [[chosen[0]]]
    for day in chosen[1:]:
        if day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]}-{DAY_NAMES[r[-1]]}" for r in runs)


def clock_text(minutes: float) -> str:
    """Minutes from midnight as a clock time; past midnight marked "(+1 day)"."""
    whole = int(round(minutes))
    days, rest = divmod(whole, 24 * 60)
    return f"{rest // 60:02d}:{rest % 60:02d}" + (" (+1 day)" if days else "")


def agents_wanted(group: str, count: float, weekdays: Sequence[int], begin: float | None, end: float | None) -> str:
    """"+3 agents in group 'x' available Tue-Sat 06:00-14:30" (the window left out when unknown)."""
    whole = max(math.ceil(count - NOISE), 1)
    window = f" {clock_text(begin)}-{clock_text(end)}" if begin is not None and end is not None else ""
    return (f"+{whole:,} agent{'' if whole == 1 else 's'} in group {group!r} available "
            f"{weekdays_text(weekdays)}{window}")


def explain(slacks: Sequence[tuple[Slack, float]], group: str, weekdays: Sequence[int], config: Config,
            team: Availability | None) -> tuple[str, str]:
    """The binding limits and the fix, from the elastic model's excesses ``(slack, value)``."""
    binding: dict[str, list[tuple[Slack, float]]] = defaultdict(list)
    for slack, value in slacks:
        if value > NOISE:
            binding[slack.kind].append((slack, value))
    reasons: list[str] = []
    fixes: list[str] = []
    named = binding.get("availability", []) + binding.get("agents_day", [])
    if named:
        per_day: dict[int, float] = defaultdict(float)
        for slack, value in binding.get("availability", []):
            per_day[slack.day] += value
        for slack, value in binding.get("agents_day", []):
            per_day[slack.day] = max(per_day[slack.day], value)
        shifts = [s for s, _ in binding.get("availability", [])]
        begin = min((s.begin for s in shifts), default=None)
        end = max((s.end for s in shifts), default=None)
        days = [weekdays[d] for d in per_day]
        what = "their availability" if shifts else "the weekdays they work"
        reasons.append(f"the named agents of group {group!r} ({len(team.ids) if team else 0:,} in the agents file; "
                       f"{what}: {weekdays_text(days)}{'' if begin is None else ' ' + clock_text(begin) + '-'}"
                       f"{'' if end is None else clock_text(end)})")
        fixes.append(agents_wanted(group, max(per_day.values()), days, begin, end))
    if binding.get("contract_hours"):
        hours = sum(v for _, v in binding["contract_hours"])
        full = float(np.max(team.max_hours)) if team is not None and len(team.ids) else 40.0
        reasons.append(f"the contract hours of group {group!r} (max_hours in the agents file)")
        fixes.append(f"+{hours / full:,.1f} FTE ({hours:,.0f} contract hours a week at {full:g} h)")
    if binding.get("headcount"):
        cap = binding["headcount"][0][0].cap
        extra = max(v for _, v in binding["headcount"])
        reasons.append(f"groups.{group}.headcount_cap ({cap:,.0f})")
        fixes.append(f"raise groups.{group}.headcount_cap to {math.ceil(cap + extra - NOISE):,}")
    if binding.get("budget"):
        slack, value = binding["budget"][0]
        budget = config.groups[group].budget_cap or 0.0
        scale = budget / slack.cap if slack.cap else 1.0
        reasons.append(f"groups.{group}.budget_cap ({budget:,.0f} a week)")
        fixes.append(f"raise groups.{group}.budget_cap to {math.ceil(budget + value * scale):,}")
    for slack, value in sorted(binding.get("max_count", []), key=lambda item: -item[1])[:1]:
        template = config.shifts[slack.t]
        reasons.append(f"shifts[{slack.t}].max_count ({template.max_count}) of {template.name!r}")
        fixes.append(f"raise shifts[{slack.t}].max_count to "
                     f"{math.ceil(slack.cap + value - NOISE):,}")
    if not reasons:
        return (f"the rules of group {group!r}", "")
    return "; ".join(reasons), "; ".join(fixes)


def explain_shortfall(config: Config, grid: Grid, group: str, need: np.ndarray,
                      teams: Mapping[str, Availability] | None, backend: Backend, *, time_limit_seconds: float,
                      ) -> tuple[str, str]:
    """The reason a group's requirement cannot be covered and the smallest change found that would cover it
    (``teams``: the named agents by group, None for generated agents)."""
    team = None if teams is None else teams.get(group)
    if teams is not None and team is None:
        return (f"group {group!r} has no agents in the agents file",
                f"add the agents of group {group!r} to the agents file")
    model = build_model(config, grid, {group: need}, teams, elastic=True)
    outcome = model.lp.solve(backend, time_limit_seconds=time_limit_seconds, gap=0.0, relax=True)
    if outcome.status != "optimal":
        return (f"the rules of group {group!r}", "")
    weekdays = [d.weekday() for d in grid.dates]
    return explain([(s, model.lp.value(s.variable)) for s in model.slacks], group, weekdays, config, team)
