"""HR's choice of the reporting period length (/settings/reporting): what each length would show leadership,
a recommendation from the organisation's own volume, and a confirmation before a change that costs a series.

The choice is stored in the database (disclosure/lengths.py); ACTIONTRACK_REPORT_PERIOD is only the
length in force before HR chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.disclosure import Disclosure
from actiontrack.disclosure.lengths import (
    LENGTHS,
    RECOMMENDED_SHARE,
    change,
    choose,
    period_length,
    recommend,
    stored_choice,
)
from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import User
from actiontrack.rendered import RenderedCaches, data_version, rendered_of
from actiontrack.settings import Settings
from actiontrack.web import hr_only, redirect_to

LENGTH_LABELS = {"quarter": N_("Quarter"), "half": N_("Half-year"), "year": N_("Year")}
# A period length in a sentence: "periods of a quarter".
LENGTH_NAMES = {"quarter": N_("quarters"), "half": N_("half-years"), "year": N_("years")}


@dataclass
class LengthForm:
    """HR's choice as sent; `confirm` is set by the confirmation page."""

    length: str = ""
    confirm: str = ""


async def _page(request: Request, session: AsyncSession, settings: Settings, rendered_caches: RenderedCaches,
                disclosure: Disclosure, *,
                errors: dict[str, str] | None = None, chosen: str | None = None) -> Template:
    current = await period_length(session, default=settings.report_period)
    stored = await stored_choice(session)
    chooser = await session.get(User, stored.chosen_by_id) if stored and stored.chosen_by_id else None
    # Suppressing seven live periods takes seconds at a few hundred leavers: once per version of the data.
    today = clock.today()
    cache = rendered_of(rendered_caches, "reporting_preview")
    key = (await data_version(session), today, settings.release_delay_days)
    previews = cache.get(key)
    if previews is None:
        previews = await disclosure.preview(session, today=today)
        cache.put(key, previews)
    context = {
        "current": current, "stored": stored, "chooser": chooser, "previews": previews,
        "recommended": recommend(previews), "half_shown": RECOMMENDED_SHARE, "labels": LENGTH_LABELS, "names": LENGTH_NAMES,
        "threshold": disclosure.threshold, "release_delay_days": settings.release_delay_days,
        "chosen": chosen or current, "errors": errors or {},
        "options": [(length, _(label)) for length, label in LENGTH_LABELS.items()],
    }
    return Template("reporting/settings.html", context=context, status_code=400 if errors else 200)


@get("/settings/reporting", name="reporting", guards=hr_only)
async def reporting_page(request: Request, db: NamedDependency[AsyncSession], rendered_caches: NamedDependency[RenderedCaches],
                         disclosure: NamedDependency[Disclosure], settings: NamedDependency[Settings]) -> Template:
    return await _page(request, db, settings, rendered_caches, disclosure)


@post("/settings/reporting", name="reporting.save", guards=hr_only)
async def save_length(
    request: Request,
    db: NamedDependency[AsyncSession], rendered_caches: NamedDependency[RenderedCaches],
    disclosure: NamedDependency[Disclosure],
    settings: NamedDependency[Settings],
    data: Annotated[LengthForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    if data.length not in LENGTHS:
        return await _page(request, db, settings, rendered_caches, disclosure, errors={"length": _("Choose one of the answers.")})
    current = await period_length(db, default=settings.report_period)
    if data.length != current and data.confirm != "yes":
        costs = await change(db, current=current, new=data.length, delay_days=settings.release_delay_days)
        if costs is not None:
            # Periods were released: say what leadership loses and gains, and ask again.
            context = {"change": costs, "labels": LENGTH_LABELS, "names": LENGTH_NAMES}
            return Template("reporting/confirm.html", context=context)
    await choose(db, length=data.length, default=settings.report_period, actor=request.user, request=request)
    return redirect_to(request, "reporting")


routes = [reporting_page, save_length]
