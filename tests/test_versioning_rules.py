"""Optimistic locking, rule by rule: a save moves the version on by exactly one, only from the
version the editor read; a deleted row is not "stale"; a save of some fields only, and a raw
load, write without a version check."""

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from agreements.models import Project
from agreements.models.versioning import StaleObjectError
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    measure = builders.measure(area=builders.priority_area(agreement_obj=builders.agreement()))
    return builders.project(measure_obj=measure, title="Titel")


def stored(project) -> tuple:
    return Project.objects.filter(pk=project.pk).values_list("title", "version").get()


def test_each_save_moves_the_version_on_by_one_in_the_row_and_the_copy(project):
    assert project.version == 1
    project.title = "Ett"
    project.save()
    assert project.version == 2 and stored(project) == ("Ett", 2)
    project.save()
    assert project.version == 3 and stored(project) == ("Ett", 3)


def test_a_save_changes_its_own_row_only_not_others_at_the_same_version(project):
    """The version check picks the row by its key and its version: another project that happens
    to be at the same version is left as it was."""
    other = builders.project(measure_obj=project.measure, title="Den andra")
    assert other.version == project.version == 1

    project.title = "Ändrad"
    project.save()

    assert stored(project) == ("Ändrad", 2)
    assert stored(other) == ("Den andra", 1)


def test_a_stale_copy_is_refused_and_names_the_record(project):
    stale = Project.objects.get(pk=project.pk)
    project.save()
    stale.title = "Från en gammal kopia"
    with pytest.raises(StaleObjectError) as error, transaction.atomic():
        stale.save()
    assert error.value.obj is stale
    assert error.value.message == (
        f"Någon annan har ändrat ”{stale}” sedan du öppnade den. Dina ändringar har inte "
        "sparats. Ladda om sidan för att se den senaste versionen och gör om ändringen."
    )
    assert stored(project) == ("Titel", 2)
    assert stale.version == 1  # the copy keeps the version it had


def test_a_copy_ahead_of_the_row_is_refused_too(project):
    ahead = Project.objects.get(pk=project.pk)
    ahead.version = 5
    with pytest.raises(StaleObjectError), transaction.atomic():
        ahead.save()
    assert stored(project) == ("Titel", 1)


def test_a_row_deleted_meanwhile_is_inserted_again_as_django_would(project):
    copy = Project.objects.get(pk=project.pk)
    Project.objects.filter(pk=project.pk).delete()
    copy.title = "Sparad efter borttagning"
    copy.save()  # no row to be stale against: Django's own update-then-insert
    assert stored(copy) == ("Sparad efter borttagning", 1)


def test_saving_chosen_fields_without_the_version_writes_them_as_they_are(project):
    stale = Project.objects.get(pk=project.pk)
    project.save()
    stale.title = "Bara titeln"
    stale.save(update_fields=["title"])  # an internal partial write: no version check
    assert stored(project) == ("Bara titeln", 2)


def test_saving_the_version_field_among_others_is_checked(project):
    stale = Project.objects.get(pk=project.pk)
    project.save()
    stale.title = "Med versionen"
    with pytest.raises(StaleObjectError), transaction.atomic():
        stale.save(update_fields=["title", "version"])


def test_a_fixture_loads_its_version_unchecked_and_later_saves_are_checked_again(project, tmp_path):
    project.title = "I filen"
    project.save()  # version 2 in the file
    fixture = tmp_path / "p.json"
    fixture.write_text(serializers.serialize("json", [project]), encoding="utf-8")
    Project.objects.filter(pk=project.pk).update(title="Ändrad efteråt", version=7)
    call_command("loaddata", str(fixture), verbosity=0)
    assert stored(project) == ("I filen", 2)
    loaded = Project.objects.get(pk=project.pk)
    loaded.save()  # an edit again: checked and moved on
    assert loaded.version == 3 and not loaded._raw_save
