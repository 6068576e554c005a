from django import template
from django.utils.html import format_html

from goals.fulfilment import SYMBOLS, Assessment

register = template.Library()


@register.simple_tag
def decided(code: str):
    """A published assessment: symbol and word (never colour alone), without the
    "Förslag" wording the internal chain gives the indicators' proposal."""
    if code not in SYMBOLS:
        return ""
    return format_html(
        '<span class="assessment assessment--{} assessment--decided">'
        '<span aria-hidden="true">{} </span>{}</span>',
        code,
        SYMBOLS[code],
        Assessment(code).label,
    )
