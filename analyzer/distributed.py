"""Run the per-document function on a Dask cluster; results stream back to the one writer.

The same ``process_file`` that local workers run is shipped to Dask workers. SQLite is
still written by this process only. Submission is bounded so a corpus of any size flows
through without being held in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from analyzer.errors import AnalyzerError


def run_dask(fn: Callable[[Any], Any], tasks: Iterable[Any], *, scheduler: str | None = None,
             workers: int = 2) -> Iterator[tuple[Any, str, Any]]:
    """Yield (task, "ok" | "error", result or message) as Dask finishes each file."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as ex:
        raise AnalyzerError("the dask executor needs dask.distributed: pip install 'analyzer[dask]'") from ex
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        it = iter(tasks)
        window = max(4, workers * 4)
        futures = {}
        ac = as_completed()

        def submit_next() -> bool:
            try:
                t = next(it)
            except StopIteration:
                return False
            fut = client.submit(fn, t, pure=False)
            futures[fut.key] = t
            ac.add(fut)
            return True

        for _ in range(window):
            if not submit_next():
                break
        for fut in ac:
            task = futures.pop(fut.key)
            try:
                yield task, "ok", fut.result()
            except Exception as ex:  # a worker-side failure: recorded, the batch goes on
                yield task, "error", f"{type(ex).__name__}: {ex}"
            fut.release()
            submit_next()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
