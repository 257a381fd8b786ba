"""Totals as a user reads them: the project list sums every filtered row (not the page's only),
from the same rows the list and its downloads hold; the county page's financing tables end with
their totals (100 % and the outcome); the financing page has a row for the whole country that is
the sum of the county rows."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import FinancingLine, Project
from core import formats
from followup.selectors import lists
from tests import builders, exports_builders
from tests.test_site_register import _Tables

pytestmark = pytest.mark.django_db

DECIDED, OUTCOME = FinancingLine.Kind.DECIDED, FinancingLine.Kind.OUTCOME
SOURCES = exports_builders.SOURCES
STATUSES = [Project.Status.ONGOING, Project.Status.GRANTED, Project.Status.FINISHED]
# Amounts in turn, edge amounts among them: 0 kr, 1 öre, öre in a large amount.
AMOUNTS = ["0", "0.01", "125000", "1999999.99", "350000", "42"]


def table_after(html: str, caption: str) -> list[list[str]]:
    """The rows of the table whose caption holds ``caption`` (th and td texts)."""
    start = html.rindex("<table", 0, html.index(caption))
    parser = _Tables()
    parser.feed(html[start : html.index("</table>", start) + len("</table>")])
    return next(iter(parser.tables.values()))


def kronor(value) -> str:
    """An amount as the pages write it (core.formats), spaces as the table reads them."""
    return " ".join(formats.kronor(value).split())


def number(text: str) -> Decimal:
    """A Swedish amount as the pages write it, read back ("1 250 000,50", "12 kr")."""
    return Decimal("".join(text.replace("kr", "").split()).replace(",", "."))


@pytest.fixture
def country():
    """55 projects in Södermanland — more than a page — and 4 in Östergötland, each with a few
    financing lines of several sources, years and both kinds; the lines as built, by project."""
    made: dict[int, dict] = {}
    measures = {
        code: builders.measure(
            area=builders.priority_area(agreement_obj=builders.agreement(county_code=code))
        )
        for code in ("04", "05")
    }
    for i in range(59):
        code = "04" if i < 55 else "05"
        project = builders.project(
            measure_obj=measures[code],
            reference_number=f"{code}-{i:04d}",
            title=("Turism i länet" if i % 5 == 0 else "Utvecklingsprojekt") + f" {i}",
            status=STATUSES[i % 3],
        )
        lines = [
            (2000 + i % 3, SOURCES[i % 6], DECIDED, AMOUNTS[i % 6]),
            (2001, SOURCES[(i + 2) % 6], DECIDED, str(1000 * i)),
        ]
        if i % 2:
            lines.append((2002, SOURCES[(i + 1) % 6], OUTCOME, AMOUNTS[(i + 3) % 6]))
        if i % 7 == 0:
            lines.append((2003, "kommun", OUTCOME, "0.01"))
        for year, source, kind, amount in lines:
            builders.financing_line(
                project_obj=project, year=year, kind=kind, amount=amount,
                source_obj=builders.source(source),
            )  # fmt: skip
        made[project.pk] = {"project": project, "county": code, "lines": lines}
    return made


def expected(country, keep) -> dict:
    chosen = [p for p in country.values() if keep(p)]
    return {
        "count": len(chosen),
        "decided": sum(
            (Decimal(a) for p in chosen for _y, _s, k, a in p["lines"] if k == DECIDED),
            Decimal(0),
        ),
        "outcome": sum(
            (Decimal(a) for p in chosen for _y, _s, k, a in p["lines"] if k == OUTCOME),
            Decimal(0),
        ),
    }


def _decided(p) -> Decimal:
    return sum((Decimal(a) for _y, _s, k, a in p["lines"] if k == DECIDED), Decimal(0))


FILTERS = {
    "": lambda p: True,
    "?sida=2": lambda p: True,  # the second page: still every row's sums
    "?ordering=-decided_total": lambda p: True,
    "?county=05": lambda p: p["county"] == "05",
    "?status=pagaende": lambda p: p["project"].status == Project.Status.ONGOING,
    "?source=kommun": lambda p: any(s == "kommun" for _y, s, _k, _a in p["lines"]),
    "?year=2002": lambda p: any(y == 2002 for y, _s, _k, _a in p["lines"]),
    "?source=privat&year=2001": lambda p: any(
        (y, s) == (2001, "privat") for y, s, _k, _a in p["lines"]
    ),
    "?q=turism": lambda p: p["project"].title.startswith("Turism"),
    "?amount_min=100000&ordering=title": lambda p: _decided(p) >= 100000,
    "?county=04&amount_max=41999": lambda p: p["county"] == "04" and _decided(p) <= 41999,
}


@pytest.mark.parametrize("query", list(FILTERS))
def test_the_project_list_sums_every_filtered_row_as_the_lines_add_up(
    client, reviewer, country, query
):
    client.force_login(reviewer)
    response = client.get(reverse("site:projects") + query)
    want = expected(country, FILTERS[query])
    assert want["count"] > 0
    assert response.context["totals"] == want
    assert response.context["page"].paginator.count == want["count"]
    html = response.content.decode()
    totals = html[html.index('<dl class="list-totals">') : html.index("</dl>")]
    assert formats.kronor(want["decided"]) in totals
    assert formats.kronor(want["outcome"]) in totals


def test_the_totals_are_the_sums_of_the_rows_the_download_holds(client, reviewer, country):
    client.force_login(reviewer)
    query = "?year=2002&status=avslutat"
    page = client.get(reverse("site:projects") + query)
    download = client.get(reverse("site:projects_csv") + query)
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1:]
    assert len(rows) == page.context["totals"]["count"]
    assert sum(number(row[-1]) for row in rows) == page.context["totals"]["decided"]


def test_a_coordinator_sums_their_own_countys_rows(client, coordinator_04, country):
    client.force_login(coordinator_04)
    response = client.get(reverse("site:projects"))
    assert response.context["totals"] == expected(country, lambda p: p["county"] == "04")


def test_the_totals_say_they_cover_every_year_and_source_when_those_filter(
    client, reviewer, country
):
    client.force_login(reviewer)
    note = "Summorna är projektens hela finansiering"
    assert note in client.get(reverse("site:projects") + "?year=2002").content.decode()
    assert note not in client.get(reverse("site:projects") + "?county=04").content.decode()


def test_no_totals_when_nothing_matches(client, reviewer, country):
    client.force_login(reviewer)
    response = client.get(reverse("site:projects") + "?q=finns-inte")
    assert response.context["totals"]["count"] == 0
    assert "list-totals" not in response.content.decode()


def test_project_totals_is_the_selectors_sum(reviewer, country):
    filterset = lists.project_filter(user=reviewer, params={"county": "04"})
    assert lists.project_totals(filterset.qs) == expected(country, lambda p: p["county"] == "04")


# --- the county page and the financing page -----------------------------------------------------


@pytest.fixture
def registers():
    builders.follow_up_round(year=2001)
    for code in ("04", "05", "06"):
        exports_builders.register(county_code=code, projects=2 + int(code) % 3)


def test_the_county_pages_financing_tables_end_with_their_totals(client, reviewer, registers):
    client.force_login(reviewer)
    html = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    by_source = table_after(html, "Beslutad finansiering och utfall per kategori av källa")
    decided = exports_builders.decided("04")
    outcome = exports_builders.amount("04", None, OUTCOME)
    assert outcome > 0
    assert by_source[-1] == ["Totalt", kronor(decided), "100 %", kronor(outcome)]
    assert sum(number(row[1]) for row in by_source[1:-1]) == number(by_source[-1][1])
    by_area = table_after(html, "Belopp i kronor per insatsområde")
    assert by_area[-1][0] == "Totalt"
    for column in (1, 2, 3):
        assert sum(number(row[column]) for row in by_area[1:-1]) == number(by_area[-1][column])


def test_the_financing_page_has_a_row_for_the_whole_country(client, reviewer, registers):
    client.force_login(reviewer)
    html = client.get(reverse("site:financing", args=[2001])).content.decode()
    rows = table_after(html, "Beslutad finansiering per län och kategori av källa")
    whole = rows[-1]
    assert whole[0] == "Hela landet"
    counties = rows[1:-1]
    assert len(counties) == 21
    for column in range(1, len(whole)):
        assert number(whole[column]) == sum(number(row[column]) for row in counties)
    assert number(whole[-1]) == sum(exports_builders.decided(code) for code in ("04", "05", "06"))
    shares = table_after(html, "Beslutad finansiering per kategori av källa, alla visade län")
    assert shares[-1] == ["Totalt", kronor(number(whole[-1])), "100 %"]


def test_a_coordinators_financing_page_sums_only_their_county(client, coordinator_04, registers):
    client.force_login(coordinator_04)
    html = client.get(reverse("site:financing", args=[2001])).content.decode()
    rows = table_after(html, "Beslutad finansiering per län och kategori av källa")
    assert len(rows) == 3  # the header, Södermanland, and the sum of the counties shown
    assert rows[-1][0] == "Totalt, dina län"
    assert rows[-1][1:] == rows[1][1:]
    assert "Hela landet" not in html
