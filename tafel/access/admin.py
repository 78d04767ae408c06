"""The admin site asks the policy who may use it (beheerders only). Django discovers this module because
tafel.access is an installed app; the apps register their own models on the same `admin.site`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tafel.access.policy import may_use_admin


class TafelAdminSite(admin.AdminSite):
    site_header = _("Tafel — beheer")
    site_title = _("Tafel beheer")

    def has_permission(self, request):
        return may_use_admin(request.user)


admin.site.__class__ = TafelAdminSite
admin.site.site_header = TafelAdminSite.site_header
admin.site.site_title = TafelAdminSite.site_title
