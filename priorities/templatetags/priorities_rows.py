"""The rows of the political overview, rendered in Python.

The largest municipalities send a few hundred proposals to one round; the template
engine spent about 0.3 ms a row on them, which broke the 150 ms budget of the
overview. Built with :mod:`ledmot.lib.html`: words and URL shapes once per table,
user text escaped by ``format_html``.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ledmot.lib.html import PkUrl, format_html, format_html_join, hidden_symbol, join
from priorities.charts import kronor
from priorities.models import FINAL_DECISIONS, Decision, ItemKind, ItemStatus

register = template.Library()

BR = mark_safe("<br>")


def _muted(text) -> SafeString:
    return format_html('<span class="muted">{}</span>', text)


def _words(result) -> dict:
    """Everything a row says that is not the proposal's own text."""
    words = {
        "inside": format_html(
            '<span class="prio-fit">{}{}</span>', hidden_symbol("✓"), gettext("Inom")
        ),
        "carried": format_html(
            '<span class="prio-fit">{}{}</span>',
            hidden_symbol("✓"),
            gettext("Över ramen här; ryms med besparingarna nedanför"),
        ),
        "outside": format_html(
            '<span class="prio-nofit">{}{}</span>', hidden_symbol("✗"), gettext("Utanför")
        ),
        "at_committee": _muted(gettext("Hos nämnden")),
        "not_counted": _muted(gettext("Räknas inte")),
        "undecided": _muted(gettext("Ej beslutat")),
        "decide": gettext("Besluta"),
        "about": gettext("om"),
        "suggested": gettext("föreslagen"),
        # Choice labels are lazy: translated once here, not once per row.
        "kinds": {value: str(label) for value, label in ItemKind.choices},
        "decisions": {value: str(label) for value, label in Decision.choices},
        "line": "",
        "memo": {},  # pieces that recur across rows (a committee, a decision badge)
    }
    if result.line_after is not None and result.left is not None:
        words["line"] = format_html(
            '<tr class="prio-line"><td colspan="8"><strong>{}{}</strong></td></tr>',
            hidden_symbol("✂"),
            gettext("Här tar ramen slut – %(left)s kvar av ramen. Förslagen nedanför ryms inte.")
            % {"left": kronor(result.left)},
        )
    return words


def _decision_badge(decision: str, label, symbols: dict) -> SafeString:
    return format_html(
        '<span class="prio-decision prio-decision--{}">{}{}</span>',
        decision,
        hidden_symbol(symbols.get(decision, "")),
        label,
    )


@register.simple_tag
def decision_badge(decision: str, symbols: dict):
    """Symbol and word of a decision (the overview's rows, the worksheet, the item page)."""
    return _decision_badge(decision, dict(Decision.choices).get(decision, decision), symbols)


def _once(words: dict, key, build) -> SafeString:
    memo = words["memo"]
    if key not in memo:
        memo[key] = build()
    return memo[key]


def _decision(item, words: dict, symbols: dict) -> SafeString:
    if not item.decision:
        return words["undecided"]
    when = item.decided_on.strftime("%Y-%m-%d") if item.decided_on else ""
    paragraph = f" {item.decision_paragraph}" if item.decision_paragraph else ""
    badge = _once(
        words,
        ("decision", item.decision),
        lambda: _decision_badge(item.decision, words["decisions"].get(item.decision, ""), symbols),
    )
    return format_html("{}<br>{}", badge, _muted(when + paragraph))


def _row(item, words: dict, symbols: dict, can_decide: bool, item_url, pdf: bool) -> SafeString:
    row = item.frame_row
    classes = []
    if row and not row.within:
        classes.append("prio-beyond")
    if item.decision == "avslagen":
        classes.append("prio-rejected")
    rank = [str(item.effective_rank) if item.effective_rank else "–"]
    if item.rank and item.suggested_rank and item.rank != item.suggested_rank:
        rank += [BR, _muted(f"({words['suggested']}: {int(item.suggested_rank)})")]
    if row:
        frame = words[("carried" if row.over else "inside") if row.within else "outside"]
        cumulative = kronor(row.cumulative)
    else:
        frame = words["at_committee" if item.decision == "aterremitterad" else "not_counted"]
        cumulative = "–"
    decision = [_decision(item, words, symbols)]
    url = f"#objekt-{int(item.pk)}" if pdf else item_url(item.pk)
    if can_decide and item.status == ItemStatus.SUBMITTED and item.decision not in FINAL_DECISIONS:
        decision += [
            BR,
            format_html(
                '<a href="{}">{}<span class="visually-hidden"> {} {}</span></a>',
                item_url(item.pk) + words["decide_suffix"],
                words["decide"],
                words["about"],
                item.title,
            ),
        ]
    return format_html(
        '<tr{} class="{}"><td class="num">{}</td><th scope="row"><a href="{}">{}</a><br>{}</th>'
        '<td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        "<td>{}</td><td>{}</td></tr>",
        "" if pdf else mark_safe(f' id="objekt-{int(item.pk)}"'),  # noqa: S308 (a number)
        " ".join(classes),
        item.position or "–",
        url,
        item.title,
        _once(
            words,
            ("committee", item.worksheet.committee.name),
            lambda: _muted(item.worksheet.committee.name),
        ),
        words["kinds"].get(item.kind, ""),
        join(rank),
        kronor(item.cost_budget),
        cumulative,
        frame,
        join(decision),
    )


@register.simple_tag
def overview_rows(items, result, can_decide: bool, symbols: dict, pdf: bool = False):
    """Table body of the ranked proposals, with the frame line before the first row
    that does not fit (see ``views.overview``). In a PDF the titles link to the fact
    sheets further down the document."""
    words = _words(result)
    item_url = PkUrl("priorities:item_detail")
    # The decision link's query and fragment, encoded once for the table.
    words["decide_suffix"] = item_url(0, query={"next": "oversikt"}, fragment="#beslut")[
        len(item_url(0)) :
    ]
    out = []
    for item in items:
        if getattr(item, "line_before", False):
            out.append(words["line"])
        out.append(_row(item, words, symbols, can_decide, item_url, pdf))
    return join(out)


@register.simple_tag
def goal_effect_rows(goal_effects):
    """The expected effect per goal (one row per goal the proposals serve)."""
    goal_url = PkUrl("goals:goal_detail")
    return format_html_join(
        "",
        '<tr><th scope="row"><a href="{}">{}</a> <span class="muted">({})</span></th>'
        '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        '<td class="num">{}</td><td class="num">{}</td></tr>',
        (
            (
                goal_url(g["pk"]),
                g["title"],
                g["owner"],
                g["items"],
                g["effect"],
                g["within"],
                g["adopted"],
                kronor(g["cost"]),
            )
            for g in goal_effects
        ),
    )
