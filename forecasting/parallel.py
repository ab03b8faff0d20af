"""One ``parallel_map`` seam for independent work (channels, backtest folds).

``backend="local"`` runs on local processes (one per core, forked from a fork server that has the models
loaded; in-process for a single item or inside a daemon process);
``backend="dask"`` submits to an existing Dask distributed scheduler at ``scheduler`` (its workers must
have wfm installed). Each task runs with one BLAS thread: statsmodels fits are several times faster so.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import partial
from multiprocessing.context import BaseContext
from typing import Literal, TypeVar

from threadpoolctl import threadpool_limits

from wfm.errors import ConfigError

Backend = Literal["local", "dask"]
#: Called with (tasks done, tasks in total) as work completes.
Progress = Callable[[int, int], None]

T = TypeVar("T")
R = TypeVar("R")


def _context() -> BaseContext:
    """Fork workers from a clean server process that has the models loaded, not from the caller.

    The caller may run threads (a web dashboard does) that ``fork`` would copy mid-lock; the fork server
    imports :mod:`forecasting` once, so each worker still starts in a fraction of a second.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["forecasting.engine"])
    return context


def _one_thread(func: Callable[[T], R], item: T) -> R:
    with threadpool_limits(limits=1, user_api="blas"):
        return func(item)


def parallel_map(func: Callable[[T], R], items: Sequence[T], *, backend: Backend = "local",
                 scheduler: str | None = None, workers: int | None = None,
                 progress: Progress | None = None) -> list[R]:
    """Apply ``func`` to every item, in parallel, and return the results in the order of ``items``.

    Parameters
    ----------
    func
        A picklable (module-level) function of one item.
    items
        The work; each item must be picklable.
    backend
        ``"local"`` (processes on this machine) or ``"dask"`` (an existing dask.distributed cluster).
    scheduler
        Address of the Dask scheduler (``tcp://host:8786``); required for ``backend="dask"``.
    workers
        Local processes; defaults to the number of cores.
    progress
        Called with (done, total) each time a task finishes.
    """
    task = partial(_one_thread, func)
    total = len(items)
    if backend == "dask":
        return _dask_map(task, items, scheduler, progress)
    if backend != "local":
        raise ConfigError(f"backend: unknown backend {backend!r}; use 'local' or 'dask'")
    workers = min(workers or os.cpu_count() or 1, total)
    results: list[R] = [None] * total  # type: ignore[list-item]
    if workers <= 1 or multiprocessing.current_process().daemon:  # a daemon process may not start others
        for index, item in enumerate(items):
            results[index] = task(item)
            if progress:
                progress(index + 1, total)
        return results
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures = {pool.submit(task, item): index for index, item in enumerate(items)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, total)
    return results


def _dask_map(task: Callable[[T], R], items: Sequence[T], scheduler: str | None,
              progress: Progress | None) -> list[R]:
    if not scheduler:
        raise ConfigError("scheduler: the dask backend needs the address of a running scheduler "
                          "(--scheduler tcp://HOST:8786)")
    from distributed import Client
    from distributed import as_completed as dask_completed

    try:
        client = Client(scheduler, set_as_default=False, timeout="10s")
    except OSError as exc:
        raise ConfigError(f"scheduler: cannot reach the Dask scheduler at {scheduler}: {exc}; "
                          "check the address and that the scheduler is running") from None
    with client:
        futures = client.map(task, list(items), pure=False)
        for done, _ in enumerate(dask_completed(futures, loop=client.loop), start=1):
            if progress:
                progress(done, len(items))
        return client.gather(futures)
