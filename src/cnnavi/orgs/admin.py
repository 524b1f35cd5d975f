from django.contrib import admin

from cnnavi.audit.admin import AuditedAdmin, AuditedInline
from cnnavi.common.admin import ReadOnlyAdmin, ReadOnlyInline
from cnnavi.orgs.models import (
    Company,
    Consent,
    Expert,
    ExpertAssignment,
    Facility,
    Invitation,
    Membership,
    OfficeStaff,
    SupportOffice,
)


class OfficeStaffInline(AuditedInline):
    model = OfficeStaff
    extra = 0
    raw_id_fields = ["user"]


@admin.register(SupportOffice)
class SupportOfficeAdmin(AuditedAdmin):
    list_display = ["name", "phone", "email"]
    inlines = [OfficeStaffInline]

    def audit_office(self, obj):
        return obj if isinstance(obj, SupportOffice) else super().audit_office(obj)


@admin.register(Expert)
class ExpertAdmin(AuditedAdmin):
    list_display = ["display_name", "office", "active"]
    list_filter = ["office", "active"]
    raw_id_fields = ["user"]


class FacilityInline(ReadOnlyInline):
    model = Facility
    extra = 0


class MembershipInline(ReadOnlyInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ["name", "corporate_number", "prefecture", "industry", "employees", "is_demo"]
    list_filter = ["prefecture", "industry", "is_demo"]
    search_fields = ["name", "corporate_number"]
    inlines = [FacilityInline, MembershipInline]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["company", "office", "scope", "granted_at", "valid_until", "revoked_at"]
    list_filter = ["office", "scope"]


admin.site.register(Invitation, ReadOnlyAdmin)
admin.site.register(ExpertAssignment, ReadOnlyAdmin)
