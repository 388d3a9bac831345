"""Which figures of a released period may be shown outside HR: primary and complementary suppression.

A released period is one table per grouping (themes x departments, themes x job families) plus the
leavers of every group. Both tables share their totals: the whole organisation's leavers and each
theme's leavers. The rules, applied to both tables at once:

- a figure of 1 to k-1 leavers is hidden ("small"); a hidden group hides every figure of its column;
- wherever a total can be known (shown, or the sum of parts that are all shown), the hidden parts of
  each sum it is the total of must add up to 0 or to at least k; otherwise the smallest shown
  non-zero part is hidden too ("protected"), or the total when there is none;
- a hidden group is never empty (a group with nobody shows 0), and anyone who knows these rules
  knows it: so where the total is known, each hidden group must be able to hold k with every other
  hidden group of its grouping at one (the hidden sum minus one per other hidden group is at least
  k); otherwise the smallest shown non-zero group is hidden too, or the total;
- a theme's hidden part of 1 to k-1 must be able to be 0: the other hidden parts of that theme's
  known sum must have room for the whole hidden sum. A part can hold at most its group's leavers
  when the group is shown, and the hidden groups together at most the leavers of all hidden groups
  (the total minus the shown groups). A protector whose group all raised the theme holds nothing
  more, so without room the smallest shown part with room (a zero counts) is hidden too, or else
  the total as above.

The answers to the would-return and recommendation questions are counted like themes (the leavers
who would come back, who would not; promoters, passives, detractors), so the shares and the eNPS
worked out from them follow the same rules. Unlike themes, the answers of a question add up to the
group's leavers, so they are hidden together: one answer hidden among shown ones, or a hidden group
or total beside its shown answers, would be given away by subtraction.

These rules catch what can be worked out within one grouping, but not every inference across the
two: figures equal to their group's leavers (or 0) in one grouping can pin which leavers of the
other grouping raised a theme. So a safety net follows them: every hidden figure of 1 to k-1 needs a
witness, whole-leaver microdata consistent with every shown figure in which that figure is 0 (or at
least k). A witness proves that nobody who sees the shown figures can rule out 0 (or k), whatever
they combine: sums, differences, both groupings, or a linear or integer program over them. Witnesses
are built without a solver:

- a hidden group next to another hidden group of the same grouping: move all its leavers there;
  only the two groups' figures change, all hidden, and the group and its figures become 0;
- otherwise the leavers per (department, job family) pair are fixed at whole numbers with the true
  group sizes, spread as if the groupings were independent except over pairs a shown theme rules
  out (a group all of whose leavers raised it cannot share a leaver with a group none of whose
  leavers did). With the pairs fixed the themes are independent, and each is a flow from the
  departments through the pairs (at most the pair's leavers) to the job families, each figure
  exact when shown and free when hidden. If every theme flows as shown, a flow in which the figure
  is forced to 0 (or to k or more) is a witness; integer bounds give whole leavers. An answer's flow
  leaves room in each pair for the other answers of its question: with two answers the other is what
  is left; with more, each other answer but one must flow in turn within what the ones before leave,
  and the last is what is left (its shown figures hold, as it is shown only with all the others).
  Each theme's flow as shown is found once; the flow with one figure forced is found from it by
  moving the figure's difference (under k leavers) along the other arcs, which succeeds exactly when
  a flow found from scratch exists (a figure's possible values form a range).

A figure without a witness is not proven to leak (the pairs were only one choice), but it is treated
as if it did: the smallest shown non-zero part of a sum it belongs to is hidden too (else of a sum
its theme or grouping belongs to, else the smallest shown figure), the rules run again, and so on.
This is cautious, and on realistic periods the net rarely hides anything. Every round hides one more
figure, so the loop ends, at the latest when every shown figure is 0 (no leavers is then a witness).
The output depends only on the table and the threshold.

A solver inside (the attacker's linear program with HiGHS) was considered and rejected: on a period
of 50 departments, 40 job families and 10 themes one solve takes seconds, and there is one per
hidden figure. tests/test_disclosure_audit.py checks the result with that linear program (and, on
hand-made cases, the integer program): no hidden figure can be narrowed to 1..k-1 from what is shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

GROUPINGS = ("department", "job_family")

# Keys of the figures of a period.
Key = tuple[Any, ...]  # a figure's key: TOTAL, or made by group_key, theme_key or cell_key
TOTAL: Key = ("total",)


def group_key(grouping: str, group_id: int) -> tuple[str, str, int]:
    return ("group", grouping, group_id)


def theme_key(theme_id: int) -> tuple[str, int]:
    return ("theme", theme_id)


def cell_key(grouping: str, group_id: int, theme_id: int) -> tuple[str, str, int, int]:
    return ("cell", grouping, group_id, theme_id)


class Hidden(StrEnum):
    SMALL = "small"  # fewer leavers than the threshold
    PROTECTED = "protected"  # hidden so that a small figure cannot be worked out from a total


# Answers counted like themes: the count of a group's leavers who gave each answer. Negative ids never
# clash with a theme's. A shown rate (the share who would come back, the eNPS) is worked out from the
# counts of every answer of its question; it shows only where all of them could be shown.
WOULD_RETURN, WOULD_NOT_RETURN = -1, -2  # "yes", and "maybe" or "no"
PROMOTERS, PASSIVES, DETRACTORS = -3, -4, -5  # recommendation 9-10, 7-8, 0-6
QUESTION_ANSWERS = {"would_return": (WOULD_RETURN, WOULD_NOT_RETURN), "recommend": (PROMOTERS, PASSIVES, DETRACTORS)}
ANSWERS = tuple(answer for answers in QUESTION_ANSWERS.values() for answer in answers)
# HR's extra questions (questions/) are counted the same way, per version of a question: the first answer,
# the second, and no answer (see questions.rules.leadership_answer), three linked answers like the
# recommendation's; a choice of more than two options per option, and no answer. Their ids start below -100,
# MAX_EXTRA_ANSWERS apart.
EXTRA_ANSWERS = 3
MAX_EXTRA_ANSWERS = 10_000


def extra_answer_ids(question_id: int, answers: int = EXTRA_ANSWERS) -> tuple[int, ...]:
    """The ids of a question version's `answers` linked answers as counted like themes: the first, the second
    (or each option of a choice), then no answer."""
    if not 2 <= answers <= MAX_EXTRA_ANSWERS:
        raise ValueError(f"a question counts 2 to {MAX_EXTRA_ANSWERS} answers, not {answers}")
    return tuple(-(100 + MAX_EXTRA_ANSWERS * question_id + answer) for answer in range(answers))


def extra_question_of(answer_ids: Sequence[int]) -> int:
    """The question version whose answers these are (extra_answer_ids read back)."""
    return (-answer_ids[0] - 100) // MAX_EXTRA_ANSWERS


def is_hidden(group_size: int, *, threshold: int) -> bool:
    """A group smaller than the threshold (but not empty) could point at a person."""
    return 0 < group_size < threshold


@dataclass(frozen=True)
class PeriodTable:
    """The raw counts of one period: leavers per group and leavers raising each theme per group.

    `groups[grouping]` lists every group shown in that grouping (in display order); counts missing
    from `leavers` and `raised` are 0. `total` and `theme_totals` are the same in both groupings.
    """

    groups: Mapping[str, Sequence[int]]
    theme_ids: Sequence[int]
    leavers: Mapping[tuple[str, int], int]
    raised: Mapping[tuple[str, int, int], int]
    total: int
    theme_totals: Mapping[int, int]
    # Answers counted like themes (see ANSWERS): each leaver gives exactly one answer of each question,
    # so the answers of a question are linked: shown together or hidden together.
    answer_ids: Sequence[int] = ()
    # The answers of extra questions among `answer_ids`, each question's together (extra_answer_ids).
    extra_linked: Sequence[tuple[int, ...]] = ()

    @property
    def every_theme(self) -> tuple[int, ...]:
        """The themes, then the answers counted like themes."""
        return (*self.theme_ids, *self.answer_ids)

    def linked(self) -> list[tuple[int, ...]]:
        """The answers of each question in the table: every leaver gives exactly one of them."""
        return [*(answers for answers in QUESTION_ANSWERS.values() if set(answers) <= set(self.answer_ids)),
                *self.extra_linked]

    def values(self) -> dict[Key, int]:
        """Every figure of the period by key."""
        found: dict[Key, int] = {TOTAL: self.total}
        for theme in self.every_theme:
            found[theme_key(theme)] = self.theme_totals.get(theme, 0)
        for grouping, group_ids in self.groups.items():
            for group in group_ids:
                found[group_key(grouping, group)] = self.leavers.get((grouping, group), 0)
                for theme in self.every_theme:
                    found[cell_key(grouping, group, theme)] = self.raised.get((grouping, group, theme), 0)
        return found

    def sums(self) -> list[tuple[Key, list[Key]]]:
        """Every (total, parts) that the figures satisfy."""
        found: list[tuple[Key, list[Key]]] = []
        for grouping, group_ids in self.groups.items():
            found.append((TOTAL, [group_key(grouping, group) for group in group_ids]))
            for theme in self.every_theme:
                found.append((theme_key(theme), [cell_key(grouping, group, theme) for group in group_ids]))
        return found


@dataclass(frozen=True)
class Suppression:
    """The hidden figures of a period, each with why."""

    hidden: dict[Key, Hidden] = field(default_factory=dict)

    def total(self) -> Hidden | None:
        return self.hidden.get(TOTAL)

    def group(self, grouping: str, group_id: int) -> Hidden | None:
        return self.hidden.get(group_key(grouping, group_id))

    def theme(self, theme_id: int) -> Hidden | None:
        return self.hidden.get(theme_key(theme_id))

    def cell(self, grouping: str, group_id: int, theme_id: int) -> Hidden | None:
        return self.hidden.get(cell_key(grouping, group_id, theme_id))


def suppress_period(table: PeriodTable, *, threshold: int) -> Suppression:
    """The figures of `table` to hide from everyone but HR (see the module's rules)."""
    figures = _Figures.of(table, threshold=threshold)
    figures.hide_columns()
    # The leavers per pair depend on the figures, not on which are hidden: found once, not per round.
    pairs: list[dict[tuple[int, int], int]] = []
    while True:
        figures.protect_sums()
        # The safety net: every hidden figure of 1..k-1 needs a witness, else one more figure is hidden.
        unproven = _without_witness(table, figures.values, figures.hidden, threshold=threshold, pairs=pairs)
        if not unproven:
            break
        hiding = _next_to_hide(table, figures.values, figures.hidden, figures.order, unproven[0])
        figures.hidden[hiding] = Hidden.PROTECTED
        figures.hide_columns()
    return Suppression(hidden=dict(figures.hidden))


# Bands a share who would come back reads in when its counts are hidden: each holds 0 or all of a
# shown group's leavers (at least k), for those who would come back and for the others alike.
UNDER_HALF, HALF_OR_MORE = "under_half", "half_or_more"


def would_return_bands(table: PeriodTable, suppression: Suppression, *, threshold: int) -> dict[tuple[str, int], str]:
    """The band of each shown group whose would-return counts are hidden, or none at all.

    "Under half" leaves 0 to (leavers-1)/2 coming back, "half or more" half to all: each band holds 0
    or the whole group, so on its own it pins no count. Together with everything else shown they
    could, so the bands are shown only if every hidden figure of 1..k-1 still has a witness that
    keeps to every band (else no band shows, and the shares read "hidden").
    """
    if WOULD_RETURN not in table.answer_ids:
        return {}
    values, hidden = table.values(), suppression.hidden
    bands: dict[tuple[str, int], str] = {}
    bounds: dict[Key, tuple[int, int]] = {}
    for grouping, group_ids in table.groups.items():
        for group in group_ids:
            leavers = values[group_key(grouping, group)]
            if group_key(grouping, group) in hidden or cell_key(grouping, group, WOULD_RETURN) not in hidden:
                continue
            coming_back = values[cell_key(grouping, group, WOULD_RETURN)]
            band = UNDER_HALF if 2 * coming_back < leavers else HALF_OR_MORE
            low, high = (0, (leavers - 1) // 2) if band == UNDER_HALF else ((leavers + 1) // 2, leavers)
            bands[grouping, group] = band
            bounds[cell_key(grouping, group, WOULD_RETURN)] = (low, high)
            bounds[cell_key(grouping, group, WOULD_NOT_RETURN)] = (leavers - high, leavers - low)
    if not bands or _without_witness(table, values, hidden, threshold=threshold, bounds=bounds):
        return {}
    return bands


@dataclass
class _Figures:
    """A period's figures while suppression runs: their values, the sums they satisfy, and what is hidden so far."""

    table: PeriodTable
    threshold: int
    values: dict[Key, int]
    order: dict[Key, int]  # a figure's place in `values`: ties between equal figures go to the first
    sums: list[tuple[Key, list[Key]]]
    group_of: dict[Key, Key]  # a cell's key: its group's key
    hidden: dict[Key, Hidden]

    @classmethod
    def of(cls, table: PeriodTable, *, threshold: int) -> _Figures:
        """The figures of `table`, the small ones (1..k-1) hidden."""
        values = table.values()
        group_of = {
            cell_key(grouping, group, theme): group_key(grouping, group)
            for grouping, group_ids in table.groups.items() for group in group_ids for theme in table.every_theme
        }
        return cls(
            table=table, threshold=threshold, values=values,
            order={key: index for index, key in enumerate(values)}, sums=table.sums(), group_of=group_of,
            hidden={key: Hidden.SMALL for key, value in values.items() if is_hidden(value, threshold=threshold)},
        )

    def hide_columns(self) -> None:
        """Hide every figure of a hidden group, and the answers of a question together.

        The answers of a question add up to the leavers, so one hidden answer among shown ones, or a
        hidden group or total with its answers shown, could be worked out by subtraction.
        """
        linked = self.table.linked()
        for grouping, group_ids in self.table.groups.items():
            for group in group_ids:
                if group_key(grouping, group) in self.hidden:
                    for theme in self.table.every_theme:
                        self.hidden.setdefault(cell_key(grouping, group, theme), Hidden.PROTECTED)
                for answers in linked:
                    if any(cell_key(grouping, group, answer) in self.hidden for answer in answers):
                        for answer in answers:
                            self.hidden.setdefault(cell_key(grouping, group, answer), Hidden.PROTECTED)
        for answers in linked:
            if TOTAL in self.hidden or any(theme_key(answer) in self.hidden for answer in answers):
                for answer in answers:
                    self.hidden.setdefault(theme_key(answer), Hidden.PROTECTED)

    def protect_sums(self) -> None:
        """Apply the rules on sums, pass after pass over every sum, until a pass hides nothing more."""
        changed = True
        while changed:
            changed = False
            for total, parts in self.sums:
                if self.protect_sum(total, parts):
                    self.hide_columns()
                    changed = True

    def protect_sum(self, total: Key, parts: Sequence[Key]) -> bool:
        """Hide one more figure if the hidden parts of a known sum could be narrowed; whether one was hidden."""
        if not self.known(total):
            return False
        hidden_parts = [part for part in parts if part in self.hidden]
        hidden_sum = sum(self.values[part] for part in hidden_parts)
        if is_hidden(hidden_sum, threshold=self.threshold) or self.groups_pinned(total, hidden_parts, hidden_sum):
            second = self.smallest_shown(parts)
        elif self.short_of_room(total, parts):
            second = self.smallest_with_room(parts)
        else:
            return False
        if second is not None:
            self.hidden[second] = Hidden.PROTECTED
            return True
        if total not in self.hidden:
            self.hidden[total] = Hidden.PROTECTED
            return True
        # The total is hidden but another sum gives it away: hide a part of that sum as well.
        for other in self.derivations(total):
            extra = self.smallest_shown(other)
            if extra is not None:
                self.hidden[extra] = Hidden.PROTECTED
                return True
        return False  # every part of every derivation is zero or hidden: nothing can be known

    def groups_pinned(self, total: Key, hidden_parts: Sequence[Key], hidden_sum: int) -> bool:
        """Whether hidden groups of a known total could not each reach k. A hidden group is never empty
        (0 leavers show as 0), as anyone who knows these rules knows: with the others at one leaver at
        least, one can hold at most the hidden sum minus one per other hidden group."""
        if total != TOTAL or len(hidden_parts) < 2:
            return False
        return hidden_sum - (len(hidden_parts) - 1) < self.threshold

    def derivations(self, total: Key) -> list[list[Key]]:
        """The lists of parts that add up to `total`."""
        return [parts for sum_total, parts in self.sums if sum_total == total]

    def known(self, total: Key) -> bool:
        """Whether a total can be known: shown, or the sum of parts that are all shown."""
        return total not in self.hidden or any(all(part not in self.hidden for part in parts)
                                               for parts in self.derivations(total))

    def smallest_shown(self, parts: Sequence[Key]) -> Key | None:
        """The smallest shown non-zero part (the first of equal ones), if any."""
        shown = [part for part in parts if part not in self.hidden and self.values[part] > 0]
        return min(shown, key=self.rank) if shown else None

    def smallest_with_room(self, parts: Sequence[Key]) -> Key | None:
        """The smallest shown part whose group has leavers beyond it (a zero counts), if any."""
        shown = [part for part in parts if part not in self.hidden and self.room(part) > 0]
        return min(shown, key=self.rank) if shown else None

    def rank(self, part: Key) -> tuple[int, int]:
        return self.values[part], self.order[part]

    def room(self, part: Key) -> int:
        # What a theme's figure of a shown group could hold beyond its own value: the group's other
        # leavers. Protecting with a figure its whole group raised gives nothing to hide in.
        return self.values[self.group_of[part]] - self.values[part]

    def short_of_room(self, total: Key, parts: Sequence[Key]) -> bool:
        """Whether a theme's hidden part of 1..k-1 cannot be 0: the sum's other hidden parts lack the room."""
        if total == TOTAL or not parts:
            return False  # groups are bounded only by the total, which is the sum itself
        hidden_parts = [part for part in parts if part in self.hidden]
        hidden_sum = sum(self.values[part] for part in hidden_parts)
        bounded = [part for part in hidden_parts if self.group_of[part] not in self.hidden]
        unbounded = [part for part in hidden_parts if self.group_of[part] in self.hidden]
        hidden_groups = self.hidden_groups_room(parts)
        for part in hidden_parts:
            if is_hidden(self.values[part], threshold=self.threshold):
                others: float = sum(self.values[self.group_of[other]] for other in bounded if other != part)
                if any(other != part for other in unbounded):
                    others += hidden_groups
                if others < hidden_sum:
                    return True
        return False

    def hidden_groups_room(self, parts: Sequence[Key]) -> float:
        """The most leavers the hidden groups of the parts' grouping can hold together: the total
        minus the shown groups (unbounded when the total cannot be known)."""
        if not self.known(TOTAL):
            return math.inf
        groups = [self.group_of[part] for part in parts]
        return self.values[TOTAL] - sum(self.values[group] for group in groups if group not in self.hidden)


INFINITE = 1 << 60


class _Flow:
    """Dinic's maximum flow on integer capacities."""

    def __init__(self, size: int) -> None:
        self.edges: list[list[int]] = [[] for _ in range(size)]
        self.to: list[int] = []
        self.capacity: list[int] = []

    def add(self, tail: int, head: int, capacity: int) -> int:
        self.edges[tail].append(len(self.to))
        self.to.append(head)
        self.capacity.append(capacity)
        self.edges[head].append(len(self.to))
        self.to.append(tail)
        self.capacity.append(0)
        return len(self.to) - 2

    def maximum(self, source: int, sink: int, limit: int = INFINITE) -> int:
        total = 0
        to, capacity, edges = self.to, self.capacity, self.edges
        while total < limit:
            level = [-1] * len(edges)
            level[source] = 0
            queue = [source]
            for node in queue:
                for edge in edges[node]:
                    if capacity[edge] > 0 and level[to[edge]] < 0:
                        level[to[edge]] = level[node] + 1
                        queue.append(to[edge])
            if level[sink] < 0:
                break
            cursor = [0] * len(edges)

            def push(node: int, amount: int) -> int:
                if node == sink:
                    return amount
                out = edges[node]
                while cursor[node] < len(out):
                    edge = out[cursor[node]]
                    head = to[edge]
                    if capacity[edge] > 0 and level[head] == level[node] + 1:
                        pushed = push(head, min(amount, capacity[edge]))
                        if pushed:
                            capacity[edge] -= pushed
                            capacity[edge ^ 1] += pushed
                            return pushed
                    cursor[node] += 1
                return 0

            while total < limit:
                pushed = push(source, limit - total)
                if not pushed:
                    break
                total += pushed
        return total


def _circulation(size: int, arcs: list[tuple[int, int, int, int]]) -> list[int] | None:
    """A circulation on nodes 0..size-1 within every arc's (tail, head, low, high) bounds, as the
    flow on each arc, or None if there is none."""
    found = _Circulation.of(size, arcs)
    return None if found is None else found.flows()


@dataclass
class _Circulation:
    """A feasible circulation kept as a residual network, so that one arc's flow can then be moved by
    a few augmenting paths rather than a circulation found again from scratch.

    The helper source and sink of the lower bounds are saturated once it is feasible, so no path of
    the residual network passes through them afterwards."""

    flow: _Flow
    arcs: list[tuple[int, int, int, int]]
    edges: list[int]  # each arc's edge in `flow`, -1 for an arc whose low and high bounds are equal

    @classmethod
    def of(cls, size: int, arcs: list[tuple[int, int, int, int]]) -> _Circulation | None:
        flow = _Flow(size + 2)
        source, sink = size, size + 1
        excess = [0] * size
        edges = []
        for tail, head, low, high in arcs:
            if high < low:
                return None
            edges.append(flow.add(tail, head, high - low) if high > low else -1)
            excess[head] += low
            excess[tail] -= low
        needed = 0
        for node, amount in enumerate(excess):
            if amount > 0:
                flow.add(source, node, amount)
                needed += amount
            elif amount < 0:
                flow.add(node, sink, -amount)
        if flow.maximum(source, sink) != needed:
            return None
        return cls(flow, arcs, edges)

    def value(self, index: int) -> int:
        edge = self.edges[index]
        return self.arcs[index][2] + (self.flow.capacity[edge ^ 1] if edge >= 0 else 0)

    def flows(self) -> list[int]:
        return [self.value(index) for index in range(len(self.arcs))]

    def moved(self, index: int, target: int, *, read: Sequence[int]) -> dict[int, int] | None:
        """The flow on the arcs `read` of a circulation in which arc `index` carries `target` (within its
        bounds), found from this one by moving the difference around the other arcs; or None. This
        circulation is left as it was."""
        tail, head, low, high = self.arcs[index]
        current = self.value(index)
        edge = self.edges[index]
        if not low <= target <= high:
            return None
        if target == current:
            return {place: self.value(place) for place in read}
        capacity = self.flow.capacity
        saved = capacity[:]
        capacity[edge] = capacity[edge ^ 1] = 0
        # Less on tail -> head: route the difference from tail to head another way; more: from head to tail.
        start, end, amount = (tail, head, current - target) if target < current else (head, tail, target - current)
        try:
            if self.flow.maximum(start, end, amount) != amount:
                return None
            found = {place: self.value(place) for place in read}
            found[index] = target
            return found
        finally:
            capacity[:] = saved


def _without_witness(
    table: PeriodTable, values: Mapping[Key, int], hidden: Mapping[Key, Hidden], *, threshold: int,
    bounds: Mapping[Key, tuple[int, int]] | None = None, pairs: list[dict[tuple[int, int], int]] | None = None,
) -> list[Key]:
    """The hidden figures of 1..k-1 for which no witness is found, in the order of `values`.

    A witness is whole-leaver microdata consistent with every shown figure in which the figure is 0
    or at least k: with one, nobody who sees the shown figures can rule out 0 (or k). `bounds`: hidden
    figures of shown groups that are shown as a range (a band), which a witness must keep to. `pairs`:
    the choices of leavers per pair of these values (`_pair_choices`), kept between calls (the first fills it).
    """
    at_risk = [key for key in values if key in hidden and 0 < values[key] < threshold]
    if not at_risk:
        return []
    if all(values[key] == 0 for key in values if key not in hidden):
        return []  # no leavers at all is consistent with what is shown, and every figure is 0 there
    proven = _emptied_by_moving(table, hidden)
    left = [key for key in at_risk if key not in proven]
    if not left or len(table.groups) != 2:
        return left
    partners = _partners(table)
    if pairs is None:
        pairs = []
    if not pairs:
        pairs.extend(_pair_choices(table, values, hidden))
    for choice in pairs:
        network = _ThemeNetwork.of(table, values, hidden, choice, bounds or {})
        theme_arcs = {theme: network.arcs_of(theme) for theme in table.every_theme}
        # Each theme's flow as shown, found once: it tells whether the pairs carry the theme, and the
        # witnesses of its hidden figures are found by moving it.
        shown: dict[int, _Circulation | None] = {}
        for theme, arcs in theme_arcs.items():
            shown[theme] = network.circulation(arcs)
            if shown[theme] is None:
                break
        if all(found is not None for found in shown.values()) and _carries_everything(network, theme_arcs, partners):
            break
    else:
        return left
    for theme, keys in _by_theme(left).items():
        _prove_by_flows(network, theme_arcs[theme], keys, proven, threshold=threshold,
                        partners=[theme_arcs[partner] for partner in partners.get(theme, ())], shown=shown[theme])
    return [key for key in left if key not in proven]


def _carries_everything(network: _ThemeNetwork, theme_arcs: Mapping[int, dict[Key, list[int]]],
                        partners: Mapping[int, Sequence[int]]) -> bool:
    """Whether the answers of each question are carried together by the pairs (they split every pair's
    leavers between them); each theme on its own is (the caller found a flow of each)."""
    for theme, others in partners.items():
        found = network.witness(theme_arcs[theme], {})
        if found is None or not _fits_around(network, [theme_arcs[other] for other in others], found[1]):
            return False
    return True


def _fits_around(network: _ThemeNetwork, partners: Sequence[dict[Key, list[int]]], taken: Sequence[int]) -> bool:
    """Whether the `partners` answers flow in turn, each within the leavers per pair that `taken` (giving one
    answer) and the partners before it leave: then the question's last answer is what is left of each pair."""
    used = list(taken)
    for arcs in partners:
        found = network.witness(arcs, {}, taken=used)
        if found is None:
            return False
        used = [before + now for before, now in zip(used, found[1], strict=True)]
    return True


def _pair_choices(table: PeriodTable, values: Mapping[Key, int],
                  hidden: Mapping[Key, Hidden]) -> list[dict[tuple[int, int], int]]:
    """Choices of leavers per pair, each consistent with every group figure, to try in turn.

    First the spread of independent groupings (`_leavers_per_pair`). Answers are dense (every leaver
    gives one), so that spread often cannot carry them; then the leavers of each pair are built as the
    sum of one whole-leaver spread per answer of a question, each with its answer's group figures:
    that choice carries the question by construction.
    """
    first = _leavers_per_pair(table, values, hidden)
    choices = [] if first is None else [first]
    rows, columns = list(table.groups)
    for answers in table.linked():
        built: dict[tuple[int, int], int] = {}
        for answer in answers:
            spread = _transport(
                {group: values[cell_key(rows, group, answer)] for group in table.groups[rows]},
                {group: values[cell_key(columns, group, answer)] for group in table.groups[columns]},
                allowed=set(first) if first is not None else None)
            if spread is None:
                break
            for pair, count in spread.items():
                built[pair] = built.get(pair, 0) + count
        else:
            choices.append(built)
    return choices


def _transport(row_sums: Mapping[int, int], column_sums: Mapping[int, int], *,
               allowed: set[tuple[int, int]] | None) -> dict[tuple[int, int], int] | None:
    """Whole counts per (row, column) with the given sums, on `allowed` pairs (None: any), or None."""
    if sum(row_sums.values()) != sum(column_sums.values()):
        return None
    row_ids, column_ids = list(row_sums), list(column_sums)
    flow = _Flow(2 + len(row_ids) + len(column_ids))
    source, sink = 0, 1 + len(row_ids) + len(column_ids)
    row_node = {row: 1 + index for index, row in enumerate(row_ids)}
    column_node = {column: 1 + len(row_ids) + index for index, column in enumerate(column_ids)}
    for row in row_ids:
        flow.add(source, row_node[row], row_sums[row])
    for column in column_ids:
        flow.add(column_node[column], sink, column_sums[column])
    arcs = {(row, column): flow.add(row_node[row], column_node[column], INFINITE)
            for row in row_ids for column in column_ids
            if row_sums[row] and column_sums[column] and (allowed is None or (row, column) in allowed)}
    if flow.maximum(source, sink) != sum(row_sums.values()):
        return None
    return {pair: flow.capacity[edge ^ 1] for pair, edge in arcs.items() if flow.capacity[edge ^ 1]}


def _partners(table: PeriodTable) -> dict[int, tuple[int, ...]]:
    """For each answer of a question with three answers or more, the other answers to fit around it, in turn.

    With the pairs fixed, two answers of a question are one flow and its complement: a flow of one
    is a witness for both (the other is what is left of each pair). With more, a flow of one answer
    needs a flow of each other answer but one, each within what the ones before leave; the one left
    out is then what is left of each pair, and its shown figures hold because the answers of a
    question are shown or hidden together (and with their group, and the total). The one left out is
    the second answer (the third for the second): a recommendation's passives, the middle answer.
    Fitting in turn is one choice among many, so it may miss a witness (the figure is then hidden
    as unproven, cautious), never make one up.
    """
    found: dict[int, tuple[int, ...]] = {}
    for answers in table.linked():
        if len(answers) >= 3:
            for answer in answers:
                left_out = answers[1] if answer != answers[1] else answers[2]
                found[answer] = tuple(other for other in answers if other not in (answer, left_out))
    return found


def _emptied_by_moving(table: PeriodTable, hidden: Mapping[Key, Hidden]) -> set[Key]:
    """The figures of hidden groups that share their grouping with another hidden group: each has a witness."""
    # Moving every leaver of a hidden group into another hidden group of the same grouping changes
    # only the figures of those two groups, all hidden, and empties the first group.
    proven: set[Key] = set()
    for grouping, group_ids in table.groups.items():
        hidden_groups = [group for group in group_ids if group_key(grouping, group) in hidden]
        if len(hidden_groups) >= 2:
            for group in hidden_groups:
                proven.add(group_key(grouping, group))
                proven.update(cell_key(grouping, group, theme) for theme in table.every_theme)
    return proven


def _by_theme(keys: Sequence[Key]) -> dict[int, list[Key]]:
    """The theme figures and cells among `keys`, per theme, in their order (group figures left out)."""
    found: dict[int, list[Key]] = {}
    for key in keys:
        if key[0] == "cell":
            found.setdefault(key[3], []).append(key)
        elif key[0] == "theme":
            found.setdefault(key[1], []).append(key)
    return found


@dataclass(frozen=True)
class _ThemeNetwork:
    """With the leavers per pair fixed, each theme is a flow: source -> row group -> column group ->
    sink -> source, each arc bounded by the figure it carries (exact if shown, free if hidden) and a
    pair's arc by the pair's leavers. Integer bounds give integer flows: whole leavers."""

    values: Mapping[Key, int]
    hidden: Mapping[Key, Hidden]
    groups: tuple[tuple[str, list[int]], tuple[str, list[int]]]  # the rows' grouping, then the columns'
    node: dict[tuple[str, int], int]  # node 0 is the source, node size - 1 the sink
    size: int
    pair_arcs: list[tuple[int, int, int, int]]
    bounds: Mapping[Key, tuple[int, int]]  # hidden figures shown as a range

    @classmethod
    def of(cls, table: PeriodTable, values: Mapping[Key, int], hidden: Mapping[Key, Hidden],
           pairs: Mapping[tuple[int, int], int], bounds: Mapping[Key, tuple[int, int]]) -> _ThemeNetwork:
        """The network of a two-grouping table with its leavers per (row group, column group) pair."""
        rows, columns = list(table.groups)
        row_ids, column_ids = list(table.groups[rows]), list(table.groups[columns])
        node = {(rows, group): 1 + index for index, group in enumerate(row_ids)}
        node.update({(columns, group): 1 + len(row_ids) + index for index, group in enumerate(column_ids)})
        pair_arcs = [(node[rows, row], node[columns, column], 0, count)
                     for (row, column), count in pairs.items() if count > 0]
        return cls(values, hidden, ((rows, row_ids), (columns, column_ids)), node, 2 + len(row_ids) + len(column_ids),
                   pair_arcs, bounds)

    def arcs_of(self, theme: int) -> dict[Key, list[int]]:
        """The arcs of one theme's figures, by key: [tail, head, low, high]."""
        sink = self.size - 1
        rows = self.groups[0][0]
        found: dict[Key, list[int]] = {}
        for grouping, group_ids in self.groups:
            for group in group_ids:
                key: Key = cell_key(grouping, group, theme)
                here = self.node[grouping, group]
                bounds = ([self.values[key], self.values[key]] if key not in self.hidden
                          else list(self.bounds.get(key, (0, INFINITE))))
                found[key] = [0, here, *bounds] if grouping == rows else [here, sink, *bounds]
        key = theme_key(theme)
        found[key] = [sink, 0, self.values[key], self.values[key]] if key not in self.hidden else [sink, 0, 0, INFINITE]
        return found

    def witness(self, arcs: dict[Key, list[int]], forced: Mapping[Key, tuple[int, int]],
                taken: Sequence[int] | None = None) -> tuple[dict[Key, int], list[int]] | None:
        """A flow of the theme with some figures forced within bounds, as each figure's value and the
        leavers per pair raising it, or None. `taken`: leavers per pair (as `pair_arcs`) already
        giving another answer of the same question, who cannot give this one."""
        # A forced figure stays within its own bounds (a band shown for it).
        bounded = [(tail, head,
                    *((max(low, forced[key][0]), min(high, forced[key][1])) if key in forced else (low, high)))
                   for key, (tail, head, low, high) in arcs.items()]
        pair_arcs = self.pair_arcs if taken is None else [
            (tail, head, low, high - used) for (tail, head, low, high), used in zip(self.pair_arcs, taken, strict=True)]
        found = _circulation(self.size, bounded + pair_arcs)
        if found is None:
            return None
        return dict(zip(arcs, found, strict=False)), found[len(arcs):]  # found holds the pair arcs after these

    def circulation(self, arcs: dict[Key, list[int]]) -> _Circulation | None:
        """A flow of the theme as shown, kept to be moved (`_Circulation.moved`); its first arcs are `arcs`'."""
        return _Circulation.of(self.size, [(tail, head, low, high) for tail, head, low, high in arcs.values()]
                               + self.pair_arcs)


def _prove_by_flows(network: _ThemeNetwork, arcs: dict[Key, list[int]], keys: Sequence[Key],
                    proven: set[Key], *, threshold: int, partners: Sequence[dict[Key, list[int]]] = (),
                    shown: _Circulation | None = None) -> None:
    """Add to `proven` the figures of one theme that a flow forced to 0 (or to k or more) has as witness
    (with flows of the `partners` answers around it in turn, for an answer of a question with three answers
    or more: `_partners`). `shown`: the theme's flow as shown, if already found."""
    if not partners:
        base = shown or network.circulation(arcs)
        if base is not None:
            _prove_by_moving(base, list(arcs), keys, proven, threshold=threshold)
            return
    for key in keys:
        if key in proven:
            continue
        for forced in ((0, 0), (threshold, INFINITE)):
            flow = network.witness(arcs, {key: forced})
            if flow is not None and not _fits_around(network, partners, flow[1]):
                flow = None
            found = None if flow is None else flow[0]
            if found is not None:
                # Every figure that is 0 or at least k in this witness has one too.
                proven.update(other for other in keys if found[other] == 0 or found[other] >= threshold)
                break


def _prove_by_moving(base: _Circulation, order: list[Key], keys: Sequence[Key], proven: set[Key], *,
                     threshold: int) -> None:
    """`_prove_by_flows` for a theme whose flow stands alone: one circulation of the theme as shown, then
    for each figure still without a witness the same circulation with that figure moved to 0 (or to k),
    by at most k-1 leavers along other arcs. Each is a flow of the theme as shown, as a circulation
    found from scratch would be: the same witnesses, found faster."""
    index = {key: place for place, key in enumerate(order)}
    read = [index[key] for key in keys]

    def prove_from(found: Mapping[int, int]) -> None:
        # Every figure that is 0 or at least k in this witness has one too.
        proven.update(other for other in keys if found[index[other]] == 0 or found[index[other]] >= threshold)

    prove_from({place: base.value(place) for place in read})
    for key in keys:
        if key in proven:
            continue
        # A figure's possible values are a range: if it can be k or more, it can be k.
        for target in (0, threshold):
            found = base.moved(index[key], target, read=read)
            if found is not None:
                prove_from(found)
                break


def _leavers_per_pair(table: PeriodTable, values: Mapping[Key, int],
                      hidden: Mapping[Key, Hidden]) -> dict[tuple[int, int], int] | None:
    """Whole leavers per (row group, column group) pair with the true group figures.

    Spread like independent groupings (iterative proportional fitting), except over pairs that a
    theme rules out: a group all of whose leavers raised a theme cannot share a leaver with a group
    none of whose leavers did. Any such choice is consistent with every group figure.
    """
    rows, columns = list(table.groups)
    row_ids, column_ids = list(table.groups[rows]), list(table.groups[columns])
    row_size = {row: values[group_key(rows, row)] for row in row_ids}
    column_size = {column: values[group_key(columns, column)] for column in column_ids}

    def extremes(grouping: str, group: int) -> tuple[set[int], set[int]]:
        """The themes none of the group's leavers raised, and those all of them raised."""
        size = values[group_key(grouping, group)]
        counts = [(theme, values[cell_key(grouping, group, theme)]) for theme in table.every_theme]
        return {theme for theme, count in counts if count == 0}, {theme for theme, count in counts if count == size}

    row_extremes = {row: extremes(rows, row) for row in row_ids if row_size[row]}
    column_extremes = {column: extremes(columns, column) for column in column_ids if column_size[column]}
    allowed = [(row, column) for row, (row_none, row_all) in row_extremes.items()
               for column, (column_none, column_all) in column_extremes.items()
               if row_none.isdisjoint(column_all) and row_all.isdisjoint(column_none)]
    spread = {pair: 1.0 for pair in allowed}
    for _ in range(20):
        for side, sizes in ((0, row_size), (1, column_size)):
            sums: dict[int, float] = {}
            for pair, amount in spread.items():
                sums[pair[side]] = sums.get(pair[side], 0.0) + amount
            for pair in spread:
                spread[pair] *= sizes[pair[side]] / sums[pair[side]]
    # Round with exact group sizes: a flow close to the spread first, then anywhere allowed.
    flow = _Flow(2 + len(row_ids) + len(column_ids))
    source, sink = 0, 1 + len(row_ids) + len(column_ids)
    row_node = {row: 1 + index for index, row in enumerate(row_ids)}
    column_node = {column: 1 + len(row_ids) + index for index, column in enumerate(column_ids)}
    for row in row_ids:
        flow.add(source, row_node[row], row_size[row])
    for column in column_ids:
        flow.add(column_node[column], sink, column_size[column])
    close = {pair: flow.add(row_node[pair[0]], column_node[pair[1]], math.ceil(spread[pair] - 1e-9))
             for pair in allowed}
    carried = flow.maximum(source, sink)
    anywhere = {pair: flow.add(row_node[pair[0]], column_node[pair[1]], INFINITE) for pair in allowed}
    carried += flow.maximum(source, sink)
    if carried != values[TOTAL] or sum(row_size.values()) != sum(column_size.values()):
        return None
    return {pair: flow.capacity[close[pair] ^ 1] + flow.capacity[anywhere[pair] ^ 1] for pair in allowed}


def _next_to_hide(table: PeriodTable, values: Mapping[Key, int], hidden: Mapping[Key, Hidden],
                  order: Mapping[Key, int], key: Key) -> Key:
    """The figure to hide for a hidden figure without a witness: the smallest shown non-zero part of
    a sum it is part of, else of a sum its theme or grouping is part of, else the smallest shown."""
    groupings = list(table.groups)
    candidates: list[list[Key]]
    if key[0] == "cell":
        grouping, theme = key[1], key[3]
        others = [other for other in groupings if other != grouping]
        candidates = [[cell_key(grouping, group, theme) for group in table.groups[grouping]], [theme_key(theme)],
                      *([cell_key(other, group, theme) for group in table.groups[other]] for other in others)]
    elif key[0] == "group":
        grouping = key[1]
        others = [other for other in groupings if other != grouping]
        candidates = [[group_key(grouping, group) for group in table.groups[grouping]], [TOTAL],
                      *([group_key(other, group) for group in table.groups[other]] for other in others)]
    elif key[0] == "theme":
        candidates = [[cell_key(grouping, group, key[1]) for group in table.groups[grouping]]
                      for grouping in groupings]
    else:
        candidates = [[group_key(grouping, group) for group in table.groups[grouping]] for grouping in groupings]
    candidates.append(list(values))
    for parts in candidates:
        shown = [part for part in parts if part not in hidden and values[part] > 0]
        if shown:
            return min(shown, key=lambda part: (values[part], order[part]))
    raise AssertionError("a figure without a witness while every shown figure is 0")
