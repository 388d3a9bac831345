"""The demo organisation's texts in Dutch and French (demo.py has the English ones): data, not code.

Two published actions deliberately have no French yet ("Technical career ladder for IT developers"
and "Rewrite job descriptions for store and warehouse vacancies"), so the status page's list of
published actions missing a language has something to show.
"""

from __future__ import annotations

# Department and job family names, by the English name (also the key name): (nl, fr).
GROUP_NAMES = {
    "Retail stores": ("Winkels", "Magasins"),
    "Logistics": ("Logistiek", "Logistique"),
    "Production": ("Productie", "Production"),
    "Customer service": ("Klantendienst", "Service clientèle"),
    "IT": ("IT", "Informatique"),
    "Sales": ("Verkoop", "Ventes"),
    "Finance": ("Financiën", "Finances"),
    "HR": ("HR", "RH"),
    "Store associate": ("Winkelmedewerker", "Vendeur en magasin"),
    "Store manager": ("Winkelverantwoordelijke", "Gérant de magasin"),
    "Warehouse operator": ("Magazijnier", "Magasinier"),
    "Production operator": ("Productieoperator", "Opérateur de production"),
    "Customer service agent": ("Klantendienstmedewerker", "Agent du service clientèle"),
    "IT developer": ("IT-ontwikkelaar", "Développeur informatique"),
    "Accountant": ("Boekhouder", "Comptable"),
    "Sales rep": ("Vertegenwoordiger", "Représentant commercial"),
    "HR advisor": ("HR-adviseur", "Conseiller RH"),
    "Team lead": ("Ploegleider", "Chef d'équipe"),
}

# Per English title: (Dutch title, Dutch public summary, French title, French public summary).
ACTION_TEXTS = {
    "Structured onboarding programme for new staff": (
        "Gestructureerd onthaalprogramma voor nieuwe collega's",
        "Nieuwe collega's krijgen nu twee weken onthaal met een peter of meter, en een opleiding veiligheid (en "
        "de kassa in onze winkels) voor ze voor het eerst alleen werken.",
        "Programme d'accueil structuré pour les nouveaux collègues",
        "Les nouveaux collègues bénéficient désormais de deux semaines d'accueil avec un parrain ou une marraine, "
        "et d'une formation à la sécurité (et à la caisse dans nos magasins) avant leur première prestation seuls.",
    ),
    "Self-rostering app for store staff": (
        "Roosterapp waarmee winkelmedewerkers zelf hun shiften kiezen",
        "Collega's in de winkels kiezen en ruilen hun shiften nu zelf in de roosterapp.",
        "Application de planning pour le personnel des magasins",
        "Les collègues des magasins choisissent et échangent désormais eux-mêmes leurs horaires dans "
        "l'application de planning.",
    ),
    "Benchmark IT salaries against the Belgian market": (
        "IT-lonen vergelijken met de Belgische markt",
        "We vergeleken de IT-lonen met de Belgische markt en trokken de loonschalen op die eronder lagen.",
        "Comparer les salaires IT au marché belge",
        "Nous avons comparé les salaires IT au marché belge et relevé les barèmes qui se situaient en dessous.",
    ),
    "Feedback training for warehouse team leads": (
        "Feedbackopleiding voor ploegleiders in het magazijn",
        "Alle ploegleiders in onze magazijnen volgden een opleiding feedback geven en houden nu elke maand een "
        "één-op-ééngesprek met elk teamlid.",
        "Formation au feedback pour les chefs d'équipe des entrepôts",
        "Tous les chefs d'équipe de nos entrepôts ont suivi une formation pour donner du feedback et ont "
        "désormais un entretien individuel mensuel avec chaque membre de leur équipe.",
    ),
    "Publish shift schedules four weeks ahead": (
        "Uurroosters vier weken op voorhand bekendmaken",
        "De uurroosters komen nu minstens vier weken op voorhand uit, en je kunt een ruil aanvragen in de "
        "planningstool.",
        "Publier les horaires quatre semaines à l'avance",
        "Les horaires sont désormais publiés au moins quatre semaines à l'avance, et vous pouvez demander un "
        "échange dans l'outil de planning.",
    ),
    "Technical career ladder for IT developers": (
        "Technisch loopbaanpad voor IT-ontwikkelaars",
        "We werken aan een loopbaanpad voor ontwikkelaars waarmee je kunt groeien zonder leidinggevende te worden.",
        "", "",
    ),
    "Peer recognition programme in Customer service": (
        "Waardering door collega's in de klantendienst",
        "Complimenten van klanten worden nu elke week met het hele team gedeeld, en elke maand dragen collega's "
        "elkaar voor voor een bedankje.",
        "Reconnaissance entre collègues au service clientèle",
        "Les compliments des clients sont désormais partagés chaque semaine avec toute l'équipe, et chaque mois "
        "les collègues se proposent mutuellement pour un remerciement.",
    ),
    "Reduce warehouse overtime with a flexible staff pool": (
        "Minder overuren in het magazijn dankzij een flexpool",
        "We bouwen een pool van flexibele collega's uit voor de piekmomenten in de magazijnen, zodat er minder "
        "overuren nodig zijn.",
        "Moins d'heures supplémentaires dans les entrepôts grâce à un pool flexible",
        "Nous constituons un pool de collègues flexibles pour les pics d'activité dans les entrepôts, afin de "
        "réduire les heures supplémentaires.",
    ),
    "Hire six extra agents for peak hours": (
        "Zes extra medewerkers voor de piekuren",
        "We willen het team van de klantendienst versterken tijdens de piekuren. De aanwervingen liggen stil "
        "zolang het budget herbekeken wordt.",
        "Six agents supplémentaires pour les heures de pointe",
        "Nous prévoyons de renforcer l'équipe du service clientèle aux heures de pointe. Les recrutements sont "
        "suspendus pendant la révision du budget.",
    ),
    "Introduce a cafeteria plan for fringe benefits": (
        "Een cafetariaplan voor extralegale voordelen",
        "We werken aan een cafetariaplan waarmee je zelf je extralegale voordelen kiest.",
        "Un plan cafétéria pour les avantages extralégaux",
        "Nous préparons un plan cafétéria qui vous permettra de choisir vous-même vos avantages extralégaux.",
    ),
    "Quarterly team days for the night shift": (
        "Elk kwartaal een teamdag voor de nachtploeg",
        "Collega's van de nachtploeg krijgen elk kwartaal een teamdag en een plaats op de maandelijkse "
        "infosessies.",
        "Une journée d'équipe par trimestre pour l'équipe de nuit",
        "Les collègues de l'équipe de nuit auront une journée d'équipe chaque trimestre et une place aux séances "
        "d'information mensuelles.",
    ),
    "Stay interviews in every team": (
        "Blijfgesprekken in elk team",
        "Je ploegleider vraagt wat je hier houdt en wat je zou doen vertrekken, zodat we kunnen ingrijpen voor "
        "het te laat is.",
        "Entretiens de fidélisation dans chaque équipe",
        "Votre chef d'équipe vous demandera ce qui vous retient ici et ce qui vous ferait partir, pour que nous "
        "puissions agir avant qu'il ne soit trop tard.",
    ),
    "Fair weekend rota in the stores": (
        "Eerlijke weekendplanning in de winkels",
        "De weekendshiften in de winkels worden eerlijker verdeeld, met op aanvraag één vrij weekend per maand.",
        "Un planning du week-end équitable dans les magasins",
        "Les prestations du week-end dans les magasins seront mieux réparties, avec un week-end libre par mois "
        "sur demande.",
    ),
    "Four-day week pilot in Finance": (
        "Proefproject vierdagenweek bij Financiën",
        "Het proefproject met de vierdagenweek bij Financiën gaat niet door. In de plaats daarvan kunnen "
        "collega's van Financiën nu tot drie dagen per week thuiswerken.",
        "Projet pilote de semaine de quatre jours aux Finances",
        "Le projet pilote de semaine de quatre jours aux Finances n'aura pas lieu. En remplacement, les "
        "collègues des Finances peuvent désormais télétravailler jusqu'à trois jours par semaine.",
    ),
    "Raise the night shift premium": (
        "De nachtpremie verhogen",
        "De nachtpremie stijgt via het nieuwe sectorakkoord, dus deze actie van het bedrijf is niet meer nodig.",
        "Augmenter la prime de nuit",
        "La prime de nuit augmente grâce au nouvel accord sectoriel : cette action de l'entreprise n'est donc "
        "plus nécessaire.",
    ),
    "Rewrite job descriptions for store and warehouse vacancies": (
        "Vacatures voor winkel en magazijn herschrijven",
        "We herschrijven onze vacatures samen met collega's die de job doen, zodat nieuwe mensen weten wat hen "
        "te wachten staat.",
        "", "",
    ),
}


# Per English title: (Dutch description, Dutch success measure, French description, French success measure).
# The five done actions, whose pages the demo shows first; the others are in English only (readers of
# another language see the English text, marked as English).
DESCRIPTION_TEXTS = {
    "Structured onboarding programme for new staff": (
        "Vertrekkers noemen steeds weer een chaotische eerste week en geen opleiding voor de eerste shift, vooral "
        "in de winkels. Voer een onthaalprogramma van twee weken in: een peter of meter voor elke starter, een "
        "checklist voor leidinggevenden en e-learning over veiligheid (en de kassa in de winkels) voor de eerste "
        "shift alleen.",
        "Minder dan 10% van de vertrekkers noemt onthaal of opleiding; een derde minder vertrekkers in het "
        "eerste jaar.",
        "Les personnes qui partent citent sans cesse une première semaine chaotique et aucune formation avant "
        "le premier service, surtout dans les magasins. Mettre en place un programme d'accueil de deux "
        "semaines : un parrain ou une marraine pour chaque nouveau, une liste de contrôle pour les "
        "responsables et un module en ligne sur la sécurité (et la caisse en magasin) avant le premier service "
        "en autonomie.",
        "Moins de 10 % des personnes qui partent citent l'accueil ou la formation ; un tiers de départs "
        "en moins la première année.",
    ),
    "Self-rostering app for store staff": (
        "Vertrekkers uit de winkels zeggen dat hun shiften kort op voorhand voor hen beslist worden. Laat het "
        "winkelpersoneel zelf shiften kiezen en ruilen in een roosterapp, binnen de bezetting die elke winkel "
        "nodig heeft.",
        "Minder dan 15% van de vertrekkers uit de winkels noemt uurroosters of de balans werk-privé.",
        "Les personnes qui quittent les magasins disent que leurs horaires leur sont imposés peu de temps à "
        "l'avance. Permettre au personnel des magasins de choisir et d'échanger ses services dans une "
        "application de planning, dans la limite de l'effectif dont chaque magasin a besoin.",
        "Moins de 15 % des personnes qui quittent les magasins citent les horaires ou l'équilibre entre vie "
        "professionnelle et vie privée.",
    ),
    "Benchmark IT salaries against the Belgian market": (
        "IT-ontwikkelaars vertrekken voor een beter loon elders. Koop een salarisonderzoek voor Belgische "
        "IT-functies, vergelijk elke IT-loonschaal ermee en trek de schalen op die onder de mediaan liggen.",
        "Alle IT-loonschalen op of boven de marktmediaan; minder dan 25% van de IT-vertrekkers noemt het loon.",
        "Les développeurs partent pour un meilleur salaire ailleurs. Acheter une enquête salariale sur les "
        "métiers de l'informatique en Belgique, y comparer chaque grille salariale informatique et relever "
        "celles qui se situent sous la médiane.",
        "Toutes les grilles salariales informatiques au niveau de la médiane du marché ou au-dessus ; le "
        "salaire cité par moins de 25 % des personnes qui quittent l'informatique.",
    ),
    "Feedback training for warehouse team leads": (
        "Magazijniers beschrijven ploegleiders die geen feedback geven en alleen iets zeggen als er iets "
        "misloopt. Leer elke ploegleider in Logistiek feedback geven en korte één-op-éénsgesprekken voeren.",
        "Elke ploegleider opgeleid; gemiddelde score voor steun van de leidinggevende bij vertrekkers uit "
        "Logistiek boven 3.",
        "Les magasiniers décrivent des chefs d'équipe qui ne donnent aucun retour et ne parlent que lorsque "
        "quelque chose ne va pas. Former chaque chef d'équipe de la logistique à donner du feedback et à tenir "
        "de courts entretiens individuels.",
        "Chaque chef d'équipe formé ; score moyen de soutien du responsable au-dessus de 3 chez les "
        "personnes qui quittent la logistique.",
    ),
    "Publish shift schedules four weeks ahead": (
        "Vertrekkers uit winkels, magazijnen en productie zeggen dat ze hun gezinsleven niet kunnen plannen "
        "omdat de uurroosters maar een paar dagen op voorhand verschijnen. Publiceer de uurroosters minstens "
        "vier weken op voorhand en regel ruilen in de planningstool.",
        "95% van de uurroosters vier weken op voorhand gepubliceerd; minder vertrekkers noemen de uurroosters.",
        "Les personnes qui quittent les magasins, les entrepôts et la production disent ne pas pouvoir "
        "organiser leur vie de famille parce que les horaires ne sont connus que quelques jours à l'avance. "
        "Publier les horaires au moins quatre semaines à l'avance et gérer les échanges dans l'outil de "
        "planning.",
        "95 % des horaires publiés quatre semaines à l'avance ; les horaires cités par moins de personnes "
        "qui partent.",
    ),
}
