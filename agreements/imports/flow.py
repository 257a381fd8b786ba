"""Upload → preview → confirm (or cancel): the steps of the admin's import page and the review
site's, in one place. The pages differ in where they send the user, not in what happens.

The uploaded file waits in the imports storage under a token (``uploads``) that the session
remembers with the county and the digest of the preview; the confirmation imports exactly that
file, with ``projects_import`` in one transaction, and only if the register still gives the same
plan. Storage and session are shared by every app server: one may preview, another confirm.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.imports import uploads
from agreements.imports.services import ImportRefused, ImportResult, PlanChanged, projects_import
from agreements.models import County

PREVIEW_CHANGES_SHOWN = 500
PREVIEW_PROBLEMS_SHOWN = 500  # a file with errors in every cell would make a page of megabytes

CANCELLED = gettext_lazy("Importen är avbruten. Ingenting har sparats.")
REPLANNED = gettext_lazy(
    "Registret har ändrats sedan förhandsgranskningen. Ingenting har sparats; "
    "granska ändringarna nedan igen."
)


class PreviewGone(Exception):
    """No preview waits under this token in this session: expired, saved, cancelled or forged."""

    message = gettext_lazy(
        "Förhandsgranskningen finns inte längre (den har gått ut eller redan "
        "sparats). Ladda upp filen igen."
    )


@dataclass
class Preview:
    """A checked file: what would happen, and the token to confirm it with (None when there is
    nothing to save: the file has errors or changes nothing)."""

    result: ImportResult
    filename: str
    token: str | None
    replanned: bool = False  # the register changed since the preview the user saw

    @property
    def saved(self) -> bool:
        return self.result.written

    def context(self) -> dict:
        """What a preview page shows, the same on the admin and the review site."""
        changes = self.result.changes
        return {
            "result": self.result,
            "token": self.token,
            "filename": self.filename,
            "counts": [
                (sheet, counts["create"], counts["update"], counts["unchanged"])
                for sheet, counts in self.result.counts.items()
            ],
            "changes": changes[:PREVIEW_CHANGES_SHOWN],
            "changes_hidden": max(0, len(changes) - PREVIEW_CHANGES_SHOWN),
            "problems": self.result.problems[:PREVIEW_PROBLEMS_SHOWN],
            "problems_hidden": max(0, len(self.result.problems) - PREVIEW_PROBLEMS_SHOWN),
        }


def template_filename(county: County) -> str:
    return f"importmall-projekt-{county.code}-{county.short_name}.xlsx"


def upload_preview(*, session, user, county: County, uploaded) -> Preview:
    """Check an uploaded file against ``county`` without writing anything (a dry run).

    A valid file that changes something is stored to wait for the confirmation; any other is
    never stored. Raises ImportRefused when ``user`` may not import into ``county``.
    """
    result = projects_import(county=county, user=user, file=uploaded, dry_run=True)
    token = None
    if result.ok and result.has_changes:
        token = uploads.save(uploaded)
        uploads.remember(
            session, token, county_id=county.pk, digest=result.digest, filename=uploaded.name
        )
    return Preview(result=result, filename=uploaded.name, token=token)


def upload_confirm(*, session, user, token: str, counties) -> Preview:
    """Import the file previewed under ``token``, if its county is one of ``counties``.

    Saved: ``preview.saved`` and the file is gone. If the register changed since the preview,
    nothing is written and the file is checked again (``preview.replanned``), to be confirmed
    anew. Raises PreviewGone for an unknown token and ImportRefused when the preview's county
    is not among ``counties`` or ``user`` may no longer import there.
    """
    entry = uploads.recall(session, token)
    if entry is None:
        raise PreviewGone
    county = counties.filter(pk=entry["county"]).first()
    if county is None:
        uploads.forget(session, token)
        named = County.objects.filter(pk=entry["county"]).first()
        raise ImportRefused(
            _("Du får inte importera projekt till %(county)s.")
            % {"county": named.display_name if named else "–"}
        )
    try:
        file = uploads.local_copy(token)
    except uploads.Gone:  # confirmed a moment ago, through this server or another
        uploads.forget(session, token)
        raise PreviewGone from None
    with file:
        return _confirm(
            session=session, user=user, token=token, county=county, file=file, entry=entry
        )


def _confirm(*, session, user, token: str, county: County, file, entry: dict) -> Preview:
    filename = entry["filename"]
    try:
        result = projects_import(
            county=county, user=user, file=file, dry_run=False, expected_digest=entry["digest"]
        )
    except ImportRefused:
        uploads.forget(session, token)
        raise
    except PlanChanged:
        file.seek(0)
        result = projects_import(county=county, user=user, file=file, dry_run=True)
        if result.ok and result.has_changes:
            uploads.remember(
                session, token, county_id=county.pk, digest=result.digest, filename=filename
            )
        else:
            uploads.forget(session, token)
            token = None
        return Preview(result=result, filename=filename, token=token, replanned=True)
    uploads.forget(session, token)
    return Preview(result=result, filename=filename, token=None)


def upload_cancel(*, session, token: str) -> None:
    """Forget a waiting preview and remove its file. Raises PreviewGone for an unknown token."""
    if uploads.recall(session, token) is None:
        raise PreviewGone
    uploads.forget(session, token)


def saved_message(preview: Preview) -> str:
    return _("Importen är sparad i %(county)s. %(summary)s") % {
        "county": preview.result.county.display_name,
        "summary": summary(preview.result.counts),
    }


def summary(counts: dict) -> str:
    """``Projekt: nya 1, ändrade 1. Finansiering: nya 2.`` — sheets without changes left out."""
    parts = []
    for sheet, numbers in counts.items():
        done = []
        if numbers["create"]:
            done.append(_("nya %(count)s") % {"count": numbers["create"]})
        if numbers["update"]:
            done.append(_("ändrade %(count)s") % {"count": numbers["update"]})
        if done:
            parts.append(f"{sheet}: {', '.join(done)}.")
    return " ".join(parts)
