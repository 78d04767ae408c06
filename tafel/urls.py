from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tafel.access import views as access_views
from tafel.api.api import api
from tafel.core import accessibility
from tafel.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.health, name="health"),
    path("toegankelijkheid/", accessibility.statement, name="toegankelijkheid"),
    path("login/", core_views.TafelLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("taal/", include("django.conf.urls.i18n")),
    path("beheer/audit/", access_views.audit_log, name="audit_log"),
    path("beheer/instellingen/", include("tafel.access.urls_beheer")),
    path("beheer/", admin.site.urls),
    path("api/v1/", api.urls),
    path("monitor/", include("tafel.reports.urls")),
    path("overleggen/", include("tafel.meetings.urls")),
    path("privacy/", include("tafel.privacy.urls")),
    path("", include("tafel.integrations.urls")),
    path("", include("tafel.federation.urls")),
    path("", include("tafel.lifecycle.urls")),
    path("", include("tafel.evaluations.urls")),
    path("", include("tafel.cases.urls")),
]

handler404 = "tafel.core.views.not_found"
handler403 = "tafel.core.views.forbidden"
handler500 = "tafel.core.views.server_error"
