"""Telling an editor that someone else saved first (see ledmot.services.versioned_save)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledmot.lib.forms import add_validation_error
from ledmot.services import ConflictError


@dataclass(frozen=True)
class FormSave:
    """How a form's save went: ``ok`` with what the service returned (``saved``), or not
    saved, with the ``conflict`` to show beside the form when someone saved first."""

    ok: bool = False
    saved: Any = None
    conflict: dict | None = None

    @property
    def status(self) -> int:
        """409 for a conflict (nothing was saved: the editor's version was stale)."""
        return 409 if self.conflict else 200


NOT_SAVED = FormSave()


def save_form(form, save: Callable[[], Any]) -> FormSave:
    """Write ``form``'s object with ``save`` (a call of its service function) and answer
    as every form does: someone else's newer version gives the conflict to show (the form
    then based on the version now saved); a ValidationError of the service, a lock's
    among them, goes beside its fields. Nothing is saved in either case: ``save`` runs
    in one transaction, so a refusal after a first write (a risk's new analysis, say)
    takes that write back too."""
    try:
        with transaction.atomic():
            return FormSave(ok=True, saved=save())
    except ConflictError as exc:
        return FormSave(conflict=conflict_context(form, exc.current))
    except ValidationError as exc:
        add_validation_error(form, exc)
        return NOT_SAVED


def conflict_context(form, current) -> dict:
    """What to tell an editor whose save was based on an older version."""
    # The next save is based on the version now saved.
    form.data = form.data.copy()
    form.data["version"] = current.version
    return {
        "message": _(
            "Någon annan har sparat en ny version medan du skrev. Dina ändringar är inte "
            "sparade. Jämför med den sparade versionen nedan och spara igen."
        ),
        "who": last_editor(current),
        "rows": conflict_diff(form, current),
    }


def conflict_diff(form, current) -> list[tuple[str, str, str]]:
    """What the other person saved, field by field, against what this user typed."""
    rows = []
    for name in form.changed_data:
        if name == "version" or name not in form.fields or hasattr(form.fields[name], "queryset"):
            continue
        field = form.fields[name]
        saved = getattr(current, name, None)
        if hasattr(current, f"get_{name}_display"):
            saved = getattr(current, f"get_{name}_display")()
        typed = (
            form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else form.data.get(name)
        )
        rows.append((field.label, saved if saved not in (None, "") else "–", typed or "–"))
    return rows


def last_editor(obj) -> str:
    record = obj.history.select_related("history_user").order_by("-history_date").first()
    if record and record.history_user:
        name = record.history_user.get_full_name() or record.history_user.get_username()
        return _("senast sparad av %(name)s %(when)s") % {
            "name": name,
            "when": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M"),
        }
    return ""


def stale_message(current) -> str:
    """The conflict told where no diff is shown (the admin): who saved, and what to do."""
    message = _(
        "Någon annan har sparat en ny version medan du skrev. Dina ändringar är inte "
        "sparade. Ladda om sidan och gör om dem."
    )
    who = last_editor(current)
    return f"{message} ({who})" if who else message
