"""Two kinds of admin page, so that the admin never bypasses a service.

* ``ReadOnlyAdmin`` / ``ReadOnlyInline``: operational data (companies, consent, bookings,
  applications, events ...). Their rules (capacity, consent, audit, e-mails) live in services
  behind the app's own pages, so the admin only shows them.
* ``AuditedAdmin`` / ``AuditedInline``: catalogue data set up in the admin (support offices and
  their staff, experts). Every add, change and delete writes an audit entry in the admin's
  transaction, like a service would.
"""

from django.contrib import admin

from cnnavi.audit.services import audit_record


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedInline(admin.TabularInline):
    extra = 0


def _office(obj):
    from cnnavi.orgs.models import SupportOffice

    if isinstance(obj, SupportOffice):
        return obj
    return getattr(obj, "office", None)


def _audit(request, obj, verb: str, data: dict | None = None) -> None:
    audit_record(
        actor=request.user,
        action=f"admin.{obj._meta.model_name}.{verb}",
        target=obj,
        office=_office(obj),
        data=data or {},
    )


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _audit(request, obj, "update" if change else "create", {"fields": form.changed_data})

    def delete_model(self, request, obj):
        _audit(request, obj, "delete")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _audit(request, obj, "delete")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            _audit(request, obj, "delete")
            obj.delete()
        for obj in instances:
            creating = obj.pk is None
            obj.save()
            _audit(request, obj, "create" if creating else "update")
        formset.save_m2m()


def login_through_the_site(request, extra_context=None):
    """The admin's login page: the site's own (allauth, with TOTP and the lock-out), never
    Django's plain password form. A signed-in user without admin rights gets 403."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.urls import reverse

    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), login_url=reverse("account_login")
    )
