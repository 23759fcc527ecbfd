"""Worker processes with a watchdog: per-file time and memory limits.

concurrent.futures cannot kill one hung task, so each worker here is a plain process fed
through its own pipe. The parent hands a file to an idle worker, waits on all pipes at once,
and kills (then replaces) any worker that runs past the per-file time limit or dies, e.g.
when the address-space cap set in the worker makes a hostile file blow up. The file is then
recorded as failed with the reason, and the batch goes on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any


def available_cpus() -> int:
    """Cores this process may run on (its affinity mask, where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# The cores one document may use in this process: a pool worker's share of the machine (all of it
# when there are fewer files than cores), 1 anywhere else. See spread() for what uses them.
_CORES = 1


def cores() -> int:
    """How many cores the document being read here may use (1 outside a pool worker)."""
    return _CORES


def _worker_main(conn: Connection, fn: Callable[[Any], Any], memory_mb: int | None, threads: int = 1) -> None:
    global _CORES
    _CORES = threads
    if memory_mb:
        try:
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
    # Tesseract's and torch's OpenMP threads share the cores with the other workers: each worker
    # gets its share (all of them when it is alone, so one worker still runs the model on every core).
    os.environ.setdefault("OMP_THREAD_LIMIT", str(threads))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            conn.send(("ok", fn(task)))
        except MemoryError:
            conn.send(("error", "ran out of memory (per-file memory limit)"))
        except BaseException as ex:  # report, never die silently
            conn.send(("error", f"{type(ex).__name__}: {ex}"))


@dataclass
class _Slot:
    proc: mp.process.BaseProcess
    conn: Connection
    task: Any = None
    started: float = 0.0


def run_pool(fn: Callable[[Any], Any], tasks: Iterable[Any], *, workers: int, timeout_s: float,
             memory_mb: int | None = None) -> Iterator[tuple[Any, str, Any]]:
    """Yield (task, "ok" | "error" | "timeout" | "crashed", result or message) as tasks finish.

    Tasks are pulled lazily from ``tasks`` so a corpus is never held in memory.
    """
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")

    def spawn() -> _Slot:
        parent, child = ctx.Pipe()
        p = ctx.Process(target=_worker_main, args=(child, fn, memory_mb, max(1, available_cpus() // workers)), daemon=True)
        p.start()
        child.close()
        return _Slot(p, parent)

    slots = [spawn() for _ in range(max(1, workers))]
    it = iter(tasks)
    exhausted = False
    try:
        while True:
            for i, s in enumerate(slots):
                if s.task is None and not exhausted:
                    try:
                        s.task = next(it)
                    except StopIteration:
                        exhausted = True
                        break
                    s.started = time.monotonic()
                    try:
                        s.conn.send(s.task)
                    except (BrokenPipeError, OSError):
                        task = s.task
                        s.proc.kill()
                        slots[i] = spawn()
                        yield task, "crashed", "worker process died before the file was sent"
            busy = [s for s in slots if s.task is not None]
            if not busy:
                return
            now = time.monotonic()
            wait_for = max(0.05, min(s.started + timeout_s - now for s in busy))
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=wait_for)
            now = time.monotonic()
            for i, s in enumerate(slots):
                if s.task is None:
                    continue
                if s.conn in ready:
                    try:
                        status, value = s.conn.recv()
                    except (EOFError, OSError):
                        status, value = "crashed", _death(s.proc)
                        s.proc.kill()
                        slots[i] = spawn()
                    task, s.task = s.task, None
                    yield task, status, value
                elif s.proc.sentinel in ready or not s.proc.is_alive():
                    task = s.task
                    msg = _death(s.proc)
                    slots[i] = spawn()
                    yield task, "crashed", msg
                elif now - s.started > timeout_s:
                    task = s.task
                    s.proc.kill()
                    s.proc.join(5)
                    slots[i] = spawn()
                    yield task, "timeout", f"took longer than the per-file limit of {timeout_s:.0f}s; killed"
    finally:
        for s in slots:
            try:
                s.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for s in slots:
            s.proc.join(2)
            if s.proc.is_alive():
                s.proc.kill()


def spread(fn: Callable[[Any], Any], parts: list[Any]) -> list[Any]:
    """``[fn(part) for part in parts]``, the first part here and each other one in a forked child.

    Why: a worker alone on the machine (one long tender, or the last file of a batch) would
    otherwise leave the other cores idle while it reads 200 pages one by one. Children are
    plain ``os.fork`` (a pool worker is a daemon, which multiprocessing forbids to have
    children), die with their parent (a worker killed for its time limit takes them along), and
    leave through ``os._exit`` so nothing inherited (open PDFs, the database) is closed twice.
    ``fn`` must not touch resources opened before the fork: each part opens its own. A child
    that raises re-raises here (the exception itself where it pickles); one that dies raises
    ``RuntimeError``. Results come back pickled, so they must be picklable.
    """
    if len(parts) <= 1 or not hasattr(os, "fork"):
        return [fn(p) for p in parts]
    import pickle

    kids: list[tuple[int, int]] = []
    try:
        for part in parts[1:]:
            r, w = os.pipe()
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:  # the child
                os.close(r)
                code = 0
                try:
                    _die_with(parent)
                    try:
                        payload = pickle.dumps(("ok", fn(part)), protocol=pickle.HIGHEST_PROTOCOL)
                    except BaseException as ex:  # report, never die silently
                        try:
                            payload = pickle.dumps(("error", ex), protocol=pickle.HIGHEST_PROTOCOL)
                        except Exception:
                            payload = pickle.dumps(("error", RuntimeError(f"{type(ex).__name__}: {ex}")))
                    with os.fdopen(w, "wb") as out:
                        out.write(payload)
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            os.close(w)
            kids.append((pid, r))
        results = [fn(parts[0])]
        while kids:
            pid, r = kids.pop(0)
            try:
                with os.fdopen(r, "rb") as inp:
                    data = inp.read()  # read before waiting: a full pipe would block the child
            finally:
                _pid, status = os.waitpid(pid, 0)
            if not data:
                raise RuntimeError(f"a child process reading part of the file died ({_status_text(status)})")
            kind, value = pickle.loads(data)
            if kind == "error":
                raise value
            results.append(value)
        return results
    finally:
        for pid, r in kids:  # only after an error: stop and reap the children still running
            for call, arg in ((os.close, (r,)), (os.kill, (pid, 9)), (os.waitpid, (pid, 0))):
                try:
                    call(*arg)
                except OSError:
                    pass


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (no-op elsewhere)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)


def _status_text(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {_signal_name(os.WTERMSIG(status))}"
    return f"exit code {os.WEXITSTATUS(status)}"


def _signal_name(number: int) -> str:
    """SIGKILL for 9; the bare number for a signal Python has no name for."""
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _death(proc: mp.process.BaseProcess) -> str:
    proc.join(1)
    code = proc.exitcode
    if code is not None and code < 0:
        return f"worker was killed by {_signal_name(-code)} (memory limit or crash)"
    return f"worker exited unexpectedly (code {code})"
