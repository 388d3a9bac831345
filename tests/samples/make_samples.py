"""Writes the sample exports in this folder: `python tests/samples/make_samples.py`.

Realistic files as HR gets them: a Microsoft Forms export in Dutch (XLSX), a Google Forms export in
French (CSV, UTF-8, ","), and a hand-made English spreadsheet (CSV, Windows-1252, ";"). Each has a
few broken rows: a date that does not exist, a department we do not have, a score of 7 on a 1-5 scale.
Departments and job families are the demo's (actiontrack/demo/organisation.py). Deterministic: the same files each run.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
GROUPS = [
    ("Retail stores", "Store associate"), ("Retail stores", "Store manager"), ("Logistics", "Warehouse operator"),
    ("Production", "Production operator"), ("Customer service", "Customer service agent"), ("IT", "IT developer"),
    ("Logistics", "Team lead"),
]
REASONS = {
    "nl": ["Ik kreeg elders een beter loon aangeboden.", "De werkdruk was te hoog en er was geen tijd voor opleiding.",
           "Mijn leidinggevende gaf weinig feedback en geen erkenning.", "Te lange verplaatsing naar het werk.",
           "Geen doorgroeimogelijkheden, ik wou meer verantwoordelijkheid.", "De uurroosters waren niet te combineren "
           "met mijn gezin.", "Ik ga opnieuw studeren."],
    "fr": ["On m'a proposé un meilleur salaire ailleurs.", "La charge de travail était trop lourde, sans formation.",
           "Mon responsable ne donnait jamais de reconnaissance.", "Trop de trajets pour venir travailler.",
           "Pas de perspectives d'évolution de carrière.", "Les horaires étaient incompatibles avec ma vie de famille.",
           "Je reprends des études."],
    "en": ["Better pay elsewhere.", "Workload was too high and training was poor.",
           "My manager gave no recognition for my work.", "Long commute.", "No career growth, I wanted to move up.",
           "Shift schedules did not fit my family life.", "Going back to university."],
}
IMPROVE = {
    "nl": ["Betere opleiding bij de start.", "Meer flexibiliteit in de uurroosters.", "", "Eerlijker loonbeleid.", ""],
    "fr": ["Une meilleure formation au démarrage.", "Plus de flexibilité dans les horaires.", "",
           "Revoir les salaires.", ""],
    "en": ["Better onboarding.", "More flexible shifts.", "", "Fairer pay, café vouchers are not enough (€5).", ""],
}
LIKERT_NL = {1: "Helemaal niet mee eens", 2: "Niet mee eens", 3: "Neutraal", 4: "Mee eens", 5: "Helemaal mee eens"}
TENURE = {
    "nl": ["Minder dan 1 jaar", "1 tot 2 jaar", "2 tot 5 jaar", "5 tot 10 jaar", "Meer dan 10 jaar"],
    "fr": ["Moins d'un an", "1 à 2 ans", "2 à 5 ans", "5 à 10 ans", "Plus de 10 ans"],
    "en": ["<1", "1-2", "2-5", "5-10", ">10"],
}
YES_PARTLY_NO = {"nl": ["Ja", "Gedeeltelijk", "Nee"], "fr": ["Oui", "En partie", "Non"], "en": ["Yes", "Partly", "No"]}
YES_MAYBE_NO = {"nl": ["Ja", "Misschien", "Nee"], "fr": ["Oui", "Peut-être", "Non"], "en": ["Yes", "Maybe", "No"]}
SCORE_HEADERS = {
    "nl": ["Mijn taken kwamen overeen met de functie zoals die me beschreven werd", "Mijn leidinggevende steunde me",
           "Ik kreeg de opleiding die ik nodig had", "Mijn werk werd erkend"],
    "fr": ["Mes tâches correspondaient au poste tel qu'il m'avait été décrit",
           "Mon responsable direct m'a apporté son soutien", "J'ai reçu la formation dont j'avais besoin",
           "Mon travail était reconnu"],
    "en": ["Tasks matched (1-5)", "Manager support (1-5)", "Training (1-5)", "Recognition (1-5)"],
}


def _leaver(rng: random.Random, language: str, number: int) -> dict:
    department, family = GROUPS[number % len(GROUPS)]
    return {
        "department": department, "family": family, "tenure": rng.randrange(5),
        "exit": date(2026, 1, 5) + timedelta(days=rng.randrange(280)),
        "reason": rng.choice(REASONS[language]), "pay": rng.randrange(3),
        "scores": [rng.randint(1, 5) for _ in range(4)],
        "improve": rng.choice(IMPROVE[language]), "return": rng.randrange(3), "recommend": rng.randint(0, 10),
    }


def microsoft_forms_nl() -> bytes:
    """Microsoft Forms, Dutch: ID, Begintijd, Tijd van voltooien, E-mail, Naam, then the questions."""
    rng = random.Random(1)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Form1"
    sheet.append(["ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Afdeling", "Functiefamilie",
                  "Hoelang heb je hier gewerkt?", "Laatste werkdag", "Waarom vertrek je?",
                  "Speelde je loon mee in je beslissing om te vertrekken?", *SCORE_HEADERS["nl"], "Verbeterpunten",
                  "Zou je hier opnieuw willen werken?",
                  "Hoe waarschijnlijk is het dat je ons als werkgever aanbeveelt aan een vriend?"])
    for number in range(1, 31):
        leaver = _leaver(rng, "nl", number)
        started = datetime.combine(leaver["exit"], datetime.min.time()) - timedelta(days=2, hours=-10)
        scores: list[object] = [LIKERT_NL[score] for score in leaver["scores"]]
        department: object = leaver["department"].lower() if number == 4 else leaver["department"]
        exit_day: object = leaver["exit"]
        if number == 9:
            exit_day = "31/02/2026"  # no such day
        if number == 17:
            department = "Marketing"  # not one of ours
        if number == 23:
            scores[1] = 7  # typed in by hand on a 1-5 scale
        sheet.append([number, started, started + timedelta(minutes=rng.randint(3, 15)), "anonymous", None, department,
                      leaver["family"], TENURE["nl"][leaver["tenure"]], exit_day, leaver["reason"],
                      YES_PARTLY_NO["nl"][leaver["pay"]], *scores, leaver["improve"] or None,
                      YES_MAYBE_NO["nl"][leaver["return"]], leaver["recommend"]])
    for row in sheet.iter_rows(min_row=2, min_col=9, max_col=9):
        row[0].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def google_forms_fr() -> bytes:
    """Google Forms, French: "Horodateur" first, UTF-8, comma-separated, scores as numbers."""
    rng = random.Random(2)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["Horodateur", "Service", "Famille de fonctions",
                     "Combien de temps avez-vous travaillé chez nous ?",
                     "Dernier jour de travail", "Pourquoi partez-vous ?",
                     "Votre rémunération a-t-elle joué un rôle dans votre décision de partir ?", *SCORE_HEADERS["fr"],
                     "Que devrions-nous améliorer ?", "Reviendriez-vous travailler chez nous ?",
                     "Quelle est la probabilité que vous nous recommandiez comme employeur à un ami ?"])
    for number in range(1, 26):
        leaver = _leaver(rng, "fr", number)
        stamp = datetime.combine(leaver["exit"], datetime.min.time()) - timedelta(days=1, hours=-14)
        scores = [str(score) for score in leaver["scores"]]
        exit_day = leaver["exit"].strftime("%d/%m/%Y")
        department = leaver["department"]
        if number == 6:
            exit_day = "32/13/2026"
        if number == 12:
            department = "Comptabilité"
        if number == 20:
            scores[2] = "7"
        writer.writerow([stamp.strftime("%d/%m/%Y %H:%M:%S"), department, leaver["family"],
                         TENURE["fr"][leaver["tenure"]], exit_day, leaver["reason"], YES_PARTLY_NO["fr"][leaver["pay"]],
                         *scores, leaver["improve"], YES_MAYBE_NO["fr"][leaver["return"]], leaver["recommend"]])
    return text.getvalue().encode("utf-8")


def spreadsheet_en() -> bytes:
    """A hand-made English sheet saved by Excel as CSV: Windows-1252, semicolons, short headers."""
    rng = random.Random(3)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Name", "Dept", "Job family", "Tenure", "Leaving date", "Language", "Reason for leaving",
                     "Pay a factor?", *SCORE_HEADERS["en"], "Suggestions", "Come back?", "Recommend (0-10)",
                     "Interviewer notes"])
    for number in range(1, 22):
        language = ("nl", "fr", "en")[number % 3]
        leaver = _leaver(rng, "en", number)
        scores = [str(score) for score in leaver["scores"]]
        exit_day = leaver["exit"].isoformat()
        department = leaver["department"]
        if number == 5:
            exit_day = "2026-13-01"
        if number == 11:
            department = "R&D Lab"
        if number == 16:
            scores[0] = "7"
        writer.writerow([f"Leaver {number}", department, leaver["family"], TENURE["en"][leaver["tenure"]], exit_day,
                         language.upper(), leaver["reason"], YES_PARTLY_NO["en"][leaver["pay"]], *scores,
                         leaver["improve"], YES_MAYBE_NO["en"][leaver["return"]], str(leaver["recommend"]),
                         "Exit talk with HR; calm." if number % 4 == 0 else ""])
    return text.getvalue().encode("cp1252")


SAMPLES = {
    "microsoft-forms-nl.xlsx": microsoft_forms_nl,
    "google-forms-fr.csv": google_forms_fr,
    "spreadsheet-en.csv": spreadsheet_en,
}


if __name__ == "__main__":
    for name, make in SAMPLES.items():
        (HERE / name).write_bytes(make())
        print(f"wrote {HERE / name}")
