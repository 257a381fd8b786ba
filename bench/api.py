"""Benchmark of the API at 1 000 and 100 000 projects, and of the open-data export.

    .venv/bin/python bench/api.py [--requests 15] [--rounds 3] [--rebuild]

Uses two demo data sets built with ``seed_demo --replace --projects N``: the national-scale
one of ``bench/export.py`` (bench/out/national.sqlite3, 100 000 projects, reused; built only
when missing) and bench/out/api_1000.sqlite3. For each, in a process of its own with DEBUG off,
it calls the API with Django's test client and a personal token (the throttle on, at a rate
the benchmark does not reach) and prints the median server time of N calls after two warm-up
calls, the number of queries of each call, and the ratio between the sizes. Then it writes the
open-data package of the newest round at national scale (CSV files, datapackage.json) and its
zip, three times, and prints the fastest.

Targets (issue 18): /api/v1/projects/ at 100 000 projects within 2× its time at 1 000, with
the same number of queries; the national open-data export within 30 s.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export import DATABASE as NATIONAL  # noqa: E402
from export import OUT, ROOT  # noqa: E402
from export import ensure_data as ensure_national  # noqa: E402
from export import run_child as run_export_child  # noqa: E402

SMALL = 1_000
LARGE = 100_000
TARGET_RATIO = 2.0
TARGET_EXPORT_SECONDS = 30.0
WARM_UP = 2
REPEAT_EXPORT = 3


def database(projects: int) -> Path:
    return NATIONAL if projects == LARGE else OUT / f"api_{projects}.sqlite3"


def environment(projects: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database(projects)}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-api-not-a-secret",
        "ALLOWED_HOSTS": "testserver",
        "API_THROTTLE_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",  # the security log's line per call is not what is timed
    }


def calls(year: int) -> list[tuple[str, str, str]]:
    """(label, URL, persona); ``@page8`` is the 8th cursor page, followed from the first."""
    return [
        ("Projekt, första sidan", "/api/v1/projects/", "reviewer"),
        ("Projekt, sida 8 (markör)", "/api/v1/projects/@page8", "reviewer"),
        ("Projekt, 500 per sida", "/api/v1/projects/?page_size=500", "reviewer"),
        ("Projekt, län och status", "/api/v1/projects/?county=04&status=pagaende", "reviewer"),
        (
            "Projekt, år och källa",
            f"/api/v1/projects/?year={year}&source=eu-strukturfonder",
            "reviewer",
        ),
        ("Projekt (samordnare 04)", "/api/v1/projects/", "coordinator"),
        ("Organisationer", "/api/v1/organisations/", "reviewer"),
        ("Iakttagelser", "/api/v1/observations/", "reviewer"),
        ("Rapporter", "/api/v1/reports/", "reviewer"),
        ("Avtal", "/api/v1/agreements/", "reviewer"),
    ]


# --- the child: one data set ---------------------------------------------------------------


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def child_api(requests: int) -> dict:
    _setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from followup.models import ApiToken, FollowUpRound
    from followup.services.tokens import api_token_create

    users = get_user_model().objects
    year = FollowUpRound.objects.order_by("-year").values_list("year", flat=True).first()
    clients, tokens = {}, []
    for persona, username in (("reviewer", "departementet"), ("coordinator", "samordnare04")):
        token, raw = api_token_create(user=users.get(username=username), name="bench/api.py")
        tokens.append(token.pk)
        clients[persona] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    results = {}
    try:
        for label, url, persona in calls(year):
            client = clients[persona]
            if url.endswith("@page8"):
                url = url.removesuffix("@page8")
                for _ in range(7):
                    url = client.get(url, secure=True).json()["next"]
            times, queries, status = [], None, None
            for i in range(WARM_UP + requests):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(url, secure=True)
                    body = response.content
                    elapsed = time.perf_counter() - start
                status = response.status_code
                if status != 200:
                    break
                if i >= WARM_UP:
                    times.append(elapsed)
                    queries = len(captured.captured_queries)
            results[label] = {
                "url": url,
                "status": status,
                "ms": statistics.median(times) * 1000 if times else None,
                "queries": queries,
                "kb": len(body) / 1024,
                "rows": len(response.json()["results"]) if status == 200 else None,
            }
    finally:
        ApiToken.objects.filter(pk__in=tokens).delete()
    return results


def child_export() -> dict:
    _setup()
    from followup.models import FollowUpRound
    from followup.opendata.archive import build_zip
    from followup.opendata.package import write_package

    year = FollowUpRound.objects.order_by("-year").values_list("year", flat=True).first()
    with tempfile.TemporaryDirectory() as work:
        start = time.perf_counter()
        written = write_package(Path(work) / "paket", year=year)
        package_seconds = time.perf_counter() - start
        size = sum(path.stat().st_size for path in written.directory.iterdir())
        start = time.perf_counter()
        build_zip(year, Path(work) / "paket.zip")
        zip_seconds = time.perf_counter() - start
        zip_size = (Path(work) / "paket.zip").stat().st_size
    return {
        "year": year,
        "seconds": package_seconds,
        "zip_seconds": zip_seconds,
        "mb": size / 1e6,
        "zip_mb": zip_size / 1e6,
        "rows": written.rows,
    }


# --- the parent ----------------------------------------------------------------------------


def count_projects(path: Path) -> int | None:
    import sqlite3

    try:
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT COUNT(*) FROM agreements_project").fetchone()[0]
    except sqlite3.Error:
        return None


def ensure_small(projects: int, rebuild: bool) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database(projects)}", "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    if count_projects(database(projects)) == projects and not rebuild:
        print(f"Återanvänder {database(projects).relative_to(ROOT)}.", flush=True)
        return
    print(f"Bygger demodata med {projects} projekt i {database(projects).relative_to(ROOT)} …")
    subprocess.run(
        [*manage, "seed_demo", "--replace", "--projects", str(projects), "-v0"],
        env=env,
        check=True,
    )


def run_child(projects: int, *args: str) -> dict:
    """This script's ``--child …`` against the data of ``projects`` projects (bench/export.py's
    runner)."""
    return run_export_child(*args, script=__file__, env=environment(projects))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=15, help="Mätta anrop per adress.")
    parser.add_argument("--rounds", type=int, default=3, help="Mätomgångar per storlek.")
    parser.add_argument("--rebuild", action="store_true", help="Bygg om den lilla demodatan.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child_api(int(args.child[1])) if args.child[0] == "api" else child_export()
        print(json.dumps(result))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    ensure_national(LARGE, rebuild=False)
    ensure_small(SMALL, args.rebuild)
    best: dict[int, dict] = {}
    for turn in range(args.rounds):
        print(f"Mätomgång {turn + 1} av {args.rounds} …", flush=True)
        for projects in (SMALL, LARGE):
            for label, result in run_child(projects, "api", str(args.requests)).items():
                kept = best.setdefault(projects, {}).setdefault(label, result)
                if result["ms"] is not None and (kept["ms"] is None or result["ms"] < kept["ms"]):
                    best[projects][label] = result
    small, large = best[SMALL], best[LARGE]
    print(
        f"\nMedian av {args.requests} anrop, bästa av {args.rounds} omgångar (serverns tid i "
        "processen, DEBUG av, med API-nyckel).\n"
        f"{'Anrop':30} {'1 000 projekt':>15} {'100 000 projekt':>17} {'kvot':>6} {'frågor':>8} "
        f"{'rader':>9}"
    )
    misses = 0
    for label, first in small.items():
        second = large[label]
        if first["ms"] is None or second["ms"] is None:
            print(f"{label:30} svarade {first['status']}/{second['status']} på {first['url']}")
            misses += 1
            continue
        ratio = second["ms"] / first["ms"]
        same = first["queries"] == second["queries"]
        # The target is the project list's: pages as full at both sizes. A filtered list has
        # fewer rows at 1 000 projects than a page holds, so its ratio is not the page's cost.
        judged = label.startswith("Projekt") and first["rows"] == second["rows"]
        verdict = ""
        if judged and (ratio > TARGET_RATIO or not same):
            verdict = "  INTE inom målet"
            misses += 1
        print(
            f"{label:30} {first['ms']:12.1f} ms {second['ms']:14.1f} ms {ratio:5.2f}× "
            f"{first['queries']:>3}/{second['queries']:<3} {first['rows']:>4}/{second['rows']:<4}"
            f"{verdict}"
        )
    print(
        f"Mål för projektlistan: högst {TARGET_RATIO:g}× och lika många frågor (bedöms där "
        "sidan har lika många rader i båda storlekarna)."
    )

    print("\nÖppna data, nationell skala (bästa av tre):", flush=True)
    export = min(
        (run_child(LARGE, "export") for _ in range(REPEAT_EXPORT)), key=lambda r: r["seconds"]
    )
    rows = export["rows"]
    print(
        f"  paketet för {export['year']}: {export['seconds']:.1f} s, {export['mb']:.0f} MB CSV "
        f"({rows['projects']} projekt, {rows['financing_lines']} finansieringsrader, "
        f"{rows['organisations']} organisationer, {rows['observations']} iakttagelser); "
        f"zip (paket och komprimering): {export['zip_seconds']:.1f} s, {export['zip_mb']:.0f} MB"
    )
    ok = export["seconds"] <= TARGET_EXPORT_SECONDS
    print(f"  mål ≤ {TARGET_EXPORT_SECONDS:g} s: {'uppfyllt' if ok else 'INTE uppfyllt'}")
    if misses or not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
