"""The upload form of the import pages (the admin's adds a county; the review site's has it in
the address)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.imports.reader import size_mb
from agreements.models import County


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Ifylld importmall (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Länets importmall, ifylld och sparad som Excel-arbetsbok (.xlsx). "
            "Största tillåtna storlek är %(limit)s MB."
        ) % {"limit": size_mb(settings.IMPORT_MAX_BYTES)}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(limit)s MB.")
                % {"size": size_mb(uploaded.size), "limit": size_mb(limit)}
            )
        return uploaded


class CountyUploadForm(UploadForm):
    """The admin's form: the county is chosen among those the user may import into."""

    county = forms.ModelChoiceField(
        label=gettext_lazy("Län"), queryset=County.objects.none(), empty_label=None
    )
    field_order = ["county", "file"]

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if len(counties) == 1:  # shown as text; the choice is still checked on POST
            self.fields["county"].widget = forms.HiddenInput()
