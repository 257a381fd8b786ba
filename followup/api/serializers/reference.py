"""Reference data: counties, municipalities, kinds of actor, financing sources, themes, rounds.
Rows are named by their codes (SCB's for counties and municipalities), as people name them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.models import County, FinancingSource, Municipality, OrganisationKind
from followup.models import FollowUpRound, Theme


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = County
        fields = ("code", "iso_letter", "name", "name_en", "short_name")


class MunicipalitySerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(
        slug_field="code", read_only=True, label=_("län"), help_text=_("Länets kod (SCB).")
    )

    class Meta:
        model = Municipality
        fields = ("code", "name", "official_name", "county", "valid_from", "valid_to")


class OrganisationKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganisationKind
        fields = ("code", "name", "name_en", "sort_order")


class FinancingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinancingSource
        fields = ("code", "name", "name_en", "category", "description", "sort_order")


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ("code", "name", "name_en", "description", "sort_order", "is_active")


class RoundSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("Koderna för de teman omgången frågar om."),
    )

    class Meta:
        model = FollowUpRound
        fields = ("year", "title", "deadline", "status", "themes")
