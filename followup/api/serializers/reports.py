"""The follow-up: county reports (status, the key figures frozen at submission, the content
where the user may read it), observations, review events and the ministry's conclusions."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from followup.models import (
    Assessment,
    CountyReport,
    NationalConclusion,
    Observation,
    ReportStatus,
    ReviewEvent,
)
from followup.selectors.evidence import SOURCES


def _like(model, name, field_class, **kwargs):
    """A field described as the model's field ``name`` is (its verbose name and help text)."""
    field = model._meta.get_field(name)
    kwargs.setdefault("label", field.verbose_name)
    if field.help_text:
        kwargs.setdefault("help_text", field.help_text)
    return field_class(read_only=True, **kwargs)


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(kind, kind) for kind in SOURCES],
        read_only=True,
        label=_("typ av underlag"),
        help_text=_("Vad som citeras: ett projekt, ett partnerskap eller ett kluster."),
    )
    id = serializers.IntegerField(read_only=True, label=_("id"))
    name = serializers.CharField(
        read_only=True,
        label=_("namn"),
        help_text=_("Namnet som rapporten citerade (låst vid inskickandet)."),
    )


class ObservationSerializer(serializers.Serializer):
    """An observation as the user may read it (``followup.selectors.report_content``)."""

    id = serializers.IntegerField(read_only=True, label=_("id"))
    report = serializers.IntegerField(read_only=True, label=_("länsrapportens id"))
    round = serializers.IntegerField(read_only=True, label=_("omgångens år"))
    county = serializers.CharField(read_only=True, label=_("länets kod (SCB)"))
    theme = serializers.CharField(read_only=True, label=_("temats kod"))
    assessment = _like(
        Observation,
        "assessment",
        serializers.ChoiceField,
        choices=Assessment.choices,
        allow_null=True,
    )
    not_assessed_reason = _like(Observation, "not_assessed_reason", serializers.CharField)
    kind = _like(Observation, "kind", serializers.ChoiceField, choices=Observation.Kind.choices)
    text = _like(Observation, "text", serializers.CharField)
    evidence = EvidenceSerializer(
        many=True,
        read_only=True,
        label=_("underlag"),
        help_text=_(
            "Projekt, partnerskap och kluster som iakttagelsen bygger på; som de hette när "
            "rapporten skickades in, medan den ligger hos departementet."
        ),
    )


class ProjectCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(read_only=True, label=_("antal projekt"))
    by_status = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        label=_("per status"),
        help_text=_("Projektstatusens kod → antal projekt."),
    )


class AreaFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, label=_("insatsområdets id"))
    number = serializers.IntegerField(read_only=True, label=_("nummer"))
    name = serializers.CharField(read_only=True, label=_("namn"))
    frame = serializers.DecimalField(
        max_digits=17, decimal_places=2, read_only=True, label=_("ram (kr)")
    )
    beslutat = serializers.DecimalField(
        max_digits=17, decimal_places=2, read_only=True, label=_("beslutat (kr)")
    )
    utfall = serializers.DecimalField(
        max_digits=17, decimal_places=2, read_only=True, label=_("utfall (kr)")
    )


class KeyFiguresSerializer(serializers.Serializer):
    """The key figures as frozen at submission (``followup.selectors.figures``)."""

    agreement_id = serializers.IntegerField(read_only=True, allow_null=True, label=_("avtalets id"))
    year = serializers.IntegerField(read_only=True, label=_("år"))
    projects = ProjectCountsSerializer(read_only=True, label=_("projekt"))
    by_category = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        read_only=True,
        label=_("finansiering per kategori"),
        help_text=_(
            "Källkategori → beslutat/utfall → belopp i kronor (decimaltal som text), "
            "till och med omgångens år."
        ),
    )
    by_priority_area = AreaFiguresSerializer(many=True, read_only=True, label=_("per insatsområde"))


class ReviewEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewEvent
        fields = ("action", "from_status", "to_status", "at", "comment")


class ReportSerializer(serializers.ModelSerializer):
    round = serializers.SlugRelatedField(
        slug_field="year", read_only=True, label=_("år"), help_text=_("Omgångens år.")
    )
    county = serializers.SlugRelatedField(
        slug_field="code", read_only=True, label=_("län"), help_text=_("Länets kod (SCB).")
    )
    frozen_figures = serializers.SerializerMethodField(
        label=_("låsta nyckeltal"),
        help_text=_(
            "Nyckeltalen som de låstes när rapporten senast skickades in; tomt för ett utkast."
        ),
    )

    class Meta:
        model = CountyReport
        fields = (
            "id",
            "round",
            "county",
            "status",
            "submitted_at",
            "reviewed_at",
            "complete_by",
            "frozen_at",
            "frozen_figures",
            "updated_at",
        )

    @extend_schema_field(KeyFiguresSerializer(allow_null=True))
    def get_frozen_figures(self, report):
        if report.status == ReportStatus.DRAFT or not report.frozen_figures:
            return None
        return KeyFiguresSerializer(report.frozen_figures).data


class ReportContentSerializer(serializers.Serializer):
    as_submitted = serializers.BooleanField(
        read_only=True,
        label=_("som inskickad"),
        help_text=_(
            "Sant när en returnerad rapport visas som den senast skickades in (för den som "
            "inte skriver den)."
        ),
    )
    summary = serializers.CharField(read_only=True, label=_("sammanfattning"))
    observations = ObservationSerializer(many=True, read_only=True, label=_("iakttagelser"))


class ReportDetailSerializer(ReportSerializer):
    content = serializers.SerializerMethodField(
        label=_("innehåll"),
        help_text=_(
            "Sammanfattning och iakttagelser; tomt där användaren inte får läsa dem (ett annat "
            "läns utkast)."
        ),
    )
    events = ReviewEventSerializer(many=True, read_only=True, label=_("granskningshändelser"))

    class Meta(ReportSerializer.Meta):
        fields = (*ReportSerializer.Meta.fields, "content", "events")

    @extend_schema_field(ReportContentSerializer(allow_null=True))
    def get_content(self, report):
        content = self.context["content"]
        return None if content is None else ReportContentSerializer(content).data


class ConclusionSerializer(serializers.ModelSerializer):
    round = serializers.SlugRelatedField(
        slug_field="year", read_only=True, label=_("år"), help_text=_("Omgångens år.")
    )
    theme = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        label=_("tema"),
        help_text=_("Temats kod; tomt: slutsatsen gäller omgången som helhet."),
    )

    class Meta:
        model = NationalConclusion
        fields = ("id", "round", "theme", "text", "created_at", "updated_at")
