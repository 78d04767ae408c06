"""Admin pages for the beheerder: organisations, municipalities, users and roles. No case content here.

Who may use them is the admin site's answer (tafel/access/admin.py asks the policy), so this app needs no
import of the policy, which sits above it."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Municipality, Organisation, User, UserRole


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "convenant_signed", "active"]
    list_filter = ["type", "convenant_signed", "active"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # Whether an organisation is the house decides who counts as a partner in its cases, and the cases store
        # that count (tafel/cases/partners.py): once it takes part in a case, its type stays.
        if obj is not None and obj.participations.exists():
            return [*super().get_readonly_fields(request, obj), "type"]
        return super().get_readonly_fields(request, obj)

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: (
        self.admin_site.has_permission(request)
    )


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "max_caseload", "is_centrumgemeente"]
    search_fields = ["name"]

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: (
        self.admin_site.has_permission(request)
    )


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation__type", "is_active", "roles__role"]
    list_select_related = ["organisation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Tafel", {"fields": ("organisation", "job_title", "phone")}),
    )

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: (
        self.admin_site.has_permission(request)
    )
