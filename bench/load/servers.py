"""The app servers of bench/load/run.py: gunicorn processes, nginx in front of two or more of
them (--servers), and the failover drill (--failover): one server stopped at a random moment of
the run and started again, then every failed request accounted for from nginx's access log.

Only 127.0.0.1 is ever contacted.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent
# A request counts as in flight when the server stopped if it began before and ended after,
# give or take this much (nginx logs times to the millisecond).
CLOCK_SLACK = 0.05


def say(text: str = "") -> None:
    print(text, flush=True)


def start_gunicorn(
    env: dict, port: int, workers: int, log: Path, *, preload: bool = False
) -> subprocess.Popen:
    """gunicorn in a process group of its own (its master and workers stop together). With
    ``preload`` it loads the app before it opens its port: a server starting again refuses
    connections (nginx passes them on) instead of holding them until its workers are ready.

    A process group, not a session: Linux's scheduler gives each session (autogroup) an equal
    share of the processors whatever the nice values inside it, so two servers in sessions of
    their own would let one server's download, run at the download priority
    (``core.priority``), take half a processor from the other server's pages. On two machines
    they would not meet at all; in one session the kernel weighs them by their nice values."""
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        *(["--preload"] if preload else []),
    ]
    handle = open(log, "a")  # noqa: SIM115 - the server writes to it until stopped
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, process_group=0
    )


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_healthy(base: str, seconds: float) -> float | None:
    """Seconds until /halsa/ answers 200, or None if it did not within ``seconds``."""
    import requests

    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if requests.get(f"{base}/halsa/", timeout=2).status_code == 200:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.25)
    return None


def logged_in(base: str, username: str, password: str):
    import requests

    session = requests.Session()
    session.get(f"{base}/konto/logga-in/", timeout=30)
    response = session.post(
        f"{base}/konto/logga-in/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise SystemExit(f"Kunde inte logga in som {username}: {response.status_code}")
    return session


class AppServer:
    """One gunicorn server: a machine of its own, as far as the proxy can tell."""

    def __init__(self, name: str, port: int, env: dict, workers: int, log: Path):
        self.name, self.port, self.env, self.workers, self.log = name, port, env, workers, log
        self.address = f"127.0.0.1:{port}"
        self.url = f"http://{self.address}"
        self.process: subprocess.Popen | None = None
        log.unlink(missing_ok=True)

    def start(self) -> None:
        self.process = start_gunicorn(self.env, self.port, self.workers, self.log, preload=True)

    def kill(self) -> None:
        """As a machine that fails: master and workers at once, requests cut where they are."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """As a machine taken out for patching: gunicorn finishes what it has, takes no more."""
        if self.process is not None:
            stop_gunicorn(self.process)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Failover(threading.Thread):
    """Stops ``server`` after ``delay`` seconds (killed, or stopped gracefully), keeps it down
    ``down`` seconds, starts it again and waits until it answers."""

    def __init__(self, server: AppServer, *, delay: float, down: float, how: str):
        super().__init__(daemon=True)
        self.server, self.delay, self.down, self.how = server, delay, down, how
        self.stopped_at = self.restarted_at = self.back_at = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            time.sleep(self.delay)
            self.stopped_at = time.time()
            if self.how == "kill":
                self.server.kill()
            else:
                self.server.stop()
            say(f"[failover] {self.server.name} stoppad ({self.how}) {time.strftime('%H:%M:%S')}")
            time.sleep(self.down)
            self.restarted_at = time.time()
            self.server.start()
            if wait_healthy(self.server.url, 60) is not None:
                self.back_at = time.time()
                say(f"[failover] {self.server.name} svarar igen {time.strftime('%H:%M:%S')}")
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            self.error = error


def _interval(entry: dict) -> tuple[float, float]:
    end = float(entry["end"])
    return end - float(entry["rt"]), end


def _tried(entry: dict) -> list[str]:
    return [address.strip() for address in entry.get("upstream", "").split(",") if address.strip()]


def failover_report(entries: list[dict], failures: list[dict], failover: Failover) -> dict:
    """What the stop did, from nginx's access log and the users' failed requests.

    In flight: requests nginx had passed to the stopped server when it stopped. Each either
    went on to the other server (a GET or HEAD that got no answer yet), was answered by the
    stopping server (one that ended as it stopped, or any under a graceful stop) or failed (a
    POST, or a download whose answer had begun). Every failure the users saw must be one of them.
    """
    address, stopped = failover.server.address, failover.stopped_at
    in_flight = []
    for entry in entries:
        start, end = _interval(entry)
        if address in _tried(entry) and start - CLOCK_SLACK <= stopped <= end + CLOCK_SLACK:
            in_flight.append(entry)
    by_rid = {entry["rid"]: entry for entry in entries}
    flight_rids = {entry["rid"] for entry in in_flight}
    explained, unexplained = [], []
    for failure in failures:
        entry = by_rid.get(failure.get("rid") or "")
        if entry is None:  # no answer's headers reached the user (a body cut off mid-way)
            entry = next(
                (
                    e
                    for e in in_flight
                    if failure.get("path") == e["path"] and abs(float(e["end"]) - failure["t"]) < 2
                ),
                None,
            )
        (explained if entry is not None and entry["rid"] in flight_rids else unexplained).append(
            {**failure, "nginx": entry}
        )
    down_until = failover.back_at or failover.restarted_at or stopped
    refused = [
        e
        for e in entries
        if address in _tried(e)[:-1] and stopped < _interval(e)[0] <= down_until + 15
    ]
    served_after = [
        e
        for e in entries
        if _tried(e)[-1:] == [address] and _interval(e)[0] > (failover.back_at or 1e18)
    ]
    failed_rids = {failure["nginx"]["rid"] for failure in explained}
    return {
        "in_flight": in_flight,
        "in_flight_failed": [
            e for e in in_flight if int(e["status"]) >= 500 or e["rid"] in failed_rids
        ],
        "in_flight_passed_on": [
            e for e in in_flight if len(_tried(e)) > 1 and int(e["status"]) < 500
        ],
        # Answered by the stopped server itself: it finished them as it stopped (within the
        # clock's slack of the moment), or gracefully (--stop term).
        "in_flight_answered": [
            e
            for e in in_flight
            if _tried(e) == [address] and int(e["status"]) < 500 and e["rid"] not in failed_rids
        ],
        "explained": explained,
        "unexplained": unexplained,
        "passed_on_while_down": refused,
        "served_after_restart": len(served_after),
        "requests": len(entries),
    }
