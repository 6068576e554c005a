"""Swedish money formats for the priority screens: ``1 250 000 kr``, ``12,5 mnkr``."""

from django import template

from priorities.charts import kronor as _kronor
from priorities.charts import mnkr as _mnkr

register = template.Library()


@register.filter
def kronor(value):
    """Whole kronor with a space as thousands separator; a saving gets a minus sign."""
    return _kronor(value)


@register.filter
def mnkr(value):
    return _mnkr(value or 0)


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if mapping else ""
