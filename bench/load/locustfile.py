"""Locust users for bench/load/run.py: reviewers, county coordinators and one administrator.

Not meant to be run on its own: run.py writes the targets file (round year, counties, the
organisations each coordinator may edit) and passes its path in LOAD_TARGETS, and reads back
what the users did from LOAD_RESULTS (one JSON line per edit and per failed request).

Requests are named by page kind ("board", "county page", "projects list" …) so that the
statistics are per page, not per URL.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

TARGETS = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text(encoding="utf-8"))
# Line-buffered and appended to: one JSON line per edit and per failed request.
RESULTS = open(os.environ["LOAD_RESULTS"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115
YEAR = TARGETS["year"]
COUNTIES = TARGETS["counties"]  # [{"code": "01", "id": 1}, …]
ORGS = {code: ids for code, ids in TARGETS["orgs"].items() if ids}  # county code -> [org id]
ALL_ORGS = [(code, org_id) for code, ids in ORGS.items() for org_id in ids]
THEMES = TARGETS["themes"]
PASSWORDS = TARGETS["passwords"]
MARKER = re.compile(r" · last-[0-9a-f]{8}$")
STALE_TEXT = "sedan du öppnade den"  # StaleObjectError's message
_coordinator_counties = itertools.cycle([c["code"] for c in COUNTIES if c["code"] in ORGS])


def record(kind: str, **fields) -> None:
    RESULTS.write(json.dumps({"kind": kind, "t": time.time(), **fields}) + "\n")


@events.request.add_listener
def _note_failure(request_type, name, response, exception, **kwargs):
    """Every failed request, with the time and whether the user saw our error page."""
    if exception is None:
        return
    status = getattr(response, "status_code", None)
    try:
        text = response.text if response is not None and status else ""
    except Exception:  # noqa: BLE001 - a broken body is still a failure to record
        text = ""
    url = urlsplit(kwargs.get("url") or "")
    headers = getattr(response, "headers", None) or {}
    record(
        "failure",
        name=name,
        status=status,
        error_page="Tekniskt fel" in text,
        exception=str(exception)[:200],
        # To find it in nginx's access log (run.py --servers): its id, else its path and time.
        rid=headers.get("X-Request-Id"),
        path=url.path + (f"?{url.query}" if url.query else ""),
        started=kwargs.get("start_time"),
    )


class AdminForm(HTMLParser):
    """The fields of the admin change form as a browser would post them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[name] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


class SiteUser(HttpUser):
    abstract = True
    # Think time between pages (seconds), "low,high"; run.py passes --think.
    wait_time = between(*(float(x) for x in os.environ.get("LOAD_THINK", "1,4").split(",")))
    username = ""

    def on_start(self):
        self.login(self.username, PASSWORDS[self.username])

    def login(self, username, password):
        self.client.get("/konto/logga-in/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/konto/logga-in/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {username}: {response.status_code}")

    def county(self):
        return random.choice(COUNTIES)["code"]

    def edit_organisation(self, code: str, org_id: int, who: str):
        """Open an organisation's admin page, change its name to a unique marker, save."""
        url = f"/admin/agreements/organisation/{org_id}/change/"
        response = self.client.get(url, name="admin: organisation form")
        if response.status_code != 200:
            return
        form = AdminForm()
        form.feed(response.text)
        fields = form.fields
        if "version" not in fields or "name" not in fields:
            record("edit", outcome="unparsed", org=org_id, who=who)
            return
        marker = f" · last-{uuid.uuid4().hex[:8]}"
        fields["name"] = MARKER.sub("", fields["name"])[: 200 - len(marker)] + marker
        fields["_save"] = "Spara"
        with self.client.post(
            url,
            data=fields,
            headers={"Referer": self.host + url},
            name="admin: save organisation",
            allow_redirects=False,
            catch_response=True,
        ) as saved:
            location = saved.headers.get("Location", "")
            path = urlsplit(location).path
            if saved.status_code == 302 and path == "/admin/agreements/organisation/":
                outcome = "made"  # Django goes back to the list after a save
            elif saved.status_code == 302 and path == url:
                outcome = "refused"  # stale version: another user saved first
            elif saved.status_code == 200 and STALE_TEXT in saved.text:
                outcome = "refused"
            else:
                outcome = "failed"
                saved.failure(f"save: {saved.status_code} {location}")
            record(
                "edit",
                outcome=outcome,
                org=org_id,
                county=code,
                marker=marker.strip(" ·"),
                version=fields.get("version"),
                status=saved.status_code,
                who=who,
            )
        if outcome == "refused":  # the user sees the message on the reloaded page
            self.client.get(url, name="admin: organisation form")


class Reviewer(SiteUser):
    """The ministry: the board, every county, comparisons, lists and downloads."""

    weight = 3
    username = "departementet"

    @task(5)
    def board(self):
        self.client.get(f"/omgang/{YEAR}/", name="board")

    @task(6)
    def county_page(self):
        self.client.get(f"/omgang/{YEAR}/lan/{self.county()}/", name="county page")

    @task(2)
    def comparison(self):
        self.client.get(f"/omgang/{YEAR}/jamforelse/", name="comparison")

    @task(1)
    def financing(self):
        self.client.get(f"/omgang/{YEAR}/finansiering/", name="financing")

    @task(1)
    def development(self):
        self.client.get(f"/lan/{self.county()}/utveckling/", name="county development")

    @task(5)
    def projects(self):
        query = random.choice(
            [
                "",
                f"?county={self.county()}",
                f"?county={self.county()}&status=pagaende",
                f"?year={YEAR}&source=eu-strukturfonder",
                f"?sida={random.randint(2, 40)}",
                "?q=utveckling",
                "?ordering=-decided_total",
                f"?county={self.county()}&sida=2",
            ]
        )
        self.client.get(f"/projekt/{query}", name="projects list")

    @task(2)
    def observations(self):
        query = random.choice(
            ["", f"?round={YEAR}&county={self.county()}&theme={random.choice(THEMES)}"]
        )
        self.client.get(f"/iakttagelser/{query}", name="observations list")

    @task(2)
    def organisations(self):
        query = random.choice(["", "?q=ab&kind=foretag", f"?sida={random.randint(2, 20)}"])
        self.client.get(f"/organisationer/{query}", name="organisations list")

    @task(1)
    def county_workbook(self):
        if random.random() < 0.5:
            code = random.choice(TARGETS["submitted"])
            self.client.get(
                f"/omgang/{YEAR}/lan/{code}/sammanstallning.xlsx", name="county workbook"
            )

    @task(1)
    def csv_download(self):
        if random.random() < 0.5:
            # Mostly a county's list; one in ten the whole country (100 000 rows, ~20 MB).
            if random.random() < 0.1:
                self.client.get("/projekt/projekt.csv", name="projects CSV (national)")
            else:
                self.client.get(f"/projekt/projekt.csv?county={self.county()}", name="projects CSV")


class Coordinator(SiteUser):
    """A county's coordinator: their county page, their projects, and edits."""

    weight = 2

    def on_start(self):
        self.code = next(_coordinator_counties)
        self.username = f"samordnare{self.code}"
        super().on_start()

    @task(4)
    def own_county(self):
        self.client.get(f"/omgang/{YEAR}/lan/{self.code}/", name="county page (own)")

    @task(3)
    def own_projects(self):
        query = random.choice(["", "?status=pagaende", "?sida=2"])
        self.client.get(f"/projekt/{query}", name="projects list (own)")

    @task(3)
    def edit(self):
        self.edit_organisation(self.code, random.choice(ORGS[self.code]), self.username)


class Administrator(SiteUser):
    """One administrator editing organisations of any county: edits can collide."""

    fixed_count = 1
    username = "admin"

    @task
    def edit(self):
        code, org_id = random.choice(ALL_ORGS)
        self.edit_organisation(code, org_id, self.username)
