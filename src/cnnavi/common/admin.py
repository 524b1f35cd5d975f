"""Admin pages that never bypass a service, and the admin's login through the site.

* ``ReadOnlyAdmin`` / ``ReadOnlyInline``: operational data (companies, consent, bookings,
  applications, events ...). Their rules (capacity, consent, audit, e-mails) live in services
  behind the app's own pages, so the admin only shows them.
* Catalogue data set up in the admin (support offices and their staff, experts) uses
  ``cnnavi.audit.admin.AuditedAdmin`` / ``AuditedInline``: every add, change and delete is
  audited.
"""

from django.contrib import admin


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
