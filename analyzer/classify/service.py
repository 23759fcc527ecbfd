"""One embedding model per machine: a process that embeds for every document worker of a run.

Each worker loading its own copy of e5 cost a run ~0.8 GB and ~5-10 s of loading per worker, and
embedded a template clause once in each worker that met it. Here the parent of the worker pool starts
one service process (`running`); workers find its socket through ``ANALYZER_EMBED_SERVICE`` (inherited
at fork) and send it the texts their own database cache lacks (`RemoteEmbedder`, which
`ModelClassifier.embedder` picks). The service loads the model when the first text arrives, so a run
whose clauses never reach the model (rules-only documents, a re-run served from the cache) never
loads it, and it remembers every vector of the run, so identical clauses across workers and
documents are embedded once. Workers still hand their new vectors to the writer with their
document, as before (SQLite keeps one writer).

Only forked local workers use it: a Dask worker on another host cannot reach a Unix socket, and
loads its own model as before. If the service dies, a worker falls back to loading its own model.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.classify.embed import embedding_key, model_id

if TYPE_CHECKING:
    import numpy as np

    from analyzer.classify.embed import EmbeddingCache

ENV = "ANALYZER_EMBED_SERVICE"  # the service's socket path, set for the workers of one run; "off": none
RUN_MEMORY = 200_000  # vectors the service keeps for the run (~0.3 GB at 384 floats; oldest dropped first)


class _RunMemory:
    """Vectors of this run by cache key, oldest dropped past ``limit`` (an EmbeddingCache)."""

    def __init__(self, limit: int = RUN_MEMORY) -> None:
        self.data: OrderedDict[str, Any] = OrderedDict()
        self.limit = limit
        self.hits = self.misses = 0

    def get_many(self, keys: list[str]) -> dict:
        found = {k: self.data[k] for k in keys if k in self.data}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, items: dict) -> None:
        for k, v in items.items():
            self.data[k] = v.copy()
        while len(self.data) > self.limit:
            self.data.popitem(last=False)


def _serve(address: str, authkey: bytes, ready: Any) -> None:
    """The service process: accept workers' connections; embed what they send, one request at a time."""
    from multiprocessing.connection import Listener

    from analyzer.workers import available_cpus

    os.environ.pop("OMP_THREAD_LIMIT", None)  # the model may use every core; workers mostly wait on it
    _malloc(arenas=2)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    lock = threading.Lock()
    embedders: dict[tuple, Any] = {}
    memory = _RunMemory()
    stats = {"requests": 0, "texts": 0, "embedded": 0, "load_s": 0.0}

    def embedder(path: str, quantize: bool, max_length: int) -> Any:
        key = (path, quantize, max_length)
        if key not in embedders:
            import time

            from analyzer.classify.embed import Embedder

            t0 = time.perf_counter()
            embedders[key] = Embedder(path, quantize=quantize, max_length=max_length, threads=available_cpus())
            _malloc(trim=True)
            stats["load_s"] += time.perf_counter() - t0
        return embedders[key]

    def handle(conn: Any) -> None:
        import numpy as np

        with conn:
            while True:
                try:
                    msg = conn.recv()
                except (EOFError, OSError):
                    return
                if msg == "stats":
                    conn.send(dict(stats, memory_hits=memory.hits, memory_misses=memory.misses))
                    continue
                path, quantize, max_length, texts = msg
                try:
                    with lock:
                        e = embedder(path, quantize, max_length)
                        before = memory.misses
                        # Memory goes back after every batch of 32, not only after the request: a
                        # batch across documents (classify/batch.py) is one request of hundreds of
                        # clauses, which otherwise held its activations and embedding rows throughout.
                        vectors = e.embed(texts, cache=memory, after_batch=functools.partial(_release, e))
                        stats["requests"] += 1
                        stats["texts"] += len(texts)
                        stats["embedded"] += memory.misses - before
                        _release(e)
                    reply: Any = ("ok", np.ascontiguousarray(vectors, np.float32).tobytes(), vectors.shape[1])
                except Exception as ex:  # the worker falls back to its own model and says why
                    reply = ("error", f"{type(ex).__name__}: {ex}")
                try:
                    conn.send(reply)
                except (BrokenPipeError, OSError):
                    return

    with Listener(address, family="AF_UNIX", authkey=authkey) as listener:
        ready.send(True)
        ready.close()
        while True:
            try:
                conn = listener.accept()
            except (OSError, EOFError):
                continue  # a worker that failed the handshake
            threading.Thread(target=handle, args=(conn,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End the service when the run's process is gone (killed before it could stop the service)."""
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


@functools.lru_cache(maxsize=1)
def _libc() -> Any:
    """glibc, loaded once (the memory hand-back calls it after every batch); OSError elsewhere."""
    import ctypes

    return ctypes.CDLL("libc.so.6")


def _malloc(arenas: int | None = None, trim: bool = False) -> None:
    """glibc only: fewer malloc arenas, and freed memory handed back to the OS.

    The fp32 checkpoint freed after int8 quantization, and the activations of each request, otherwise
    stay in the process: embedding 325 long clauses grew it from 0.78 to 1.18 GB RSS here, 0.94 GB with
    two arenas and a trim after each request.
    """
    try:
        libc = _libc()
        if arenas:
            libc.mallopt(-8, arenas)  # M_ARENA_MAX
        if trim:
            libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _release(embedder: Any) -> None:
    """Freed heap and the embedding rows just read, back to the OS (a few ms; see both helpers)."""
    _malloc(trim=True)
    _page_out(embedder)


def _page_out(embedder: Any) -> None:
    """Hand the word-embedding rows a request read back to the page cache (Linux MADV_PAGEOUT).

    transformers maps model.safetensors rather than copying it, and the rows of e5's 250,037-piece
    embedding matrix that a request reads stay resident in this process (~80 MB after the 24 tenders'
    candidate clauses) while the workers read and OCR beside it. Paged out, they are read again from
    the page cache by the next request that needs them: the same bytes, so the vectors are
    bit-identical (tests/test_embed_service.py). MADV_PAGEOUT never discards data (anonymous memory
    would be swapped, not dropped), so it is safe whatever the mapping; older kernels refuse it.
    """
    import ctypes

    try:
        weight = embedder.model.get_input_embeddings().weight
        if weight.device.type != "cpu":
            return
        page = 4096
        start = (weight.data_ptr() + page - 1) // page * page
        end = (weight.data_ptr() + weight.numel() * weight.element_size()) // page * page
        if end > start:
            _libc().madvise(ctypes.c_void_p(start), ctypes.c_size_t(end - start), 21)
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def running(enabled: bool = True) -> Iterator[str | None]:
    """Start the service for the worker processes forked inside this block; yields its socket path.

    Fork only (Linux, macOS with fork): the service and the workers share the parent's authkey.
    Yields None (and starts nothing) when disabled or when fork is unavailable.
    """
    import multiprocessing as mp

    if not enabled or not hasattr(os, "fork") or os.environ.get(ENV):  # "off": each worker loads its own
        yield None
        return
    ctx = mp.get_context("fork")
    folder = tempfile.mkdtemp(prefix="analyzer-embed-")  # 0700: only this user can connect
    address = str(Path(folder) / "embed.sock")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_serve, args=(address, bytes(mp.current_process().authkey), child), daemon=True,
                       name="analyzer-embed")
    proc.start()
    child.close()
    try:
        if not parent.poll(30) or not parent.recv():
            raise RuntimeError("the embedding service did not start")
    except (EOFError, RuntimeError):
        proc.kill()
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    os.environ[ENV] = address
    try:
        yield address
    finally:
        if out := os.environ.get("ANALYZER_SERVICE_STATS"):  # for bench/: what the run embedded, load time
            Path(out).write_text(json.dumps(stats(address)), encoding="utf-8")
        os.environ.pop(ENV, None)
        proc.kill()
        proc.join(5)
        shutil.rmtree(folder, ignore_errors=True)


def stats(address: str | None = None) -> dict | None:
    """The service's counters (requests, texts, embedded, load_s), or None when none runs."""
    address = address or os.environ.get(ENV)
    if not address:
        return None
    import multiprocessing as mp
    from multiprocessing.connection import Client

    try:
        with Client(address, family="AF_UNIX", authkey=bytes(mp.current_process().authkey)) as c:
            c.send("stats")
            return c.recv()
    except (OSError, EOFError):
        return None


class RemoteEmbedder:
    """An Embedder's `embed` over the service: this worker's cache first, then the service for the rest.

    Carries what cache keys need (model build, max_length, precision) without loading the model. When
    the service cannot be reached, it loads a local Embedder once and goes on with that.
    """

    def __init__(self, address: str, path: Path, *, quantize: bool, max_length: int) -> None:
        self.address, self.path, self.quantize, self.max_length = address, Path(path), quantize, max_length
        self.precision = "int8" if quantize else "fp32"  # what the service's CPU Embedder reports
        self.model_id = model_id(self.path)
        self._conn: Any = None
        self._local: Any = None

    def cache_key(self, text: str) -> str:
        """The same key the service's Embedder computes for this text."""
        return embedding_key(self.model_id, self.max_length, self.precision, text)

    def embed(self, texts: list[str], cache: EmbeddingCache | None = None) -> np.ndarray:
        """(n, dim) unit vectors, row i for texts[i]; new ones go into ``cache`` as Embedder.embed does."""
        import numpy as np

        if self._local is not None:
            return self._local.embed(texts, cache=cache)
        unique = list(dict.fromkeys(texts))
        keys = {t: self.cache_key(t) for t in unique}
        hits = cache.get_many(list(keys.values())) if cache is not None else {}
        todo = [t for t in unique if keys[t] not in hits]
        found = dict(hits)
        if todo:
            try:
                vectors = self._ask(todo)
            except (OSError, EOFError, RuntimeError):
                from analyzer.classify.embed import Embedder

                self._local = Embedder(self.path, quantize=self.quantize, max_length=self.max_length)
                return self._local.embed(texts, cache=cache)
            new = {keys[t]: v for t, v in zip(todo, vectors, strict=True)}
            if cache is not None:
                cache.put_many(new)
            found.update(new)
        return np.stack([found[keys[t]] for t in texts]).astype(np.float32, copy=False)

    def _ask(self, texts: list[str]) -> np.ndarray:
        import multiprocessing as mp
        from multiprocessing.connection import Client

        import numpy as np

        if self._conn is None:
            self._conn = Client(self.address, family="AF_UNIX", authkey=bytes(mp.current_process().authkey))
        self._conn.send((str(self.path), self.quantize, self.max_length, texts))
        reply = self._conn.recv()
        if reply[0] != "ok":
            raise RuntimeError(reply[1])
        return np.frombuffer(reply[1], np.float32).reshape(len(texts), reply[2])
