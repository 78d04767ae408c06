"""The beheerder configures overleg types (SPEC §4.1: configurable). No case content in the admin."""

from django.contrib import admin

from tafel.access.policy import may_use_admin

from .models import OverlegType


@admin.register(OverlegType)
class OverlegTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "minutes_per_case",
        "clients_invited_by_default",
        "split_om_part",
        "max_at_table",
        "asynchronous",
        "active",
    ]
    list_filter = ["active", "clients_invited_by_default", "split_om_part"]
    search_fields = ["name", "code"]

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_add_permission(self, request):
        return may_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        # Types in use are protected by the database; deactivate instead of deleting.
        return False
