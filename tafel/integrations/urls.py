from django.urls import path

from tafel.integrations import oidc, views

app_name = "integrations"

urlpatterns = [
    path("login/oidc/<slug:slug>/", oidc.OIDCStartView.as_view(), name="oidc_start"),
    path("login/oidc-terug/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("brp/opzoeken/", views.brp_lookup_partial, name="brp_lookup"),
]
