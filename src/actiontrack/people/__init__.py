"""People: who has an account, with which role, and HR changing that (issue 12).

rules.py     what the states of an account mean, and the changes HR makes: role, deactivation,
             reactivation, handing someone's open actions over; never leaving the app without HR
queries.py   the people list (filters, pages, open actions per person) and one person's page
pages.py     the HTML routes (templates/people/); invitations themselves live in accounts/invitations.py
"""

from __future__ import annotations

from actiontrack.people.rules import STATE_LABELS, AccountState, LastActiveHR, state_of

__all__ = ["STATE_LABELS", "AccountState", "LastActiveHR", "state_of"]
