"""The start page: takes each role to what it needs."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from followup import access
from followup.models import FollowUpRound


def current_round() -> FollowUpRound | None:
    """The round people work on: the newest open one, else the newest."""
    return (
        FollowUpRound.objects.filter(status=FollowUpRound.Status.OPEN).order_by("-year").first()
        or FollowUpRound.objects.order_by("-year").first()
    )


@login_required
def start(request):
    user = request.user
    round_obj = current_round()
    # TODO(issue 5, in progress): reviewers → the round board, coordinators → their county page.
    return render(
        request,
        "site/start.html",
        {"round": round_obj, "has_role": access.has_role(user)},
        status=200,
    )
