"""The health check answers for the database."""

from __future__ import annotations

import os
import shutil

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.engine import make_url

from conftest import POSTGRES_URL, DatabaseFactory


def test_health_is_ok_with_the_database_reachable(anon: TestClient) -> None:
    response = anon.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_gone(
    app: Litestar, anon: TestClient, database_url: str, databases: DatabaseFactory
) -> None:
    assert anon.get("/health").status_code == 200
    with anon.portal() as portal:
        portal.call(app.state.engine.dispose)  # no pooled connection keeps the old database open
    if POSTGRES_URL is None:
        path = make_url(database_url).database
        shutil.move(path, path + ".moved")
        # A folder where the file was: SQLite cannot open it, as with an unmounted volume.
        os.mkdir(path)
    else:
        databases.drop(database_url)
    response = anon.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    # Also when the hourly delivery of survey answers falls due meanwhile: it waits for the database.
    app.state.answer_delivery = None
    response = anon.get("/health")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"
