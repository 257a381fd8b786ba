"""A submitted report's county page in the order a reviewer reads it: contents with jump links,
the observations before the register tables, long lists folded, evidence as links, the decision
last; and the ministry's comments on the report's admin page."""

import re

import pytest
from django.urls import reverse

from agreements.models import Partnership, Project
from followup.models import Observation, ReportStatus, ReviewComment, ReviewEvent
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    round_obj = builders.follow_up_round(year=2001)
    exports_builders.register(county_code="04", projects=2)
    partnership = builders.partnership(county_code="04", name="Partnerskapet för Sörmland")
    for _ in range(9):  # more than a screen's worth: folded
        builders.member(partnership_obj=partnership)
    small = builders.partnership(county_code="04", name="Arbetsgruppen")
    builders.member(partnership_obj=small)
    report = exports_builders.report(round_obj=round_obj, county_code="04")
    observation = Observation.objects.filter(report=report).order_by("pk").first()
    project = builders.project(measure_obj=builders.county("04").agreements.first()
                               .priority_areas.first().measures.first(),
                               reference_number="04-0777", title="Citerat projekt")  # fmt: skip
    observation.projects.add(project)
    observation.partnerships.add(partnership)
    builders.set_status(report, ReportStatus.SUBMITTED)
    return report


def test_the_reviewer_reads_contents_observations_register_history_then_decides(
    client, reviewer, submitted
):
    client.force_login(reviewer)
    html = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    contents = html[
        html.index('<nav class="contents"') : html.index(
            "</nav>", html.index('<nav class="contents"')
        )
    ]
    anchors = re.findall(r'href="#([\w-]+)"', contents)
    assert anchors == ["rapport", "iakttagelser", "nyckeltal", "avtal", "partnerskap", "kluster",
                       "historik", "beslut"]  # fmt: skip
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor
    order = [html.index(f'id="{a}"') for a in anchors]
    assert order == sorted(order)  # observations before the register, the decision last
    assert html.index('id="beslut"') > html.index('id="historik"')
    assert "Godkänn rapporten" in html[html.index('id="beslut"') :]


def test_long_lists_fold_and_short_ones_do_not(client, reviewer, submitted):
    client.force_login(reviewer)
    html = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    big = html[html.index('id="partnerskap-partnerskapet-for-sormland"') :]
    big = big[: big.index("</table>")]
    assert '<details class="fold"><summary>Visa alla 9 medlemmar</summary>' in big
    small = html[html.index('id="partnerskap-arbetsgruppen"') :]
    small = small[: small.index("</table>")]
    assert "<details" not in small


def test_evidence_is_linked(client, reviewer, submitted):
    client.force_login(reviewer)
    html = client.get(reverse("site:county", args=[2001, "04"])).content.decode()
    evidence = html[html.index('id="iakttagelser"') : html.index('id="nyckeltal"')]
    project = Project.objects.get(reference_number="04-0777")
    partnership = Partnership.objects.get(name="Partnerskapet för Sörmland")
    project_url = reverse("site:project", args=[project.pk])
    partnership_url = reverse("site:partnership", args=[partnership.pk])
    assert f'<a href="{project_url}">04-0777 Citerat projekt</a>' in evidence
    assert f'<a href="{partnership_url}">Partnerskapet för Sörmland</a>' in evidence


def test_the_admin_shows_the_sent_comments_by_theme_with_the_replies(
    client, coordinator_04, reviewer, submitted
):
    from core.raw_load import raw_load

    observation = Observation.objects.filter(report=submitted).order_by("pk").first()
    with raw_load():
        event = ReviewEvent.objects.create(
            report=submitted, action=ReviewEvent.Action.RETURN,
            from_status=ReportStatus.SUBMITTED, to_status=ReportStatus.RETURNED, actor=reviewer,
        )  # fmt: skip
        ReviewComment.objects.create(
            report=submitted, observation=observation, theme=observation.theme,
            author=reviewer, text="Skickad <fråga>", sent_with=event, reply="Länets svar",
        )  # fmt: skip
        ReviewComment.objects.create(report=submitted, author=reviewer, text="Ej skickad")
    client.force_login(coordinator_04)
    html = client.get(
        reverse("admin:followup_countyreport_change", args=[submitted.pk])
    ).content.decode()
    assert "Departementets kommentarer" in html
    assert f"<strong>{observation.theme.name}</strong> · att åtgärda" in html
    assert "Skickad &lt;fråga&gt;" in html and "Länets svar" in html
    assert "Ej skickad" not in html  # a reviewer's draft is not the county's to read
    assert reverse("site:county", args=[2001, "04"]) + "#kommentarer" in html
