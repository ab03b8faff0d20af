"""Shift scheduling: interval requirements to shifts, breaks and days-off tours at least cost (an integer
program built with PuLP, solved by CBC or HiGHS), then to a roster of named agents.

Public API::

    from scheduling import solve_schedule, ScheduleResult, ScheduleSummary, SolveReport, write_schedule

    result = solve_schedule(requirements, config, agents=wfm.io.read_agents("data/agents.csv", config))
    write_schedule(result, "out/")   # roster.csv, breaks.csv, coverage.csv, summary.json
    print(result.summary.status.headline())  # covered (optimal or at the limit), or short: why, and the fix
"""

from scheduling.engine import solve_schedule
from scheduling.outputs import ScheduleResult, ScheduleSummary, write_schedule
from scheduling.solve import SolveReport
from scheduling.status import CoverageStatus

__all__ = ["CoverageStatus", "ScheduleResult", "ScheduleSummary", "SolveReport", "solve_schedule", "write_schedule"]
