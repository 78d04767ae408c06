"""Admin pages for the beheerder: organisations, municipalities, users and roles. No case content here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tafel.access.policy import may_use_admin

from .models import Municipality, Organisation, User, UserRole


class TafelAdminSite(admin.AdminSite):
    site_header = _("Tafel — beheer")
    site_title = _("Tafel beheer")

    def has_permission(self, request):
        return may_use_admin(request.user)


admin.site.__class__ = TafelAdminSite
admin.site.site_header = TafelAdminSite.site_header
admin.site.site_title = TafelAdminSite.site_title


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "convenant_signed", "active"]
    list_filter = ["type", "convenant_signed", "active"]
    search_fields = ["name"]

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: may_use_admin(
        request.user
    )


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "max_caseload", "is_centrumgemeente"]
    search_fields = ["name"]

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: may_use_admin(
        request.user
    )


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

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
        return may_use_admin(request.user)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: may_use_admin(
        request.user
    )
