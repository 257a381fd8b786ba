"""Benchmark of the review site's pages at 1 000 and at 100 000 projects.

    .venv/bin/python bench/pages.py [--requests 9] [--rounds 3] [--rebuild]

Builds (or reuses) two demo data sets with ``seed_demo --replace --projects N`` in
bench/out/pages_1000.sqlite3 and bench/out/pages_100000.sqlite3 (git-ignored), then, for each
data set in a process of its own, requests every page with Django's test client as a logged-in
ministry reviewer (a coordinator for their county's page), DEBUG off. Prints the median server
time of N requests (after two warm-up requests) at each size and their ratio. Target: ≤ 3×.
The sizes are measured in turns, several rounds, and each page keeps its best median: a machine
busy with something else for a moment then does not decide the ratio.
A page that answers 404 (not written yet) is skipped with a note.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SIZES = (1_000, 100_000)
TARGET_RATIO = 3.0
WARM_UP = 2


def database(projects: int) -> Path:
    return OUT / f"pages_{projects}.sqlite3"


def environment(projects: int, *, debug: bool) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database(projects)}"}
    if debug:
        env["DEBUG"] = "1"
    else:
        # As in production: DEBUG off, templates cached, hashed static files; a throw-away key
        # for this process only.
        env.update(
            DEBUG="0",
            SECRET_KEY="bench-pages-not-a-secret",
            ALLOWED_HOSTS="testserver",
            STATIC_ROOT=str(OUT / "static"),
        )
    return env


# --- the child: one data set -----------------------------------------------------------------


def pages(year: int, county: str, theme: int) -> list[tuple[str, str, str]]:
    """(label, URL, persona) for every page of the site."""
    return [
        ("Omgångens tavla", f"/omgang/{year}/", "reviewer"),
        ("Länssida (samordnare)", f"/omgang/{year}/lan/{county}/", "coordinator"),
        ("Länssida (departementet)", f"/omgang/{year}/lan/{county}/", "reviewer"),
        ("Jämförelse teman × län", f"/omgang/{year}/jamforelse/", "reviewer"),
        ("Länets utveckling", f"/lan/{county}/utveckling/", "reviewer"),
        ("Finansiering per län", f"/omgang/{year}/finansiering/", "reviewer"),
        ("Projekt", "/projekt/", "reviewer"),
        ("Projekt, län och status", f"/projekt/?county={county}&status=pagaende", "reviewer"),
        ("Projekt, år och källa", f"/projekt/?year={year}&source=eu-strukturfonder", "reviewer"),
        ("Projekt, sida 20", "/projekt/?sida=20", "reviewer"),
        ("Projekt, fritext", "/projekt/?q=utveckling", "reviewer"),
        ("Projekt, sorterade på belopp", "/projekt/?ordering=-decided_total", "reviewer"),
        ("Projekt (samordnare)", "/projekt/", "coordinator"),
        ("Iakttagelser", "/iakttagelser/", "reviewer"),
        (
            "Iakttagelser, en cell",
            f"/iakttagelser/?round={year}&county={county}&theme={theme}",
            "reviewer",
        ),
        ("Organisationer", "/organisationer/", "reviewer"),
        ("Organisationer, filtrerade", "/organisationer/?q=ab&kind=foretag", "reviewer"),
    ]


def child(projects: int, requests: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from followup.models import FollowUpRound, Theme

    users = get_user_model().objects
    year = FollowUpRound.objects.order_by("-year").values_list("year", flat=True).first()
    theme = Theme.objects.order_by("sort_order").values_list("pk", flat=True).first()
    clients = {}
    for persona, username in (("reviewer", "departementet"), ("coordinator", "samordnare04")):
        clients[persona] = Client()
        clients[persona].force_login(users.get(username=username))
    results = {}
    for label, url, persona in pages(year, "04", theme):
        client = clients[persona]
        times = []
        status = None
        for i in range(WARM_UP + requests):
            start = time.perf_counter()
            response = client.get(url, secure=True)  # as behind TLS in production
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - start
            status = response.status_code
            if status != 200:
                break
            if i >= WARM_UP:
                times.append(elapsed)
        results[label] = {
            "url": url,
            "status": status,
            "ms": statistics.median(times) * 1000 if times else None,
        }
    print(json.dumps(results))


# --- the parent --------------------------------------------------------------------------------


def count_projects(projects: int) -> int | None:
    import sqlite3

    if not database(projects).exists():
        return None
    try:
        with sqlite3.connect(database(projects)) as connection:
            return connection.execute("SELECT COUNT(*) FROM agreements_project").fetchone()[0]
    except sqlite3.Error:
        return None


def ensure_data(projects: int, rebuild: bool) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment(projects, debug=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    name = database(projects).relative_to(ROOT)
    if not rebuild and count_projects(projects) == projects:
        print(f"Återanvänder {name} ({projects} projekt); migrerar vid behov.", flush=True)
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        return
    print(f"Bygger demodata med {projects} projekt i {name} …", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--replace", "--projects", str(projects), "-v0"],
        env=env,
        check=True,
    )


def measure(projects: int, requests: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(projects), "--requests", str(requests)],
        env=environment(projects, debug=False),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=9, help="Mätta anrop per sida.")
    parser.add_argument("--rounds", type=int, default=3, help="Mätomgångar per storlek.")
    parser.add_argument("--rebuild", action="store_true", help="Bygg om demodatan.")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests)
        return
    for projects in SIZES:
        ensure_data(projects, args.rebuild)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=environment(SIZES[0], debug=False),
        check=True,
    )
    best: dict[int, dict] = {}
    for turn in range(args.rounds):
        print(f"Mätomgång {turn + 1} av {args.rounds} …", flush=True)
        for projects in SIZES:
            for label, result in measure(projects, args.requests).items():
                kept = best.setdefault(projects, {}).setdefault(label, result)
                if result["ms"] is not None and (kept["ms"] is None or result["ms"] < kept["ms"]):
                    best[projects][label] = result
    small, large = (best[projects] for projects in SIZES)
    print(
        f"\nMedian av {args.requests} anrop per sida, bästa av {args.rounds} omgångar "
        "(serverns tid i processen, DEBUG av).\n"
        f"{'Sida':34} {'1 000 projekt':>14} {'100 000 projekt':>16} {'kvot':>7}"
    )
    misses = 0
    for label, first in small.items():
        second = large[label]
        if first["status"] == 404 or second["status"] == 404:
            print(f"{label:34} hoppas över: {first['url']} finns inte ännu (404)")
            continue
        if first["ms"] is None or second["ms"] is None:
            print(f"{label:34} svarade {first['status']}/{second['status']} på {first['url']}")
            misses += 1
            continue
        ratio = second["ms"] / first["ms"]
        verdict = "" if ratio <= TARGET_RATIO else f"  över målet {TARGET_RATIO:g}×"
        misses += ratio > TARGET_RATIO
        print(f"{label:34} {first['ms']:11.1f} ms {second['ms']:13.1f} ms {ratio:6.1f}×{verdict}")
    print(f"\nMål: högst {TARGET_RATIO:g}× längre tid vid 100 gånger fler projekt.")
    if misses:
        print(f"{misses} sidor når inte målet.")
        sys.exit(1)


if __name__ == "__main__":
    main()
