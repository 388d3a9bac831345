"""Early warning: themes rising among stay interviews in a group before they recur among its leavers.

Read from released periods only (the latest against the one before), from shown figures only, for
HR and leadership alike: a hidden stay or exit figure is never counted, compared or named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from actiontrack.disclosure import Disclosed, recurring_cells
from actiontrack.disclosure.effects import CHANGE
from actiontrack.models import Scope

GROUPINGS = (Scope.DEPARTMENT.value, Scope.JOB_FAMILY.value)


@dataclass(frozen=True)
class EarlyWarning:
    theme_id: int
    grouping: str
    group_id: int
    raised: int  # people interviewed to stay who raised the theme, latest period
    people: int
    previous_raised: int | None  # the period before; None when it had no shown figure
    previous_people: int | None

    @property
    def share(self) -> float:
        return self.raised / self.people

    @property
    def previous_share(self) -> float | None:
        return self.previous_raised / self.previous_people if self.previous_people else None


def early_warnings(
    released: Sequence[Disclosed], *, min_people: int, min_share: float, department_id: int | None = None,
    theme_id: int | None = None, group_names: Mapping[tuple[str, int], str] | None = None,
) -> list[EarlyWarning]:
    """Themes that, in the latest released period, at least `min_people` stay interviewees of a group
    raised, at least `min_share` of them and at least CHANGE more than in the period before (or with
    no shown figure before), while the group's leavers do not show the theme as recurring."""
    if not released:
        return []
    latest = released[-1]
    stay, exits = latest.of_source("stay"), latest.of_source("exit")
    before = released[-2].of_source("stay") if len(released) > 1 else None
    # The recurring rule on shown cells, of stay interviews and of leavers alike (pools never count).
    rule = {"groupings": GROUPINGS if department_id is None else (Scope.DEPARTMENT.value,),
            "min_leavers": min_people, "min_share": min_share, "group_id": department_id, "theme_id": theme_id}
    # Already recurring among leavers: the radar and the status page show it.
    among_leavers = {(cell.grouping, cell.group_id, cell.theme_id) for cell in recurring_cells(exits, **rule)}
    found = []
    for cell in recurring_cells(stay, **rule):
        grouping, group, theme, raised, people = cell.grouping, cell.group_id, cell.theme_id, cell.raised, cell.leavers
        if (grouping, group, theme) in among_leavers:
            continue
        previous = before.cell(grouping, group, theme) if before is not None else (0, 0, True)
        previous_shown = not previous[2] and previous[1] > 0
        if previous_shown and raised / people < previous[0] / previous[1] + CHANGE - 1e-9:
            continue
        found.append(EarlyWarning(theme, grouping, group, raised, people, previous[0] if previous_shown else None,
                                  previous[1] if previous_shown else None))
    names = group_names or {}
    return sorted(found, key=lambda item: (-item.share, names.get((item.grouping, item.group_id), ""), item.theme_id))
