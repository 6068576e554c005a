"""An uploaded workbook on its way in: preview first, then (when confirmed) applied."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ledmot.models import BackgroundJob


class ImportPhase(models.TextChoices):
    PREVIEW = "preview", _("Förhandsgranskning")
    APPLY = "apply", _("Genomförs")
    APPLIED = "applied", _("Genomförd")


class WorkbookImport(BackgroundJob):
    """One upload: the file, its preview (counts, changes, problems) and its outcome.

    The job's status is that of the current phase: the preview is made (``phase``
    preview), then, when the user confirms, the import is applied (``phase`` apply,
    then applied). The file is kept as a record of what was imported.
    """

    file = models.FileField(_("fil"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("filnamn"), max_length=255)
    phase = models.CharField(
        _("steg"), max_length=10, choices=ImportPhase.choices, default=ImportPhase.PREVIEW
    )
    row_count = models.PositiveIntegerField(_("rader"), default=0)
    summary = models.JSONField(_("förhandsgranskning"), default=dict, blank=True)
    stale = models.BooleanField(
        _("ändrat sedan förhandsgranskningen"),
        default=False,
        help_text=_("Databasen ändrades mellan förhandsgranskningen och bekräftelsen."),
    )
    applied_at = models.DateTimeField(_("genomförd"), null=True, blank=True)

    class Meta:
        verbose_name = _("Excel-import")
        verbose_name_plural = _("Excel-importer")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def problems(self) -> list[dict]:
        return self.summary.get("problems", [])

    @property
    def can_confirm(self) -> bool:
        from ledmot.models import JobStatus

        return (
            self.phase == ImportPhase.PREVIEW
            and self.status == JobStatus.DONE
            and bool(self.summary)
            and not self.problems
            and self.summary.get("rows_total", 0) > 0
        )


class WorkbookExport(BackgroundJob):
    """One full workbook export, made in the background: the file and what it holds.

    Only its owner (``created_by``) sees and downloads it; the rows are those of the
    units the owner manages when the job runs (everything when made without a user).
    The user's oldest exports are removed when they start a new one (see
    :func:`goals.workbook.jobs.export_start`): a download, not an archive.
    """

    file = models.FileField(_("fil"), upload_to="exports/%Y/%m/", blank=True)
    counts = models.JSONField(_("rader per blad"), default=dict, blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Excel-export")
        verbose_name_plural = _("Excel-exporter")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{_('Excel-export')} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def rows(self) -> int:
        return sum(self.counts.values())
