from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("casussen/<slug:code>/", views.drilldown, name="drilldown"),
    path("rapportage/", views.report_start, name="report_start"),
    path("rapportage/<int:job_id>/", views.job, name="job"),
    path("rapportage/<int:job_id>/download/", views.job_download, name="job_download"),
    path("onderzoek/", views.research_export, name="research_export"),
    path("vragenlijsten/<slug:code>/", views.questionnaire_fill, name="questionnaire_fill"),
    path("vragenlijsten/<slug:code>/resultaten/", views.questionnaire_results, name="questionnaire_results"),
    path("doelen/", views.goals, name="goals"),
    path("doelen/nieuw/", views.goal_edit, name="goal_new"),
    path("doelen/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("doelen/<int:goal_id>/verwijderen/", views.goal_delete, name="goal_delete"),
]
