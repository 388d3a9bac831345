"""How long importing 10,000 exit interviews takes, through a real server, and whether other requests wait.

A generated export in the shape of Microsoft Forms (Dutch headers, demo departments) is uploaded,
previewed and imported by the demo's HR user against `actiontrack serve` (one worker); meanwhile
another client asks /health every 50 ms, and the slowest answer shows whether the import blocked it.
"""

from __future__ import annotations

import csv
import io
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx
from openpyxl import Workbook

from actiontrack.demo.organisation import DEMO_PASSWORD, DEPARTMENTS
from actiontrack.imports.mapping import guess_columns
from bench.load import started

HEADERS = ["ID", "Begintijd", "E-mail", "Afdeling", "Functiefamilie", "Hoelang heb je hier gewerkt?", "Laatste werkdag",
           "Waarom vertrek je?", "Speelde je loon mee in je beslissing om te vertrekken?",
           "Mijn taken kwamen overeen met de functie zoals die me beschreven werd", "Mijn leidinggevende steunde me",
           "Ik kreeg de opleiding die ik nodig had", "Mijn werk werd erkend", "Wat moeten we verbeteren?",
           "Zou je hier opnieuw willen werken?",
           "Hoe waarschijnlijk is het dat je ons als werkgever aanbeveelt aan een vriend?"]
REASONS = ["Beter loon elders", "Te hoge werkdruk", "Weinig erkenning van mijn leidinggevende", "Geen opleiding",
           "Lange verplaatsing", "Geen doorgroeimogelijkheden"]


def export_rows(count: int, *, seed: int = 7) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for number in range(1, count + 1):
        profile = DEPARTMENTS[number % len(DEPARTMENTS)]
        family = next(iter(profile.job_families))
        exit_day = date.today() - timedelta(days=rng.randrange(20, 700))
        rows.append([number, f"{exit_day.isoformat()} 10:00:00", "anonymous", profile.name, family,
                     rng.choice(["Minder dan 1 jaar", "1 tot 2 jaar", "2 tot 5 jaar", "5 tot 10 jaar"]),
                     exit_day, f"{rng.choice(REASONS)} (vertrekker {number})",
                     rng.choice(["Ja", "Gedeeltelijk", "Nee"]),
                     *(rng.choice(["Helemaal mee eens", "Mee eens", "Neutraal", "Niet mee eens"]) for _ in range(4)),
                     "", rng.choice(["Ja", "Misschien", "Nee"]), rng.randint(0, 10)])
    return rows


def as_xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Form1")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_csv(rows: list[list[object]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows([[value.isoformat() if isinstance(value, date) else value for value in row] for row in rows])
    return text.getvalue().encode("cp1252")


@dataclass
class Probe:
    """Asks /health every 50 ms in a thread and keeps the answer times."""

    url: str
    times: list[float] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while not self.stop.is_set():
                started_at = time.perf_counter()
                client.get("/health")
                self.times.append((time.perf_counter() - started_at) * 1000)
                time.sleep(0.05)


@dataclass
class ImportTiming:
    label: str
    upload_s: float
    preview_s: float
    commit_s: float
    imported: int
    health_median_ms: float
    health_max_ms: float


def _signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=300)
    client.get("/login")
    response = client.post("/login", data={"email": "hr@example.com", "password": DEMO_PASSWORD,
                                           "_csrf_token": client.cookies["csrftoken"]})
    assert response.status_code in (200, 303), response.status_code
    return client


def measure_import(database_url: str, *, rows: int) -> list[ImportTiming]:
    # Two different sets of leavers: the second file would otherwise be recognised as imported already.
    files = {"xlsx": ("export.xlsx", as_xlsx(export_rows(rows, seed=7))),
             "csv": ("export.csv", as_csv(export_rows(rows, seed=8)))}
    fields = {f"column-{index}": target for index, target in guess_columns(HEADERS).items()}
    results = []
    with started("app", database_url=database_url, workers=1) as (url, _pid):
        for label, (name, content) in files.items():
            client = _signed_in(url)
            probe = Probe(url)
            thread = threading.Thread(target=probe.run)
            thread.start()
            try:
                token = client.cookies["csrftoken"]
                began = time.perf_counter()
                response = client.post("/interviews/import", files={"file": (name, content)},
                                       data={"_csrf_token": token})
                assert response.status_code == 303, re.findall(r'class="error"[^>]*>([^<]*)', response.text)
                address = response.headers["location"]
                uploaded = time.perf_counter()
                page = client.get(address)
                assert page.status_code == 200, page.text[:500]
                previewed = time.perf_counter()
                form = {**fields, "mapped": "1", "channel": "survey", "language": "nl", "skip_problems": "1",
                        "_csrf_token": token}
                response = client.post(f"{address}/commit", data=form)
                assert response.status_code == 303, re.findall(r'(?:error|summary)"[^>]*>([^<]*)', response.text)
                done = time.perf_counter()
                imported = int(re.search(r"rows=(\d+)", response.headers["location"]).group(1))
            finally:
                probe.stop.set()
                thread.join()
                client.close()
            results.append(ImportTiming(label, uploaded - began, previewed - uploaded, done - previewed, imported,
                                        statistics.median(probe.times), max(probe.times)))
    return results


def report_import(results: list[ImportTiming]) -> None:
    print(f"{'file':<6}{'rows':>8}{'upload s':>10}{'preview s':>11}{'import s':>10}{'total s':>9}"
          f"{'/health median ms':>19}{'max ms':>9}")
    for item in results:
        total = item.upload_s + item.preview_s + item.commit_s
        print(f"{item.label:<6}{item.imported:>8,}{item.upload_s:>10.2f}{item.preview_s:>11.2f}{item.commit_s:>10.2f}"
              f"{total:>9.2f}{item.health_median_ms:>19.1f}{item.health_max_ms:>9.1f}")
