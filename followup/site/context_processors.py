"""The site's main menu, for the ``site_nav`` loop of templates/site/base.html."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import County
from core import access
from followup.site.views.common import current_round


def site_nav(request) -> dict:
    """Links to the current round's pages and, for a coordinator, their own county's page."""
    user = getattr(request, "user", None)
    if user is None or not access.has_role(user) or not request.resolver_match:
        return {}
    if request.resolver_match.namespace != "site":
        return {}
    round_obj = current_round()
    if round_obj is None:
        return {}
    year = round_obj.year
    items = []
    for code in (
        County.objects.filter(pk__in=access.coordinated_county_ids(user))
        .order_by("code")
        .values_list("code", flat=True)
    ):
        items.append((reverse("site:county", args=[year, code]), _("Mitt län")))
    items += [
        (reverse("site:board", args=[year]), _("Omgång %(year)s") % {"year": year}),
        (reverse("site:matrix", args=[year]), _("Jämförelse")),
        (reverse("site:financing", args=[year]), _("Finansiering")),
        (reverse("site:projects"), _("Projekt")),
        (reverse("site:observations"), _("Iakttagelser")),
        (reverse("site:organisations"), _("Organisationer")),
    ]
    return {
        "site_nav": [
            {"url": url, "label": label, "current": request.path == url} for url, label in items
        ]
    }
