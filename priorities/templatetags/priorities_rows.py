"""The rows of the political overview, rendered in Python.

The largest municipalities send a few hundred proposals to one round; the template
engine spent about 0.3 ms a row on them, which broke the 150 ms budget of the
overview. Labels and URL shapes are looked up once per table; every piece of user
text is escaped (same rules as autoescape).
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from priorities.charts import kronor
from priorities.models import FINAL_DECISIONS, Decision, ItemKind, ItemStatus

register = template.Library()

_MARKER = 987654321


def _url_parts(name: str) -> tuple[str, str]:
    prefix, suffix = reverse(name, args=[_MARKER]).split(str(_MARKER))
    return escape(prefix), escape(suffix)


@register.simple_tag
def overview_rows(items, result, can_decide: bool, symbols: dict, pdf: bool = False):
    """Table body of the ranked proposals, with the frame line before the first row
    that does not fit (see ``views.overview``). In a PDF the titles link to the fact
    sheets further down the document."""
    prefix, suffix = _url_parts("priorities:item_detail")
    # gettext outside the f-strings, so that makemessages finds the words.
    words = {
        "inside": escape(_("Inom")),
        "outside": escape(_("Utanför")),
        "at_committee": escape(_("Hos nämnden")),
        "not_counted": escape(_("Räknas inte")),
        "undecided": escape(_("Ej beslutat")),
    }
    inside = f'<span class="prio-fit"><span aria-hidden="true">✓ </span>{words["inside"]}</span>'
    outside = (
        f'<span class="prio-nofit"><span aria-hidden="true">✗ </span>{words["outside"]}</span>'
    )
    at_committee = f'<span class="muted">{words["at_committee"]}</span>'
    not_counted = f'<span class="muted">{words["not_counted"]}</span>'
    undecided = f'<span class="muted">{words["undecided"]}</span>'
    decide = escape(_("Besluta"))
    about = escape(_("om"))
    suggested = escape(_("föreslagen"))
    kinds = {value: escape(str(label)) for value, label in ItemKind.choices}
    decisions = {value: escape(str(label)) for value, label in Decision.choices}
    line = ""
    if result.line_after is not None and result.left is not None:
        line = (
            '<tr class="prio-line"><td colspan="8"><strong><span aria-hidden="true">✂ </span>'
            + escape(
                _("Här tar ramen slut – %(left)s kvar av ramen. Förslagen nedanför ryms inte.")
                % {"left": kronor(result.left)}
            )
            + "</strong></td></tr>"
        )
    out = []
    for item in items:
        if getattr(item, "line_before", False):
            out.append(line)
        row = item.frame_row
        classes = []
        if row and not row.within:
            classes.append("prio-beyond")
        if item.decision == "avslagen":
            classes.append("prio-rejected")
        title = escape(item.title)
        rank = str(item.effective_rank) if item.effective_rank else "–"
        if item.rank and item.suggested_rank and item.rank != item.suggested_rank:
            rank += f'<br><span class="muted">({suggested}: {int(item.suggested_rank)})</span>'
        if row:
            frame = inside if row.within else outside
            cumulative = kronor(row.cumulative)
        else:
            frame = at_committee if item.decision == "aterremitterad" else not_counted
            cumulative = "–"
        if item.decision:
            when = item.decided_on.strftime("%Y-%m-%d") if item.decided_on else ""
            paragraph = f" {escape(item.decision_paragraph)}" if item.decision_paragraph else ""
            decision = (
                f'<span class="prio-decision prio-decision--{escape(item.decision)}">'
                f'<span aria-hidden="true">{symbols.get(item.decision, "")} </span>'
                f"{decisions.get(item.decision, '')}</span>"
                f'<br><span class="muted">{when}{paragraph}</span>'
            )
        else:
            decision = undecided
        url = f"#objekt-{int(item.pk)}" if pdf else f"{prefix}{int(item.pk)}{suffix}"
        row_id = "" if pdf else f' id="objekt-{int(item.pk)}"'
        if (
            can_decide
            and item.status == ItemStatus.SUBMITTED
            and item.decision not in FINAL_DECISIONS
        ):
            decision += (
                f'<br><a href="{url}?next=oversikt#beslut">{decide}'
                f'<span class="visually-hidden"> {about} {title}</span></a>'
            )
        out.append(
            f'<tr{row_id} class="{" ".join(classes)}">'
            f'<td class="num">{item.position or "–"}</td>'
            f'<th scope="row"><a href="{url}">{title}</a><br>'
            f'<span class="muted">{escape(item.worksheet.committee.name)}</span></th>'
            f"<td>{kinds.get(item.kind, '')}</td>"
            f'<td class="num">{rank}</td>'
            f'<td class="num">{kronor(item.cost_budget)}</td>'
            f'<td class="num">{cumulative}</td>'
            f"<td>{frame}</td><td>{decision}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - user text is escaped above


@register.simple_tag
def goal_effect_rows(goal_effects):
    """The expected effect per goal (one row per goal the proposals serve)."""
    prefix, suffix = _url_parts("goals:goal_detail")
    return mark_safe(  # noqa: S308 - user text is escaped
        "".join(
            f'<tr><th scope="row"><a href="{prefix}{int(g["pk"])}{suffix}">{escape(g["title"])}</a>'
            f' <span class="muted">({escape(g["owner"])})</span></th>'
            f'<td class="num">{g["items"]}</td><td class="num">{g["effect"]}</td>'
            f'<td class="num">{g["within"]}</td><td class="num">{g["adopted"]}</td>'
            f'<td class="num">{kronor(g["cost"])}</td></tr>'
            for g in goal_effects
        )
    )
