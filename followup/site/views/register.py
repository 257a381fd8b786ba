"""The register's detail pages: a project, an organisation, a partnership, a cluster.

Each page asks its selector (``followup.selectors.register``), which finds the object through
``access.visible_or_404``: another county's project, partnership or cluster answers exactly as
one that does not exist, and everything listed on a page is what the user's lists show.
"""

from django.shortcuts import render
from django.urls import reverse

from agreements.models import ClusterLink, County
from core import access
from followup.selectors import register
from followup.site import networks
from followup.site.views.common import current_round, role_required


def _county_page(county: County) -> str:
    """The county's page in the round people work on (the object's page is read by those who
    read the county), or nothing when there is no round."""
    round_obj = current_round()
    return reverse("site:county", args=[round_obj.year, county.code]) if round_obj else ""


@role_required
def project_page(request, pk: int):
    """A project: who owns it, where it fits, its financing by year and source; its audit trail
    for those who may read it."""
    project = register.project_detail(user=request.user, pk=pk)
    return render(
        request,
        "site/register/project.html",
        {
            "project": project,
            "financing": register.project_financing(project=project),
            "history": register.project_history(user=request.user, project=project),
        },
    )


@role_required
def organisation_page(request, pk: int):
    """An actor: the agreements it leads, its projects, partnerships, clusters and financing."""
    detail = register.organisation_detail(user=request.user, pk=pk)
    return render(
        request,
        "site/register/organisation.html",
        {
            "detail": detail,
            "organisation": detail.organisation,
            "scoped": not access.reads_every_county(request.user),
        },
    )


@role_required
def partnership_page(request, pk: int):
    """A partnership: its members with their roles, and the projects it carries."""
    detail = register.partnership_detail(user=request.user, pk=pk)
    return render(
        request,
        "site/register/partnership.html",
        {
            "detail": detail,
            "partnership": detail.partnership,
            "county_url": _county_page(detail.partnership.county),
        },
    )


@role_required
def cluster_page(request, pk: int):
    """A cluster: its network drawn, the county's assessment, the actors and their part, the
    links between them, and its projects."""
    detail = register.cluster_detail(user=request.user, pk=pk)
    links = [
        networks.link_row(
            source=link.from_actor.organisation.name,
            target=link.to_actor.organisation.name,
            direction=link.direction,
            goods=link.goods,
            services=link.services,
            knowledge=link.knowledge,
            description=link.description,
        )
        for link in detail.links
    ]
    drawing = networks.drawing(
        label_id="natverk",
        name=detail.cluster.name,
        actors=[(actor.organisation.name, actor.in_working_group) for actor in detail.actors],
        links=links,
    )
    return render(
        request,
        "site/register/cluster.html",
        {
            "detail": detail,
            "cluster": detail.cluster,
            "links": list(zip(detail.links, links, strict=True)),
            "vertical": detail.links_of(ClusterLink.Direction.VERTICAL),
            "horizontal": detail.links_of(ClusterLink.Direction.HORIZONTAL),
            "drawing": drawing,
            "county_url": _county_page(detail.cluster.county),
        },
    )
