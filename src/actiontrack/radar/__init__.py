"""The theme radar: which themes recur in which department or job family, and how each group's leavers felt.

rules.py    what the words mean: a period of exit dates, the default period, "recurring", groupings and sources
params.py   the period asked for in a query string (the radar and the status page read it alike)
links.py    where a radar cell leads: the prefilled action form, the interviews behind a figure
queries.py  HR's live radar over any period (counted in SQL), and the interviews recorded after a release
pages.py    the /radar route (templates/radar/): live for HR, released periods for everyone else

HR sees live figures over any dates. Anyone else sees released reporting periods only, as the
disclosure package suppresses them (actiontrack.disclosure).
"""

from __future__ import annotations
