"""The audit log in the admin (read only), and ``AuditedAdmin`` / ``AuditedInline`` for
catalogue data set up in the admin (support offices and their staff, experts): every add,
change and delete writes an audit entry in the admin's transaction, like a service would."""

from django.contrib import admin

from cnnavi.audit.models import AuditEntry
from cnnavi.audit.services import audit_record


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_email", "action", "object_repr", "company", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_email", "object_repr", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedInline(admin.TabularInline):
    extra = 0


def _audit(request, obj, verb: str, office, data: dict | None = None) -> None:
    audit_record(
        actor=request.user,
        action=f"admin.{obj._meta.model_name}.{verb}",
        target=obj,
        office=office,
        data=data or {},
    )


class AuditedAdmin(admin.ModelAdmin):
    def audit_office(self, obj):
        """The support office an edit of ``obj`` (or of one of its inlines) is logged for."""
        return getattr(obj, "office", None)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _audit(
            request,
            obj,
            "update" if change else "create",
            self.audit_office(obj),
            {"fields": form.changed_data},
        )

    def delete_model(self, request, obj):
        _audit(request, obj, "delete", self.audit_office(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _audit(request, obj, "delete", self.audit_office(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            _audit(request, obj, "delete", self.audit_office(obj))
            obj.delete()
        for obj in instances:
            creating = obj.pk is None
            obj.save()
            _audit(request, obj, "create" if creating else "update", self.audit_office(obj))
        formset.save_m2m()
