"""Writes shared by every app: optimistic locking and history attribution."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


class ConflictError(Exception):
    """Someone else saved the object after the editor loaded it."""

    def __init__(self, current):
        super().__init__(_("Objektet har ändrats av någon annan."))
        self.current = current


class LockedError(ValidationError):
    """The thing is frozen (a closed round, an approved report, a decided item): the write
    is refused with a message that says what froze it. Raised inside the service function
    that every path (screen, import, admin, command) calls."""


def _attribute(obj, user, reason: str):
    obj._history_user = user
    if reason:
        obj._change_reason = reason


def attributed_save(obj, *, user, reason: str = ""):
    """Save a row that has no version, with the acting user in its history."""
    _attribute(obj, user, reason)
    obj.save()
    return obj


def attributed_delete(obj, *, user, reason: str = "") -> None:
    """Delete a row with the acting user (and reason) in its history."""
    _attribute(obj, user, reason)
    obj.delete()


@transaction.atomic
def versioned_save(obj, *, user, expected_version: int | None, reason: str = ""):
    """Save ``obj`` if nobody saved it since ``expected_version``; bump its version.

    The row is locked while checking, so two simultaneous saves cannot both pass.
    A new object (no pk) is simply created at version 1.
    """
    if obj.pk is not None:
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(current)
        obj.version = current.version + 1
    _attribute(obj, user, reason)
    obj.save()
    return obj


@transaction.atomic
def versioned_delete(obj, *, user, expected_version: int, reason: str = "") -> None:
    """Delete ``obj`` if nobody saved it since ``expected_version`` (the version the
    person saw when they chose to delete it): a delete from a stale page would remove
    what someone else saved meanwhile, unseen."""
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if current.version != expected_version:
        raise ConflictError(current)
    attributed_delete(current, user=user, reason=reason)
