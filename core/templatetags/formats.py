"""The one format module (``core.formats``) in templates: ``{% load formats %}`` then
``{{ total|kronor }}``, ``{{ value|mnkr }}``, ``{{ share|percent }}``, ``{{ round.year|year }}``,
``{{ value|amount }}``."""

from django import template

from core import formats, typography

register = template.Library()

register.filter("kronor", formats.kronor)
register.filter("mnkr", formats.mnkr)
register.filter("percent", formats.percent)
register.filter("year", formats.year)
register.filter("amount", formats.amount)
# Typography for narrow places (``core.typography``): ``{{ theme.name|hyphenate }}``,
# ``{{ user.email|break_at_sign }}``.
register.filter("hyphenate", typography.hyphenate)
register.filter("break_at_sign", typography.breakable_address)
