"""``plan_week`` on a Dask cluster (``[forecast] backend = "dask"``) gives the plan it gives locally."""

from __future__ import annotations

import pandas as pd
import pytest
from tiny_center import TINY_CONFIG, tiny_config, tiny_history

from wfm.errors import ConfigError
from wfm.planning.plan import forecast_week, plan_week, staff_week
from wfm.weeks import week_after

distributed = pytest.importorskip("distributed")


def _forecast_settings(**settings: object) -> dict[str, object]:
    return {**TINY_CONFIG["forecast"], "model": "ets", **settings}  # type: ignore[dict-item]


@pytest.mark.slow
def test_plan_week_forecasts_on_the_dask_cluster_and_gives_the_local_forecast() -> None:
    history = tiny_history()
    solver = {"time_limit_seconds": 5, "gap": 0.05}  # the schedule is not what this test is about
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster:  # any free port
        config = tiny_config(forecast=_forecast_settings(backend="dask", scheduler=cluster.scheduler_address),
                             solver=solver)
        remote = plan_week(history, config)
        # The forecast ran as tasks on this cluster (dask names them after parallel_map's task wrapper).
        ran = set(cluster.scheduler.task_prefixes)
    assert "one_thread" in ran, sorted(ran)
    local_config = tiny_config(forecast=_forecast_settings(), solver=solver)
    local = forecast_week(history, local_config, week_after(history))
    pd.testing.assert_frame_equal(local.frame, remote.forecast.frame)
    pd.testing.assert_frame_equal(staff_week(local.frame, local_config)[1], remote.requirements)


def test_dask_backend_needs_a_scheduler() -> None:
    with pytest.raises(ConfigError, match="scheduler: backend 'dask' needs the address of a running Dask scheduler"):
        tiny_config(forecast=_forecast_settings(backend="dask"))
