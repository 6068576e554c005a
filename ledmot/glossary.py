"""The glossary (ordlista): its rule, its one write path, and marking the known terms
in a text so that a reader can open each one's definition.

A term in a text is shown as a ``<details>`` (keyboard and screen reader accessible
without any script, never hover-only): its summary is the word as written, its body the
definition and a link to the Ordlista page. Each term is marked once per text, at its
first use; the text is escaped first, so nothing a person wrote can become markup.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ledmot.access import Cap, access_for, refusal
from ledmot.models import GlossaryTerm
from ledmot.services import versioned_delete, versioned_save


def can_edit_glossary(user) -> bool:
    """The glossary belongs to the whole municipality: kept by its controllers."""
    return access_for(user).can_at_root(Cap.MANAGE)


def term_error(term: str, *, pk: int | None = None) -> str | None:
    """Why ``term`` cannot be stored (the one rule: a term, not already in the list
    whatever its case), or None."""
    term = (term or "").strip()
    if not term:
        return _("Skriv termen.")
    same = GlossaryTerm.objects.filter(term__iexact=term)
    if pk is not None:
        same = same.exclude(pk=pk)
    if same.exists():
        return _("Termen %(term)s finns redan i ordlistan.") % {"term": term}
    return None


@transaction.atomic
def glossary_term_save(*, term: GlossaryTerm, user, expected_version: int | None) -> GlossaryTerm:
    """The one write of a glossary term: the controller's screen, the admin and the demo."""
    if user is not None and not can_edit_glossary(user):
        raise refusal(Cap.MANAGE, at_root=True)
    term.term = (term.term or "").strip()
    if message := term_error(term.term, pk=term.pk):
        raise ValidationError({"term": message})
    return versioned_save(term, user=user, expected_version=expected_version)


@transaction.atomic
def glossary_term_delete(*, term: GlossaryTerm, user, expected_version: int) -> None:
    if user is not None and not can_edit_glossary(user):
        raise refusal(Cap.MANAGE, at_root=True)
    versioned_delete(term, user=user, expected_version=expected_version)


def _pattern(terms: list[GlossaryTerm]):
    """One regular expression for every term: the longest first (``intern kontroll``
    before ``kontroll``), a whole word with its Swedish endings (``indikatorerna``)."""
    words = sorted((t.term for t in terms), key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(escape(w)) for w in words)
    return re.compile(rf"(?<!\w)({alternatives})\w*", re.IGNORECASE)


def mark_terms(text: str, terms: list[GlossaryTerm]) -> SafeString:
    """``text`` escaped, with its line breaks kept, and the first use of each known term
    made into a definition the reader can open."""
    escaped = escape(text or "")
    by_word = {escape(t.term).lower(): t for t in terms}
    pattern = _pattern(terms)
    seen: set[str] = set()
    glossary_url = reverse("glossary")

    def replace(match: re.Match) -> str:
        key = match.group(1).lower()
        term = by_word.get(key)
        if term is None or key in seen:
            return match.group(0)
        seen.add(key)
        return (
            f'<details class="term"><summary><dfn>{match.group(0)}</dfn></summary>'
            f'<span class="term__def">{escape(term.definition)} '
            f'<a href="{glossary_url}#{term.anchor}">{escape(_("Ordlistan"))}</a></span>'
            "</details>"
        )

    marked = pattern.sub(replace, escaped) if pattern else escaped
    return mark_safe(marked.replace("\n", "<br>"))  # noqa: S308 - escaped above
