"""The .ics attachment of event e-mails: one VEVENT per session (icalendar package)."""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from cnnavi.programmes.models import Event, VenueMode


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//CN Navi//programmes//JA")
    cal.add("version", "2.0")
    cal.add("method", method)
    return cal


def _vevent(event: Event, session, summary: str, *, cancelled: bool) -> ICalEvent:
    url = settings.CNNAVI_BASE_URL + reverse("programmes:event_detail", args=[event.pk])
    location = event.localized("venue") if event.venue_mode != VenueMode.ONLINE else _("オンライン")
    item = ICalEvent()
    # A stable UID per session and a SEQUENCE raised on every time change: calendar
    # programs update the entry they imported instead of adding a second one.
    item.add("uid", f"cnnavi-event-{event.pk}-session-{session.pk}@cnnavi")
    item.add("sequence", session.sequence + (1 if cancelled else 0))
    item.add("summary", summary)
    item.add("dtstart", session.starts_at.astimezone(UTC))
    item.add("dtend", session.ends_at.astimezone(UTC))
    item.add("dtstamp", timezone.now().astimezone(UTC))
    if location:
        item.add("location", location)
    topic = session.localized("topic")
    item.add("description", (topic + "\n" if topic else "") + url)
    item.add("url", url)
    if cancelled:
        item.add("status", "CANCELLED")
    return item


def event_calendar(event: Event, *, cancelled: bool = False) -> str:
    """The event's sessions as an iCalendar text (call inside translation.override)."""
    cal = _calendar("CANCEL" if cancelled else "PUBLISH")
    sessions = list(event.sessions.all())
    for number, session in enumerate(sessions, start=1):
        summary = event.localized("title")
        if len(sessions) > 1:
            summary += " " + _("（%(n)d日目）") % {"n": number}
        cal.add_component(_vevent(event, session, summary, cancelled=cancelled))
    return cal.to_ical().decode("utf-8")


def removed_sessions_calendar(event: Event, removed: list) -> str:
    """A METHOD:CANCEL calendar for sessions taken out of the event's schedule (the session
    objects as they were before deletion), so that calendars drop the entries they imported."""
    cal = _calendar("CANCEL")
    for session in removed:
        cal.add_component(_vevent(event, session, event.localized("title"), cancelled=True))
    return cal.to_ical().decode("utf-8")
