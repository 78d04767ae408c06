from django.urls import path

from . import views, views_mywork, views_partner_invite

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("nieuw/", views.meeting_new, name="new"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:meeting_id>/uitnodigen/", views.invite, name="invite"),
    path(
        "<int:meeting_id>/uitnodigen/nieuwe-organisatie/",
        views_partner_invite.invite_with_organisation,
        name="invite_with_organisation",
    ),
    path("<int:meeting_id>/versturen/", views.send_invitations, name="send"),
    path("<int:meeting_id>/openen/", views.meeting_open, name="open"),
    path("<int:meeting_id>/sluiten/", views.meeting_close, name="close"),
    path("<int:meeting_id>/aanwezigheid/", views.attendance_sheet, name="attendance_sheet"),
    path("<int:meeting_id>/verslag/", views.verslag, name="verslag"),
    path("<int:meeting_id>/verslag/pdf/", views.verslag_pdf, name="verslag_pdf"),
    path("verslag/deel/<int:section_id>/", views.verslag_edit, name="verslag_edit"),
    path("uitnodiging/<int:invitation_id>/aanwezigheid/", views.attendance, name="attendance"),
    path("uitnodiging/<int:invitation_id>/taak/", views.client_task, name="client_task"),
    path("agendapunt/<int:item_id>/client/", views.client_invite, name="client_invite"),
    path("agendapunt/<int:item_id>/markering/", views.safety_marker, name="safety_marker"),
    path("agendapunt/<int:item_id>/doorschuiven/", views.defer, name="defer"),
    path("agendapunt/<int:item_id>/update/", views.pre_meeting_update, name="update"),
    path("agendapunt/<int:item_id>/leidraad/", views.guide, name="guide"),
    path("agendapunt/<int:item_id>/leidraad/concept/", views.guide_draft, name="guide_draft"),
    path("agendapunt/<int:item_id>/schaal/", views.scale_add, name="scale_add"),
    path("agendapunt/<int:item_id>/oordeel/", views.decide, name="decide"),
    path("agendapunt/<int:item_id>/plan/", views.plan_start, name="plan_start"),
    path("plan/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plan/<int:plan_id>/bewerken/", views.plan_edit, name="plan_edit"),
    path("plan/<int:plan_id>/nieuwe-versie/", views.plan_new_version, name="plan_new_version"),
    path("plan/<int:plan_id>/gezin/", views.family, name="family"),
    path("plan/<int:plan_id>/gezin/pdf/", views.family_pdf, name="family_pdf"),
    path("plan/<int:plan_id>/gezin/beoordelen/", views.family_review, name="family_review"),
    path("actie/<int:action_id>/", views.action_status, name="action_status"),
    path("mijn-werk/", views_mywork.my_work, name="my_work"),
    path("mijn-werk/uitnodiging/<int:invitation_id>/", views_mywork.invitation_respond, name="invitation_respond"),
    path("mijn-werk/dik-check/<int:check_id>/", views_mywork.police_check_answer, name="police_check_answer"),
]
