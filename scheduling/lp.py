"""A thin wrapper over PuLP: the only module that speaks PuLP's camelCase.

Variables are PuLP variables (opaque to callers); expressions are mappings ``{variable: coefficient}``.
:meth:`LinearModel.solve` picks a solver by name and reads ``sol_status`` (PuLP's ``status`` says
"Optimal" even when a solver stopped at its time limit), so a result is never assumed.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pulp

from wfm.errors import SolverError

Backend = Literal["cbc", "highs"]
Sense = Literal["==", ">=", "<="]
SolveStatus = Literal["optimal", "feasible", "infeasible", "no_solution"]

_SENSES = {"==": pulp.LpConstraintEQ, ">=": pulp.LpConstraintGE, "<=": pulp.LpConstraintLE}
_STATUS = {
    pulp.LpSolutionOptimal: "optimal",
    pulp.LpSolutionIntegerFeasible: "feasible",
    pulp.LpSolutionInfeasible: "infeasible",
    pulp.LpSolutionUnbounded: "infeasible",
    pulp.LpSolutionNoSolutionFound: "no_solution",
}


@dataclass(frozen=True)
class SolveOutcome:
    """What one solver run returned.

    ``status`` is "optimal" (proven, within the requested relative gap), "feasible" (a solution, stopped at
    the time limit), "infeasible" or "no_solution". ``dual_bound`` is the solver's own lower bound when it
    reports one (HiGHS), else NaN.
    """

    status: SolveStatus
    objective: float
    dual_bound: float
    seconds: float
    solver: Backend


def available_backends() -> tuple[Backend, ...]:
    """Solvers usable here: CBC ships with PuLP; HiGHS needs highspy."""
    found = set(pulp.listSolvers(onlyAvailable=True))
    backends: list[Backend] = []
    if "PULP_CBC_CMD" in found:
        backends.append("cbc")
    if "HiGHS" in found:
        backends.append("highs")
    return tuple(backends)


class _WarmHiGHS(pulp.HiGHS):  # type: ignore[misc, name-defined]
    """PuLP's HiGHS interface, handing the variables' current values to HiGHS as a starting solution."""

    warm_start = False

    def callSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 (PuLP's hook name)
        if self.warm_start:
            columns = lp.variables()
            lp.solverModel.setSolution(len(columns), np.array([v.index for v in columns], dtype=np.int32),
                                       np.array([v.varValue or 0.0 for v in columns], dtype=np.float64))
        super().callSolver(lp)


class LinearModel:
    """A minimisation model with named variables and named constraints."""

    def __init__(self, name: str) -> None:
        self._problem = pulp.LpProblem(name, pulp.LpMinimize)
        self._integers = 0
        self._rows = 0

    def integer(self, name: str, upper: float | None = None) -> Any:
        """A new integer variable >= 0."""
        self._integers += 1
        return self._problem.add_variable(name, lowBound=0, upBound=upper, cat=pulp.LpInteger)

    def continuous(self, name: str, upper: float | None = None) -> Any:
        """A new continuous variable >= 0."""
        return self._problem.add_variable(name, lowBound=0, upBound=upper, cat=pulp.LpContinuous)

    def constrain(self, name: str, terms: Mapping[Any, float], sense: Sense, rhs: float) -> None:
        """Add ``sum(coefficient * variable) <sense> rhs`` under a meaningful name (``cover_mon_0830``)."""
        expression = pulp.LpAffineExpression(list(terms.items()))
        self._problem.addConstraint(pulp.LpConstraint(expression, _SENSES[sense], name, rhs))
        self._rows += 1

    def minimise(self, terms: Iterable[tuple[Any, float]]) -> None:
        """Set the objective to minimise."""
        self._problem.setObjective(pulp.LpAffineExpression(list(terms)))

    @property
    def integer_count(self) -> int:
        """Number of integer variables."""
        return self._integers

    @property
    def row_count(self) -> int:
        """Number of constraints."""
        return self._rows

    @staticmethod
    def value(variable: Any) -> float:
        """A variable's value in the last solution (0 when the solver gave none)."""
        value = variable.varValue
        return 0.0 if value is None else float(value)

    def set_values(self, values: Mapping[Any, float]) -> None:
        """Set variables' values: a start for the next warm-started solve, or a solution to keep.

        Values outside a variable's bounds are kept (a rounded start may leave an interval short where coverage
        is hard); :meth:`values_feasible` then says the start breaks a bound."""
        for variable, value in values.items():
            variable.setInitialValue(value, check=False)

    def current(self, variables: Iterable[Any]) -> dict[Any, float]:
        """The current values of some variables, integers rounded and tiny negatives (solver noise) cleared."""
        return {v: float(round(self.value(v))) if v.cat == pulp.LpInteger else max(self.value(v), 0.0)
                for v in variables}

    @staticmethod
    def fix(values: Mapping[Any, float]) -> None:
        """Hold variables at values (both bounds) until :meth:`release`."""
        for variable, value in values.items():
            variable.lowBound = variable.upBound = value

    @staticmethod
    def release(variables: Iterable[Any], uppers: Mapping[Any, float | None]) -> None:
        """Free fixed variables again: lower bound 0, upper bound as given."""
        for variable in variables:
            variable.lowBound, variable.upBound = 0, uppers.get(variable)

    def variables(self) -> list[Any]:
        """All variables."""
        return list(self._problem.variables())

    @staticmethod
    def upper(variable: Any) -> float | None:
        """A variable's upper bound."""
        return variable.upBound

    def values_feasible(self) -> bool:
        """Whether the current values meet every constraint."""
        return bool(self._problem.valid(eps=1e-6))

    def objective_value(self) -> float:
        """The objective at the current values."""
        return float(pulp.value(self._problem.objective) or 0.0)

    def solve(self, backend: Backend, *, time_limit_seconds: float, gap: float, relax: bool = False,
              warm_start: bool = False) -> SolveOutcome:
        """Solve with ``backend``; ``relax`` drops integrality (the LP relaxation).

        Raises
        ------
        SolverError
            When the solver is not installed or crashes.
        """
        if backend not in available_backends():
            raise SolverError(f"solver {backend!r} is not available here; install highspy for HiGHS, or set "
                              "solver.backend (or --solver) to cbc")
        options: dict[str, Any] = {"msg": False, "timeLimit": time_limit_seconds, "mip": not relax}
        if not relax:
            options["gapRel"] = gap
        if backend == "cbc":
            with warnings.catch_warnings():
                # PuLP 3.3 deprecates its bundled CBC for 4.0; the bundle is what we rely on until then.
                warnings.filterwarnings("ignore", message="PULP_CBC_CMD is deprecated", category=DeprecationWarning)
                solver = pulp.PULP_CBC_CMD(warmStart=warm_start and not relax, **options)
        else:
            solver = _WarmHiGHS(**options)
            solver.warm_start = warm_start and not relax
        started = time.perf_counter()
        try:
            self._problem.solve(solver)
        except pulp.PulpSolverError as exc:
            raise SolverError(f"the {backend} solver failed: {exc}; try the other solver (--solver)") from None
        seconds = time.perf_counter() - started
        status: SolveStatus = _STATUS.get(self._problem.sol_status, "no_solution")  # type: ignore[assignment]
        objective = math.nan
        if status in ("optimal", "feasible"):
            objective = float(pulp.value(self._problem.objective) or 0.0)
        return SolveOutcome(status=status, objective=objective, dual_bound=self._dual_bound(backend, relax),
                            seconds=seconds, solver=backend)

    def _dual_bound(self, backend: Backend, relax: bool) -> float:
        """HiGHS's proven lower bound of the last MIP solve; NaN when unknown."""
        model = getattr(self._problem, "solverModel", None)
        if backend != "highs" or relax or model is None:
            return math.nan
        bound = float(model.getInfo().mip_dual_bound)
        return bound if math.isfinite(bound) else math.nan
