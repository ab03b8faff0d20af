"""Capacity what-ifs saved as named scenarios and compared with a fixed base: the figures are the stored ones, the
differences are scenario minus base, and the table is written in words with the currency."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tiny_center import tiny_config, tiny_history

from wfm.errors import ConfigError
from wfm.io import read_agents
from wfm.planning import scenarios
from wfm.planning.capacity import plan_capacity
from wfm.planning.capacity_scenarios import (
    CAPACITY_FIGURES,
    CapacityWhatIf,
    capacity_figures,
    compare_capacity,
    comparison_table,
    load_capacity,
    save_capacity,
)
from wfm.planning.store import Store
from wfm.planning.whatif import Modifiers


def _agents(tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "agents.csv"
    path.write_text("agent_id,group,min_hours,max_hours\n" + "".join(f"A{i:03d},team,10,37.5\n" for i in range(20)),
                    encoding="utf-8")
    return read_agents(path, tiny_config())


def test_capacity_scenarios_are_stored_and_compared_against_a_fixed_base(tmp_path: Path) -> None:
    config, history, agents = tiny_config(), tiny_history(weeks=6), _agents(tmp_path)
    what_ifs = {"steady": CapacityWhatIf(weeks=6),
                "busier": CapacityWhatIf(weeks=6, modifiers=Modifiers(volume_pct=40),
                                         capacity={"lead_time_weeks": 1, "monthly_attrition": 0.05})}
    plans = {name: plan_capacity(history, w.apply(config), agents, weeks=w.weeks, modifiers=w.modifiers)
             for name, w in what_ifs.items()}
    with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store:
        for name, what_if in what_ifs.items():
            save_capacity(store, name, config, what_if, plans[name])
        scenarios.save(store, "weekly", config, Modifiers(), None)
        with pytest.raises(ConfigError, match="'weekly' is already a staffing scenario's"):
            save_capacity(store, "weekly", config, what_ifs["steady"], plans["steady"])
        records = {r.name: r for r in store.list_scenarios()}
    assert [n for n, r in records.items() if r.is_capacity] == ["busier", "steady"]
    assert load_capacity(records["busier"]) == (config, what_ifs["busier"])
    compared = compare_capacity([records["busier"], records["steady"]], "steady", "GBP")
    assert list(compared.figures.columns) == ["steady", "busier"]  # the base first, whatever the order given
    for name, plan in plans.items():
        summary = plan.summary
        assert compared.figures.loc["total_cost", name] == pytest.approx(summary.total_cost)
        assert compared.figures.loc["hires", name] == sum(summary.hires.values())
        assert compared.figures.loc["peak_required_fte", name] == pytest.approx(plan.weekly["required_fte"].max())
        assert compared.figures[name].to_dict() == pytest.approx(capacity_figures(plan))
    busier, steady = compared.figures["busier"], compared.figures["steady"]
    # +40% volume needs more staff, but less than 40% more (a queue's economies of scale)
    assert steady["mean_required_fte"] < busier["mean_required_fte"] < 1.4 * steady["mean_required_fte"]
    assert compared.differences["busier"].to_dict() == pytest.approx((busier - steady).to_dict())
    table = comparison_table(compared)
    assert list(table.columns) == ["steady (base)", "busier"]
    assert list(table.index) == ["Settings"] + [words for _, _, words in CAPACITY_FIGURES]
    assert table.loc["Settings", "busier"] == ("6 weeks; volume +40%; hiring lead time 1 week; "
                                               "monthly attrition, every group 5.0%")
    cost = table.loc["Total cost over the horizon", "busier"]
    change = busier["total_cost"] - steady["total_cost"]
    assert cost == f"£{busier['total_cost']:,.0f} ({'+' if change > 0 else '-'}£{abs(change):,.0f})"
    with pytest.raises(ConfigError, match="'weekly' is not a capacity scenario"):
        compare_capacity([records["steady"], records["weekly"]], "steady", "GBP")
