"""more keywords for the seeded themes: inflections, everyday and regional words, phrases of several words

Measured on the hand-tagged answers of tests/samples/theme_answers.tsv (python -m bench themes).
Keywords are added to what HR keeps on /themes, never replacing it: a keyword HR already has (or
typed before) stays as it is; the downgrade removes the keywords of this list.

Revision ID: 0026
Revises: 0019
Create Date: 2026-12-07 19:30:00
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0026'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# code -> (nl, fr, en) keywords added (stems: a keyword matches the words that start with it)
ADDED = {
    "pay_benefits": (
        "verdien,betaald,uitbetaal,opslag,geld,hospitalisatie,groepsverzekering,ecocheque,tankkaart,"
        "vergoeding,barema",
        "augmentation,gagn,paye,argent,hospitalisation,bareme,indemnite,remunere,eco-cheque",
        "paid,money,earn,meal voucher,insurance,pension,allowance,underpaid,salaries",
    ),
    "management": (
        "leiding,directie,teamleider,teamleader,verantwoordelijke,diensthoofd,communic,luister,overleg",
        "chef d'equipe,responsable d'equipe,hierarchie,superieur,encadrement,management,communiqu,consult,"
        "ecoute,fliqu",
        "management,team lead,my lead,our lead,line manager,communicat,listen",
    ),
    "growth_career": (
        "uitdaging,ontwikkelen,ontwikkeling,bijleren,evolutie,stilstand,stilstaan,vastgeroest",
        "defi,developper,developpement,evolu,plafonn,promouv,monter en grade,tourne en rond,tournais en rond",
        "development,prospect,way up,next step,ceiling,move up,moving up,challeng,internal vacanc,new skills,"
        "stagnat,dead end,dead-end",
    ),
    "recognition": (
        "schouderklop,dank,merci,opgemerkt,beloon,waardeer,erkend",
        "valoris,remerci,consideration",
        "credit,unappreciated,undervalued,noticed,acknowledg,praise",
    ),
    "training_onboarding": (
        "bijleren,vorming,opgeleid,cursus",
        "me former,se former,formateur,cours,tutorat,parrain",
        "trained,course,certification",
    ),
    "workload_autonomy": (
        "te veel werk,te druk,werklast,overbelast,uitgeput,opgebrand,blussen,adempauze,deadline",
        "pression,epuis,trop de travail,surmenage,debord,rythme",
        "too much work,exhausted,burned out,burnt out,deadline,overwork,too few people,targets,no say",
    ),
    "culture_engagement": (
        "gepest,roddel,uitgesloten,ieder voor zich",
        "clan,sexis,racis,chacun pour soi",
        "racis,sexis,gossip,excluded,belong,poison,blame",
    ),
    "role_mismatch": (
        "niet de job,anders dan,klopte niet,aangenomen als,sollicitatie",
        "annonce,correspond pas,correspondait pas,correspondaient pas,rien a voir avec,engage comme,engagee comme",
        "nothing like,hired for,hired as,sold as,turned out",
    ),
    "flexibility_balance": (
        "file,vier vijfde,deeltijd,halftijd,kinderen,weekendwerk,shift,dichter bij huis,combineren",
        "mi-temps,temps partiel,quatre cinquiemes,souplesse,enfants,creche",
        "part-time,four days,parental,kids,children,from home,roster,weekend,closer to home,childcare,"
        "office hours,fixed hours",
    ),
    "other": (
        "verhuiz,studeren,gezondheid,pensioen,zelfstandige,buitenland,ziekte",
        "demenag,sante,retraite,independant,etranger,m'installe",
        "university,health,retir,travel,abroad,own business,emigrat",
    ),
}
LANGUAGES = ("nl", "fr", "en")


def _fold(keyword: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(keyword.split()))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _change(add: bool) -> None:
    theme = sa.table("theme", sa.column("id"), sa.column("code"),
                     *(sa.column(f"keywords_{language}") for language in LANGUAGES))
    connection = op.get_bind()
    for row in connection.execute(sa.select(theme).where(theme.c.code.in_(list(ADDED)))).mappings():
        values = {}
        for index, language in enumerate(LANGUAGES):
            kept = [keyword.strip() for keyword in (row[f"keywords_{language}"] or "").split(",") if keyword.strip()]
            ours = ADDED[row["code"]][index].split(",")
            if add:
                have = {_fold(keyword) for keyword in kept}
                kept += [keyword for keyword in ours if _fold(keyword) not in have]
            else:
                added = {_fold(keyword) for keyword in ours}
                kept = [keyword for keyword in kept if _fold(keyword) not in added]
            values[f"keywords_{language}"] = ",".join(kept)
        connection.execute(sa.update(theme).where(theme.c.id == row["id"]).values(**values))


def upgrade() -> None:
    _change(add=True)


def downgrade() -> None:
    _change(add=False)
