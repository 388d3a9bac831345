"""One page of a long list: which page, how many rows in all, and how many pages that makes."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

Row = TypeVar("Row")


def page_number(requested: int, *, total: int, size: int) -> int:
    """The requested page, kept between the first and the last page."""
    return min(max(requested, 1), page_count(total=total, size=size))


def page_count(*, total: int, size: int) -> int:
    return max(1, ceil(total / size))


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: list[Row]
    number: int
    total: int
    size: int

    @property
    def pages(self) -> int:
        return page_count(total=self.total, size=self.size)
