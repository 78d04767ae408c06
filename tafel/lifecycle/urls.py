"""Pages of the lifecycle app. Paths sit under the case (`casussen/<id>/opvolging/`, `.../tijdlijn/`) one level
deeper than the cases app's own pages, so they never collide with `casussen/<id>/...` there."""

from django.urls import path

from . import views

app_name = "lifecycle"

urlpatterns = [
    path("casussen/<int:case_id>/opvolging/", views.case_page, name="case"),
    path("casussen/<int:case_id>/opvolging/<slug:action>/", views.case_action, name="case_action"),
    path("casussen/<int:case_id>/tijdlijn/", views.timeline, name="timeline"),
    path("casussen/<int:case_id>/checklist/", views.checklist_tick, name="checklist_tick"),
    path("casussen/<int:case_id>/tijdlijn/pdf/", views.timeline_pdf, name="timeline_pdf"),
    path("escalaties/<int:escalation_id>/", views.escalation_page, name="escalation"),
    path("escalaties/<int:escalation_id>/<slug:action>/", views.escalation_action, name="escalation_action"),
    path("opvolging/", views.dashboard, name="dashboard"),
    path("berichten/", views.notifications, name="notifications"),
    path("verrijking/", views.enrichment_inbox, name="enrichment_inbox"),
]
