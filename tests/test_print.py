"""Both workbooks print as a reader needs them: converted to PDF by LibreOffice (Debian's
``libreoffice-calc-nogui``; ``pdftotext`` from ``poppler-utils``), as a ministry officer would
print them.

- a sensible number of pages, every county's name present;
- no text cut: the last words of every long observation and cluster assessment are on a page
  (a row too low for its wrapped text would hide them);
- the national chart whole on a page of its own, not split by a page break;
- the wide Projekt sheets at readable type (at least 8 points), over pages across instead of
  shrunk to one page's width.

A missing converter fails the test with what to install: a skipped print check hides the problem
it exists to find.
"""

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest

from agreements.models import County
from followup.exports.county import write_county_workbook
from followup.exports.national import write_national_workbook
from followup.models import ReportStatus, Theme
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db

COUNTIES = ("04", "05", "12")
LONG = (
    "Länet har under året fördjupat kontakterna med de lokala partnerskapen i flera kommuner. "
    "Kommunerna, de lokala organisationerna, företagarna och engagerade privatpersoner möts nu "
    "regelbundet, och projektägarna får stöd i hur ett projekt formas inom avtalets ramar. "
)


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"The print tests need {name} (Debian package {package}): "
            f"apt-get install {package} — bin/test installs it when run as root.",
            pytrace=False,
        )
    return found


def marker(code: str, n: int) -> str:
    return f"Slutord{code}x{n}"


@pytest.fixture
def printed(tmp_path):
    """Three counties' registers and submitted reports with long texts, both workbooks as PDF:
    name → list of page texts (and the PDF's path)."""
    soffice = tool("soffice", "libreoffice-calc-nogui")
    round_obj = builders.follow_up_round(year=2001)
    for code in COUNTIES:
        exports_builders.register(county_code=code, projects=4)
        builders.cluster(
            county_code=code,
            name=f"Fordonskluster {code}",
            description=LONG * 2 + marker(code, 99),
        )
        report = builders.county_report(round_obj=round_obj, county_code=code, summary=LONG)
        for n, theme in enumerate(Theme.objects.all()):
            builders.observation(
                report=report, theme=theme, assessment=3, text=LONG * (1 + n % 3) + marker(code, n)
            )
        builders.set_status(report, ReportStatus.SUBMITTED)
    paths = {}
    for name, write, kwargs in (
        ("lan04", write_county_workbook, {"county": County.objects.get(code="04"),
                                          "show_report": True}),
        ("nationell", write_national_workbook, {}),
    ):  # fmt: skip
        path = tmp_path / f"{name}.xlsx"
        write(str(path), round_obj=round_obj, **kwargs)
        paths[name] = path
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, paths.values())],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {name: (pages(path.with_suffix(".pdf")), path.with_suffix(".pdf")) for name, path in
            paths.items()}  # fmt: skip


def pages(pdf: Path) -> list[str]:
    pdftotext = tool("pdftotext", "poppler-utils")
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True)
    return text.stdout.split("\f")[:-1]


def sheet_pages(all_pages: list[str], sheet: str) -> list[int]:
    """The pages of one sheet (1-based), by the footer every page carries: "Projekt · sida 8 av
    19"."""
    footer = re.compile(rf"^\s*{re.escape(sheet)} · sida \d+ av \d+\s*$", re.MULTILINE)
    return [n for n, text in enumerate(all_pages, start=1) if footer.search(text)]


def word_heights(pdf: Path, page: int) -> list[float]:
    pdftotext = tool("pdftotext", "poppler-utils")
    boxes = subprocess.run(
        [pdftotext, "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [
        float(y_max) - float(y_min)
        for y_min, y_max in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes)
    ]


def test_the_county_workbook_prints_whole(printed):
    county_pages, _pdf = printed["lan04"]
    assert 6 <= len(county_pages) <= 30, len(county_pages)
    everything = "\n".join(county_pages)
    assert "Södermanlands län" in everything
    for n in range(Theme.objects.count()):
        assert marker("04", n) in everything, f"observation {n} cut off in print"
    assert marker("04", 99) in everything, "the cluster assessment cut off in print"
    charts = sheet_pages(county_pages, "Diagram")
    assert len(charts) == 2  # a page per chart
    assert "Ram, beslutat och utfall per insatsområde" not in county_pages[charts[1] - 1]


def test_the_national_workbook_prints_whole_with_its_chart_on_a_page_of_its_own(printed):
    national_pages, pdf = printed["nationell"]
    assert 10 <= len(national_pages) <= 80, len(national_pages)
    everything = "\n".join(national_pages)
    for county in County.objects.all():
        assert county.short_name in everything
    for code in COUNTIES:
        for n in range(Theme.objects.count()):
            assert marker(code, n) in everything, f"{code}: observation {n} cut off in print"

    financing = sheet_pages(national_pages, "Finansiering per län")
    assert len(financing) == 2  # the table, then the chart
    table, chart = (national_pages[n - 1] for n in financing)
    assert "Hela landet" in table and "Miljoner kronor" not in table
    assert "Beslutad finansiering per län och källkategori" in chart
    assert "Miljoner kronor" in chart  # the axis title at the chart's foot: not split
    assert "Hela landet" not in chart

    projects = sheet_pages(national_pages, "Projekt")
    assert len(projects) >= 2  # too wide for one page at readable type: pages across
    heights = word_heights(pdf, projects[0])
    # DejaVu Sans boxes are 1.29 × the type size: 8 points print as boxes of 10.3.
    assert statistics.median(heights) >= 10.3, "the Projekt sheet prints below 8 points"
