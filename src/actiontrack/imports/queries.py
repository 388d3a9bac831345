"""Reads and writes of imports: staged uploads, remembered mappings, the fingerprints already imported, and the
import itself."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import clock
from actiontrack.imports.mapping import CheckedRow
from actiontrack.models import (
    ExitInterview,
    ImportUpload,
    InterviewFingerprint,
    InterviewTheme,
    QuestionAnswer,
    RememberedMapping,
    User,
)
from actiontrack.retention import UPLOAD_LIFETIME

EXIT_INTERVIEWS = "exit_interviews"
# Fingerprints asked for per query: well under the bound parameters SQLite and PostgreSQL accept.
_CHUNK = 5000
_BATCH = 1000


async def stage_upload(session: AsyncSession, *, user: User, filename: str, content: bytes, kind: str) -> ImportUpload:
    """Keep a file's table (`tabular.table_json`, never the file itself) until it is imported, cancelled or a day
    old."""
    upload = ImportUpload(kind=kind, filename=filename[:255], content=content, created_by_id=user.id)
    session.add(upload)
    await session.flush()
    return upload


async def staged_upload(session: AsyncSession, *, upload_id: int, kind: str) -> ImportUpload | None:
    """A staged file that has not expired (HR only reaches the routes that read it)."""
    upload = await session.get(ImportUpload, upload_id)
    if upload is None or upload.kind != kind or upload.created_at < clock.utcnow() - UPLOAD_LIFETIME:
        return None
    return upload


async def discard_upload(session: AsyncSession, *, upload_id: int) -> None:
    await session.execute(delete(ImportUpload).where(ImportUpload.id == upload_id))


async def remembered_mapping(session: AsyncSession, *, kind: str, headers_hash: str) -> RememberedMapping | None:
    """The columns HR chose the last time a file with this header row was imported."""
    return (await session.execute(select(RememberedMapping).where(
        RememberedMapping.kind == kind, RememberedMapping.headers_hash == headers_hash))).scalar_one_or_none()


async def remember_mapping(session: AsyncSession, *, kind: str, headers_hash: str, columns: dict[int, str],
                           user: User) -> None:
    """Keep the columns chosen for this header row (which field each column became; no cell of the file)."""
    chosen = {str(index): target for index, target in sorted(columns.items())}
    found = await remembered_mapping(session, kind=kind, headers_hash=headers_hash)
    if found is not None:
        found.columns, found.updated_by_id, found.updated_at = chosen, user.id, clock.utcnow()
        await session.flush()
        return
    try:
        async with session.begin_nested():  # another import of the same headers may have just remembered it
            session.add(RememberedMapping(kind=kind, headers_hash=headers_hash, columns=chosen, updated_by_id=user.id))
    except IntegrityError:
        pass


async def known_fingerprints(session: AsyncSession, prints: Iterable[str]) -> frozenset[str]:
    """Those of the fingerprints that belong to interviews already recorded."""
    wanted = sorted(set(prints))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        found.update((await session.execute(
            select(InterviewFingerprint.fingerprint).where(InterviewFingerprint.fingerprint.in_(chunk))
        )).scalars())
    return frozenset(found)


async def save_interviews(session: AsyncSession, rows: Sequence[CheckedRow], *, with_themes: bool) -> list[int]:
    """Insert checked rows as interviews in bulk, with their fingerprints, their answers to extra questions (and
    suggested themes); their ids."""
    now = clock.utcnow()
    ids: list[int] = []
    # In batches, so that other requests of this worker get their turn between them.
    for start in range(0, len(rows), _BATCH):
        batch = rows[start:start + _BATCH]
        result = await session.execute(
            insert(ExitInterview).returning(ExitInterview.id, sort_by_parameter_order=True),
            [{**row.values, "interviewer_id": None, "created_at": now, "updated_at": now} for row in batch],
        )
        batch_ids = list(result.scalars())
        await session.execute(insert(InterviewFingerprint), [
            {"interview_id": interview_id, "fingerprint": row.fingerprint, "idempotency_key": None, "body_hash": None}
            for interview_id, row in zip(batch_ids, batch, strict=True)
        ])
        tags = [{"interview_id": interview_id, "theme_id": theme_id}
                for interview_id, row in zip(batch_ids, batch, strict=True) if with_themes
                for theme_id in row.theme_ids]
        if tags:
            await session.execute(insert(InterviewTheme), tags)
        answers = [{"interview_id": interview_id, "question_id": question_id, "value": answer.value,
                    "text": answer.text}
                   for interview_id, row in zip(batch_ids, batch, strict=True)
                   for question_id, answer in row.answers.items()]
        if answers:
            await session.execute(insert(QuestionAnswer), answers)
        ids.extend(batch_ids)
    return ids
