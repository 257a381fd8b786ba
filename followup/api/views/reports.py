"""The follow-up: county reports, observations, the ministry's conclusions."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from core import access
from followup.api import filters
from followup.api.serializers import reports
from followup.api.views.base import ScopedViewSet, refused_parameters
from followup.models import CountyReport, NationalConclusion, Observation, ReviewEvent
from followup.selectors.report_content import observation_rows, report_content


class ReportViewSet(ScopedViewSet):
    """County reports the user may read — never another county's draft. The list gives each
    report's status and the key figures frozen at its last submission; a report's page adds
    its content (summary and observations: as last submitted, for a returned report read by
    someone who does not write it) and its review events."""

    schema_description = _(
        "Länsrapporter som användaren får läsa, aldrig ett annat läns utkast: status och "
        "nyckeltalen som de låstes vid inskickandet. En rapports sida ger också innehållet "
        "(sammanfattning och iakttagelser; en returnerad rapport som den senast skickades "
        "in, för den som inte skriver den) och granskningshändelserna."
    )

    queryset = CountyReport.objects.select_related("round", "county")
    serializer_class = reports.ReportSerializer
    filterset_class = filters.ReportApiFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return reports.ReportDetailSerializer
        return reports.ReportSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            events = access.visible(ReviewEvent.objects.order_by("at", "pk"), self.request.user)
            queryset = queryset.prefetch_related(Prefetch("events", queryset=events))
        return queryset

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        content = report_content(report=report, user=request.user)
        serializer = self.get_serializer(
            report, context={**self.get_serializer_context(), "content": content}
        )
        return Response(serializer.data)


class ObservationViewSet(ScopedViewSet):
    """Observations the user may read, with the site's observation filters: the ministry
    reads those of reports with it (submitted or approved); a returned report's are on its
    page as last submitted."""

    schema_description = _(
        "Iakttagelser som användaren får läsa, med webbplatsens filter för "
        "iakttagelselistan. Departementet läser dem i rapporter som ligger hos "
        "departementet (inskickade eller godkända); en returnerad rapports iakttagelser "
        "finns på rapportens sida, som den senast skickades in."
    )

    queryset = Observation.objects.select_related("report__round", "report__county")
    serializer_class = reports.ObservationSerializer
    filterset_class = filters.ObservationApiFilter
    filterset_takes_user = True

    def list(self, request, *args, **kwargs):
        with refused_parameters(request):
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            rows = observation_rows(list(page or []))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        (row,) = observation_rows([self.get_object()])
        return Response(self.get_serializer(row).data)


class ConclusionViewSet(ScopedViewSet):
    """The ministry's national conclusions: per theme, and for a round as a whole."""

    schema_description = _(
        "Departementets nationella slutsatser: per tema och för omgången som helhet."
    )

    queryset = NationalConclusion.objects.select_related("round", "theme")
    serializer_class = reports.ConclusionSerializer
    filterset_class = filters.ConclusionApiFilter
