"""Refusals as JSON: a message per field, in Swedish, status 400 (bad input), 401, 403
(the token's scope or roles do not allow it) or 409 (a closed round has locked it)."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or {}


def bad_input(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(400, _("Felaktiga uppgifter: inget sparades."), errors)


def error_response(error: ApiError) -> JsonResponse:
    return JsonResponse({"detail": error.detail, "errors": error.errors}, status=error.status)


def _field(loc) -> str:
    """``("body", "payload", "values", 0, "period")`` → ``values[0].period``."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path"):
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"


def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("Uppgiften saknas.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Ange ett heltal.")
    if kind.startswith("decimal") or kind.startswith("float"):
        return _("Ange ett tal, t.ex. 12.5.")
    if kind in ("string_type",):
        return _("Ange en text.")
    if kind == "greater_than_equal":
        return _("Ange minst %(n)s.") % {"n": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Ange högst %(n)s.") % {"n": ctx.get("le")}
    if kind == "too_short":
        return _("Ange minst ett värde.")
    if kind == "too_long":
        return _("För många: högst %(n)s.") % {"n": ctx.get("max_length")}
    if kind in ("json_invalid", "model_attributes_type", "dict_type", "list_type"):
        return _("Skicka JSON i den form som API-beskrivningen anger.")
    return _("Ogiltigt värde.")


def validation_errors(errors: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(_field(error.get("loc", ())), []).append(_message(error))
    return out
