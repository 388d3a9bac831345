"""Calendar feeds: a private iCalendar (.ics) URL with open deadlines, for Outlook or Google Calendar.

rules.py    which feeds a role may have ("own", "all") and when a fetch is noted
queries.py  a user's live feeds (also on My account), creating and revoking one, a feed by token, its actions
ical.py     the RFC 5545 document: one all-day event per open deadline
pages.py    the HTML routes (templates/calendar/) and the feed itself, fetched by calendar apps
"""
