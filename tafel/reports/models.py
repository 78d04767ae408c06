"""The effectiviteitsmatrix (goals per overleg type) and report jobs (SPEC §7)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# A report takes seconds; one not finished after this long was cut off (a restart of the server).
STALE_AFTER = datetime.timedelta(minutes=15)


class Direction(models.TextChoices):
    AT_LEAST = "at_least", "Minimaal (hoger is beter)"
    AT_MOST = "at_most", "Maximaal (lager is beter)"


class Goal(models.Model):
    """One row of the effectiviteitsmatrix (000:L4407-4428): what an overleg type aims at, the selection,
    input and follow-up criteria derived from that aim, and the indicator with the target that shows whether
    it is reached — per quarter, so the PDCA loop closes."""

    overleg_type = models.ForeignKey(
        "meetings.OverlegType",
        verbose_name="soort overleg",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        help_text="Leeg: een doel van het hele huis.",
    )
    theme = models.CharField("thema", max_length=20, blank=True, help_text="Leeg: alle thema's.")
    title = models.CharField("doel", max_length=200)
    description = models.TextField("toelichting", blank=True)
    selection_criteria = models.TextField("selectiecriteria", blank=True, help_text="Welke casussen horen erbij?")
    input_criteria = models.TextField("inputcriteria", blank=True, help_text="Wat moet er minimaal aan tafel komen?")
    follow_up_criteria = models.TextField(
        "vervolgcriteria", blank=True, help_text="Wat moet er na het overleg gebeuren?"
    )
    indicator_code = models.CharField("indicator", max_length=40)
    target_value = models.DecimalField("streefwaarde", max_digits=10, decimal_places=1)
    direction = models.CharField("richting", max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    active = models.BooleanField("actief", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["overleg_type__name", "title", "id"]
        verbose_name = "doel"
        verbose_name_plural = "doelen (effectiviteitsmatrix)"

    def __str__(self) -> str:
        return self.title

    def reached(self, value: float | None) -> bool | None:
        if value is None:
            return None
        target = float(self.target_value)
        return value >= target if self.direction == Direction.AT_LEAST else value <= target


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (XLSX)"
    CSV = "csv", "CSV"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "In de wachtrij"
    RUNNING = "running", "Bezig"
    DONE = "done", "Klaar"
    FAILED = "failed", "Mislukt"


class ReportJob(models.Model):
    """A quarterly or annual report being made in the background. The file holds aggregates only, small
    cells suppressed; only the user who asked for it can download it."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    format = models.CharField(max_length=4, choices=ReportFormat.choices)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "rapportage"
        verbose_name_plural = "rapportages"
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100")]

    def __str__(self) -> str:
        return self.filename or f"rapportage {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED) or self.interrupted

    @property
    def interrupted(self) -> bool:
        """Still queued or running long after a report takes (seconds): the server stopped while making it.
        The page stops polling and asks to start it again."""
        if self.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return False
        return self.created_at < timezone.now() - STALE_AFTER
