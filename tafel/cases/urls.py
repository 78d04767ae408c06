from django.urls import path

from . import views, views_participants

app_name = "cases"

urlpatterns = [
    path("werkvoorraad/", views.werkvoorraad, name="werkvoorraad"),
    path("aanmeldingen/nieuw/", views.aanmelding_new, name="aanmelding_new"),
    path("aanmeldingen/match/", views.person_match, name="person_match"),
    path("aanmeldingen/<int:aanmelding_id>/", views.aanmelding_detail, name="aanmelding_detail"),
    path(
        "aanmeldingen/<int:aanmelding_id>/informatie/",
        views.aanmelding_supply_info,
        name="aanmelding_supply_info",
    ),
    path("casussen/", views.case_list, name="list"),
    path("casussen/<int:case_id>/", views.case_detail, name="detail"),
    path("casussen/<int:case_id>/triage/", views.triage, name="triage"),
    path("casussen/<int:case_id>/notities/", views.case_note_add, name="note_add"),
    path("casussen/<int:case_id>/organisaties/", views.case_organisation_add, name="organisation_add"),
    path(
        "casussen/<int:case_id>/organisaties/<int:organisation_id>/partner/",
        views.case_participation_partner,
        name="participation_partner",
    ),
    path(
        "casussen/<int:case_id>/organisaties/<int:organisation_id>/verwijderen/",
        views_participants.participation_remove,
        name="participation_remove",
    ),
    path("casussen/<int:case_id>/status/", views.case_transition, name="transition"),
    path("casussen/<int:case_id>/classificatie/", views.case_classify, name="classify"),
    path("casussen/<int:case_id>/rollen/", views.case_person_role, name="person_role"),
    path(
        "casussen/<int:case_id>/voorstellen/<int:proposal_id>/",
        views.case_proposal_decide,
        name="proposal_decide",
    ),
]
