"""The leadership status page: are the actions on exit feedback moving, are they on time, and do
recurring themes get one at all?

figures.py     figures about actions (headline, per owner, by theme and department, lists, per month)
recurring.py   when a theme becomes recurring, days to its first action, themes without an action
charts.py      the two SVG charts: completed against due per month, each recurring theme per quarter
pages.py       the /status route and its CSV (templates/status/)
"""

from __future__ import annotations
