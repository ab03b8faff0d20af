"""Forecasting: contact volume and handle time per channel and interval, with honest accuracy figures.

>>> from forecasting import forecast, backtest
>>> result = forecast(history, config)            # doctest: +SKIP
>>> result.frame                                  # the forecast contract  # doctest: +SKIP
>>> result.choices                                # model chosen per channel, with its backtest wMAPE  # doctest: +SKIP

Models (:data:`MODELS`) share one interface (:class:`ForecastModel`: ``fit`` a training window prepared
from the history contract by :func:`prepare_channel`, ``predict`` days). Daily-total models are spread over
the day by an :class:`IntradayProfile`; holidays, events and outlier days come from the config
(:mod:`forecasting.calendar`). Channels and backtest folds run in parallel through :func:`parallel_map`
(local processes, or Dask).
"""

from forecasting.backtest import BacktestResult
from forecasting.calendar import country_holidays
from forecasting.engine import ForecastResult, backtest, describe_choices, forecast, history_check, prepare_channel
from forecasting.models import MODELS, ForecastModel, Prediction
from forecasting.parallel import parallel_map
from forecasting.profile import IntradayProfile, fit_profile

__all__ = [
    "MODELS",
    "BacktestResult",
    "ForecastModel",
    "ForecastResult",
    "IntradayProfile",
    "Prediction",
    "backtest",
    "country_holidays",
    "describe_choices",
    "fit_profile",
    "forecast",
    "history_check",
    "parallel_map",
    "prepare_channel",
]
