"""The schedule as frames and files: roster, breaks, coverage (recomputed from the roster) and a summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scheduling.grid import Grid
from scheduling.roster import ShiftInstance
from scheduling.solve import SolveReport
from scheduling.status import CoverageStatus
from wfm.contracts import BREAKS_COLUMNS, COVERAGE_COLUMNS, ROSTER_COLUMNS
from wfm.io import atomic_write, write_error, write_frame
from wfm.plain import to_plain

UNASSIGNED_COLUMNS = ("group", "date", "shift_start", "shift_end", "paid_hours", "blocked_by")
UNMET_COLUMNS = ("group", "interval_start", "required", "scheduled", "under")


@dataclass(frozen=True)
class ScheduleSummary:
    """Headline figures of a schedule; hours are agent-hours, money is in the config's currency.

    ``required_agent_hours`` are the agents to schedule (after shrinkage) summed over groups and intervals;
    ``scheduled_agent_hours`` the agents on shift net of breaks; ``coverage`` = 1 - under / required;
    ``efficiency`` = 1 - (over + under) / required; ``paid_hours_per_required_hour`` = paid / required hours.
    ``solver`` is the solve's own report (status, objective, bound, gap, time); ``status`` says whether the
    roster covers the requirement, and if not, why (:class:`~scheduling.status.CoverageStatus`).
    """

    paid_hours: float
    cost: float
    required_agent_hours: float
    scheduled_agent_hours: float
    under_agent_hours: float
    over_agent_hours: float
    coverage: float
    efficiency: float
    paid_hours_per_required_hour: float
    agents: int
    shifts: int
    unassigned_shifts: int
    unmet_intervals: int
    agents_below_min_hours: int
    roster_seconds: float
    solver: SolveReport
    status: CoverageStatus

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (NaN becomes None), the solver report nested under ``solver``, the coverage
        status (with its headline) under ``status``."""
        return {**to_plain(asdict(self)), "status": self.status.to_dict()}


@dataclass(frozen=True)
class ScheduleResult:
    """A solved schedule.

    ``roster``, ``breaks`` and ``coverage`` have exactly the contract columns (see ARCHITECTURE.md);
    ``unmet`` lists intervals short of the requirement (group, interval_start, required, scheduled, under);
    ``unassigned`` the shifts no agent could take (group, date, shift_start, shift_end, paid_hours, and
    ``blocked_by``: how many of the group's agents each rule stops, naming up to three).
    """

    roster: pd.DataFrame
    breaks: pd.DataFrame
    coverage: pd.DataFrame
    unmet: pd.DataFrame
    unassigned: pd.DataFrame
    summary: ScheduleSummary


def roster_frames(assigned: list[tuple[str, ShiftInstance]], unassigned: list[ShiftInstance], grid: Grid,
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The roster, breaks and unassigned-shift frames."""
    shifts = [shift for _, shift in assigned] + unassigned
    slots = {slot for s in shifts for slot in (s.start_slot, s.start_slot + s.length_slots)}
    slots |= {slot for s in shifts for _, start, length in s.breaks for slot in (start, start + length)}
    ordered = np.array(sorted(slots), dtype=np.int64)
    # Interval starts converted once, all together (one at a time it is most of the rostering time).
    at = dict(zip(ordered.tolist(), grid.stamp(ordered), strict=True)) if len(ordered) else {}

    def shift_row(shift: ShiftInstance) -> list[Any]:
        return [shift.group, grid.dates[shift.day], at[shift.start_slot],
                at[shift.start_slot + shift.length_slots], round(shift.paid_hours, 4)]

    roster = pd.DataFrame([[agent, *shift_row(shift)] for agent, shift in assigned], columns=list(ROSTER_COLUMNS))
    breaks = pd.DataFrame([[agent, at[start], at[start + length], rule]
                           for agent, shift in assigned for rule, start, length in shift.breaks],
                          columns=list(BREAKS_COLUMNS))
    missing = pd.DataFrame([[*shift_row(s), s.blocked_by] for s in unassigned], columns=list(UNASSIGNED_COLUMNS))
    roster = roster.sort_values(["group", "shift_start", "agent_id"], kind="stable").reset_index(drop=True)
    breaks = breaks.sort_values(["break_start", "agent_id"], kind="stable").reset_index(drop=True)
    return roster, breaks, missing


def coverage_frame(assigned: list[tuple[str, ShiftInstance]], need: dict[str, np.ndarray], grid: Grid,
                   ) -> pd.DataFrame:
    """Agents available per group and interval, net of breaks, against the requirement (wrapping the plan)."""
    n = grid.n_slots
    frames = []
    stamps = grid.timestamps()
    for group, required in need.items():
        scheduled = np.zeros(n, dtype=np.int64)
        for _, shift in assigned:
            if shift.group != group:
                continue
            np.add.at(scheduled, np.arange(shift.start_slot, shift.start_slot + shift.length_slots) % n, 1)
            for _, start, length in shift.breaks:
                np.add.at(scheduled, np.arange(start, start + length) % n, -1)
        frames.append(pd.DataFrame({"group": group, "interval_start": stamps, "required": required,
                                    "scheduled": scheduled, "under": np.maximum(required - scheduled, 0),
                                    "over": np.maximum(scheduled - required, 0)}))
    return pd.concat(frames, ignore_index=True)[list(COVERAGE_COLUMNS)]


def write_schedule(result: ScheduleResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``roster.csv``, ``breaks.csv``, ``coverage.csv`` and ``summary.json`` into ``out_dir``, plus
    ``unmet.csv`` and ``unassigned.csv`` (header only when empty), each atomically (wfm.io.atomic_write).

    Returns
    -------
    The paths written, by name.

    Raises
    ------
    DataError
        When the folder or a file in it cannot be written (naming it and the fix).
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(out, exc) from None
    paths = {name: write_frame(getattr(result, name), out / f"{name}.csv")
             for name in ("roster", "breaks", "coverage", "unmet", "unassigned")}
    text = json.dumps(result.summary.to_dict(), indent=2) + "\n"

    def write_json(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    paths["summary"] = atomic_write(out / "summary.json", write_json)
    return paths
