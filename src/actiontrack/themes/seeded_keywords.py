"""Keywords that revisions add to the seeded themes, beside what HR keeps on /themes (revisions 0026, 0033, 0035).

A keyword HR already has (or typed before) stays as it is; the downgrade removes the keywords of the revision's
list. Old revisions run this code: keep what it does.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actiontrack.themes.rules import fold

LANGUAGES = ("nl", "fr", "en")


def change_keywords(connection: Connection, added: Mapping[str, tuple[str, str, str]], *, add: bool) -> None:
    """Add (or, with add=False, remove) each theme's comma-separated keywords, given per code as (nl, fr, en)."""
    theme = sa.table("theme", sa.column("id"), sa.column("code"),
                     *(sa.column(f"keywords_{language}") for language in LANGUAGES))
    for row in connection.execute(sa.select(theme).where(theme.c.code.in_(list(added)))).mappings():
        values = {}
        for index, language in enumerate(LANGUAGES):
            kept = [keyword.strip() for keyword in (row[f"keywords_{language}"] or "").split(",") if keyword.strip()]
            ours = [keyword for keyword in added[row["code"]][index].split(",") if keyword]
            if add:
                have = {fold(" ".join(keyword.split())) for keyword in kept}
                kept += [keyword for keyword in ours if fold(" ".join(keyword.split())) not in have]
            else:
                removed = {fold(" ".join(keyword.split())) for keyword in ours}
                kept = [keyword for keyword in kept if fold(" ".join(keyword.split())) not in removed]
            values[f"keywords_{language}"] = ",".join(kept)
        connection.execute(sa.update(theme).where(theme.c.id == row["id"]).values(**values))
