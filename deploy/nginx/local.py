"""deploy/nginx/followup.conf run on 127.0.0.1 by a process of its own, for tests/test_nginx.py
and bench/load/run.py --servers.

The site file is used as it stands but for what differs on this machine: the address it listens
on, the upstream's server lines (their health-check parameters kept), the log files and the
app's folder. Each replacement must find what it replaces, so a reshaped configuration fails
here instead of being tested in part. The main configuration around it is nginx's minimum, with
every file nginx writes in ``folder`` (no root needed; as root, nginx's workers stay root too,
so they can write there).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

SITE = Path(__file__).with_name("followup.conf")
ROOT = Path(__file__).resolve().parent.parent.parent
APP_FOLDER = "/srv/followup/app"
UPSTREAM_SERVERS = re.compile(
    r"^( *)server 127\.0\.0\.1:\d+ (max_fails=\S+ fail_timeout=\S+);\n"
    r"(?:\1server 127\.0\.0\.1:\d+ \2;\n)+",
    re.M,
)


class Missing(Exception):
    """nginx is not installed; the message says how to install it."""


def binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if found is None:
        raise Missing("nginx is missing: apt-get install nginx (Debian's package)")
    return found


def install_if_root() -> str:
    """nginx, installed with apt when missing and this process is root (as bin/test does)."""
    try:
        return binary()
    except Missing:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, env=env)
    return binary()


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise ValueError(f"{SITE.name}: expected {old!r} once, found it {text.count(old)} times")
    return text.replace(old, new)


def site_config(*, port: int, upstreams: list[str], folder: Path) -> str:
    """The site file for 127.0.0.1:``port`` in front of ``upstreams`` ("127.0.0.1:8021")."""
    text = SITE.read_text()
    servers = UPSTREAM_SERVERS.search(text)
    if servers is None:
        raise ValueError(f"{SITE.name}: expected two or more upstream servers on 127.0.0.1")
    indent, health = servers.groups()
    lines = "".join(f"{indent}server {address} {health};\n" for address in upstreams)
    text = text[: servers.start()] + lines + text[servers.end() :]
    text = _replace_once(text, "    listen 80;\n", f"    listen 127.0.0.1:{port};\n")
    text = _replace_once(text, "/var/log/nginx/followup.access.log", str(folder / "access.log"))
    text = _replace_once(text, "/var/log/nginx/followup.error.log", str(folder / "error.log"))
    return _replace_once(text, f"{APP_FOLDER}/", f"{ROOT}/")


def main_config(folder: Path) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 2;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{temp}
    include {folder / "followup.conf"};
}}
"""


class Nginx:
    """nginx with the site file in front of ``upstreams``, on 127.0.0.1:``port``."""

    def __init__(self, folder: Path, *, port: int, upstreams: list[str]):
        self.folder, self.port = Path(folder), port
        self.url = f"http://127.0.0.1:{port}"
        (self.folder / "tmp").mkdir(parents=True, exist_ok=True)
        (self.folder / "followup.conf").write_text(
            site_config(port=port, upstreams=upstreams, folder=self.folder)
        )
        (self.folder / "nginx.conf").write_text(main_config(self.folder))
        self.command = [binary(), "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
        self.command += ["-e", str(self.folder / "error.log")]
        self.process: subprocess.Popen | None = None

    def test(self) -> subprocess.CompletedProcess:
        """``nginx -t`` on the configuration."""
        return subprocess.run([*self.command, "-t"], capture_output=True, text=True)

    def start(self) -> "Nginx":
        log = open(self.folder / "nginx.out", "w")  # noqa: SIM115 - open while nginx runs
        self.process = subprocess.Popen(
            [*self.command, "-g", "daemon off;"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {(self.folder / 'error.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not listen within 20 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def access_log(self) -> list[dict]:
        """The access log's lines as dicts of their fields (the ``followup`` format): status,
        rid, upstream, ustatus, end, …, and the request's method and path."""
        path = self.folder / "access.log"
        if not path.exists():
            return []
        entries = []
        for line in path.read_text().splitlines():
            entry = dict(re.findall(r'(\w+)="([^"]*)"', line))
            method, _, rest = entry.get("request", "").partition(" ")
            entry["method"], entry["path"] = method, rest.rsplit(" ", 1)[0]
            entries.append(entry)
        return entries
