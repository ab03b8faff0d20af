"""The covering model: shifts, implicit breaks and days-off tours as one integer program.

Variables (all integer >= 0 unless said):

- ``x[start, kind]``: shifts of a template kind (template x length) starting at an interval;
- ``w[template, break, start, offset]``: shifts starting at ``start`` that take a break at ``offset``. Break
  windows depend on the start only (not on the length), so one set of break variables serves every length
  that has the break: ``sum_offset w = sum_kinds x`` (an implicit, aggregated break formulation, about four
  times smaller than one break variable per shift and position, with the same LP bound);
- ``y[template, pattern]``: agents on a weekly days-off pattern; each day the template's shifts equal the
  agents whose pattern works that day (implicit tours: which shift an agent works each day is left to
  rostering);
- ``under``/``over`` (continuous): agent-intervals short of or above the requirement.

``cover_<group>_<day>_<hhmm>``: shifts on duty - agents on break + under - over = required.
The objective is paid cost + a high penalty per agent-interval short + a small one per agent-interval over.

The *elastic* variant (``build_model(..., elastic=True)``) asks what must give for full coverage: nothing may
be short, and every upper limit (named agents per day and per shift, contract hours, headcount and budget
caps, max_count) may be exceeded at a high price per agent, recorded as a :class:`Slack`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from scheduling.grid import Grid
from scheduling.lp import LinearModel
from scheduling.roster import Availability, contract_shifts
from scheduling.templates import ShiftKind, Start, days_off_patterns, shift_kinds, starts
from wfm.config import Config
from wfm.errors import InfeasibleError

ModelKind = Literal["shifts", "breaks", "tours"]
#: What an upper limit stands for: the named agents' availability for a shift, named agents working a day,
#: their contract hours, a headcount cap, a budget cap or a template's max_count.
LimitKind = Literal["availability", "agents_day", "contract_hours", "headcount", "budget", "max_count"]

#: Penalty per agent-interval over the requirement, as a share of the cheapest interval of paid work.
OVER_PENALTY_SHARE = 0.001


@dataclass(frozen=True)
class TourVariable:
    """Agents working one weekly days-off ``pattern`` (True = works that weekday, Monday first) of a template."""

    template: int
    pattern: tuple[bool, ...]
    variable: Any


@dataclass(frozen=True)
class CoverRow:
    """One group interval's coverage: ``on_shift`` (variable -> agents it puts on the floor, net of breaks),
    its shortfall and surplus slacks, and the agents required."""

    on_shift: dict[Any, float]
    under: Any
    over: Any
    required: float


@dataclass(frozen=True)
class Slack:
    """An elastic model's excess over one limit: its ``kind``, the ``cap`` it exceeds, the ``variable`` (how
    much) and where (``group``, template ``t``, plan ``day``, a shift's local ``begin``/``end`` minutes)."""

    kind: LimitKind
    group: str
    cap: float
    variable: Any
    t: int = -1
    day: int = -1
    begin: float = 0.0
    end: float = 0.0


#: Price of one unit of slack in the elastic model, in shifts of the dearest kind (it dwarfs any cost).
SLACK_PRICE_SHIFTS = 100.0
#: Units of each limit worth one agent in the elastic objective (an hour of contract is 1/40 agent...).
SLACK_UNITS = {"availability": 1.0, "agents_day": 1.0, "contract_hours": 40.0, "headcount": 1.0,
               "max_count": 1.0}


@dataclass
class CoverModel:
    """A built covering model and the variables needed to read its solution."""

    lp: LinearModel
    kind: ModelKind
    kinds: list[ShiftKind]
    shifts: list[tuple[Start, int, Any]] = field(default_factory=list)
    breaks: dict[tuple[int, str, int], list[tuple[int, Any]]] = field(default_factory=dict)
    tours: list[TourVariable] = field(default_factory=list)
    cover_rows: list[CoverRow] = field(default_factory=list)
    day_shifts: dict[tuple[int, int], list[Any]] = field(default_factory=dict)
    weekdays: tuple[int, ...] = ()
    n_slots: int = 0
    required: dict[str, np.ndarray] = field(default_factory=dict)
    group_of_template: dict[int, str] = field(default_factory=dict)
    under_penalty: float = 0.0
    over_penalty: float = 0.0
    limits: list[tuple[dict[Any, float], float]] = field(default_factory=list)
    elastic: bool = False
    slacks: list[Slack] = field(default_factory=list)
    slack_price: float = 0.0
    #: Soft lower limits: ``sum(terms) + missing >= count`` (the shifts named agents' contracts call for).
    floors: list[tuple[dict[Any, float], Any, float]] = field(default_factory=list)

    def limit(self, name: str, terms: dict[Any, float], cap: float, slack: Slack | None = None) -> None:
        """Add ``sum(terms) <= cap``, remembered so heuristics can keep it; in an elastic model the sum may
        exceed ``cap`` by the ``slack`` given (its variable is made here)."""
        if self.elastic and slack is not None:
            variable = self.lp.continuous(f"extra_{name}")
            self.slacks.append(replace(slack, cap=float(cap), variable=variable))
            terms = {**terms, variable: -1.0}
        self.lp.constrain(name, terms, "<=", cap)
        self.limits.append((dict(terms), float(cap)))


def _slot_names(grid: Grid, slots: int) -> list[str]:
    """Names of the first ``slots`` intervals (``mon_0830``, ``_w2`` from the second week), made at once."""
    stamps = grid.stamp(np.arange(slots))
    week = np.arange(slots) // (7 * 24 * 60 // grid.interval_minutes)
    return [f"{name}{f'_w{w + 1}' if w else ''}" for name, w in zip(stamps.strftime("%a_%H%M").str.lower(), week,
                                                                    strict=True)]


def _check_coverable(config: Config, grid: Grid, group: str, need: np.ndarray, kinds: list[ShiftKind],
                     group_starts: list[Start]) -> None:
    """Refuse requirements no template of the group can reach: which rule, and the fix."""
    templates = sorted({s.template for s in group_starts})
    if not templates:
        raise InfeasibleError(f"groups.{group}: has requirements but no shift template; add a [[shifts]] table "
                              f"with group = {group!r}")
    reach = np.zeros(grid.n_slots, dtype=bool)
    longest = {t: max(k.length_slots for k in kinds if k.template == t) for t in templates}
    for start in group_starts:
        reach[np.arange(start.slot, start.slot + longest[start.template]) % grid.n_slots] = True
    missed = np.flatnonzero((need > 0) & ~reach)
    if missed.size:
        names = ", ".join(f"shifts[{t}] ({config.shifts[t].name}: starts {config.shifts[t].earliest_start:%H:%M}-"
                          f"{config.shifts[t].latest_start:%H:%M}, up to {max(config.shifts[t].lengths_hours):g} h)"
                          for t in templates)
        raise InfeasibleError(f"groups.{group}: {grid.stamp(int(missed[0]))} needs {need[missed[0]]} agents but no "
                              f"shift template covers it ({len(missed)} such intervals); templates: {names}; widen "
                              "earliest_start/latest_start or lengths_hours, or add a template")


def build_model(config: Config, grid: Grid, need: dict[str, np.ndarray],
                team: Mapping[str, Availability] | None = None, *, elastic: bool = False) -> CoverModel:
    """Build the covering model for the groups in ``need``.

    With named agents (``team``), each shift of a start and length is bounded by the agents who could work
    it (weekday, window, contract hours), each day's shifts by the agents who may work that weekday, and the
    paid hours by the contracts: shifts nobody can take are never planned (intervals go short instead).
    ``elastic`` builds the what-must-give variant (see the module docs).

    Raises
    ------
    InfeasibleError
        When a group has requirements no template can cover, its rules contradict each other, or a
        template's min_count exceeds the named agents who can work its shifts on a day.
    """
    kinds = shift_kinds(config)
    has_breaks = any(k.breaks for k in kinds if config.shifts[k.template].group in need)
    has_tours = any(t.days_off is not None for t in config.shifts if t.group in need)
    lp = LinearModel("schedule")
    model = CoverModel(lp=lp, kind="tours" if has_tours else "breaks" if has_breaks else "shifts", kinds=kinds,
                       weekdays=tuple(d.weekday() for d in grid.dates), n_slots=grid.n_slots, required=need,
                       group_of_template={t: template.group for t, template in enumerate(config.shifts)},
                       elastic=elastic)
    n = grid.n_slots
    slot_names = _slot_names(grid, 2 * n)  # starts after midnight of the last day run into a second week
    cheapest = min((t.cost_per_hour for t in config.shifts if t.cost_per_hour > 0), default=1.0)
    model.over_penalty = OVER_PENALTY_SHARE * cheapest * grid.interval_minutes / 60
    model.under_penalty = 2 * max((k.cost for k in kinds), default=1.0) + 1.0
    model.slack_price = SLACK_PRICE_SHIFTS * max((k.cost for k in kinds), default=1.0)
    objective: list[tuple[Any, float]] = []
    for group, required in need.items():
        on_duty: list[dict[Any, float]] = [defaultdict(float) for _ in range(n)]
        on_break: list[dict[Any, float]] = [defaultdict(float) for _ in range(n)]
        cost_terms: dict[Any, float] = {}
        group_starts = [s for t, tpl in enumerate(config.shifts) if tpl.group == group
                        for s in starts(config, grid, t)]
        _check_coverable(config, grid, group, required, kinds, group_starts)
        per_day: dict[tuple[int, int], dict[Any, float]] = defaultdict(dict)
        able: dict[tuple[int, int], np.ndarray] = {}  # named agents who can take some shift of a template a day
        for start in group_starts:
            linked: dict[str, dict[Any, float]] = defaultdict(dict)
            for k, kind in enumerate(kinds):
                if kind.template != start.template:
                    continue
                upper = None
                if team is not None:
                    available = team.get(group)
                    if available is None:
                        continue
                    can = available.can_work(model.weekdays[start.day], grid.clock_minutes(start.slot, start.day),
                                             grid.clock_minutes(start.slot + kind.length_slots, start.day),
                                             kind.paid_hours)
                    upper = int(can.sum())
                    if upper == 0:
                        continue
                    cell = (start.template, start.day)
                    able[cell] = able[cell] | can if cell in able else can
                x = lp.integer(f"shift_t{start.template}_s{start.slot}_k{k}", upper=None if elastic else upper)
                if elastic and upper is not None:
                    model.limit(f"able_t{start.template}_s{start.slot}_k{k}", {x: 1.0}, upper, Slack(
                        "availability", group, 0.0, None, start.template, start.day,
                        grid.clock_minutes(start.slot, start.day),
                        grid.clock_minutes(start.slot + kind.length_slots, start.day)))
                model.shifts.append((start, k, x))
                cost_terms[x] = kind.cost
                per_day[(start.template, start.day)][x] = 1.0
                for slot in range(start.slot, start.slot + kind.length_slots):
                    on_duty[slot % n][x] += 1.0
                for window in kind.breaks:
                    linked[window.key][x] = -1.0
            for key, terms in linked.items():
                window = next(w for k in kinds if k.template == start.template for w in k.breaks if w.key == key)
                pool = model.breaks.setdefault((start.template, key, start.slot), [])
                for offset in window.offsets:
                    w = lp.integer(f"break_t{start.template}_{key}_s{start.slot}_o{offset}")
                    pool.append((offset, w))
                    terms[w] = 1.0
                    for slot in range(start.slot + offset, start.slot + offset + window.length_slots):
                        on_break[slot % n][w] += 1.0
                lp.constrain(f"breaks_{key}_t{start.template}_{slot_names[start.slot]}_d{start.day}", terms,
                             "==", 0)
        model.day_shifts.update({key: list(terms) for key, terms in per_day.items()})
        if team is not None:
            _check_min_counts(config, grid, group, able)
        _add_tours(config, grid, model, group, per_day)
        _add_counts(config, grid, model, group, per_day)
        names: set[str] = set()
        for slot in range(n):
            name = f"{group}_{slot_names[slot]}"
            name = f"{name}_{slot}" if name in names else name  # a clock time repeated when DST ends
            names.add(name)
            under = lp.continuous(f"under_{group}_{slot}", upper=0.0 if elastic else float(required[slot]))
            over = lp.continuous(f"over_{group}_{slot}")
            terms = dict(on_duty[slot])
            for w, coefficient in on_break[slot].items():
                terms[w] = terms.get(w, 0.0) - coefficient
            model.cover_rows.append(CoverRow(dict(terms), under, over, float(required[slot])))
            terms[under] = 1.0
            terms[over] = -1.0
            lp.constrain(f"cover_{name}", terms, "==", float(required[slot]))
            objective += [(under, model.under_penalty), (over, model.over_penalty)]
            cap = config.groups[group].headcount_cap
            if cap is not None:
                model.limit(f"headcount_{name}", on_duty[slot], cap, Slack("headcount", group, 0.0, None))
        if team is not None:
            objective += _add_team(grid, model, group, team.get(group), per_day, cost_terms)
        budget = config.groups[group].budget_cap
        if budget is not None:
            model.limit(f"budget_{group}", cost_terms, budget * grid.n_days / 7, Slack("budget", group, 0.0, None))
        objective += list(cost_terms.items())
    for slack in model.slacks:
        units = SLACK_UNITS.get(slack.kind) or max((k.cost for k in kinds), default=1.0)
        objective.append((slack.variable, model.slack_price / units))
    lp.minimise(objective)
    return model


def _add_tours(config: Config, grid: Grid, model: CoverModel, group: str,
               per_day: dict[tuple[int, int], dict[Any, float]]) -> None:
    """Days-off tours: each day, a template's shifts = agents whose weekly pattern works that day."""
    for t, template in enumerate(config.shifts):
        if template.group != group or template.days_off is None:
            continue
        patterns = days_off_patterns(template.days_off, f"shifts[{t}]")
        agents = []
        for pattern in patterns:
            y = model.lp.integer(f"tour_t{t}_{''.join('1' if w else '0' for w in pattern)}")
            model.tours.append(TourVariable(t, pattern, y))
            agents.append((pattern, y))
        for day, date in enumerate(grid.dates):
            terms = dict(per_day[(t, day)])
            for pattern, y in agents:
                if pattern[date.weekday()]:
                    terms[y] = -1.0
            model.lp.constrain(f"days_off_t{t}_{date:%Y%m%d}", terms, "==", 0)


def _check_min_counts(config: Config, grid: Grid, group: str, able: dict[tuple[int, int], np.ndarray]) -> None:
    """Refuse a template min_count above the named agents able to work one of its shifts that day."""
    for t, template in enumerate(config.shifts):
        if template.group != group or not template.min_count:
            continue
        for day, date in enumerate(grid.dates):
            count = int(able[(t, day)].sum()) if (t, day) in able else 0
            if count < template.min_count:
                raise InfeasibleError(
                    f"shifts[{t}].min_count: {template.min_count} {template.name!r} shifts are required on {date} "
                    f"({date:%a}) but only {count} agent{'' if count == 1 else 's'} of group {group!r} in the "
                    "agents file can work one that day (days, available_from/available_to, max_hours); add "
                    "agents to the agents file or lower min_count")


def _add_counts(config: Config, grid: Grid, model: CoverModel, group: str,
                per_day: dict[tuple[int, int], dict[Any, float]]) -> None:
    """Template min_count / max_count: shifts of the template on each day."""
    for t, template in enumerate(config.shifts):
        if template.group != group or (template.min_count == 0 and template.max_count is None):
            continue
        for day, date in enumerate(grid.dates):
            if template.min_count:
                model.lp.constrain(f"min_count_t{t}_{date:%Y%m%d}", per_day[(t, day)], ">=", template.min_count)
            if template.max_count is not None:
                model.limit(f"max_count_t{t}_{date:%Y%m%d}", per_day[(t, day)], template.max_count,
                            Slack("max_count", group, 0.0, None, t, day))



def _add_team(grid: Grid, model: CoverModel, group: str, available: Availability | None,
              per_day: dict[tuple[int, int], dict[Any, float]], cost_terms: dict[Any, float],
              ) -> list[tuple[Any, float]]:
    """Named agents bound the shifts: per day, agents who may work that weekday; per plan, contract hours. Their
    contracts set the mix of shift lengths: each paid length at least its share of the shifts planned, the
    share of the shifts the contracts call for (:func:`contract_shifts`), each shift short of it priced as
    :attr:`CoverModel.under_penalty` per interval (not in the elastic model). Returns those objective terms."""
    paid = {x: model.kinds[k].paid_hours for _, k, x in model.shifts}
    for day, date in enumerate(grid.dates):
        terms = {x: 1.0 for (t, d), xs in per_day.items() if d == day for x in xs}
        if terms:
            on_day = 0 if available is None else int(available.days[:, date.weekday()].sum())
            model.limit(f"agents_{group}_{date:%Y%m%d}", terms, on_day,
                        Slack("agents_day", group, 0.0, None, day=day))
    hours = {x: paid[x] for x in cost_terms}
    if hours:
        weekly = 0.0 if available is None else float(available.max_hours.sum())
        model.limit(f"contract_hours_{group}", hours, weekly * grid.n_days / 7,
                    Slack("contract_hours", group, 0.0, None))
    if available is None or not cost_terms or model.elastic:  # the elastic model asks only what must give
        return []
    lengths = {x: model.kinds[k].length_slots for _, k, x in model.shifts if x in cost_terms}
    paid_lengths = sorted({paid[x] for x in cost_terms})
    wanted = contract_shifts(available, paid_lengths, grid.n_days / 7)
    total = sum(wanted.values())
    penalties = []
    for length, count in wanted.items():  # each length's share of the shifts planned, as in the contracts
        if length == paid_lengths[0]:
            continue  # the shortest: what is left
        terms = {x: float(abs(paid[x] - length) < 1e-9) - count / total for x in cost_terms}
        missing = model.lp.continuous(f"contract_shifts_{group}_{length:g}h")
        model.lp.constrain(f"contract_shifts_{group}_{length:g}h", {**terms, missing: 1.0}, ">=", 0)
        model.floors.append((terms, missing, 0.0))
        penalties.append((missing, model.under_penalty * min(lengths[x] for x in terms if paid[x] == length)))
    return penalties
