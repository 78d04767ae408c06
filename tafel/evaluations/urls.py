"""Pages of the casusevaluatie: under the case for its list and start, under `evaluaties/` for one evaluation,
and the overview of improvement actions under `verbeteracties/`."""

from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("casussen/<int:case_id>/evaluaties/", views.evaluation_list, name="list"),
    path("casussen/<int:case_id>/evaluaties/nieuw/", views.evaluation_new, name="new"),
    path("evaluaties/<int:evaluation_id>/", views.evaluation_detail, name="detail"),
    path("evaluaties/<int:evaluation_id>/pdf/", views.evaluation_pdf, name="pdf"),
    path("evaluaties/<int:evaluation_id>/interview/", views.interview_new, name="interview"),
    path("evaluaties/<int:evaluation_id>/<slug:action>/", views.evaluation_action, name="action"),
    path("verbeteracties/", views.improvement_overview, name="overview"),
    path("verbeteracties/csv/", views.improvement_overview_csv, name="overview_csv"),
    path("verbeteracties/<int:improvement_id>/", views.improvement_detail, name="improvement"),
]
