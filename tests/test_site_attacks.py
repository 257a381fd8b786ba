"""What a second engineer found trying to break the site's newer pages (the round board, the
register's detail pages, the printed margin), each as a user meets it."""

import datetime

import pytest

from followup.models import ReportStatus
from tests import builders

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def round_2001():
    round_obj = builders.follow_up_round(year=2001, deadline=TODAY - datetime.timedelta(days=3))
    builders.county_report(round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED)
    return round_obj


def test_the_county_header_sorts_the_board_both_ways(client, reviewer, round_2001):
    """Sorted by county (the default), the header offers the other way; following it must
    turn the table, and the header must then offer the first way again."""
    client.force_login(reviewer)
    content = client.get("/omgang/2001/").content.decode()
    assert 'aria-sort="ascending"><a href="?ordering=-lan"' in content
    response = client.get("/omgang/2001/?ordering=-lan")
    codes = [row.county.code for row in response.context["rows"]]
    assert codes == sorted(codes, reverse=True)
    assert 'aria-sort="descending"><a href="?ordering=lan"' in response.content.decode()


def test_a_county_the_map_has_no_outline_for_is_in_the_table_and_off_the_map(
    client, reviewer, round_2001
):
    """Counties are the administrators' reference data: one added (a county of an earlier
    division, say) has no outline on the map. The board still answers, lists it in the table
    (the map's text alternative) and draws the 21 it has."""
    from agreements.models import County

    County.objects.create(
        code="02",
        iso_letter="B",
        name="Norrtälje län",
        name_en="Norrtälje County",
        short_name="Norrtälje",
    )
    client.force_login(reviewer)
    response = client.get("/omgang/2001/")
    assert response.status_code == 200
    content = response.content.decode()
    assert [row.county.code for row in response.context["rows"]][:2] == ["01", "02"]
    assert "Norrtälje län" in content.split('class="board-map"')[0]
    assert content.count('class="map-link"') == 21
