"""Organisation and roles: the org unit tree and who holds which role where."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Left, Lower, StrIndex, Substr
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from ledmot import clock
from ledmot.lib.text import CleanInputModel

PATH_SEPARATOR = "/"


class OrgKind(models.TextChoices):
    COUNCIL = "kf", _("Kommunfullmäktige")
    COMMITTEE = "namnd", _("Nämnd/styrelse")
    ADMINISTRATION = "forvaltning", _("Förvaltning")
    DEPARTMENT = "avdelning", _("Verksamhetsområde/avdelning")
    UNIT = "enhet", _("Enhet")
    COMPANY = "bolag", _("Kommunalt bolag")


# Which kinds may sit directly under which. The council is the only root.
ALLOWED_PARENT_KINDS = {
    OrgKind.COUNCIL: set(),
    OrgKind.COMMITTEE: {OrgKind.COUNCIL},
    OrgKind.COMPANY: {OrgKind.COUNCIL, OrgKind.COMMITTEE},
    OrgKind.ADMINISTRATION: {OrgKind.COMMITTEE},
    OrgKind.DEPARTMENT: {OrgKind.ADMINISTRATION, OrgKind.DEPARTMENT, OrgKind.COMMITTEE},
    OrgKind.UNIT: {OrgKind.ADMINISTRATION, OrgKind.DEPARTMENT, OrgKind.COMMITTEE},
}


class OrgUnitQuerySet(models.QuerySet):
    def committees(self):
        return self.filter(kind=OrgKind.COMMITTEE)


class OrgUnit(CleanInputModel, models.Model):
    """A node of the municipality's organisation: council, committee, administration, …

    ``path`` is a materialised path of unit codes (``KF/BUN/BUF/SKOLA1/``) so that
    "this unit and everything below it" is one indexed ``LIKE 'prefix%'``.
    """

    name = models.CharField(_("namn"), max_length=200)
    code = models.CharField(
        _("kod"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_.-]+$",
                _("Koden får bara innehålla bokstäver a–z, siffror, punkt, bindestreck och _."),
            )
        ],
        help_text=_("Kort, stabil kod, t.ex. BUN eller SKOLA-ASBACKA."),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("överordnad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Unique (it is built of unique codes): lists ordered by a unit's path can then walk
    # this index and stop after a page, ties being impossible (goals.filters.ActivityFilter).
    path = models.CharField(_("sökväg"), max_length=1000, editable=False, unique=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Avvecklade enheter behålls så att äldre mål pekar på enheten som den var."),
    )

    history = HistoricalRecords()
    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisationsenhet")
        verbose_name_plural = _("organisationsenheter")
        ordering = ["path"]
        # The committees (a few among thousands of units): every page's committee
        # filter and the chain read them without scanning every unit.
        indexes = [models.Index(fields=["kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, kind=OrgKind.COUNCIL)
                | (Q(parent__isnull=False) & ~Q(kind=OrgKind.COUNCIL)),
                name="orgunit_only_council_is_root",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived from the parent's path and the code; keep it in step,
        # and carry a move or a renamed code down to every descendant.
        old_path = self.path
        self.path = self.compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._rewrite_subtree(old_path)

    def _rewrite_subtree(self, old_path: str) -> None:
        """Give every unit below the new prefix of its path (one UPDATE per unit and one
        history record each, with the user and reason of this save), so a move or a new
        code carries the subtree along: roles on it and goals owned in it follow."""
        below = list(OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk))
        if not below:
            return
        for unit in below:
            unit.path = self.path + unit.path[len(old_path) :]
        bulk_update_with_history(
            below,
            OrgUnit,
            ["path"],
            default_user=getattr(self, "_history_user", None),
            default_change_reason=getattr(self, "_change_reason", None) or "",
            default_date=clock.now(),
        )

    def clean(self):
        from ledmot.rules import unit_parent_error

        parent = self.parent if self.parent_id is not None else None
        if error := unit_parent_error(self, parent):
            raise ValidationError({"parent": error})

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.code}{PATH_SEPARATOR}"

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR) - 1

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split(PATH_SEPARATOR) if c]

    def lineage_paths(self) -> list[str]:
        """The paths of this unit and of the units above it, top down (the council's
        first): "this unit's chain" as one indexed ``path IN (...)``."""
        codes = self.ancestor_codes()
        return [PATH_SEPARATOR.join(codes[: i + 1]) + PATH_SEPARATOR for i in range(len(codes))]

    def is_within(self, other: "OrgUnit") -> bool:
        """True if this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    @property
    def committee_code(self) -> str | None:
        """The code of the committee this unit belongs to (its own if it is one), read from
        the path without a query: the one rule for "which committee is this unit under".
        Use it to look committees up in bulk; :meth:`committee` fetches the one unit."""
        if self.kind == OrgKind.COMMITTEE:
            return self.code
        codes = self.ancestor_codes()
        return codes[1] if len(codes) >= 2 else None

    @staticmethod
    def committee_code_expr(field: str = ""):
        """:attr:`committee_code` as an SQL expression on the OrgUnit foreign key ``field``
        (empty on OrgUnit itself), to group rows by committee in the database: the second
        code of the path (a committee lies directly under the council), NULL above it."""
        path = f"{field}__path" if field else "path"
        rest = Substr(path, StrIndex(path, Value(PATH_SEPARATOR)) + 1)
        end = StrIndex(rest, Value(PATH_SEPARATOR))
        return Case(
            When(GreaterThan(end, 0), then=Left(rest, end - 1)),
            default=Value(None),
            output_field=models.CharField(),
        )

    def committee(self) -> "OrgUnit | None":
        """The committee this unit belongs to (itself if it is one)."""
        if self.kind == OrgKind.COMMITTEE:
            return self
        code = self.committee_code
        if code is None:
            return None
        return OrgUnit.objects.filter(code=code, kind=OrgKind.COMMITTEE).first()


class Role(models.TextChoices):
    READER = "reader", _("Läsare")
    EDITOR = "editor", _("Redigerare")
    APPROVER = "approver", _("Godkännare")
    CONTROLLER = "controller", _("Controller")
    ADMIN = "admin", _("Administratör")


class RoleAssignment(models.Model):
    """A user holds a role on an org unit and, by inheritance, on everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisationsenhet"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        ordering = ["user", "org_unit__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org_unit", "role"], name="roleassignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.org_unit}"


class VersionedModel(CleanInputModel, models.Model):
    """A row edited by people: ``version`` goes up on every save through a service,
    and a save based on an older version is refused (no lost updates)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class BackgroundJob(models.Model):
    """Long work run as a background task (a report PDF, a large import), with its
    progress, so a page can show how far it has come and then the result.

    Concrete jobs subclass this and add what they produce; ``ledmot.jobs`` runs them.
    A job is a record of what was done (who asked, when, the outcome), not user data
    that is edited, so it has no history of its own.
    """

    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("klart"), default=0)
    progress_total = models.PositiveIntegerField(_("totalt"), default=0)
    progress_label = models.CharField(_("steg"), max_length=200, blank=True)
    error = models.TextField(_("felmeddelande"), blank=True)
    task_id = models.CharField(_("uppgifts-id"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class ExternalIdentity(models.Model):
    """Who a user is at the identity provider: the issuer and the stable claim
    (``LEDMOT_OIDC_USER_CLAIM``, ``sub`` or Entra ID's ``oid``) that single sign-on
    matches them on (``ledmot.oidc``). Never the e-mail address, which changes and
    can be given to someone else."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    issuer = models.CharField(_("identitetsleverantör"), max_length=255)
    subject = models.CharField(_("användar-id hos leverantören"), max_length=255)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("extern identitet")
        verbose_name_plural = _("externa identiteter")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="externalidentity_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.issuer}"


class SecurityEventKind(models.TextChoices):
    ROLE_GRANTED = "role_granted", _("Roll given")
    ROLE_REVOKED = "role_revoked", _("Roll borttagen")
    PERSON_DEACTIVATED = "person_deactivated", _("Person avaktiverad")
    PERSON_REACTIVATED = "person_reactivated", _("Person aktiverad igen")
    UNIT_DEACTIVATED = "unit_deactivated", _("Enhet avvecklad")
    UNIT_REACTIVATED = "unit_reactivated", _("Enhet återaktiverad")


class SecurityEvent(models.Model):
    """A change of who may do what: a role given or taken, a person or a unit
    deactivated or reactivated; who did it, when and from which address. Written only by
    the services that make those changes (``ledmot.services``), never edited. Sign-ins
    are axes' logs; the Säkerhetshändelser screen shows both as one list."""

    at = models.DateTimeField(_("tid"), default=clock.now, db_index=True)
    kind = models.CharField(_("händelse"), max_length=30, choices=SecurityEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Names as they were, for the log to read the same after a rename.
    actor_username = models.CharField(_("utförd av"), max_length=150, blank=True)
    username = models.CharField(_("användarnamn"), max_length=150, blank=True)
    subject = models.CharField(_("vad"), max_length=400, blank=True)
    ip_address = models.GenericIPAddressField(_("adress"), null=True, blank=True)

    class Meta:
        verbose_name = _("säkerhetshändelse")
        verbose_name_plural = _("säkerhetshändelser")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username or self.subject}"


class GlossaryTerm(VersionedModel):
    """A term of mål- och resultatstyrning with its definition (ordlista), kept by the
    controllers of the municipality so that everyone uses the words the same way."""

    term = models.CharField(_("term"), max_length=80)
    definition = models.TextField(_("definition"), max_length=2_000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("ordlista")
        ordering = ["term"]
        constraints = [models.UniqueConstraint(Lower("term"), name="glossaryterm_term_unique_ci")]

    def __str__(self):
        return self.term

    @property
    def anchor(self) -> str:
        """The id of the term on the Ordlista page."""
        from django.utils.text import slugify

        return "term-" + slugify(self.term)


# People's history: a name change or a deactivation is kept with who and when, like every
# other change (``ledmot.services.person_save`` / ``person_set_active``). The password
# hash and the last sign-in are not copied into it (``ledmot.apps`` keeps a sign-in from
# writing a row at all).
if settings.AUTH_USER_MODEL == "auth.User":
    from django.contrib.auth.models import User
    from simple_history import register

    register(User, app="ledmot", excluded_fields=["password", "last_login"])
