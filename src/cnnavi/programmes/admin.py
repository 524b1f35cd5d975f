"""Events, applications, courses and headlines are edited on the staff pages (their services
check capacity, send e-mails and audit); the admin only shows them."""

from django.contrib import admin

from cnnavi.common.admin import ReadOnlyAdmin, ReadOnlyInline
from cnnavi.programmes.models import (
    Application,
    Chapter,
    Course,
    Event,
    EventSession,
    Headline,
    Lesson,
)


class EventSessionInline(ReadOnlyInline):
    model = EventSession
    extra = 0


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("title", "office", "kind", "capacity", "fee_yen", "is_published", "is_demo")
    list_filter = ("kind", "audience", "is_published", "is_demo")
    inlines = [EventSessionInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("name", "event", "status", "organisation", "created_at")
    list_filter = ("status",)
    readonly_fields = ("created_at",)


class ChapterInline(ReadOnlyInline):
    model = Chapter
    extra = 0


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("title", "office", "is_published", "is_demo")
    inlines = [ChapterInline]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ("title", "chapter", "position", "duration_minutes", "kind")
    list_filter = ("chapter__course",)


@admin.register(Headline)
class HeadlineAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "office", "starts_on", "ends_on", "is_demo")
    list_filter = ("kind", "is_demo")
