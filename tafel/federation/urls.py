from django.urls import path

from . import views

app_name = "federation"

urlpatterns = [
    path("federatie/screening/", views.check, name="check"),
    path("federatie/v1/antwoord", views.answer, name="answer"),
]
