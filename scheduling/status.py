"""The schedule's coverage status: covered (optimal within the gap, or the best found in the time limit) or
short, by how much, why, and the smallest change that would cover it.

One :class:`CoverageStatus` per solve, embedded in every summary; its :meth:`CoverageStatus.headline` is the
one text the CLI, the exports and the dashboard show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from wfm.plain import to_plain

StatusKind = Literal["covered_optimal", "covered_limit", "short"]
#: Exit code of ``wfm schedule`` and ``wfm plan`` when the schedule is exported but leaves intervals short.
SHORT_EXIT_CODE = 3


@dataclass(frozen=True)
class CoverageStatus:
    """Whether the schedule covers the requirement, and if not, why.

    ``kind`` is "covered_optimal" (nothing short, cost proven within ``gap_limit`` of the bound),
    "covered_limit" (nothing short, best cost found in the time limit, ``gap`` above the bound) or "short"
    (``short_agent_hours`` in ``short_intervals`` group intervals left short, counted from the roster).
    ``gap`` is the cost gap to the LP bound. A short status gives the binding ``reason`` (the group's named
    agents, their availability, a headcount or budget cap, a rule, the time limit) and ``fix``, the smallest
    change found that would cover it.
    """

    kind: StatusKind
    gap: float
    gap_limit: float
    short_agent_hours: float
    short_intervals: int
    reason: str | None = None
    fix: str | None = None

    @property
    def covered(self) -> bool:
        """Nothing is short."""
        return self.kind != "short"

    @property
    def exit_code(self) -> int:
        """The command line's exit code for this status: 0 covered, :data:`SHORT_EXIT_CODE` short."""
        return 0 if self.covered else SHORT_EXIT_CODE

    def headline(self) -> str:
        """One line for people: the status, the gap or the shortfall, its reason and fix."""
        if self.kind == "covered_optimal":
            return f"Covered, cost optimal within {self.gap:.2%} (target {self.gap_limit:.2%})"
        if self.kind == "covered_limit":
            return (f"Covered, best cost found in the time limit: {self.gap:.2%} above the bound "
                    f"(target {self.gap_limit:.2%})")
        text = (f"Short by {self.short_agent_hours:,.1f} agent-hours in {self.short_intervals:,} "
                f"interval{'' if self.short_intervals == 1 else 's'}")
        if self.reason:
            text += f", because of {self.reason}"
        if self.fix:
            text += f"; to cover it: {self.fix}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with the headline for readers of ``summary.json``."""
        return dict(to_plain({"kind": self.kind, "gap": self.gap, "gap_limit": self.gap_limit,
                              "short_agent_hours": self.short_agent_hours, "short_intervals": self.short_intervals,
                              "reason": self.reason, "fix": self.fix, "headline": self.headline()}))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoverageStatus:
        """A status back from :meth:`to_dict` data (the headline is recomputed)."""
        gap = data["gap"]
        return cls(kind=data["kind"], gap=float("nan") if gap is None else float(gap),
                   gap_limit=float(data["gap_limit"]), short_agent_hours=float(data["short_agent_hours"]),
                   short_intervals=int(data["short_intervals"]), reason=data.get("reason"), fix=data.get("fix"))


def coverage_status(*, short_agent_hours: float, short_intervals: int, gap: float, gap_limit: float,
                    reason: str | None = None, fix: str | None = None) -> CoverageStatus:
    """The status from the roster's shortfall and the solve's cost gap (short wins over any gap)."""
    if short_intervals > 0:
        return CoverageStatus("short", gap, gap_limit, short_agent_hours, short_intervals, reason, fix)
    kind: StatusKind = "covered_optimal" if gap <= gap_limit + 1e-12 else "covered_limit"
    return CoverageStatus(kind, gap, gap_limit, 0.0, 0)
