"""Webhooks: HR registers chat channels (Slack, Teams) or systems (signed JSON); the sender posts to them.

rules.py     URL and address checks, the registration form's checks, payload shapes per style, signing
delivery.py  the HTTP client that reaches public addresses only, the POST with retries, short errors;
             reminders/job.py sends through it, and the pages' test message too
queries.py   the list with each webhook's last delivery, one webhook, its recent deliveries
pages.py     the HTML routes (templates/webhooks/)
"""

from __future__ import annotations
