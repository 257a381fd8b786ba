"""The start page: takes each role to what it needs."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from agreements.models import County
from core import access
from followup.site.views.common import current_round


@login_required
def start(request):
    """Ministry staff → the round board; a coordinator → their county in the current round."""
    user = request.user
    round_obj = current_round()
    if round_obj is not None and access.has_role(user):
        if access.is_administrator(user) or access.is_reviewer(user):
            return redirect("site:board", year=round_obj.year)
        county = (
            County.objects.filter(pk__in=access.coordinated_county_ids(user))
            .order_by("code")
            .first()
        )
        if county is not None:
            return redirect("site:county", year=round_obj.year, code=county.code)
    return render(
        request, "site/start.html", {"round": round_obj, "has_role": access.has_role(user)}
    )
