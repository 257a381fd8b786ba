"""Reference data and the register."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    Cluster,
    County,
    FinancingLine,
    FinancingSource,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipMember,
    PriorityArea,
    Project,
)
from followup.api import filters
from followup.api.serializers import reference, register
from followup.api.views.base import ScopedViewSet
from followup.models import FollowUpRound, Theme


class CountyViewSet(ScopedViewSet):
    """Sweden's 21 counties, by SCB code."""

    schema_description = _("Sveriges 21 län, med SCB:s länskoder.")

    queryset = County.objects.all()
    serializer_class = reference.CountySerializer
    lookup_field = "code"
    cursor_ordering = ("code",)


class MunicipalityViewSet(ScopedViewSet):
    """Municipalities, by SCB code, with the period each existed under that code."""

    schema_description = _("Kommuner med SCB:s kommunkoder och den period koden gällde.")

    queryset = Municipality.objects.select_related("county")
    serializer_class = reference.MunicipalitySerializer
    filterset_class = filters.MunicipalityApiFilter
    lookup_field = "code"
    cursor_ordering = ("code",)


class OrganisationKindViewSet(ScopedViewSet):
    """Kinds of actor."""

    schema_description = _("Typer av aktörer.")

    queryset = OrganisationKind.objects.all()
    serializer_class = reference.OrganisationKindSerializer
    lookup_field = "code"
    cursor_ordering = ("code",)


class FinancingSourceViewSet(ScopedViewSet):
    """Financing sources with the category figures are rolled up by."""

    schema_description = _("Finansieringskällor med kategorin som siffrorna summeras per.")

    queryset = FinancingSource.objects.all()
    serializer_class = reference.FinancingSourceSerializer
    lookup_field = "code"
    cursor_ordering = ("code",)


class ThemeViewSet(ScopedViewSet):
    """The themes a follow-up asks about."""

    schema_description = _("Teman som uppföljningen frågar om.")

    queryset = Theme.objects.all()
    serializer_class = reference.ThemeSerializer
    lookup_field = "code"
    cursor_ordering = ("code",)


class RoundViewSet(ScopedViewSet):
    """Follow-up rounds, by year."""

    schema_description = _("Uppföljningsomgångar, per år.")

    queryset = FollowUpRound.objects.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("sort_order", "name"))
    )
    serializer_class = reference.RoundSerializer
    lookup_field = "year"
    cursor_ordering = ("year",)


class OrganisationViewSet(ScopedViewSet):
    """Actors: the site's organisation list and its filters."""

    schema_description = _("Aktörer, med webbplatsens filter för organisationslistan.")

    queryset = Organisation.objects.select_related("kind", "county", "municipality")
    serializer_class = register.OrganisationSerializer
    filterset_class = filters.OrganisationApiFilter


class AgreementViewSet(ScopedViewSet):
    """Agreements with their priority areas, measures and financial frames."""

    schema_description = _("Avtal med insatsområden, åtgärder och finansiella ramar.")

    queryset = Agreement.objects.select_related("county").prefetch_related(
        Prefetch(
            "priority_areas",
            queryset=PriorityArea.objects.order_by("number").prefetch_related(
                Prefetch("measures", queryset=Measure.objects.order_by("number", "pk"))
            ),
        ),
        "frames__source",
    )
    serializer_class = register.AgreementSerializer
    filterset_class = filters.AgreementApiFilter


class PartnershipViewSet(ScopedViewSet):
    """Partnerships with their members."""

    schema_description = _("Partnerskap med medlemmar.")

    queryset = Partnership.objects.select_related("county", "municipality").prefetch_related(
        Prefetch("members", queryset=PartnershipMember.objects.order_by("pk"))
    )
    serializer_class = register.PartnershipSerializer
    filterset_class = filters.PartnershipApiFilter


class ProjectViewSet(ScopedViewSet):
    """Projects with their financing lines and totals: the site's project list and its
    filters."""

    schema_description = _(
        "Projekt med finansieringsrader och summor, med webbplatsens filter för projektlistan."
    )

    queryset = Project.objects.select_related("county", "municipality", "totals").prefetch_related(
        Prefetch(
            "financing_lines",
            queryset=FinancingLine.objects.select_related("source").order_by(
                "year", "kind", "source__sort_order", "pk"
            ),
        )
    )
    serializer_class = register.ProjectSerializer
    filterset_class = filters.ProjectApiFilter
    filterset_takes_user = True


class ClusterViewSet(ScopedViewSet):
    """Clusters with their actors and the links between them."""

    schema_description = _("Kluster med aktörer och länkarna mellan dem.")

    queryset = Cluster.objects.select_related("county").prefetch_related(
        "other_counties", "actors", "links"
    )
    serializer_class = register.ClusterSerializer
    filterset_class = filters.ClusterApiFilter
