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

    @property
    def theme_label(self) -> str:
        """The theme's name as shown elsewhere ("Huiselijk geweld / kindermishandeling"); empty for all themes."""
        from tafel.cases.models import Theme

        return str(dict(Theme.choices).get(self.theme, self.theme)) if self.theme else ""

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
    # Set when the job has made (or given up on) the formats other than the one asked for.
    others_done = models.BooleanField(default=False)

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

    @property
    def others_pending(self) -> bool:
        """The asked format is done and the job is still making the other formats (the page keeps polling),
        unless the server stopped meanwhile."""
        if self.status != ReportStatus.DONE or self.others_done or self.finished_at is None:
            return False
        return self.finished_at > timezone.now() - STALE_AFTER


class ReportJobFile(models.Model):
    """The report of a job in another format. A job makes the format asked for first (the job's own `file`)
    and then the other formats from the same figures, so the PDF, XLSX and CSV of one job always agree."""

    job = models.ForeignKey(ReportJob, on_delete=models.CASCADE, related_name="other_files")
    format = models.CharField(max_length=4, choices=ReportFormat.choices)
    file = models.FileField(upload_to="reports/%Y/%m/")
    filename = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["job", "format"], name="report_job_file_once_per_format")]

    def __str__(self) -> str:
        return self.filename


class ResearchExport(models.Model):
    """One pseudonymised case-level export handed to an approved researcher (issue 6 item 6). The file itself
    is not kept: only who asked, for whom, under which approval, for which period and how many rows."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    researcher_name = models.CharField("onderzoeker", max_length=200)
    researcher_organisation = models.CharField("organisatie onderzoeker", max_length=200)
    approval_reference = models.CharField("kenmerk goedkeuring", max_length=100)
    purpose = models.TextField("doel van het onderzoek")
    period_start = models.DateField("periode vanaf")
    period_end = models.DateField("periode tot en met")
    row_count = models.PositiveIntegerField("aantal rijen", default=0)
    # k-anonymity (issue 10 finding 16): the k asked for, the smallest group of persons sharing one combination
    # of quasi-identifiers in the file as released (empty when nothing could be released), how many rows were
    # left out to reach it, and how coarse the quasi-identifiers were made.
    k_required = models.PositiveSmallIntegerField("vereiste k", default=5)
    k_achieved = models.PositiveIntegerField("bereikte k", null=True, blank=True)
    suppressed_count = models.PositiveIntegerField("weggelaten rijen", default=0)
    generalisation = models.CharField("generalisatie", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "onderzoeksexport"
        verbose_name_plural = "onderzoeksexports"

    def __str__(self) -> str:
        return f"{self.approval_reference} ({self.researcher_name})"


# --- learning instruments (SPEC §5.5, issue 6 item 5) -------------------------------------------------------


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Stelling (1–5)"
    SCALE10 = "scale10", "Cijfer (1–10)"
    NUMBER = "number", "Getal (schatting)"
    TEXT = "text", "Open vraag"


class Questionnaire(models.Model):
    """A learning instrument: the partner survey (001 Bijlage 4) and the session ratings after a meeting are
    shipped by a data migration; the ketenmanager and the beheerder edit them and add their own in the
    questionnaire editor. Answers feed the monitor as averages per item."""

    code = models.SlugField("code", max_length=40, unique=True)
    title = models.CharField("titel", max_length=200)
    introduction = models.TextField("toelichting", blank=True)
    active = models.BooleanField("actief", default=True)
    # One token for the questionnaire and its questions: every change in the editor raises it, so a second
    # editor working from an older page is told instead of silently overwriting (issue 6 item 5).
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "vragenlijst"
        verbose_name_plural = "vragenlijsten"

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("volgorde")
    kind = models.CharField("soort", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("vraag", max_length=300)
    low_label = models.CharField("betekenis laagste waarde", max_length=60, blank=True)
    high_label = models.CharField("betekenis hoogste waarde", max_length=60, blank=True)
    # "Vervallen": no longer asked in new fill-ins, while its past answers stay in the results. A question
    # with answers is retired rather than deleted, so earlier results keep their meaning.
    retired_at = models.DateTimeField("vervallen op", null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"], name="question_order_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class ChangeKind(models.TextChoices):
    CREATED = "created", "vragenlijst aangemaakt"
    UPDATED = "updated", "vragenlijst gewijzigd"
    DELETED = "deleted", "vragenlijst verwijderd"
    QUESTION_ADDED = "q_added", "vraag toegevoegd"
    QUESTION_UPDATED = "q_updated", "vraag gewijzigd"
    QUESTION_TEXT = "q_text", "tekst van een beantwoorde vraag gewijzigd"
    QUESTION_MOVED = "q_moved", "vraag verplaatst"
    QUESTION_RETIRED = "q_retired", "vraag vervallen"
    QUESTION_RESTORED = "q_restored", "vraag weer actief"
    QUESTION_DELETED = "q_deleted", "vraag verwijderd"


class QuestionnaireChange(models.Model):
    """Append-only record of every change made in the questionnaire editor: who, when, what (the audit of
    configuration that holds no personal data, kept beside it as for the goals). A change of wording of a
    question that already has answers keeps the previous wording here, and the results page shows it
    ("tekst gewijzigd op …") so nobody reads old answers against the new text unawares."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    kind = models.CharField(max_length=12, choices=ChangeKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    previous_text = models.CharField("vorige tekst", max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "wijziging vragenlijst"
        verbose_name_plural = "wijzigingen vragenlijsten"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"


class Response(models.Model):
    """One filled-in questionnaire. The respondent is kept for the record (who took part); results are only
    ever shown as averages per item."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(db_index=True)
    # A session rating belongs to the meeting it rates (and a client's rating to the case discussed). The
    # overleg type is kept on the row as well, so the monitor can group ratings per overleg type without a
    # join through meetings, and a rating keeps its type should its meeting or case ever be removed.
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    overleg_type = models.ForeignKey(
        "meetings.OverlegType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    with_client = models.BooleanField("samen met de cliënt ingevuld", default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One professional rating per person per meeting (a client's rating, filled in together with
            # the client, may be given for every client at the table).
            models.UniqueConstraint(
                fields=["questionnaire", "respondent", "meeting"],
                condition=Q(meeting__isnull=False, with_client=False),
                name="session_rating_once_per_user",
            )
        ]
        indexes = [models.Index(fields=["questionnaire", "submitted_at"], name="response_q_submitted")]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}: antwoorden {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"antwoord {self.pk}"


# --- stored figures of closed quarters (issue 14 item 4, docs/decisions/0012-stored-quarter-figures.md) -------


class MonitorQuarter(models.Model):
    """A quarter whose figures may be stored, with the version of its data: a late change to a case whose life
    overlaps the quarter raises the version, and figures stored under an older version are no longer served."""

    first_day = models.DateField(unique=True)
    ends_at = models.DateTimeField(db_index=True)
    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.first_day}: versie {self.version}"


class StoredFigure(models.Model):
    """The unsuppressed result of one indicator for one quarter and one set of filters, as computed live.
    Suppression and access are applied when it is read, exactly as on a freshly computed result."""

    quarter = models.ForeignKey(MonitorQuarter, on_delete=models.CASCADE, related_name="figures")
    indicator = models.CharField(max_length=60)
    # The filters besides the period, and the language (tafel.reports.stored.filters_key): "lang=nl|m=3|t=|...".
    filters = models.CharField(max_length=200)
    # The indicators' code the figure was computed with: another release computes anew.
    definitions = models.CharField(max_length=64)
    version = models.PositiveBigIntegerField()
    result = models.BinaryField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "filters", "indicator", "definitions"], name="stored_figure_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.quarter_id} {self.filters}"
