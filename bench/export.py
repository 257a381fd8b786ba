"""Benchmark of the workbooks at national scale.

    .venv/bin/python bench/export.py [--projects 100000] [--rebuild]

Builds (or reuses) national-scale demo data in bench/out/national.sqlite3 with
``seed_demo --replace --projects N``, then prints, for the national workbook and for the largest
county's workbook: the time to write it, its peak memory (the child process's maximum resident
set, Python and Django included), the floor — XlsxWriter in constant_memory mode writing the
same data rows from plain Python lists already in memory, with ``write_row`` and no formats —
and the ratio of the two. Each measurement runs in its own process, three times; the fastest
run counts (peak memory is that run's).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATABASE = OUT / "national.sqlite3"
TARGET_RATIO = 1.3
TARGET_MB = 150
REPEAT = 3


def django_setup():
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# --- child processes ---------------------------------------------------------------------------


def child_export(which: str, county_code: str) -> dict:
    django_setup()
    from agreements.models import County
    from followup.exports.county import write_county_workbook
    from followup.exports.national import write_national_workbook
    from followup.models import FollowUpRound

    round_obj = FollowUpRound.objects.order_by("-year").first()
    county = County.objects.get(code=county_code)
    baseline = peak_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.xlsx"
        started = time.perf_counter()
        if which == "national":
            result = write_national_workbook(path, round_obj=round_obj)
        else:
            result = write_county_workbook(
                path, county=county, round_obj=round_obj, show_report=True
            )
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "baseline_mb": baseline,
        "rows": result.rows,
        "size_mb": size / 1e6,
    }


def child_floor(which: str, county_code: str) -> dict:
    django_setup()
    import xlsxwriter

    from agreements.models import County
    from followup.models import FollowUpRound
    from followup.selectors import exports as rows
    from followup.selectors.figures import agreement_for_year

    round_obj = FollowUpRound.objects.order_by("-year").first()
    year = round_obj.year
    if which == "national":
        ids = [a.pk for a in rows.agreements_in_force(year=year).values()]
        sheets = [
            list(rows.project_rows(agreement_ids=ids, year=year)),
            list(rows.shown_observation_rows(round_id=round_obj.pk)),
        ]
    else:
        county = County.objects.get(code=county_code)
        ids = [agreement_for_year(county_id=county.pk, year=year).pk]
        sheets = [
            [row[1:] for row in rows.project_rows(agreement_ids=ids, year=year)],
            list(rows.financing_line_rows(agreement_ids=ids, year=year)),
            list(rows.partnership_member_rows(county_id=county.pk)),
            list(rows.cluster_actor_rows(county_id=county.pk)),
            list(rows.cluster_link_rows(county_id=county.pk)),
        ]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        book = xlsxwriter.Workbook(str(Path(tmp) / "floor.xlsx"), {"constant_memory": True})
        for data in sheets:
            sheet = book.add_worksheet()
            for r, row in enumerate(data):
                sheet.write_row(r, 0, row)
        book.close()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": [len(data) for data in sheets]}


# --- the parent --------------------------------------------------------------------------------


def ensure_data(projects: int, rebuild: bool) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DATABASE}", "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    if DATABASE.exists() and not rebuild:
        # Data built by an earlier version is brought to today's schema before it is reused.
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        count = subprocess.run(
            [sys.executable, __file__, "--child", "count"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if count == str(projects):
            print(f"Återanvänder {DATABASE.relative_to(ROOT)} ({projects} projekt).")
            return
    print(f"Bygger demodata med {projects} projekt i {DATABASE.relative_to(ROOT)} …", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--replace", "--projects", str(projects), "-v0"],
        env=env,
        check=True,
    )


def run_child(*child: str, script: str = __file__, env: dict | None = None) -> dict:
    """Run ``script --child …`` in a process of its own (with ``env``, else this process's
    environment); its last line of output, as JSON."""
    output = subprocess.run(
        [sys.executable, script, "--child", *child],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "count":
            django_setup()
            from agreements.models import Project

            print(Project.objects.count())
        elif args.child[0] == "largest":
            django_setup()
            from django.db.models import Count

            from agreements.models import County

            county = County.objects.annotate(n=Count("projects")).order_by("-n", "code").first()
            print(json.dumps({"code": county.code, "name": county.short_name, "n": county.n}))
        else:
            run = child_export if args.child[0] == "export" else child_floor
            print(json.dumps(run(args.child[1], args.child[2])))
        return

    ensure_data(args.projects, args.rebuild)
    largest = run_child("largest")
    print(
        f"Största län: {largest['name']} ({largest['n']} projekt), "
        f"{os.cpu_count()} processorkärnor."
    )
    for which, label in (
        ("national", "Nationell arbetsbok"),
        ("county", f"Länets arbetsbok ({largest['name']})"),
    ):
        # Best of REPEAT runs each, so a busy moment on the machine does not decide the ratio.
        export = min(
            (run_child("export", which, largest["code"]) for _ in range(REPEAT)),
            key=lambda run: run["seconds"],
        )
        floor = min(
            (run_child("floor", which, largest["code"]) for _ in range(REPEAT)),
            key=lambda run: run["seconds"],
        )
        ratio = export["seconds"] / floor["seconds"]
        ok = ratio <= TARGET_RATIO and export["peak_mb"] <= TARGET_MB
        print(
            f"{label}: {export['seconds']:.2f} s, toppminne {export['peak_mb']:.0f} MB "
            f"(varav Python och Django före skrivningen {export['baseline_mb']:.0f} MB), "
            f"fil {export['size_mb']:.1f} MB, rader {export['rows']}\n"
            f"  golv (XlsxWriter constant_memory, write_row ur listor, {floor['rows']} rader): "
            f"{floor['seconds']:.2f} s\n"
            f"  kvot {ratio:.2f} (mål ≤ {TARGET_RATIO}), minne mål ≤ {TARGET_MB} MB: "
            f"{'uppfyllt' if ok else 'INTE uppfyllt'}",
            flush=True,
        )


if __name__ == "__main__":
    main()
