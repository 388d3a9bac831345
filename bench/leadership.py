"""The combined audit of what leadership sees (tests/test_leadership_audit.py) over many organisations.

    .venv/bin/python -m bench leadership-audit [--seeds 200]

Each seed draws a company of 100 to 5,000 people over four released quarters (leavers, stay
interviews, pools from headcounts, verdicts of actions on every group and theme) and runs the
attacker's linear program over all of it; printed per seed: what was checked, leaks, time.
The tests run the first 12 seeds; this runs as many as asked.
"""

from __future__ import annotations

import sys
from pathlib import Path


def run(seeds: int) -> None:
    # The audit lives with the tests (it needs highspy, a test dependency) and imports their helpers
    # as pytest does, with the tests' folder on the path.
    tests = str(Path(__file__).resolve().parent.parent / "tests")
    if tests not in sys.path:
        sys.path.append(tests)
    from test_leadership_audit import run_seeds

    run_seeds(seeds)
