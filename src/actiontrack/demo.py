"""A realistic demo organisation: leavers, the themes they name and the actions that followed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import demo_texts
from actiontrack.auth import hash_password
from actiontrack.demo_stay import stay_interviews
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionStatus,
    ActionTheme,
    ActionUpdate,
    ApiToken,
    AuditEvent,
    Channel,
    Department,
    ExitInterview,
    InterviewTheme,
    JobFamily,
    Language,
    LoginFailure,
    PayFactor,
    Role,
    Scope,
    StayInterview,
    StayInterviewTheme,
    SurveyInvitation,
    TenureBand,
    Theme,
    User,
    UserToken,
    WouldReturn,
)

DEMO_PASSWORD = "demo-password"


class DemoRefused(Exception):
    """The database holds data that is not demo data."""


@dataclass(frozen=True)
class DemoSummary:
    departments: int
    job_families: int
    users: list[tuple[str, str, str]]  # (email, role, display name)
    interviews: int
    actions: int
    stay_interviews: int = 0


# Listed in the order the summary shows them: HR first, then leadership, then owners.
USERS = (
    ("hr@example.com", Role.HR, "Hanne Claes", Language.NL),
    ("sophie.dubois@example.com", Role.HR, "Sophie Dubois", Language.FR),
    ("leadership@example.com", Role.LEADERSHIP, "Luc Peeters", Language.FR),
    ("koen.willems@example.com", Role.LEADERSHIP, "Koen Willems", Language.NL),
    ("owner@example.com", Role.OWNER, "Sarah Maes", Language.EN),
    ("an.janssens@example.com", Role.OWNER, "An Janssens", Language.NL),
    ("pieter.desmet@example.com", Role.OWNER, "Pieter De Smet", Language.NL),
    ("nathalie.lejeune@example.com", Role.OWNER, "Nathalie Lejeune", Language.FR),
    ("karim.benali@example.com", Role.OWNER, "Karim Benali", Language.FR),
    ("emma.vermeulen@example.com", Role.OWNER, "Emma Vermeulen", Language.EN),
)

JOB_FAMILIES = (
    "Store associate",
    "Store manager",
    "Warehouse operator",
    "Production operator",
    "Customer service agent",
    "IT developer",
    "Accountant",
    "Sales rep",
    "HR advisor",
    "Team lead",
)


@dataclass(frozen=True)
class _DepartmentProfile:
    name: str
    headcount: int
    # Leavers in the last 180 days and in the 1.5 years before; below 5 recent leavers
    # a department falls under the anonymity threshold.
    recent_leavers: int
    older_leavers: int
    languages: dict[str, float]
    job_families: dict[str, float]
    themes: dict[str, float]


DEPARTMENTS = (
    _DepartmentProfile(
        "Retail stores", 400, 60, 180,
        {"nl": 0.55, "fr": 0.4, "en": 0.05},
        {"Store associate": 0.75, "Store manager": 0.15, "Team lead": 0.1},
        {"training_onboarding": 9, "flexibility_balance": 3, "pay_benefits": 2, "management": 1.5,
         "workload_autonomy": 1.5, "culture_engagement": 1, "role_mismatch": 1.5, "recognition": 1, "other": 1},
    ),
    _DepartmentProfile(
        "Logistics", 260, 16, 40,
        {"nl": 0.6, "fr": 0.35, "en": 0.05},
        {"Warehouse operator": 0.8, "Team lead": 0.2},
        {"workload_autonomy": 5, "management": 5, "pay_benefits": 2, "flexibility_balance": 1.5,
         "culture_engagement": 1, "role_mismatch": 0.5, "other": 1},
    ),
    _DepartmentProfile(
        "Production", 330, 12, 38,
        {"nl": 0.55, "fr": 0.4, "en": 0.05},
        {"Production operator": 0.85, "Team lead": 0.15},
        {"flexibility_balance": 2.5, "workload_autonomy": 2, "pay_benefits": 2, "culture_engagement": 2,
         "management": 1.5, "training_onboarding": 1, "other": 1},
    ),
    _DepartmentProfile(
        "Customer service", 140, 13, 33,
        {"nl": 0.45, "fr": 0.45, "en": 0.1},
        {"Customer service agent": 0.85, "Team lead": 0.15},
        {"workload_autonomy": 4, "recognition": 4, "management": 1.5, "growth_career": 1.5,
         "flexibility_balance": 1, "culture_engagement": 1, "other": 0.5},
    ),
    _DepartmentProfile(
        "IT", 110, 8, 24,
        {"nl": 0.35, "fr": 0.25, "en": 0.4},
        {"IT developer": 0.85, "Team lead": 0.15},
        {"growth_career": 5, "pay_benefits": 4, "management": 1, "flexibility_balance": 1,
         "culture_engagement": 1, "role_mismatch": 1, "other": 0.5},
    ),
    _DepartmentProfile(
        "Sales", 95, 4, 18,
        {"nl": 0.5, "fr": 0.4, "en": 0.1},
        {"Sales rep": 0.85, "Team lead": 0.15},
        {"pay_benefits": 3, "recognition": 2, "management": 2, "growth_career": 2, "workload_autonomy": 1,
         "other": 1},
    ),
    _DepartmentProfile(
        "Finance", 48, 3, 10,
        {"nl": 0.5, "fr": 0.35, "en": 0.15},
        {"Accountant": 0.85, "Team lead": 0.15},
        {"growth_career": 2, "workload_autonomy": 2, "flexibility_balance": 2, "management": 1,
         "pay_benefits": 1, "other": 1},
    ),
    _DepartmentProfile(
        "HR", 32, 2, 7,
        {"nl": 0.5, "fr": 0.4, "en": 0.1},
        {"HR advisor": 0.85, "Team lead": 0.15},
        {"workload_autonomy": 2, "culture_engagement": 2, "growth_career": 2, "flexibility_balance": 1,
         "other": 1},
    ),
)

# (department, theme, days before today, weight before that day, weight from then on):
# how themes moved over time, mostly because an action landed (see ACTIONS).
THEME_TRENDS = (
    ("Retail stores", "training_onboarding", 400, 9, 1.5),  # the onboarding programme went live
    ("Retail stores", "flexibility_balance", 250, 3, 9),  # the self-rostering app did not help: it got worse
    ("Logistics", "management", 160, 6, 1.2),  # team leads trained in giving feedback
    ("IT", "pay_benefits", 290, 6, 1),  # salary bands corrected
    ("Customer service", "workload_autonomy", 180, 2.5, 7),  # hiring is blocked, peaks got worse
)

RECENT_DAYS = 180
# A few quiet days between the two windows keep the recent counts the same whether
# "the last six months" is read as 180, 182 or 184 days.
OLDER_DAYS = (186, 730)

# Per theme and language: (reasons for leaving, improvement suggestions, interviewer notes).
# Every sentence holds at least one keyword stem of its theme (migration 0002), so the
# keyword-based theme suggestions find them.
PHRASES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    "pay_benefits": {
        "nl": (
            ("Mijn loon lag ver onder de markt.",
             "Elders kreeg ik een beter loon en een bedrijfswagen.",
             "De verloning hield geen rekening met mijn ervaring.",
             "Ik kreeg al drie jaar geen loonsverhoging, enkel de index.",
             "De extralegale voordelen waren mager: geen maaltijdcheques, geen hospitalisatieverzekering."),
            ("Vergelijk de lonen jaarlijks met de markt en communiceer daarover.",
             "Voer maaltijdcheques in en herbekijk de extralegale voordelen.",
             "Maak de bonusregeling transparant."),
            ("Vertrekt naar een concurrent voor een hoger loon.",
             "Loon was doorslaggevend; verder tevreden over het werk.",
             "Vraagt waarom nieuwe mensen een hogere verloning krijgen."),
        ),
        "fr": (
            ("Le salaire était trop bas par rapport au marché.",
             "On m'a proposé ailleurs une meilleure rémunération et une voiture de société.",
             "Pas d'augmentation depuis trois ans à part l'indexation: le salaire ne suivait pas.",
             "Les avantages extralégaux étaient faibles: pas de chèques-repas, pas d'assurance hospitalisation."),
            ("Comparer chaque année les salaires avec le marché.",
             "Introduire des chèques-repas et revoir les avantages extralégaux.",
             "Rendre le système de primes transparent."),
            ("Part chez un concurrent pour un meilleur salaire.",
             "La rémunération a été décisive; satisfait du travail lui-même.",
             "Demande pourquoi les nouveaux engagés ont une meilleure paie."),
        ),
        "en": (
            ("My salary was well below market.",
             "Another employer offered better pay and a company car.",
             "No raise in three years apart from indexation.",
             "The benefits package was thin compared with other Belgian employers."),
            ("Benchmark salaries every year and explain how pay is set.",
             "Offer a flexible benefits plan.",
             "Make the bonus scheme transparent."),
            ("Leaving for a competitor for higher pay.",
             "Pay was the deciding factor; otherwise happy with the work.",
             "Asked why new hires get a higher salary."),
        ),
    },
    "management": {
        "nl": (
            ("Mijn leidinggevende gaf nooit feedback.",
             "Er was geen vertrouwen tussen het team en de chef.",
             "De communicatie vanuit de directie was chaotisch.",
             "Ik had last van micromanagement: elke beslissing werd gecontroleerd."),
            ("Train leidinggevenden in het geven van feedback.",
             "Zorg voor duidelijke communicatie over veranderingen.",
             "Plan maandelijks een één-op-één gesprek met de leidinggevende."),
            ("Conflict met de leidinggevende lag aan de basis van het vertrek.",
             "Spreekt van weinig vertrouwen en veel micromanagement.",
             "Zou gebleven zijn met een andere chef."),
        ),
        "fr": (
            ("Mon responsable ne donnait jamais de feedback.",
             "Il n'y avait aucune confiance entre l'équipe et le chef.",
             "La communication de la direction était chaotique.",
             "Trop de microgestion: chaque décision était contrôlée."),
            ("Former les managers à donner du feedback.",
             "Assurer une communication claire sur les changements.",
             "Prévoir un entretien individuel mensuel avec le responsable."),
            ("Le conflit avec son responsable est à l'origine du départ.",
             "Parle d'un manque de confiance et de beaucoup de microgestion.",
             "Serait resté avec un autre chef."),
        ),
        "en": (
            ("My manager never gave any feedback.",
             "There was no trust between the team and our supervisor.",
             "Communication from leadership was chaotic.",
             "I was micromanaged: every decision was checked."),
            ("Train managers to give regular feedback.",
             "Improve communication about changes before they happen.",
             "Hold a monthly one-to-one between each person and their manager."),
            ("Conflict with the manager triggered the resignation.",
             "Describes little trust and a lot of micromanagement.",
             "Would have stayed with a different supervisor."),
        ),
    },
    "growth_career": {
        "nl": (
            ("Er was geen perspectief om door te groeien.",
             "Ik zag geen loopbaan voor mij in dit bedrijf.",
             "Promoties gingen altijd naar externe kandidaten.",
             "Ik kreeg elders een functie met meer toekomst."),
            ("Maak loopbaanpaden zichtbaar voor elke functie.",
             "Geef interne kandidaten voorrang bij promoties.",
             "Bespreek jaarlijks de groei van elke medewerker."),
            ("Ambitieus profiel, vertrekt voor een promotie elders.",
             "Mist doorgroeimogelijkheden in het team.",
             "Het loopbaangesprek kwam er nooit."),
        ),
        "fr": (
            ("Aucune perspective d'évolution.",
             "Je ne voyais pas de carrière possible ici.",
             "Les promotions allaient toujours à des candidats externes.",
             "On m'a proposé ailleurs un poste avec plus d'avenir."),
            ("Rendre visibles les parcours de carrière pour chaque fonction.",
             "Donner la priorité aux candidats internes pour les promotions.",
             "Discuter chaque année de la progression de chaque collaborateur."),
            ("Profil ambitieux, part pour une promotion ailleurs.",
             "Regrette le manque d'évolution dans l'équipe.",
             "L'entretien de carrière n'a jamais eu lieu."),
        ),
        "en": (
            ("There was no room to grow.",
             "I could not see a career for myself here.",
             "Promotions always went to external candidates.",
             "I got an offer elsewhere with more of a future."),
            ("Publish a career path for every role.",
             "Give internal candidates first chance at promotions.",
             "Discuss each person's growth once a year."),
            ("Ambitious profile, leaving for a promotion elsewhere.",
             "Misses opportunities for advancement in the team.",
             "The career conversation never happened."),
        ),
    },
    "recognition": {
        "nl": (
            ("Goed werk werd nooit opgemerkt; ik voelde me onzichtbaar.",
             "Ik voelde me niet gewaardeerd.",
             "Er was geen enkele erkenning voor de extra inspanningen.",
             "Niemand zei ooit bedankt."),
            ("Toon meer waardering voor wie extra inspanningen levert.",
             "Zeg gewoon vaker bedankt.",
             "Maak successen zichtbaar, met erkenning voor het hele team."),
            ("Voelde zich onvoldoende gewaardeerd.",
             "Gebrek aan erkenning kwam meermaals terug.",
             "Appreciatie van klanten, maar niet van het bedrijf."),
        ),
        "fr": (
            ("Le bon travail n'était jamais remarqué; je me sentais invisible.",
             "Je ne me sentais pas apprécié.",
             "Aucune reconnaissance pour les efforts supplémentaires.",
             "Personne ne disait jamais merci."),
            ("Montrer plus de reconnaissance pour les efforts supplémentaires.",
             "Dire merci plus souvent, tout simplement.",
             "Rendre les réussites visibles pour que chacun se sente reconnu."),
            ("Se sentait insuffisamment reconnu.",
             "Le manque de reconnaissance est revenu plusieurs fois.",
             "Apprécié par les clients, pas par l'entreprise."),
        ),
        "en": (
            ("My good work went unnoticed.",
             "I did not feel valued.",
             "There was no recognition for going the extra mile.",
             "Nobody ever said thank you."),
            ("Show appreciation for people who go the extra mile.",
             "Simply say thank you more often.",
             "Make successes visible so the whole team feels recognised."),
            ("Did not feel valued.",
             "Lack of recognition came up several times.",
             "Appreciated by customers, not by the company."),
        ),
    },
    "training_onboarding": {
        "nl": (
            ("Na twee dagen stond ik er alleen voor, zonder echte opleiding.",
             "Het onthaal was chaotisch: niemand wist dat ik begon.",
             "Er was geen begeleiding tijdens de eerste weken.",
             "Ik kreeg geen kans om bij te leren."),
            ("Voorzie een inwerkprogramma met een vaste peter of meter.",
             "Plan een degelijke opleiding voor de eerste week.",
             "Geef nieuwe medewerkers meer begeleiding en coaching."),
            ("Onthaal en opleiding schoten tekort.",
             "Voelde zich in het begin aan het lot overgelaten; geen begeleiding.",
             "Vertrok nog tijdens de inwerkperiode."),
        ),
        "fr": (
            ("Après deux jours, je me suis retrouvé seul, sans vraie formation.",
             "L'accueil était chaotique: personne ne savait que je commençais.",
             "Aucun accompagnement pendant les premières semaines.",
             "Je n'avais aucune occasion d'apprendre."),
            ("Prévoir un programme d'intégration avec un parrain ou une marraine.",
             "Organiser une vraie formation la première semaine.",
             "Offrir plus d'accompagnement aux nouveaux collaborateurs."),
            ("L'accueil et la formation étaient insuffisants.",
             "S'est senti livré à lui-même au début; aucun accompagnement.",
             "Est parti pendant la période d'intégration."),
        ),
        "en": (
            ("After two days I was on my own, without proper training.",
             "Onboarding was chaotic: nobody knew I was starting.",
             "There was no coaching in the first weeks.",
             "I never had the chance to learn anything new."),
            ("Set up an induction programme with a buddy or mentor.",
             "Plan proper training for the first week.",
             "Give newcomers more coaching."),
            ("Onboarding and training fell short.",
             "Felt left alone at the start; no coaching.",
             "Left during the induction period."),
        ),
    },
    "workload_autonomy": {
        "nl": (
            ("De werkdruk was onhoudbaar.",
             "Door de onderbezetting draaiden we constant overuren.",
             "Ik zat tegen een burn-out aan.",
             "Ik had geen enkele autonomie in mijn werk."),
            ("Zorg voor voldoende personeel zodat de werkdruk daalt.",
             "Beperk de overuren en plan beter.",
             "Laat mensen zelfstandig beslissen over hun werk."),
            ("Hoge werkdruk en veel stress, vooral in piekperiodes.",
             "Was een tijd afwezig wegens burn-out.",
             "Onderbezetting al maanden gekend."),
        ),
        "fr": (
            ("La charge de travail était intenable.",
             "Avec le sous-effectif, on faisait sans cesse des heures supplémentaires.",
             "J'étais au bord du burn-out.",
             "Je n'avais aucune autonomie dans mon travail."),
            ("Recruter assez de personnel pour réduire la charge de travail.",
             "Limiter les heures supplémentaires et mieux planifier.",
             "Laisser plus d'autonomie aux équipes."),
            ("Charge élevée et beaucoup de stress, surtout en période de pointe.",
             "A été absent pour cause de burn-out.",
             "Le sous-effectif est connu depuis des mois."),
        ),
        "en": (
            ("The workload was unsustainable.",
             "We were understaffed and worked overtime all the time.",
             "I was close to burnout.",
             "I had no autonomy in my work."),
            ("Hire enough people to bring the workload down.",
             "Limit overtime and plan ahead.",
             "Give teams more autonomy over how they work."),
            ("High pressure and a lot of stress, especially at peak times.",
             "Was off sick with burnout for a while.",
             "Understaffing has been known for months."),
        ),
    },
    "culture_engagement": {
        "nl": (
            ("De sfeer in het team was slecht.",
             "Ik voelde me niet thuis in de bedrijfscultuur.",
             "Pesten werd getolereerd en niemand greep in.",
             "De waarden van het bedrijf zag ik niet terug in de praktijk."),
            ("Investeer in teamactiviteiten en een betere sfeer.",
             "Treed kordaat op tegen pesten.",
             "Betrek medewerkers bij beslissingen om de betrokkenheid te versterken."),
            ("Positief over de collega's, negatief over de sfeer op de afdeling.",
             "Meldt pesten door een collega; doorgegeven aan de preventieadviseur.",
             "Weinig betrokkenheid sinds de reorganisatie."),
        ),
        "fr": (
            ("L'ambiance dans l'équipe était mauvaise.",
             "Je ne me retrouvais pas dans la culture de l'entreprise.",
             "Le harcèlement était toléré et personne n'intervenait.",
             "Les valeurs affichées n'étaient pas vécues sur le terrain."),
            ("Investir dans la cohésion d'équipe et une meilleure ambiance.",
             "Agir fermement contre le harcèlement.",
             "Associer davantage le personnel aux décisions pour renforcer l'engagement."),
            ("Positif sur les collègues, négatif sur l'ambiance du service.",
             "Signale du harcèlement par un collègue; transmis au conseiller en prévention.",
             "Peu d'engagement depuis la réorganisation."),
        ),
        "en": (
            ("The atmosphere in the team was poor.",
             "I never felt at home in the company culture.",
             "Bullying was tolerated and nobody stepped in.",
             "The company values were not lived on the shop floor."),
            ("Invest in team events and a better atmosphere.",
             "Act firmly against bullying.",
             "Involve people in decisions to build engagement."),
            ("Positive about colleagues, negative about the atmosphere in the department.",
             "Reports bullying by a colleague; passed on to the prevention adviser.",
             "Little engagement since the reorganisation."),
        ),
    },
    "role_mismatch": {
        "nl": (
            ("De job was niet wat in de vacature stond.",
             "Het takenpakket verschilde sterk van de functieomschrijving.",
             "Mijn verwachtingen over de job klopten niet met de realiteit.",
             "Ik deed vooral administratie, niet wat ik wilde doen."),
            ("Schrijf eerlijke vacatures met een realistisch takenpakket.",
             "Werk de functieomschrijving bij voor je aanwerft.",
             "Bespreek tijdens het sollicitatiegesprek de verwachtingen in detail."),
            ("Functie kwam niet overeen met de functieomschrijving.",
             "Verwachtingen bij aanwerving waren niet afgestemd.",
             "Takenpakket werd na drie maanden gewijzigd zonder overleg."),
        ),
        "fr": (
            ("Le poste n'était pas ce que décrivait l'offre d'emploi.",
             "Les tâches étaient très différentes de la description de poste.",
             "Mes attentes ne correspondaient pas à la réalité du travail.",
             "Je faisais surtout de l'administratif, pas ce que je voulais faire."),
            ("Rédiger des offres d'emploi honnêtes avec des tâches réalistes.",
             "Mettre à jour la description de poste avant de recruter.",
             "Clarifier les attentes en détail pendant l'entretien d'embauche."),
            ("Le poste ne correspondait pas à la description de poste.",
             "Les attentes à l'embauche n'étaient pas alignées.",
             "Les tâches ont changé après trois mois sans concertation."),
        ),
        "en": (
            ("The job was not what the vacancy described.",
             "The tasks were very different from the job description.",
             "My expectations of the job did not match reality.",
             "It was mostly admin work, not what I signed up for."),
            ("Write honest vacancies with realistic tasks.",
             "Update the job description before recruiting.",
             "Discuss expectations in detail during the job interview."),
            ("Role did not match the job description.",
             "Expectations at hiring were not aligned.",
             "Tasks changed after three months without consultation."),
        ),
    },
    "flexibility_balance": {
        "nl": (
            ("Het uurrooster was niet te combineren met mijn gezin.",
             "Thuiswerk was niet mogelijk, ook niet één dag per week.",
             "Ik pendelde elke dag twee uur.",
             "Verlof werd vaak op het laatste moment geweigerd."),
            ("Maak de uurroosters vroeger bekend en flexibeler.",
             "Laat telewerk toe waar het kan.",
             "Respecteer de balans tussen werk en privé."),
            ("Vertrekt naar een job dichter bij huis; het pendelen woog zwaar.",
             "Gezin en onregelmatig uurrooster gingen niet samen.",
             "Vraagt meer flexibele uren."),
        ),
        "fr": (
            ("Les horaires étaient incompatibles avec ma vie de famille.",
             "Le télétravail n'était pas possible, même pas un jour par semaine.",
             "Je faisais deux heures de trajet par jour.",
             "Les congés étaient souvent refusés à la dernière minute."),
            ("Communiquer les horaires plus tôt et les rendre plus flexibles.",
             "Autoriser le télétravail quand c'est possible.",
             "Respecter l'équilibre entre vie professionnelle et vie privée."),
            ("Part pour un emploi plus proche de chez lui; le trajet pesait lourd.",
             "Famille et horaires irréguliers étaient inconciliables.",
             "Demande plus de flexibilité dans les horaires."),
        ),
        "en": (
            ("The schedule could not be combined with my family life.",
             "Remote work was not allowed, not even one day a week.",
             "I had a two-hour commute every day.",
             "Leave requests were often refused at the last minute."),
            ("Publish shift schedules earlier and make them more flexible.",
             "Allow remote work where the job permits.",
             "Respect the balance between work and private life."),
            ("Leaving for a job closer to home; the commute weighed heavily.",
             "Family life and irregular shifts did not go together.",
             "Asks for more flexible hours."),
        ),
    },
    "other": {
        "nl": (
            ("Ik verhuis naar het buitenland.",
             "Ik start een voltijdse studie.",
             "Om persoonlijke redenen stop ik met werken."),
            ("Geen specifieke suggesties; het vertrek is persoonlijk.",
             "Hou contact met oud-medewerkers die na hun studie willen terugkomen.",
             "Bied een overplaatsing aan wie verhuist."),
            ("Verhuist naar Wallonië.",
             "Persoonlijke redenen; wil later eventueel terugkomen.",
             "Start in september een studie verpleegkunde."),
        ),
        "fr": (
            ("Je déménage à l'étranger.",
             "Je reprends des études.",
             "Je m'arrête pour des raisons personnelles."),
            ("Pas de suggestion particulière; le départ est personnel.",
             "Garder le contact avec les anciens qui reviennent après leurs études.",
             "Proposer une mutation à ceux qui déménagent."),
            ("Déménage en Flandre.",
             "Raisons personnelles; reviendrait peut-être plus tard.",
             "Commence des études d'infirmier en septembre."),
        ),
        "en": (
            ("I am moving abroad.",
             "I am going back to full-time studies.",
             "I am stopping for personal reasons."),
            ("No specific suggestions; the reason is personal.",
             "Keep in touch with leavers who may return after their studies.",
             "Offer a transfer to people who relocate."),
            ("Relocating to Flanders.",
             "Personal reasons; might come back later.",
             "Starting nursing studies in September."),
        ),
    },
}

# Newcomers leave over onboarding and a job that differs from the vacancy; people who
# outgrew their job leave over career.
TENURE_BY_THEME = {
    "training_onboarding": {TenureBand.UNDER_1: 0.8, TenureBand.FROM_1_TO_2: 0.2},
    "role_mismatch": {TenureBand.UNDER_1: 0.7, TenureBand.FROM_1_TO_2: 0.3},
    "growth_career": {TenureBand.FROM_1_TO_2: 0.2, TenureBand.FROM_2_TO_5: 0.55, TenureBand.FROM_5_TO_10: 0.25},
}
TENURE_DEFAULT = {
    TenureBand.UNDER_1: 0.25, TenureBand.FROM_1_TO_2: 0.25, TenureBand.FROM_2_TO_5: 0.27,
    TenureBand.FROM_5_TO_10: 0.15, TenureBand.OVER_10: 0.08,
}


@dataclass(frozen=True)
class _Step:
    """One entry of an action's history, days counted back from today."""

    days_ago: int
    status: ActionStatus
    progress: int
    note: str
    # (old, new) deadline in days from today, when this step moved the deadline.
    deadline_moved: tuple[int, int] | None = None


@dataclass(frozen=True)
class _ActionPlan:
    title: str
    description: str
    public_summary: str
    success_measure: str
    department: str | None  # None: company-wide
    themes: tuple[str, ...]
    owner: str
    deadline: int  # days from today, negative in the past
    published_days_ago: int | None
    history: tuple[_Step, ...]
    # The share of the group's leavers raising the first theme that counts as success.
    target_share: float | None = None


_P, _IP, _D, _B, _C = (
    ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.BLOCKED, ActionStatus.CANCELLED,
)

ACTIONS = (
    _ActionPlan(
        title="Structured onboarding programme for new staff",
        description=(
            "Exit interviews keep naming a chaotic first week and no training before the first shift, above "
            "all in Retail stores. Introduce a two-week onboarding programme: a buddy for every new starter, a "
            "checklist for managers and e-learning on safety (and the till in stores) before the first solo shift."
        ),
        public_summary=(
            "New colleagues now get two weeks of onboarding with a buddy, and safety training (and the till in "
            "our stores) before their first shift alone."
        ),
        success_measure="Fewer than 10% of leavers name onboarding or training; first-year leavers down by a third.",
        department=None, themes=("training_onboarding",), owner="an.janssens@example.com",
        deadline=-380, published_days_ago=520, target_share=0.10,
        history=(
            _Step(560, _P, 0, "Created after the yearly exit interview review: onboarding is the top theme in Retail stores."),
            _Step(520, _IP, 15, "Buddy role defined with three store managers; checklist drafted."),
            _Step(480, _IP, 45, "Pilot started in the Gent and Namur stores."),
            _Step(440, _IP, 80, "Pilot evaluated positively; e-learning on the till and safety ready in Dutch and French."),
            _Step(400, _D, 100, "Rolled out to all stores: every new starter now has a buddy and two weeks of onboarding."),
        ),
    ),
    _ActionPlan(
        title="Self-rostering app for store staff",
        description=(
            "Store leavers say their shifts are decided for them at short notice. Let store staff pick and "
            "swap their own shifts in a rostering app, within the staffing each store needs."
        ),
        public_summary="Store colleagues can now choose and swap their shifts themselves in the rostering app.",
        success_measure="Fewer than 15% of Retail leavers name schedules or work-life balance.",
        department="Retail stores", themes=("flexibility_balance",), owner="an.janssens@example.com",
        deadline=-260, published_days_ago=380, target_share=0.15,
        history=(
            _Step(430, _P, 0, "Created after the review of Retail exit interviews: schedules come right after onboarding."),
            _Step(380, _IP, 30, "App chosen; pilot in four stores."),
            _Step(300, _IP, 75, "Pilot extended to every store in Flanders."),
            _Step(250, _D, 100, "All stores use the app. Store managers still fix weekend shifts themselves."),
        ),
    ),
    _ActionPlan(
        title="Benchmark IT salaries against the Belgian market",
        description=(
            "IT developers leave for better pay elsewhere. Buy a salary survey for Belgian IT roles, compare "
            "every IT salary band with it and correct the bands that sit below the median."
        ),
        public_summary="We compared IT salaries with the Belgian market and raised the salary bands that were below it.",
        success_measure="All IT salary bands at or above the market median; pay named by fewer than 25% of IT leavers.",
        department="IT", themes=("pay_benefits",), owner="emma.vermeulen@example.com",
        deadline=-300, published_days_ago=390, target_share=0.25,
        history=(
            _Step(420, _P, 0, "Created after IT leavers repeatedly named salary as their main reason."),
            _Step(390, _IP, 20, "Salary survey purchased; results expected in six weeks."),
            _Step(330, _IP, 60, "Survey results in: four of the seven IT bands sit below the median."),
            _Step(305, _B, 60, "Waiting for the budget decision of the executive committee."),
            _Step(290, _D, 100, "Budget approved; the new bands apply from the next payroll. Ten days late because of the budget round."),
        ),
    ),
    _ActionPlan(
        title="Feedback training for warehouse team leads",
        description=(
            "Warehouse operators describe team leads who give no feedback and only speak up when something "
            "goes wrong. Train every team lead in Logistics in giving feedback and holding short one-to-ones."
        ),
        public_summary=(
            "All team leads in our warehouses followed a training on giving feedback and now hold a monthly "
            "one-to-one with each team member."
        ),
        success_measure="Every team lead trained; average manager support score of Logistics leavers above 3.",
        department="Logistics", themes=("management",), owner="pieter.desmet@example.com",
        deadline=-150, published_days_ago=340,
        history=(
            _Step(380, _P, 0, "Created after the review of Logistics exit interviews: management is named in half of them."),
            _Step(340, _IP, 10, "Training partner selected; sessions planned per shift."),
            _Step(260, _IP, 50, "Day and evening shift team leads trained."),
            _Step(200, _IP, 85, "Night shift sessions done; one-to-one template shared."),
            _Step(160, _D, 100, "All 14 team leads trained; one-to-ones running in every shift."),
        ),
    ),
    _ActionPlan(
        title="Publish shift schedules four weeks ahead",
        description=(
            "Leavers in stores, warehouses and production say they cannot plan family life because schedules "
            "come out a few days ahead. Publish shift schedules at least four weeks in advance and handle "
            "swaps in the planning tool."
        ),
        public_summary="Shift schedules now come out at least four weeks ahead, and you can ask for a swap in the planning tool.",
        success_measure="95% of schedules published four weeks ahead; schedules named by fewer leavers.",
        department=None, themes=("flexibility_balance",), owner="owner@example.com",
        deadline=-240, published_days_ago=400,
        history=(
            _Step(430, _P, 0, "Created after the company-wide review: schedules come up in every shift-based department."),
            _Step(400, _IP, 25, "Planning tool configured for swaps; pilot in Production."),
            _Step(330, _IP, 60, "Logistics and Production publish four weeks ahead."),
            _Step(250, _D, 100, "All stores are on the four-week rhythm as well."),
        ),
    ),
    _ActionPlan(
        title="Technical career ladder for IT developers",
        description=(
            "IT leavers say the only way up is into management. Define a technical career ladder (junior, "
            "medior, senior, lead) with clear criteria per level and link it to the salary bands."
        ),
        public_summary="We are building a career path for developers that lets you grow without becoming a manager.",
        success_measure="Ladder published; every developer has had a career conversation; growth named by fewer IT leavers.",
        department="IT", themes=("growth_career",), owner="emma.vermeulen@example.com",
        deadline=60, published_days_ago=110,
        history=(
            _Step(200, _P, 0, "Created after the IT review: career is now the first reason to leave."),
            _Step(170, _IP, 15, "Workshop with senior developers on the levels."),
            _Step(110, _IP, 35, "Criteria per level drafted."),
            _Step(40, _IP, 55, "Draft reviewed by the IT management team; career conversations planned."),
        ),
    ),
    _ActionPlan(
        title="Peer recognition programme in Customer service",
        description=(
            "Agents say good work goes unnoticed. Share customer compliments with the whole team every week "
            "and start a monthly round in which colleagues nominate each other for a thank-you."
        ),
        public_summary=(
            "Customer compliments are now shared with the whole team every week, and each month colleagues "
            "nominate each other for a thank-you."
        ),
        success_measure="Recognition named by fewer than 30% of Customer service leavers; nominations every month in every team.",
        department="Customer service", themes=("recognition",), owner="nathalie.lejeune@example.com",
        deadline=30, published_days_ago=100, target_share=0.30,
        history=(
            _Step(150, _P, 0, "Created after the Customer service review: recognition and workload top the list."),
            _Step(120, _IP, 20, "Compliments channel opened."),
            _Step(60, _IP, 40, "First two nomination rounds held."),
        ),
    ),
    _ActionPlan(
        title="Reduce warehouse overtime with a flexible staff pool",
        description=(
            "Warehouse leavers name overtime and understaffing. Build a pool of trained flexible workers and "
            "students to absorb the peaks, so overtime stays below 5% of the hours worked."
        ),
        public_summary="We are building a pool of flexible colleagues for the peaks in the warehouses, so overtime goes down.",
        success_measure="Overtime below 5% of hours for three months in a row.",
        department="Logistics", themes=("workload_autonomy",), owner="pieter.desmet@example.com",
        deadline=-20, published_days_ago=200,
        history=(
            _Step(240, _P, 0, "Created after the Logistics review: workload is named in most exit interviews."),
            _Step(210, _IP, 20, "Agreement with the interim agency on a fixed pool."),
            _Step(130, _IP, 45, "Twelve flexible workers trained."),
            _Step(70, _IP, 60, "Deadline moved by six weeks: the peak season delayed the training of the second group.",
                  deadline_moved=(-60, -20)),
            _Step(30, _IP, 70, "Overtime down to 8%; second group in training."),
        ),
    ),
    _ActionPlan(
        title="Hire six extra agents for peak hours",
        description=(
            "Customer service agents describe constant pressure between 9 and 11 and on Mondays. Hire six "
            "agents for the peak hours and adjust the call routing."
        ),
        public_summary=(
            "We plan to strengthen the Customer service team at peak hours. Hiring is on hold while the "
            "budget is reviewed."
        ),
        success_measure="Average waiting time below 2 minutes at peak hours; workload named by fewer Customer service leavers.",
        department="Customer service", themes=("workload_autonomy",), owner="nathalie.lejeune@example.com",
        deadline=-10, published_days_ago=150,
        history=(
            _Step(180, _P, 0, "Created after the Customer service review."),
            _Step(150, _IP, 15, "Vacancies drafted; call data analysed."),
            _Step(110, _IP, 25, "Two candidates selected."),
            _Step(80, _B, 25, "Hiring freeze announced by the executive committee; recruitment on hold until the budget review."),
        ),
    ),
    _ActionPlan(
        title="Introduce a cafeteria plan for fringe benefits",
        description=(
            "Leavers across departments compare our fringe benefits unfavourably. Introduce a cafeteria plan "
            "so staff can choose between extra leave days, an e-bike lease or a higher pension contribution, "
            "within the existing budget."
        ),
        public_summary="We are working on a cafeteria plan that lets you choose your own fringe benefits.",
        success_measure="Plan live; at least 40% of staff make a choice in the first year.",
        department=None, themes=("pay_benefits", "flexibility_balance"), owner="owner@example.com",
        deadline=45, published_days_ago=None,
        history=(
            _Step(210, _P, 0, "Created after the company-wide review of pay-related exits."),
            _Step(180, _IP, 20, "Payroll provider consulted on the options."),
            _Step(120, _IP, 30, "Proposal discussed with the trade union delegation."),
            _Step(90, _B, 30, "Waiting for an agreement with the trade union delegation in the works council."),
        ),
    ),
    _ActionPlan(
        title="Quarterly team days for the night shift",
        description=(
            "Production leavers from the night shift feel cut off from the rest of the company. Organise a team "
            "day every quarter during paid hours and invite night shift operators to the monthly information sessions."
        ),
        public_summary=(
            "Night shift colleagues will get a team day every quarter and a seat at the monthly information sessions."
        ),
        success_measure="Four team days a year; culture named by fewer night shift leavers.",
        department="Production", themes=("culture_engagement",), owner="karim.benali@example.com",
        deadline=90, published_days_ago=None,
        history=(
            _Step(30, _P, 0, "Created after the autumn review of Production exit interviews."),
        ),
    ),
    _ActionPlan(
        title="Stay interviews in every team",
        description=(
            "Most leavers never told their manager why they were unhappy. Every team lead holds a short stay "
            "interview with each team member once a year, using a common guide."
        ),
        public_summary=(
            "Your team lead will ask what keeps you here and what would make you leave, so we can act before it is too late."
        ),
        success_measure="Stay interviews held with 80% of staff within the year.",
        department=None, themes=("management", "culture_engagement"), owner="owner@example.com",
        deadline=-5, published_days_ago=None,
        history=(
            _Step(60, _P, 0, "Created by HR; the interview guide still needs to be written."),
            _Step(20, _P, 0, "Guide drafted; waiting for feedback from two team leads before the start."),
        ),
    ),
    _ActionPlan(
        title="Fair weekend rota in the stores",
        description=(
            "Store staff leave because the same people always work on Saturdays. Introduce a rota that spreads "
            "weekend shifts evenly and lets staff ask for one free weekend a month."
        ),
        public_summary="Weekend shifts in the stores will be shared more evenly, with one free weekend a month on request.",
        success_measure="No store associate works more than three Saturdays a month.",
        department="Retail stores", themes=("flexibility_balance",), owner="an.janssens@example.com",
        deadline=120, published_days_ago=None,
        history=(
            _Step(25, _P, 0, "Created after the Retail review: weekend work is now the second theme."),
            _Step(10, _P, 10, "Rota rules drafted with two store managers."),
        ),
    ),
    _ActionPlan(
        title="Four-day week pilot in Finance",
        description=(
            "Finance leavers name the lack of flexibility around the month-end closing. Pilot a four-day week "
            "for the accounting team."
        ),
        public_summary=(
            "We will not run the four-day week pilot in Finance. Instead, Finance colleagues can now work from "
            "home up to three days a week."
        ),
        success_measure="Pilot evaluated after six months.",
        department="Finance", themes=("flexibility_balance",), owner="owner@example.com",
        deadline=-150, published_days_ago=250,
        history=(
            _Step(330, _P, 0, "Created after the Finance review."),
            _Step(300, _IP, 10, "Pilot design discussed with the Finance team."),
            _Step(250, _C, 10, "Cancelled: the month-end closing cannot be covered in four days. Replaced by the new remote work policy."),
        ),
    ),
    _ActionPlan(
        title="Raise the night shift premium",
        description=(
            "Night shift operators in Production say the premium does not make up for the hours. Raise the night "
            "shift premium by 10%."
        ),
        public_summary=(
            "The night shift premium goes up through the new sector agreement, so this company action is no longer needed."
        ),
        success_measure="Premium raised; pay named by fewer night shift leavers.",
        department="Production", themes=("pay_benefits",), owner="karim.benali@example.com",
        deadline=-60, published_days_ago=200,
        history=(
            _Step(260, _P, 0, "Created after the Production review."),
            _Step(230, _IP, 20, "Cost calculation sent to Finance."),
            _Step(200, _C, 20, "Cancelled: the new sector agreement of the joint committee raises the premium for the whole sector."),
        ),
    ),
    _ActionPlan(
        title="Rewrite job descriptions for store and warehouse vacancies",
        description=(
            "Leavers say the job was not what the vacancy described. Rewrite the vacancy texts and job "
            "descriptions of the five largest roles with people who do the job, less attractive tasks included."
        ),
        public_summary="We are rewriting our vacancies with colleagues who do the job, so new people know what to expect.",
        success_measure="New descriptions for the five largest roles; role mismatch named by fewer first-year leavers.",
        department=None, themes=("role_mismatch",), owner="an.janssens@example.com",
        deadline=-40, published_days_ago=130,
        history=(
            _Step(160, _P, 0, "Created after the company-wide review of first-year leavers."),
            _Step(130, _IP, 20, "Workshops with store associates and warehouse operators planned."),
            _Step(75, _IP, 60, "Three of the five descriptions rewritten."),
        ),
    ),
)


def _names(names: tuple[str, str, str] | None) -> dict[str, str]:
    return dict(zip(("name_nl", "name_fr", "name_en"), names, strict=True)) if names else {}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


async def _holds_demo_data(session: AsyncSession) -> bool:
    """Whether earlier demo data is there; raises DemoRefused when the database holds real data."""

    def count(model: type, *where: object) -> object:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    row = (await session.execute(select(
        count(User, User.is_demo.is_(False)),
        count(User, User.is_demo.is_(True)),
        count(Department),
        count(JobFamily),
        count(ExitInterview),
        count(ActionItem),
        count(StayInterview),
    ))).one()
    real_users, demo_users, *records = row
    if real_users:
        raise DemoRefused(
            f"The database holds {_counted(real_users, 'real user account', 'real user accounts')} (not demo users); "
            "refusing to load demo data."
        )
    if not demo_users and any(records):
        nouns = (
            ("department", "departments"), ("job family", "job families"),
            ("exit interview", "exit interviews"), ("action", "actions"), ("stay interview", "stay interviews"),
        )
        held = ", ".join(_counted(count, *noun) for count, noun in zip(records, nouns, strict=True) if count)
        raise DemoRefused(f"The database holds {held} but no demo users; refusing to overwrite real data.")
    return demo_users > 0


async def _delete_demo_data(session: AsyncSession) -> None:
    """Empty every table that demo users can have filled, children before parents; themes stay."""
    for model in (
        ActionEvidence, ActionUpdate, ActionTheme, ActionItem, InterviewTheme, ExitInterview, StayInterviewTheme,
        StayInterview, SurveyInvitation,
        AuditEvent, LoginFailure, UserToken, ApiToken, User, JobFamily, Department,
    ):
        await session.execute(delete(model))


def _theme_weights(*, profile: _DepartmentProfile, days_ago: int) -> dict[str, float]:
    weights = dict(profile.themes)
    for department, theme, since, before, after in THEME_TRENDS:
        if department == profile.name:
            weights[theme] = before if days_ago > since else after
    return weights


def _exit_date(rng: random.Random, *, today: date, days: tuple[int, int]) -> date:
    """A weekday in the window: contracts in the demo end on working days."""
    while True:
        day = today - timedelta(days=rng.randint(*days))
        if day.weekday() < 5:
            return day


def _interview_themes(rng: random.Random, *, weights: dict[str, float]) -> list[str]:
    themes = [_pick(rng, weights)]
    wanted = rng.choices((1, 2, 3), weights=(0.45, 0.4, 0.15))[0]
    # "Other" (moving, studies) is a reason on its own, never an extra one.
    extra = {code: weight for code, weight in weights.items() if code not in themes and code != "other"}
    while len(themes) < wanted and extra:
        code = _pick(rng, extra)
        themes.append(code)
        del extra[code]
    return themes


def _scores(rng: random.Random, *, themes: list[str]) -> dict[str, object]:
    """Scores and answers that agree with the themes (a management exit scores the manager low)."""
    tasks = rng.choice((3, 4, 4, 5))
    manager = rng.choice((3, 3, 4, 4, 5))
    training = rng.choice((3, 4, 4, 5))
    recognition = rng.choice((2, 3, 3, 4, 4))
    if "management" in themes:
        manager = rng.choice((1, 1, 2))
    if "workload_autonomy" in themes:
        manager = min(manager, rng.choice((2, 3, 3)))
    if "training_onboarding" in themes:
        training = rng.choice((1, 2, 2))
    if "recognition" in themes:
        recognition = rng.choice((1, 1, 2))
    if "role_mismatch" in themes:
        tasks = rng.choice((1, 2, 2))
    if "growth_career" in themes:
        recognition = min(recognition, rng.choice((2, 3)))
        tasks = min(tasks, rng.choice((3, 4)))
    average = (tasks + manager + training + recognition) / 4
    recommend = round(2.5 * average) - 3 + rng.randint(-2, 2)
    if themes == ["other"]:
        recommend += 2
    recommend = max(0, min(10, recommend))
    if recommend >= 8:
        would_return = WouldReturn.YES
    elif recommend >= 5:
        would_return = WouldReturn.MAYBE
    else:
        would_return = WouldReturn.NO
    if "pay_benefits" in themes:
        pay_factor = PayFactor.YES if rng.random() < 0.8 else PayFactor.PARTLY
    else:
        pay_factor = PayFactor.PARTLY if rng.random() < 0.2 else PayFactor.NO
    return {
        "tasks_match_score": tasks,
        "manager_support_score": manager,
        "training_score": training,
        "recognition_score": recognition,
        "recommend_score": recommend,
        "would_return": would_return,
        "pay_factor": pay_factor,
    }


def _answers(rng: random.Random, *, themes: list[str], language: str, with_notes: bool) -> dict[str, str]:
    """Free-text answers in the leaver's language, built from the phrases of the linked themes."""
    reasons = [rng.choice(PHRASES[themes[0]][language][0])]
    if len(themes) > 1 and rng.random() < 0.6:
        reasons.append(rng.choice(PHRASES[themes[1]][language][0]))
    suggestion = rng.choice(PHRASES[rng.choice(themes)][language][1])
    notes = rng.choice(PHRASES[rng.choice(themes)][language][2]) if with_notes else ""
    return {"reason_for_leaving": " ".join(reasons), "improvement_suggestion": suggestion, "notes": notes}


def _interviews(
    *, seed: int, today: date, departments: dict[str, Department], job_families: dict[str, JobFamily],
    interviewers: list[User], theme_ids: dict[str, int],
) -> list[tuple[ExitInterview, list[int]]]:
    """Every demo leaver's interview with the ids of its themes, oldest first."""
    interviews = []
    for profile in DEPARTMENTS:
        # One random stream per department, so tuning one department leaves the others as they are.
        rng = random.Random(f"{seed}:{profile.name}")
        exit_dates = [
            _exit_date(rng, today=today, days=window)
            for count, window in ((profile.recent_leavers, (1, RECENT_DAYS)), (profile.older_leavers, OLDER_DAYS))
            for _ in range(count)
        ]
        interviews.extend(_interview(
            rng, profile=profile, exit_date=exit_date, today=today, departments=departments,
            job_families=job_families, interviewers=interviewers, theme_ids=theme_ids,
        ) for exit_date in exit_dates)
    interviews.sort(key=lambda item: (item[0].exit_date, item[0].department_id))
    return interviews


def _interview(
    rng: random.Random, *, profile: _DepartmentProfile, exit_date: date, today: date,
    departments: dict[str, Department], job_families: dict[str, JobFamily], interviewers: list[User],
    theme_ids: dict[str, int],
) -> tuple[ExitInterview, list[int]]:
    """One leaver's interview or survey, with the ids of the themes it raised."""
    themes = _interview_themes(rng, weights=_theme_weights(profile=profile, days_ago=(today - exit_date).days))
    language = _pick(rng, profile.languages)
    tenure = _pick(rng, TENURE_BY_THEME.get(themes[0], TENURE_DEFAULT))
    by_interview = rng.random() < 0.65
    if by_interview:
        # Interviews happen during the notice period, before the last day.
        recorded = exit_date - timedelta(days=rng.randint(0, 10))
        interviewer_id = interviewers[0].id if rng.random() < 0.7 else interviewers[1].id
    else:
        # The survey link goes out on the last day and comes back within a week.
        recorded = min(exit_date + timedelta(days=rng.randint(0, 7)), today - timedelta(days=1))
        interviewer_id = None
    # A survey answer keeps only its day (midnight UTC), as the app records it: nothing joins it to its link.
    recorded_at = _at(recorded, 14) if by_interview else datetime.combine(recorded, time(), tzinfo=UTC)
    interview = ExitInterview(
        department_id=departments[profile.name].id,
        job_family_id=job_families[_pick(rng, profile.job_families)].id,
        tenure_band=tenure,
        exit_date=exit_date,
        channel=Channel.INTERVIEW if by_interview else Channel.SURVEY,
        language=language,
        interviewer_id=interviewer_id,
        created_at=recorded_at,
        updated_at=recorded_at,
        **_scores(rng, themes=themes),
        **_answers(rng, themes=themes, language=language, with_notes=by_interview),
    )
    return interview, [theme_ids[code] for code in themes]


def _action(
    plan: _ActionPlan, *, today: date, departments: dict[str, Department], owner: User, creator: User,
) -> ActionItem:
    """The action as it stands today, after the last step of its history."""
    last = plan.history[-1]
    created_on = today - timedelta(days=plan.history[0].days_ago)
    title_nl, summary_nl, title_fr, summary_fr = demo_texts.ACTION_TEXTS.get(plan.title, ("", "", "", ""))
    return ActionItem(
        title_nl=title_nl, title_fr=title_fr, title_en=plan.title,
        description=plan.description,
        public_summary_nl=summary_nl, public_summary_fr=summary_fr, public_summary_en=plan.public_summary,
        success_measure=plan.success_measure,
        target_share=plan.target_share,
        scope=Scope.DEPARTMENT if plan.department else Scope.COMPANY,
        department_id=departments[plan.department].id if plan.department else None,
        owner_id=owner.id,
        deadline=today + timedelta(days=plan.deadline),
        status=last.status,
        progress=last.progress,
        published=plan.published_days_ago is not None,
        published_at=(
            _at(today - timedelta(days=plan.published_days_ago), 11) if plan.published_days_ago is not None else None
        ),
        completed_on=today - timedelta(days=last.days_ago) if last.status == ActionStatus.DONE else None,
        version=1,
        created_by_id=creator.id,
        created_at=_at(created_on, 9),
        updated_at=_at(today - timedelta(days=last.days_ago), 10),
    )


def _evidence(
    plan: _ActionPlan, *, action: ActionItem, today: date, interviews: list[tuple[ExitInterview, list[int]]],
    theme_ids: dict[str, int],
) -> ActionEvidence:
    """Why the action exists: its group's leavers in the six months before it was created."""
    created_on = today - timedelta(days=plan.history[0].days_ago)
    period_start, period_end = created_on - timedelta(days=182), created_on - timedelta(days=1)
    theme_id = theme_ids[plan.themes[0]]
    # Counted the way themes.theme_evidence counts: exit dates within the period, both ends included.
    group = [
        ids for interview, ids in interviews
        if period_start <= interview.exit_date <= period_end
        and (action.department_id is None or interview.department_id == action.department_id)
    ]
    return ActionEvidence(
        action_id=action.id,
        theme_id=theme_id,
        period_start=period_start,
        period_end=period_end,
        raised_count=sum(theme_id in ids for ids in group),
        leavers_count=len(group),
        created_at=action.created_at,
    )


def _history(plan: _ActionPlan, *, action: ActionItem, today: date, author: User) -> list[ActionUpdate]:
    """The action's updates, the first one being its creation."""
    updates = []
    before: _Step | None = None
    # The deadline at creation: before the first move, if it was moved.
    moves = [step.deadline_moved for step in plan.history if step.deadline_moved]
    created_deadline = today + timedelta(days=moves[0][0]) if moves else action.deadline
    for step in plan.history:
        moved = step.deadline_moved
        updates.append(ActionUpdate(
            action_id=action.id,
            author_id=author.id,
            status_before=before.status if before else None,
            status_after=step.status,
            progress_before=before.progress if before else None,
            progress_after=step.progress,
            deadline_before=today + timedelta(days=moved[0]) if moved else None,
            # The creation entry names the owner and the deadline, as the app's own first entry does.
            deadline_after=today + timedelta(days=moved[1]) if moved else None if before else created_deadline,
            owner_after_id=None if before else action.owner_id,
            note=step.note,
            created_at=_at(today - timedelta(days=step.days_ago), 10),
        ))
        before = step
    return updates


async def load_demo(session: AsyncSession, *, today: date, seed: int = 2026) -> DemoSummary:
    """Replace any earlier demo data with a fresh demo organisation; refuse to touch real data."""
    if await _holds_demo_data(session):
        await _delete_demo_data(session)
    themes = (await session.execute(select(Theme.code, Theme.id))).all()
    theme_ids = {code: theme_id for code, theme_id in themes}
    missing = sorted(set(PHRASES) - set(theme_ids))
    if missing:
        raise LookupError(f"themes missing from the database: {', '.join(missing)} (run the migrations first)")

    # One argon2 hash for all demo users: hashing is slow on purpose.
    password_hash = hash_password(DEMO_PASSWORD)
    joined = _at(today - timedelta(days=800), 8)
    users = {
        email: User(
            email=email, display_name=name, role=role, language=language,
            password_hash=password_hash, is_demo=True, created_at=joined,
        )
        for email, role, name, language in USERS
    }
    departments = {profile.name: Department(name=profile.name, headcount=profile.headcount,
                                            **_names(demo_texts.DEPARTMENT_NAMES.get(profile.name)))
                   for profile in DEPARTMENTS}
    job_families = {name: JobFamily(name=name, **_names(demo_texts.JOB_FAMILY_NAMES.get(name))) for name in JOB_FAMILIES}
    session.add_all([*users.values(), *departments.values(), *job_families.values()])
    await session.flush()

    hr_users = [users[email] for email, role, *_ in USERS if role == Role.HR]
    interviews = _interviews(
        seed=seed, today=today, departments=departments, job_families=job_families,
        interviewers=hr_users, theme_ids=theme_ids,
    )
    actions = [
        (plan, _action(plan, today=today, departments=departments, owner=users[plan.owner], creator=hr_users[0]))
        for plan in ACTIONS
    ]
    # Stay conversations are held by HR and by managers (the action owners).
    recorders = [*hr_users, *(users[email] for email, role, *_ in USERS if role == Role.OWNER)]
    stays = stay_interviews(
        seed=seed, today=today, profiles=DEPARTMENTS, departments=departments, job_families=job_families,
        recorders=recorders, theme_ids=theme_ids, suggestions=PHRASES,
    )
    session.add_all([interview for interview, _ in interviews])
    session.add_all([action for _, action in actions])
    session.add_all([interview for interview, _ in stays])
    await session.flush()

    links: list[object] = [
        InterviewTheme(interview_id=interview.id, theme_id=theme_id)
        for interview, ids in interviews
        for theme_id in ids
    ]
    links.extend(
        StayInterviewTheme(stay_interview_id=interview.id, theme_id=theme_id)
        for interview, ids in stays
        for theme_id in ids
    )
    for plan, action in actions:
        links.extend(ActionTheme(action_id=action.id, theme_id=theme_ids[code]) for code in plan.themes)
        links.extend(_history(plan, action=action, today=today, author=users[plan.owner]))
        links.append(_evidence(plan, action=action, today=today, interviews=interviews, theme_ids=theme_ids))
    session.add_all(links)
    await session.flush()

    return DemoSummary(
        departments=len(departments),
        job_families=len(job_families),
        users=[(email, role.value, name) for email, role, name, _ in USERS],
        interviews=len(interviews),
        actions=len(actions),
        stay_interviews=len(stays),
    )
