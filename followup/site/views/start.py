"""The start page: what is each person's to do now (``followup.selectors.todo``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core import access
from followup.selectors import todo
from followup.site.views.common import current_round


@login_required
def start(request):
    """A coordinator's counties and what their reports still need; a reviewer's reports to
    review, oldest first; an administrator's rounds to open or close. Each with its links."""
    user = request.user
    today = timezone.localdate()
    round_obj = current_round()
    has_role = access.has_role(user)
    context = {"round": round_obj, "has_role": has_role, "today": today}
    if has_role:
        context |= {
            "counties": todo.coordinator_todo(user=user, today=today),
            "reviews": todo.reviewer_todo(user=user, today=today),
            "rounds": todo.administrator_todo(user=user),
            "is_coordinator": access.is_coordinator(user),
            "is_reviewer": access.is_reviewer(user),
            "is_administrator": access.is_administrator(user),
            "OPEN": todo.OPEN,
        }
    return render(request, "site/start.html", context)
