"""The shape of a radar table, filled from live counts for HR or from a released period for everyone else."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from actiontrack.i18n import N_

BAND_LABELS = {"under_half": N_("under half"), "half_or_more": N_("half or more")}


class Dated(Protocol):
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


@dataclass(frozen=True)
class Cell:
    """How many of a group's leavers raised a theme, now and in the previous period."""

    raised: int
    leavers: int
    previous_raised: int
    previous_leavers: int
    recurring: bool
    # Hidden to protect anonymity: one word, whatever the reason (a reason would tell hidden figures apart).
    hidden: bool = False
    previous_hidden: bool = False

    @property
    def share(self) -> float | None:
        return self.raised / self.leavers if self.leavers else None

    @property
    def previous_share(self) -> float | None:
        return self.previous_raised / self.previous_leavers if self.previous_leavers else None

    @property
    def trend(self) -> str | None:
        """up, down or same against the previous period's share; None when there is nothing to compare."""
        if self.hidden or self.previous_hidden or self.share is None or self.previous_share is None:
            return None
        if self.raised == 0 and self.previous_raised == 0:
            return None  # nothing to say about a theme nobody raised
        difference = self.share - self.previous_share
        return "up" if difference > 0.005 else "down" if difference < -0.005 else "same"


@dataclass(frozen=True)
class Group:
    """One department or job family (id None: the whole organisation) with its leavers' figures."""

    id: int | None
    name: str
    active: bool
    leavers: int
    previous_leavers: int
    headcount: int | None
    score_sums: dict[str, int]
    would_return: int
    promoters: int
    detractors: int
    hidden: bool = False  # the group's leavers, and so every figure of it
    # Figures worked out from answers that are hidden while the leavers show: "would_return", "enps"
    # and score names. Their counts are blanked too.
    hidden_figures: frozenset[str] = frozenset()
    # With its counts hidden, the share who would come back may read as a band: "under_half" or
    # "half_or_more" (see suppression.would_return_bands); None otherwise.
    would_return_band: str | None = None

    @property
    def would_return_band_label(self) -> str | None:
        """The band's words, to translate where shown."""
        return BAND_LABELS.get(self.would_return_band) if self.would_return_band else None

    def shows(self, figure: str) -> bool:
        """Whether a figure of the group (a rate or an average, by name) may be shown."""
        return not self.hidden and figure not in self.hidden_figures

    @property
    def turnover(self) -> float | None:
        return self.leavers / self.headcount if self.headcount else None

    def average(self, question: str) -> float | None:
        return self.score_sums[question] / self.leavers if self.leavers else None

    @property
    def would_return_share(self) -> float | None:
        return self.would_return / self.leavers if self.leavers else None

    @property
    def enps(self) -> float | None:
        """Leavers' recommendation score: % who answered 9-10 minus % who answered 0-6."""
        return 100 * (self.promoters - self.detractors) / self.leavers if self.leavers else None

    def blanked(self) -> Group:
        """The group with every figure taken out: what is hidden never leaves the server."""
        return replace(self, leavers=0, previous_leavers=0, headcount=None,
                       score_sums=dict.fromkeys(self.score_sums, 0), would_return=0, promoters=0, detractors=0,
                       hidden=True)

    def without(self, figures: frozenset[str]) -> Group:
        """The group with some of its rates and averages taken out (their counts blanked)."""
        if not figures:
            return self
        return replace(
            self, score_sums={name: 0 if name in figures else value for name, value in self.score_sums.items()},
            would_return=0 if "would_return" in figures else self.would_return,
            promoters=0 if "enps" in figures else self.promoters,
            detractors=0 if "enps" in figures else self.detractors,
            hidden_figures=self.hidden_figures | figures)


@dataclass(frozen=True)
class ThemeRow:
    theme: object  # models.Theme
    cells: list[Cell]  # in the order of Radar.groups
    total: Cell


@dataclass(frozen=True)
class Radar:
    by: str
    period: Dated
    previous: Dated
    groups: list[Group]
    total: Group
    rows: list[ThemeRow]
    threshold: int
    suppressed: bool
    released: object | None = None  # the PeriodSpan shown, for released figures
