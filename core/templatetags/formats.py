"""The one format module (``core.formats``) in templates: ``{% load formats %}`` then
``{{ total|kronor }}``, ``{{ value|mnkr }}``, ``{{ share|percent }}``, ``{{ round.year|year }}``,
``{{ value|amount }}``."""

from django import template

from core import formats

register = template.Library()

register.filter("kronor", formats.kronor)
register.filter("mnkr", formats.mnkr)
register.filter("percent", formats.percent)
register.filter("year", formats.year)
register.filter("amount", formats.amount)
