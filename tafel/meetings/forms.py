"""Forms of the meeting pages. They parse input only; every rule is in tafel.meetings.services, whose field
errors are put back on these fields with `apply_field_errors`."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from tafel.cases.forms import TEXT_CLASSES, TafelForm, _style
from tafel.cases.models import Phase

from .guide import guide_for
from .models import (
    ActionStatus,
    ActionType,
    Attendance,
    AttendMode,
    Audience,
    DeferReason,
    OordeelChoice,
    OverlegType,
    SafetyMarker,
    SessionPart,
    Term,
)
from .services.conversation import RISK_LEVEL, RISK_STABILITY

BLANK = [("", "— kies —")]
DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": f"{TEXT_CLASSES} tafel-textbox--date"}, format="%Y-%m-%d")


def _user_choices(users) -> list[tuple]:
    return BLANK + [(u.pk, f"{u.get_full_name() or u.username} ({u.organisation})") for u in users]


class MeetingForm(TafelForm):
    overleg_type = forms.ModelChoiceField(
        label="Soort overleg", queryset=OverlegType.objects.filter(active=True), empty_label="— kies —"
    )
    date = forms.DateField(label="Datum", widget=DATE_WIDGET)
    time = forms.TimeField(label="Tijd", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label="Plaats", required=False, max_length=200)
    video_link = forms.URLField(label="Videolink", required=False, max_length=200, assume_scheme="https")
    chair = forms.TypedChoiceField(label="Voorzitter", coerce=int, required=False)

    def __init__(self, *args, chairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = _user_choices(chairs)

    def starts_at(self) -> datetime.datetime | None:
        d, t = self.value("date"), self.value("time")
        if not d or not t:
            return None
        return timezone.make_aware(datetime.datetime.combine(d, t))


class AgendaAddForm(TafelForm):
    case = forms.TypedChoiceField(label="Casus", coerce=int)

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = BLANK + [(c.pk, f"{c.reference} — {c.title}") for c in cases]


class InviteForm(TafelForm):
    user = forms.TypedChoiceField(label="Wie", coerce=int)
    agenda_item = forms.TypedChoiceField(label="Voor", coerce=int, required=False, empty_value=None)
    substitute_for = forms.TypedChoiceField(label="Vervangt", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, users=(), items=(), invited=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = _user_choices(users)
        self.fields["agenda_item"].choices = [("", "Het hele overleg")] + [(i.pk, i.case.reference) for i in items]
        self.fields["substitute_for"].choices = [("", "— niemand —")] + [
            (u.pk, u.get_full_name() or u.username) for u in invited
        ]


class ClientInviteForm(TafelForm):
    person = forms.TypedChoiceField(label="Cliënt", coerce=int)
    invited = forms.TypedChoiceField(
        label="Uitnodigen",
        choices=[("1", "Ja"), ("0", "Nee, tenzij: reden hieronder")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    not_invited_reason = forms.CharField(label="Reden om niet uit te nodigen", required=False, widget=forms.Textarea)
    attend_mode = forms.ChoiceField(label="Deelname", choices=BLANK + list(AttendMode.choices), required=False)
    accompanied_by = forms.TypedChoiceField(
        label="Professional naast de cliënt (bij online)", coerce=int, required=False, empty_value=None
    )
    vertrouwenspersoon = forms.CharField(label="Vertrouwenspersoon", required=False, max_length=200)
    session_part = forms.ChoiceField(
        label="Sessie",
        required=False,
        choices=[
            ("", "Laat de planner kiezen"),
            (SessionPart.CLIENTS, SessionPart.CLIENTS.label),
            (SessionPart.CLIENTS_SEPARATE, SessionPart.CLIENTS_SEPARATE.label),
        ],
    )
    preparation_by = forms.TypedChoiceField(
        label="Voorbereidend gesprek door", coerce=int, required=False, empty_value=None
    )
    debrief_by = forms.TypedChoiceField(
        label="Nagesprek / terugkoppeling door", coerce=int, required=False, empty_value=None
    )
    client_wishes = forms.CharField(label="Wensen van de cliënt", required=False, widget=forms.Textarea)

    def __init__(self, *args, persons=(), users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = BLANK + [
            (cp.person_id, f"{cp.person} ({cp.get_role_display()})") for cp in persons
        ]
        for name in ("accompanied_by", "preparation_by", "debrief_by"):
            self.fields[name].choices = _user_choices(users)


class SafetyMarkerForm(TafelForm):
    marker = forms.ChoiceField(
        label="Markering",
        required=False,
        choices=[("", "Geen markering")] + list(SafetyMarker.choices),
        help_text="Bij stalking of intiem terrorisme zitten de gekozen personen nooit samen in een sessie, "
        "welke rol zij in de casus ook hebben.",
    )
    persons = forms.TypedMultipleChoiceField(
        label="Nooit samen in een sessie",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Kies ten minste twee personen.",
    )
    reason = forms.CharField(label="Reden", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [(cp.person_id, f"{cp.person} ({cp.get_role_display()})") for cp in persons]


class ClientTaskForm(TafelForm):
    task = forms.ChoiceField(choices=[("preparation", "preparation"), ("debrief", "debrief")], widget=forms.HiddenInput)
    wishes = forms.CharField(
        label="Wensen van de cliënt (uit het voorbereidend gesprek)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeferForm(TafelForm):
    reason = forms.ChoiceField(label="Reden", choices=BLANK + list(DeferReason.choices))
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SendForm(TafelForm):
    text = forms.CharField(
        label="Tekst van de uitnodiging",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Beschikbaar: {naam}, {overleg}, {datum}, {tijd}, {plaats}, {videolink}, {agenda}, {voorzitter}.",
    )


class OpenForm(TafelForm):
    privacy_text = forms.CharField(label="Privacy-opening", widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(TafelForm):
    """Closing is explicit (issue 12, item 5): the chair ticks that the meeting is over."""

    required_fields = frozenset({"confirm"})
    confirm = forms.BooleanField(
        label=gettext_lazy("Ja, het overleg is afgelopen: sluit het en registreer het als gehouden"),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_confirm(self):
        if not self.cleaned_data.get("confirm"):
            raise forms.ValidationError(gettext_lazy("Bevestig dat u het overleg sluit."))
        return True


class AttendanceForm(TafelForm):
    attendance = forms.ChoiceField(label="Aanwezigheid", choices=Attendance.choices)


class UpdateForm(TafelForm):
    required_fields = frozenset({"current_situation"})
    current_situation = forms.CharField(label="Huidige situatie", required=False, widget=forms.Textarea)
    worries = forms.CharField(label="Zorgen", required=False, widget=forms.Textarea)
    what_changed = forms.CharField(
        label="Wat is er veranderd sinds het vorige overleg?", required=False, widget=forms.Textarea
    )


class PartsForm(TafelForm):
    parts = forms.MultipleChoiceField(label="Onderdelen voor dit overleg", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, phase: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parts"].choices = [(p.code, p.title) for p in guide_for(phase).parts]


# The guide's structured lists as fixed rows: the page works without JavaScript.
RISK_ROWS, SUPPORT_ROWS, BRAINSTORM_ROWS, SHORTLIST_ROWS = 5, 5, 8, 5
TEXT_LABELS = {
    "family_picture": "Beeld van het gezin (gezinssamenstelling, thuissituatie, leefgebieden)",
    "help_involved": "Welke hulpverlening is betrokken en waar is die op gericht?",
    "worries": "Zorgen: wie is bezorgd om de veiligheid van wie, en waarom?",
    "incident_first": "Eerste incident",
    "incident_worst": "Ergste incident",
    "incident_latest": "Laatste incident",
    "earlier_violence": "Eerder huiselijk geweld?",
    "greatest_danger": "Grootste gevaar: voor wie, en wat zijn de mogelijke gevolgen?",
    "patterns": "Onderliggende patronen",
    "tried_before": "Wat is eerder ingezet, en welke problemen ervaren betrokkenen met de hulp?",
    "strengths": "Krachten: wat zorgt voor veiligheid?",
    "social_network": "Sociaal netwerk: op wie kan het gezin terugvallen?",
    "future_view": "Hoe zien gezinsleden de toekomst?",
    "unknowns": "Wat weten we nog niet?",
    "right_people_note": "Wie ontbreekt er aan tafel?",
    "family_view_needed": "Wat denkt het gezin dat er nodig is?",
    "safe_when": "Hoe weten we wanneer het veilig is (of herstel bereikt)?",
    "keep_informed": "Hoe houden we elkaar op de hoogte?",
    "timeline": "Tijdslijn",
    "afsluitingsplan": "Afsluitingsplan: wat doen we als het na afsluiting weer misgaat?",
}


class DiscussionForm(TafelForm):
    """The structured fields of the chosen guide parts."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    right_people_at_table = forms.ChoiceField(
        label="Zitten de juiste mensen aan tafel?",
        choices=[("", "Nog niet besproken"), ("1", "Ja"), ("0", "Nee")],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, discussion, **kwargs):
        self.discussion = discussion
        initial = kwargs.pop("initial", {}) or {}
        initial.update(self._initial(discussion))
        super().__init__(*args, initial=initial, **kwargs)
        for name, label in TEXT_LABELS.items():
            self.fields[name] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
        stability = BLANK + list(RISK_STABILITY.items())
        level = BLANK + list(RISK_LEVEL.items())
        for i in range(RISK_ROWS):
            self.fields[f"risk_{i}_text"] = forms.CharField(label=f"Risico {i + 1}", required=False, max_length=500)
            self.fields[f"risk_{i}_stability"] = forms.ChoiceField(
                label="Statisch/dynamisch", choices=stability, required=False
            )
            self.fields[f"risk_{i}_level"] = forms.ChoiceField(
                label="Individueel/systemisch", choices=level, required=False
            )
            self.fields[f"risk_{i}_top"] = forms.BooleanField(label="Top 3", required=False)
        for i in range(3):
            self.fields[f"recovery_{i}"] = forms.CharField(label=f"Herstelpunt {i + 1}", required=False, max_length=500)
        for i in range(SUPPORT_ROWS):
            self.fields[f"support_{i}_member"] = forms.CharField(label="Gezinslid", required=False, max_length=200)
            self.fields[f"support_{i}_support"] = forms.CharField(label="Steunbronnen", required=False, max_length=500)
        for i in range(BRAINSTORM_ROWS):
            self.fields[f"brainstorm_{i}_option"] = forms.CharField(
                label=f"Idee {i + 1}", required=False, max_length=500
            )
            self.fields[f"brainstorm_{i}_by"] = forms.CharField(label="Van", required=False, max_length=200)
        for i in range(SHORTLIST_ROWS):
            self.fields[f"short_{i}_option"] = forms.CharField(
                label=f"Prioriteit {i + 1}", required=False, max_length=500
            )
            self.fields[f"short_{i}_client_priority"] = forms.IntegerField(
                label="Prioriteit cliënt", required=False, min_value=1, max_value=99
            )
            self.fields[f"short_{i}_expert_view"] = forms.CharField(
                label="Visie deskundigen", required=False, max_length=500
            )
            self.fields[f"short_{i}_belastbaarheid"] = forms.CharField(
                label="Belastbaarheid", required=False, max_length=500
            )
            self.fields[f"short_{i}_term"] = forms.ChoiceField(label="Termijn", choices=Term.choices, required=False)
        for field in self.fields.values():
            _style(field.widget)

    @staticmethod
    def _initial(d) -> dict:
        initial = {name: getattr(d, name) for name in TEXT_LABELS}
        initial["version"] = d.version
        initial["right_people_at_table"] = {True: "1", False: "0"}.get(d.right_people_at_table, "")
        for i, r in enumerate(d.risks[:RISK_ROWS]):
            initial.update(
                {
                    f"risk_{i}_text": r.get("text"),
                    f"risk_{i}_stability": r.get("stability"),
                    f"risk_{i}_level": r.get("level"),
                    f"risk_{i}_top": r.get("top"),
                }
            )
        for i, p in enumerate(d.recovery_points[:3]):
            initial[f"recovery_{i}"] = p
        for i, s in enumerate(d.support_per_member[:SUPPORT_ROWS]):
            initial.update({f"support_{i}_member": s.get("member"), f"support_{i}_support": s.get("support")})
        for i, b in enumerate(d.brainstorm[:BRAINSTORM_ROWS]):
            initial.update({f"brainstorm_{i}_option": b.get("option"), f"brainstorm_{i}_by": b.get("by")})
        for i, s in enumerate(d.shortlist[:SHORTLIST_ROWS]):
            initial.update(
                {
                    f"short_{i}_{k}": s.get(k)
                    for k in ("option", "client_priority", "expert_view", "belastbaarheid", "term")
                }
            )
        return initial

    def rows(self, prefix: str, count: int, keys: tuple[str, ...]) -> list[list]:
        return [[self[f"{prefix}_{i}_{k}"] for k in keys] for i in range(count)]

    def risk_rows(self):
        return self.rows("risk", RISK_ROWS, ("text", "stability", "level", "top"))

    def support_rows(self):
        return self.rows("support", SUPPORT_ROWS, ("member", "support"))

    def brainstorm_rows(self):
        return self.rows("brainstorm", BRAINSTORM_ROWS, ("option", "by"))

    def shortlist_rows(self):
        return self.rows(
            "short", SHORTLIST_ROWS, ("option", "client_priority", "expert_view", "belastbaarheid", "term")
        )

    def recovery_fields(self):
        return [self[f"recovery_{i}"] for i in range(3)]

    def data_for(self, fields: set[str]) -> dict:
        """The service input for the fields of the chosen parts only: what is not on the page is not wiped."""
        c = self.cleaned_data
        data: dict = {name: c.get(name, "") for name in TEXT_LABELS if name in fields}
        if "right_people_at_table" in fields:
            data["right_people_at_table"] = {"1": True, "0": False}.get(c.get("right_people_at_table"))
            data["right_people_note"] = c.get("right_people_note", "")
        if "risks" in fields:
            data["risks"] = [
                {
                    "text": c[f"risk_{i}_text"],
                    "stability": c[f"risk_{i}_stability"],
                    "level": c[f"risk_{i}_level"],
                    "top": c[f"risk_{i}_top"],
                }
                for i in range(RISK_ROWS)
                if c.get(f"risk_{i}_text")
            ]
        if "recovery_points" in fields:
            data["recovery_points"] = [c[f"recovery_{i}"] for i in range(3) if c.get(f"recovery_{i}")]
        if "support_per_member" in fields:
            data["support_per_member"] = [
                {"member": c[f"support_{i}_member"], "support": c[f"support_{i}_support"]} for i in range(SUPPORT_ROWS)
            ]
        if "brainstorm" in fields:
            data["brainstorm"] = [
                {"option": c[f"brainstorm_{i}_option"], "by": c[f"brainstorm_{i}_by"]} for i in range(BRAINSTORM_ROWS)
            ]
        if "shortlist" in fields:
            data["shortlist"] = [
                {
                    k: c.get(f"short_{i}_{k}")
                    for k in ("option", "client_priority", "expert_view", "belastbaarheid", "term")
                }
                for i in range(SHORTLIST_ROWS)
            ]
        return data


def guide_fields(phase: str, parts: list[str]) -> set[str]:
    guide = guide_for(phase)
    names: set[str] = set()
    for code in parts:
        part = guide.part(code)
        if part:
            names.update(part.fields)
    return names


class ScaleForm(TafelForm):
    who = forms.ChoiceField(label="Wie")
    score = forms.TypedChoiceField(label="Cijfer (1–10)", coerce=int, choices=BLANK + [(i, i) for i in range(1, 11)])
    rationale = forms.CharField(
        label="Onderbouwing",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Hoe ernstig, hoe groot de gevolgen, hoe groot de kans op herhaling, "
        "wat is de visie van betrokkenen?",
    )

    def __init__(self, *args, participants=(), persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = (
            BLANK
            + [(f"u{u.pk}", f"{u.get_full_name() or u.username} ({u.organisation})") for u in participants]
            + [(f"p{cp.person_id}", f"Cliënt: {cp.person}") for cp in persons]
        )

    def target(self) -> dict:
        who = self.value("who") or ""
        if who.startswith("u"):
            return {"participant": int(who[1:])}
        if who.startswith("p"):
            return {"person_id": int(who[1:])}
        return {}


class DecideForm(TafelForm):
    choice = forms.ChoiceField(label="Oordeel", choices=OordeelChoice.choices, widget=forms.RadioSelect)
    to_phase = forms.ChoiceField(label="Terug naar fase", choices=BLANK + list(Phase.choices), required=False)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(TafelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    goals = forms.CharField(label="Gezamenlijk doel / doelen", required=False, widget=forms.Textarea)
    casusregisseur = forms.TypedChoiceField(label="Casusregisseur", coerce=int, required=False, empty_value=None)
    casusregie_subtasks = forms.CharField(
        label="Deeltaken van de casusregisseur", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    casusregie_from = forms.DateField(label="Casusregie vanaf", required=False, widget=DATE_WIDGET)
    casusregie_until = forms.DateField(label="Casusregie tot", required=False, widget=DATE_WIDGET)
    casusregie_exclusions = forms.CharField(
        label="Wat valt buiten de casusregie", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    afdoeningsadvies = forms.CharField(
        label="Afdoeningsadvies (ZSM)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_meeting_date = forms.DateField(label="Volgend overleg / evaluatie", required=False, widget=DATE_WIDGET)
    family_worries = forms.CharField(
        label="Voor het gezin: onze zorgen, in gewone woorden", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    family_going_well = forms.CharField(
        label="Voor het gezin: wat goed gaat, in gewone woorden",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["casusregisseur"].choices = _user_choices(users)

    def data_for_service(self) -> dict:
        c = self.cleaned_data
        return {name: c.get(name) for name in self.fields if name != "version"}


class BodemeisForm(TafelForm):
    # Every bodemeis has a guard (convenant's quality criteria): the form marks it required, the service refuses
    # one without.
    required_fields = frozenset({"guard"})

    text = forms.CharField(label="Bodemeis", widget=forms.Textarea(attrs={"rows": 2}))
    guard = forms.TypedChoiceField(label="Wie bewaakt deze", coerce=int, required=False, empty_value=None)
    if_broken = forms.CharField(
        label="Wat doen we als deze niet wordt nagekomen?", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    audience = forms.ChoiceField(
        label="Voor wie",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        help_text="Alleen wat voor het gezin is, komt in de versie van het plan voor het gezin.",
        error_messages={"required": "Kies of deze bodemeis voor het gezin is of alleen voor professionals."},
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guard"].choices = _user_choices(users)


class ActionForm(TafelForm):
    what = forms.CharField(label="Wat", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.TypedChoiceField(label="Wie", coerce=int, required=False, empty_value=None)
    co_owner = forms.TypedChoiceField(
        label="Samen met (vier ogen)",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Een tweede eigenaar: de actie is pas gedaan als beiden dat bevestigen.",
    )
    deadline = forms.DateField(label="Wanneer (uiterlijk)", required=False, widget=DATE_WIDGET)
    type = forms.ChoiceField(label="Soort actie", choices=BLANK + list(ActionType.choices))
    audience = forms.ChoiceField(
        label="Voor wie",
        choices=[("", "Volgens de soort actie")] + list(Audience.choices),
        required=False,
        help_text="Alleen wat voor het gezin is, komt in de versie van het plan voor het gezin. Zonder keuze: acties "
        "richting, met of over het gezin zijn voor het gezin, de andere alleen voor professionals.",
    )
    term = forms.ChoiceField(label="Termijn", choices=Term.choices, initial=Term.SHORT)
    rationale = forms.CharField(label="Waarom (onderbouwing)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    plain_text = forms.CharField(
        label="In gewone woorden, voor het gezin",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Schrijf wat er gebeurt, zonder wie: bijvoorbeeld ‘met de school praten’.",
    )
    family_member = forms.CharField(
        label="Doet iemand uit het gezin dit zelf?",
        required=False,
        max_length=80,
        help_text="Bijvoorbeeld ‘moeder’ of een voornaam. De versie voor het gezin noemt dan dit gezinslid, en "
        "wie hierboven staat als degene die helpt.",
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _user_choices(users)
        self.fields["co_owner"].choices = _user_choices(users)


class RemoveForm(TafelForm):
    """A destructive step asks for a confirmation first."""

    confirm = forms.BooleanField(
        label="Ja, verwijder dit uit het concept",
        error_messages={"required": "Vink aan dat u dit wilt verwijderen."},
    )


class PublishForm(TafelForm):
    """Publishing a plan that fails the quality check needs an explicit confirmation with a reason."""

    confirm_incomplete = forms.BooleanField(
        label="Ik publiceer dit plan bewust, ook al ontbreekt er nog iets", required=False
    )
    quality_reason = forms.CharField(
        label="Waarom publiceert u het plan nu toch?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: er is direct een plan nodig; de ontbrekende punten volgen in de volgende versie.",
    )

    def clean(self):
        data = super().clean()
        if data.get("quality_reason", "").strip() and not data.get("confirm_incomplete"):
            self.add_error("confirm_incomplete", "Vink aan dat u het plan bewust onvolledig publiceert.")
        if data.get("confirm_incomplete") and not data.get("quality_reason", "").strip():
            self.add_error("quality_reason", "Waarom publiceert u dit plan terwijl er nog iets ontbreekt?")
        return data


class IdeaForm(TafelForm):
    """One idea of the brainstorm or shortlist becomes an action in one step."""

    source = forms.ChoiceField(choices=[("brainstorm", "brainstorm"), ("shortlist", "shortlist")])
    index = forms.IntegerField(min_value=0, max_value=99)
    type = forms.ChoiceField(
        label="Soort actie", choices=list(ActionType.choices), initial=ActionType.PROFESSIONAL_ACTION
    )


class ActionStatusForm(TafelForm):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    outcome_note = forms.CharField(
        label="Uitkomst / toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerslagEditForm(TafelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="Tekst", required=False, widget=forms.Textarea(attrs={"rows": 12}))


class InvitationResponseForm(TafelForm):
    """Issue 11: the invitee answers from "Mijn werk"."""

    response = forms.ChoiceField(
        label="Uw antwoord",
        choices=[
            ("accepted", "Ik kom"),
            ("declined", "Ik kom niet"),
            ("substituted", "Ik stuur een collega"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of u komt, niet komt of een collega stuurt."},
    )
    reason = forms.CharField(label="Reden (verplicht als u niet komt)", required=False, max_length=2000)
    substitute = forms.TypedChoiceField(
        label="Collega die in uw plaats komt", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].choices = BLANK + [(u.pk, u.get_full_name() or u.username) for u in colleagues]


class PartnerInviteForm(TafelForm):
    """Invite someone of an organisation that does not take part in the case yet: it is added first, with a
    reason (issue 11 item 6)."""

    required_fields = frozenset({"agenda_item", "user", "reason"})

    agenda_item = forms.TypedChoiceField(label=_("Casus"), coerce=int, required=False, empty_value=None)
    user = forms.TypedChoiceField(label=_("Wie"), coerce=int, required=False, empty_value=None)
    reason = forms.CharField(label=_("Reden van deelname van de organisatie"), max_length=300, required=False)

    def __init__(self, *args, users=(), items=(), **kwargs):
        super().__init__(*args, prefix="partner", **kwargs)
        self.fields["user"].choices = _user_choices(users)
        self.fields["agenda_item"].choices = BLANK + [(i.pk, i.case.reference) for i in items]


class PoliceCheckForm(TafelForm):
    """The police's answer to a DIK-check (SPEC §4.2): known or not, and attention points — not the file."""

    required_fields = frozenset({"known"})

    known = forms.TypedChoiceField(
        label=_("Bekend bij de politie"),
        choices=[("ja", _("Bekend")), ("nee", _("Niet bekend"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    attention_points = forms.CharField(
        label=_("Aandachtspunten voor het overleg"),
        help_text=_(
            "Bijvoorbeeld: wapenvergunning, agressie naar hulpverleners, niet alleen op huisbezoek. Geen dossierinhoud."
        ),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FamilyPlanReviewForm(TafelForm):
    """The procesregisseur's reading of the family's version (issue 12, item 6): Tafel's sentences, editable."""

    sentences = forms.CharField(
        label="Zinnen voor het gezin (één per regel)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Laat ze staan zoals Tafel ze schreef, of verbeter ze. Wat u aanpast, wordt vastgelegd.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
