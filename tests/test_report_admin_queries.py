"""The report's admin page costs a fixed number of queries, however many observations it has
(each with projects, partnerships and clusters cited)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import Theme
from tests import builders

pytestmark = pytest.mark.django_db
LIMIT = 26


def report_with(themes: int, *, year: int):
    round_obj = builders.follow_up_round(year=year)
    chosen = list(Theme.objects.order_by("sort_order")[:themes])
    while len(chosen) < themes:
        chosen.append(Theme.objects.create(code=f"extra-{len(chosen)}", name=f"Tema {len(chosen)}"))
    round_obj.themes.set(chosen)
    report = builders.county_report(round_obj=round_obj)
    agreement = builders.agreement(start_year=year, end_year=year)
    measure = builders.measure(area=builders.priority_area(agreement_obj=agreement))
    for theme in chosen:
        observation = builders.observation(report=report, theme=theme)
        observation.projects.add(
            builders.project(measure_obj=measure), builders.project(measure_obj=measure)
        )
        observation.partnerships.add(builders.partnership())
        observation.clusters.add(builders.cluster())
    return report


def queries_for_change_page(client, report) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/followup/countyreport/{report.pk}/change/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_report_admin_page_queries_do_not_grow_with_observations(client, coordinator_04):
    client.force_login(coordinator_04)
    small, _page = queries_for_change_page(client, report_with(2, year=2001))
    large, page = queries_for_change_page(client, report_with(8, year=2002))
    assert large <= small <= LIMIT
    # The cited objects are still named on the page (the labels come from the prefetch).
    assert page.count("selected>301-") == 16
