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
        "vergoeding,barema,wedde,bezoldiging,bruto,netto,extralega",
        "augmentation,gagn,paye,argent,hospitalisation,bareme,indemnite,remunere,eco-cheque,brut,"
        "extralega",
        "paid,money,earn,meal voucher,insurance,pension,allowance,underpaid,salaries,package,income,"
        "remuneration,pay rise",
    ),
    "management": (
        "leiding,directie,teamleider,teamleader,verantwoordelijke,diensthoofd,communic,luister,overleg,"
        "overste,hierarchie,favoriet,voortrekk,management,leider",
        "chef d'equipe,responsable d'equipe,hierarchie,superieur,encadrement,management,communiqu,consult,"
        "ecoute,fliqu,patron,favoritisme,dirigeant",
        "management,team lead,my lead,our lead,line manager,communicat,listen,superior,director,head of,"
        "favouritism,favoritism",
    ),
    "growth_career": (
        "uitdaging,ontwikkelen,ontwikkeling,bijleren,evolutie,stilstand,stilstaan,vastgeroest,"
        "volgende stap,dood spoor,doodlopend,opklim,hogerop,doorstroom,kansen",
        "defi,developper,developpement,evolu,plafonn,promouv,monter en grade,tourne en rond,"
        "tournais en rond,prochaine etape,voie de garage,cul-de-sac,opportunit,stagn",
        "development,prospect,way up,next step,ceiling,move up,moving up,challeng,internal vacanc,"
        "new skills,stagnat,dead end,dead-end,internal position,internal job,internal mobility,promoted,"
        "opportunit,step up",
    ),
    "recognition": (
        "schouderklop,dank,merci,opgemerkt,beloon,waardeer,erkend,compliment,pluim,vanzelfsprekend",
        "valoris,remerci,consideration,compliment,felicit,pour acquis",
        "credit,unappreciated,undervalued,noticed,acknowledg,praise,invisible,for granted,pat on the back",
    ),
    "training_onboarding": (
        "bijleren,vorming,opgeleid,cursus,workshop,ingewerkt,uitleg,in het diepe",
        "me former,se former,formateur,cours,tutorat,parrain,forme,sur le tas,dans le bain",
        "trained,course,certification,workshop,upskill,deep end",
    ),
    "workload_autonomy": (
        "te veel werk,te druk,werklast,overbelast,uitgeput,opgebrand,blussen,adempauze,deadline,overwerk,"
        "personeelstekort,tekort aan personeel,vrijheid,uitgeblust,werkbelasting,lange dagen",
        "pression,epuis,trop de travail,surmenage,debord,rythme,liberte,fatigu,cadence,flux tendu,"
        "longues journees",
        "too much work,exhausted,burned out,burnt out,deadline,overwork,too few people,targets,no say,"
        "overload,overwhelm,long hours,short-staffed,short staffed,freedom,independence,worn out,"
        "too many hours",
    ),
    "culture_engagement": (
        "gepest,roddel,uitgesloten,ieder voor zich,kliek,intimidatie,discriminatie,grensoverschrijdend,"
        "racis,seksis,eenzaam,geisoleerd",
        "clan,sexis,racis,chacun pour soi,discrimin,toxique,isole,ragot",
        "racis,sexis,gossip,excluded,belong,poison,blame,clique,bullied,harass,discriminat,politics,"
        "morale,isolated,lonely",
    ),
    "role_mismatch": (
        "niet de job,anders dan,klopte niet,aangenomen als,sollicitatie,jobinhoud,functie-inhoud,"
        "paste niet bij",
        "annonce,correspond pas,correspondait pas,correspondaient pas,rien a voir avec,engage comme,"
        "engagee comme,fiche de poste,inadequation,contenu du poste",
        "nothing like,hired for,hired as,sold as,turned out,mismatch,misled,misleading,advertised,job ad,"
        "not the job",
    ),
    "flexibility_balance": (
        "file,vier vijfde,deeltijd,halftijd,kinderen,weekendwerk,shift,dichter bij huis,combineren,"
        "werkuren,uurregeling,prive,ploegenwerk,ploegenstelsel,nachtwerk,woon-werk,kinderopvang",
        "mi-temps,temps partiel,quatre cinquiemes,souplesse,enfants,creche,vie privee,embouteillage,"
        "bouchons,navette,travail de nuit,week-end",
        "part-time,four days,parental,kids,children,from home,roster,weekend,closer to home,childcare,"
        "office hours,fixed hours,hybrid,telework,travel time,traffic,work-life",
    ),
    "other": (
        "verhuiz,studeren,gezondheid,pensioen,zelfstandige,buitenland,ziekte,wereldreis,reizen,baby,"
        "zwanger,sabbat,emigr,eigen zaak,eigen bedrijf",
        "demenag,sante,retraite,independant,etranger,m'installe,rentre au pays,rentrer au pays,"
        "retourne au pays,voyage,bebe,enceinte,maladie,sabbatique,propre entreprise,a mon compte,expatri",
        "university,health,retir,travel,abroad,own business,emigrat,baby,pregnan,study,studying,"
        "sabbatical,illness",
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
