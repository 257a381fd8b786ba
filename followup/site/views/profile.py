"""Each user's own page: their e-mail address and which messages they want, and their personal
API tokens (made, named and revoked here; a new token is shown once, on the page that made it)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import access
from core.refusals import WriteRefused
from followup.models import ApiToken, User
from followup.selectors.tokens import tokens_of
from followup.services.tokens import api_token_create, api_token_revoke
from followup.services.users import user_update_notices


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("email", "notify_steps", "notify_reminders")
        labels = {"email": gettext_lazy("E-postadress")}
        help_texts = {"email": gettext_lazy("Hit skickas meddelandena. Lämna tomt för inga.")}


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("name",)
        labels = {"name": gettext_lazy("Namn på nyckeln")}


def _page(request, *, form=None, token_form=None, new_token=None, status=200):
    user = request.user
    context = {
        "form": form or ProfileForm(instance=user),
        "may_use_api": access.has_role(user),
        "token_form": token_form or TokenForm(),
        "tokens": tokens_of(user=user),
        "new_token": new_token,
    }
    return render(request, "site/profile.html", context, status=status)


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_update_notices(user=user, **form.cleaned_data)
        messages.success(request, _("Dina val för e-post är sparade."))
        return redirect("site:profile")
    return _page(request, form=form)


@login_required
@require_POST
def api_token_new(request):
    """Make a token and show it, once: this response is the only place it is ever written."""
    if not access.has_role(request.user):
        raise PermissionDenied
    form = TokenForm(request.POST, instance=ApiToken(user=request.user))
    if not form.is_valid():
        return _page(request, token_form=form, status=400)
    try:
        token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
    except WriteRefused as refusal:
        form.add_error(None, refusal.message)
        return _page(request, token_form=form, status=400)
    return _page(request, new_token={"token": token, "raw": raw})


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    """Revoke one of the user's own tokens; anyone else's answers 404."""
    token = tokens_of(user=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    if api_token_revoke(token=token, by=request.user):
        messages.success(request, _("API-nyckeln ”%(name)s” är återkallad.") % {"name": token.name})
    return redirect("site:profile")
