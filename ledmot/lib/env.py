"""Strict helpers for reading settings from the environment.

A value that is present but malformed stops start-up with a clear message naming
the variable, instead of silently falling back to a default or failing later.
Every read of the environment in ``ledmot/settings.py`` goes through these.
"""

import os
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", *, pattern: str = "") -> str:
    """The text of ``name``; with ``pattern``, a value that does not match it whole is refused."""
    value = os.environ.get(name, default)
    if pattern and name in os.environ and not re.fullmatch(pattern, value):
        raise ImproperlyConfigured(f"{name} must match {pattern}, got {value!r}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = 0, maximum: int | None = None) -> int:
    """A whole number in [minimum, maximum] (by default not negative)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
    return _in_range(name, value, minimum, maximum, raw)


def env_decimal(
    name: str,
    default: str,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal:
    """A decimal number written with a point (``0.10``), in [minimum, maximum]."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return Decimal(default)
    try:
        value = Decimal(raw.strip())
    except InvalidOperation as exc:
        raise ImproperlyConfigured(f"{name} must be a decimal number, got {raw!r}") from exc
    if not value.is_finite():
        raise ImproperlyConfigured(f"{name} must be a decimal number, got {raw!r}")
    return _in_range(name, value, minimum, maximum, raw)


def _in_range(name: str, value, minimum, maximum, raw: str):
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {raw!r}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {raw!r}")
    return value


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    """One of ``choices`` (compared as written)."""
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def env_list(name: str, default: list[str], *, pattern: str = "") -> list[str]:
    """Comma-separated items; with ``pattern``, every item must match it whole."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    for item in items:
        if pattern and not re.fullmatch(pattern, item):
            raise ImproperlyConfigured(f"{name}: each item must match {pattern}, got {item!r}")
    return items


def env_mapping(name: str, default: dict[str, str]) -> dict[str, str]:
    """``key=value`` pairs separated by commas; an item without ``=`` is refused."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    result = {}
    for item in env_list(name, []):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ImproperlyConfigured(f"{name} must be key=value pairs, got {item!r}")
        result[key.strip()] = value.strip()
    return result


def env_parsed(name: str, default: str, parse: Callable[[str], Any], what: str) -> Any:
    """``parse(value)``; any error it raises stops start-up with ``name`` and ``what``."""
    raw = os.environ.get(name, default)
    try:
        return parse(raw)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} must be {what}: {exc}") from exc
