"""The head of a chain row, rendered in Python.

Röda tråden's branches can hold hundreds of goals. The same markup built by the
template engine cost about 0.3 ms a row (variable lookups, a translation lookup
per string, a URL reversal per link), which broke the 50 ms budget for a
500-goal branch. Here the labels and the URL shape are looked up once per
render and each row is one string; user text (title, owner) is escaped with the
same rules as the template engine's autoescape.
"""

from html import escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from goals.fulfilment import SYMBOLS, Assessment
from goals.models import GoalLevel, GoalStatus
from ledmot.lib.charts import format_number

register = template.Library()

STATUS_SYMBOLS = {"proposed": "◌", "adopted": "●", "revised": "◑", "ended": "■"}


def _plural(forms) -> tuple[str, str]:
    # Swedish and English have the same two forms (n == 1, n != 1). ``forms`` calls
    # ngettext with literal strings, so makemessages finds them.
    return (escape(forms(1)), escape(forms(2)))


def _labels() -> dict:
    marker = 987654321
    detail = reverse("goals:goal_detail", args=[marker]).split(str(marker))
    branch = reverse("goals:goal_branch", args=[marker]).split(str(marker))
    return {
        "detail": (escape(detail[0]), escape(detail[1])),
        "branch": (escape(branch[0]), escape(branch[1])),
        "owner": escape(_("Ägare")),
        "shared": escape(_("Kommungemensamt")),
        "broken": escape(_("Bruten kedja")),
        "unmeasured": escape(_("Saknar indikator – kan inte följas upp")),
        "children": {
            GoalLevel.COUNCIL: _plural(lambda n: ngettext("%(n)s nämndmål", "%(n)s nämndmål", n)),
            GoalLevel.COMMITTEE: _plural(
                lambda n: ngettext("%(n)s enhetsmål", "%(n)s enhetsmål", n)
            ),
        },
        "indicators": _plural(lambda n: ngettext("%(n)s indikator", "%(n)s indikatorer", n)),
        "activities": _plural(lambda n: ngettext("%(n)s aktivitet", "%(n)s aktiviteter", n)),
        "status": {s.value: escape(str(s.label)) for s in GoalStatus},
        "level": {lv.value: escape(str(lv.label)) for lv in GoalLevel},
        "expand": {
            GoalLevel.COUNCIL: escape(_("Visa nämndmål")),
            GoalLevel.COMMITTEE: escape(_("Visa enhetsmål och aktiviteter")),
            GoalLevel.UNIT: escape(_("Visa aktiviteter")),
        },
        "for": escape(_("för")),
        "proposal": escape(_("Förslag till bedömning")),
        "proposal_short": escape(_("Förslag")),
        "assessed": escape(_("Bedömt i")),
        "assessment": {a.value: escape(str(a.label)) for a in Assessment},
        "open_branch": escape(_("Öppna grenen")),
    }


# The labels depend only on the language and the URL prefix: look them up once.
_LABELS: dict[tuple[str, str], dict] = {}


def _labels_for(context=None) -> dict:
    key = (get_language(), get_script_prefix())
    if key not in _LABELS:
        _LABELS[key] = _labels()
    return _LABELS[key]


def _count(forms: tuple[str, str], n: int) -> str:
    return f"<span>{forms[n != 1] % {'n': n}}</span>"


def _assessment_badge(labels: dict, assessment: str, *, visible_prefix: bool = False) -> str:
    """Symbol and word; in a chain row the word "Förslag" shows too, so a proposal is
    never mistaken for the assessment made in a follow-up."""
    prefix = (
        f"{labels['proposal_short']}: "
        if visible_prefix
        else f'<span class="visually-hidden">{labels["proposal"]}: </span>'
    )
    return (
        f'<span class="assessment assessment--{escape(assessment)}" '
        f'title="{labels["proposal"]}"><span aria-hidden="true">{SYMBOLS[assessment]} </span>'
        f"{prefix}{labels['assessment'][assessment]}</span>"
    )


@register.simple_tag
def assessment_word(assessment):
    """Symbol and word in one span, for print (report PDFs): no screen-reader parts."""
    labels = _labels_for()
    return format_html(
        '<span class="assessment assessment--{}">{} {}</span>',
        assessment,
        SYMBOLS[assessment],
        labels["assessment"][assessment],
    )


@register.simple_tag
def assessment_badge(assessment):
    """Symbol and word of a fulfilment assessment: never colour alone."""
    return mark_safe(_assessment_badge(_labels_for(), assessment))  # noqa: S308 - escaped


def _followup_badge(labels: dict, goal) -> str:
    """The assessment made in the latest follow-up, when an app has annotated it."""
    chosen = getattr(goal, "followup_assessment", None)
    if not chosen or chosen not in labels["assessment"]:
        return ""
    round_label = escape(getattr(goal, "followup_round", "") or "")
    return (
        f' <span class="assessment assessment--{escape(chosen)} assessment--decided">'
        f'<span aria-hidden="true">{SYMBOLS[chosen]} </span>'
        f"{labels['assessed']} {round_label}: {labels['assessment'][chosen]}</span>"
    )


def _status_badge(labels: dict, status: str) -> str:
    return (
        f'<span class="badge badge--{escape(status)}"><span aria-hidden="true">'
        f"{STATUS_SYMBOLS.get(status, '■')} </span>{labels['status'].get(status, '')}</span>"
    )


@register.simple_tag
def status_badge(goal):
    return mark_safe(_status_badge(_labels_for(), goal.status))  # noqa: S308 - escaped


@register.simple_tag
def goal_row_summary(goal):
    """Level, linked title, status, owner, counts and flags of one chain row."""
    return mark_safe(_summary(_labels_for(), goal))  # noqa: S308 - user text is escaped


@register.simple_tag
def closed_goal_row(goal):
    """A whole chain row whose branch is folded; opening it loads the branch with htmx.

    Without JavaScript the branch link leads to the chain page with the path open.
    """
    labels = _labels_for()
    parts = [
        f'<li class="goal-row goal-row--{escape(goal.level)}" id="mal-{int(goal.pk)}">',
        _summary(labels, goal),
    ]
    if goal.child_count or goal.activity_count:
        prefix, suffix = labels["branch"]
        url = f"{prefix}{int(goal.pk)}{suffix}"
        parts.append(
            f'<details class="branch" hx-get="{url}" hx-trigger="toggle once" '
            f'hx-target="find ul" hx-swap="innerHTML"><summary>'
            f'{labels["expand"].get(goal.level, "")} <span class="visually-hidden">'
            f"{labels['for']} {escape(goal.title)}</span></summary>"
            f'<ul><li><a href="{url}">{labels["open_branch"]}</a></li></ul></details>'
        )
    parts.append("</li>")
    return mark_safe("".join(parts))  # noqa: S308 - user text is escaped


def _summary(labels: dict, goal) -> str:
    prefix, suffix = labels["detail"]
    parts = [
        f'<div class="goal-row__head"><span class="badge badge--level">'
        f"{labels['level'].get(goal.level, '')}</span> "
        f'<a class="goal-row__title" href="{prefix}{int(goal.pk)}{suffix}">'
        f"{escape(goal.title)}</a> ",
        _status_badge(labels, goal.status),
        _assessment_badge(labels, goal.proposal, visible_prefix=True)
        if goal.indicator_count and goal.status != GoalStatus.ENDED
        else "",
        _followup_badge(labels, goal),
        f'</div><div class="goal-row__meta"><span>{labels["owner"]}: '
        f"{escape(goal.owner.name)}</span>",
    ]
    if goal.level in labels["children"]:
        parts.append(_count(labels["children"][goal.level], goal.child_count))
    parts.append(_count(labels["indicators"], goal.indicator_count))
    if goal.level != GoalLevel.COUNCIL or goal.activity_count:
        # Council goals are reached through the committees: their own activities are rare.
        parts.append(_count(labels["activities"], goal.activity_count))
    if goal.shared:
        parts.append(f"<span>{labels['shared']}</span>")
    parts.append("</div>")
    broken = getattr(goal, "chain_broken", False)
    unmeasured = goal.indicator_count == 0 and goal.status != GoalStatus.ENDED
    if broken or unmeasured:
        parts.append('<div class="goal-row__flags">')
        if broken:
            parts.append(
                f'<span class="flag"><span aria-hidden="true">⚠ </span>{labels["broken"]}</span>'
            )
        if unmeasured:
            parts.append(
                '<span class="flag flag--warn"><span aria-hidden="true">◔ </span>'
                f"{labels['unmeasured']}</span>"
            )
        parts.append("</div>")
    return "".join(parts)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def fmt(value, indicator):
    """A value the Swedish way with the indicator's decimals and unit: "78,4 %"."""
    return format_number(value, indicator.decimals, indicator.unit)
