"""Hostile workbooks at full size, for ``bench/import.py --hostile``.

Each is a county template (as downloaded) with one thing changed the way an attacker would, and
each stays under IMPORT_MAX_BYTES: the size check alone refuses none of them. With the real
limits (IMPORT_MAX_ROWS 20 000) they are what the import must refuse or accept cheaply.
"""

import base64
import importlib.util
import io
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PORT = 8022
UPLOADERS = ["samordnare04", "samordnare05", "samordnare03", "samordnare06", "samordnare07"]
PASSWORD = "demo-samordnare-2026"

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PROJECTS = "xl/worksheets/sheet2.xml"  # the template's sheet order: Instruktioner, Projekt, …
STRINGS = "xl/sharedStrings.xml"


def rezip(template: bytes, *, replace=None, add=None, drop=()) -> bytes:
    replace, add = replace or {}, add or {}
    target = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new,
    ):
        for name in old.namelist():
            if name not in drop:
                new.writestr(name, replace.get(name, old.read(name)))
        for name, data in add.items():
            new.writestr(name, data)
    return target.getvalue()


def _strings(items) -> bytes:
    return b'<sst xmlns="%s">%s</sst>' % (MAIN, b"".join(b"<si><t>%s</t></si>" % i for i in items))


def _sheet(rows: bytes) -> bytes:
    return b'<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (MAIN, rows)


def _more_strings(template: bytes, items) -> bytes:
    """The template's own shared strings, then ``items`` after them."""
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        table = archive.read(STRINGS)
    extra = b"".join(b"<si><t>%s</t></si>" % item for item in items)
    table = re.sub(rb' (?:count|uniqueCount)="\d+"', b"", table).replace(
        b"</sst>", extra + b"</sst>"
    )
    return rezip(template, replace={STRINGS: table})


def _more_rows(template: bytes, rows: bytes) -> bytes:
    """The Projekt sheet with ``rows`` after its own (header and prefilled projects)."""
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        sheet = archive.read(PROJECTS)
    return rezip(
        template, replace={PROJECTS: sheet.replace(b"</sheetData>", rows + b"</sheetData>", 1)}
    )


def strings_bomb(template: bytes) -> bytes:
    """The upload that stalled the site: ten million short strings, some 190 MB unpacked, that
    compress about twenty times — under the ratio cap."""
    return _more_strings(template, (b"%d" % (n % 10) for n in os.urandom(10_000_000)))


def strings_count(template: bytes) -> bytes:
    """Three million strings: fewer bytes than a template may have, more strings."""
    return _more_strings(template, (b"%d" % n for n in os.urandom(3_000_000)))


def strings_near_limit(template: bytes) -> bytes:
    """Just under every limit: 520 000 distinct strings, all of which openpyxl must load."""
    return _more_strings(template, (b"Projekt %07d" % n for n in range(520_000)))


def big_strings(template: bytes) -> bytes:
    """A few strings of megabytes of text that does not compress."""
    return _more_strings(
        template, (base64.b64encode(os.urandom(2 * 1024 * 1024)) for _ in range(3))
    )


def cells_count(template: bytes) -> bytes:
    """Two million empty cells in the Projekt sheet: under its byte limit."""
    letters = b"ABCDEFGHIJKLMNOPQRST"
    return _more_rows(
        template,
        b"".join(
            b'<row r="%d">%s</row>' % (r, b"".join(b'<c r="%c%d"/>' % (c, r) for c in letters))
            for r in range(30, 100_030)
        ),
    )


def cells_near_limit(template: bytes) -> bytes:
    """Numbers in every template column of 60 000 rows: under the cell limit; read until the
    row limit."""
    letters = b"ABCDEFGHIJKLM"
    return _more_rows(
        template,
        b"".join(
            b'<row r="%d">%s</row>'
            % (r, b"".join(b'<c r="%c%d"><v>%d</v></c>' % (c, r, r) for c in letters))
            for r in range(30, 60_030)
        ),
    )


def ratio_bomb(template: bytes) -> bytes:
    """Compresses a thousand times."""
    return rezip(template, replace={PROJECTS: _sheet(b" " * (150 * 1024 * 1024))})


def million_empty_rows(template: bytes) -> bytes:
    rows = b"".join(b'<row r="%d"/>' % r for r in range(2, 1_048_577))
    return rezip(template, replace={PROJECTS: _sheet(rows)})


def laughs(template: bytes) -> bytes:
    entities = b"".join(
        b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10 if n else b"lol") for n in range(10)
    )
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE w [%s]><worksheet xmlns="%s"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>'
        % (entities, MAIN)
    )
    return rezip(template, replace={PROJECTS: sheet})


def worksheet_as_comments(template: bytes) -> bytes:
    """The Projekt sheet stored at xl/comments9.xml, declared a worksheet, with a formula."""
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        rels = archive.read("xl/_rels/workbook.xml.rels")
        types = archive.read("[Content_Types].xml")
        sheet = archive.read(PROJECTS)
    rels = rels.replace(b"worksheets/sheet2.xml", b"comments9.xml")
    types = types.replace(b"/xl/worksheets/sheet2.xml", b"/xl/comments9.xml")
    sheet = sheet.replace(
        b"</sheetData>", b'<row r="40"><c r="C40"><f>1+1</f></c></row></sheetData>', 1
    )
    return rezip(
        template,
        drop=(PROJECTS,),
        replace={"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types},
        add={"xl/comments9.xml": sheet},
    )


def unnamed_part(template: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        sheet = archive.read(PROJECTS)
    return rezip(template, add={"xl/comments9.xml": sheet})


CORPUS = {
    "strings bomb (10 M strings)": strings_bomb,
    "3 M strings": strings_count,
    "520 000 strings (under the limits)": strings_near_limit,
    "3 strings of 2,7 MB": big_strings,
    "2 M empty cells": cells_count,
    "60 000 rows of numbers": cells_near_limit,
    "compression ratio 1000": ratio_bomb,
    "1 048 576 empty rows": million_empty_rows,
    "entity expansion": laughs,
    "worksheet as xl/comments9.xml": worksheet_as_comments,
    "part nothing names": unnamed_part,
}


# --- the run ----------------------------------------------------------------------------------


def read_each(files: dict[str, bytes], county, user) -> list[tuple]:
    from agreements.imports.services import projects_import
    from core import sandbox

    rows = []
    for name, data in files.items():
        started = time.perf_counter()
        result = projects_import(county=county, user=user, file=io.BytesIO(data), dry_run=True)
        wall = time.perf_counter() - started
        usage = sandbox.last_usage
        outcome = "accepted" if result.ok else "refused: " + result.problems[0].message[:70]
        rows.append(
            (name, len(data), usage.cpu_seconds, usage.peak_bytes, usage.own_bytes, wall, outcome)
        )
    return rows


def print_reads(rows: list[tuple]) -> None:
    mb = 1024 * 1024
    print(
        f"\n{'file':38} {'MB':>5} {'CPU s':>6} {'peak MB':>8} {'own MB':>6} {'wall s':>6}  outcome"
    )
    worst_cpu = worst_peak = 0.0
    # peak: the child's resident size, the pages it shares with the server's process included;
    # own: the memory it wrote itself (what the sandbox's memory limit counts).
    for name, size, cpu, peak, own, wall, outcome in rows:
        grow = own / mb
        print(
            f"{name:38} {size / mb:5.1f} {cpu:6.2f} {peak / mb:8.0f} {grow:6.0f} {wall:6.2f}"
            f"  {outcome}"
        )
        worst_cpu, worst_peak = max(worst_cpu, cpu), max(worst_peak, own / mb)
    verdict = "within" if worst_cpu <= 5 and worst_peak <= 300 else "ABOVE"
    print(
        f"Worst: {worst_cpu:.2f} s CPU, {worst_peak:.0f} MB of its own: {verdict} the target "
        "(5 s, 300 MB)."
    )


def serve(database: Path):
    static = OUT / "static-hostile"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static),
        "LOG_LEVEL": "WARNING",
        "IMPORT_UPLOAD_DIR": str(OUT / "uploads-hostile"),
    }
    python = Path(sys.executable)
    subprocess.run(
        [python, ROOT / "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    log = open(OUT / "gunicorn-hostile.log", "w")  # noqa: SIM115 - open until the server stops
    server = subprocess.Popen(
        [
            python.parent / "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "--workers",
            "5",
            "--timeout",
            "30",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return server


def _load_bench():
    """bench/load/run.py: its login and its server helpers, shared rather than copied."""
    spec = importlib.util.spec_from_file_location(
        "bench_load_run", ROOT / "bench" / "load" / "run.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def logged_in(base: str, username: str, password: str):
    return _load_bench().logged_in(base, username, password)


def upload_loop(base, username, county_code, files, stop, results):
    session = logged_in(base, username, PASSWORD)
    url = f"{base}/omgang/2001/lan/{county_code}/importera/"
    session.get(url, timeout=30)
    while not stop.is_set():
        for name, data in files:
            if stop.is_set():
                break
            started = time.perf_counter()
            response = session.post(
                url,
                data={"csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
                files={"file": ("mall.xlsx", data)},
                headers={"Referer": url},
                timeout=120,
            )
            results.append((name, _outcome(response), time.perf_counter() - started))


def _outcome(response) -> str:
    text = response.text
    for words, outcome in (
        ("Servern läser in många filer", "server busy"),
        ("redan en import", "user busy"),
        ("Förhandsgranskning", "read"),
    ):
        if words in text:
            return outcome
    return f"HTTP {response.status_code}"


def probe_loop(base, stop, times):
    import requests

    reviewer = logged_in(base, "departementet", "demo-departementet-2026")
    while not stop.is_set():
        for key, call in (
            ("/halsa/", lambda: requests.get(f"{base}/halsa/", timeout=30)),
            ("board", lambda: reviewer.get(f"{base}/omgang/2001/", timeout=30)),
        ):
            started = time.perf_counter()
            try:
                status = call().status_code
            except Exception:  # noqa: BLE001 - a timeout counts as slow
                status = 0
            times.setdefault(key, []).append((time.perf_counter() - started, status))
        time.sleep(0.2)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values or [0])[0]


def under_load(database: Path, files: list[tuple[str, bytes]], uploads: int, seconds: int) -> None:
    import requests

    base = f"http://127.0.0.1:{PORT}"
    server = serve(database)
    try:
        for _ in range(120):
            try:
                if requests.get(f"{base}/halsa/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        stop, results, times = threading.Event(), [], {}
        prober = threading.Thread(target=probe_loop, args=(base, stop, times))
        prober.start()
        time.sleep(3)  # a baseline before the uploads begin
        quiet = {key: [t for t, _s in values] for key, values in times.items()}
        workers = [
            threading.Thread(
                target=upload_loop,
                args=(base, username, re.sub(r"\D", "", username), files, stop, results),
            )
            for username in UPLOADERS[:uploads]
        ]
        for worker in workers:
            worker.start()
        time.sleep(seconds)
        stop.set()
        for worker in workers + [prober]:
            worker.join()
    finally:
        server.terminate()
        server.wait(30)
    print(
        f"\n{uploads} coordinators uploading hostile files for {seconds} s under gunicorn "
        "(5 workers):"
    )
    statuses: dict[str, int] = {}
    for _name, outcome, _t in results:
        statuses[outcome] = statuses.get(outcome, 0) + 1
    upload_times = [t for _n, _s, t in results]
    print(
        f"  uploads answered: {len(results)} {statuses}, p95 {p95(upload_times):.2f} s, "
        f"max {max(upload_times or [0]):.2f} s"
    )
    for key, values in times.items():
        during = [t for t, _s in values[len(quiet.get(key, [])) :]]
        failures = sum(1 for _t, s in values if s != 200)
        verdict = "within" if p95(during) <= 1 else "ABOVE"
        print(
            f"  {key:8} p50 {statistics.median(during):.3f} s, p95 {p95(during):.3f} s, max "
            f"{max(during):.3f} s ({len(during)} requests, {failures} not 200; quiet p95 "
            f"{p95(quiet.get(key, [0])):.3f} s): {verdict} the target p95 ≤ 1 s"
        )


def main(args, build_file) -> int:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from agreements.imports.template import write_template
    from agreements.models import County

    county = County.objects.get(code="04")
    user = get_user_model().objects.get(username="samordnare04")
    buffer = io.BytesIO()
    write_template(buffer, county=county)
    template = buffer.getvalue()
    limit = settings.IMPORT_MAX_BYTES
    files = {}
    print(
        f"Building the corpus (IMPORT_MAX_ROWS {settings.IMPORT_MAX_ROWS}, "
        f"IMPORT_MAX_BYTES {limit / 1024 / 1024:.0f} MB) …",
        flush=True,
    )
    for name, make in CORPUS.items():
        data = make(template)
        if len(data) > limit:
            print(f"  {name}: {len(data) / 1024 / 1024:.1f} MB, over IMPORT_MAX_BYTES: left out")
            continue
        files[name] = data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "real.xlsx"
        rows = settings.IMPORT_MAX_ROWS - 200  # room for the county's own projects and lines
        build_file(path, county, rows)
        files[f"real: {rows} projects + lines"] = path.read_bytes()
    print_reads(read_each(files, county, user))
    from django.db import connection

    database = Path(connection.settings_dict["NAME"])
    # The costly ones: just under the limits, over them by count, and the real template.
    worst = [(n, d) for n, d in files.items() if "under" in n or " M " in n or "real" in n]
    if args.uploads:
        under_load(database, worst, args.uploads, args.seconds)
    return 0
