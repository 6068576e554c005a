"""Follow-up rounds (uppföljning): a report from every unit, approval and roll-up."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.fulfilment import Assessment
from goals.models import (
    Activity,
    ActivityStatus,
    Assignment,
    AssignmentStatus,
    Gender,
    Goal,
    Indicator,
)
from ledmot.clock import StampField
from ledmot.lib.limits import FIRST_PLAN_YEAR, DateRange, YearRange
from ledmot.lib.text import LONG_TEXT_LENGTH, CleanInputModel
from ledmot.models import BackgroundJob, OrgUnit, VersionedModel


class RoundKind(VersionedModel):
    """Tertialrapport, delårsrapport, årsredovisning … (configurable)."""

    name = models.CharField(_("namn"), max_length=80, unique=True)
    is_interim = models.BooleanField(
        _("delårsrapport enligt lag"),
        default=False,
        help_text=_(
            "Kontrolleras mot lagens krav: minst hälften och högst två tredjedelar av året, "
            "och till fullmäktige inom två månader."
        ),
    )
    default_deadline_days = models.PositiveSmallIntegerField(
        _("dagar till sista dag"), default=14, validators=[MaxValueValidator(120)]
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljningstyp")
        verbose_name_plural = _("uppföljningstyper")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Öppen")
    CLOSED = "closed", _("Stängd")


class FollowUpRound(models.Model):
    kind = models.ForeignKey(
        RoundKind, verbose_name=_("typ"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[YearRange(FIRST_PLAN_YEAR)])
    period_end = models.DateField(_("periodens slut"), validators=[DateRange()])
    deadline = models.DateField(_("sista dag"), validators=[DateRange()])
    council_date = models.DateField(
        _("behandlas i fullmäktige"), null=True, blank=True, validators=[DateRange()]
    )
    scope = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("nämnder"),
        blank=True,
        related_name="+",
        help_text=_("Tomt = alla nämnder."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[scope])

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["-period_end", "kind__order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("period_end")),
                name="round_deadline_after_period_end",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.year} ({self.period_end:%Y-%m-%d})"

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED

    def clean(self):
        if self.period_end and self.deadline and self.deadline < self.period_end:
            raise ValidationError({"deadline": _("Sista dag kan inte vara före periodens slut.")})
        if self.period_end and self.year and self.period_end.year != self.year:
            raise ValidationError({"period_end": _("Periodens slut ska ligga inom året.")})


class ClosedRoundError(ValidationError):
    """Raised by any save of a report's data once its round is closed."""


class LockedByRound(models.Model):
    """The last line of defence for "a closed round's reports cannot change by any path":
    services and views refuse earlier with a friendly message; this stops everything else
    (the admin, a shell, an import) at the model."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and self.round_status_in_db() == RoundStatus.CLOSED:
            raise ClosedRoundError(_("Uppföljningen är stängd. Rapporten kan inte ändras."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.round_status_in_db() == RoundStatus.CLOSED:
            raise ClosedRoundError(_("Uppföljningen är stängd. Rapporten kan inte ändras."))
        return super().delete(*args, **kwargs)

    def round_status_in_db(self) -> str | None:
        raise NotImplementedError


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inlämnad")
    RETURNED = "returned", _("Återsänd")
    APPROVED = "approved", _("Godkänd")


class Report(LockedByRound, VersionedModel):
    """One org unit's report in a round."""

    round = models.ForeignKey(
        FollowUpRound,
        verbose_name=_("uppföljning"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    started = models.BooleanField(_("påbörjad"), default=False)
    return_comment = models.TextField(
        _("kommentar vid återsändning"), blank=True, max_length=LONG_TEXT_LENGTH
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        ordering = ["round", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "org_unit"], name="report_one_per_unit")
        ]
        # The reports of a round by state: "Att granska" (the menu's count on every page
        # an approver opens) reads the submitted ones of the open rounds, a sixth of
        # them, instead of testing every report of the round; the counts per state of
        # the round list, the dashboard and a report's reports below read the index
        # alone (it holds all they read of a report).
        indexes = [
            models.Index(
                fields=["round", "status", "started", "org_unit"], name="report_round_status"
            )
        ]

    def __str__(self):
        return f"{self.org_unit} – {self.round}"

    def round_status_in_db(self):
        return (
            FollowUpRound.objects.filter(pk=self.round_id).values_list("status", flat=True).first()
        )


class ReportPiece(LockedByRound):
    """A piece of a report (a goal's assessment, an activity's or an assignment's
    update): locked when its report's round is closed."""

    class Meta:
        abstract = True

    def round_status_in_db(self):
        return (
            Report.objects.filter(pk=self.report_id).values_list("round__status", flat=True).first()
        )


class GoalAssessment(ReportPiece, VersionedModel):
    """Per goal in a report: proposed and chosen assessment, analysis and measures."""

    report = models.ForeignKey(
        Report, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="assessments"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.PROTECT, related_name="assessments"
    )
    proposed = models.CharField(
        _("förslag"), max_length=15, choices=Assessment.choices, default=Assessment.NOT_ASSESSED
    )
    chosen = models.CharField(_("bedömning"), max_length=15, choices=Assessment.choices, blank=True)
    analysis = models.TextField(_("analys"), blank=True, max_length=LONG_TEXT_LENGTH)
    measures = models.TextField(_("åtgärder"), blank=True, max_length=LONG_TEXT_LENGTH)
    justification = models.TextField(
        _("motivering"),
        blank=True,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("Krävs när bedömningen skiljer sig från förslaget."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målbedömning")
        verbose_name_plural = _("målbedömningar")
        ordering = ["report", "goal__level", "goal__order", "goal__pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="assessment_one_per_goal")
        ]
        # The roll-up of a committee's or the council's report counts the assessments of
        # the goals below its own (followup.report_page._distribution): from the goal to
        # its assessments, their report and choice, without reading the assessment rows
        # and their texts.
        indexes = [models.Index(fields=["goal", "report", "chosen"])]

    def __str__(self):
        return f"{self.goal}: {self.get_chosen_display() or '–'}"

    def missing(self) -> list[str]:
        """What stops the report from being submitted, for this goal."""
        problems = []
        if not self.chosen:
            problems.append(_("bedömning saknas"))
        if not self.analysis.strip():
            problems.append(_("analys saknas"))
        if self.chosen and self.chosen != self.proposed and not self.justification.strip():
            problems.append(_("motivering saknas (bedömningen skiljer sig från förslaget)"))
        return problems


class ActivityUpdate(ReportPiece, VersionedModel):
    """Per activity in a report: its status at the period end and a comment."""

    report = models.ForeignKey(
        Report, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="activity_updates"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("aktivitet"), on_delete=models.PROTECT, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=ActivityStatus.choices)
    comment = models.TextField(_("kommentar"), blank=True, max_length=LONG_TEXT_LENGTH)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aktivitetsuppföljning")
        verbose_name_plural = _("aktivitetsuppföljningar")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "activity"], name="activityupdate_one_per_activity"
            )
        ]

    def __str__(self):
        return f"{self.activity}: {self.get_status_display()}"


class AssignmentUpdate(ReportPiece, VersionedModel):
    """Per assignment (uppdrag) in its owner's report: its status at the period end and
    a comment. Made when the round opens, or the first time the owner saves it (an
    assignment given while the round is open)."""

    report = models.ForeignKey(
        Report,
        verbose_name=_("rapport"),
        on_delete=models.CASCADE,
        related_name="assignment_updates",
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("uppdrag"), on_delete=models.PROTECT, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=AssignmentStatus.choices)
    comment = models.TextField(_("kommentar"), blank=True, max_length=LONG_TEXT_LENGTH)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppdragsuppföljning")
        verbose_name_plural = _("uppdragsuppföljningar")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "assignment"], name="assignmentupdate_one_per_assignment"
            )
        ]

    def __str__(self):
        return f"{self.assignment}: {self.get_status_display()}"


class SubmittedValue(models.Model):
    """An indicator value as the unit's report showed it when it was submitted: what the
    approver reads, and what a value changed since (on the results screen, by an import)
    is shown against. Recorded by ``followup.services.report_submit`` for every cell of
    the report's values, anew at each submission (``submitted_at`` = the report's);
    earlier submissions' rows are kept. Never changed: not in the admin, no service
    writes one but the submission."""

    report = models.ForeignKey(
        Report, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="submitted_values"
    )
    submitted_at = models.DateTimeField(_("inlämnad"))
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices)
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("inlämnat värde")
        verbose_name_plural = _("inlämnade värden")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "submitted_at", "indicator", "period", "gender"],
                name="submittedvalue_one_per_cell",
            )
        ]

    def __str__(self):
        return f"{self.report_id} {self.indicator_id} {self.period} {self.gender}: {self.value}"


class Reminder(models.Model):
    """A reminder mail sent about a report: the record that stops sending it twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Före sista dag")
        LATE = "late", _("Försenad")
        MANUAL = "manual", _("Från uppföljningens översikt")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()
    recipients = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tom när påminnelsen skickades av det dagliga utskicket."),
    )

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            # Nobody is reminded twice the same day about a report, whatever sent it (the
            # daily command or a controller from the round's dashboard).
            models.UniqueConstraint(fields=["report", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.report} {self.kind} {self.sent_on}"


class NotificationEvent(models.TextChoices):
    SUBMITTED = "submitted", _("Rapport inlämnad")
    RETURNED = "returned", _("Rapport återsänd")
    APPROVED = "approved", _("Rapport godkänd")


class Notification(CleanInputModel, models.Model):
    """A step of a report that concerns a person (submitted: its approvers; returned or
    approved: its editors), shown on their start page until read and mailed once.

    One row per event, person and version of the report the step made: the constraint
    is what makes the notice and its mail happen once, however often the step is told.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottagare"),
        on_delete=models.CASCADE,
        related_name="followup_notifications",
    )
    report = models.ForeignKey(
        Report, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("händelse"), max_length=10, choices=NotificationEvent.choices)
    report_version = models.PositiveIntegerField(_("rapportens version"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("kommentar"), blank=True, max_length=LONG_TEXT_LENGTH)
    created_at = StampField(_("skapad"), auto_now_add=True)
    mailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)
    # Sends that failed (the mail server refused or was away): the daily send_reminders
    # tries again (followup.notifications.retry_unsent) up to MAX_MAIL_ATTEMPTS.
    mail_failures = models.PositiveSmallIntegerField(_("misslyckade utskick"), default=0)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)

    class Meta:
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "report", "event", "report_version"],
                name="notification_once_per_event",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.get_event_display()}: {self.report} → {self.user}"


class GeneratedReport(BackgroundJob):
    """A report PDF made for a round: the record of what the council was given.

    Kept with who made it and when (``created_by``/``created_at`` — empty
    ``created_by`` when made by ``manage.py render_report``), the file's size, pages
    and SHA-256, and whether it is PDF/A for the archive. Never edited, only made.
    """

    round = models.ForeignKey(
        FollowUpRound,
        verbose_name=_("uppföljning"),
        on_delete=models.PROTECT,
        related_name="generated_reports",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Tom för hela kommunen."),
    )
    pdfa = models.BooleanField(_("PDF/A för arkivet"), default=False)
    units_in_full = models.BooleanField(_("enhetsmålen i sin helhet"), default=False)
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("fil"), upload_to="rapporter/%Y/", blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("framtagen rapport")
        verbose_name_plural = _("framtagna rapporter")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


# Annual wheel (årshjul) models live in their own module; imported here so Django finds them.
from followup.wheel_models import *  # noqa: E402, F403
