from django.contrib import admin

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


class OfficeStaffInline(admin.TabularInline):
    model = OfficeStaff
    extra = 0
    raw_id_fields = ["user"]


@admin.register(SupportOffice)
class SupportOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email"]
    inlines = [OfficeStaffInline]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["display_name", "office", "active"]
    list_filter = ["office", "active"]
    raw_id_fields = ["user"]


class FacilityInline(admin.TabularInline):
    model = Facility
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "corporate_number", "prefecture", "industry", "employees", "is_demo"]
    list_filter = ["prefecture", "industry", "is_demo"]
    search_fields = ["name", "corporate_number"]
    inlines = [FacilityInline, MembershipInline]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["company", "office", "scope", "granted_at", "valid_until", "revoked_at"]
    list_filter = ["office", "scope"]


admin.site.register(Invitation)
admin.site.register(ExpertAssignment)
