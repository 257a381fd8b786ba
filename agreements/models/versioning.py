"""Optimistic locking: a save based on a stale copy is refused, so no edit is silently lost.

Every record people edit carries a version number. Saving an existing record updates it only
where the version in the database is still the one the editor started from, and bumps it; if
someone else saved in between, StaleObjectError is raised and the other person's data stays.
"""

from django.db import models
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from core.refusals import WriteRefused


class StaleObjectError(WriteRefused):
    """Someone else saved the record after this copy of it was read."""

    def __init__(self, obj):
        self.obj = obj
        super().__init__(
            _(
                "Någon annan har ändrat ”%(object)s” sedan du öppnade den. Dina ändringar har "
                "inte sparats. Ladda om sidan för att se den senaste versionen och gör om "
                "ändringen."
            )
            % {"object": obj}
        )


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Räknas upp vid varje ändring; skyddar mot att ändringar skrivs över."),
    )

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        version_field = self._meta.get_field("version")
        if getattr(self, "_raw_save", False) or not any(
            field is version_field for field, _model, _value in values
        ):
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        seen = self.version
        values = [
            (field, model, seen + 1 if field is version_field else value)
            for field, model, value in values
        ]
        if base_qs.filter(pk=pk_val, version=seen)._update(values) > 0:
            self.version = seen + 1
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise StaleObjectError(self)
        return False


# A raw save (loaddata: fixtures, restoring a backup) writes exactly what the file holds, the
# version included; it is not an edit. loaddata calls Model.save_base directly, so the raw flag
# is only seen through the save signals.
@receiver(pre_save, dispatch_uid="versioning-raw-save-start")
def _note_raw_save(sender, instance, raw=False, **kwargs):
    if isinstance(instance, VersionedModel):
        instance._raw_save = raw


@receiver(post_save, dispatch_uid="versioning-raw-save-end")
def _clear_raw_save(sender, instance, **kwargs):
    if isinstance(instance, VersionedModel):
        instance._raw_save = False
