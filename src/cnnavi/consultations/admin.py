"""Consultation data is edited on the staff pages through services (slots, bookings, visits,
screening); the admin only shows it."""

from django.contrib import admin

from cnnavi.common.admin import ReadOnlyAdmin
from cnnavi.consultations.models import (
    AvailabilityRule,
    Booking,
    CalcSupportCase,
    CalcVisit,
    ClosedDay,
    HandsOnCase,
    Slot,
)

admin.site.register(AvailabilityRule, ReadOnlyAdmin)
admin.site.register(ClosedDay, ReadOnlyAdmin)
admin.site.register(Slot, ReadOnlyAdmin)
admin.site.register(CalcSupportCase, ReadOnlyAdmin)
admin.site.register(CalcVisit, ReadOnlyAdmin)
admin.site.register(HandsOnCase, ReadOnlyAdmin)


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "expert", "contact_company", "status"]
    list_filter = ["status", "channel"]
