"""Log-space special functions the Erlang formulas are built on, exact at any size.

Everything here works on numpy arrays and stays finite where a textbook formula overflows or underflows:
Poisson probabilities come from Loader's saddle-point form (``stirlerr`` and ``bd0``), and tail sums
that would underflow are summed as ratios of neighbouring terms.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.float64]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
#: Below this, a regularised incomplete gamma value is summed as a series instead (it may underflow).
_TINY = 1e-250


def _stirlerr(n: FloatArray) -> FloatArray:
    """log(n!) - log(sqrt(2 pi n) (n/e)^n), the error of Stirling's formula, for n > 0."""
    large = n > 15.0
    out = np.empty_like(n)
    small = n[~large]
    out[~large] = special.gammaln(small + 1.0) - (small + 0.5) * np.log(small) + small - _HALF_LOG_2PI
    big = n[large]
    inv2 = 1.0 / (big * big)
    out[large] = (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188)))) / big
    return out


def _bd0(x: FloatArray, mean: FloatArray) -> FloatArray:
    """x log(x / mean) + mean - x without cancellation (Loader 2000), for x > 0, mean > 0."""
    near = np.abs(x - mean) < 0.1 * (x + mean)
    out = x * (np.log(x) - np.log(mean)) + mean - x
    if near.any():
        xs, ms = x[near], mean[near]
        v = (xs - ms) / (xs + ms)
        total = (xs - ms) * v
        term = 2.0 * xs * v
        v2 = v * v
        for j in range(1, 12):
            term = term * v2
            total = total + term / (2 * j + 1)
        out[near] = total
    return out


def log_poisson(x: FloatArray, mean: FloatArray) -> FloatArray:
    """log(mean^x e^-mean / Gamma(x + 1)) for real x >= 0 and mean >= 0, accurate to a few ulps."""
    x, mean = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(mean, dtype=float))
    out = np.empty(x.shape)
    zero_x = x == 0
    zero_mean = (mean == 0) & ~zero_x
    regular = ~zero_x & ~zero_mean
    out[zero_x] = -mean[zero_x]
    out[zero_mean] = -np.inf
    xr, mr = x[regular], mean[regular]
    out[regular] = -_stirlerr(xr) - _bd0(xr, mr) - _HALF_LOG_2PI - 0.5 * np.log(xr)
    return out


def log_lower_gamma_ratio(a: FloatArray, y: FloatArray) -> FloatArray:
    """log of P(a, y) / p(a, y), where P is the regularised lower incomplete gamma function and
    p(a, y) = y^a e^-y / Gamma(a + 1).

    The ratio equals the series sum_k prod_{i=1..k} y / (a + i) >= 1, so it never underflows even where
    P(a, y) does (y far below a); it is computed from P where P is representable.
    """
    a, y = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(y, dtype=float))
    out = np.zeros(a.shape)
    positive = y > 0
    regularised = np.zeros(a.shape)
    regularised[positive] = special.gammainc(a[positive], y[positive])
    direct = positive & (regularised > _TINY)
    out[direct] = np.log(regularised[direct]) - log_poisson(a[direct], y[direct])
    series = positive & ~direct
    if series.any():
        out[series] = np.log(_ratio_series(a[series], y[series]))
    return out


def _sum_of_products(ratio: Callable[[NDArray[np.bool_], int], FloatArray], shape: tuple[int, ...]) -> FloatArray:
    """1 + r_1 + r_1 r_2 + ..., each term ``ratio(active, k)`` times the last, until terms stop counting."""
    total = np.ones(shape)
    term = np.ones(shape)
    active = np.ones(shape, dtype=bool)
    k = 0
    while active.any():
        k += 1
        term[active] *= ratio(active, k)
        total[active] += term[active]
        active &= term > 1e-17 * total
    return total


def _ratio_series(a: FloatArray, y: FloatArray) -> FloatArray:
    """sum_k prod_{i=1..k} y / (a + i), for y well below a (where it converges geometrically)."""
    return _sum_of_products(lambda active, i: y[active] / (a[active] + i), a.shape)


def log_erlang_b(servers: FloatArray, load: FloatArray) -> FloatArray:
    """log of Erlang B (blocking probability of an M/M/N/N loss system), vectorised and exact.

    B(N, A) = p(N; A) / P(X <= N) for X ~ Poisson(A). The numerator comes from :func:`log_poisson`; the
    denominator from the regularised upper gamma function where it is representable, else from the
    series 1/B = sum_j prod_{i<j} (N - i) / A, which converges fast exactly where the former underflows.
    """
    servers, load = np.broadcast_arrays(np.asarray(servers, dtype=float), np.asarray(load, dtype=float))
    out = np.zeros(servers.shape)
    busy = (load > 0) & (servers > 0)
    out[(load == 0) & (servers > 0)] = -np.inf
    n, a = servers[busy], load[busy]
    cdf = special.pdtr(n, a)
    direct = cdf > _TINY
    result = np.empty(n.shape)
    result[direct] = log_poisson(n[direct], a[direct]) - np.log(cdf[direct])
    if (~direct).any():
        result[~direct] = -np.log(_inverse_erlang_b_series(n[~direct], a[~direct]))
    out[busy] = result
    return out


def _inverse_erlang_b_series(n: FloatArray, a: FloatArray) -> FloatArray:
    """1 / B(N, A) = sum_{j=0..N} prod_{i<j} (N - i) / A, for N well below A (the terms end at j = N + 1)."""
    return _sum_of_products(lambda active, j: np.maximum(n[active] - (j - 1), 0.0) / a[active], n.shape)
