"""The controls of a report page's internal control section, drawn by the template
``control/_report_control.html`` once per shape and filled in per control
(:class:`ledmot.lib.html.Stamp`): a committee reports on several controls, and a model
form rendered through the templates per control was most of the section's time."""

from types import SimpleNamespace

from django import template

from control.forms import ControlResultForm
from control.models import ControlResult
from ledmot.lib.html import Stamp, join

register = template.Library()

PIECE_TEMPLATE = "control/_report_control.html"


def _piece_renderer(context, section: dict):
    """Renders the piece template for a stand-in control and result (the markers, the
    report's id and the CSRF token among them: the shapes are kept between requests)
    of one shape: (outcome, saved, has a version, has a comment, has measures)."""
    piece_template = context.template.engine.get_template(PIECE_TEMPLATE)

    def render(shape: tuple, markers: dict) -> str:
        outcome, saved, with_version, comment, measures = shape
        control = SimpleNamespace(
            pk=markers["pk"],
            title=markers["title"],
            risk=SimpleNamespace(pk=markers["risk_pk"], title=markers["risk"]),
            method=markers["method"],
            responsible=markers["responsible"],
        )
        texts = {
            "comment": markers["comment"] if comment else "",
            "measures": markers["measures"] if measures else "",
        }
        result = ControlResult(outcome=outcome, **texts)
        result.pk = 1 if saved else None
        form = None
        if section["editable"]:
            initial = {"outcome": outcome, **texts}
            if with_version:
                initial["version"] = markers["version"]
            form = ControlResultForm(initial=initial, control_pk=markers["pk"])
        piece = {"control": control, "result": result, "form": form, "report": markers["report"]}
        with context.push(p=piece, csrf_token=markers["csrf"]):
            return piece_template.render(context)

    return render


@register.simple_tag(takes_context=True)
def report_control_pieces(context, section: dict):
    """Each control of the section (``control.extensions.control_pieces``): its risk,
    method and who, and its result's form (``section["editable"]``) or its result."""
    stamp = Stamp(_piece_renderer(context, section), keep=("report-control", section["editable"]))
    csrf = str(context.get("csrf_token", ""))
    out = []
    for piece in section["pieces"]:
        control, result = piece["control"], piece["result"]
        saved = result.pk is not None
        shape = (result.outcome, saved, saved, bool(result.comment), bool(result.measures))
        out.append(
            stamp(
                shape,
                pk=control.pk,
                title=control.title,
                risk_pk=control.risk.pk,
                risk=control.risk.title,
                method=control.method,
                responsible=control.responsible,
                comment=result.comment,
                measures=result.measures,
                version=result.version if saved else 0,
                report=section["report"].pk,
                csrf=csrf,
            )
        )
    return join(out)
