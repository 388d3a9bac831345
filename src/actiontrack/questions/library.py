"""A starting library of extra questions per sector, after the Belgian guidance "Pas je vragen aan".

Data, not code: HR adds one to their questions and then chooses who is asked it.
"""

from __future__ import annotations

from actiontrack.models import QuestionKind

SCALE, YES_NO, CHOICE, TEXT = QuestionKind.SCALE, QuestionKind.YES_NO, QuestionKind.CHOICE, QuestionKind.TEXT

# sector -> questions; each: kind, text per language, and for a choice the options per language.
LIBRARY: dict[str, list[dict[str, object]]] = {
    "Marketing": [
        {"kind": SCALE, "nl": "Paste je rol bij de functiebeschrijving?",
         "fr": "Votre rôle correspondait-il à la description de fonction ?",
         "en": "Did your role match the job description?"},
        {"kind": YES_NO, "nl": "Had je genoeg budget en middelen voor je campagnes?",
         "fr": "Disposiez-vous d’assez de budget et de moyens pour vos campagnes ?",
         "en": "Did you have enough budget and resources for your campaigns?"},
        {"kind": TEXT, "nl": "Hoe zou je de samenwerking met sales omschrijven?",
         "fr": "Comment décririez-vous la collaboration avec les ventes ?",
         "en": "How would you describe the collaboration with sales?"},
    ],
    "Retail": [
        {"kind": SCALE, "nl": "Waren je uurroosters werkbaar?", "fr": "Vos horaires étaient-ils tenables ?",
         "en": "Were your schedules workable?"},
        {"kind": YES_NO, "nl": "Kreeg je genoeg opleiding en feedback?",
         "fr": "Avez-vous reçu assez de formation et de retours ?",
         "en": "Did you get enough training and feedback?"},
        {"kind": CHOICE, "nl": "Wat was het zwaarst in de winkel?",
         "fr": "Qu’est-ce qui était le plus lourd en magasin ?",
         "en": "What was hardest in the shop?",
         "options": {"nl": ["Drukte", "Klanten", "Fysiek werk"],
                     "fr": ["L’affluence", "Les clients", "Le travail physique"],
                     "en": ["Busy periods", "Customers", "Physical work"]}},
    ],
    "Horeca": [
        {"kind": SCALE, "nl": "Hoe zou je de teamdynamiek omschrijven?",
         "fr": "Comment décririez-vous la dynamique d’équipe ?",
         "en": "How would you describe the team dynamics?"},
        {"kind": YES_NO, "nl": "Werden je overuren correct vergoed?",
         "fr": "Vos heures supplémentaires étaient-elles correctement payées ?",
         "en": "Were your overtime hours paid correctly?"},
        {"kind": TEXT, "nl": "Wat zou je aan de dienstregeling veranderen?",
         "fr": "Que changeriez-vous dans l’organisation des services ?",
         "en": "What would you change about the shift planning?"},
    ],
    "IT": [
        {"kind": SCALE, "nl": "Paste je rol bij de functiebeschrijving?",
         "fr": "Votre rôle correspondait-il à la description de fonction ?",
         "en": "Did your role match the job description?"},
        {"kind": YES_NO, "nl": "Kreeg je genoeg tijd om bij te leren?",
         "fr": "Aviez-vous assez de temps pour vous former ?",
         "en": "Did you get enough time to learn new skills?"},
        {"kind": CHOICE, "nl": "Wat remde je werk het meest?", "fr": "Qu’est-ce qui freinait le plus votre travail ?",
         "en": "What slowed your work down most?",
         "options": {"nl": ["Verouderde tools", "Vergaderingen", "Onduidelijke prioriteiten"],
                     "fr": ["Des outils dépassés", "Les réunions", "Des priorités floues"],
                     "en": ["Outdated tools", "Meetings", "Unclear priorities"]}},
    ],
    "HR": [
        {"kind": SCALE, "nl": "Kreeg je genoeg opleiding en feedback?",
         "fr": "Avez-vous reçu assez de formation et de retours ?",
         "en": "Did you get enough training and feedback?"},
        {"kind": YES_NO, "nl": "Voelde je je gesteund bij moeilijke gesprekken?",
         "fr": "Vous sentiez-vous soutenu lors des entretiens difficiles ?",
         "en": "Did you feel supported in difficult conversations?"},
        {"kind": TEXT, "nl": "Welke HR-processen zouden we moeten vereenvoudigen?",
         "fr": "Quels processus RH devrions-nous simplifier ?",
         "en": "Which HR processes should we simplify?"},
    ],
}


def library_entry(key: str) -> dict[str, object] | None:
    """The library question with this key ("IT-0": the sector and the position), or None."""
    sector, _, position = key.rpartition("-")
    entries = LIBRARY.get(sector, [])
    return entries[int(position)] if position.isdigit() and int(position) < len(entries) else None
