"""What every page of the review site needs: a role, the round, and a county the user reads."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from agreements.models import County
from core import access
from followup.models import FollowUpRound


def role_required(view):
    """Logged in (else the login page) and holding a role (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.has_role(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def round_or_404(year: int) -> FollowUpRound:
    return get_object_or_404(FollowUpRound, year=year)


def county_or_404(user, code: str) -> County:
    """A county whose register the user reads; any other answers as a county that does not
    exist (another county's coordinator cannot tell the two apart)."""
    county = County.objects.filter(code=code).first()
    if county is None or not access.may_read_county(user, county.pk):
        raise Http404
    return county


def importable_county_or_404(user, code: str) -> County:
    """A county the user may import projects into; any other answers as one that does not exist
    (to the ministry and to another county's coordinator alike)."""
    county = County.objects.filter(code=code).first()
    if county is None or not access.may_import(user, county.pk):
        raise Http404
    return county


def current_round() -> FollowUpRound | None:
    """The round people work on: the newest open one, else the newest."""
    return (
        FollowUpRound.objects.filter(status=FollowUpRound.Status.OPEN).order_by("-year").first()
        or FollowUpRound.objects.order_by("-year").first()
    )
