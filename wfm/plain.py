"""Plain data for JSON, the store and exports: the one conversion from numpy, pandas and dates.

NaN (a figure that does not exist, such as the service level of deferred work) becomes ``None``/``null``;
numpy scalars become Python numbers; dates and timestamps become ISO 8601 text; tuples become lists.

>>> import math
>>> to_plain({"level": math.nan, "days": (1, 2)})
{'level': None, 'days': [1, 2]}
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def to_plain(value: Any) -> Any:
    """A JSON-ready copy of ``value``: NaN and NaT become None, infinities too (JSON has none)."""
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [to_plain(v) for v in value.tolist()]
    if value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp | dt.date | dt.time):
        return value.isoformat()
    return value
