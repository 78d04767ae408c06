"""English for every label a user reads on English pages (issue 12, item 8b): the conversation guide's
questions, the escalation steps and the plan-quality messages."""

from types import SimpleNamespace

from django.utils import translation
from django.utils.translation import gettext

from tafel.lifecycle.models import EscalationStep
from tafel.meetings.guide import PHASE_ORDER, guide_for
from tafel.meetings.services import plan_quality


def _guide_texts():
    for phase in PHASE_ORDER:
        guide = guide_for(phase)
        yield from (guide.title, guide.goal, guide.scale_question)
        for part in guide.parts:
            yield part.title
            for question in part.questions:
                # Two questions are built around each phase's goal; each phase's sentence is translated whole.
                yield question.text
                yield from question.prompts


def test_every_guide_text_has_an_english_translation():
    with translation.override("en"):
        untranslated = sorted({t for t in _guide_texts() if gettext(t) == t})
    assert untranslated == []


def test_escalation_steps_and_quality_messages_are_english_on_english_pages():
    with translation.override("en"):
        assert str(EscalationStep.DIRECTORS.label) == "5. Directors decide within the time limit"
        plan = SimpleNamespace(goals="", casusregisseur_id=None, next_meeting_date=None)
        action = SimpleNamespace(owner_id=None, deadline=None, what="Huisbezoek")
        missing = plan_quality(plan, [], [action])
        assert "No joint goal has been recorded." in missing
        assert "Action ‘Huisbezoek’ has no owner." in missing
    with translation.override("nl"):
        assert "Er is geen gezamenlijk doel vastgelegd." in plan_quality(plan, [], [])
