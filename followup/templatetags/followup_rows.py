"""Rows of the long follow-up tables, rendered in Python.

A municipality the size of Sweden's largest has ~1,500 reports in a round; the
template engine spent ~0.1 ms a row on them, which broke the 150 ms budget of
the dashboard and the committee report. Built with :mod:`ledmot.lib.html`: the URL
shape and the words once per table, user text escaped by ``format_html``.
"""

from types import SimpleNamespace

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.defaultfilters import time as time_format
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from followup.forms import ActivityUpdateForm, AssessmentForm, AssignmentUpdateForm
from followup.models import ActivityUpdate, AssignmentUpdate
from goals.models import Activity, Assignment, Goal
from goals.templatetags.goal_rows import assessment_badge
from ledmot.lib.html import (
    PkUrl,
    Stamp,
    format_html,
    format_html_join,
    hidden_symbol,
    join,
    per_render,
)
from ledmot.models import OrgUnit

register = template.Library()

_MARKER = 987654321
LATE_CLASS = mark_safe(' class="row-late"')
SELECTED = mark_safe(" selected")


def _state(row, badges: dict) -> SafeString:
    """The state badge of a row; the same five badges recur on every row of a table, so
    each is built once per table (``badges``)."""
    state = row["state"]
    if state not in badges:
        badges[state] = format_html(
            '<span class="report-state report-state--{}">{}{}</span>',
            state,
            hidden_symbol(row["symbol"]),
            row["state_label"],
        )
    return badges[state]


@register.simple_tag
def dashboard_rows(rows):
    """The dashboard's table body: organisation, committee, state (+ late), submitted,
    last reminded."""
    report_url = PkUrl("followup:report_detail")
    late = format_html(' <span class="flag">{}{}</span>', hidden_symbol("⚠"), gettext("Sen"))
    badges: dict = {}
    out = []
    for row in rows:
        report = row["report"]
        committee = row["committee"]
        submitted = (
            timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
            if report.submitted_at
            else "–"
        )
        reminded = getattr(report, "last_reminded", None)
        out.append(
            format_html(
                '<tr{}><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}{}</td>'
                "<td>{}</td><td>{}</td></tr>",
                LATE_CLASS if row["late"] else "",
                report_url(report.pk),
                report.org_unit.name,
                committee.name if committee else "–",
                _state(row, badges),
                late if row["late"] else "",
                submitted,
                reminded.isoformat() if reminded else "–",
            )
        )
    return join(out)


def _count_cell(n: int, label, href: str | None) -> SafeString:
    """A count with the list it counts one click away (no link for none)."""
    if not n or href is None:
        return format_html('<td class="num">{}</td>', n)
    return format_html(
        '<td class="num"><a href="{}">{}<span class="visually-hidden"> {}</span></a></td>',
        href,
        n,
        label,
    )


@register.simple_tag
def committee_count_rows(per_committee, list_url: str = "", with_report: bool = False):
    """Per committee its reports per state, the late ones and all, each count a link to
    that list on the dashboard (``list_url?namnd=…&status=…``); ``with_report``: the
    committee's own report (a link and its state) beside its name (the council's report)."""
    report_url = PkUrl("followup:report_detail")
    badges: dict = {}
    out = []
    for row in per_committee:
        committee = row["committee"]
        code = committee.code if committee else None
        base = f"{list_url}?{urlencode({'namnd': code})}" if code else None
        cells = [
            _count_cell(n, label, f"{base}&{urlencode({'status': state})}" if base else None)
            for label, _symbol, state, n in row["states"]
        ]
        cells.append(_count_cell(row["late"], gettext("Sena"), f"{base}&sena=1" if base else None))
        cells.append(_count_cell(row["total"], gettext("Totalt"), base))
        if with_report:
            own = row["report"]
            head = format_html(
                '<th scope="row"><a href="{}">{}</a></th><td>{}</td>',
                report_url(own["report"].pk),
                committee.name,
                _state(own, badges),
            )
        elif base:
            head = format_html('<th scope="row"><a href="{}">{}</a></th>', base, committee.name)
        else:
            head = format_html('<th scope="row">{}</th>', gettext("Ovanför nämnderna"))
        out.append(format_html("<tr>{}{}</tr>", head, join(cells)))
    return join(out)


@register.simple_tag
def below_rows(rows):
    """The reports below a committee or the council: organisation and state."""
    report_url = PkUrl("followup:report_detail")
    badges: dict = {}
    return format_html_join(
        "",
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td></tr>',
        ((report_url(r["report"].pk), r["report"].org_unit.name, _state(r, badges)) for r in rows),
    )


def _field_errors(bound) -> tuple[str, SafeString | str, SafeString | str]:
    """(css modifier, error paragraph, aria attributes) for a bound field."""
    if not bound.errors:
        return "", "", ""
    eid = f"{bound.auto_id}_error"
    return (
        " field--error",
        format_html(
            '<p class="field-error" id="{}">{}{}</p>',
            eid,
            hidden_symbol("⚠"),
            " ".join(str(e) for e in bound.errors),
        ),
        format_html(' aria-invalid="true" aria-describedby="{}"', eid),
    )


def _textarea(bound, rows: int) -> SafeString:
    css, error, aria = _field_errors(bound)
    help_html = ""
    if bound.help_text:
        help_id = f"{bound.auto_id}_helptext"
        help_html = format_html('<p class="help" id="{}">{}</p>', help_id, bound.help_text)
        if not aria:
            aria = format_html(' aria-describedby="{}"', help_id)
    value = bound.value()
    # The newline after the tag keeps a value's own leading newline (HTML drops the first).
    return format_html(
        '<div class="field{}"><label for="{}">{}</label>{}{}'
        '<textarea name="{}" id="{}" rows="{}" cols="40"{}>\n{}</textarea></div>',
        css,
        bound.auto_id,
        bound.label,
        help_html,
        error,
        bound.html_name,
        bound.auto_id,
        rows,
        aria,
        value if value is not None else "",
    )


def _options(choices, current: str) -> SafeString:
    return join(
        format_html(
            '<option value="{}"{}>{}</option>',
            value,
            SELECTED if str(value) == current else "",
            label,
        )
        for value, label in choices
    )


def assessment_fields(form, memo: dict | None = None):
    """The fields of one goal's assessment form (a committee report can hold ~50), with
    the errors of the hidden version above them; ``memo``: the render's, where the
    options of each chosen value are kept (the same five on every form)."""
    chosen = form["chosen"]
    css, error, aria = _field_errors(chosen)
    current = str(chosen.value() or "")
    memo = {} if memo is None else memo
    if (key := ("options", current)) not in memo:
        memo[key] = _options(chosen.field.choices, current)
    options = memo[key]
    version = form["version"]
    hidden_errors = format_html_join(
        "", '<p class="field-error">{}{}</p>', ((hidden_symbol("⚠"), e) for e in version.errors)
    )
    return format_html(
        '{}<input type="hidden" name="version" value="{}" id="{}">'
        '<div class="field{}"><label for="{}">{}</label>{}<select name="chosen" id="{}"{}>{}'
        "</select></div>{}{}{}",
        hidden_errors,
        version.value() or "",
        version.auto_id,
        css,
        chosen.auto_id,
        chosen.label,
        error,
        chosen.auto_id,
        aria,
        options,
        _textarea(form["analysis"], 4),
        _textarea(form["measures"], 3),
        _textarea(form["justification"], 2),
    )


class _OpenedField:
    """What ``assessment_fields`` reads of a field of an assessment's form as the page
    opens (unbound, no errors): the words of the render's one blank form and the
    assessment's value. Building a model form per goal was a fifth of the page."""

    __slots__ = ("auto_id", "field", "help_text", "html_name", "label", "_value")
    errors = ()

    def __init__(self, blank, name: str, auto_id: str, value):
        self.field, self.label, self.help_text = blank[name]
        self.html_name, self.auto_id, self._value = name, auto_id, value

    def value(self):
        return self._value


class _OpenedForm:
    __slots__ = ("assessment", "auto_id", "blank")

    def __init__(self, blank: dict, assessment):
        self.blank, self.assessment = blank, assessment
        self.auto_id = AssessmentForm.auto_id_for(assessment.pk)

    def __getitem__(self, name: str) -> _OpenedField:
        value = self.assessment.version if name == "version" else getattr(self.assessment, name)
        return _OpenedField(self.blank, name, self.auto_id % name, value)


def _report_labels(context) -> dict:
    def build():
        form = AssessmentForm()
        blank = {
            f.name: (
                SimpleNamespace(choices=[(v, str(label)) for v, label in f.field.choices])
                if f.name == "chosen"
                else f.field,
                format_html("{}", f.label),  # escaped once, not per goal
                format_html("{}", f.help_text) if f.help_text else "",
            )
            for f in form
        }
        return {
            "blank": blank,
            "goal_url": PkUrl("goals:goal_detail"),
            "csrf": CsrfTokenNode().render(context),
            "save": format_html("{}", gettext("Spara")),
            "saved": format_html("{}", gettext("Sparat")),
            "proposal": format_html("{}", gettext("Förslag")),
            "assessment": format_html("{}", gettext("Bedömning")),
            "below": format_html("{}", gettext("Underliggande bedömningar")),
            "texts": [
                ("analysis", gettext("Analys")),
                ("measures", gettext("Åtgärder")),
                ("justification", gettext("Motivering")),
            ],
        }

    return per_render(context, "report_blocks", build)


# A piece of the report (a goal's assessment, an activity's status) is saved by htmx as
# the person types and when they press its "Spara" button: one path, so the two never
# post the same old version side by side. htmx sends one request of a form at a time
# and the last one waiting after it (``hx-sync``), which reads the form (and the version
# the previous save swapped in) when it goes. Without JavaScript the button posts the
# form and the whole page answers.
PIECE_TRIGGER = "change, input delay:1500ms, submit"


@register.simple_tag
def piece_trigger() -> str:
    """``PIECE_TRIGGER`` for the forms drawn by the template (an activity's status)."""
    return PIECE_TRIGGER


def _form_html(context, labels: dict, report, item) -> SafeString:
    """One goal's assessment form, saved as the person types (htmx)."""
    a = item["assessment"]
    if "form_url" not in labels:  # the URL's shape once (the report is the same)
        url = reverse("followup:assessment_edit", args=[report.pk, _MARKER])
        labels["form_url"] = url.split(str(_MARKER))
    url = f"{labels['form_url'][0]}{int(a.pk)}{labels['form_url'][1]}"
    conflict = item.get("conflict")
    saved_at = context.get("saved_at")
    saved = ""
    if saved_at:
        saved = format_html(
            '<span class="saved-note">{}{} {}</span>',
            hidden_symbol("✓"),
            labels["saved"],
            time_format(saved_at, "H:i"),
        )
    return format_html(
        '<form method="post" class="form assessment-form" novalidate id="assessment-{}" '
        'action="{}" hx-post="{}" hx-trigger="{}" hx-sync="this:queue last" hx-swap="none">'
        '{}<div id="conflict-a{}">{}</div>{}'
        '<p class="actions"><button type="submit" class="button button--secondary '
        'button--small">{}</button> <span role="status" id="saved-a{}">{}</span></p></form>',
        a.pk,
        url,
        url,
        PIECE_TRIGGER,
        labels["csrf"],
        a.pk,
        render_to_string("partials/conflict.html", {"conflict": conflict}) if conflict else "",
        assessment_fields(item.get("form") or _OpenedForm(labels["blank"], a), labels),
        labels["save"],
        a.pk,
        saved,
    )


_TEXTS = ("analysis", "measures", "justification")


def _opened_form_html(context, labels: dict, report, a) -> SafeString:
    """A goal's form as the page opens (no posted form, no conflict, no note): drawn once
    per render and chosen value by ``_form_html`` with markers where a goal's own values
    go, then filled in per goal with one ``format_html`` (the same markup, a tenth of the
    escaping)."""
    key = ("opened", a.chosen)
    if key not in labels:
        values = {n: f"\x01{n}\x01" for n in ("version", *_TEXTS)}
        fake = SimpleNamespace(pk=_MARKER, chosen=a.chosen, **values)
        shape = str(_form_html(context, labels, report, {"assessment": fake, "form": None}))
        shape = shape.replace("{", "{{").replace("}", "}}").replace(str(_MARKER), "{pk}")
        for name in ("version", *_TEXTS):
            shape = shape.replace(f"\x01{name}\x01", f"{{{name}}}")
        labels[key] = shape
    return format_html(
        labels[key], pk=a.pk, version=a.version, **{n: getattr(a, n) for n in _TEXTS}
    )


@register.simple_tag(takes_context=True)
def assessment_form(context, item):
    """The assessment form of one goal of the report (``item`` of ``report_page``)."""
    return _form_html(context, _report_labels(context), context["report"], item)


@register.simple_tag(takes_context=True)
def assessment_blocks(context, items, editable: bool):
    """The report's goals: per goal its link, the proposed (and, read only, the chosen)
    assessment, the roll-up of the goals below it, and its form or its texts."""
    labels = _report_labels(context)
    report = context["report"]
    out = []
    for item in items:
        a = item["assessment"]
        head = [labels["proposal"], ": ", assessment_badge(context, a.proposed)]
        if not editable:
            chosen = assessment_badge(context, a.chosen) if a.chosen else "–"
            head += [" · ", labels["assessment"], ": ", chosen]
        below = ""
        if item["has_children"]:
            below = format_html(
                '<p class="muted">{}: {}</p>',
                labels["below"],
                ", ".join(f"{label} {n}" for _v, label, n in item["distribution"] if n),
            )
        if editable and (item["form"] or item.get("conflict") or context.get("saved_at")):
            body = _form_html(context, labels, report, item)
        elif editable:
            body = _opened_form_html(context, labels, report, a)
        else:
            body = join(
                format_html("<h4>{}</h4><p>{}</p>", word, linebreaksbr(text, autoescape=True))
                for name, word in labels["texts"]
                if (text := getattr(a, name))
            )
        out.append(
            format_html(
                '<section class="assessment-block" aria-labelledby="goal-{}"><h3 id="goal-{}">'
                '<a href="{}">{}</a></h3><p>{}</p>{}{}</section>',
                a.pk,
                a.pk,
                labels["goal_url"](a.goal_id),
                a.goal.title,
                join(head),
                below,
                body,
            )
        )
    return join(out)


@register.simple_tag
def missing_items(missing):
    """What stops the submission, per goal (``followup.rules.report_missing``): a link to
    the goal's form and the problems."""
    words: dict[int, str] = {}  # each problem's words translated once, not per goal

    def said(problem) -> str:
        if id(problem) not in words:
            words[id(problem)] = str(problem)
        return words[id(problem)]

    return format_html_join(
        "",
        '<li><a href="#goal-{}">{}</a>: {}</li>',
        ((a.pk, a.goal.title, ", ".join(map(said, problems))) for a, problems in missing),
    )


ACTIVITY_BLOCK = "followup/report_detail.html#activity-block"


@register.simple_tag(takes_context=True)
def activity_blocks(context, updates, editable: bool):
    """The report's activities, each with its status form (editable) or its status and
    comment: the template's ``activity-block`` drawn once per shape (status, a comment
    or not) and filled in per activity (:class:`ledmot.lib.html.Stamp`). A form that
    comes back (an error, a conflict) is drawn whole."""
    block = context.template.engine.get_template(ACTIVITY_BLOCK)

    def render(shape: tuple, markers: dict) -> str:
        status, commented = shape
        update = ActivityUpdate(
            pk=markers["pk"],
            status=status,
            comment=markers["comment"] if commented else "",
            version=markers["version"],
        )
        update.activity = Activity(title=markers["title"])
        form = ActivityUpdateForm(instance=update) if editable else None
        with context.push(u={"update": update, "form": form}, editable=editable):
            return block.render(context)

    stamp = Stamp(render)

    def stamped(piece):
        u = piece["update"]
        return stamp(
            (u.status, bool(u.comment)),
            pk=u.pk,
            title=u.activity.title,
            comment=u.comment,
            version=u.version,
        )

    return _blocks(context, block, updates, "u", editable, stamped)


def _blocks(context, block, pieces, name: str, editable: bool, stamped) -> SafeString:
    """Each piece of a report section by ``stamped(piece)``; one whose form comes back
    (an error, a conflict: ``_page_with_piece``) drawn whole by ``block`` with the
    piece as ``name``."""
    out = []
    for piece in pieces:
        if editable and (piece.get("conflict") or piece["form"] is not None):
            with context.push({name: piece, "editable": editable}):
                out.append(block.render(context))
        else:
            out.append(stamped(piece))
    return join(out)


ASSIGNMENT_BLOCK = "followup/report_detail.html#assignment-block"


@register.simple_tag(takes_context=True)
def assignment_blocks(context, pieces, editable: bool):
    """The report's assignments (``report_page.assignment_pieces``), each with its
    status form (editable) or its status and comment: the template's
    ``assignment-block`` drawn once per shape and kept between requests (the report's
    id, the CSRF token and every text are values), filled in per assignment
    (:class:`ledmot.lib.html.Stamp`). A form that comes back (an error, a conflict) is
    drawn whole."""
    block = context.template.engine.get_template(ASSIGNMENT_BLOCK)

    def render(shape: tuple, markers: dict) -> str:
        status, saved, reference, goal, commented = shape
        a = Assignment(
            pk=markers["pk"],
            title=markers["title"],
            decision_reference=markers["reference"] if reference else "",
            status=status,
        )
        a.giver = OrgUnit(name=markers["giver"])
        a.goal = Goal(title=markers["goal"]) if goal else None
        update = AssignmentUpdate(
            pk=1 if saved else None,
            assignment=a,
            status=status,
            comment=markers["comment"] if commented else "",
            version=markers["version"],
        )
        form = AssignmentUpdateForm(instance=update) if editable else None
        piece = {"assignment_update": update, "form": form, "due": markers["due"]}
        stand_in = SimpleNamespace(pk=markers["report"])
        with context.push(g=piece, report=stand_in, csrf_token=markers["csrf"]):
            return block.render(context)

    stamp = Stamp(render, keep=("report-assignment", editable))
    csrf, report = str(context.get("csrf_token", "")), context["report"].pk

    def stamped(piece):
        u = piece["assignment_update"]
        a = u.assignment
        shape = (u.status, u.pk is not None, bool(a.decision_reference), a.goal is not None)
        return stamp(
            (*shape, bool(u.comment)),
            pk=a.pk,
            title=a.title,
            reference=a.decision_reference,
            giver=a.giver.name,
            goal=a.goal.title if a.goal is not None else "",
            due=piece["due"],
            comment=u.comment,
            version=u.version,
            report=report,
            csrf=csrf,
        )

    return _blocks(context, block, pieces, "g", editable, stamped)
