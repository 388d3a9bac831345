"""Odd input and odd rows: what used to answer 500, stop the reminders or break a feed, on both engines."""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from actiontrack import clock
from actiontrack.clock import utcnow
from actiontrack.models import ActionItem, Role, User
from actiontrack.reminders.job import run_reminders
from actiontrack.settings import Settings
from conftest import POSTGRES_URL, Persona, SmtpServer, off_loop

# Characters a database row may hold, written by an older version, the API or a script: escape
# (a terminal's colour codes), vertical tab, a C1 control, and NUL where the database takes it.
ODD = "\x1b[31m\x0b\x85" + ("" if POSTGRES_URL else "\x00")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FAR = date.max  # 9999-12-31, which the form and the API used to accept


# --- one bad row does not stop everyone's reminders and feeds -----------------------------------


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "hr": make_user(Role.HR, "alice.hr@example.com", name="Alice HR"),
        "owner": make_user(Role.OWNER, "charlie.owner@example.com", name="Charlie Owner"),
    }


def test_remind_sends_the_others_when_an_action_has_the_last_possible_deadline(
    smtp_server: SmtpServer, settings: Settings, people: dict[str, User], make_action: Callable[..., ActionItem],
) -> None:
    today = clock.today()
    make_action(owner=people["owner"], created_by=people["hr"], title="Far away", deadline=FAR)
    make_action(owner=people["owner"], created_by=people["hr"], title=f"Buddy{ODD} system\nnow",
                deadline=today + timedelta(days=7))
    remind_settings = settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none",
        "base_url": "https://actiontrack.example"})
    report = off_loop(lambda: asyncio.run(run_reminders(settings=remind_settings, today=today)))
    soon = [line for line in report.lines if line.kind == "due_soon"]
    assert [line.result for line in soon] == ["sent"]
    subjects = [message["Subject"] for message in smtp_server.inbox.to("charlie.owner@example.com")
                if message["X-Actiontrack-Kind"] == "due_soon"]
    assert subjects == ["Due in 7 days: Buddy[31m system now"]
    # What the command prints holds no escape sequence nor a line break of the title's.
    assert all(not CONTROL.search(str(line)) and "\n" not in str(line) for line in report.lines)


def test_calendar_feed_keeps_every_action_and_no_control_characters(
    owner: Persona, anon: TestClient, make_action: Callable[..., ActionItem],
) -> None:
    make_action(owner=owner.user, title="Far away", deadline=FAR)
    make_action(owner=owner.user, title=f"Odd{ODD} title")
    created = owner.post("/calendar/feeds", {"scope": "own"})
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", created.text).group(1)  # type: ignore[union-attr]
    response = anon.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert "SUMMARY:Far away" in body and "DTSTART;VALUE=DATE:99991231" in body
    assert "SUMMARY:Odd[31m title" in body
    assert not CONTROL.search(body.replace("\r\n", ""))


def test_changes_feed_stays_valid_xml_with_control_characters_in_a_title(
    anon: TestClient, make_action: Callable[..., ActionItem], make_user: Callable[..., User],
) -> None:
    author = make_user(Role.HR, "hr@example.com")
    make_action(owner=author, title=f"Odd{ODD} title", public_summary=f"Line one{ODD}\nline two",
                published=True, published_at=utcnow())
    make_action(owner=author, title="Plain title", public_summary="Plain", published=True, published_at=utcnow())
    response = anon.get("/changes.atom?lang=en")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # expat refuses control characters: this is the subscriber's parser
    titles = {entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in feed}
    assert {"Odd[31m title", "Plain title"} <= titles


def test_status_csv_has_no_control_characters_and_every_overdue_action(
    hr: Persona, make_action: Callable[..., ActionItem], owner: Persona,
) -> None:
    yesterday = clock.today() - timedelta(days=1)
    make_action(owner=owner.user, title=f"=Odd{ODD} title", deadline=yesterday)
    make_action(owner=owner.user, title="Plain title", deadline=yesterday)
    response = hr.client.get("/status?format=csv")
    assert response.status_code == 200
    assert "'=Odd[31m title" in response.text and "Plain title" in response.text
    assert not CONTROL.search(response.text)
