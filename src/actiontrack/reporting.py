"""HR's choice of the reporting period length and of pools for small groups (/settings/reporting): what
each choice would show leadership, a recommendation from the organisation's own volume, and a
confirmation before a change that costs a series.

The choice is stored in the database (disclosure/lengths.py); ACTIONTRACK_REPORT_PERIOD and
ACTIONTRACK_POOL_SIZE are only what is in force before HR chooses.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.caching import Memo, data_version
from actiontrack.disclosure import Disclosure
from actiontrack.disclosure.lengths import (
    GOAL_MENTIONS_SHARE,
    GOAL_TOTALS_SHARE,
    LENGTHS,
    change,
    choose,
    pooling_choice,
    pooling_options,
    recommend,
    stored_choice,
)
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import User
from actiontrack.settings import Settings
from actiontrack.web import FormBody, hr_only, redirect_to

LENGTH_LABELS = {"quarter": N_("Quarter"), "half": N_("Half-year"), "year": N_("Year")}
# A period length in a sentence: "periods of a quarter".
LENGTH_NAMES = {"quarter": N_("quarters"), "half": N_("half-years"), "year": N_("years")}
# A pooling in the preview's table, as a choice, and in a sentence ("Recommended: years, small groups in pools").
POOLING_LABELS = {"off": N_("On their own"), "auto": N_("In pools")}
POOLING_OPTIONS = {"off": N_("Every group on its own"),
                   "auto": N_("Groups too small for the organisation's volume together in pools")}
POOLING_PHRASES = {"off": N_("every group on its own"), "auto": N_("small groups in pools")}


def pooling_texts(pooling: str) -> tuple[str, str, str]:
    """A pooling's label in the preview, as an option of the form, and in a sentence (translated)."""
    if pooling in POOLING_LABELS:
        return _(POOLING_LABELS[pooling]), _(POOLING_OPTIONS[pooling]), _(POOLING_PHRASES[pooling])
    size = int(pooling)  # a size set by ACTIONTRACK_POOL_SIZE
    return (_("In pools of %(size)d people") % {"size": size},
            _("Groups of fewer than %(size)d people together in pools (ACTIONTRACK_POOL_SIZE)") % {"size": size},
            _("groups of fewer than %(size)d people in pools") % {"size": size})


@dataclass
class LengthForm:
    """HR's choice as sent; `confirm` is set by the confirmation page. No `pooling` keeps the pooling."""

    length: str = ""
    pooling: str = ""
    confirm: str = ""


async def _page(request: Request, session: AsyncSession, settings: Settings, memo: Memo,
                disclosure: Disclosure, *,
                errors: dict[str, str] | None = None, chosen: str | None = None) -> Template:
    current = await disclosure.length(session)
    current_pooling = await pooling_choice(session, default=settings.pool_size)
    poolings = pooling_options(settings.pool_size)
    stored = await stored_choice(session)
    chooser = await session.get(User, stored.chosen_by_id) if stored and stored.chosen_by_id else None
    # Suppressing the live periods of each length and pooling takes seconds at a few thousand leavers:
    # once per version of the data.
    today = clock.today()
    version = await data_version(session)
    key = (today, settings.release_delay_days, poolings)
    previews = memo.get("reporting_preview", version, key)
    if previews is None:
        previews = await disclosure.preview(session, today=today, poolings=poolings)
        memo.put("reporting_preview", version, key, previews)
    context = {
        "current": current, "current_pooling": current_pooling, "pooling_chosen": bool(stored and stored.pooling),
        "stored": stored, "chooser": chooser, "previews": previews,
        "recommended": recommend(previews), "goal_totals": GOAL_TOTALS_SHARE, "goal_mentions": GOAL_MENTIONS_SHARE,
        "labels": LENGTH_LABELS, "names": LENGTH_NAMES, "pooling_texts": pooling_texts,
        "threshold": disclosure.threshold, "release_delay_days": settings.release_delay_days,
        "chosen": chosen or current, "errors": errors or {},
        "options": [(length, _(label)) for length, label in LENGTH_LABELS.items()],
        "pooling_options": [(pooling, pooling_texts(pooling)[1]) for pooling in poolings],
    }
    return Template("reporting/settings.html", context=context, status_code=400 if errors else 200)


@get("/settings/reporting", name="reporting", guards=hr_only)
async def reporting_page(request: Request, db: NamedDependency[AsyncSession],
                         memo: NamedDependency[Memo],
                         disclosure: NamedDependency[Disclosure], settings: NamedDependency[Settings]) -> Template:
    return await _page(request, db, settings, memo, disclosure)


@post("/settings/reporting", name="reporting.save", guards=hr_only)
async def save_length(
    request: Request,
    db: NamedDependency[AsyncSession], memo: NamedDependency[Memo],
    disclosure: NamedDependency[Disclosure],
    settings: NamedDependency[Settings],
    data: FormBody[LengthForm],
) -> Template | Redirect:
    if data.length not in LENGTHS:
        return await _page(request, db, settings, memo, disclosure,
                           errors={"length": _("Choose one of the answers.")})
    if data.pooling and data.pooling not in pooling_options(settings.pool_size):
        return await _page(request, db, settings, memo, disclosure,
                           errors={"pooling": _("Choose one of the answers.")}, chosen=data.length)
    pooling = data.pooling or None
    current = await disclosure.length(db)
    current_pooling = await pooling_choice(db, default=settings.pool_size)
    if data.confirm != "yes":
        costs = await change(db, current=current, new=data.length, delay_days=settings.release_delay_days) \
            if data.length != current else None
        pool_costs = await disclosure.pooling_change(db, current=current_pooling, new=pooling, length=data.length) \
            if pooling is not None and pooling != current_pooling else None
        if costs is not None or pool_costs is not None:
            # Periods were released: say what leadership loses and gains, and ask again.
            context = {"change": costs, "pool_change": pool_costs, "labels": LENGTH_LABELS, "names": LENGTH_NAMES,
                       "length": data.length, "pooling": pooling, "threshold": disclosure.threshold}
            return Template("reporting/confirm.html", context=context)
    await choose(db, length=data.length, default=settings.report_period, actor=request.user, request=request,
                 pooling=pooling, default_pooling=settings.pool_size)
    return redirect_to(request, "reporting")


routes = [reporting_page, save_length]
