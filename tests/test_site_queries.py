"""Every page of the round and county views runs the same number of queries at two data sizes:
nothing is fetched per county, project, partnership, cluster, observation or event."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import ReportStatus, ReviewEvent
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db

COUNTIES = ["04", "05", "06", "07", "08", "09"]
STATUSES = [ReportStatus.SUBMITTED, ReportStatus.DRAFT, ReportStatus.APPROVED]
MAX_QUERIES = 40


def build(*, counties: int, projects: int, extra: int, actor) -> None:
    """``counties`` counties with a register, a report in two rounds each (statuses in turn)
    and ``extra`` partnership members, cluster links and review events per county."""
    round_obj = builders.follow_up_round(year=2001)
    later = builders.follow_up_round(year=2002)
    for i, code in enumerate(COUNTIES[:counties]):
        exports_builders.register(county_code=code, projects=projects)
        partnership = builders.partnership(county_code=code)
        cluster = builders.cluster(county_code=code)
        actors = [builders.cluster_actor(cluster_obj=cluster) for _ in range(extra + 2)]
        for j in range(extra):
            builders.member(partnership_obj=partnership)
            builders.cluster_link(from_actor=actors[j], to_actor=actors[j + 1])
        for round_ in (round_obj, later):
            report = exports_builders.report(
                round_obj=round_, county_code=code, status=STATUSES[i % len(STATUSES)]
            )
            for _ in range(extra):
                ReviewEvent.objects.create(
                    report=report,
                    action=ReviewEvent.Action.SUBMIT,
                    from_status=ReportStatus.DRAFT,
                    to_status=ReportStatus.SUBMITTED,
                    actor=actor,
                    comment="Inskickad",
                )
            # returned once already: the page reads what changed since (the same queries
            # however many returns there were)
            ReviewEvent.objects.create(
                report=report,
                action=ReviewEvent.Action.RETURN,
                from_status=ReportStatus.SUBMITTED,
                to_status=ReportStatus.RETURNED,
                actor=actor,
                comment="Returnerad",
            )


PAGES = {
    "board": reverse("site:board", args=[2001]),
    "county": reverse("site:county", args=[2001, "04"]),
    "matrix": reverse("site:matrix", args=[2001]),
    "financing": reverse("site:financing", args=[2001]),
    "development": reverse("site:development", args=["04"]),
}


def count_queries(client, user) -> dict[str, int]:
    client.force_login(user)
    counts = {}
    for name, url in PAGES.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.mark.parametrize("persona", ["reviewer", "coordinator_04", "administrator"])
def test_pages_run_as_many_queries_for_a_large_country_as_for_a_small_one(
    client, django_assert_max_num_queries, personas, persona
):
    user = personas[persona]
    build(counties=2, projects=2, extra=1, actor=user)
    small = count_queries(client, user)
    # The same pages once the data has grown several times over.
    build_more(actor=user)
    large = count_queries(client, user)
    assert large == small
    for url in PAGES.values():
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url)


def build_more(*, actor) -> None:
    for code in COUNTIES[2:]:
        exports_builders.register(county_code=code, projects=6)
    agreement = builders.county("04").agreements.get()
    exports_builders.add_projects(agreement=agreement, projects=12, offset=100)
    for code in COUNTIES:
        partnership = builders.partnership(county_code=code)
        cluster = builders.cluster(county_code=code)
        actors = [builders.cluster_actor(cluster_obj=cluster) for _ in range(6)]
        for j in range(5):
            builders.member(partnership_obj=partnership)
            builders.cluster_link(from_actor=actors[j], to_actor=actors[j + 1])
    for report in builders.county("04").reports.all():
        for _ in range(4):
            ReviewEvent.objects.create(
                report=report,
                action=ReviewEvent.Action.RETURN,
                from_status=ReportStatus.SUBMITTED,
                to_status=ReportStatus.RETURNED,
                actor=actor,
                comment="Returnerad",
            )
