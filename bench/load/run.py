"""Load test (and fault test) of the review site: gunicorn + PostgreSQL + national-scale data.

    .venv/bin/python bench/load/run.py [--users 30] [--minutes 5] [--workers 5]
    .venv/bin/python bench/load/run.py --fault [--minutes 2] [--outage 5]

Needs locust (``bin/install bench``) and a local PostgreSQL that ``root`` may use.

1. Prepares its own database, postgres://root@127.0.0.1:5432/followup_load: creates it if
   missing, migrates, and seeds 100 000 demo projects unless it already holds them (reused).
2. Collects static files into bench/out/static and starts gunicorn on 127.0.0.1:8020 (DEBUG off,
   a random SECRET_KEY, plain HTTP), waits for /halsa/.
3. Measures single-user medians of the board and a county page (sequential requests).
4. Runs locust headless (bench/load/locustfile.py): reviewers, coordinators who edit
   organisations of their county in the admin, and one administrator who edits any county's.
5. Counts the edits: every save answered as saved must have its marker in the database, as the
   organisation's current name or in its audit history. Checks that no record is half-written:
   every edited organisation's version equals the latest version in its history, same name.
6. Prints requests, failures, p50/p95 per page, edits made/found/refused and PASS/FAIL.
   Targets: zero failures, zero lost edits, p95 of the board and county pages ≤ 4× their
   single-user median. Exits 1 on FAIL.

--fault stops PostgreSQL (pg_ctlcluster … stop -m fast) for --outage seconds in the middle of the
run, always starting it again, probes the site during the outage (users must get the "Tekniskt
fel" page, /halsa/ 503), then checks that the app answers again without a gunicorn restart, that
failures happened only around the outage and that nothing was half-written.

--servers 2 starts two gunicorn servers (--port + 1, + 2, each its own process group, --workers
each, sharing the database, the imports folder and SECRET_KEY) and nginx on --port with
deploy/nginx/followup.conf in front of them (bench/load/servers.py; nginx installed with apt
when missing and run as root); the users and the single-user medians go through nginx. After the
run an import is previewed on one server and confirmed on the other, then confirmed again, and
another confirmed on both at once (bench/load/split_import.py): each must save exactly once.
--failover also stops the last server at a random moment in the middle of the run (--stop kill:
master and workers at once, as a failed machine; term: gracefully, as for patching), keeps it
down --down seconds and starts it again: every failed request must be one nginx had passed to
that server when it stopped (counted from nginx's access log), and the server must be serving
again afterwards.
Only 127.0.0.1 is ever contacted. Output (CSV, logs) goes to bench/out/load/ (git-ignored).
"""

import argparse
import contextlib
import csv
import importlib.util
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import split_import
from servers import (
    AppServer,
    Failover,
    failover_report,
    logged_in,
    start_gunicorn,
    stop_gunicorn,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
from deploy.nginx import local as nginx_local  # noqa: E402 - needs ROOT on the path

OUT = ROOT / "bench" / "out" / "load"
STATIC = ROOT / "bench" / "out" / "static"
VENV_BIN = Path(sys.executable).parent
DB_NAME = "followup_load"
DATABASE_URL = f"postgres://root@127.0.0.1:5432/{DB_NAME}"
PROJECTS = 100_000
MAX_P95_RATIO = 4.0
SINGLE_USER_REQUESTS = 20
WARM_UP = 3
ORGS_PER_COUNTY = 12
PASSWORDS = {"departementet": "demo-departementet-2026", "admin": "demo-admin-2026"}
COORDINATOR_PASSWORD = "demo-samordnare-2026"
# Pages whose p95 under load is held to MAX_P95_RATIO × their single-user median.
TARGET_PAGES = ("board", "county page", "county page (own)")


def say(text: str = "") -> None:
    print(text, flush=True)


# --- the database ------------------------------------------------------------------------------


def connect(dbname: str = DB_NAME):
    import psycopg

    return psycopg.connect(f"postgres://root@127.0.0.1:5432/{dbname}", autocommit=True)


def ensure_database(env: dict, reseed: bool) -> None:
    with connect("postgres") as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            say(f"Skapar databasen {DB_NAME}.")
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    with connect() as conn:
        projects = conn.execute("SELECT COUNT(*) FROM agreements_project").fetchone()[0]
    if reseed or projects < PROJECTS * 0.95:
        say(f"Bygger demodata med {PROJECTS} projekt (några minuter) …")
        with open(OUT / "seed.log", "w") as log:
            subprocess.run(
                [*manage, "seed_demo", "--replace", "--projects", str(PROJECTS)],
                env=env,
                check=True,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
    else:
        say(f"Återanvänder {DB_NAME} ({projects} projekt).")
        with connect() as conn:  # as seed_demo does: the planner's statistics for this data
            conn.execute("ANALYZE")


def write_targets(path: Path) -> dict:
    """What the simulated users need: the round, the counties, organisations to edit."""
    with connect() as conn:
        year = conn.execute("SELECT MAX(year) FROM followup_followupround").fetchone()[0]
        counties = conn.execute(
            "SELECT c.id, c.code FROM agreements_county c ORDER BY c.code"
        ).fetchall()
        themes = [r[0] for r in conn.execute("SELECT id FROM followup_theme ORDER BY id")]
        users = {r[0] for r in conn.execute("SELECT username FROM followup_user WHERE is_active")}
        orgs = {}
        for county_id, code in counties:
            if f"samordnare{code}" not in users:
                continue
            orgs[code] = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM agreements_organisation WHERE county_id = %s "
                    "ORDER BY id LIMIT %s",
                    [county_id, ORGS_PER_COUNTY],
                )
            ]
        # The ministry sees a county's report (and its workbook) once it has been submitted.
        submitted = [
            r[0]
            for r in conn.execute(
                "SELECT c.code FROM followup_countyreport r"
                " JOIN agreements_county c ON c.id = r.county_id"
                " JOIN followup_followupround f ON f.id = r.round_id"
                " WHERE f.year = %s AND r.status <> 'utkast' ORDER BY c.code",
                [year],
            )
        ]
    passwords = {**PASSWORDS, **{f"samordnare{code}": COORDINATOR_PASSWORD for code in orgs}}
    targets = {
        "year": year,
        "counties": [{"id": i, "code": c} for i, c in counties],
        "themes": themes,
        "submitted": submitted,
        "orgs": orgs,
        "passwords": passwords,
    }
    path.write_text(json.dumps(targets, indent=1))
    return targets


def all_org_ids(targets: dict) -> list[int]:
    return [org_id for ids in targets["orgs"].values() for org_id in ids]


def integrity(org_ids: list[int]) -> dict:
    """Half-written records: an organisation whose row and latest history row disagree."""
    with connect() as conn:
        rows = conn.execute(
            """
            SELECT o.id, o.version, o.name, h.version, h.name
            FROM agreements_organisation o
            LEFT JOIN LATERAL (
                SELECT version, name FROM agreements_historicalorganisation hh
                WHERE hh.id = o.id ORDER BY hh.history_id DESC LIMIT 1
            ) h ON TRUE
            WHERE o.id = ANY(%s)
            """,
            [org_ids],
        ).fetchall()
        # Across all organisations: the current version against the highest in history.
        overall = conn.execute(
            """
            SELECT COUNT(*) FROM agreements_organisation o
            JOIN (SELECT id, MAX(version) AS v FROM agreements_historicalorganisation
                  GROUP BY id) h ON h.id = o.id
            WHERE h.v <> o.version
            """
        ).fetchone()[0]
    # A row never edited since it was loaded (version 1) may have no history row at all.
    bad = [
        r for r in rows if (r[3] is None and r[1] != 1) or (r[3] is not None and r[1:3] != r[3:5])
    ]
    return {"checked": len(rows), "bad": bad, "overall_mismatch": overall}


def count_edits(results: Path) -> dict:
    edits = [r for r in read_jsonl(results) if r["kind"] == "edit"]
    made = [e for e in edits if e["outcome"] == "made"]
    found, lost = 0, []
    with connect() as conn:
        for edit in made:
            pattern = f"% · {edit['marker']}"
            hit = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM agreements_organisation"
                " WHERE id = %s AND name LIKE %s) OR EXISTS (SELECT 1"
                " FROM agreements_historicalorganisation WHERE id = %s AND name LIKE %s)",
                [edit["org"], pattern, edit["org"], pattern],
            ).fetchone()[0]
            if hit:
                found += 1
            else:
                lost.append(edit)
        # A save that failed (e.g. during an outage) must be all there or not there at all;
        # either is fine, but say which.
        failed = [e for e in edits if e["outcome"] == "failed"]
        failed_present = 0
        for edit in failed:
            pattern = f"% · {edit['marker']}"
            failed_present += conn.execute(
                "SELECT EXISTS (SELECT 1 FROM agreements_historicalorganisation"
                " WHERE id = %s AND name LIKE %s)",
                [edit["org"], pattern],
            ).fetchone()[0]
    return {
        "made": len(made),
        "found": found,
        "lost": lost,
        "refused": sum(e["outcome"] == "refused" for e in edits),
        "failed": len(failed),
        "failed_present": failed_present,
        "unparsed": sum(e["outcome"] == "unparsed" for e in edits),
    }


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# --- the server --------------------------------------------------------------------------------


def server_env(port: int) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "DB_CONN_MAX_AGE": "60",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(STATIC),
        "LOG_LEVEL": "WARNING",
        # Where an import's upload waits: one folder for every server (a shared mount).
        "IMPORT_UPLOAD_DIR": str(OUT / "imports"),
    }


def single_user_medians(base: str, targets: dict) -> dict[str, float]:
    """Median milliseconds of sequential requests, one user at a time."""
    year = targets["year"]
    codes = [c["code"] for c in targets["counties"]]
    own = next(iter(targets["orgs"]))
    reviewer = logged_in(base, "departementet", PASSWORDS["departementet"])
    coordinator = logged_in(base, f"samordnare{own}", COORDINATOR_PASSWORD)
    plan = {
        "board": (reviewer, lambda i: f"/omgang/{year}/"),
        "county page": (reviewer, lambda i: f"/omgang/{year}/lan/{codes[i % len(codes)]}/"),
        "county page (own)": (coordinator, lambda i: f"/omgang/{year}/lan/{own}/"),
    }
    medians = {}
    for name, (session, url) in plan.items():
        times = []
        for i in range(WARM_UP + SINGLE_USER_REQUESTS):
            start = time.perf_counter()
            response = session.get(base + url(i), timeout=60)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"{name}: {url(i)} svarade {response.status_code}")
            if i >= WARM_UP:
                times.append(elapsed * 1000)
        medians[name] = statistics.median(times)
    return medians


# --- the fault ---------------------------------------------------------------------------------


def postgres_cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: int(v) if v.isdigit() else 0)
    version = versions[-1]
    clusters = sorted(os.listdir(f"/etc/postgresql/{version}"))
    return version, ("main" if "main" in clusters else clusters[0])


def pg_ctl(action: str, extra: list[str] | None = None) -> None:
    version, cluster = postgres_cluster()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action, *(extra or [])],
        check=True,
        timeout=60,
    )


def postgres_test_runs() -> list[str]:
    """pytest processes running against PostgreSQL (DATABASE_URL=postgres… in their env)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            if "pytest" not in cmdline:
                continue
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(v.startswith(b"DATABASE_URL=postgres") for v in environ):
            found.append(f"{pid}: {cmdline[:120]}")
    return found


def wait_for_test_runs(max_seconds: float) -> None:
    start = time.monotonic()
    while time.monotonic() - start < max_seconds:
        runs = postgres_test_runs()
        if not runs:
            return
        say(f"Väntar: testkörning mot PostgreSQL pågår ({runs[0]}) …")
        time.sleep(10)
    raise SystemExit("En testkörning mot PostgreSQL pågår fortfarande; avbryter felprovet.")


class Outage(threading.Thread):
    """Stops PostgreSQL after ``delay`` seconds for ``seconds`` seconds; always restarts it."""

    def __init__(self, base: str, delay: float, seconds: float):
        super().__init__(daemon=True)
        self.base, self.delay, self.seconds = base, delay, seconds
        self.started_at = self.ended_at = None
        self.recovered_after = None
        self.probes: list[dict] = []
        self.error = None

    def probe(self, session, path: str) -> None:
        import requests

        try:
            response = session.get(self.base + path, timeout=10)
            self.probes.append(
                {
                    "path": path,
                    "status": response.status_code,
                    "error_page": "Tekniskt fel" in response.text,
                }
            )
        except requests.RequestException as error:
            self.probes.append({"path": path, "status": None, "error": str(error)[:100]})

    def run(self) -> None:
        try:
            import requests

            session = logged_in(self.base, "departementet", PASSWORDS["departementet"])
            anonymous = requests.Session()
            time.sleep(self.delay)
            year = json.loads((OUT / "targets.json").read_text())["year"]
            self.started_at = time.time()
            try:
                pg_ctl("stop", ["-m", "fast"])
                say(f"[fel] PostgreSQL stoppad {time.strftime('%H:%M:%S')}")
                deadline = time.monotonic() + self.seconds
                while time.monotonic() < deadline:
                    self.probe(anonymous, "/halsa/")  # as a load balancer: no cookies
                    self.probe(session, f"/omgang/{year}/")
                    time.sleep(0.5)
            finally:
                pg_ctl("start")
                self.ended_at = time.time()
                say(f"[fel] PostgreSQL startad igen {time.strftime('%H:%M:%S')}")
            self.recovered_after = wait_healthy(self.base, 60)
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            self.error = error


# --- locust and the report ---------------------------------------------------------------------


def run_locust(args, targets_path: Path, results: Path, csv_prefix: Path, base: str) -> int:
    env = {
        **os.environ,
        "LOAD_TARGETS": str(targets_path),
        "LOAD_RESULTS": str(results),
        "LOAD_THINK": args.think,
    }
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "load" / "locustfile.py"),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{int(args.minutes * 60)}s",
        "--host",
        base,
        "--csv",
        str(csv_prefix),
        "--only-summary",
        # Statistics of the steady state: counted from when all users have logged in (each
        # login is a deliberately slow password hash; 30 at once saturate the CPU for seconds).
        "--reset-stats",
        "--stop-timeout",
        "30",
        "--loglevel",
        "WARNING",
    ]
    with open(OUT / "locust.log", "w") as log:
        process = subprocess.run(
            command,
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=args.minutes * 60 + 180,
        )
    return process.returncode


def read_stats(csv_prefix: Path) -> list[dict]:
    with open(f"{csv_prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def print_stats(rows: list[dict], medians: dict[str, float]) -> None:
    say(f"{'sida':34} {'anrop':>7} {'fel':>5} {'p50 ms':>8} {'p95 ms':>8} {'1 anv. ms':>10}")
    for row in rows:
        name = row["Name"]
        median = medians.get(name)
        say(
            f"{name[:34]:34} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{row['50%']:>8} {row['95%']:>8} "
            f"{f'{median:.0f}' if median is not None else '':>10}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers per server (5 for one, 3 each for more)"
    )
    parser.add_argument(
        "--think", default="1,4", help="seconds between a user's pages, low,high (default 1,4)"
    )
    parser.add_argument("--port", type=int, default=8020)
    parser.add_argument("--reseed", action="store_true", help="rebuild the demo data")
    parser.add_argument("--fault", action="store_true", help="stop PostgreSQL mid-run")
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL is down")
    parser.add_argument(
        "--servers", type=int, default=1, help="app servers; 2 or more go behind nginx"
    )
    parser.add_argument(
        "--failover", action="store_true", help="stop one server mid-run, start it again"
    )
    parser.add_argument("--down", type=float, default=15, help="seconds the server is down")
    parser.add_argument(
        "--stop", choices=("kill", "term"), default="kill", help="how the server is stopped"
    )
    parser.add_argument("--seed", type=int, help="for the moment the server is stopped")
    args = parser.parse_args()
    if args.workers is None:
        args.workers = 5 if args.servers == 1 else 3
    if args.failover and args.servers < 2:
        raise SystemExit("--failover needs --servers 2 or more")

    # Only looked up, not imported: importing locust monkey-patches this process with gevent.
    if importlib.util.find_spec("locust") is None or not (VENV_BIN / "locust").exists():
        raise SystemExit("locust saknas: bin/install bench")

    OUT.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{args.port}"
    env = server_env(args.port)  # one SECRET_KEY for every server: sessions and CSRF hold
    if args.servers > 1:
        try:
            nginx_local.install_if_root()
        except nginx_local.Missing as missing:
            raise SystemExit(str(missing)) from None
    if args.fault:
        wait_for_test_runs(300)
    ensure_database(env, args.reseed)
    targets_path = OUT / "targets.json"
    targets = write_targets(targets_path)
    say("Samlar statiska filer i bench/out/static …")
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    mode = "fault" if args.fault else "failover" if args.failover else "load"
    if args.servers > 1 and not args.failover:
        mode += f"-{args.servers}servers"
    results = OUT / f"{'fault-' if args.fault else ''}results.jsonl"
    if mode != "load" and not args.fault:
        results = OUT / f"{mode}-results.jsonl"
    results.unlink(missing_ok=True)
    csv_prefix = OUT / mode
    before = integrity(all_org_ids(targets))

    server = None
    app_servers: list[AppServer] = []
    nginx = None
    outage = failover = None
    try:
        if args.servers == 1:
            server = start_gunicorn(env, args.port, args.workers, OUT / "gunicorn.log")
            if wait_healthy(base, 60) is None:
                raise SystemExit("gunicorn svarar inte på /halsa/ (se bench/out/load/gunicorn.log)")
            say(f"gunicorn på {base}, {args.workers} arbetare; mäter en användare i taget …")
        else:
            app_servers = [
                AppServer(
                    f"server {n}", args.port + n, env, args.workers, OUT / f"gunicorn-{n}.log"
                )
                for n in range(1, args.servers + 1)
            ]
            for app in app_servers:
                app.start()
            for app in app_servers:
                if wait_healthy(app.url, 60) is None:
                    raise SystemExit(f"{app.name} svarar inte på /halsa/ (se {app.log})")
            shutil.rmtree(OUT / "nginx", ignore_errors=True)
            nginx = nginx_local.Nginx(
                OUT / "nginx", port=args.port, upstreams=[a.address for a in app_servers]
            ).start()
            say(
                f"nginx på {base} framför {len(app_servers)} gunicorn-servrar "
                f"({', '.join(a.address for a in app_servers)}), {args.workers} arbetare var; "
                "mäter en användare i taget genom nginx …"
            )
        medians = single_user_medians(base, targets)
        for name, ms in medians.items():
            say(f"  {name}: median {ms:.0f} ms ({SINGLE_USER_REQUESTS} anrop)")
        say(
            f"locust: {args.users} användare i {args.minutes:g} min, "
            f"betänketid {args.think.replace(',', '–')} s …"
        )
        if args.fault:
            outage = Outage(base, args.minutes * 60 / 2, args.outage)
            outage.start()
        if args.failover:
            seed = args.seed if args.seed is not None else random.randrange(10**6)
            # A random moment in the middle half of the measured run (after the logins).
            delay = random.Random(seed).uniform(0.25, 0.75) * args.minutes * 60 + 10
            say(f"  failover: {app_servers[-1].name} stoppas efter {delay:.0f} s (seed {seed})")
            failover = Failover(app_servers[-1], delay=delay, down=args.down, how=args.stop)
            failover.start()
        started = time.time()
        run_locust(args, targets_path, results, csv_prefix, base)
        for thread in (outage, failover):
            if thread is not None:
                thread.join(timeout=120)
        after_run = wait_healthy(base, 30)
        same_server = server.poll() is None if server else all(a.running for a in app_servers)
        split = None
        if len(app_servers) > 1:
            say("Import över två servrar: förhandsgranskas på den ena, sparas på den andra …")
            own = next(iter(targets["orgs"]))
            split = split_import.run(
                first=app_servers[0].url,
                second=app_servers[1].url,
                year=targets["year"],
                code=own,
                password=COORDINATOR_PASSWORD,
                connect=connect,
            )
    finally:
        if server is not None:
            stop_gunicorn(server)
        for app in app_servers:
            app.stop()
        if nginx is not None:
            nginx.stop()
        if outage is not None and outage.is_alive():
            # The thread restarts PostgreSQL in its finally block; make sure of it here too.
            with contextlib.suppress(subprocess.CalledProcessError):
                pg_ctl("start")
    elapsed = time.time() - started

    rows = read_stats(csv_prefix)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    say()
    servers = f"{args.servers} servrar bakom nginx, " if args.servers > 1 else ""
    say(
        f"=== Resultat ({args.users} användare, {elapsed / 60:.1f} min, "
        f"{servers}{args.workers} gunicorn-arbetare{' var' if servers else ''}) ==="
    )
    print_stats(rows, medians)
    edits = count_edits(results)
    check = integrity(all_org_ids(targets))
    failures = [r for r in read_jsonl(results) if r["kind"] == "failure"]
    say()
    say(f"Anrop: {total['Request Count']}, fel: {total['Failure Count']}")
    say(
        f"Ändringar sparade: {edits['made']}, återfunna i databasen: {edits['found']}, "
        f"förlorade: {len(edits['lost'])}, vägrade (inaktuell version): {edits['refused']}, "
        f"misslyckade: {edits['failed']} (varav helt sparade: {edits['failed_present']})"
    )
    say(
        f"Halvskrivna poster: {len(check['bad'])} av {check['checked']} redigerade organisationer; "
        f"version ≠ historikens högsta i hela tabellen: {check['overall_mismatch']} "
        f"(före körningen: {before['overall_mismatch']})"
    )
    for edit in edits["lost"][:5]:
        say(f"  förlorad: {edit}")
    for row in check["bad"][:5]:
        say(f"  halvskriven: {row}")

    verdicts = []
    for name in TARGET_PAGES:
        row = next((r for r in rows if r["Name"] == name), None)
        if row is None or name not in medians:
            continue
        p95, limit = float(row["95%"]), MAX_P95_RATIO * medians[name]
        verdicts.append(
            (f"p95 {name} {p95:.0f} ms ≤ {limit:.0f} ms (4 × {medians[name]:.0f})", p95 <= limit)
        )
    verdicts.append((f"inga förlorade ändringar ({len(edits['lost'])})", not edits["lost"]))
    verdicts.append(
        (
            f"inga halvskrivna poster ({len(check['bad'])}, tabellen "
            f"{check['overall_mismatch']} mot {before['overall_mismatch']} före)",
            not check["bad"] and check["overall_mismatch"] <= before["overall_mismatch"],
        )
    )
    if split is not None:
        say()
        say("Import över två servrar (server 1 förhandsgranskar, server 2 sparar):")
        for step, answer in split["steps"].items():
            say(f"  {step}: {answer}")
        for number, counted in split["saved"].items():
            say(f"  {number}: {counted['rows']} projekt, {counted['history']} historikrad")
        verdicts.append(("importen över två servrar sparades exakt en gång", split["ok"]))
    if args.failover:
        verdicts.extend(report_failover(failover, nginx, failures, total))
    elif not args.fault:
        verdicts.append((f"inga fel ({total['Failure Count']})", int(total["Failure Count"]) == 0))
    else:
        if outage.error is not None:
            verdicts.append((f"felprovet kördes ({outage.error})", False))
        else:
            window_start = outage.started_at - 1
            window_end = outage.ended_at + (outage.recovered_after or 0) + 5
            outside = [f for f in failures if not window_start <= f["t"] <= window_end]
            inside = [f for f in failures if window_start <= f["t"] <= window_end]
            pages = [p for p in outage.probes if p["path"] != "/halsa/"]
            health = [p for p in outage.probes if p["path"] == "/halsa/"]
            say()
            say(
                f"Avbrott: PostgreSQL nere {outage.ended_at - outage.started_at:.1f} s; "
                f"/halsa/ 200 igen {outage.recovered_after:.1f} s efter start"
                if outage.recovered_after is not None
                else "Avbrott: appen svarade inte igen inom 60 s"
            )
            say(f"  prov under avbrottet: sidor {summarise(pages)}; /halsa/ {summarise(health)}")
            say(
                f"  locust-fel under avbrottet: {len(inside)} ({summarise(inside)}); "
                f"utanför: {len(outside)} ({summarise(outside)})"
            )
            verdicts.append(
                (
                    f"appen återhämtade sig utan omstart ({outage.recovered_after} s, "
                    f"samma gunicorn: {same_server})",
                    outage.recovered_after is not None and same_server and after_run is not None,
                )
            )
            verdicts.append(
                (
                    f"sidorna under avbrottet gav felsidan (500 Tekniskt fel): {summarise(pages)}",
                    bool(pages) and all(p["status"] == 500 and p["error_page"] for p in pages),
                )
            )
            verdicts.append(
                (
                    f"/halsa/ svarade 503 under avbrottet: {summarise(health)}",
                    bool(health) and all(p["status"] == 503 for p in health),
                )
            )
            # A download already streaming when the database went away is cut off (status
            # 200, broken body); every other failed answer must be our error page.
            unclear = [f for f in inside if f["status"] != 200 and not f["error_page"]]
            verdicts.append(
                (
                    f"användarnas fel under avbrottet var felsidan ({len(unclear)} andra: "
                    f"{summarise(unclear)})",
                    not unclear,
                )
            )
            verdicts.append((f"inga fel utanför avbrottet ({len(outside)})", not outside))
    say()
    for text, ok in verdicts:
        say(f"{'OK  ' if ok else 'FEL '} {text}")
    passed = all(ok for _, ok in verdicts)
    say("PASS" if passed else "FAIL")
    return 0 if passed else 1


def report_failover(failover: Failover, nginx, failures: list[dict], total: dict) -> list:
    """Prints what stopping the server did and returns the verdicts on it."""
    if failover.error is not None or failover.stopped_at is None:
        return [(f"failover kördes ({failover.error})", False)]
    report = failover_report(nginx.access_log(), failures, failover)
    down = (failover.back_at or time.time()) - failover.stopped_at
    say()
    say(
        f"Failover: {failover.server.name} stoppad ({failover.how}) "
        f"{time.strftime('%H:%M:%S', time.localtime(failover.stopped_at))}, "
        f"svarade igen {down:.1f} s senare; nginx loggade {report['requests']} anrop"
    )
    say(
        f"  pågående på den servern när den stoppades: {len(report['in_flight'])}; "
        f"gick vidare till den andra: {len(report['in_flight_passed_on'])}; "
        f"besvarade av den: {len(report['in_flight_answered'])}; "
        f"misslyckades: {len(report['in_flight_failed'])}"
    )
    for entry in report["in_flight_failed"]:
        say(
            f"    {entry['method']} {entry['path'][:70]} → {entry['status']} "
            f"(försökt: {entry['upstream']}, {entry['ustatus']})"
        )
    say(
        f"  anrop som nginx skickade vidare medan servern var nere: "
        f"{len(report['passed_on_while_down'])}; "
        f"besvarade av servern efter omstarten: {report['served_after_restart']}"
    )
    say(
        f"  användarnas fel: {total['Failure Count']}; av dem pågående på den stoppade "
        f"servern: {len(report['explained'])}; andra: {len(report['unexplained'])}"
    )
    for failure in report["unexplained"][:10]:
        say(f"    annat fel: {failure['name']} {failure.get('path')} {failure['exception'][:80]}")
    return [
        (
            f"bara anrop som pågick på den stoppade servern misslyckades "
            f"({len(report['explained'])} sådana, {len(report['unexplained'])} andra)",
            not report["unexplained"],
        ),
        (
            f"servern tog emot anrop igen efter omstarten ({report['served_after_restart']})",
            failover.back_at is not None and report["served_after_restart"] > 0,
        ),
    ]


def summarise(items: list[dict]) -> str:
    counts: dict[str, int] = {}
    for item in items:
        key = f"{item.get('status')}{' Tekniskt fel' if item.get('error_page') else ''}"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "–"


if __name__ == "__main__":
    sys.exit(main())
