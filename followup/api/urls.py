"""URLs of the API, /api/v1/ (English resource names, as the field names are)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from followup.api.views import register, reports, schema

app_name = "api"

router = SimpleRouter()
router.register("counties", register.CountyViewSet, basename="county")
router.register("municipalities", register.MunicipalityViewSet, basename="municipality")
router.register(
    "organisation-kinds", register.OrganisationKindViewSet, basename="organisation-kind"
)
router.register("financing-sources", register.FinancingSourceViewSet, basename="financing-source")
router.register("themes", register.ThemeViewSet, basename="theme")
router.register("rounds", register.RoundViewSet, basename="round")
router.register("organisations", register.OrganisationViewSet, basename="organisation")
router.register("agreements", register.AgreementViewSet, basename="agreement")
router.register("partnerships", register.PartnershipViewSet, basename="partnership")
router.register("projects", register.ProjectViewSet, basename="project")
router.register("clusters", register.ClusterViewSet, basename="cluster")
router.register("reports", reports.ReportViewSet, basename="report")
router.register("observations", reports.ObservationViewSet, basename="observation")
router.register("conclusions", reports.ConclusionViewSet, basename="conclusion")

urlpatterns = [
    path("schema/", schema.SchemaView.as_view(), name="schema"),
    path("docs/", schema.DocsView.as_view(), name="docs"),
    *router.urls,
]
