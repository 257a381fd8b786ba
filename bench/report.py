"""Benchmark of the yearly report (Word) at national scale.

    .venv/bin/python bench/report.py [--projects 100000] [--rebuild]

Uses the national-scale demo data of ``bench/export.py`` (bench/out/national.sqlite3, built with
``seed_demo --replace --projects N`` when missing) and prints, for the whole report and for the
largest county's presentation alone: the time to write it, its peak memory (the child process's
maximum resident set, Python, Django and matplotlib included), the number of charts and the
file's size. Each runs in its own process, three times; the fastest run counts.

Targets (issue 17): the whole report ≤ 30 s and ≤ 300 MB; a county's presentation ≤ 2 s.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export import DATABASE, ROOT, django_setup, ensure_data, peak_mb, run_child  # noqa: E402

TARGETS = {"report": (30.0, 300), "county": (2.0, 300)}
REPEAT = 3


def child(which: str, county_code: str) -> dict:
    django_setup()
    from agreements.models import County
    from followup.models import FollowUpRound
    from followup.report.write import write_report

    round_obj = FollowUpRound.objects.order_by("-year").first()
    county = County.objects.get(code=county_code) if which == "county" else None
    baseline = peak_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rapport.docx"
        started = time.perf_counter()
        result = write_report(path, round_obj=round_obj, county=county)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "baseline_mb": baseline,
        "charts": result.charts,
        "counties": len(result.counties),
        "size_mb": size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1])))
        return

    ensure_data(args.projects, args.rebuild)
    largest = run_child("largest")  # bench/export.py's: the county with the most projects
    where = DATABASE.relative_to(ROOT)
    print(f"Data: {where}; största län {largest['name']} ({largest['n']} projekt).")
    for which, label in (
        ("report", "Hela rapporten"),
        ("county", f"Länets presentation ({largest['name']})"),
    ):
        best = min(
            (run_child(which, largest["code"], script=__file__) for _ in range(REPEAT)),
            key=lambda run: run["seconds"],
        )
        seconds, megabytes = TARGETS[which]
        ok = best["seconds"] <= seconds and best["peak_mb"] <= megabytes
        print(
            f"{label}: {best['seconds']:.2f} s, toppminne {best['peak_mb']:.0f} MB "
            f"(varav Python och Django före skrivningen {best['baseline_mb']:.0f} MB), "
            f"{best['counties']} län, {best['charts']} diagram, fil {best['size_mb']:.1f} MB; "
            f"mål ≤ {seconds:.0f} s och ≤ {megabytes} MB: {'uppfyllt' if ok else 'INTE uppfyllt'}",
            flush=True,
        )


if __name__ == "__main__":
    main()
