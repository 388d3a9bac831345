"""A starting library of extra questions per sector, after the Belgian guidance "Pas je vragen aan".

Data, not code: HR adds one to their questions and then chooses who is asked it.
"""

from __future__ import annotations

from actiontrack.models import QuestionKind

SCALE, YES_NO, CHOICE, TEXT = QuestionKind.SCALE, QuestionKind.YES_NO, QuestionKind.CHOICE, QuestionKind.TEXT

# Each question once, by its English text: (nl, fr).
QUESTIONS = {
    "Did your role match the job description?": (
        "Paste je rol bij de functiebeschrijving?", "Votre rôle correspondait-il à la description de fonction ?"),
    "Did you have enough budget and resources for your campaigns?": (
        "Had je genoeg budget en middelen voor je campagnes?",
        "Disposiez-vous d’assez de budget et de moyens pour vos campagnes ?"),
    "How would you describe the collaboration with sales?": (
        "Hoe zou je de samenwerking met sales omschrijven?",
        "Comment décririez-vous la collaboration avec les ventes ?"),
    "Were your schedules workable?": ("Waren je uurroosters werkbaar?", "Vos horaires étaient-ils tenables ?"),
    "Did you get enough training and feedback?": (
        "Kreeg je genoeg opleiding en feedback?", "Avez-vous reçu assez de formation et de retours ?"),
    "What was hardest in the shop?": (
        "Wat was het zwaarst in de winkel?", "Qu’est-ce qui était le plus lourd en magasin ?"),
    "How would you describe the team dynamics?": (
        "Hoe zou je de teamdynamiek omschrijven?", "Comment décririez-vous la dynamique d’équipe ?"),
    "Were your overtime hours paid correctly?": (
        "Werden je overuren correct vergoed?", "Vos heures supplémentaires étaient-elles correctement payées ?"),
    "What would you change about the shift planning?": (
        "Wat zou je aan de dienstregeling veranderen?", "Que changeriez-vous dans l’organisation des services ?"),
    "Did you get enough time to learn new skills?": (
        "Kreeg je genoeg tijd om bij te leren?", "Aviez-vous assez de temps pour vous former ?"),
    "What slowed your work down most?": (
        "Wat remde je werk het meest?", "Qu’est-ce qui freinait le plus votre travail ?"),
    "Did you feel supported in difficult conversations?": (
        "Voelde je je gesteund bij moeilijke gesprekken?",
        "Vous sentiez-vous soutenu lors des entretiens difficiles ?"),
    "Which HR processes should we simplify?": (
        "Welke HR-processen zouden we moeten vereenvoudigen?", "Quels processus RH devrions-nous simplifier ?"),
}
# A choice's options per language, by the question's English text.
OPTIONS = {
    "What was hardest in the shop?": {
        "nl": ["Drukte", "Klanten", "Fysiek werk"],
        "fr": ["L’affluence", "Les clients", "Le travail physique"],
        "en": ["Busy periods", "Customers", "Physical work"],
    },
    "What slowed your work down most?": {
        "nl": ["Verouderde tools", "Vergaderingen", "Onduidelijke prioriteiten"],
        "fr": ["Des outils dépassés", "Les réunions", "Des priorités floues"],
        "en": ["Outdated tools", "Meetings", "Unclear priorities"],
    },
}
# sector -> its questions, in order: (kind, English text).
SECTORS = {
    "Marketing": (
        (SCALE, "Did your role match the job description?"),
        (YES_NO, "Did you have enough budget and resources for your campaigns?"),
        (TEXT, "How would you describe the collaboration with sales?"),
    ),
    "Retail": (
        (SCALE, "Were your schedules workable?"),
        (YES_NO, "Did you get enough training and feedback?"),
        (CHOICE, "What was hardest in the shop?"),
    ),
    "Horeca": (
        (SCALE, "How would you describe the team dynamics?"),
        (YES_NO, "Were your overtime hours paid correctly?"),
        (TEXT, "What would you change about the shift planning?"),
    ),
    "IT": (
        (SCALE, "Did your role match the job description?"),
        (YES_NO, "Did you get enough time to learn new skills?"),
        (CHOICE, "What slowed your work down most?"),
    ),
    "HR": (
        (SCALE, "Did you get enough training and feedback?"),
        (YES_NO, "Did you feel supported in difficult conversations?"),
        (TEXT, "Which HR processes should we simplify?"),
    ),
}


def _entry(kind: QuestionKind, english: str) -> dict[str, object]:
    """A question of the library: its kind, its text per language, and for a choice the options per language."""
    nl, fr = QUESTIONS[english]
    return {"kind": kind, "nl": nl, "fr": fr, "en": english,
            **({"options": OPTIONS[english]} if english in OPTIONS else {})}


# sector -> questions, as HR adds them.
LIBRARY: dict[str, list[dict[str, object]]] = {
    sector: [_entry(kind, english) for kind, english in questions] for sector, questions in SECTORS.items()
}


def library_entry(key: str) -> dict[str, object] | None:
    """The library question with this key ("IT-0": the sector and the position), or None."""
    sector, _, position = key.rpartition("-")
    entries = LIBRARY.get(sector, [])
    return entries[int(position)] if position.isdigit() and int(position) < len(entries) else None
