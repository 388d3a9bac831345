"""The demo's stay interviews: about 240 conversations with current staff over the last six quarters.

Each department's stay interviews raise the themes its leavers raise (its exit profile in `demo.organisation`),
except for one group where a theme rises among the people who stay before it is frequent among
those who leave: growth and career in Customer service (STAY_TRENDS), for the early-warning list
on /status.
Every department has a random stream of its own (`{seed}:stay:{department}`), separate from the
exit interviews' streams, so that the demo's exit figures do not move.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from actiontrack.models import (
    Channel,
    Department,
    JobFamily,
    StayInterview,
    TenureBand,
    User,
)

QUARTERS = 6
# Stay interviews per department and calendar quarter (the current quarter up to yesterday included).
PER_QUARTER = {
    "Retail stores": 8, "Logistics": 5, "Production": 6, "Customer service": 12, "IT": 5, "Sales": 2,
    "Finance": 2, "HR": 0,
}
# One more in the latest quarters (HR's small team held two in all).
EXTRA = {"HR": 2}
# (department, theme, {quarters ago: share of that quarter's stay interviews raising it first}):
# 0 is the current quarter, 1 the last complete one. Earlier quarters raise it rarely (RARE_WEIGHT).
STAY_TRENDS = (
    ("Customer service", "growth_career", {3: 0.1, 2: 0.5, 1: 0.6, 0: 0.6}),
)
RARE_WEIGHT = 0.3
# People who stay have been here longer than people who leave.
TENURE = {
    TenureBand.UNDER_1: 0.12, TenureBand.FROM_1_TO_2: 0.2, TenureBand.FROM_2_TO_5: 0.33,
    TenureBand.FROM_5_TO_10: 0.22, TenureBand.OVER_10: 0.13,
}
# The low score that goes with a theme (a workload theme scores the workload low).
LOW_SCORE = {
    "growth_career": "growth_score", "recognition": "recognition_score",
    "management": "manager_support_score", "workload_autonomy": "workload_score",
}

# What keeps people here, per language (not tied to a theme, and never used for suggestions).
KEEPS_HERE = {
    "nl": ("De collega's en de sfeer in de ploeg.", "Het werk zelf: ik doe het graag.",
           "De nabijheid van mijn woonplaats.", "Een stabiele job in een gezond bedrijf.",
           "Mijn directe collega's, we helpen elkaar."),
    "fr": ("Les collègues et l'ambiance dans l'équipe.", "Le travail lui-même : j'aime ce que je fais.",
           "C'est près de chez moi.", "Un emploi stable dans une entreprise saine.",
           "Mes collègues directs, on s'entraide."),
    "en": ("My colleagues and the atmosphere in the team.", "The work itself: I enjoy it.",
           "It is close to home.", "A stable job in a healthy company.",
           "My direct colleagues; we help each other."),
}

# What would make them leave, per theme and language. Every sentence holds a keyword stem of its
# theme (migration 0002), so the keyword-based theme suggestions find them.
MIGHT_LEAVE: dict[str, dict[str, tuple[str, ...]]] = {
    "pay_benefits": {
        "nl": ("Als het loon elders merkbaar hoger ligt.",
               "Een concurrent biedt een bedrijfswagen en betere voordelen."),
        "fr": ("Si le salaire est nettement meilleur ailleurs.",
               "Un concurrent propose une voiture de société et plus d'avantages."),
        "en": ("If the salary elsewhere is clearly higher.",
               "A competitor offering a company car and better benefits."),
    },
    "management": {
        "nl": ("Als mijn leidinggevende nog minder feedback geeft.", "Nog meer micromanagement zou de druppel zijn."),
        "fr": ("Si mon responsable continue à ne donner aucun feedback.",
               "Encore plus de microgestion serait la goutte de trop."),
        "en": ("If my manager keeps giving no feedback.", "More micromanagement would be the last straw."),
    },
    "growth_career": {
        "nl": ("Als ik hier geen perspectief op groei zie.", "Een promotie elders, want hier zie ik geen loopbaan."),
        "fr": ("Si je ne vois aucune perspective d'évolution ici.",
               "Une promotion ailleurs, car je ne vois pas de carrière ici."),
        "en": ("If I see no room to grow here.", "A promotion elsewhere, because I see no career path here."),
    },
    "recognition": {
        "nl": ("Als mijn werk onzichtbaar blijft.", "Nooit eens bedankt worden voor de extra inzet."),
        "fr": ("Si mon travail reste invisible.", "Ne jamais entendre un merci pour les efforts en plus."),
        "en": ("If my work keeps going unnoticed.", "Never being thanked for the extra effort."),
    },
    "training_onboarding": {
        "nl": ("Als er geen opleiding komt voor de nieuwe machines.", "Te weinig begeleiding van nieuwe collega's."),
        "fr": ("S'il n'y a pas de formation pour les nouvelles machines.",
               "Trop peu d'accompagnement pour les nouveaux."),
        "en": ("If there is no training for the new systems.", "Too little coaching for new colleagues."),
    },
    "workload_autonomy": {
        "nl": ("Als de werkdruk zo hoog blijft: de overuren stapelen zich op.",
               "De onderbezetting in de ploeg, ik voel de stress elke dag."),
        "fr": ("Si la charge de travail reste aussi lourde : les heures supplémentaires s'accumulent.",
               "Le sous-effectif dans l'équipe, je sens le stress tous les jours."),
        "en": ("If the workload stays this high: the overtime keeps piling up.",
               "Understaffing in the team; I feel the pressure every day."),
    },
    "culture_engagement": {
        "nl": ("Als de sfeer in het team verder achteruitgaat.", "Wanneer collega's blijven vertrekken."),
        "fr": ("Si l'ambiance dans l'équipe continue de se dégrader.", "Si les collègues continuent de partir."),
        "en": ("If the atmosphere in the team gets worse.", "If colleagues keep leaving."),
    },
    "role_mismatch": {
        "nl": ("Als mijn takenpakket nog verder afwijkt van de vacature.", "De job is niet wat me beloofd werd."),
        "fr": ("Si mes taches s'éloignent encore de l'offre d'emploi.",
               "Le poste n'est pas ce que l'on m'avait promis."),
        "en": ("If my tasks drift further from the job description.", "The job is not what I was promised."),
    },
    "flexibility_balance": {
        "nl": ("Als thuiswerk wordt afgeschaft.", "Een uurrooster dat niet te combineren is met mijn gezin."),
        "fr": ("Si le télétravail est supprimé.", "Des horaires impossibles à concilier avec ma famille."),
        "en": ("If remote work is taken away.", "A schedule I cannot combine with my family."),
    },
}


class DepartmentProfile(Protocol):
    name: str
    languages: dict[str, float]
    job_families: dict[str, float]
    themes: dict[str, float]


def _pick(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarters(today: date) -> list[tuple[int, date, date]]:
    """(quarters ago, first day, last day) of the last QUARTERS calendar quarters, the current one up to yesterday."""
    quarters = []
    start = quarter_start(today)
    end = today - timedelta(days=1)
    for ago in range(QUARTERS):
        quarters.append((ago, start, end))
        end = start - timedelta(days=1)
        start = quarter_start(end)
    return quarters


def stay_interviews(
    *, seed: int, today: date, profiles: Iterable[DepartmentProfile], departments: Mapping[str, Department],
    job_families: Mapping[str, JobFamily], recorders: Sequence[User], theme_ids: Mapping[str, int],
    suggestions: Mapping[str, Mapping[str, tuple[tuple[str, ...], ...]]],
) -> list[tuple[StayInterview, list[int]]]:
    """Every demo stay interview with the ids of its themes, oldest first.

    `suggestions` are the exit phrases of demo.py; their improvement suggestions answer "what should change?".
    """
    made = []
    for profile in profiles:
        rng = random.Random(f"{seed}:stay:{profile.name}")
        weights = {code: weight for code, weight in profile.themes.items() if code in MIGHT_LEAVE}
        trends = {theme: shares for department, theme, shares in STAY_TRENDS if department == profile.name}
        for ago, start, end in _quarters(today):
            count = PER_QUARTER.get(profile.name, 0) + (1 if ago < EXTRA.get(profile.name, 0) else 0)
            days = sorted(start + timedelta(days=rng.randint(0, (end - start).days)) for _ in range(count))
            for index, held_on in enumerate(days):
                quarter_weights = dict(weights)
                first = None
                for theme, shares in trends.items():
                    if index < round(shares.get(ago, 0) * count):
                        first = theme
                    quarter_weights[theme] = RARE_WEIGHT
                made.append(_stay_interview(
                    rng, profile=profile, held_on=held_on, first=first, weights=quarter_weights,
                    departments=departments, job_families=job_families, recorders=recorders, theme_ids=theme_ids,
                    suggestions=suggestions,
                ))
    made.sort(key=lambda item: (item[0].held_on, item[0].department_id))
    return made


def _stay_interview(
    rng: random.Random, *, profile: DepartmentProfile, held_on: date, first: str | None, weights: dict[str, float],
    departments: Mapping[str, Department], job_families: Mapping[str, JobFamily], recorders: Sequence[User],
    theme_ids: Mapping[str, int], suggestions: Mapping[str, Mapping[str, tuple[tuple[str, ...], ...]]],
) -> tuple[StayInterview, list[int]]:
    themes = [first or _pick(rng, weights)]
    if rng.random() < 0.35:
        others = {code: weight for code, weight in weights.items() if code not in themes}
        themes.append(_pick(rng, others))
    language = _pick(rng, profile.languages)
    scores = {name: rng.choice((3, 4, 4, 5)) for name in LOW_SCORE.values()}
    for theme in themes:
        if theme in LOW_SCORE:
            scores[LOW_SCORE[theme]] = rng.choice((1, 2, 2))
    might_leave = rng.choice(MIGHT_LEAVE[themes[0]][language])
    if len(themes) > 1:
        might_leave += " " + rng.choice(MIGHT_LEAVE[themes[1]][language])
    conversation = rng.random() < 0.7
    # A survey answer keeps only its day (midnight UTC), as the app records it.
    recorded = datetime.combine(held_on, time(15 if conversation else 0), tzinfo=UTC)
    interview = StayInterview(
        department_id=departments[profile.name].id,
        job_family_id=job_families[_pick(rng, profile.job_families)].id,
        tenure_band=_pick(rng, TENURE),
        held_on=held_on,
        channel=Channel.INTERVIEW if conversation else Channel.SURVEY,
        language=language,
        interviewer_id=rng.choice(recorders).id if conversation else None,
        keeps_here=rng.choice(KEEPS_HERE[language]),
        might_leave=might_leave,
        should_change=rng.choice(suggestions[themes[0]][language][1]),
        **scores,
        created_at=recorded,
        updated_at=recorded,
    )
    return interview, [theme_ids[code] for code in themes]
