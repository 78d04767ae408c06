from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("casussen/<slug:code>/", views.drilldown, name="drilldown"),
    path("rapportage/", views.report_start, name="report_start"),
    path("rapportage/<int:job_id>/", views.job, name="job"),
    path("rapportage/<int:job_id>/download/", views.job_download, name="job_download"),
    path("rapportage/<int:job_id>/download/<slug:fmt>/", views.job_download, name="job_download_format"),
    path("onderzoek/", views.research_export, name="research_export"),
    path("vragenlijsten/", views.questionnaire_index, name="questionnaire_index"),
    path("vragenlijsten/<slug:code>/", views.questionnaire_fill, name="questionnaire_fill"),
    path("vragenlijsten/<slug:code>/resultaten/", views.questionnaire_results, name="questionnaire_results"),
    path("overleg/<int:meeting_id>/beoordelen/", views.session_rating, name="session_rating"),
    path("agendapunt/<int:item_id>/beoordeling-client/", views.session_rating_client, name="session_rating_client"),
    path("vragenlijstbeheer/", views.questionnaire_editor, name="questionnaire_editor"),
    path("vragenlijstbeheer/nieuw/", views.questionnaire_new, name="questionnaire_new"),
    path("vragenlijstbeheer/<int:questionnaire_id>/", views.questionnaire_edit, name="questionnaire_edit"),
    path("vragenlijstbeheer/<int:questionnaire_id>/vragen/", views.question_add, name="question_add"),
    path(
        "vragenlijstbeheer/<int:questionnaire_id>/verwijderen/", views.questionnaire_delete, name="questionnaire_delete"
    ),
    path("vragenlijstbeheer/vraag/<int:question_id>/", views.question_edit, name="question_edit"),
    path("vragenlijstbeheer/vraag/<int:question_id>/verplaatsen/", views.question_move, name="question_move"),
    path("vragenlijstbeheer/vraag/<int:question_id>/vervallen/", views.question_retire, name="question_retire"),
    path("vragenlijstbeheer/vraag/<int:question_id>/verwijderen/", views.question_delete, name="question_delete"),
    path("doelen/", views.goals, name="goals"),
    path("doelen/nieuw/", views.goal_edit, name="goal_new"),
    path("doelen/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path("doelen/<int:goal_id>/verwijderen/", views.goal_delete, name="goal_delete"),
]
