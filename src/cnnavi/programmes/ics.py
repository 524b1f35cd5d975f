"""The .ics attachment of event e-mails: one VEVENT per session (icalendar package)."""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from cnnavi.programmes.models import Event, VenueMode


def event_calendar(event: Event, *, cancelled: bool = False) -> str:
    """The event's sessions as an iCalendar text (call inside translation.override)."""
    cal = Calendar()
    cal.add("prodid", "-//CN Navi//programmes//JA")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    url = settings.CNNAVI_BASE_URL + reverse("programmes:event_detail", args=[event.pk])
    location = event.venue if event.venue_mode != VenueMode.ONLINE else _("オンライン")
    sessions = list(event.sessions.all())
    for number, session in enumerate(sessions, start=1):
        item = ICalEvent()
        # A stable UID per session and a SEQUENCE raised on every time change: calendar
        # programs update the entry they imported instead of adding a second one.
        item.add("uid", f"cnnavi-event-{event.pk}-session-{session.pk}@cnnavi")
        item.add("sequence", session.sequence + (1 if cancelled else 0))
        summary = event.title
        if len(sessions) > 1:
            summary += " " + _("（%(n)d日目）") % {"n": number}
        item.add("summary", summary)
        item.add("dtstart", session.starts_at.astimezone(UTC))
        item.add("dtend", session.ends_at.astimezone(UTC))
        item.add("dtstamp", timezone.now().astimezone(UTC))
        if location:
            item.add("location", location)
        item.add("description", (session.topic + "\n" if session.topic else "") + url)
        item.add("url", url)
        if cancelled:
            item.add("status", "CANCELLED")
        cal.add_component(item)
    return cal.to_ical().decode("utf-8")
