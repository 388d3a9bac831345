"""suggested actions per theme

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-28 08:41:29.686000

A library of proven responses per theme, in nl, fr and en, that HR starts an action from. The
defaults below cover the themes seeded by 0002; HR edits them on the themes page afterwards.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Per theme code, in order: per language (title, description, public summary, success measure).
SUGGESTIONS: dict[str, list[dict[str, tuple[str, str, str, str]]]] = {
    "pay_benefits": [
        {
            "en": (
                "Compare pay with the market and publish the pay scales",
                "Compare the pay and benefits of each job with a recent salary survey for our sector and region. "
                "Correct the jobs that fall behind, and publish the pay scales and the rules for raises, so that "
                "everyone can see where they stand.",
                "We compared our pay with the market, corrected the jobs that fell behind and published our pay "
                "scales and the rules for raises.",
                "Every job within 5 % of the market median; over the next 12 months, fewer of the group's leavers "
                "name pay as a reason.",
            ),
            "nl": (
                "Lonen vergelijken met de markt en de loonbarema's bekendmaken",
                "Vergelijk het loon en de voordelen van elke functie met een recente salarisenquête voor onze "
                "sector en regio. Trek de functies op die achterblijven, en maak de loonbarema's en de regels voor "
                "loonsverhogingen bekend, zodat iedereen weet waar hij of zij staat.",
                "We hebben onze lonen vergeleken met de markt, de functies die achterbleven opgetrokken en onze "
                "loonbarema's en de regels voor loonsverhogingen bekendgemaakt.",
                "Elke functie zit binnen 5 % van de marktmediaan; de komende 12 maanden noemen minder vertrekkers "
                "van de groep het loon als reden.",
            ),
            "fr": (
                "Comparer les salaires au marché et publier les barèmes",
                "Comparez le salaire et les avantages de chaque fonction à une enquête salariale récente pour notre "
                "secteur et notre région. Corrigez les fonctions qui sont à la traîne et publiez les barèmes ainsi "
                "que les règles d'augmentation, pour que chacun sache où il se situe.",
                "Nous avons comparé nos salaires au marché, corrigé les fonctions qui étaient à la traîne et publié "
                "nos barèmes ainsi que les règles d'augmentation.",
                "Chaque fonction se situe à moins de 5 % de la médiane du marché ; au cours des 12 prochains mois, "
                "moins de personnes qui quittent le groupe citent le salaire comme raison.",
            ),
        },
        {
            "en": (
                "Offer a flexible benefits plan",
                "Let employees exchange part of their pay budget (for example the end-of-year bonus) for benefits "
                "that suit them: extra leave, a leased bike, a laptop, pension savings. Check the tax and "
                "social-security rules with the social secretariat and explain the plan in every team.",
                "Through a flexible benefits plan, you can now choose part of your benefits yourself, such as extra "
                "days off or a leased bike.",
                "At least half of the employees make a choice in the first year; fewer leavers name benefits as a "
                "reason.",
            ),
            "nl": (
                "Een cafetariaplan invoeren",
                "Laat medewerkers een deel van hun loonbudget (bijvoorbeeld de eindejaarspremie) inruilen voor "
                "voordelen die bij hen passen: extra verlof, een leasefiets, een laptop, pensioensparen. Overloop "
                "de fiscale en sociale regels met het sociaal secretariaat en licht het plan toe in elk team.",
                "Via een cafetariaplan kies je voortaan zelf een deel van je voordelen, zoals extra verlofdagen of "
                "een leasefiets.",
                "Minstens de helft van de medewerkers maakt het eerste jaar een keuze; minder vertrekkers noemen de "
                "voordelen als reden.",
            ),
            "fr": (
                "Mettre en place un plan cafétéria",
                "Permettez aux collaborateurs d'échanger une partie de leur budget salarial (par exemple la prime "
                "de fin d'année) contre des avantages qui leur conviennent : congés supplémentaires, vélo en "
                "leasing, ordinateur portable, épargne-pension. Vérifiez les règles fiscales et sociales avec le "
                "secrétariat social et présentez le plan dans chaque équipe.",
                "Grâce à un plan cafétéria, vous choisissez désormais vous-même une partie de vos avantages, comme "
                "des jours de congé supplémentaires ou un vélo en leasing.",
                "Au moins la moitié des collaborateurs font un choix la première année ; moins de personnes qui "
                "partent citent les avantages comme raison.",
            ),
        },
        {
            "en": (
                "Show everyone their whole pay package",
                "Give every employee a personal yearly overview of their whole package: gross pay, bonuses, meal "
                "vouchers, insurance, pension, company car and training budget. Leavers often compare an offer "
                "with their net pay alone.",
                "Every year you receive a personal overview of your whole pay package, benefits included.",
                "Every employee receives the overview each year; fewer leavers say an offer elsewhere was better "
                "overall.",
            ),
            "nl": (
                "Iedereen het volledige loonpakket tonen",
                "Geef elke medewerker jaarlijks een persoonlijk overzicht van het volledige pakket: brutoloon, "
                "premies, maaltijdcheques, verzekeringen, pensioen, bedrijfswagen en opleidingsbudget. Vertrekkers "
                "vergelijken een aanbod vaak alleen met hun nettoloon.",
                "Je krijgt elk jaar een persoonlijk overzicht van je volledige loonpakket, voordelen inbegrepen.",
                "Elke medewerker krijgt het overzicht elk jaar; minder vertrekkers zeggen dat een aanbod elders "
                "over de hele lijn beter was.",
            ),
            "fr": (
                "Montrer à chacun l'ensemble de sa rémunération",
                "Remettez chaque année à chaque collaborateur un aperçu personnel de l'ensemble de sa "
                "rémunération : salaire brut, primes, chèques-repas, assurances, pension, voiture de société et "
                "budget de formation. Les personnes qui partent comparent souvent une offre à leur seul salaire "
                "net.",
                "Vous recevez chaque année un aperçu personnel de l'ensemble de votre rémunération, avantages "
                "compris.",
                "Chaque collaborateur reçoit l'aperçu chaque année ; moins de personnes qui partent estiment "
                "qu'une offre ailleurs était globalement meilleure.",
            ),
        },
    ],
    "management": [
        {
            "en": (
                "Train team leads to notice disengagement",
                "A practical training for every team lead: recognising the early signs that someone is "
                "disengaging (withdrawing, more short absences, fewer ideas), starting the conversation in time "
                "and knowing where to refer. Follow up with peer coaching after three months.",
                "All our team leads are being trained to notice when someone no longer feels good at work and to "
                "talk about it in time.",
                "Every team lead trained within six months; fewer of the group's leavers name their manager as a "
                "reason.",
            ),
            "nl": (
                "Teamleiders leren signalen van afhaken opmerken",
                "Een praktijkgerichte opleiding voor elke teamleider: de eerste signalen herkennen dat iemand "
                "afhaakt (zich terugtrekken, vaker kort afwezig, minder ideeën), tijdig het gesprek aangaan en "
                "weten waarnaar je kunt doorverwijzen. Na drie maanden volgt intervisie met collega-teamleiders.",
                "Al onze teamleiders leren opmerken wanneer iemand zich niet meer goed voelt op het werk, en daar "
                "tijdig over praten.",
                "Elke teamleider is binnen zes maanden opgeleid; minder vertrekkers van de groep noemen hun "
                "leidinggevende als reden.",
            ),
            "fr": (
                "Former les responsables d'équipe à repérer le désengagement",
                "Une formation pratique pour chaque responsable d'équipe : reconnaître les premiers signes de "
                "désengagement (repli, absences courtes plus fréquentes, moins d'idées), engager la conversation à "
                "temps et savoir vers qui orienter. Suivi par de l'intervision entre responsables après trois mois.",
                "Tous nos responsables d'équipe apprennent à remarquer quand quelqu'un ne se sent plus bien au "
                "travail et à en parler à temps.",
                "Chaque responsable d'équipe formé dans les six mois ; moins de personnes qui quittent le groupe "
                "citent leur responsable comme raison.",
            ),
        },
        {
            "en": (
                "Regular one-to-ones with every team member",
                "Every employee has a one-to-one with their manager at least once a month: how are you doing, what "
                "gets in your way, what do you need? Use a short shared outline; HR checks twice a year that the "
                "conversations really take place.",
                "Every employee now has a regular one-to-one with their manager, at least once a month.",
                "At least 90 % of employees had a one-to-one in the past month (pulse survey); fewer leavers "
                "mention a lack of support or feedback.",
            ),
            "nl": (
                "Regelmatige één-op-ééngesprekken met elke medewerker",
                "Elke medewerker heeft minstens één keer per maand een één-op-ééngesprek met de leidinggevende: "
                "hoe gaat het, wat zit je in de weg, wat heb je nodig? Gebruik een korte gemeenschappelijke "
                "leidraad; HR gaat twee keer per jaar na of de gesprekken echt plaatsvinden.",
                "Elke medewerker heeft voortaan minstens één keer per maand een één-op-ééngesprek met de "
                "leidinggevende.",
                "Minstens 90 % van de medewerkers had de voorbije maand een één-op-ééngesprek (korte bevraging); "
                "minder vertrekkers vermelden een gebrek aan steun of feedback.",
            ),
            "fr": (
                "Des entretiens individuels réguliers avec chaque collaborateur",
                "Chaque collaborateur a au moins une fois par mois un entretien individuel avec son responsable : "
                "comment ça va, qu'est-ce qui vous freine, de quoi avez-vous besoin ? Utilisez une trame courte et "
                "commune ; les RH vérifient deux fois par an que les entretiens ont bien lieu.",
                "Chaque collaborateur a désormais un entretien individuel régulier avec son responsable, au moins "
                "une fois par mois.",
                "Au moins 90 % des collaborateurs ont eu un entretien individuel le mois écoulé (sondage "
                "éclair) ; moins de personnes qui partent évoquent un manque de soutien ou de feedback.",
            ),
        },
        {
            "en": (
                "Anonymous upward feedback for managers",
                "Twice a year, team members give their manager anonymous feedback on support, communication and "
                "trust (results shown only for teams of five or more). Each manager discusses the results with "
                "the team and chooses one improvement.",
                "Twice a year you can give your manager anonymous feedback, and every manager chooses one "
                "improvement with the team.",
                "Every manager of a team of five or more receives the feedback twice a year and agrees on one "
                "improvement; the manager-support score in exit interviews goes up.",
            ),
            "nl": (
                "Anonieme feedback van het team aan de leidinggevende",
                "Twee keer per jaar geven teamleden hun leidinggevende anonieme feedback over steun, communicatie "
                "en vertrouwen (resultaten alleen zichtbaar voor teams van vijf of meer). Elke leidinggevende "
                "bespreekt de resultaten met het team en kiest één verbeterpunt.",
                "Twee keer per jaar kun je je leidinggevende anoniem feedback geven, en elke leidinggevende kiest "
                "samen met het team één verbeterpunt.",
                "Elke leidinggevende van een team van vijf of meer krijgt twee keer per jaar feedback en spreekt "
                "één verbeterpunt af; de score voor steun van de leidinggevende in exitgesprekken stijgt.",
            ),
            "fr": (
                "Un feedback anonyme de l'équipe vers le responsable",
                "Deux fois par an, les membres de l'équipe donnent à leur responsable un feedback anonyme sur le "
                "soutien, la communication et la confiance (résultats visibles uniquement pour les équipes de cinq "
                "personnes ou plus). Chaque responsable discute des résultats avec l'équipe et choisit un point "
                "d'amélioration.",
                "Deux fois par an, vous pouvez donner un feedback anonyme à votre responsable, et chaque "
                "responsable choisit un point d'amélioration avec l'équipe.",
                "Chaque responsable d'une équipe de cinq personnes ou plus reçoit le feedback deux fois par an et "
                "convient d'un point d'amélioration ; le score de soutien du responsable dans les entretiens de "
                "départ augmente.",
            ),
        },
    ],
    "growth_career": [
        {
            "en": (
                "Career paths for every job family",
                "Describe for each job family the possible next steps, upwards and sideways, the skills and "
                "experience each one asks for, and how to get there (training, projects, mentoring). Discuss "
                "them in every yearly review.",
                "For every job family we now describe the possible next steps and what you need to get there.",
                "Career paths published for every job family within nine months; fewer leavers name a lack of "
                "prospects as a reason.",
            ),
            "nl": (
                "Loopbaanpaden voor elke functiefamilie",
                "Beschrijf per functiefamilie de mogelijke volgende stappen, hogerop en zijwaarts, welke "
                "vaardigheden en ervaring elke stap vraagt en hoe je daar komt (opleiding, projecten, mentorschap). "
                "Bespreek ze in elk jaargesprek.",
                "Voor elke functiefamilie beschrijven we voortaan de mogelijke volgende stappen en wat je nodig hebt "
                "om daar te komen.",
                "Binnen negen maanden zijn de loopbaanpaden van elke functiefamilie bekendgemaakt; minder "
                "vertrekkers noemen een gebrek aan perspectief als reden.",
            ),
            "fr": (
                "Des parcours de carrière pour chaque famille de fonctions",
                "Décrivez pour chaque famille de fonctions les étapes suivantes possibles, vers le haut et "
                "latéralement, les compétences et l'expérience que chacune demande et comment y arriver "
                "(formation, projets, mentorat). Abordez-les lors de chaque entretien annuel.",
                "Pour chaque famille de fonctions, nous décrivons désormais les étapes suivantes possibles et ce "
                "qu'il faut pour y arriver.",
                "Parcours de carrière publiés pour chaque famille de fonctions dans les neuf mois ; moins de "
                "personnes qui partent citent le manque de perspectives comme raison.",
            ),
        },
        {
            "en": (
                "Internal vacancies first",
                "Publish every vacancy internally at least two weeks before it is advertised outside, and give "
                "every internal candidate an interview and feedback. A manager cannot block a move to another "
                "team.",
                "Every vacancy is now published internally first, and internal candidates always get an interview "
                "and feedback.",
                "At least a third of vacancies filled internally; fewer leavers say they had to leave to grow.",
            ),
            "nl": (
                "Vacatures eerst intern openstellen",
                "Maak elke vacature minstens twee weken intern bekend voor ze extern verschijnt, en geef elke "
                "interne kandidaat een gesprek en feedback. Een leidinggevende kan een overstap naar een ander "
                "team niet tegenhouden.",
                "Elke vacature verschijnt voortaan eerst intern, en interne kandidaten krijgen altijd een gesprek "
                "en feedback.",
                "Minstens een derde van de vacatures wordt intern ingevuld; minder vertrekkers zeggen dat ze weg "
                "moesten om te kunnen groeien.",
            ),
            "fr": (
                "Les postes vacants d'abord en interne",
                "Publiez chaque poste vacant en interne au moins deux semaines avant sa diffusion externe, et "
                "accordez à chaque candidat interne un entretien et un retour. Un responsable ne peut pas bloquer "
                "un passage vers une autre équipe.",
                "Chaque poste vacant est désormais d'abord publié en interne, et les candidats internes ont "
                "toujours un entretien et un retour.",
                "Au moins un tiers des postes pourvus en interne ; moins de personnes qui partent disent avoir dû "
                "partir pour évoluer.",
            ),
        },
    ],
    "recognition": [
        {
            "en": (
                "A peer recognition routine",
                "A short, regular moment in which colleagues thank each other for specific work: a slot in the "
                "weekly team meeting, a thank-you board or a channel in the chat tool. Keep it specific, and let "
                "everyone take part, not only managers.",
                "Every team now has a regular moment in which colleagues thank each other for specific work.",
                "Every team holds the routine at least once a month; the recognition score in exit interviews "
                "goes up and fewer leavers raise recognition.",
            ),
            "nl": (
                "Een vast moment om elkaar te waarderen",
                "Een kort, vast moment waarop collega's elkaar bedanken voor concreet werk: een agendapunt in het "
                "wekelijkse teamoverleg, een bedankbord of een kanaal in de chattool. Hou het concreet, en laat "
                "iedereen meedoen, niet alleen de leidinggevenden.",
                "Elk team heeft voortaan een vast moment waarop collega's elkaar bedanken voor concreet werk.",
                "Elk team houdt het moment minstens één keer per maand; de score voor erkenning in exitgesprekken "
                "stijgt en minder vertrekkers halen erkenning aan.",
            ),
            "fr": (
                "Un rituel de reconnaissance entre collègues",
                "Un moment court et régulier où les collègues se remercient pour un travail précis : un point à "
                "l'ordre du jour de la réunion d'équipe hebdomadaire, un tableau de remerciements ou un canal dans "
                "l'outil de messagerie. Restez concret, et laissez chacun y participer, pas seulement les "
                "responsables.",
                "Chaque équipe a désormais un moment régulier où les collègues se remercient pour un travail précis.",
                "Chaque équipe tient ce rituel au moins une fois par mois ; le score de reconnaissance dans les "
                "entretiens de départ augmente et moins de personnes qui partent évoquent la reconnaissance.",
            ),
        },
        {
            "en": (
                "Train managers to give recognition",
                "A short training for managers on giving specific and timely recognition, in private and in "
                "public, fairly across the team, including for less visible work (support roles, night shifts, "
                "back office).",
                "Our managers are learning to recognise good work more often and more specifically, including "
                "work that is less visible.",
                "All managers trained within six months; fewer leavers say their work went unnoticed.",
            ),
            "nl": (
                "Leidinggevenden leren waardering geven",
                "Een korte opleiding voor leidinggevenden over concrete en tijdige waardering, onder vier ogen en "
                "in het team, eerlijk verdeeld over het team, ook voor minder zichtbaar werk (ondersteunende "
                "functies, nachtploegen, backoffice).",
                "Onze leidinggevenden leren goed werk vaker en concreter te waarderen, ook werk dat minder "
                "zichtbaar is.",
                "Alle leidinggevenden zijn binnen zes maanden opgeleid; minder vertrekkers zeggen dat hun werk "
                "onopgemerkt bleef.",
            ),
            "fr": (
                "Former les responsables à exprimer leur reconnaissance",
                "Une courte formation pour les responsables sur une reconnaissance précise et donnée au bon "
                "moment, en tête-à-tête et devant l'équipe, équitablement répartie, y compris pour le travail "
                "moins visible (fonctions de support, équipes de nuit, back-office).",
                "Nos responsables apprennent à reconnaître le bon travail plus souvent et plus concrètement, y "
                "compris le travail moins visible.",
                "Tous les responsables formés dans les six mois ; moins de personnes qui partent disent que leur "
                "travail passait inaperçu.",
            ),
        },
    ],
    "training_onboarding": [
        {
            "en": (
                "A buddy for every new starter",
                "Every newcomer gets a buddy from the team for the first three months: someone other than the "
                "manager to turn to with practical questions. Buddies get a short briefing and time in their "
                "schedule for it.",
                "Every new colleague now gets a buddy from the team for their first three months.",
                "Every starter has a buddy from the first day; fewer leavers in their first year mention a poor "
                "start.",
            ),
            "nl": (
                "Een peter of meter voor elke nieuwe medewerker",
                "Elke nieuwkomer krijgt de eerste drie maanden een peter of meter uit het team: iemand anders dan "
                "de leidinggevende bij wie je met praktische vragen terechtkunt. Peters en meters krijgen een korte "
                "briefing en er tijd voor in hun planning.",
                "Elke nieuwe collega krijgt voortaan de eerste drie maanden een peter of meter uit het team.",
                "Elke starter heeft vanaf de eerste dag een peter of meter; minder vertrekkers in hun eerste jaar "
                "vermelden een moeizame start.",
            ),
            "fr": (
                "Un parrain ou une marraine pour chaque nouveau collaborateur",
                "Chaque nouvel arrivant a, pendant ses trois premiers mois, un parrain ou une marraine dans "
                "l'équipe : une autre personne que le responsable, à qui poser ses questions pratiques. Les "
                "parrains et marraines reçoivent un court briefing et du temps prévu dans leur planning.",
                "Chaque nouveau collègue a désormais un parrain ou une marraine dans l'équipe pendant ses trois "
                "premiers mois.",
                "Chaque nouvel arrivant a un parrain ou une marraine dès le premier jour ; moins de personnes qui "
                "partent au cours de leur première année évoquent un démarrage difficile.",
            ),
        },
        {
            "en": (
                "Structured first weeks",
                "A written plan for the first weeks in each job: workplace, accounts and equipment ready on day "
                "one, who explains what and when, the training of the first month, and check-ins after one week, "
                "one month and three months.",
                "New colleagues now follow a clear plan for their first weeks, with check-ins after one week, one "
                "month and three months.",
                "Every starter has equipment and access on day one and all three check-ins take place; fewer "
                "people leave in their first year.",
            ),
            "nl": (
                "Gestructureerde eerste weken",
                "Een uitgeschreven plan voor de eerste weken in elke functie: werkplek, accounts en materiaal klaar "
                "op de eerste dag, wie wat uitlegt en wanneer, de opleidingen van de eerste maand, en "
                "opvolgingsgesprekken na één week, één maand en drie maanden.",
                "Nieuwe collega's volgen voortaan een duidelijk plan voor hun eerste weken, met "
                "opvolgingsgesprekken na één week, één maand en drie maanden.",
                "Elke starter heeft materiaal en toegang op de eerste dag en alle drie de gesprekken vinden plaats; "
                "minder mensen vertrekken in hun eerste jaar.",
            ),
            "fr": (
                "Des premières semaines structurées",
                "Un plan écrit pour les premières semaines dans chaque fonction : poste de travail, accès et "
                "matériel prêts dès le premier jour, qui explique quoi et quand, les formations du premier mois, et "
                "des entretiens de suivi après une semaine, un mois et trois mois.",
                "Les nouveaux collègues suivent désormais un plan clair pour leurs premières semaines, avec des "
                "entretiens de suivi après une semaine, un mois et trois mois.",
                "Chaque nouvel arrivant a son matériel et ses accès dès le premier jour et les trois entretiens "
                "ont lieu ; moins de départs au cours de la première année.",
            ),
        },
        {
            "en": (
                "A training plan for every job",
                "Describe per job the training someone needs in the first year and after, give every employee a "
                "yearly training budget, and plan the time to follow it during working hours.",
                "Every job now has a training plan, and everyone has a yearly training budget and the time to use "
                "it.",
                "Every employee has an agreed training plan; fewer leavers raise a lack of training.",
            ),
            "nl": (
                "Een opleidingsplan voor elke functie",
                "Beschrijf per functie welke opleidingen iemand nodig heeft in het eerste jaar en daarna, geef elke "
                "medewerker een jaarlijks opleidingsbudget, en plan de tijd om ze tijdens de werkuren te volgen.",
                "Elke functie heeft voortaan een opleidingsplan, en iedereen heeft een jaarlijks opleidingsbudget "
                "en de tijd om het te gebruiken.",
                "Elke medewerker heeft een afgesproken opleidingsplan; minder vertrekkers halen een gebrek aan "
                "opleiding aan.",
            ),
            "fr": (
                "Un plan de formation pour chaque fonction",
                "Décrivez par fonction les formations nécessaires la première année et ensuite, donnez à chaque "
                "collaborateur un budget de formation annuel, et prévoyez le temps de les suivre pendant les heures "
                "de travail.",
                "Chaque fonction a désormais un plan de formation, et chacun dispose d'un budget de formation "
                "annuel et du temps pour l'utiliser.",
                "Chaque collaborateur a un plan de formation convenu ; moins de personnes qui partent évoquent un "
                "manque de formation.",
            ),
        },
    ],
    "workload_autonomy": [
        {
            "en": (
                "Staff for the peaks",
                "Map each team's busy periods with the team (season, month end, holidays) and plan extra staff for "
                "them in advance: a flexible pool, student jobs, temporary contracts, or hours moved from quieter "
                "periods. Fill vacancies and replace long absences faster.",
                "We now plan extra staff in advance for each team's busy periods and replace long absences faster.",
                "Extra staff planned for every known peak; less overtime, and fewer leavers raise workload.",
            ),
            "nl": (
                "Bemanning voorzien voor de piekmomenten",
                "Breng samen met elk team de drukke periodes in kaart (seizoen, maandafsluiting, vakanties) en "
                "plan op voorhand extra bezetting: een flexpool, jobstudenten, tijdelijke contracten of uren "
                "verschuiven vanuit rustigere periodes. Vul vacatures en langdurige afwezigheden sneller in.",
                "We plannen voortaan op voorhand extra bezetting voor de drukke periodes van elk team en vervangen "
                "langdurige afwezigheden sneller.",
                "Extra bezetting gepland voor elke gekende piek; minder overuren, en minder vertrekkers halen de "
                "werkdruk aan.",
            ),
            "fr": (
                "Des renforts pour les périodes de pointe",
                "Identifiez avec chaque équipe ses périodes chargées (saison, clôtures mensuelles, vacances) et "
                "prévoyez des renforts à l'avance : un pool flexible, des jobistes, des contrats temporaires ou des "
                "heures déplacées depuis des périodes plus calmes. Pourvoyez plus vite les postes vacants et "
                "remplacez plus vite les absences de longue durée.",
                "Nous prévoyons désormais des renforts à l'avance pour les périodes chargées de chaque équipe et "
                "remplaçons plus vite les absences de longue durée.",
                "Renforts prévus pour chaque pointe connue ; moins d'heures supplémentaires, et moins de personnes "
                "qui partent évoquent la charge de travail.",
            ),
        },
        {
            "en": (
                "Let teams decide how they organise their work",
                "Agree with each team what it decides itself (planning, order of tasks, how to reach its goals) "
                "and what needs approval, and remove approval steps that add nothing.",
                "Teams now decide more themselves about how they organise their work, with fewer approval steps.",
                "Every team has agreed on what it decides itself; fewer leavers mention micromanagement or a lack "
                "of autonomy.",
            ),
            "nl": (
                "Teams zelf laten beslissen hoe ze hun werk organiseren",
                "Spreek met elk team af wat het zelf beslist (planning, volgorde van taken, hoe het zijn doelen "
                "bereikt) en waarvoor goedkeuring nodig is, en schrap goedkeuringsstappen die niets toevoegen.",
                "Teams beslissen voortaan meer zelf over hoe ze hun werk organiseren, met minder "
                "goedkeuringsstappen.",
                "Elk team heeft afgesproken wat het zelf beslist; minder vertrekkers vermelden micromanagement of "
                "een gebrek aan autonomie.",
            ),
            "fr": (
                "Laisser les équipes décider de l'organisation de leur travail",
                "Convenez avec chaque équipe de ce qu'elle décide elle-même (planning, ordre des tâches, manière "
                "d'atteindre ses objectifs) et de ce qui demande une approbation, et supprimez les étapes "
                "d'approbation qui n'apportent rien.",
                "Les équipes décident désormais davantage elles-mêmes de l'organisation de leur travail, avec moins "
                "d'étapes d'approbation.",
                "Chaque équipe a convenu de ce qu'elle décide elle-même ; moins de personnes qui partent évoquent "
                "la microgestion ou un manque d'autonomie.",
            ),
        },
        {
            "en": (
                "Spot overload early",
                "Follow overtime, untaken leave and short absences per team every month. When a team crosses the "
                "agreed limit, its manager and HR agree on measures within two weeks, with the prevention adviser "
                "for psychosocial risks where needed.",
                "We follow the workload of each team every month and act quickly when a team is overloaded.",
                "Measures agreed within two weeks for every team that crosses the limit; fewer leavers raise "
                "stress or workload.",
            ),
            "nl": (
                "Overbelasting vroeg opmerken",
                "Volg elke maand per team de overuren, het niet-opgenomen verlof en de korte afwezigheden. "
                "Overschrijdt een team de afgesproken grens, dan spreken de leidinggevende en HR binnen twee weken "
                "maatregelen af, zo nodig met de preventieadviseur psychosociale aspecten.",
                "We volgen elke maand de werkdruk per team op en grijpen snel in wanneer een team overbelast is.",
                "Binnen twee weken maatregelen afgesproken voor elk team dat de grens overschrijdt; minder "
                "vertrekkers halen stress of werkdruk aan.",
            ),
            "fr": (
                "Repérer tôt la surcharge",
                "Suivez chaque mois, par équipe, les heures supplémentaires, les congés non pris et les absences "
                "de courte durée. Lorsqu'une équipe dépasse le seuil convenu, son responsable et les RH "
                "conviennent de mesures dans les deux semaines, si nécessaire avec le conseiller en prévention "
                "aspects psychosociaux.",
                "Nous suivons chaque mois la charge de travail de chaque équipe et agissons vite lorsqu'une équipe "
                "est surchargée.",
                "Mesures convenues dans les deux semaines pour chaque équipe qui dépasse le seuil ; moins de "
                "personnes qui partent évoquent le stress ou la charge de travail.",
            ),
        },
    ],
    "culture_engagement": [
        {
            "en": (
                "Team agreements on how we work together",
                "Each team writes down a few agreements on respect, communication and helping each other, and "
                "reviews them twice a year. Managers address behaviour that goes against them.",
                "Every team has made agreements on how we work together and reviews them twice a year.",
                "Every team has its agreements and reviews them twice a year; fewer leavers raise the atmosphere "
                "or conflicts.",
            ),
            "nl": (
                "Teamafspraken over hoe we samenwerken",
                "Elk team legt een paar afspraken vast over respect, communicatie en elkaar helpen, en overloopt "
                "ze twee keer per jaar. Leidinggevenden spreken mensen aan op gedrag dat ertegen ingaat.",
                "Elk team heeft afspraken gemaakt over hoe we samenwerken en overloopt ze twee keer per jaar.",
                "Elk team heeft zijn afspraken en overloopt ze twee keer per jaar; minder vertrekkers halen de "
                "sfeer of conflicten aan.",
            ),
            "fr": (
                "Des accords d'équipe sur notre façon de travailler ensemble",
                "Chaque équipe met par écrit quelques accords sur le respect, la communication et l'entraide, et "
                "les revoit deux fois par an. Les responsables interviennent face aux comportements qui vont à "
                "leur encontre.",
                "Chaque équipe a conclu des accords sur notre façon de travailler ensemble et les revoit deux fois "
                "par an.",
                "Chaque équipe a ses accords et les revoit deux fois par an ; moins de personnes qui partent "
                "évoquent l'ambiance ou des conflits.",
            ),
        },
        {
            "en": (
                "A safe way to report unacceptable behaviour",
                "Make sure everyone knows the confidential counsellor and the prevention adviser for psychosocial "
                "risks, and how to report bullying or harassment in confidence. Follow up every report within the "
                "legal time limits and tell the team what changed.",
                "Everyone now knows how to report bullying or harassment in confidence, and every report is "
                "followed up.",
                "At least 90 % of employees know the confidential counsellor (pulse survey); every report handled "
                "in time; fewer leavers raise bullying or a toxic atmosphere.",
            ),
            "nl": (
                "Grensoverschrijdend gedrag veilig kunnen melden",
                "Zorg dat iedereen de vertrouwenspersoon en de preventieadviseur psychosociale aspecten kent, en "
                "weet hoe je pesten of ongewenst gedrag vertrouwelijk meldt. Volg elke melding op binnen de "
                "wettelijke termijnen en laat het team weten wat er veranderd is.",
                "Iedereen weet voortaan hoe je pesten of ongewenst gedrag vertrouwelijk meldt, en elke melding "
                "wordt opgevolgd.",
                "Minstens 90 % van de medewerkers kent de vertrouwenspersoon (korte bevraging); elke melding tijdig "
                "behandeld; minder vertrekkers halen pesten of een slechte sfeer aan.",
            ),
            "fr": (
                "Pouvoir signaler en sécurité les comportements inacceptables",
                "Veillez à ce que chacun connaisse la personne de confiance et le conseiller en prévention aspects "
                "psychosociaux, et sache comment signaler en toute confidentialité du harcèlement ou un "
                "comportement indésirable. Donnez suite à chaque signalement dans les délais légaux et dites à "
                "l'équipe ce qui a changé.",
                "Chacun sait désormais comment signaler en toute confidentialité du harcèlement ou un comportement "
                "indésirable, et chaque signalement est suivi.",
                "Au moins 90 % des collaborateurs connaissent la personne de confiance (sondage éclair) ; chaque "
                "signalement traité dans les délais ; moins de personnes qui partent évoquent du harcèlement ou "
                "une ambiance toxique.",
            ),
        },
    ],
    "role_mismatch": [
        {
            "en": (
                "Rewrite vacancies with the people who do the job",
                "Rewrite each vacancy and job description together with two or three people who do the job today: "
                "the real tasks, the hard parts, the hours and the workplace. Drop requirements that do not "
                "matter.",
                "Our vacancies are now written with colleagues who do the job, so they say honestly what the job "
                "is like.",
                "Every open vacancy rewritten within six months; fewer leavers in their first year say the job was "
                "not what they expected.",
            ),
            "nl": (
                "Vacatures herschrijven met de mensen die de job doen",
                "Herschrijf elke vacature en functieomschrijving samen met twee of drie mensen die de job vandaag "
                "doen: de echte taken, de moeilijke kanten, de uren en de werkplek. Schrap vereisten die er niet "
                "toe doen.",
                "Onze vacatures worden voortaan geschreven met collega's die de job doen, zodat ze eerlijk zeggen "
                "hoe de job eruitziet.",
                "Binnen zes maanden is elke openstaande vacature herschreven; minder vertrekkers in hun eerste "
                "jaar zeggen dat de job niet was wat ze verwachtten.",
            ),
            "fr": (
                "Réécrire les offres d'emploi avec les personnes qui font le métier",
                "Réécrivez chaque offre d'emploi et chaque description de fonction avec deux ou trois personnes qui "
                "exercent la fonction aujourd'hui : les vraies tâches, les aspects difficiles, les horaires et le "
                "lieu de travail. Supprimez les exigences qui ne comptent pas.",
                "Nos offres d'emploi sont désormais rédigées avec des collègues qui exercent la fonction, pour dire "
                "honnêtement en quoi consiste le poste.",
                "Chaque offre ouverte réécrite dans les six mois ; moins de personnes qui partent au cours de leur "
                "première année disent que le poste ne correspondait pas à leurs attentes.",
            ),
        },
        {
            "en": (
                "Let candidates see the job before they sign",
                "Offer every final candidate half a day in the team, or a conversation with a future colleague "
                "without the manager, so that they see what the work is really like before they decide.",
                "Candidates can now spend time in the team before they decide, to see what the job is really like.",
                "Every final candidate is offered the visit; fewer people leave within six months.",
            ),
            "nl": (
                "Kandidaten de job laten zien voor ze tekenen",
                "Bied elke kandidaat in de laatste ronde een halve dag meelopen in het team aan, of een gesprek met "
                "een toekomstige collega zonder de leidinggevende, zodat hij of zij ziet hoe het werk echt is "
                "voor de beslissing valt.",
                "Kandidaten kunnen voortaan meelopen in het team voor ze beslissen, om te zien hoe de job echt is.",
                "Elke kandidaat in de laatste ronde krijgt het meeloopmoment aangeboden; minder mensen vertrekken "
                "binnen zes maanden.",
            ),
            "fr": (
                "Montrer le poste aux candidats avant qu'ils signent",
                "Proposez à chaque candidat en dernière phase une demi-journée dans l'équipe, ou un échange avec "
                "un futur collègue sans le responsable, pour qu'il voie en quoi consiste vraiment le travail avant "
                "de se décider.",
                "Les candidats peuvent désormais passer du temps dans l'équipe avant de se décider, pour voir en "
                "quoi consiste vraiment le poste.",
                "Chaque candidat en dernière phase se voit proposer la visite ; moins de départs dans les six "
                "premiers mois.",
            ),
        },
        {
            "en": (
                "Check the fit after three months",
                "Three months after someone starts or changes jobs, HR and the manager check with them whether the "
                "job matches what was agreed, and adjust the tasks or look for another job inside the company when "
                "it does not.",
                "Three months after starting, we check with every new colleague whether the job matches what was "
                "agreed.",
                "A fit conversation held with every starter; fewer leavers say their tasks did not match the job.",
            ),
            "nl": (
                "Na drie maanden nagaan of de job past",
                "Drie maanden na de start of na een functiewijziging gaan HR en de leidinggevende samen met de "
                "medewerker na of de job overeenkomt met wat afgesproken was, en passen ze de taken aan of zoeken "
                "ze intern een andere functie als dat niet zo is.",
                "Drie maanden na de start gaan we met elke nieuwe collega na of de job overeenkomt met wat "
                "afgesproken was.",
                "Een gesprek na drie maanden met elke starter; minder vertrekkers zeggen dat hun taken niet "
                "overeenkwamen met de functie.",
            ),
            "fr": (
                "Vérifier l'adéquation après trois mois",
                "Trois mois après une entrée en fonction ou un changement de poste, les RH et le responsable "
                "vérifient avec la personne si le poste correspond à ce qui avait été convenu, et adaptent les "
                "tâches ou cherchent un autre poste en interne si ce n'est pas le cas.",
                "Trois mois après l'arrivée, nous vérifions avec chaque nouveau collègue si le poste correspond à "
                "ce qui avait été convenu.",
                "Un entretien à trois mois avec chaque nouvel arrivant ; moins de personnes qui partent disent que "
                "leurs tâches ne correspondaient pas au poste.",
            ),
        },
    ],
    "flexibility_balance": [
        {
            "en": (
                "Clear rules for working from home",
                "Agree per job which days or tasks can be done from home, with a written telework agreement, a "
                "monthly home-office allowance and the equipment needed. Apply the rules in the same way in every "
                "team.",
                "There are now clear rules on working from home, applied in the same way in every team.",
                "Every employee whose job allows it has a telework agreement; fewer leavers raise flexibility.",
            ),
            "nl": (
                "Duidelijke regels voor thuiswerk",
                "Spreek per functie af welke dagen of taken thuis kunnen, met een schriftelijke "
                "telewerkovereenkomst, een maandelijkse thuiswerkvergoeding en het nodige materiaal. Pas de regels "
                "in elk team op dezelfde manier toe.",
                "Er zijn voortaan duidelijke regels voor thuiswerk, die in elk team op dezelfde manier gelden.",
                "Elke medewerker van wie de functie het toelaat heeft een telewerkovereenkomst; minder vertrekkers "
                "halen flexibiliteit aan.",
            ),
            "fr": (
                "Des règles claires pour le télétravail",
                "Convenez par fonction des jours ou des tâches qui peuvent se faire à domicile, avec une "
                "convention de télétravail écrite, une indemnité de bureau mensuelle et le matériel nécessaire. "
                "Appliquez les règles de la même manière dans chaque équipe.",
                "Il existe désormais des règles claires pour le télétravail, appliquées de la même manière dans "
                "chaque équipe.",
                "Chaque collaborateur dont la fonction le permet a une convention de télétravail ; moins de "
                "personnes qui partent évoquent la flexibilité.",
            ),
        },
        {
            "en": (
                "Schedules known in advance, and shifts that can be swapped",
                "Publish schedules at least four weeks in advance, let colleagues swap shifts among themselves, "
                "and take personal constraints (childcare, school hours) into account when planning.",
                "Schedules are now known four weeks in advance, and you can swap shifts with colleagues.",
                "Schedules published four weeks ahead in every team; fewer leavers raise schedules or work-life "
                "balance.",
            ),
            "nl": (
                "Uurroosters op tijd bekend, en diensten die je kunt ruilen",
                "Maak de uurroosters minstens vier weken op voorhand bekend, laat collega's onderling diensten "
                "ruilen, en hou bij de planning rekening met persoonlijke beperkingen (kinderopvang, schooluren).",
                "De uurroosters zijn voortaan vier weken op voorhand bekend, en je kunt diensten ruilen met "
                "collega's.",
                "In elk team zijn de uurroosters vier weken op voorhand bekend; minder vertrekkers halen de "
                "uurroosters of de balans werk-privé aan.",
            ),
            "fr": (
                "Des horaires connus à l'avance, et des services échangeables",
                "Publiez les horaires au moins quatre semaines à l'avance, permettez aux collègues d'échanger "
                "leurs services entre eux, et tenez compte des contraintes personnelles (garde d'enfants, horaires "
                "scolaires) dans le planning.",
                "Les horaires sont désormais connus quatre semaines à l'avance, et vous pouvez échanger vos "
                "services avec des collègues.",
                "Horaires publiés quatre semaines à l'avance dans chaque équipe ; moins de personnes qui partent "
                "évoquent les horaires ou l'équilibre vie professionnelle-vie privée.",
            ),
        },
        {
            "en": (
                "Agree on the right to disconnect",
                "Agree when nobody is expected to read or answer work messages (evenings, weekends, leave), put "
                "it in the work regulations, and have managers set the example.",
                "We have agreed that nobody is expected to answer work messages in the evening, at the weekend or "
                "on leave.",
                "The agreement is in the work regulations and explained in every team; fewer leavers raise "
                "work-life balance.",
            ),
            "nl": (
                "Afspraken maken over het recht op deconnectie",
                "Spreek af wanneer niemand verwacht wordt werkberichten te lezen of te beantwoorden ('s avonds, in "
                "het weekend, tijdens verlof), neem het op in het arbeidsreglement en laat de leidinggevenden het "
                "voorbeeld geven.",
                "We hebben afgesproken dat niemand 's avonds, in het weekend of tijdens verlof werkberichten moet "
                "beantwoorden.",
                "De afspraken staan in het arbeidsreglement en zijn in elk team toegelicht; minder vertrekkers "
                "halen de balans werk-privé aan.",
            ),
            "fr": (
                "Convenir du droit à la déconnexion",
                "Convenez des moments où personne n'est censé lire ni répondre aux messages professionnels (le "
                "soir, le week-end, pendant les congés), inscrivez-le dans le règlement de travail et demandez aux "
                "responsables de montrer l'exemple.",
                "Nous avons convenu que personne n'est tenu de répondre aux messages professionnels le soir, le "
                "week-end ou pendant les congés.",
                "L'accord figure dans le règlement de travail et a été expliqué dans chaque équipe ; moins de "
                "personnes qui partent évoquent l'équilibre vie professionnelle-vie privée.",
            ),
        },
    ],
    "other": [
        {
            "en": (
                "Offer alternatives before someone leaves for personal reasons",
                "When someone plans to leave for a personal reason (moving, studies, family), look with them at "
                "what could keep them: another site, fewer hours, a study arrangement or a career break. Make "
                "these options known to everyone.",
                "If you are thinking of leaving for personal reasons, we first look with you at another site, "
                "fewer hours or a study arrangement.",
                "Every leaver with a personal reason is offered a conversation about the options; some of them "
                "stay.",
            ),
            "nl": (
                "Alternatieven aanbieden voor iemand om persoonlijke redenen vertrekt",
                "Wanneer iemand om een persoonlijke reden wil vertrekken (verhuis, studies, gezin), bekijk dan samen "
                "wat hem of haar kan houden: een andere vestiging, minder uren, een studieregeling of "
                "loopbaanonderbreking. Maak die mogelijkheden aan iedereen bekend.",
                "Denk je eraan te vertrekken om persoonlijke redenen? Dan bekijken we eerst samen met jou een "
                "andere vestiging, minder uren of een studieregeling.",
                "Elke vertrekker met een persoonlijke reden krijgt een gesprek over de mogelijkheden aangeboden; "
                "een deel van hen blijft.",
            ),
            "fr": (
                "Proposer des alternatives avant un départ pour raisons personnelles",
                "Lorsqu'une personne envisage de partir pour une raison personnelle (déménagement, études, "
                "famille), examinez avec elle ce qui pourrait la retenir : un autre site, moins d'heures, un "
                "aménagement pour études ou un crédit-temps. Faites connaître ces possibilités à tous.",
                "Si vous envisagez de partir pour des raisons personnelles, nous examinons d'abord avec vous un "
                "autre site, moins d'heures ou un aménagement pour études.",
                "Chaque personne qui part pour une raison personnelle se voit proposer un entretien sur les "
                "possibilités ; une partie d'entre elles restent.",
            ),
        },
        {
            "en": (
                "Keep the door open for former colleagues",
                "Stay in touch with former colleagues who agree to it (an alumni group, news twice a year), and "
                "make it easy to come back: a shorter selection and their experience recognised.",
                "Former colleagues are welcome back, with a shorter selection and their experience recognised.",
                "The number of returning colleagues goes up; more leavers say they would come back.",
            ),
            "nl": (
                "De deur openhouden voor oud-collega's",
                "Blijf in contact met oud-collega's die dat willen (een alumnigroep, twee keer per jaar nieuws), en "
                "maak terugkeren makkelijk: een kortere selectie en erkenning van hun ervaring.",
                "Oud-collega's zijn welkom om terug te keren, met een kortere selectie en erkenning van hun "
                "ervaring.",
                "Het aantal terugkerende collega's stijgt; meer vertrekkers zeggen dat ze zouden terugkomen.",
            ),
            "fr": (
                "Garder la porte ouverte aux anciens collègues",
                "Restez en contact avec les anciens collègues qui le souhaitent (un groupe d'anciens, des "
                "nouvelles deux fois par an), et facilitez leur retour : une sélection plus courte et la "
                "reconnaissance de leur expérience.",
                "Les anciens collègues sont les bienvenus pour revenir, avec une sélection plus courte et la "
                "reconnaissance de leur expérience.",
                "Le nombre de collègues qui reviennent augmente ; davantage de personnes qui partent disent "
                "qu'elles reviendraient.",
            ),
        },
    ],
}

FIELDS = ("title", "description", "public_summary", "success_measure")


def upgrade() -> None:
    op.create_table('theme_suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('public_summary', sa.Text(), nullable=False),
    sa.Column('success_measure', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'],
                            name=op.f('fk_theme_suggestion_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_suggestion'))
    )
    # Not in batch mode: there is nothing to recreate, and batch mode is for altering tables.
    op.create_index(op.f('ix_theme_suggestion_theme_id'), 'theme_suggestion', ['theme_id'], unique=False)

    # The seeded themes that still exist (HR may have renamed them, but codes never change).
    theme_ids = dict(op.get_bind().execute(sa.text("SELECT code, id FROM theme")).all())
    suggestion = sa.table("theme_suggestion",
                          *(sa.column(name) for name in ("theme_id", "language", "position", *FIELDS)))
    rows = [
        {"theme_id": theme_ids[code], "language": language, "position": position,
         **dict(zip(FIELDS, texts[language], strict=True))}
        for code, entries in SUGGESTIONS.items() if code in theme_ids
        for position, texts in enumerate(entries, start=1)
        for language in ("nl", "fr", "en")
    ]
    if rows:
        op.bulk_insert(suggestion, rows)


def downgrade() -> None:
    op.drop_index(op.f('ix_theme_suggestion_theme_id'), table_name='theme_suggestion')
    op.drop_table('theme_suggestion')
