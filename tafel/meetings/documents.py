"""The verslag as PDF (WeasyPrint), rendered from the same template as the page (ARCHITECTURE.md, documents)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from tafel.core.pdf import render_pdf

STYLESHEET = Path(__file__).resolve().parent / "static" / "meetings" / "print.css"


def verslag_pdf(request, view) -> bytes:
    """`view` is a selectors.VerslagView: the viewer's own cut of the verslag, already access-checked."""
    html = render_to_string(
        "meetings/verslag_document.html",
        {"v": view, "verslag": view.verslag, "house_name": settings.TAFEL_HOUSE_NAME},
        request=request,
    )
    return render_pdf(html, base_url=str(STYLESHEET.parent), stylesheets=[STYLESHEET])


def family_pdf(request, view) -> bytes:
    """The praatplaat (SPEC §4.5): `view` is a reviewed tafel.meetings.family.FamilyView."""
    html = render_to_string(
        "meetings/family_document.html", {"v": view, "plan": view.plan, "sentences": view.sentences}, request=request
    )
    return render_pdf(html, base_url=str(STYLESHEET.parent), stylesheets=[STYLESHEET])
