"""Every figure about leavers shown outside HR comes from here.

periods.py      the fixed partition of time into quarters, half-years or years, and when each is due
lengths.py      HR's choice of period length and pooling, what each choice would show, what a change costs
release.py      releasing due periods (their figures counted once and frozen) and reading them back
suppression.py  which figures of a released period are hidden: threshold and complementary suppression
tables.py       the shape of a radar table (HR's live radar fills it too)
views.py        released periods as anyone but HR may see them: the radar, single cells, recurring cells,
                rates and averages (which of them may show)
effects.py      did an action work: verdicts pooled from shown figures only (leavers or stay interviews raising
                its theme, or for a small group its turnover, bounded by shown figures)
policy.py       `Disclosure`: the rules under the app's settings (made once per worker, injected into handlers),
                whether a count is hidden, and the released periods to show

Outside HR a hidden figure reads the same whatever hid it (one word, "hidden"): the reason (too few
leavers, or protecting another figure) stays inside this package, since telling the two apart lets
anyone narrow hidden figures by arithmetic. A rate or average shows only where the counts it gives
away could be shown (see views.Disclosed.hidden_figures).

HR keeps live views over any dates. Everyone else (leadership pages, owners' evidence, the API for
non-HR tokens, the digest, /changes) sees released periods only, through `Disclosure.released`.
The anonymity threshold is read and compared only in this package (tests/test_injection.py).
"""

from __future__ import annotations

from actiontrack.disclosure.lengths import period_length, pooling_in_force
from actiontrack.disclosure.periods import PeriodSpan, parse_key, period_containing
from actiontrack.disclosure.policy import Disclosure, pooling_for
from actiontrack.disclosure.pools import Pooling, is_pool
from actiontrack.disclosure.release import release_due
from actiontrack.disclosure.suppression import is_hidden
from actiontrack.disclosure.views import (
    Disclosed,
    GroupNaming,
    QuestionRow,
    RecurringCell,
    disclosed_periods,
    evidence_cell,
    group_naming,
    recurring_cells,
    released_questions,
    released_radar,
)

__all__ = [
    "Disclosed", "Disclosure", "GroupNaming", "PeriodSpan", "Pooling", "QuestionRow",
    "RecurringCell", "disclosed_periods", "evidence_cell", "group_naming", "is_hidden", "is_pool", "parse_key",
    "period_containing", "period_length", "pooling_for", "pooling_in_force", "recurring_cells", "release_due",
    "released_questions", "released_radar",
]
