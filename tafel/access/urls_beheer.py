from django.urls import path

from . import views_beheer as views

app_name = "beheer"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/", views.catalogue_list, name="list"),
    path("<slug:kind>/nieuw/", views.entry_edit, name="add"),
    path("<slug:kind>/<int:entry_id>/", views.entry_edit, name="edit"),
]
