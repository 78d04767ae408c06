from django.urls import path

from tafel_hub import views

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("v1/publish", views.publish, name="publish"),
    path("v1/check", views.check, name="check"),
]
