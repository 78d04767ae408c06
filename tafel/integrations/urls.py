from django.urls import path

from tafel.integrations import oidc

app_name = "integrations"

urlpatterns = [
    path("login/oidc/<slug:slug>/", oidc.OIDCStartView.as_view(), name="oidc_start"),
    path("login/oidc-terug/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
]
