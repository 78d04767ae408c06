"""The beheerder edits reglementen in the admin as well as on /privacy/reglementen/; the rest is read-only
evidence for the FG."""

from django.contrib import admin

from .models import Consent, DestructionRecord, Reglement, Share


@admin.register(Reglement)
class ReglementAdmin(admin.ModelAdmin):
    list_display = ("overleg_type", "retention_months", "updated_at")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        # The same record as the reglement page's service: who changed it, when, in the audit log.
        from django.utils import timezone

        from tafel.core.audit import audit
        from tafel.privacy.audit_events import PrivacyEvent

        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        audit(actor=request.user, event=PrivacyEvent.REGLEMENT_UPDATE, details={"overleg_type": obj.overleg_type_id})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DestructionRecord)
class DestructionRecordAdmin(ReadOnlyAdmin):
    list_display = ("run_at", "cases_destroyed", "persons_deleted", "items_deleted")


@admin.register(Share)
class ShareAdmin(ReadOnlyAdmin):
    list_display = ("shared_at", "item_type", "item_id", "from_org", "to_org", "reason")


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("case", "purpose", "given_on", "form", "withdrawn_at")
