"""deploy/nginx/followup.conf, run by Debian's nginx in front of small stand-in app servers in
this process whose behaviour each test chooses (answer, drop the connection mid-request, answer
503), on 127.0.0.1: what the proxy passes on, what it refuses itself, which requests it retries
on another server and which never, and that it stops sending to a failed server.

bench/load/run.py --servers 2 --failover runs the same file in front of real gunicorn servers.
"""

import re
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from django.conf import settings

from deploy.nginx import local

OK, DROP, BUSY = "ok", "drop", "503"


def nginx_binary() -> str:
    try:
        return local.binary()
    except local.Missing:
        pytest.fail(
            "The proxy tests need nginx (Debian package nginx): apt-get install nginx — "
            "bin/test installs it when run as root.",
            pytrace=False,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Backend:
    """A stand-in app server: answers each method as told, and remembers what it was sent."""

    def __init__(self, name: str, **behaviour: str):
        self.name, self.behaviour = name, behaviour
        self.seen: list[dict] = []
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                backend.seen.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers),
                     "length": len(body)}
                )  # fmt: skip
                what = backend.behaviour.get(self.command, OK)
                if what == DROP:  # the server dies with the request: no answer at all
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                status = 503 if what == BUSY else 200
                text = f"{backend.name} {self.command}".encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            do_GET = do_POST = do_HEAD = answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self, method: str) -> int:
        return sum(seen["method"] == method for seen in self.seen)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(tmp_path):
    """``proxy(upstreams)``: nginx with the site file in front of these addresses."""
    nginx_binary()
    started: list[local.Nginx] = []

    def start(*upstreams: str) -> local.Nginx:
        folder = tmp_path / f"nginx{len(started)}"
        nginx = local.Nginx(folder, port=free_port(), upstreams=list(upstreams))
        started.append(nginx)
        return nginx.start()

    yield start
    for nginx in started:
        nginx.stop()


@pytest.fixture
def backends():
    made: list[Backend] = []

    def make(name: str, **behaviour: str) -> Backend:
        made.append(Backend(name, **behaviour))
        return made[-1]

    yield make
    for backend in made:
        backend.close()


def test_the_configuration_passes_nginx_t_with_two_or_more_servers(tmp_path):
    nginx_binary()
    nginx = local.Nginx(tmp_path, port=free_port(), upstreams=["127.0.0.1:1", "127.0.0.1:2"])

    checked = nginx.test()

    assert checked.returncode == 0, checked.stderr
    site = (tmp_path / "followup.conf").read_text()
    assert site.count("max_fails=3 fail_timeout=10s;") == 2


def test_the_app_gets_the_scheme_the_host_the_client_and_a_request_id(proxy, backends):
    app = backends("a")
    nginx = proxy(app.address)

    response = requests.get(f"{nginx.url}/omgang/2001/", headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200
    seen = app.seen[0]["headers"]
    # nginx says what it was reached by; a client cannot claim https by sending the header.
    assert seen["X-Forwarded-Proto"] == "http"
    assert seen["Host"] == "127.0.0.1"
    assert seen["X-Forwarded-For"] == "127.0.0.1"
    assert re.fullmatch(r"[0-9a-f]{32}", seen["X-Request-Id"])
    assert response.headers["X-Request-Id"] == seen["X-Request-Id"]


def test_a_body_over_the_import_limit_is_refused_by_the_proxy_in_swedish(proxy, backends):
    app = backends("a")
    nginx = proxy(app.address)
    limit = re.search(r"client_max_body_size (\d+)m;", local.SITE.read_text())
    allowed = int(limit.group(1)) * 1024 * 1024
    # Room for the form around a file of IMPORT_MAX_BYTES, but not for much more.
    assert settings.IMPORT_MAX_BYTES < allowed <= settings.IMPORT_MAX_BYTES + 2 * 1024 * 1024

    largest = requests.post(
        f"{nginx.url}/omgang/2001/lan/04/importera/",
        files={"file": ("mall.xlsx", b"x" * settings.IMPORT_MAX_BYTES)},
        data={"csrfmiddlewaretoken": "t" * 64},
    )
    too_large = requests.post(
        f"{nginx.url}/omgang/2001/lan/04/importera/",
        files={"file": ("mall.xlsx", b"x" * allowed)},
    )

    assert largest.status_code == 200 and app.count("POST") == 1
    assert too_large.status_code == 413
    assert "<h1>Filen är för stor</h1>" in too_large.text
    assert app.count("POST") == 1  # the app never saw it


def test_a_get_that_fails_on_one_server_is_answered_by_the_other(proxy, backends):
    dying, alive = backends("a", GET=DROP), backends("b")
    stopped = f"127.0.0.1:{free_port()}"  # nothing listens: the connection is refused
    died, refused = proxy(dying.address, alive.address), proxy(stopped, alive.address)

    answers = [
        requests.get(f"{nginx.url}/omgang/2001/?n={n}")
        for n in range(4)
        for nginx in (died, refused)
    ]

    assert [a.status_code for a in answers] == [200] * 8
    assert all(a.text == "b GET" for a in answers)
    assert dying.count("GET") >= 1


def test_a_post_is_never_sent_to_a_second_server(proxy, backends):
    """A save whose server died after receiving it may have been committed: sending it again
    could save twice. The user gets the proxy's page instead, and nothing is sent twice."""
    first, second = backends("a", POST=DROP), backends("b", POST=DROP)
    nginx = proxy(first.address, second.address)

    answer = requests.post(f"{nginx.url}/admin/agreements/organisation/1/change/", data={"n": "1"})

    assert answer.status_code == 502
    assert "<h1>Tjänsten svarar inte just nu</h1>" in answer.text
    assert first.count("POST") + second.count("POST") == 1
    # A GET in the same plight is tried on both (proxy_next_upstream_tries 2), then given up.
    first.behaviour["GET"] = second.behaviour["GET"] = DROP
    assert requests.get(f"{nginx.url}/omgang/2001/").status_code == 502
    assert first.count("GET") + second.count("GET") == 2


def test_a_post_reaches_the_other_server_when_the_first_refused_the_connection(proxy, backends):
    """Refused before anything was sent: passing it on cannot save twice."""
    alive = backends("b")
    nginx = proxy(f"127.0.0.1:{free_port()}", alive.address)

    answers = [requests.post(f"{nginx.url}/x/", data={"n": str(n)}) for n in range(4)]

    assert [a.status_code for a in answers] == [200] * 4
    assert alive.count("POST") == 4


def test_the_apps_own_errors_are_passed_on_and_never_retried(proxy, backends):
    busy, other = backends("a", GET=BUSY, POST=BUSY), backends("b", GET=BUSY, POST=BUSY)
    nginx = proxy(busy.address, other.address)

    answers = [requests.get(f"{nginx.url}/halsa/") for _ in range(6)]

    assert [a.status_code for a in answers] == [503] * 6
    assert {a.text for a in answers} == {"a GET", "b GET"}  # the app's own page, not nginx's
    assert busy.count("GET") + other.count("GET") == 6  # each asked once
    # …and answering 503 does not count as failing: neither server is taken out of turn.
    assert busy.count("GET") == other.count("GET") == 3


def test_a_failed_server_is_left_out_for_a_while(proxy, backends):
    """Passive health checks: after max_fails failures within fail_timeout a server gets no
    requests (the others answer them) until fail_timeout has passed."""
    dying, alive = backends("a", GET=DROP), backends("b")
    nginx = proxy(dying.address, alive.address)

    answers = [requests.get(f"{nginx.url}/omgang/2001/?n={n}") for n in range(30)]

    assert all(a.status_code == 200 for a in answers)
    max_fails = int(re.search(r"max_fails=(\d+)", local.SITE.read_text()).group(1))
    assert dying.count("GET") == max_fails
    assert alive.count("GET") == 30


def test_the_drill_and_the_tests_run_the_repositorys_file(tmp_path):
    """Only the addresses, the logs and the app's folder differ from the file in the repo."""
    nginx_binary()
    local.Nginx(tmp_path, port=8080, upstreams=["127.0.0.1:8001", "127.0.0.1:8002"])
    ran = (tmp_path / "followup.conf").read_text().splitlines()
    shipped = local.SITE.read_text().splitlines()
    differing = [(s, r) for s, r in zip(shipped, ran, strict=True) if s != r]
    assert [s.strip() for s, _ in differing] == [
        "listen 80;",
        "access_log /var/log/nginx/followup.access.log followup;",
        "error_log /var/log/nginx/followup.error.log;",
        "alias /srv/followup/app/deploy/nginx/errors/;",
    ]
    assert Path(shutil.which("nginx") or "/usr/sbin/nginx").exists()
