"""The planning layer: chains the stages into a planned week, and everything built on plans.

- :mod:`~wfm.planning.plan`: :func:`plan_week` (forecast, staffing, schedule, projection) and its halves;
- :mod:`~wfm.planning.summary`: the typed :class:`PlanSummary` every front end reads;
- :mod:`~wfm.planning.whatif` and :mod:`~wfm.planning.scenarios`: what-if modifiers and stored scenarios;
- :mod:`~wfm.planning.export`, :mod:`~wfm.planning.batch`: the atomic weekly export and the recorded batch run;
- :mod:`~wfm.planning.store`: runs and scenarios in SQLite or PostgreSQL;
- :mod:`~wfm.planning.charts`: the charts of ``report.html`` and the dashboard.

Import from its modules (``from wfm.planning.plan import plan_week``), or the public names from ``wfm``;
this package itself loads nothing, so that the command line starts fast. It imports the stages
(:mod:`forecasting`, :mod:`wfm.staffing`, :mod:`scheduling`) and the core; nothing below imports it.
"""
