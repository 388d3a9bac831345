"""Early warning: themes rising among stay interviews in a group before they recur among its leavers.

Read from released periods only (the latest against the one before), from shown figures only, for
HR and leadership alike: a hidden stay or exit figure is never counted, compared or named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from actiontrack.disclosure import Disclosed, is_pool
from actiontrack.disclosure.effects import CHANGE
from actiontrack.models import Scope
from actiontrack.radar.rules import is_recurring

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
    found = []
    for grouping in GROUPINGS:
        for group in stay.released.table.groups.get(grouping, []):
            if is_pool(group):
                continue  # a pool shows on the radar only: no action is for it
            if department_id is not None and (grouping != Scope.DEPARTMENT or group != department_id):
                continue
            for theme in stay.released.table.theme_ids:
                if theme_id is not None and theme != theme_id:
                    continue
                raised, people, hidden = stay.cell(grouping, group, theme)
                if hidden or not people or raised < min_people or raised / people < min_share:
                    continue
                previous = before.cell(grouping, group, theme) if before is not None else (0, 0, True)
                previous_shown = not previous[2] and previous[1] > 0
                if previous_shown and raised / people < previous[0] / previous[1] + CHANGE - 1e-9:
                    continue
                exit_raised, exit_leavers, exit_hidden = exits.cell(grouping, group, theme)
                if not exit_hidden and is_recurring(exit_raised, exit_leavers, min_leavers=min_people,
                                                    min_share=min_share):
                    continue  # already recurring among leavers: the radar and the status page show it
                found.append(EarlyWarning(theme, grouping, group, raised, people,
                                     previous[0] if previous_shown else None,
                                     previous[1] if previous_shown else None))
    names = group_names or {}
    return sorted(found, key=lambda item: (-item.share, names.get((item.grouping, item.group_id), ""), item.theme_id))
