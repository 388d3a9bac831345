"""still more keywords for the seeded themes: word families, regional words and phrases (issue 26)

Measured with `python -m bench themes` on tests/samples/theme_answers.tsv and, apart, on the fresh
held-out answers of tests/samples/theme_answers_heldout.tsv. As in revision 0026, keywords are added to
what HR keeps on /themes, never replacing it: a keyword HR already has stays as it is; the downgrade
removes the keywords of this list.

Revision ID: 0033
Revises: 0029
Create Date: 2026-12-07 22:30:00
"""

from collections.abc import Sequence

from alembic import op

from actiontrack.themes.seeded_keywords import change_keywords

revision: str = '0033'
down_revision: str | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# code -> (nl, fr, en) keywords added (stems: a keyword matches the words that start with it)
ADDED = {
    "pay_benefits": (
        "rondkomen,geindexeerd,index,mobiliteitsbudget,onderbetaald,gsm-abonnement,betaal,beter aanbod,"
        "terugbetaald,terugbetaling,onkosten",
        "fins de mois,fin du mois,ecocheque,index,voiture de fonction,carte essence,carte carburant,"
        "treizieme mois,pension complementaire,plan de pension,meilleure offre,rembours,note de frais,"
        "frais de",
        "afford,make ends meet,bills,underpay,premium,better offer,reimburs,expenses",
    ),
    "management": (
        "zaakvoerder,bedrijfsleider,afdelingshoofd,ceo,op de vingers,voortgetrokken,tegenstrijdig,patron,"
        "slecht beheer,wanbeheer",
        "gerant,me surveill,nous surveill,ecoutait,pdg,hierarchique,contradictoires,mauvaise gestion,"
        "gestion calamiteuse,gestion catastrophique,gestion desastreuse,entretien annuel,entretiens annuels",
        "ceo,in the dark,decisions,mismanag",
    ),
    "growth_career": (
        "bijleerde,vooruitgang,stap hoger,bijscholen,vooruitzicht,vast in,dezelfde functie,zelfde functie,"
        "zelfde job,dezelfde job,andere functie,interne mobiliteit,rondjes,naar een andere afdeling,"
        "van afdeling veranderen,van afdeling te veranderen,plafond",
        "promu,avancement,meme poste,meme fonction,changer de service,changer de poste,changer de fonction,"
        "mobilite interne",
        "senior position,opening,promote,develop myself,external candidate,same position,same role for,"
        "applied internally,internal application,bigger title,better title,higher position,change department,"
        "another department,internal move,move forward,moving forward",
    ),
    "recognition": (
        "gevierd,onopgemerkt,als normaal beschouwd,als normaal gezien,proficiat,felicitatie,gefeliciteerd,"
        "nooit genoeg",
        "ingrat,inapercu,jamais assez",
        "celebrat,unseen,congratulat,well done,good job,never enough,never good enough",
    ),
    "training_onboarding": (
        "bijschol,handleiding,startdag,uitgelegd,aan mijn lot,overdracht,niemand om",
        "debrouill,laisse seul,livre a moi-meme,passation,en me trompant,m a montre,personne a qui poser,"
        "procedure ecrite",
        "induct,onboard,certif,the ropes,documentation,explained how,left alone,handover,hand-over,"
        "trial and error,nobody to ask,no one to ask,written down",
    ),
    "workload_autonomy": (
        "onderbezet,onderbemand,meer met minder,helft van de ploeg,helft van het team,"
        "helft van het personeel,steeds meer werk,meer en meer werk,onder druk,hoge druk,de druk,"
        "geen tijd om,overbevraagd,drukte,van wacht,wachtdienst,inspringen,invallen,tot laat,s avonds laat,"
        "goedkeuring,laten goedkeuren,zelf beslissingen,zelf beslissen,beslissingsruimte,ruimte om zelf,"
        "handtekening,rompslomp,bureaucrat,altijd maar meer,alsmaar meer,almaar meer,om te ademen,strak,"
        "hoeveelheid werk,brandjes,mijn werk te organiseren,genoeg handen,genoeg volk,genoeg mensen,dringend,"
        "alles opvangen,moest opvangen,onrealistisch,gestoord,onderbroken,onderbreking,afschuiven,schoof,"
        "doorschuiven,jongleren,projecten tegelijk,takenlijst,een robot,eigen inbreng,nie meer te doen",
        "heures sup,delais,plus avec moins,avec moins de monde,moitie de l equipe,moitie du personnel,"
        "marge de manoeuvre,surcharg,astreinte,tard le soir,jusqu a tard,faire valider,tout valider,"
        "prendre des decisions,initiative,paperasse,bureaucrat,rien decider,sans l accord,l accord de,"
        "toujours plus,respirer,volume de travail,quantite de travail,eteindre des feux,urgence,enchain,"
        "latitude,organiser mon travail,sur les rotules,assez de bras,assez de personnel,tout reprendre,"
        "reprendre le travail de,irrealiste,interromp,finir une tache,refilait,refiler,jongl,"
        "projets en meme temps,choses a faire,comme un robot,mon jugement,intenable",
        "autonom,approval,more with less,half the team,half the staff,urgent,unrealistic,on call,no control,"
        "control over,cover for,until late,late nights,working late,stayed late,make my own decisions,"
        "make decisions,signatures,red tape,bureaucra,always available,always reachable,expected to reply,"
        "expected to answer,ever more,more and more,no time to breathe,volume of work,amount of work,"
        "firefighting,fire-fighting,putting out fires,organise my own work,organize my own work,on empty,"
        "enough hands,enough people,enough staff,pick up the slack,pick up the pieces,interruption,"
        "interrupted,finish anything,dumped,dumping,juggl,projects at once,to do list,like a robot,"
        "own judgement,own judgment,unmanageable,my plate",
    ),
    "culture_engagement": (
        "buitengesloten,genegeerd door,gedemotiveerd,demotiv,teamgeest,werksfeer,collegialiteit,bang,angst,"
        "achter mijn rug,achter iemands rug,achter de rug van,achter onze rug,overname,fusie,wij tegen zij,"
        "wij tegen hen,wantrouwen,de ziel,eilandje,ongepast,moraal,serieus genomen,groepje,niemand greep in,"
        "oude garde,gerucht",
        "harcel,ignore par,demotiv,entente,esprit d equipe,moral,dans le dos,rachat,fusion,crainte,"
        "eux contre nous,nous contre eux,mefiance,defiance,son ame,chacun dans son coin,blagues deplacees,"
        "remarques deplacees,pris au serieux,dans les pattes,partie du groupe,partie de l equipe,"
        "n existais pas,personne n intervenait,mis a l ecart,rumeur",
        "bully,ignored by,bullies,vibe,environment,demotivat,fit in,team spirit,afraid,scared,speak up,"
        "behind my back,behind our backs,takeover,merger,acquisition,us versus them,us vs them,us and them,"
        "distrust,mistrust,its soul,every man for himself,everyone for themselves,inappropriate jokes,"
        "inappropriate comments,taken seriously,in-crowd,nobody stepped in,no one stepped in,frozen out,"
        "old guard,rumour,rumor",
    ),
    "role_mismatch": (
        "overgekwalifi,onder mijn niveau,aangenomen voor,aangeworven voor,totaal anders,helemaal anders,"
        "jobomschrijving,functiebeschrijving,mijn diploma,een diploma,mijn vaardigheden,mijn competenties,"
        "zoals beschreven,zoals aangekondigd,dan beschreven,meer junior,op het gesprek,dan beloofd,"
        "dan afgesproken,dan wat ze,waarvoor ik getekend,andere functie dan",
        "surqualifi,engage en tant que,recrute comme,embauche comme,offre d emploi,en dessous de mon niveau,"
        "diplomee,mon diplome,mes diplomes,mes competences,comme decrit,que decrit,plus junior,en entretien,"
        "que prevu,que promis,pour laquelle j ai signe,autre fonction que",
        "overqualified,recruited as,recruited for,recruited to,job posting,below my level,bait and switch,"
        "sold to me,sold to us,use my skills,using my skills,use of my skills,my degree,my qualifications,"
        "my diploma,as described,than described,more junior,at interview,at the interview,than what was,"
        "than promised,than agreed,signed for,different role than,other role than",
    ),
    "flexibility_balance": (
        "afschakel,familieleven,ploegendienst,ploegensysteem,rooster,weekend,nachtdienst,thuis te werken,"
        "schoolpoort,vrije tijd,kilometer,met de auto,in de auto,schoolfeest,dagdienst,vaste uren,"
        "vijf dagen op kantoor,terug op kantoor,terug naar kantoor,elke dag op kantoor,verplicht op kantoor,"
        "op de baan",
        "retour au bureau,revienne au bureau,revenir au bureau,cinq jours sur cinq,tous les jours au bureau",
        "personal life,private life,social life,four-day,4-day,compressed,school pick,predictable hours,"
        "regular hours,working hours,office moved,miles,kilometres,kilometers,in the car,by car,rota,day off,"
        "back in the office,back to the office,return to office,return to the office,five days a week,"
        "in the office every day",
    ),
    "other": (
        "mantelzorg,gepensioneerd,ernstig ziek,is ziek,werd ziek,mijn diploma halen,contract liep af,"
        "bepaalde duur,tijdelijk contract,vaste job elders,vast contract,op reis,reis rond de wereld",
        "pension,etudier,partons vivre,est malade,gravement malade,terminer mon diplome,cdd,fin de contrat,"
        "contrat se terminait,cdi ailleurs,tour du monde",
        "my own company,go back to school,retirement,seriously ill,is ill,fell ill,finish my degree,"
        "contract ended,contract ran out,temporary contract,fixed-term,permanent job,permanent contract",
    ),
}


def upgrade() -> None:
    change_keywords(op.get_bind(), ADDED, add=True)


def downgrade() -> None:
    change_keywords(op.get_bind(), ADDED, add=False)
