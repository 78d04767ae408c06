from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("reglementen/", views.reglement_list, name="reglement_list"),
    path("reglementen/<int:overleg_type_id>/", views.reglement_edit, name="reglement_edit"),
    path("casussen/<int:case_id>/", views.case_privacy, name="case"),
    path("casussen/<int:case_id>/toestemming/", views.consent_add, name="consent_add"),
    path("toestemming/<int:consent_id>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("casussen/<int:case_id>/delen/", views.share_add, name="share_add"),
    path("casussen/<int:case_id>/afschermen/", views.restrict_add, name="restrict_add"),
    path("casussen/<int:case_id>/bijlagen/", views.attachment_add, name="attachment_add"),
    path("bijlagen/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("fg/", views.fg_dashboard, name="fg"),
    path("fg/audit.csv", views.audit_export, name="audit_export"),
    path("fg/bewaartermijn/", views.retention_report, name="retention"),
    path("fg/personen/<int:person_id>/", views.person_page, name="person"),
    path("fg/personen/<int:person_id>/inzage.json", views.person_export_json, name="person_export_json"),
    path("fg/personen/<int:person_id>/inzage.pdf", views.person_export_pdf, name="person_export_pdf"),
    path("fg/personen/<int:person_id>/corrigeren/", views.person_rectify, name="person_rectify"),
    path("fg/personen/<int:person_id>/beperken/", views.person_restrict, name="person_restrict"),
    path("tweede-factor/instellen/", views.otp_setup, name="otp_setup"),
    path("tweede-factor/", views.otp_verify, name="otp_verify"),
]
