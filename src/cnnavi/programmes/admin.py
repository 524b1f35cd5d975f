from django.contrib import admin

from cnnavi.programmes.models import (
    Application,
    Chapter,
    Course,
    Event,
    EventSession,
    Headline,
    Lesson,
)


class EventSessionInline(admin.TabularInline):
    model = EventSession
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "office", "kind", "capacity", "fee_yen", "is_published", "is_demo")
    list_filter = ("kind", "audience", "is_published", "is_demo")
    inlines = [EventSessionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "status", "organisation", "created_at")
    list_filter = ("status",)
    readonly_fields = ("created_at",)


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "office", "is_published", "is_demo")
    inlines = [ChapterInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "chapter", "position", "duration_minutes", "kind")
    list_filter = ("chapter__course",)


@admin.register(Headline)
class HeadlineAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "office", "starts_on", "ends_on", "is_demo")
    list_filter = ("kind", "is_demo")
