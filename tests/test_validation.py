"""Bad input gets a clear Swedish message, from the model's validation and from the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from agreements.models import (
    Agreement,
    ClusterLink,
    FinancialFrame,
    FinancingLine,
    Organisation,
    Partnership,
    Project,
)
from agreements.validators import normalise_org_number
from followup.models import CountyReport
from tests import builders

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.fixture
def measure_04():
    agreement = builders.agreement(county_code="04")
    return builders.measure(area=builders.priority_area(agreement_obj=agreement))


# --- organisationsnummer ---------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["556012-5790", "5560125790", "556012 5790", " 16556012-5790 ", "165560125790"]
)
def test_org_number_is_stored_normalised(raw):
    org = Organisation(name="Volvo AB", kind=builders.kind(), org_number=raw)
    org.full_clean()
    org.save()
    assert Organisation.objects.get(pk=org.pk).org_number == "556012-5790"


def test_org_number_with_wrong_checksum_is_refused_in_swedish():
    org = Organisation(name="Felaktigt AB", kind=builders.kind(), org_number="556012-5791")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "org_number" in error.value.message_dict
    assert "kontrollsiffran stämmer inte" in messages(error.value)


@pytest.mark.parametrize("raw", ["12345", "556012-579", "ABCDEF-1234", "556012-57901"])
def test_org_number_of_wrong_shape_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        normalise_org_number(raw)
    assert "ska ha tio siffror" in messages(error.value)


def test_org_number_is_unique_when_given_but_may_be_left_empty():
    Organisation.objects.create(name="A AB", kind=builders.kind(), org_number="556012-5790")
    Organisation.objects.create(name="Utan nummer 1", kind=builders.kind())
    Organisation.objects.create(name="Utan nummer 2", kind=builders.kind())
    duplicate = Organisation(name="B AB", kind=builders.kind(), org_number="5560125790")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Det finns redan en organisation med det organisationsnumret." in messages(error.value)


def test_home_municipality_must_lie_in_the_home_county():
    org = Organisation(
        name="Fel län AB",
        kind=builders.kind(),
        county=builders.county("05"),
        municipality=builders.county("04").municipalities.get(code="0484"),
    )
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert error.value.message_dict["municipality"] == [
        "Hemkommunen ligger inte i det valda hemlänet."
    ]


# --- periods and dates -------------------------------------------------------------------


def test_project_ending_before_it_starts_is_refused(measure_04):
    project = builders.project(measure_obj=measure_04)
    project.start_date = datetime.date(2002, 1, 1)
    project.end_date = datetime.date(2001, 1, 1)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "Slutdatum kan inte vara före startdatum." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        project.save()


def test_agreement_ending_before_it_starts_is_refused():
    agreement = Agreement(
        county=builders.county("04"),
        start_year=2003,
        end_year=2000,
        lead_body=builders.lead_body("04"),
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "Sista året kan inte vara före första året." in messages(error.value)


def test_second_agreement_of_same_kind_and_period_in_a_county_is_refused():
    builders.agreement(county_code="04")
    again = Agreement(
        county=builders.county("04"), start_year=2000, end_year=2003, lead_body=builders.lead_body()
    )
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "Länet har redan ett avtal av den typen för samma period." in messages(error.value)
    builders.agreement(county_code="05")  # another county may have the same period


def test_frame_year_outside_the_agreement_period_is_refused(measure_04):
    frame = FinancialFrame(
        priority_area=measure_04.priority_area,
        source=builders.source(),
        year=2005,
        amount=Decimal("100"),
    )
    with pytest.raises(ValidationError) as error:
        frame.full_clean()
    assert error.value.message_dict["year"] == ["Året ligger utanför avtalets period 2000–2003."]


# --- money ---------------------------------------------------------------------------------


def test_negative_amount_is_refused(measure_04):
    line = FinancingLine(
        project=builders.project(measure_obj=measure_04),
        source=builders.source(),
        year=2001,
        amount=Decimal("-1"),
    )
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.message_dict["amount"] == ["Beloppet får inte vara negativt."]
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()


def test_negative_frame_is_refused_by_the_database(measure_04):
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancialFrame.objects.create(
            priority_area=measure_04.priority_area,
            source=builders.source(),
            year=2001,
            amount=Decimal("-5"),
        )


def test_amounts_keep_their_decimals(measure_04):
    line = builders.financing_line(
        project_obj=builders.project(measure_obj=measure_04), amount="1234567.89"
    )
    line.refresh_from_db()
    assert line.amount == Decimal("1234567.89")


# --- links between records -----------------------------------------------------------------


def test_project_with_a_measure_of_another_agreement_is_refused(measure_04):
    other_agreement = builders.agreement(county_code="04", start_year=2004, end_year=2007)
    other_measure = builders.measure(area=builders.priority_area(agreement_obj=other_agreement))
    project = builders.project(measure_obj=measure_04)
    project.measure = other_measure
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.message_dict["measure"] == [
        "Åtgärden hör till ett annat avtal än projektets."
    ]


def test_project_in_a_municipality_of_another_county_is_refused(measure_04):
    project = builders.project(measure_obj=measure_04)
    project.municipality = builders.county("05").municipalities.first()
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.message_dict["municipality"] == ["Kommunen ligger inte i projektets län."]


def test_reference_numbers_are_unique_per_county_only(measure_04):
    builders.project(measure_obj=measure_04, reference_number="301-1-00")
    duplicate = builders.project(measure_obj=measure_04, reference_number="301-2-00")
    duplicate.reference_number = "301-1-00"
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Länet har redan ett projekt med det diarienumret." in messages(error.value)

    agreement_05 = builders.agreement(county_code="05")
    measure_05 = builders.measure(area=builders.priority_area(agreement_obj=agreement_05))
    assert builders.project(measure_obj=measure_05, reference_number="301-1-00").pk


def test_cluster_link_from_an_actor_to_itself_is_refused():
    cluster = builders.cluster()
    actor = builders.cluster_actor(cluster_obj=cluster)
    link = ClusterLink(
        cluster=cluster,
        from_actor=actor,
        to_actor=actor,
        direction=ClusterLink.Direction.VERTICAL,
        goods=True,
    )
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "En länk kan inte gå från en aktör till sig själv." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


def test_cluster_link_must_carry_something():
    cluster = builders.cluster()
    a, b = builders.cluster_actor(cluster_obj=cluster), builders.cluster_actor(cluster_obj=cluster)
    link = ClusterLink(cluster=cluster, from_actor=a, to_actor=b, direction="horisontell")
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "Ange vad länken för med sig" in messages(error.value)


def test_cluster_link_between_actors_of_another_cluster_is_refused():
    cluster, other = builders.cluster(), builders.cluster()
    a = builders.cluster_actor(cluster_obj=cluster)
    b = builders.cluster_actor(cluster_obj=other)
    link = ClusterLink(cluster=cluster, from_actor=a, to_actor=b, direction="vertikal", goods=True)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert error.value.message_dict["to_actor"] == ["Aktören hör till ett annat kluster."]


def test_local_partnership_needs_a_municipality():
    partnership = Partnership(
        county=builders.county("04"),
        name="Lokalt partnerskap Eskilstuna",
        level=Partnership.Level.LOCAL,
        kind=Partnership.Kind.ACTING,
    )
    with pytest.raises(ValidationError) as error:
        partnership.full_clean()
    assert "Ett lokalt partnerskap måste ha en kommun." in messages(error.value)


def test_one_report_per_county_and_round():
    round_obj = builders.follow_up_round()
    builders.county_report(round_obj=round_obj, county_code="04")
    again = CountyReport(round=round_obj, county=builders.county("04"))
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "Länet har redan en rapport i den omgången." in messages(error.value)


# --- deleting what people entered ------------------------------------------------------------


def test_deleting_an_agreement_with_projects_is_refused(measure_04):
    project = builders.project(measure_obj=measure_04)
    builders.financing_line(project_obj=project)
    with pytest.raises(ProtectedError):
        measure_04.agreement.delete()
    with pytest.raises(ProtectedError):
        project.delete()
    assert Project.objects.filter(pk=project.pk).exists()


def test_deleting_an_organisation_that_owns_projects_is_refused(measure_04):
    project = builders.project(measure_obj=measure_04)
    with pytest.raises(ProtectedError):
        project.owner.delete()
