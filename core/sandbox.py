"""A function run in a child process with limits of its own: CPU, memory and wall-clock time.

Whatever checks come before, parsing untrusted input can still cost more than it should. Run in
the sandbox, it costs at most what the limits allow: the child gets ``cpu_seconds`` of CPU
(then the kernel stops it) and ``memory_bytes`` of memory of its own — the pages it has written
since it was forked (Linux's ``Private_Dirty``), which the parent watches every few hundredths
of a second and stops the child past the limit; a limit on its address space at twice that
catches a sudden allocation at once — and the parent waits ``wall_seconds`` at most. The child
runs at a lower CPU priority (``DOWNLOAD_NICENESS``), so the pages people read stay fast, and
the worker that asked stays responsive to the kernel's scheduler meanwhile.

The child is forked: it starts with the parent's modules, settings and active language, and
uses no database connection (it leaves the inherited one alone: a forked child ends with
``os._exit`` and closes nothing). Its result comes back pickled through a pipe.
"""

import gc
import logging
import multiprocessing
import os
import resource
import signal
import time
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)


class LimitReached(Exception):
    """The child was stopped: ``limit`` is "cpu", "memory" or "time"."""

    def __init__(self, limit: str):
        super().__init__(limit)
        self.limit = limit


class ChildFailed(Exception):
    """The function raised something that could not be sent back; logged in the child."""


@dataclass
class Usage:
    """What the last run cost (read by the benchmark)."""

    cpu_seconds: float = 0.0
    peak_bytes: int = 0  # the child's largest resident size, its inherited pages included
    start_bytes: int = 0  # its resident size when it began
    own_bytes: int = 0  # the most memory of its own seen (pages written since the fork)


last_usage = Usage()


def run(function, *args, cpu_seconds: int, memory_bytes: int, wall_seconds: float):
    """``function(*args)`` in a child process; its return value, or what it raised.

    Raises LimitReached when a limit stopped the child. ``function``, its arguments, its
    result and its exceptions must be picklable.
    """
    global last_usage
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(send, function, args, cpu_seconds, memory_bytes), daemon=True
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The parent's objects out of the collector's sight while the child starts: a collection
    # in the child would otherwise write to every one of their pages, making them its own.
    gc.freeze()
    try:
        child.start()
    finally:
        gc.unfreeze()
    send.close()
    outcome = None
    own_peak = 0
    over_memory = False
    try:
        deadline = time.monotonic() + wall_seconds
        while True:
            # Asked before each look: a child that answered and ended since is still read.
            alive = child.is_alive()
            if receive.poll(WATCH_SECONDS):
                try:
                    outcome = receive.recv()
                except (EOFError, OSError):
                    outcome = None  # the child died before it could answer
                break
            if not alive or time.monotonic() > deadline:
                break
            own = _own_bytes(child.pid)
            own_peak = max(own_peak, own)
            if own > memory_bytes:
                over_memory = True
                break
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        # The largest child's peak so far: this one's when it set a new record (a child that
        # was stopped cannot report its own).
        peak = after.ru_maxrss * 1024 if after.ru_maxrss > before.ru_maxrss else 0
        last_usage = Usage(cpu_seconds=cpu, peak_bytes=peak, own_bytes=own_peak)
    if over_memory:
        raise LimitReached("memory")
    if outcome is None:
        raise LimitReached(_which_limit(child.exitcode, cpu, cpu_seconds))
    kind, value, usage = outcome
    last_usage = Usage(
        cpu_seconds=cpu,
        peak_bytes=max(usage[0], peak),
        start_bytes=usage[1],
        own_bytes=max(own_peak, usage[2]),
    )
    if kind == "value":
        return value
    if kind == "raised":
        raise value
    if kind == "memory":
        raise LimitReached("memory")
    raise ChildFailed(value)


def _which_limit(exitcode: int | None, cpu: float, cpu_seconds: int) -> str:
    if exitcode == -signal.SIGXCPU or cpu >= cpu_seconds:
        return "cpu"
    if exitcode == -signal.SIGKILL:
        return "time"
    return "memory"  # a crash inside an allocation, most likely


WATCH_SECONDS = 0.02


def _own_bytes(pid: int | None) -> int:
    """The memory a forked child has written since the fork (private dirty pages), or 0."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Private_Dirty:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _statm_bytes(field: int) -> int:
    """This process's size from /proc/self/statm: field 0 its address space, 1 resident."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[field]) * os.sysconf("SC_PAGE_SIZE")


def _child(send, function, args, cpu_seconds: int, memory_bytes: int) -> None:
    start = _statm_bytes(1)
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        ceiling = _statm_bytes(0) + 2 * memory_bytes  # the parent watches the rest
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        os.nice(settings.DOWNLOAD_NICENESS)
    except (OSError, ValueError) as error:  # pragma: no cover - a system without limits
        logger.warning("Sandbox limits could not be set: %s", error)
    try:
        outcome = ("value", function(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:  # noqa: BLE001 - sent back to be raised in the parent
        outcome = ("raised", error)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    own = _own_bytes(os.getpid())
    try:
        send.send((*outcome, (peak, start, own)))
    except MemoryError:
        send.send(("memory", None, (peak, start, own)))
    except Exception as error:  # noqa: BLE001 - an exception that does not pickle
        logger.exception("Sandboxed call failed: %r", error)
        send.send(("failed", repr(error)[:200], (peak, start, own)))
    finally:
        send.close()
