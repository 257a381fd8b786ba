"""The round board as reviewers use it: status tiles that filter the table, headers that sort
it, each county's coordinators for the ministry, and a map of the counties by report status."""

import datetime
import re

import pytest
from django.urls import reverse

from followup.models import ReportStatus
from followup.site import maps
from tests import builders
from tests.conftest import _make_user

pytestmark = pytest.mark.django_db

BOARD = "/omgang/2001/"
TODAY = datetime.date.today()


@pytest.fixture
def round_2001():
    """Four counties with a report, each in another state; one returned and late, one draft
    late, one submitted, one approved; the other seventeen have none (and are late)."""
    round_obj = builders.follow_up_round(year=2001, deadline=TODAY - datetime.timedelta(days=3))
    states = {
        "04": (ReportStatus.RETURNED, TODAY - datetime.timedelta(days=1)),
        "05": (ReportStatus.DRAFT, None),
        "12": (ReportStatus.SUBMITTED, None),
        "01": (ReportStatus.APPROVED, None),
    }
    for code, (status, complete_by) in states.items():
        builders.county_report(
            round_obj=round_obj, county_code=code, status=status, complete_by=complete_by
        )
    return round_obj


def board(client, user, query=""):
    client.force_login(user)
    response = client.get(BOARD + query)
    assert response.status_code == 200
    return response


def county_codes(response) -> list[str]:
    return [row.county.code for row in response.context["rows"]]


def test_a_status_tile_links_to_the_board_with_only_those_counties(client, reviewer, round_2001):
    content = board(client, reviewer).content.decode()
    assert 'href="?status=returnerad"' in content
    response = board(client, reviewer, "?status=returnerad")
    assert county_codes(response) == ["04"]
    content = response.content.decode()
    assert "Visar 1 län: Returnerad." in content
    assert 'href="/omgang/2001/">Visa alla 21 län</a>' in content
    # the chosen tile says so, and choosing it again shows every county
    assert re.search(
        r'<a href="/omgang/2001/" aria-current="true">\s*<span class="count-number">1', content
    )


def test_the_late_tile_shows_every_late_county_whatever_its_status(client, reviewer, round_2001):
    response = board(client, reviewer, "?status=forsenad")
    codes = county_codes(response)
    assert "04" in codes and "05" in codes  # returned past its date, draft past the deadline
    assert "12" not in codes and "01" not in codes  # with the ministry, or approved
    assert len(codes) == 2 + 17  # and the seventeen counties without a report


def test_the_no_report_tile_and_an_unknown_status(client, reviewer, round_2001):
    assert len(county_codes(board(client, reviewer, "?status=saknas"))) == 17
    assert len(county_codes(board(client, reviewer, "?status=<script>"))) == 21  # filters nothing


def test_the_table_sorts_by_status_and_by_time_left(client, reviewer, round_2001):
    by_status = county_codes(board(client, reviewer, "?ordering=status"))
    # as the tiles: draft, submitted, returned, approved, then no report
    assert by_status[:4] == ["05", "12", "04", "01"]
    latest_first = county_codes(board(client, reviewer, "?ordering=tid"))
    # three days late against the deadline before one day late against the completion date;
    # those with nothing due (submitted, approved) last
    assert latest_first.index("05") < latest_first.index("04")
    assert latest_first[-2:] == ["01", "12"]
    assert county_codes(board(client, reviewer, "?ordering=-tid"))[0] == "04"
    assert county_codes(board(client, reviewer, "?ordering=nonsense"))[:3] == ["01", "03", "04"]


def test_sorting_keeps_the_status_filter_and_says_which_way(client, reviewer, round_2001):
    content = board(client, reviewer, "?status=forsenad&ordering=tid").content.decode()
    assert 'aria-sort="ascending"><a href="?status=forsenad&amp;ordering=-tid"' in content
    assert 'href="?status=forsenad&amp;ordering=status"' in content


def test_reviewers_see_each_countys_coordinators_with_their_addresses(
    client, reviewer, coordinator_04, django_user_model, round_2001
):
    coordinator_04.first_name, coordinator_04.last_name = "Karin", "Ek"
    coordinator_04.email = "karin.ek@lansstyrelsen.example"
    coordinator_04.save()
    gone = _make_user(django_user_model, "slutat", role="Regional samordnare", counties=["04"])
    gone.is_active = False
    gone.save()
    response = board(client, reviewer)
    rows = {row.county.code: row for row in response.context["rows"]}
    assert rows["04"].contacts == [{"name": "Karin Ek", "email": "karin.ek@lansstyrelsen.example"}]
    assert rows["05"].contacts == []
    content = response.content.decode()
    assert 'href="mailto:karin.ek@lansstyrelsen.example"' in content
    assert "slutat" not in content
    assert "Ingen samordnare registrerad" in content


def test_coordinators_do_not_see_the_other_countys_contacts(
    client, coordinator_04, coordinator_05, round_2001
):
    coordinator_05.email = "samordnare@ostergotland.example"
    coordinator_05.save()
    response = board(client, coordinator_04)
    assert response.context["show_contacts"] is False
    assert "samordnare@ostergotland.example" not in response.content.decode()
    assert ">Samordnare</th>" not in response.content.decode()


def map_regions(content: str) -> dict[str, str]:
    """County code → the fill of its outline, for each county drawn as a link."""
    svg = re.search(r'<svg class="county-map.*?</svg>', content, re.S).group(0)
    return dict(
        re.findall(
            r'data-county="(\d\d)"><path d="[^"]+" class="map-county[^"]*" '
            r'fill="url\(#statuskarta-(\w+)\)"',
            svg,
        )
    )


def test_the_map_draws_21_counties_each_a_link_by_its_status(client, reviewer, round_2001):
    content = board(client, reviewer).content.decode()
    svg = re.search(r'<svg class="county-map.*?</svg>', content, re.S).group(0)
    assert svg.count('class="map-county') == 21
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)" class="map-link"', svg)
    assert len(links) == 21
    assert (
        reverse("site:county", args=[2001, "04"]),
        "Södermanlands län: Returnerad, försenad",
    ) in links
    assert (reverse("site:county", args=[2001, "01"]), "Stockholms län: Godkänd") in links
    assert (
        reverse("site:county", args=[2001, "03"]),
        "Uppsala län: Ingen rapport, försenad",
    ) in links
    regions = map_regions(content)
    assert regions["04"] == "returnerad" and regions["05"] == "utkast"
    assert regions["12"] == "inskickad" and regions["01"] == "godkand" and regions["03"] == "saknas"
    # late counties are outlined; the others not
    assert re.search(r'data-county="04"><path d="[^"]+" class="map-county map-flagged"', svg)
    assert re.search(r'data-county="12"><path d="[^"]+" class="map-county"', svg)
    # each status has its own pattern, and the legend names it beside its swatch
    for key in ("utkast", "inskickad", "returnerad", "godkand", "saknas"):
        assert f'<pattern id="statuskarta-{key}"' in svg
        assert f'fill="url(#statusforklaring-{key})"' in content
    assert "Karta: MapSVG (CC BY 4.0)" in content
    # the text alternative stays: the table names every county
    assert content.count('<tr id="lan-') == 21


def test_a_coordinators_map_links_only_their_own_county(client, coordinator_04, round_2001):
    content = board(client, coordinator_04).content.decode()
    svg = re.search(r'<svg class="county-map.*?</svg>', content, re.S).group(0)
    assert re.findall(r'data-county="(\d\d)"', svg) == ["04"]
    assert svg.count('class="map-county') == 21  # every county drawn, with its status in its title
    assert "<title>Östergötlands län: Utkast, försenad</title>" in svg


def test_every_county_has_an_outline():
    assert len(maps.outlines()) == 21
