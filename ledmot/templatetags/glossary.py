"""``{% glossary_text text %}``: a text with the glossary's terms marked (see
:mod:`ledmot.glossary`); the terms are read once per request."""

from django import template

from ledmot.glossary import mark_terms
from ledmot.models import GlossaryTerm

register = template.Library()


@register.simple_tag(takes_context=True)
def glossary_text(context, text):
    if not text:
        return ""
    request = context.get("request")
    terms = getattr(request, "_ledmot_glossary", None)
    if terms is None:
        terms = list(GlossaryTerm.objects.only("term", "definition"))
        if request is not None:
            request._ledmot_glossary = terms
    return mark_terms(str(text), terms)
