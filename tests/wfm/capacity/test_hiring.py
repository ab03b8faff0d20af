"""The hiring program and the supply arithmetic, on cases solved by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from wfm.capacity import plan_hiring, tenure_productivity, weekly_survival
from wfm.capacity.hiring import HIRING_RULES, LEAD_TIME
from wfm.config import CapacitySettings, parse_config
from wfm.errors import ConfigError, DataError

MONDAY = dt.date(2027, 1, 4)  # weeks 0-3 in January, 4-5 in February


def _required(values: list[float], group: str = "g") -> pd.DataFrame:
    weeks = [MONDAY + dt.timedelta(weeks=i) for i in range(len(values))]
    return pd.DataFrame({"week": weeks, "group": group, "required_fte": values})


def _rules(**changes: object) -> CapacitySettings:
    base = {"lead_time_weeks": 1, "training_weeks": 1, "nesting_productivity": (), "hiring_cost": 50.0,
            "shortage_cost_per_fte_week": 1000.0, "groups": {"g": {"monthly_attrition": 0.0}}}
    return CapacitySettings.model_validate({**base, **changes})


def test_one_class_at_the_lead_time_is_the_cheapest_cover() -> None:
    # Hire 1 in week 1 (trains in week 1, works from week 2): 50 + 5 weeks x 100 = 550. Hiring in week 2 leaves
    # week 2 short (1,000 + 50 + 400 = 1,450); not hiring leaves 4 FTE-weeks short (4,000).
    plan = plan_hiring(_required([2, 2, 3, 3, 3, 3]), {"g": 2.0}, _rules(), {"g": 100.0})
    frame = plan.frame
    assert plan.status == "optimal"
    assert frame["hires_starting"].tolist() == [0, 1, 0, 0, 0, 0]
    assert frame["in_training"].tolist() == [0, 1, 0, 0, 0, 0]
    assert frame["gap_fte"].tolist() == [0, 0, 0, 0, 0, 0]
    assert frame["available_fte"].tolist() == [2, 2, 3, 3, 3, 3]
    assert frame["total_cost"].sum() == pytest.approx(2 * 100 + 3 * 100 * 5 + 50)


def test_a_shortage_cheaper_than_a_hire_is_left_short_and_said_so() -> None:
    # A shortage at 100 per FTE-week costs 400 for weeks 2-5, less than the hire (550): the plan stays short.
    plan = plan_hiring(_required([2, 2, 3, 3, 3, 3]), {"g": 2.0}, _rules(shortage_cost_per_fte_week=100.0),
                       {"g": 100.0})
    frame = plan.frame
    assert frame["hires_starting"].sum() == 0
    assert frame["gap_fte"].tolist() == [0, 0, 1, 1, 1, 1]
    assert frame["gap_cause"].tolist() == ["", "", HIRING_RULES, HIRING_RULES, HIRING_RULES, HIRING_RULES]
    assert frame["shortage_penalty"].sum() == pytest.approx(400)


def test_weeks_before_the_first_productive_week_are_short_by_the_lead_time() -> None:
    # Lead time 2 + training 1: no hire works before week 3, so week 2 is short by 1 whatever is done.
    plan = plan_hiring(_required([2, 2, 3, 3, 3, 3]), {"g": 2.0}, _rules(lead_time_weeks=2), {"g": 100.0})
    frame = plan.frame
    assert plan.first_productive_week == 3
    assert frame["hires_starting"].tolist() == [0, 0, 1, 0, 0, 0]
    assert frame["gap_fte"].tolist() == [0, 0, 1, 0, 0, 0]
    assert frame.loc[2, "gap_cause"] == LEAD_TIME


def test_class_size_and_classes_per_month_limit_the_hires() -> None:
    # 5 FTE needed from week 2; classes of at most 2, one a month, productive at once: January's class of 2 in
    # week 2, February's of 2 in week 4 (1 February); short 3 in weeks 2-3 and 1 in weeks 4-5.
    rules = _rules(lead_time_weeks=0, training_weeks=0, hiring_cost=0.0, max_class_size=2, max_classes_per_month=1)
    plan = plan_hiring(_required([0, 0, 5, 5, 5, 5]), {}, rules, {"g": 100.0})
    frame = plan.frame
    assert frame["hires_starting"].tolist() == [0, 0, 2, 0, 2, 0]
    assert frame["gap_fte"].tolist() == [0, 0, 3, 3, 1, 1]
    assert set(frame.loc[frame["gap_fte"] > 0, "gap_cause"]) == {HIRING_RULES}


def test_min_class_size_rounds_a_class_up() -> None:
    rules = _rules(lead_time_weeks=0, training_weeks=0, min_class_size=3)
    plan = plan_hiring(_required([0, 1, 1, 1]), {}, rules, {"g": 100.0})
    assert plan.frame["hires_starting"].tolist() == [0, 3, 0, 0]


def test_training_and_nesting_ramp_arithmetic() -> None:
    assert tenure_productivity(6, 2, [0.5, 0.75]).tolist() == [0, 0, 0.5, 0.75, 1, 1]
    # 10 hires in week 0 train for weeks 0-1, then give 5 and 7.5 FTE, then 10: exactly the requirement.
    rules = _rules(lead_time_weeks=0, training_weeks=2, nesting_productivity=(0.5, 0.75), hiring_cost=0.0)
    frame = plan_hiring(_required([0, 0, 5, 7.5, 10, 10]), {}, rules, {"g": 100.0}).frame
    assert frame["hires_starting"].tolist() == [10, 0, 0, 0, 0, 0]
    assert frame["in_training"].tolist() == [10, 10, 0, 0, 0, 0]
    assert frame["available_fte"].tolist() == pytest.approx([0, 0, 5, 7.5, 10, 10])
    assert frame["payroll_fte"].tolist() == pytest.approx([10] * 6)
    assert frame["salary_cost"].sum() == pytest.approx(6 * 10 * 100)


def test_attrition_arithmetic() -> None:
    # 5% a month: 0.95 ** (12 / 52) = exp(12/52 x ln 0.95) = 0.988233 a week; a year of weeks leaves 0.95 ** 12.
    assert weekly_survival(0.05) == pytest.approx(0.988233, abs=1e-6)
    assert weekly_survival(0.05) ** 52 == pytest.approx(0.540360, abs=1e-6)
    rules = _rules(max_classes_per_month=0, groups={"g": {"monthly_attrition": 0.05}})
    frame = plan_hiring(_required([0.0] * 53), {"g": 100.0}, rules, {"g": 1.0}).frame
    assert frame["available_fte"].iloc[0] == pytest.approx(100.0)
    assert frame["attrition_fte"].iloc[0] == pytest.approx(100 * (1 - 0.988233), abs=1e-4)
    assert frame["available_fte"].iloc[52] == pytest.approx(54.0360, abs=1e-3)
    # what leaves at the end of a week is what the next week lacks
    drop = frame["payroll_fte"].to_numpy()[:-1] - frame["payroll_fte"].to_numpy()[1:]
    assert drop == pytest.approx(frame["attrition_fte"].to_numpy()[:-1])


def test_overtime_covers_a_small_gap_within_its_allowance() -> None:
    rules = _rules(lead_time_weeks=4, overtime_fraction=0.05)
    frame = plan_hiring(_required([10.4, 10.6]), {"g": 10.0}, rules, {"g": 100.0}).frame
    assert frame["overtime_fte"].tolist() == pytest.approx([0.4, 0.5])
    assert frame["gap_fte"].tolist() == pytest.approx([0.0, 0.1])
    assert frame["overtime_cost"].tolist() == pytest.approx([0.4 * 150, 0.5 * 150])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_unconstrained_hiring_covers_every_week_after_the_lead_time(seed: int) -> None:
    # Hires are whole people: a shortage must cost more than a hire's salary (a fraction of an FTE short for a
    # week against a whole hire for the horizon), or the program rightly leaves a sliver short.
    rng = np.random.default_rng(seed)
    need = {g: np.round(rng.uniform(20, 60, 30) * np.linspace(1, 1.6, 30), 2) for g in ("a", "b")}
    required = pd.concat([_required(list(values), group) for group, values in need.items()], ignore_index=True)
    rules = _rules(lead_time_weeks=3, training_weeks=2, nesting_productivity=(0.5,), hiring_cost=3000.0,
                   shortage_cost_per_fte_week=1e7,
                   groups={"a": {"monthly_attrition": 0.03}, "b": {"monthly_attrition": 0.01}})
    plan = plan_hiring(required, {"a": 25.0, "b": 30.0}, rules, {"a": 800.0, "b": 700.0}, gap=0.001)
    frame = plan.frame.assign(index=lambda f: f.groupby("group").cumcount())
    after = frame[frame["index"] >= plan.first_productive_week]
    assert plan.first_productive_week == 5
    assert (after["available_fte"] >= after["required_fte"] - 1e-6).all()
    assert (after["gap_fte"] == 0).all()
    assert set(frame.loc[frame["gap_fte"] > 0, "gap_cause"]) <= {LEAD_TIME}


def test_bad_requirement_frames_are_refused() -> None:
    with pytest.raises(DataError, match="consecutive Mondays"):
        plan_hiring(_required([1, 1]).assign(week=[MONDAY, MONDAY + dt.timedelta(weeks=2)]), {}, _rules(),
                    {"g": 1.0})
    with pytest.raises(DataError, match="required_fte must be a finite number >= 0"):
        plan_hiring(_required([1, -1]), {}, _rules(), {"g": 1.0})


@pytest.mark.parametrize(("capacity", "message"), [
    ({"horizon_weeks": 79}, r"capacity.horizon_weeks: .*less than or equal to 78"),
    ({"min_class_size": 5, "max_class_size": 3}, r"capacity.max_class_size: must be >= min_class_size \(5\)"),
    ({"nesting_productivity": [0.5, 1.2]}, r"nesting_productivity\[1\]: must be in \(0, 1\]"),
    ({"groups": {"nobody": {"monthly_attrition": 0.02}}}, r"capacity.groups.nobody: unknown staff group"),
    ({"groups": {"team": {"monthly_attrition": 1.0}}}, r"monthly_attrition: must be in \[0, 1\)"),
])
def test_capacity_config_is_validated(capacity: dict, message: str) -> None:
    from tiny_center import TINY_CONFIG

    with pytest.raises(ConfigError, match=message):
        parse_config({**TINY_CONFIG, "capacity": capacity}, source="tiny.toml")


def test_the_program_matches_brute_force_on_a_small_case() -> None:
    # Every choice of 0-4 hires in each of weeks 1-4, costed by a plain week-by-week loop.
    need, current, salary, hire, penalty, overtime = [6, 6, 8, 9, 9], 6.0, 100.0, 150.0, 400.0, 0.1
    survive = (1 - 0.04) ** (12 / 52)
    productivity = [0.0, 0.5, 1.0]  # training 1 week, then half a week's output, then full

    def cost(hires: tuple[int, ...]) -> float:
        classes, total = [], 0.0
        staff = current
        for week in range(5):
            if week >= 1 and hires[week - 1]:
                classes.append([week, float(hires[week - 1])])
            productive = staff + sum(n * productivity[min(week - start, 2)] for start, n in classes)
            extra = min(max(need[week] - productive, 0.0), overtime * productive)
            short = max(need[week] - productive - extra, 0.0)
            total += salary * (staff + sum(n for _, n in classes)) + hire * (hires[week - 1] if week else 0)
            total += salary * 1.5 * extra + penalty * short
            staff *= survive
            for each in classes:
                each[1] *= survive
        return total

    best = min(cost(choice) for choice in np.ndindex(5, 5, 5, 5))
    rules = _rules(training_weeks=1, nesting_productivity=(0.5,), hiring_cost=hire, shortage_cost_per_fte_week=penalty,
                   overtime_fraction=overtime, groups={"g": {"monthly_attrition": 0.04}})
    frame = plan_hiring(_required(need), {"g": current}, rules, {"g": salary}).frame
    assert (frame["total_cost"] + frame["shortage_penalty"]).sum() == pytest.approx(best, rel=1e-9)
