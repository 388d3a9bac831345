"""more keywords for the seeded themes: inflections, everyday and regional words, phrases of several words

Measured on the hand-tagged answers of tests/samples/theme_answers.tsv (python -m bench themes).
Keywords are added to what HR keeps on /themes, never replacing it: a keyword HR already has (or
typed before) stays as it is; the downgrade removes the keywords of this list.

Revision ID: 0026
Revises: 0028
Create Date: 2026-12-07 19:30:00
"""

from collections.abc import Sequence

from alembic import op

from actiontrack.themes.seeded_keywords import change_keywords

revision: str = '0026'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# code -> (nl, fr, en) keywords added (stems: a keyword matches the words that start with it)
ADDED = {
    "pay_benefits": (
        "verdien,betaald,uitbetaal,opslag,geld,hospitalisatie,groepsverzekering,ecocheque,tankkaart,"
        "vergoeding,barema,wedde,bezoldiging,bruto,netto,extralega,centen,indexering,cafetariaplan,"
        "pensioenplan,koopkracht,euro,verhoging",
        "augmentation,gagn,paye,argent,hospitalisation,bareme,indemnite,remunere,eco-cheque,brut,"
        "extralega,indexation,pouvoir d'achat,assurance groupe,fric,pognon,euro",
        "paid,money,earn,meal voucher,insurance,pension,allowance,underpaid,salaries,package,income,"
        "remuneration,pay rise,euro,perks,cost of living,cost-of-living,pay cut",
    ),
    "management": (
        "leiding,directie,teamleider,teamleader,verantwoordelijke,diensthoofd,communic,luister,overleg,"
        "overste,hierarchie,favoriet,voortrekk,management,leider,bazen,bovenaf,hogerhand,"
        "functioneringsgesprek,evaluatiegesprek",
        "chef d'equipe,responsable d'equipe,hierarchie,superieur,encadrement,management,communiqu,consult,"
        "ecoute,fliqu,patron,favoritisme,dirigeant,directeur,directrice,flic,autoritaire",
        "management,team lead,my lead,our lead,line manager,communicat,listen,superior,director,head of,"
        "favouritism,favoritism,top-down,from the top,from above,had my back,backed me,one-to-one,"
        "one-on-one",
    ),
    "growth_career": (
        "uitdaging,ontwikkelen,ontwikkeling,bijleren,evolutie,stilstand,stilstaan,vastgeroest,"
        "volgende stap,dood spoor,doodlopend,opklim,hogerop,doorstroom,kansen,vooruitkom,hogere functie,"
        "sleur,verveel,interne vacature,intern gesolliciteerd",
        "defi,developper,developpement,evolu,plafonn,promouv,monter en grade,tourne en rond,"
        "tournais en rond,prochaine etape,voie de garage,cul-de-sac,opportunit,stagn,progress,routine,"
        "ennuy,ennui,en interne",
        "development,prospect,way up,next step,ceiling,move up,moving up,challeng,internal vacanc,"
        "new skills,stagnat,dead end,dead-end,internal position,internal job,internal mobility,promoted,"
        "opportunit,step up,path to,bored,boredom,stuck in the same,plateau,progress",
    ),
    "recognition": (
        "schouderklop,dank,merci,opgemerkt,beloon,waardeer,erkend,compliment,pluim,vanzelfsprekend,"
        "miskend,goed woord,bedankje",
        "valoris,remerci,consideration,compliment,felicit,pour acquis,retour positif,retours positifs,"
        "encouragement,merite,juste valeur,considere",
        "credit,unappreciated,undervalued,noticed,acknowledg,praise,invisible,for granted,pat on the back,"
        "thankless,unrewarded,overlooked",
    ),
    "training_onboarding": (
        "bijleren,vorming,opgeleid,cursus,workshop,ingewerkt,uitleg,in het diepe,bijscholing,aangeleerd,"
        "zelf uitzoeken,zoek het maar uit",
        "me former,se former,formateur,cours,tutorat,parrain,forme,sur le tas,dans le bain,me montrer,"
        "mentor",
        "trained,course,certification,workshop,upskill,deep end,show me,showed me,shadow",
    ),
    "workload_autonomy": (
        "te veel werk,te druk,werklast,overbelast,uitgeput,opgebrand,blussen,adempauze,deadline,overwerk,"
        "personeelstekort,tekort aan personeel,vrijheid,uitgeblust,werkbelasting,lange dagen,bijbenen,"
        "hectisch,tempo,targets,inspraak,stapelde zich op,stapelt zich op,rennen en vliegen,tandvlees,"
        "te weinig volk,te weinig mensen,te weinig personeel",
        "pression,epuis,trop de travail,surmenage,debord,rythme,liberte,fatigu,cadence,flux tendu,"
        "longues journees,creve,a bout",
        "too much work,exhausted,burned out,burnt out,deadline,overwork,too few people,targets,no say,"
        "overload,overwhelm,long hours,short-staffed,short staffed,freedom,independence,worn out,"
        "too many hours,keep up,pace,swamped,snowed under,drowning,stretched,on my plate,hectic",
    ),
    "culture_engagement": (
        "gepest,roddel,uitgesloten,ieder voor zich,kliek,intimidatie,discriminatie,grensoverschrijdend,"
        "racis,seksis,eenzaam,geisoleerd,ruzie,conflict,klimaat,ellebogenwerk,jaloezie,spanningen,"
        "vijandig,toxisch,giftig,ploeggeest,groepsgeest,achterklap,geroddel",
        "clan,sexis,racis,chacun pour soi,discrimin,toxique,isole,ragot,conflit,dispute,climat,peur,"
        "tensions,jalousie,commerage,mobbing,exclu,intimid",
        "racis,sexis,gossip,excluded,belong,poison,blame,clique,bullied,harass,discriminat,politics,"
        "morale,isolated,lonely,conflict,climate,fear,hostile,backstabbing,unfriendly,drama,disrespect",
    ),
    "role_mismatch": (
        "niet de job,anders dan,klopte niet,aangenomen als,sollicitatie,jobinhoud,functie-inhoud,"
        "paste niet bij,aangeworven als,inhoud van de job,verkeerde job",
        "annonce,correspond pas,correspondait pas,correspondaient pas,rien a voir avec,engage comme,"
        "engagee comme,fiche de poste,inadequation,contenu du poste,vendu comme,entretien d'embauche",
        "nothing like,hired for,hired as,sold as,turned out,mismatch,misled,misleading,advertised,job ad,"
        "not the job,signed up for",
    ),
    "flexibility_balance": (
        "file,vier vijfde,deeltijd,halftijd,kinderen,weekendwerk,shift,dichter bij huis,combineren,"
        "werkuren,uurregeling,prive,ploegenwerk,ploegenstelsel,nachtwerk,woon-werk,kinderopvang,glijdend,"
        "verplaatsing,reistijd,tijdskrediet,mantelzorg,avondwerk,in de trein,van thuis,thuis werken,"
        "van thuis uit",
        "mi-temps,temps partiel,quatre cinquiemes,souplesse,enfants,creche,vie privee,embouteillage,"
        "bouchons,navette,travail de nuit,week-end,deplacement,kilometres,domicile,credit-temps,"
        "dans le train,sur la route",
        "part-time,four days,parental,kids,children,from home,roster,weekend,closer to home,childcare,"
        "office hours,fixed hours,hybrid,telework,travel time,traffic,work-life,on the train,on the road,"
        "school run",
    ),
    "other": (
        "verhuiz,studeren,gezondheid,pensioen,zelfstandige,buitenland,ziekte,wereldreis,reizen,baby,"
        "zwanger,sabbat,emigr,eigen zaak,eigen bedrijf,pasgeboren,familiale redenen,terug naar school",
        "demenag,sante,retraite,independant,etranger,m'installe,rentre au pays,rentrer au pays,"
        "retourne au pays,voyage,bebe,enceinte,maladie,sabbatique,propre entreprise,a mon compte,expatri,"
        "reconversion,nouveau-ne,raisons familiales",
        "university,health,retir,travel,abroad,own business,emigrat,baby,pregnan,study,studying,"
        "sabbatical,illness,newborn,year off,family reasons,back to school",
    ),
}


def upgrade() -> None:
    change_keywords(op.get_bind(), ADDED, add=True)


def downgrade() -> None:
    change_keywords(op.get_bind(), ADDED, add=False)
