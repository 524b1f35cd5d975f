from django.contrib import admin

from cnnavi.consultations.models import (
    AvailabilityRule,
    Booking,
    CalcSupportCase,
    CalcVisit,
    ClosedDay,
    HandsOnCase,
    Slot,
)

admin.site.register(AvailabilityRule)
admin.site.register(ClosedDay)
admin.site.register(Slot)
admin.site.register(CalcSupportCase)
admin.site.register(CalcVisit)
admin.site.register(HandsOnCase)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "expert", "contact_company", "status"]
    list_filter = ["status", "channel"]
