"""Rows of the long follow-up tables, rendered in Python.

A municipality the size of Sweden's largest has ~1,500 reports in a round; the
template engine spent ~0.1 ms a row on them, which broke the 150 ms budget of
the dashboard and the committee report. The URL shape and labels are looked
up once per table and user text is escaped (same rules as autoescape).
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_MARKER = 987654321
LATE_CLASS = ' class="row-late"'


def _report_url_parts() -> tuple[str, str]:
    prefix, suffix = reverse("followup:report_detail", args=[_MARKER]).split(str(_MARKER))
    return escape(prefix), escape(suffix)


def _state(row) -> str:
    return (
        f'<span class="report-state report-state--{escape(row["state"])}">'
        f'<span aria-hidden="true">{row["symbol"]} </span>{escape(str(row["state_label"]))}</span>'
    )


@register.simple_tag
def dashboard_rows(rows):
    """The dashboard's table body: organisation, committee, state (+ late), submitted."""
    prefix, suffix = _report_url_parts()
    late = f' <span class="flag"><span aria-hidden="true">⚠ </span>{escape(_("Sen"))}</span>'
    out = []
    for row in rows:
        report = row["report"]
        committee = row["committee"]
        submitted = (
            timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
            if report.submitted_at
            else "–"
        )
        out.append(
            f"<tr{LATE_CLASS if row['late'] else ''}>"
            f'<th scope="row"><a href="{prefix}{int(report.pk)}{suffix}">'
            f"{escape(report.org_unit.name)}</a></th>"
            f"<td>{escape(committee.name) if committee else '–'}</td>"
            f"<td>{_state(row)}{late if row['late'] else ''}</td>"
            f"<td>{submitted}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - user text is escaped above


@register.simple_tag
def below_rows(rows):
    """The reports below a committee or the council: organisation and state."""
    prefix, suffix = _report_url_parts()
    return mark_safe(  # noqa: S308 - user text is escaped
        "".join(
            f'<tr><th scope="row"><a href="{prefix}{int(r["report"].pk)}{suffix}">'
            f"{escape(r['report'].org_unit.name)}</a></th><td>{_state(r)}</td></tr>"
            for r in rows
        )
    )


def _field_errors(bound) -> tuple[str, str, str]:
    """(css modifier, error paragraph, aria attributes) for a bound field."""
    if not bound.errors:
        return "", "", ""
    eid = f"{bound.auto_id}_error"
    message = escape(" ".join(str(e) for e in bound.errors))
    return (
        " field--error",
        f'<p class="field-error" id="{eid}"><span aria-hidden="true">⚠ </span>{message}</p>',
        f' aria-invalid="true" aria-describedby="{eid}"',
    )


def _textarea(bound, rows: int) -> str:
    css, error, aria = _field_errors(bound)
    help_html = ""
    if bound.help_text:
        help_html = (
            f'<p class="help" id="{bound.auto_id}_helptext">{escape(str(bound.help_text))}</p>'
        )
        if not aria:
            aria = f' aria-describedby="{bound.auto_id}_helptext"'
    value = bound.value()
    # The newline after the tag keeps a value's own leading newline (HTML drops the first).
    return (
        f'<div class="field{css}"><label for="{bound.auto_id}">{escape(str(bound.label))}</label>'
        f"{help_html}{error}"
        f'<textarea name="{bound.html_name}" id="{bound.auto_id}" rows="{rows}" cols="40"{aria}>'
        f"\n{escape(str(value) if value is not None else '')}</textarea></div>"
    )


@register.simple_tag
def assessment_fields(form):
    """The fields of one goal's assessment form (a committee report can hold ~50)."""
    chosen = form["chosen"]
    css, error, aria = _field_errors(chosen)
    current = chosen.value() or ""
    options = "".join(
        f'<option value="{escape(str(value))}"{" selected" if str(value) == str(current) else ""}>'
        f"{escape(str(label))}</option>"
        for value, label in chosen.field.choices
    )
    version = form["version"]
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<input type="hidden" name="version" value="{escape(str(version.value() or ""))}" '
        f'id="{version.auto_id}">'
        f'<div class="field{css}"><label for="{chosen.auto_id}">{escape(str(chosen.label))}</label>'
        f'{error}<select name="chosen" id="{chosen.auto_id}"{aria}>{options}</select></div>'
        + _textarea(form["analysis"], 4)
        + _textarea(form["measures"], 3)
        + _textarea(form["justification"], 2)
    )
