"""The beheerder maintains the intervention catalogue (SPEC §2: configurable). No case content in the admin."""

from django.contrib import admin

from tafel.access.policy import may_use_admin

from .models import InterventionType


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "track", "active"]
    list_filter = ["track", "active"]
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
