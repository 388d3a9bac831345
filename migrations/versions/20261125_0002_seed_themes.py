"""seed the theme taxonomy

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# code, names (nl, fr, en), descriptions (nl, fr, en), keyword stems (nl, fr, en)
THEMES = [
    (
        "pay_benefits",
        ("Loon en voordelen", "Salaire et avantages", "Pay and benefits"),
        (
            "Loon, bonussen, extralegale voordelen en hoe ze zich verhouden tot de markt.",
            "Salaire, primes, avantages extralégaux et leur position sur le marché.",
            "Salary, bonuses, fringe benefits and how they compare with the market.",
        ),
        (
            "loon,lonen,salaris,verloning,bonus,premie,maaltijdcheque,voordelen,bedrijfswagen",
            "salaire,remuneration,paie,prime,bonus,avantage,cheque-repas,voiture de societe",
            "pay,salary,wage,bonus,benefit,compensation,raise,company car",
        ),
    ),
    (
        "management",
        ("Leidinggeven en communicatie", "Management et communication", "Management and communication"),
        (
            "Steun van de leidinggevende, feedback, duidelijke communicatie en vertrouwen.",
            "Soutien du responsable, feedback, communication claire et confiance.",
            "Support from the manager, feedback, clear communication and trust.",
        ),
        (
            "leidinggevende,chef,baas,manager,communicatie,feedback,vertrouwen,micromanagement",
            "manager,responsable,chef,direction,communication,feedback,confiance,microgestion",
            "manager,boss,supervisor,leadership,communication,feedback,trust,micromanag",
        ),
    ),
    (
        "growth_career",
        ("Groei en loopbaan", "Évolution et carrière", "Growth and career"),
        (
            "Doorgroeimogelijkheden, promoties en een duidelijk loopbaanpad.",
            "Possibilités d'évolution, promotions et parcours de carrière clair.",
            "Room to grow, promotions and a clear career path.",
        ),
        (
            "groei,doorgroei,loopbaan,carriere,promotie,perspectief,toekomst",
            "evolution,carriere,promotion,perspective,avenir,progression",
            "growth,grow,career,promotion,progression,future,advancement",
        ),
    ),
    (
        "recognition",
        ("Erkenning", "Reconnaissance", "Recognition"),
        (
            "Waardering en erkenning voor goed werk.",
            "Reconnaissance et valorisation du travail bien fait.",
            "Appreciation and recognition for good work.",
        ),
        (
            "erkenning,waardering,gewaardeerd,appreciatie,bedankt,onzichtbaar",
            "reconnaissance,reconnu,valorisation,apprecie,merci,invisible",
            "recognition,recognised,recognized,appreciat,valued,thank,unnoticed",
        ),
    ),
    (
        "training_onboarding",
        ("Opleiding en onthaal", "Formation et accueil", "Training and onboarding"),
        (
            "De start in de job, opleidingen en begeleiding.",
            "Les débuts dans le poste, les formations et l'accompagnement.",
            "Starting in the job, training and coaching.",
        ),
        (
            "opleiding,training,onthaal,inwerk,begeleiding,coaching,leren",
            "formation,accueil,integration,onboarding,accompagnement,apprendre",
            "training,onboarding,induction,coaching,learn,mentor",
        ),
    ),
    (
        "workload_autonomy",
        ("Werkdruk en autonomie", "Charge de travail et autonomie", "Workload and autonomy"),
        (
            "Hoeveelheid werk, stress en de vrijheid om zelf keuzes te maken.",
            "Volume de travail, stress et liberté de décider soi-même.",
            "Amount of work, stress and the freedom to make one's own decisions.",
        ),
        (
            "werkdruk,stress,overuren,burn-out,burnout,onderbezetting,autonomie,zelfstandig",
            "charge,stress,heures supplementaires,burn-out,surcharge,autonomie,sous-effectif",
            "workload,stress,overtime,burnout,burn-out,understaff,autonomy,pressure",
        ),
    ),
    (
        "culture_engagement",
        ("Cultuur en betrokkenheid", "Culture et engagement", "Culture and engagement"),
        (
            "Sfeer, collega's, waarden en de band met de organisatie.",
            "Ambiance, collègues, valeurs et lien avec l'organisation.",
            "Atmosphere, colleagues, values and the bond with the organisation.",
        ),
        (
            "sfeer,cultuur,collega,team,waarden,betrokkenheid,pesten",
            "ambiance,culture,collegue,equipe,valeurs,engagement,harcelement",
            "culture,atmosphere,colleague,team,values,engagement,toxic,bullying",
        ),
    ),
    (
        "role_mismatch",
        ("Functie past niet", "Inadéquation du poste", "Role mismatch"),
        (
            "De job bleek anders dan beschreven of paste niet bij de persoon.",
            "Le poste ne correspondait pas à la description ou à la personne.",
            "The job turned out different from its description or did not fit the person.",
        ),
        (
            "functieomschrijving,vacature,verwachting,takenpakket,niet wat",
            "description de poste,offre,attente,taches,pas ce que",
            "job description,expectation,not what,different from,tasks",
        ),
    ),
    (
        "flexibility_balance",
        (
            "Flexibiliteit en balans werk-privé",
            "Flexibilité et équilibre vie pro-vie privée",
            "Flexibility and work-life balance",
        ),
        (
            "Thuiswerk, uurroosters, verlof en combinatie met het gezin.",
            "Télétravail, horaires, congés et conciliation avec la famille.",
            "Working from home, schedules, leave and combining work with family.",
        ),
        (
            "thuiswerk,telewerk,flexibel,uurrooster,verlof,gezin,pendel,balans",
            "teletravail,flexib,horaire,conge,famille,trajet,equilibre",
            "remote,home working,flexib,schedule,shift,leave,family,commute,balance",
        ),
    ),
    (
        "other",
        ("Andere", "Autre", "Other"),
        (
            "Redenen die bij geen ander thema passen (verhuis, studies, persoonlijke redenen).",
            "Raisons qui ne relèvent d'aucun autre thème (déménagement, études, raisons personnelles).",
            "Reasons that fit no other theme (moving, studies, personal reasons).",
        ),
        ("verhuis,studie,persoonlijk", "demenage,etudes,personnel", "moving,relocat,studies,personal"),
    ),
]


def upgrade() -> None:
    theme = sa.table(
        "theme",
        *(sa.column(name) for name in (
            "code", "name_nl", "name_fr", "name_en", "description_nl", "description_fr",
            "description_en", "keywords_nl", "keywords_fr", "keywords_en", "position", "active",
        )),
    )
    rows = []
    for position, (code, names, descriptions, keywords) in enumerate(THEMES, start=1):
        row = {"code": code, "position": position, "active": True}
        for index, language in enumerate(("nl", "fr", "en")):
            row[f"name_{language}"] = names[index]
            row[f"description_{language}"] = descriptions[index]
            row[f"keywords_{language}"] = keywords[index]
        rows.append(row)
    op.bulk_insert(theme, rows)


def downgrade() -> None:
    codes = ", ".join(f"'{code}'" for code, *_ in THEMES)
    op.execute(f"DELETE FROM theme WHERE code IN ({codes})")
