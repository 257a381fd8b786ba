"""A function run in a child process with limits of its own: CPU, memory and wall-clock time.

Whatever checks come before, parsing untrusted input can still cost more than it should. Run in
the sandbox, it costs at most what the limits allow: the child gets ``cpu_seconds`` of CPU
(then the kernel stops it), ``memory_bytes`` of address space above what it starts with (then
an allocation fails), and the parent waits ``wall_seconds`` at most (then kills it). The child
runs at a lower CPU priority (``DOWNLOAD_NICENESS``), so the pages people read stay fast, and
the worker that asked stays responsive to the kernel's scheduler meanwhile.

The child is forked: it starts with the parent's modules, settings and active language, and
uses no database connection (it leaves the inherited one alone: a forked child ends with
``os._exit`` and closes nothing). Its result comes back pickled through a pipe.
"""

import logging
import multiprocessing
import os
import resource
import signal
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
    child.start()
    send.close()
    outcome = None
    try:
        if receive.poll(wall_seconds):
            try:
                outcome = receive.recv()
            except (EOFError, OSError):
                outcome = None  # the child died before it could answer
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
        last_usage = Usage(cpu_seconds=cpu, peak_bytes=peak)
    if outcome is None:
        raise LimitReached(_which_limit(child.exitcode, cpu, cpu_seconds))
    kind, value, usage = outcome
    last_usage = Usage(cpu_seconds=cpu, peak_bytes=max(usage[0], peak), start_bytes=usage[1])
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


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _address_space_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(send, function, args, cpu_seconds: int, memory_bytes: int) -> None:
    start = _resident_bytes()
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        ceiling = _address_space_bytes() + memory_bytes
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
    try:
        send.send((*outcome, (peak, start)))
    except MemoryError:
        send.send(("memory", None, (peak, start)))
    except Exception as error:  # noqa: BLE001 - an exception that does not pickle
        logger.exception("Sandboxed call failed: %r", error)
        send.send(("failed", repr(error)[:200], (peak, start)))
    finally:
        send.close()
