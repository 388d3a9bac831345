"""Reminders: deadline, overdue, assignment and blocked reminders, the weekly digest, and where they went.

rules.py    who is reminded of what and for which date (plain functions), and the query applying them
digest.py   the weekly digest's content for HR and leadership
compose.py  a message in its recipient's language, from templates/reminders/
email.py    SMTP with aiosmtplib, one connection per run
job.py      `actiontrack remind`: claim each reminder once in the database, send, record the delivery
pages.py    /deliveries for HR, with a retry for failed ones
"""

from __future__ import annotations
