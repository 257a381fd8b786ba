"""An import split across two app servers (run.py --servers 2): previewed on one, confirmed on
the other, as nginx may route a user's two requests. Talks to each server's own port, so that
the two steps surely reach different servers, with one browser session (cookies are per host,
not per port). Then the same preview is confirmed again, and a second one on both servers at
once. Each must save exactly once: counted in the database.
"""

import io
import re
import threading
import uuid

from servers import logged_in

PROJECTS, FINANCING = "Projekt", "Finansiering"
# What a confirmation that saved nothing says, shortened.
NOT_SAVED = [
    ("Du har redan en import som läses in eller sparas", "användarens andra import pågår"),
    ("Registret har ändrats sedan förhandsgranskningen", "registret ändrat, granska igen"),
    ("Servern läser in många filer just nu", "servern läser redan filer"),
]


def _new_project_file(template: bytes, reference_number: str) -> bytes:
    """The county's template with one new project, a copy of its first without an ID, and
    none of its other projects or financing lines."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book[PROJECTS]
    # Headers as the import reads them: "Diarienummer *" is "diarienummer".
    header = [" ".join(str(c.value or "").replace("*", " ").split()).casefold() for c in sheet[1]]
    row = {name: cell.value for name, cell in zip(header, sheet[2], strict=False)}
    row["id"] = None
    row["diarienummer"] = reference_number
    row["projektnamn"] = f"Övning: import över två servrar {reference_number}"
    # Only the new row: the import leaves rows absent from the file alone (and a county's whole
    # template may hold more financing lines than IMPORT_MAX_ROWS at national scale).
    for name in (PROJECTS, FINANCING):
        book[name].delete_rows(2, book[name].max_row)
    empty = 2
    for column, name in enumerate(header, start=1):
        sheet.cell(empty, column, row.get(name))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csrf(browser, url: str) -> str:
    page = browser.get(url, timeout=60)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _preview(browser, server: str, path: str, file: bytes) -> str | None:
    answer = browser.post(
        server + path,
        data={"csrfmiddlewaretoken": _csrf(browser, server + path)},
        files={"file": ("mall.xlsx", file)},
        timeout=120,
    )
    token = re.search(r'name="token" value="([^"]+)"', answer.text)
    return token.group(1) if token else None


def _confirm(browser, server: str, path: str, token: str) -> str:
    """Where the confirmation leads: "sparad" (the county page), "borta" (the preview is gone),
    or the status and what the page says."""
    answer = browser.post(
        server + path + "spara/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "token": token},
        allow_redirects=False,
        timeout=120,
    )
    location = answer.headers.get("Location", "")
    if answer.status_code == 302 and location.endswith("/importera/"):
        return "borta"
    if answer.status_code == 302:
        return "sparad"
    said = next((short for text, short in NOT_SAVED if text in answer.text), "")
    return f"{answer.status_code} {said}".strip()


def run(*, first: str, second: str, year: int, code: str, password: str, connect) -> dict:
    """Preview on ``first``, confirm on ``second`` (then again on ``first``); a second preview
    confirmed on both at once. Returns what each step answered and the rows in the database."""
    browser = logged_in(first, f"samordnare{code}", password)
    template = browser.get(f"{first}/lan/{code}/importmall.xlsx", timeout=120)
    template.raise_for_status()
    path = f"/omgang/{year}/lan/{code}/importera/"
    split, both = (f"OVNING-{uuid.uuid4().hex[:8]}" for _ in range(2))

    token = _preview(browser, first, path, _new_project_file(template.content, split))
    steps = {"förhandsgranskning (server 1)": "väntar" if token else "ingen token"}
    if token:
        steps["spara (server 2)"] = _confirm(browser, second, path, token)
        steps["spara igen (server 1)"] = _confirm(browser, first, path, token)

    token = _preview(browser, second, path, _new_project_file(template.content, both))
    answers: dict[str, str] = {}
    if token:
        start = threading.Barrier(2)

        def click(name: str, server: str) -> None:
            start.wait(30)
            answers[name] = _confirm(browser, server, path, token)

        clicks = [
            threading.Thread(target=click, args=(name, server))
            for name, server in (("server 1", first), ("server 2", second))
        ]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join(180)
    steps["spara samtidigt på båda"] = ", ".join(f"{k}: {v}" for k, v in sorted(answers.items()))

    with connect() as conn:
        saved = {
            number: conn.execute(
                "SELECT COUNT(*), (SELECT COUNT(*) FROM agreements_historicalproject h"
                " WHERE h.reference_number = %s) FROM agreements_project p"
                " WHERE p.reference_number = %s",
                [number, number],
            ).fetchone()
            for number in (split, both)
        }
    counted = {
        number: {"rows": rows, "history": history} for number, (rows, history) in saved.items()
    }
    return {
        "steps": steps,
        "saved": counted,
        "ok": steps.get("spara (server 2)") == "sparad"
        and steps.get("spara igen (server 1)") == "borta"
        and list(answers.values()).count("sparad") == 1
        and all(rows == {"rows": 1, "history": 1} for rows in counted.values()),
    }
