"""API tokens: one per system that reads from or writes to LedMot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Läsa")
    RESULTS = "results", _("Läsa och skriva utfall")


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A system's key to the API. Only a hash of the secret is stored: the whole key is
    shown once, when the token is created (:func:`api.services.token_create`)."""

    name = models.CharField(_("system"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("systemanvändare"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_("Tokenet läser och skriver med den här användarens roller."),
    )
    scope = models.CharField(
        _("behörighet"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ
    )
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("senast använt"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("återkallat"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-token")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write_results(self) -> bool:
        return self.scope == TokenScope.RESULTS and self.revoked_at is None
