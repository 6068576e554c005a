"""The rows of the goal chain, rendered in Python.

Röda tråden's branches can hold hundreds of goals. The same markup built by the
template engine cost about 0.3 ms a row (variable lookups, a translation lookup
per string, a URL reversal per link), which broke the 50 ms budget for a
500-goal branch. The row is built here with :mod:`ledmot.lib.html` (labels once per
render, user text escaped by ``format_html``), and this is its only shell: an open
row (the no-JavaScript path) gets the same ``<li>`` and ``<details>`` with its branch
inside (:func:`_branch`). A list of rows is one tag (``{% goal_rows goals %}``): a
template include per row cost as much as the row.
"""

from collections.abc import Callable

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from goals.fulfilment import SYMBOLS, Assessment
from goals.models import GoalLevel, GoalStatus, GoalType
from ledmot.lib.charts import format_number
from ledmot.lib.html import PkUrl, format_html, hidden_symbol, join, per_render

register = template.Library()

ACTIVITIES = "goals/_activity_list.html"
STATUS_SYMBOLS = {"proposed": "◌", "adopted": "●", "revised": "◑", "ended": "■"}


def _counts(forms) -> tuple[str, str]:
    # Swedish and English have the same two forms (n == 1, n != 1). ``forms`` calls
    # ngettext with literal strings, so makemessages finds them.
    return (forms(1), forms(2))


def _assessment_badges(proposal: str) -> dict[str, SafeString]:
    """Symbol and word per assessment, with the word "Förslag" for screen readers only."""
    return {
        a.value: format_html(
            '<span class="assessment assessment--{}" title="{}">{}'
            '<span class="visually-hidden">{}: </span>{}</span>',
            a.value,
            proposal,
            hidden_symbol(SYMBOLS[a.value]),
            proposal,
            a.label,
        )
        for a in Assessment
    }


def _labels() -> dict:
    proposal = gettext("Förslag till bedömning")
    return {
        "detail": PkUrl("goals:goal_detail"),
        "branch": PkUrl("goals:goal_branch"),
        "owner": gettext("Ägare"),
        "shared": format_html("<span>{}</span>", gettext("Kommungemensamt")),
        "broken": format_html(
            '<span class="flag">{}{}</span>', hidden_symbol("⚠"), gettext("Bruten kedja")
        ),
        "unmeasured": format_html(
            '<span class="flag flag--warn">{}{}</span>',
            hidden_symbol("◔"),
            gettext("Saknar indikator – kan inte följas upp"),
        ),
        "children": {
            GoalLevel.COUNCIL: _counts(lambda n: ngettext("%(n)s nämndmål", "%(n)s nämndmål", n)),
            GoalLevel.COMMITTEE: _counts(
                lambda n: ngettext("%(n)s enhetsmål", "%(n)s enhetsmål", n)
            ),
        },
        "indicators": _counts(lambda n: ngettext("%(n)s indikator", "%(n)s indikatorer", n)),
        "activities": _counts(lambda n: ngettext("%(n)s aktivitet", "%(n)s aktiviteter", n)),
        "status": {
            s.value: format_html(
                '<span class="badge badge--{}">{}{}</span>',
                s.value,
                hidden_symbol(STATUS_SYMBOLS.get(s.value, "■")),
                s.label,
            )
            for s in GoalStatus
        },
        "financial": format_html(
            '<span class="badge badge--financial">{}{}</span>',
            hidden_symbol("kr"),
            gettext("Finansiellt mål"),
        ),
        "level": {
            lv.value: format_html('<span class="badge badge--level">{}</span>', lv.label)
            for lv in GoalLevel
        },
        # The summary of a row's branch up to the goal's title, which screen readers hear.
        "expand": {
            level: format_html(
                '<summary>{} <span class="visually-hidden">{} ', expand, gettext("för")
            )
            for level, expand in [
                (GoalLevel.COUNCIL, gettext("Visa nämndmål")),
                (GoalLevel.COMMITTEE, gettext("Visa enhetsmål och aktiviteter")),
                (GoalLevel.UNIT, gettext("Visa aktiviteter")),
            ]
        },
        "proposal": _assessment_badges(proposal),
        "proposal_title": proposal,
        # Which is the system's proposal and which the person's assessment, and from which
        # follow-up: "Förslag från indikatorerna: Uppfyllt", "Bedömning Tertialrapport
        # 2025: Delvis uppfyllt" (siblings assessed in different rounds name each their own).
        "proposal_short": gettext("Förslag från indikatorerna"),
        "assessed": gettext("Bedömning"),
        "assessment": {a.value: str(a.label) for a in Assessment},
        "mixed_rounds": gettext("Målen här är bedömda i olika uppföljningar: %(rounds)s."),
        "open_branch": format_html("{}", gettext("Öppna grenen")),
        "memo": {},
    }


def _labels_for(context) -> dict:
    return per_render(context, "goal_rows", _labels)


def _memo(labels: dict, key, build: Callable[[], SafeString]) -> SafeString:
    """Pieces that recur across rows (a count, a badge) built once per render: they live
    in the render's ``labels``, gone with it."""
    memo = labels["memo"]
    found = memo.get(key)
    if found is None:
        found = memo[key] = build()
    return found


def _count(labels: dict, forms: tuple[str, str], n: int) -> SafeString:
    return _memo(
        labels, (forms, n), lambda: format_html("<span>{}</span>", forms[n != 1] % {"n": n})
    )


@register.simple_tag
def assessment_word(assessment):
    """Symbol and word in one span, for print (report PDFs): no screen-reader parts."""
    return format_html(
        '<span class="assessment assessment--{}">{} {}</span>',
        assessment,
        SYMBOLS[assessment],
        Assessment(assessment).label,
    )


@register.simple_tag(takes_context=True)
def assessment_badge(context, assessment):
    """Symbol and word of a fulfilment assessment: never colour alone."""
    return _labels_for(context)["proposal"][assessment]


def _chain_proposal(labels: dict, assessment: str) -> SafeString:
    """In a chain row the word "Förslag" shows too, so a proposal is never mistaken for
    the assessment made in a follow-up."""
    return _memo(
        labels,
        ("proposal", assessment),
        lambda: format_html(
            '<span class="assessment assessment--{}" title="{}">{}{}: {}</span>',
            assessment,
            labels["proposal_title"],
            hidden_symbol(SYMBOLS[assessment]),
            labels["proposal_short"],
            labels["assessment"][assessment],
        ),
    )


def _followup_badge(labels: dict, goal) -> SafeString | str:
    """The assessment made in the latest follow-up, when an app has annotated it (a few
    rounds and four assessments: built once per render each)."""
    chosen = getattr(goal, "followup_assessment", None)
    if not chosen or chosen not in labels["assessment"]:
        return ""
    label = getattr(goal, "followup_round", "") or ""
    return _memo(
        labels,
        ("followup", chosen, label),
        lambda: format_html(
            ' <span class="assessment assessment--{} assessment--decided">{}{} {}: {}</span>',
            chosen,
            hidden_symbol(SYMBOLS[chosen]),
            labels["assessed"],
            label,
            labels["assessment"][chosen],
        ),
    )


@register.simple_tag(takes_context=True)
def proposal_badge(context, assessment):
    """The indicators' proposal as a chain row shows it: "Förslag från indikatorerna: …"."""
    return _chain_proposal(_labels_for(context), assessment)


@register.simple_tag(takes_context=True)
def followup_badge(context, goal):
    """The assessment made in the latest follow-up, as a chain row shows it ("Bedömning
    Tertialrapport 2025: …"); empty when the goal has none (or no app annotated it)."""
    return _followup_badge(_labels_for(context), goal)


@register.simple_tag(takes_context=True)
def status_badge(context, goal):
    return _labels_for(context)["status"].get(goal.status, "")


@register.simple_tag(takes_context=True)
def level_badge(context, goal):
    return _labels_for(context)["level"].get(goal.level, "")


def _meta(labels: dict, goal) -> SafeString:
    """Owner and counts of one chain row."""
    level, owner = goal.level, goal.owner.name
    meta = [
        _memo(
            labels,
            ("owner", owner),
            lambda: format_html("<span>{}: {}</span>", labels["owner"], owner),
        )
    ]
    if level in labels["children"]:
        meta.append(_count(labels, labels["children"][level], goal.child_count))
    meta.append(_count(labels, labels["indicators"], goal.indicator_count))
    if level != GoalLevel.COUNCIL or goal.activity_count:
        # Council goals are reached through the committees: their own activities are rare.
        meta.append(_count(labels, labels["activities"], goal.activity_count))
    if goal.shared:
        meta.append(labels["shared"])
    return SafeString("".join(meta))


def _row(labels: dict, goal, branch: SafeString | None) -> SafeString:
    """The whole row: level, linked title, status, assessments, owner, counts, flags and
    the branch. ``branch`` is the open branch's markup (the no-JavaScript path); ``None``
    folds the branch, and opening it loads it with htmx (without JavaScript the link
    leads to the chain page with the path open)."""
    level, status, pk = goal.level, goal.status, int(goal.pk)
    title = format_html("{}", goal.title)
    if not (goal.child_count or goal.activity_count):
        details = format_html("<ul>{}</ul>", branch) if branch else ""
    elif branch is not None:
        details = format_html(
            '<details class="branch" open>{}{}</span></summary><ul>{}</ul></details>',
            labels["expand"].get(level, ""),
            title,
            branch,
        )
    else:
        url = labels["branch"](pk)
        details = format_html(
            '<details class="branch" hx-get="{}" hx-trigger="toggle once" hx-target="find ul" '
            'hx-swap="innerHTML">{}{}</span></summary>'
            '<ul><li><a href="{}">{}</a></li></ul></details>',
            url,
            labels["expand"].get(level, ""),
            title,
            url,
            labels["open_branch"],
        )
    live = status != GoalStatus.ENDED
    broken = getattr(goal, "chain_broken", False)
    unmeasured = live and goal.indicator_count == 0
    return format_html(
        '<li class="goal-row goal-row--{}" id="mal-{}"><div class="goal-row__head">{}{} '
        '<a class="goal-row__title" href="{}">{}</a> {}{}{}</div>'
        '<div class="goal-row__meta">{}</div>{}{}</li>',
        level,
        pk,
        labels["level"].get(level, ""),
        format_html(" {}", labels["financial"])
        if getattr(goal, "goal_type", None) == GoalType.FINANCIAL
        else "",
        labels["detail"](pk),
        title,
        labels["status"].get(status, ""),
        _chain_proposal(labels, goal.proposal) if live and goal.indicator_count else "",
        _followup_badge(labels, goal),
        _meta(labels, goal),
        format_html(
            '<div class="goal-row__flags">{}{}</div>',
            labels["broken"] if broken else "",
            labels["unmeasured"] if unmeasured else "",
        )
        if broken or unmeasured
        else "",
        details,
    )


@register.simple_tag(takes_context=True)
def goal_row(context, goal):
    """One goal of the chain (Röda tråden, its htmx branches, the goal and unit pages);
    an open row holds its children and activities (see :func:`_branch`)."""
    return _goal_row(context, _labels_for(context), goal)


@register.simple_tag(takes_context=True)
def goal_rows(context, goals):
    """The rows of a list of goals, one after the other (:func:`goal_row` each): one tag
    for the list, not a template include per row."""
    labels = _labels_for(context)
    rows = "".join(_goal_row(context, labels, g) for g in goals)
    return SafeString(_rounds_note(labels, goals) + rows)


def _rounds_note(labels: dict, goals) -> str:
    """Above sibling goals whose latest assessments come from different follow-ups: a
    note naming them, so that "Uppfyllt" in one round is not read beside "Ej uppfyllt"
    in another as the same moment."""
    rounds = list(
        dict.fromkeys(
            r for g in goals if getattr(g, "followup_assessment", None) and (r := g.followup_round)
        )
    )
    if len(rounds) < 2:
        return ""
    return format_html(
        '<li class="chain-note">{}{}</li>',
        hidden_symbol("ⓘ"),
        labels["mixed_rounds"] % {"rounds": ", ".join(rounds)},
    )


def _goal_row(context, labels: dict, goal) -> SafeString:
    if not getattr(goal, "is_open", False) or not (
        goal.child_count or goal.activity_count or goal.loaded_children
    ):
        return _row(labels, goal, None)
    return _row(labels, goal, _branch(context, labels, goal))


def _branch(context, labels: dict, goal) -> SafeString:
    """The inside of an open row (the no-JavaScript path): its children, its activities
    (``goals/_activity_list.html``), or a note that there is nothing yet."""
    parts = [_rounds_note(labels, goal.loaded_children)]
    parts += [_goal_row(context, labels, child) for child in goal.loaded_children]
    if goal.loaded_activities:
        with context.push(activities=goal.loaded_activities):
            activities = _template(context, ACTIVITIES).render(context)
        parts.append(format_html("<li>{}</li>", activities))
    elif (goal.child_count or goal.activity_count) and not goal.loaded_children:
        committee = context.get("committee")
        if committee:
            note = gettext("%(name)s har inget mål under detta mål.") % {"name": committee.name}
        else:
            note = gettext("Inget under detta mål ännu.")
        parts.append(format_html('<li class="empty">{}</li>', note))
    return SafeString("".join(parts))


def _template(context, name: str):
    engine = context.template.engine if context.template else None
    return engine.get_template(name) if engine else get_template(name).template


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def fmt(value, indicator):
    """A value the Swedish way with the indicator's decimals and unit: "78,4 %"."""
    return format_number(value, indicator.decimals, indicator.unit)


def _assignment_labels() -> dict:
    from goals.models import AssignmentStatus

    return {
        "detail": PkUrl("goals:assignment_detail"),
        "due": gettext("klart"),
        "status": {s.value: str(s.label) for s in AssignmentStatus},
        "overdue": format_html(
            ' · <strong class="overdue">{}{}</strong>', hidden_symbol("⚠"), gettext("Försenat")
        ),
        "goal": gettext("Mål"),
    }


@register.simple_tag(takes_context=True)
def chain_assignment_rows(context, rows):
    """Röda tråden's assignments (``goals.assignments.chain_assignments``), one ``<li>``
    each: title (a link), who carries it out, due date, status, overdue or not, goal."""
    labels = per_render(context, "chain_assignments", _assignment_labels)
    return join(
        format_html(
            '<li><a href="{}">{}</a> – {} · {} {} · <strong>{}</strong>{}{}</li>',
            labels["detail"](a.pk),
            a.title,
            a.owner_name,
            labels["due"],
            a.due.isoformat(),
            labels["status"][a.status],
            labels["overdue"] if a.overdue else "",
            format_html(' <span class="muted">({}: {})</span>', labels["goal"], a.goal_title)
            if a.goal_title
            else "",
        )
        for a in rows
    )
