"""Reading stay interviews back and saving them: the list here; one interview, its tags, its export and the
audited saves are the exit interview's functions (interviews.queries) given `STAY_INTERVIEWS`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.interviews.queries import InterviewKind, ListedInterview, listed_page
from actiontrack.interviews.rules import InterviewFilters
from actiontrack.models import StayInterview, StayInterviewTheme
from actiontrack.paging import Page
from actiontrack.retention import STAY_ENTITY, STAY_FREE_TEXTS
from actiontrack.stay_interviews.rules import ANSWER_FIELDS

STAY_INTERVIEWS = InterviewKind(
    model=StayInterview, day=StayInterview.held_on, tag=StayInterviewTheme, tag_key="stay_interview_id",
    entity=STAY_ENTITY, free_texts=STAY_FREE_TEXTS, document_key="stay_interview",
    exported_answers=("held_on", *ANSWER_FIELDS),
)


async def list_stay_interviews(
    session: AsyncSession, *, filters: InterviewFilters, page: int,
) -> Page[ListedInterview]:
    """One page of stay interviews, newest conversation first, with their theme ids (three queries)."""
    return await listed_page(session, filters=filters, page=page, kind=STAY_INTERVIEWS, row=ListedInterview)
