from django.contrib import admin

from cnnavi.pages import services
from cnnavi.pages.models import LegalDocument


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    """The operator writes the privacy policy, the terms and the contact here; saving goes
    through the service (version, audit)."""

    list_display = ("kind", "version", "updated_at", "updated_by")
    fields = ("kind", "body", "body_en")

    def save_model(self, request, obj, form, change):
        saved = services.legal_document_save(
            actor=request.user, kind=obj.kind, body=obj.body, body_en=obj.body_en
        )
        obj.pk, obj.version = saved.pk, saved.version

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
