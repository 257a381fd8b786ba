"""The reference data every database holds after migrate equals the files in fixtures/reference."""

import csv
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from agreements.models import County, FinancingSource, Municipality, Organisation, OrganisationKind
from agreements.reference import load_reference_data
from followup.models import Theme

pytestmark = pytest.mark.django_db


def read(name):
    with (Path(settings.REFERENCE_DATA_DIR) / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_21_counties_match_the_file_exactly():
    letters = {r["county_code"]: r["iso_letter"] for r in read("lead-bodies.csv")}
    expected = [
        (r["county_code"], letters[r["county_code"]], r["county_name"], r["county_name_short"])
        for r in read("counties.csv")
    ]
    actual = list(County.objects.values_list("code", "iso_letter", "name", "short_name"))
    assert len(actual) == 21
    assert actual == expected
    assert County.objects.get(code="04").iso_letter == "D"
    assert not County.objects.filter(code__in=["02", "11", "15", "16"]).exists()


def test_todays_290_municipalities_match_the_file_by_short_name_and_county():
    expected = {
        r["municipality_code"]: (r["municipality_name_short"], r["county_code"])
        for r in read("municipalities.csv")
    }
    today = Municipality.objects.valid_today()
    assert today.count() == 290
    actual = {m.code: (m.name, m.county.code) for m in today.select_related("county")}
    assert actual == expected


def test_flawed_long_names_are_corrected():
    official = dict(Municipality.objects.values_list("code", "official_name"))
    assert official["0880"] == "Kalmar kommun"
    assert official["2514"] == "Kalix kommun"
    assert official["2513"] == "Överkalix kommun"
    assert official["0180"] == "Stockholms kommun"  # a genitive that is right stays
    assert not Municipality.objects.filter(official_name__endswith="xs kommun").exists()


def test_heby_exists_twice_with_its_move_between_counties():
    new, old = Municipality.objects.filter(name="Heby").order_by("code")
    assert (old.code, old.county.code, old.valid_from, old.valid_to) == (
        "1917",
        "19",
        None,
        datetime.date(2006, 12, 31),
    )
    assert (new.code, new.county.code, new.valid_from, new.valid_to) == (
        "0331",
        "03",
        datetime.date(2007, 1, 1),
        None,
    )


@pytest.mark.parametrize(
    ("day", "count"),
    [
        (datetime.date(1998, 6, 1), 288),
        (datetime.date(1999, 1, 1), 289),
        (datetime.date(2002, 12, 31), 289),
        (datetime.date(2003, 1, 1), 290),
        (datetime.date(2006, 12, 31), 290),
        (datetime.date(2007, 1, 1), 290),
    ],
)
def test_number_of_municipalities_follows_the_splits(day, count):
    assert Municipality.objects.valid_on(day).count() == count


def test_nykvarn_and_knivsta_start_when_they_split_off():
    assert Municipality.objects.get(code="0140").valid_from == datetime.date(1999, 1, 1)
    assert Municipality.objects.get(code="0330").valid_from == datetime.date(2003, 1, 1)


def test_the_21_lead_bodies_are_organisations_of_their_kind_and_county():
    for row in read("lead-bodies.csv"):
        body = Organisation.objects.get(name=row["lead_body_name"])
        assert body.kind.code == row["lead_body_kind"]
        assert body.county.code == row["county_code"]
    assert (
        Organisation.objects.filter(
            kind__code__in=[
                OrganisationKind.COUNTY_ADMINISTRATIVE_BOARD,
                OrganisationKind.SELF_GOVERNING_BODY,
            ]
        ).count()
        == 21
    )


def test_financing_sources_cover_every_roll_up_category():
    categories = set(FinancingSource.objects.values_list("category", flat=True))
    assert categories == set(FinancingSource.Category.values)
    assert FinancingSource.objects.get(code="stat-arbetsmarknad").category == "stat"


def test_organisation_kinds_and_themes_are_there():
    assert set(OrganisationKind.objects.values_list("code", flat=True)) == {
        r["code"] for r in read("organisation-kinds.csv")
    }
    assert list(Theme.objects.values_list("name", flat=True)) == [
        r["name"] for r in sorted(read("themes.csv"), key=lambda r: int(r["sort_order"]))
    ]
    assert Theme.objects.filter(code="klusterarbete").exists()


def test_loading_again_changes_nothing_and_restores_edited_facts():
    County.objects.filter(code="04").update(name="Fel namn")
    theme = Theme.objects.get(code="klusterarbete")
    theme.name = "Klusterpolitik"  # administrators may rename a theme: kept
    theme.save()
    before = Municipality.objects.count(), Organisation.objects.count(), Theme.objects.count()

    call_command("migrate", verbosity=0)
    load_reference_data()

    assert County.objects.get(code="04").name == "Södermanlands län"
    assert Theme.objects.get(code="klusterarbete").name == "Klusterpolitik"
    assert (Municipality.objects.count(), Organisation.objects.count(), Theme.objects.count()) == (
        before
    )
