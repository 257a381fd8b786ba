"""Two app servers, one database: any request can be served by any server.

Two gunicorn servers run in processes of their own on 127.0.0.1 (different ports), sharing
nothing but the test database and the folder of the imports storage, as two machines behind the
proxy share the database and a mounted folder (or a bucket). The tests talk HTTP to them: an
import previewed on one is confirmed on the other and saved exactly once, also when both are
asked at once; the one-import-per-user rule and the limit on files read at once hold across
processes; failed logins count on both.
"""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client

from agreements.imports import uploads
from agreements.imports.services import BUSY, SERVER_BUSY
from agreements.models import Project
from tests import builders
from tests import import_builders as ib

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2001
IMPORT = f"/omgang/{YEAR}/lan/04/importera/"
CONFIRM = f"/omgang/{YEAR}/lan/04/importera/spara/"
LOGIN = "/konto/logga-in/"
GONE = "Förhandsgranskningen finns inte längre"

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """The test database, for the servers: the same file or the same PostgreSQL database."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the test settings in a process of its own."""

    def __init__(self, name: str, env: dict, log: Path):
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [sys.executable, "-m", "gunicorn", "config.wsgi"]
        command += ["-b", f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "60"]
        with open(log, "w") as output:
            self.process = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/halsa/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def shared(django_db_setup, tmp_path_factory):
    """What the two servers share besides the database: the imports storage's folder."""
    folder = tmp_path_factory.mktemp("imports")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "IMPORT_STORAGE": "filesystem",
        "IMPORT_UPLOAD_DIR": str(folder),
        # One file read at a time across both servers, so that a holder elsewhere fills it.
        "IMPORT_PARSE_CONCURRENCY": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    return {"env": env, "folder": folder}


@pytest.fixture(scope="module")
def servers(shared, tmp_path_factory):
    logs = tmp_path_factory.mktemp("logs")
    started = [Server(name, shared["env"], logs / f"{name}.log") for name in ("a", "b")]
    try:
        for server in started:
            server.wait()
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def imports_folder(shared, settings):
    """This process sees the servers' imports storage too (to count the waiting files)."""
    imports = settings.STORAGES["imports"]
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {**imports, "OPTIONS": {**imports["OPTIONS"], "location": shared["folder"]}},
    }
    return shared["folder"]


@pytest.fixture
def world():
    builders.follow_up_round(year=YEAR)
    return {"04": ib.county_world("04"), "05": ib.county_world("05")}


def browser_of(user) -> requests.Session:
    """A browser signed in as ``user``: its session is a row of the shared database."""
    client = Client()
    client.force_login(user)
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies[settings.SESSION_COOKIE_NAME].value)
    return browser


def csrf(browser: requests.Session, server: Server, path: str) -> str:
    page = browser.get(server.url + path, timeout=30)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def new_project_file(reference_number: str, code: str = "04"):
    book = ib.template(code)
    owner = "556012-5790" if code == "04" else "556036-0793"
    ib.new_project(book, reference_number=reference_number, owner=owner)
    return ib.save(book)


def preview(browser, server: Server, file, path: str = IMPORT) -> requests.Response:
    token = csrf(browser, server, path)
    return browser.post(
        server.url + path,
        data={"csrfmiddlewaretoken": token},
        files={"file": ("mall.xlsx", file.getvalue())},
        headers={"Referer": server.url + path},
        timeout=60,
    )


def waiting_token(response: requests.Response) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.text)
    assert found, response.text[:3000]
    return found.group(1)


def confirm(browser, server: Server, token: str, path: str = CONFIRM) -> requests.Response:
    return browser.post(
        server.url + path,
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "token": token},
        headers={"Referer": server.url + path},
        allow_redirects=False,
        timeout=60,
    )


def test_an_import_previewed_on_one_server_is_saved_by_the_other_exactly_once(
    servers, world, coordinator_04, imports_folder
):
    a, b = servers
    browser = browser_of(coordinator_04)

    previewed = preview(browser, a, new_project_file("04-0100"))

    assert previewed.status_code == 200
    token = waiting_token(previewed)
    assert uploads.waiting() == [f"{token}.xlsx"]  # in the shared folder, not on server a

    saved = confirm(browser, b, token)

    assert saved.status_code == 302 and saved.headers["Location"].endswith("/lan/04/")
    county = browser.get(b.url + saved.headers["Location"], timeout=30).text
    assert "Importen är sparad i Södermanlands län. Projekt: nya 1." in county
    project = Project.objects.get(reference_number="04-0100")
    assert project.history.count() == 1
    assert uploads.waiting() == []

    # The same confirmation again, on the first server: the preview is gone, nothing more.
    again = confirm(browser, a, token)

    assert again.status_code == 302 and again.headers["Location"].endswith("/importera/")
    assert GONE in browser.get(a.url + again.headers["Location"], timeout=30).text
    assert Project.objects.filter(reference_number="04-0100").count() == 1


def test_one_preview_confirmed_on_both_servers_at_once_is_saved_once(
    servers, world, coordinator_04, imports_folder
):
    a, b = servers
    browser = browser_of(coordinator_04)
    token = waiting_token(preview(browser, a, new_project_file("04-0101")))
    answers: dict[str, requests.Response] = {}
    start = threading.Barrier(2)

    def click(server: Server) -> None:
        start.wait(10)
        answers[server.name] = confirm(browser, server, token)

    clicks = [threading.Thread(target=click, args=(server,)) for server in servers]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(90)

    assert set(answers) == {"a", "b"}
    assert all(answer.status_code in (200, 302) for answer in answers.values())
    # One saves (back to the county page); the other finds the preview gone or the user's
    # turn taken, or replans against a register that now holds the project: nothing written.
    where = {name: answer.headers.get("Location", "") for name, answer in answers.items()}
    assert sorted(location.endswith("/lan/04/") for location in where.values()) == [False, True]
    project = Project.objects.get(reference_number="04-0101")
    assert project.history.count() == 1
    assert uploads.waiting() == []


HOLDER = """
import sys

import django

django.setup()
from django.contrib.auth import get_user_model

from agreements.imports import uploads

what = sys.argv[1]
turn = (
    uploads.parse_slot()
    if what == "parse"
    else uploads.one_at_a_time(get_user_model().objects.get(pk=int(what)))
)
with turn:
    print("held", flush=True)
    sys.stdin.readline()
"""


class Holder:
    """A process of its own holding a user's import turn (or the one parse slot) until told."""

    def __init__(self, env: dict, what: str):
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, what],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "held"

    def release(self) -> None:
        self.process.communicate("\n", timeout=30)
        assert self.process.returncode == 0


def problems_in(response: requests.Response) -> str:
    return re.sub(r"\s+", " ", response.text)


def test_a_users_second_import_is_refused_while_another_process_holds_their_turn(
    shared, servers, world, coordinator_04, coordinator_05, imports_folder
):
    a, b = servers
    browser = browser_of(coordinator_04)
    holder = Holder(shared["env"], str(coordinator_04.pk))
    try:
        on_a = preview(browser, a, new_project_file("04-0102"))
        on_b = preview(browser, b, new_project_file("04-0102"))
        # Another user is not held up.
        other = preview(
            browser_of(coordinator_05),
            b,
            new_project_file("05-0100", "05"),
            path=f"/omgang/{YEAR}/lan/05/importera/",
        )
    finally:
        holder.release()

    for refused in (on_a, on_b):
        assert refused.status_code == 200
        assert str(BUSY) in problems_in(refused)
        assert 'name="token"' not in refused.text
    assert waiting_token(other)
    # Once the other process is done, the user may import again, on either server.
    assert waiting_token(preview(browser, a, new_project_file("04-0102")))


def test_the_files_read_at_once_are_counted_across_processes(
    shared, servers, world, coordinator_04, imports_folder
):
    a, b = servers
    browser = browser_of(coordinator_04)
    holder = Holder(shared["env"], "parse")  # IMPORT_PARSE_CONCURRENCY is 1 here
    try:
        refused = [preview(browser, server, new_project_file("04-0103")) for server in servers]
    finally:
        holder.release()

    for response in refused:
        assert str(SERVER_BUSY) in problems_in(response)
    assert waiting_token(preview(browser, b, new_project_file("04-0103")))


def test_failed_logins_on_either_server_count_towards_one_lockout(servers, coordinator_04):
    a, b = servers
    browser = requests.Session()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        server = servers[attempt % 2]
        failed = browser.post(
            server.url + LOGIN,
            data={
                "username": "samordnare04",
                "password": "fel lösenord",
                "csrfmiddlewaretoken": csrf(browser, server, LOGIN),
            },
            headers={"Referer": server.url + LOGIN},
            allow_redirects=False,
            timeout=30,
        )
        # The failure that reaches the limit is answered with the lockout already.
        last = attempt == settings.AXES_FAILURE_LIMIT - 1
        assert failed.status_code == (429 if last else 200)

    for server in servers:
        locked = browser.post(
            server.url + LOGIN,
            data={
                "username": "samordnare04",
                "password": "not-a-real-password",
                "csrfmiddlewaretoken": csrf(browser, server, LOGIN),
            },
            headers={"Referer": server.url + LOGIN},
            allow_redirects=False,
            timeout=30,
        )
        assert locked.status_code == 429
        assert "Kontot är tillfälligt låst" in locked.text
