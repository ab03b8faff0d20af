"""Rounding the LP relaxation into a covered integer start: systematic rounding of a day's shifts, whole tours."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling.grid import group_requirements, make_grid
from scheduling.improve import _cumulative, rounded_start
from scheduling.model import build_model
from tests.scheduling.test_known_answers import POST_OFFICE_DEMAND, post_office_requirements
from wfm.contracts import validate_requirements


@given(st.lists(st.floats(0, 30), min_size=1, max_size=40), st.integers(0, 200))
def test_systematic_rounding_keeps_every_running_sum_within_half_a_shift(values, total):
    whole = _cumulative(np.array(values), total)
    assert whole.sum() == total and (whole >= 0).all()
    weights = np.array(values) if sum(values) > 0 else np.ones(len(values))
    scaled = np.cumsum(weights / weights.sum() * total)  # shares first: a subnormal sum cannot overflow
    assert np.all(np.abs(np.cumsum(whole) - scaled) <= 0.5 + 1e-6)


def test_post_office_rounded_start_covers_each_day_with_the_optimal_23_clerks(post_office_config):
    # Winston: 23 clerks on 5 consecutive days are the optimum (LP 22 1/3); the rounded start alone finds it.
    requirements = validate_requirements(post_office_requirements(), source="test", interval_minutes=60,
                                         timezone=post_office_config.timezone,
                                         channels=list(post_office_config.channels))
    grid = make_grid(requirements, post_office_config)
    model = build_model(post_office_config, grid, group_requirements(requirements, post_office_config, grid))
    assert model.lp.solve("cbc", time_limit_seconds=10, gap=0, relax=True).objective == pytest.approx(67 / 3, abs=0.01)
    relaxed = {v: model.lp.value(v) for v in model.lp.variables()}
    start = rounded_start(model, relaxed)
    clerks = sum(start[tour.variable] for tour in model.tours)
    on_duty = [sum(start[tour.variable] for tour in model.tours if tour.pattern[weekday]) for weekday in range(7)]
    assert all(have >= need for have, need in zip(on_duty, POST_OFFICE_DEMAND, strict=True))
    assert clerks == 23
