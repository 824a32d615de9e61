"""The .ics file that comes with a booking. Its UID stays the same for the
booking's life, so a calendar app that imports the file again updates the
event: confirmed once there is a place, tentative on the waiting list,
cancelled when the booking or the session is. Times carry TZID Asia/Almaty."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from courses.models.training import ALMATY, Booking, BookingStatus

PRODID = "-//Ustaz//Training sessions//EN"


def booking_uid(booking: Booking) -> str:
    return f"training-booking-{booking.pk}@ustaz"


def _status(booking: Booking) -> str:
    if booking.status == BookingStatus.CANCELLED or booking.session.cancelled:
        return "CANCELLED"
    if booking.status == BookingStatus.WAITING:
        return "TENTATIVE"
    return "CONFIRMED"


def _sequence(booking: Booking) -> int:
    """Raised at each change a calendar app must apply over the earlier file."""
    return int(booking.promoted_at is not None) + int(
        booking.cancelled_at is not None or booking.session.cancelled
    )


def booking_calendar(booking: Booking, *, title: str) -> bytes:
    session = booking.session
    page = settings.SITE_URL.rstrip("/") + session.get_absolute_url()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", timezone.now())
    event.add("sequence", _sequence(booking))
    summary = _("Training session: %(title)s") % {"title": title}
    if booking.status == BookingStatus.WAITING:
        summary = _("On the waiting list: %(title)s") % {"title": title}
    event.add("summary", summary)
    event.add("dtstart", session.starts_at.astimezone(ALMATY))
    event.add("dtend", session.ends_at.astimezone(ALMATY))
    if session.venue:
        event.add("location", session.venue)
    elif session.link:
        event.add("location", session.link)
    event.add("url", session.link or page)
    event.add("description", "\n".join(filter(None, [session.link, page])))
    event.add("status", _status(booking))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
