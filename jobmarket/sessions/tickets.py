"""Tickets and calendars: the QR code of a registration, the .ics invitation and the public iCalendar feed."""
from __future__ import annotations

from datetime import timezone

import segno
from icalendar import Calendar, Event

from ..models.sessions import JobSession, SessionSeeker, SessionStatus
from . import services


def qr_svg(code: str) -> str:
    """The ticket code as an inline SVG QR code (what the door scanner reads)."""
    return segno.make(code, error="m").svg_inline(scale=5, border=2)


def _event(session: JobSession, uid: str, summary: str) -> Event:
    start, end = services.starts_utc(session)
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", start.replace(tzinfo=timezone.utc))
    event.add("dtend", end.replace(tzinfo=timezone.utc))
    event.add("dtstamp", session.updated_at.replace(tzinfo=timezone.utc))
    if session.floor is not None:
        event.add("location", f"{session.floor.name}, {session.floor.address}")
    event.add("description", session.target_group or "")
    event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED.value else "CONFIRMED")
    return event


def _calendar() -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Hanoi Job Exchange//sessions//VI")
    cal.add("version", "2.0")
    return cal


def feed(sessions: list[JobSession], host: str) -> bytes:
    """The iCalendar feed of the sessions on the calendar."""
    cal = _calendar()
    for session in sessions:
        cal.add_component(_event(session, f"session-{session.id}@{host}", session.theme))
    return cal.to_ical()


def invitation(reg: SessionSeeker, host: str) -> bytes:
    """One registration's .ics invitation, with the ticket code in the description."""
    cal = _calendar()
    event = _event(reg.session, f"ticket-{reg.id}@{host}", reg.session.theme)
    event["description"] = f"{reg.session.target_group}\nMã vé / Ticket: {reg.ticket_code}"
    cal.add_component(event)
    return cal.to_ical()
