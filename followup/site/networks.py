"""A cluster's network — its actors and the links between them — worded and drawn the same way
on the county page and on the cluster's own page."""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agreements.models import ClusterLink
from followup.site import charts

NETWORK_LIMIT = 24  # more actors than this are listed, not drawn


def link_row(
    *,
    source: str,
    target: str,
    direction: str,
    goods: bool,
    services: bool,
    knowledge: bool,
    description: str,
) -> dict:
    """One link as its table and drawing show it: what it carries, in words."""
    flows = ((goods, _("varor")), (services, _("tjänster")), (knowledge, _("kunskap")))
    carries = [str(label) for flag, label in flows if flag]
    return {
        "source": source,
        "target": target,
        "direction": ClusterLink.Direction(direction).label,
        "vertical": direction == ClusterLink.Direction.VERTICAL,
        "carries": ", ".join(carries),
        "description": description,
    }


def drawing(
    *, label_id: str, name: str, actors: list[tuple[str, bool]], links: list[dict]
) -> SafeString | None:
    """The actors on a circle (working-group members filled) and the links between them; None
    for a cluster of one actor, or of more than can be drawn legibly (the tables list them)."""
    if not 1 < len(actors) <= NETWORK_LIMIT:
        return None
    return charts.network(
        label_id=label_id,
        title=_("Nätverk i klustret %(name)s") % {"name": name},
        description=_(
            "Aktörer på en cirkel; fyllda punkter är med i arbetsgruppen. Heldragna "
            "linjer är vertikala länkar, streckade horisontella. Tabellen har alla länkar."
        ),
        nodes=actors,
        edges=[(link["source"], link["target"], link["vertical"]) for link in links],
    )
