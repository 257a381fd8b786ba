"""The register: organisations, agreements with their priority areas, measures and frames,
partnerships with their members, projects with their financing, clusters with their actors
and links. Relations to reference rows are codes; relations to register rows are ids."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.models import (
    Agreement,
    Cluster,
    ClusterActor,
    ClusterLink,
    FinancialFrame,
    FinancingLine,
    Measure,
    Organisation,
    Partnership,
    PartnershipMember,
    PriorityArea,
    Project,
)


def _code(help_text, *, label, null=False):
    """A reference row by its code (``null``: the relation may be empty)."""
    return serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=null, label=label, help_text=help_text
    )


COUNTY_CODE = _("Länets kod (SCB), t.ex. 04.")
MUNICIPALITY_CODE = _("Kommunens kod (SCB), t.ex. 0484.")
SOURCE_CODE = _("Finansieringskällans kod (/api/v1/financing-sources/).")
KIND_CODE = _("Typen av aktörs kod (/api/v1/organisation-kinds/).")


class OrganisationSerializer(serializers.ModelSerializer):
    kind = _code(KIND_CODE, label=_("typ av aktör"))
    county = _code(COUNTY_CODE, label=_("hemlän"), null=True)
    municipality = _code(MUNICIPALITY_CODE, label=_("hemkommun"), null=True)

    class Meta:
        model = Organisation
        fields = (
            "id",
            "name",
            "kind",
            "org_number",
            "county",
            "municipality",
            "created_at",
            "updated_at",
        )


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ("id", "number", "name", "description")


class PriorityAreaSerializer(serializers.ModelSerializer):
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = PriorityArea
        fields = ("id", "number", "name", "description", "measures")


class FinancialFrameSerializer(serializers.ModelSerializer):
    source = _code(SOURCE_CODE, label=_("finansieringskälla"))

    class Meta:
        model = FinancialFrame
        fields = ("id", "priority_area", "measure", "source", "year", "amount")


class AgreementSerializer(serializers.ModelSerializer):
    county = _code(COUNTY_CODE, label=_("län"))
    priority_areas = PriorityAreaSerializer(many=True, read_only=True)
    frames = FinancialFrameSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = (
            "id",
            "county",
            "kind",
            "start_year",
            "end_year",
            "lead_body",
            "signed_on",
            "status",
            "description",
            "priority_areas",
            "frames",
            "created_at",
            "updated_at",
        )


class PartnershipMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnershipMember
        fields = ("id", "organisation", "role", "start_date", "end_date")


class PartnershipSerializer(serializers.ModelSerializer):
    county = _code(COUNTY_CODE, label=_("län"))
    municipality = _code(MUNICIPALITY_CODE, label=_("kommun"), null=True)
    members = PartnershipMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = (
            "id",
            "county",
            "agreement",
            "name",
            "level",
            "kind",
            "municipality",
            "description",
            "members",
            "created_at",
            "updated_at",
        )


class FinancingLineSerializer(serializers.ModelSerializer):
    source = _code(SOURCE_CODE, label=_("finansieringskälla"))

    class Meta:
        model = FinancingLine
        fields = ("id", "year", "kind", "source", "financier", "amount", "note")


class ProjectSerializer(serializers.ModelSerializer):
    county = _code(COUNTY_CODE, label=_("län"))
    municipality = _code(MUNICIPALITY_CODE, label=_("kommun"), null=True)
    decided_total = serializers.DecimalField(
        source="totals.decided",
        max_digits=17,
        decimal_places=2,
        read_only=True,
        label=_("beslutat totalt (kr)"),
        help_text=_("Summan av projektets beslutade finansiering, alla år."),
    )
    outcome_total = serializers.DecimalField(
        source="totals.outcome",
        max_digits=17,
        decimal_places=2,
        read_only=True,
        label=_("utfall totalt (kr)"),
        help_text=_("Summan av projektets utfall, alla år."),
    )
    financing_lines = FinancingLineSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = (
            "id",
            "county",
            "agreement",
            "measure",
            "reference_number",
            "title",
            "description",
            "owner",
            "municipality",
            "partnership",
            "cluster",
            "start_date",
            "end_date",
            "status",
            "decided_total",
            "outcome_total",
            "financing_lines",
            "created_at",
            "updated_at",
        )


class ClusterActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClusterActor
        fields = ("id", "organisation", "in_working_group", "part")


class ClusterLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClusterLink
        fields = (
            "id",
            "from_actor",
            "to_actor",
            "direction",
            "goods",
            "services",
            "knowledge",
            "description",
        )


class ClusterSerializer(serializers.ModelSerializer):
    county = _code(COUNTY_CODE, label=_("ansvarigt län"))
    other_counties = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("Koderna för andra län som klustret sträcker sig över."),
    )
    actors = ClusterActorSerializer(many=True, read_only=True)
    links = ClusterLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Cluster
        fields = (
            "id",
            "county",
            "other_counties",
            "name",
            "delimitation",
            "description",
            "strengths",
            "weaknesses",
            "planned_measures",
            "lock_in_risk",
            "actors",
            "links",
            "created_at",
            "updated_at",
        )
