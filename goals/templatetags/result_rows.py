"""The table of indicator values to enter (the results page and a follow-up report),
rendered in Python: a committee's report holds ~70 rows of up to three cells each, and
the template engine spent most of the report page's time on them. Built with
:mod:`ledmot.lib.html` (see its discipline)."""

from types import SimpleNamespace

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from goals.results import Cell, Row
from ledmot.lib.html import PkUrl, format_html, hidden_symbol, join, per_render

register = template.Library()


def _text(word: str) -> SafeString:
    """A word escaped once per render rather than once per row."""
    return format_html("{}", word)


def _labels() -> dict:
    return {
        "url": PkUrl("goals:indicator_detail"),
        "lock": render_to_string("partials/icon_lock.html"),  # markup: a SafeString
        "stale": format_html(
            '<span class="flag flag--warn">{}{}</span>',
            hidden_symbol("⚠"),
            gettext("Värde saknas efter sista dag"),
        ),
        "head": format_html(
            '<table class="data results"><caption class="visually-hidden">{}</caption><thead>'
            '<tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>',
            gettext("Värden att mata in"),
            gettext("Indikator"),
            gettext("Period"),
            gettext("Värde"),
            gettext("Kommentar"),
        ),
        "period": _text(gettext("Period")),
        "comment": _text(gettext("Kommentar")),
        "saved": _text(gettext("Den sparade kommentaren:")),
        "empty": _text(gettext("(tom)")),
        "warn": hidden_symbol("⚠"),
    }


def _error(eid: str, text, warn) -> SafeString:
    return format_html('<p class="field-error" id="{}">{}{}</p>', eid, warn, text)


def _cell(cell, locked_attrs, name_text, warn) -> SafeString:
    eid = f"id_{cell.name}_error"
    if locked_attrs:
        attrs = locked_attrs
    elif cell.error:
        attrs = format_html(' aria-invalid="true" aria-describedby="{}"', eid)
    else:
        attrs = ""
    return format_html(
        '<div class="cell{}"><label for="id_{}">{}<span class="visually-hidden"> – {}</span>'
        '</label><input type="text" inputmode="decimal" id="id_{}" name="{}" value="{}" size="9" '
        'autocomplete="off"{}><input type="hidden" name="{}" value="{}">{}</div>',
        " cell--error" if cell.error else "",
        cell.name,
        cell.label,
        name_text,
        cell.name,
        cell.name,
        cell.text,
        attrs,
        cell.original_name,
        cell.original,
        _error(eid, cell.error, warn) if cell.error else "",
    )


def _row(row, labels: dict) -> SafeString:
    ind = row.indicator
    pk = ind.pk
    label = row.period.label
    if row.locked:
        flag = format_html('<p class="flag" id="las-{}">{} {}</p>', pk, labels["lock"], row.locked)
        locked_attrs = format_html(' readonly aria-describedby="las-{}"', pk)
    else:
        flag = labels["stale"] if row.stale else ""
        locked_attrs = ""
    name = _text(ind.name)  # shown four times or more a row
    name_text = format_html("{}, {}", name, label)
    cells = join(_cell(c, locked_attrs, name_text, labels["warn"]) for c in row.cells)
    comment_id = f"id_{row.comment_name}"
    if locked_attrs:
        comment_attrs = locked_attrs
    elif row.comment_error:
        comment_attrs = format_html(' aria-invalid="true" aria-describedby="{}_error"', comment_id)
    elif row.saved_comment is not None:
        comment_attrs = format_html(' aria-describedby="{}_saved"', comment_id)
    else:
        comment_attrs = ""
    comment_error = ""
    if row.comment_error:
        comment_error = _error(f"{comment_id}_error", row.comment_error, labels["warn"])
    saved = ""
    if row.saved_comment is not None:
        saved = format_html(
            '<div class="field-error" id="{}_saved"><p>{}{}</p><blockquote>{}</blockquote></div>',
            comment_id,
            labels["warn"],
            labels["saved"],
            linebreaksbr(row.saved_comment or labels["empty"], autoescape=True),
        )
    unit = f" · {ind.unit}" if ind.unit else ""
    return format_html(
        '<tr id="rad-{}"{}><th scope="row"><a href="{}">{}</a><div class="muted">{}{}</div>{}'
        '<input type="hidden" name="{}" value="{}"></th><td data-label="{}">{}</td><td><div '
        'class="cells">{}</div></td><td data-label="{}"><label class="visually-hidden" '
        'for="{}">{} – {}</label><textarea id="{}" name="{}" rows="2" cols="24" maxlength="{}"{}>'
        '{}</textarea><input type="hidden" name="{}" value="{}">{}{}</td></tr>',
        pk,
        mark_safe(' class="row-error"') if row.has_error else "",
        labels["url"](pk),
        name,
        ind.responsible_unit.name,
        unit,
        flag,
        row.period_name,
        row.period.key,
        labels["period"],
        label,
        cells,
        labels["comment"],
        comment_id,
        labels["comment"],
        name,
        comment_id,
        row.comment_name,
        row.comment_max_length,
        comment_attrs,
        row.comment,
        row.original_comment_name,
        row.original_comment,
        comment_error,
        saved,
    )


_MARKER = 987654321


def _mark(name: str) -> str:
    return f"\x01{name}\x01"


def _shaped_row(row, labels: dict) -> SafeString:
    """A row as the page opens (no error, no other person's comment): ``_row`` drawn once
    per render and kind of row with markers where a row's own values go, then filled in
    with one ``format_html`` (the same markup, a fraction of the escaping)."""
    ind = row.indicator
    key = ("shape", tuple(c.label for c in row.cells), bool(row.locked), row.stale, bool(ind.unit))
    if key not in labels:
        fake = Row(
            indicator=SimpleNamespace(
                pk=_MARKER,
                name=_mark("name"),
                unit=_mark("unit") if ind.unit else "",
                responsible_unit=SimpleNamespace(name=_mark("unit_name")),
            ),
            period=SimpleNamespace(label=_mark("label"), key=_mark("key")),
            cells=[
                Cell(
                    gender=c.gender,
                    label=c.label,
                    name=f"v-{_MARKER}-{c.gender}",
                    original_name=f"o-{_MARKER}-{c.gender}",
                    current=None,
                    text=_mark(f"v{i}"),
                    original=_mark(f"o{i}"),
                )
                for i, c in enumerate(row.cells)
            ],
            comment=_mark("comment"),
            original_comment=_mark("original_comment"),
            stale=row.stale,
            locked=_mark("locked") if row.locked else "",
        )
        shape = str(_row(fake, labels)).replace("{", "{{").replace("}", "}}")
        shape = shape.replace(str(_MARKER), "{pk}")
        names = ["name", "unit", "unit_name", "label", "key", "comment", "original_comment"]
        names += ["locked", *(f"{k}{i}" for i in range(len(row.cells)) for k in "vo")]
        for name in names:
            shape = shape.replace(_mark(name), f"{{{name}}}")
        labels[key] = shape
    return format_html(
        labels[key],
        pk=ind.pk,
        name=ind.name,
        unit=ind.unit,
        unit_name=ind.responsible_unit.name,
        label=row.period.label,
        key=row.period.key,
        comment=row.comment,
        original_comment=row.original_comment,
        locked=row.locked,
        **{f"v{i}": c.text for i, c in enumerate(row.cells)},
        **{f"o{i}": c.original for i, c in enumerate(row.cells)},
    )


@register.simple_tag(takes_context=True)
def result_rows(context, rows):
    """The table of ``rows`` (``goals.results.Row``): a row per indicator with a cell per
    gender of the period, its comment, and why a value is locked, stale or wrong."""
    labels = per_render(context, "result_rows", _labels)
    return join(
        [
            labels["head"],
            *(
                _row(r, labels)
                if r.has_error or r.saved_comment is not None
                else _shaped_row(r, labels)
                for r in rows
            ),
            mark_safe("</tbody></table>"),
        ]
    )
