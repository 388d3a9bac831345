"""How answers say that a theme is not a reason: the words of negation, praise, thanks and contrast, and
the phrases that give a keyword another sense, per language (nl, fr, en).

HR's keywords say what each theme is about (they live on the theme, editable on /themes); this module
holds the grammar around them, which HR does not need to keep. Every word here is folded (lower case,
no accents, see rules.fold) and every phrase is a regular expression over the folded words of a
clause joined by single spaces; "n't" is read as the word "not".
"""

from __future__ import annotations

# Words that end a clause as a comma does: a contrast turns to another point ("X was fine, but Y").
CONTRASTS = {
    "en": ("but", "however", "although", "though", "whereas", "rather", "instead", "the real", "the actual",
           "the main problem", "the main issue", "the main reason", "what really", "mostly because", "except",
           "apart from", "other than", "only the", "my only", "the only problem", "the only issue"),
    "nl": ("maar", "echter", "wel", "toch", "terwijl", "eerder", "het echte", "de echte", "het eigenlijke",
           "de eigenlijke", "het grootste probleem", "vooral omdat", "behalve", "buiten", "alleen de", "alleen het",
           "enkel de", "enkel het", "het enige probleem"),
    "fr": ("mais", "cependant", "pourtant", "toutefois", "par contre", "en revanche", "alors que", "plutot",
           "le vrai", "la vraie", "le veritable", "la veritable", "surtout parce", "sauf", "a part", "excepte",
           "seul bemol", "le seul probleme", "le seul souci"),
}

# Words that negate what follows them in their clause.
NEGATIONS = {
    "en": ("not", "no", "never", "nobody", "nothing", "none", "nor", "neither", "without", "hardly", "barely",
           "no one", "not even", "lack of"),
    "nl": ("niet", "nie", "geen", "nooit", "niemand", "niets", "niks", "zonder", "nergens", "amper", "nauwelijks",
           "gebrek aan"),
    "fr": ("ne", "n", "pas", "jamais", "aucun", "aucune", "personne", "rien", "sans", "ni", "guere", "manque de"),
}

# A denial: the theme's word is named as what it was not ("it wasn't the pay", "niet om het geld",
# "pas à cause du salaire"). A lack ("no training", "geen opleiding", "pas de formation") stays a
# complaint, and so does a plain negated verb ("I wasn't paid enough", "mon salaire n'a pas bougé").
# Each pattern must end right before the keyword. A reason denied reaches to the end of its segment
# ("not because of my manager, the team or the pay"); a thing denied to the end of its clause.
DENIED_REASONS = {
    "en": (
        r"\b(?:not|never)(?: (?:really|mainly|primarily|so much|actually|just))?(?: (?:leaving|leave|left|going|"
        r"quitting|quit|moving))?(?: (?:because of|due to|about|for|over|related to|caused by|down to|"
        r"to do with))(?: (?:the|my|his|her|their|our|its|this|that|any|a|an))? $",
    ),
    "nl": (
        r"\b(?:niet|nie|nooit)(?: (?:echt|zozeer|zo zeer|vooral|eigenlijk))?(?: (?:vertrokken|weggegaan|gestopt|"
        r"vertrek|ga|weg))? (?:om|omwille van|vanwege|"
        r"wegens|door|over|te maken met|te wijten aan)(?: (?:het|de|t|mijn|m n|zijn|haar|hun|onze|ons|die|dat|"
        r"dit|deze|een))? $",
    ),
    "fr": (
        r"\b(?:pas|jamais|plus)(?: (?:vraiment|tellement|seulement))?(?: (?:parti|partie|partis|quitte|pars|"
        r"partais|demissionne))? (?:a cause d|a cause de|a cause du|"
        r"a cause des|pour|en raison d|en raison de|en raison du|lie a|lie au|liee a|une question d|"
        r"une question de|question de|question d|a propos d|a propos de|a propos du|au sujet d|au sujet de|"
        r"au sujet du)(?: (?:la|le|les|l|mon|ma|mes|son|sa|ses|notre|nos|leur|leurs))? $",
    ),
}
DENIALS = {
    "en": (
        r"\b(?:was|were|is|are|s|it|that) (?:not|never)(?: really)? (?:the|my|his|her|their|our|its|this|that) $",
        r"^(?:and )?(?:not|never) (?:the|my|his|her|their|our|its|this|that) $",
    ),
    "nl": (
        r"\b(?:was|waren|is|zijn|het|t|dat|da s) (?:niet|nie|nooit)(?: echt)? (?:het|de|t|mijn|m n|zijn|haar|hun|"
        r"onze|ons|die|dat|dit|deze) $",
        r"^(?:en )?(?:niet|nie|nooit) (?:het|de|t|mijn|m n|zijn|haar|hun|onze|ons) $",
        r"\b(?:lag|ligt) (?:het )?(?:echt |zeker )?(?:niet|nie) aan (?:het|de|t|mijn|m n|zijn|haar|hun|onze|ons)? ?$",
    ),
    "fr": (
        r"\b(?:etait|etaient|est|sont|c etait|c est|ce) (?:pas|jamais|plus|ni)(?: vraiment)? (?:la|le|les|l|mon|"
        r"ma|mes|son|sa|ses|notre|nos|leur|leurs|ce|cette) $",
        # "ce n'était ni la charge ni les collègues": each "ni" denies what it names.
        r"\b(?:etait|etaient|est|c etait|c est) ni (?:\w+ ){1,4}ni (?:la|le|les|l|mon|ma|mes|son|sa|ses|notre|nos) $",
        r"^(?:et )?(?:pas|jamais) (?:la|le|les|l|mon|ma|mes|son|sa|ses|notre|nos) $",
    ),
}

# A denial after the theme's words: they are cleared by what follows them ("aan mijn baas lag het niet",
# "my manager had nothing to do with it", "mon chef n'y est pour rien"). Each pattern is read from a word after
# the theme's words, up to the first verb or negation of the clause (so "X was rude and Y had nothing to do with
# it" clears Y only); it must match from there on.
DENIED_AFTER = {
    "en": (
        # "had nothing to do with it" (but "the values had nothing to do with how people were treated" complains).
        r"^(?:had|has|have) (?:nothing|little|not much|not anything) to do with (?:it|that|this|me leaving|my leaving|"
        r"my decision|the decision|my departure|why)\b",
        r"^(?:was|were|is|are|s) (?:not|never) (?:really |actually |even )?(?:why|what made|what pushed|what drove|"
        r"what decided|it|to blame|a factor)\b",
        r"^(?:did|does|do) not (?:really )?(?:play (?:a|any) (?:role|part)|make me (?:leave|go|quit)|bother me)\b",
        r"^played (?:no|little) (?:role|part)\b",
    ),
    "nl": (
        r"^(?:lag|ligt|lagen|liggen) het (?:\w+ )?(?:niet|nie)\b",
        r"^(?:had|heeft|hadden|hebben) (?:er |daar )?(?:\w+ )?(?:niets|niks|weinig|nie) (?:mee |me )?te maken\b",
        r"^(?:was|is|waren|zijn) (?:niet|nie) (?:echt )?(?:waarom|wat mij deed|wat me deed|het punt)\b",
        r"^(?:heeft|had|hebben) (?:mij|me) (?:niet|nie) (?:doen )?(?:vertrekken|weggaan)\b",
    ),
    "fr": (
        r"^(?:n )?y (?:est|etait|sont|etaient) (?:vraiment |absolument )?pour rien\b",
        r"^(?:n )?(?:a|avait|ont|avaient) rien a voir\b(?! avec (?!(?:ca|cela|mon depart|ma decision)\b))",
        r"^(?:ce |c )?(?:n )?(?:etait|est) (?:pas|jamais) (?:ca|cela|la raison|la cause|pourquoi)\b",
        r"^(?:ne |n )(?:m )?(?:a|ont|avait) (?:pas|jamais|rien) (?:\w+ )?(?:fait partir|pousse a partir)\b",
    ),
}

# "X was not the problem", "geen klachten over X", "aucun reproche à X": every theme of the clause is denied.
PROBLEMS = {
    "en": ("problem", "problems", "issue", "issues", "reason", "reasons", "factor", "complaint", "complaints",
           "concern", "concerns", "complain"),
    "nl": ("probleem", "problemen", "issue", "issues", "reden", "redenen", "klacht", "klachten", "rol",
           "bezwaar", "bezwaren", "klagen"),
    "fr": ("probleme", "problemes", "souci", "soucis", "raison", "raisons", "plainte", "plaintes", "reproche",
           "reproches", "role", "facteur", "plaindre"),
}
# "not the only reason" still says it was a reason.
ONLY = {"en": ("only", "main", "just"), "nl": ("enige", "enigste", "belangrijkste"),
        "fr": ("seul", "seule", "seuls", "principal", "principale")}
# Phrases that praise or clear whatever follows them in their clause.
CLEARED_BY = {
    "en": (r"\bnothing wrong with\b", r"\bhappy with\b", r"\bfond memories of\b", r"\bsatisfied with\b",
           r"\bno problem with\b",
           r"\b(?:liked|loved|enjoyed|appreciated|adored|ll miss|will miss|miss)\b"),
    "nl": (r"\b(?:niks|niets) mis met\b", r"\b(?:goede|mooie|fijne) herinneringen aan\b", r"\btevreden (?:over|met)\b",
           r"\bgeen klagen over\b",
           r"\b(?:apprecieerde|apprecieer|genoot van|genoten van|hield van|ga ik missen|ga missen|zal missen)\b"),
    "fr": (r"\brien a redire\b", r"\bsatisfaite? d", r"\bcontente? d",
           r"\b(?:bon|bons|excellent|excellents|meilleur|meilleurs|beau|beaux|tres bon) souvenirs? d",
           r"\b(?:aimais|aime|aimee|adorais|adore|adoree|apprecie|appreciais|appreciee)\b"),
}

# Praise of a theme named before it in the clause ("the pay was fine", "de sfeer was top", "le salaire
# était correct"), or just before it ("great colleagues", "toffe collega's", "bonne ambiance").
PRAISE = {
    "en": ("fine", "good", "great", "ok", "okay", "decent", "fair", "nice", "excellent", "perfect", "alright",
           "top", "super", "brilliant", "lovely", "fantastic", "amazing", "wonderful", "not bad", "reasonable",
           "competitive", "friendly", "supportive", "generous", "solid", "pleasant", "awesome", "brilliant",
           "helpful", "fun", "best", "like family", "like a family", "like a second family"),
    "nl": ("goed", "goede", "goeie", "prima", "ok", "oke", "top", "tof", "toffe", "fijn", "fijne", "leuk", "leuke",
           "correct", "uitstekend", "uitstekende", "in orde", "schitterend", "niet slecht", "geweldig", "super",
           "fantastisch", "nie slecht", "aangenaam", "aangename", "degelijk", "degelijke", "behoorlijk", "redelijk",
           "OK", "goe",
           "deftig", "deftige", "zalig", "plezant", "plezante", "chic", "gezellig", "gezellige", "tip top",
           "als een familie", "een familie", "het beste"),
    "fr": ("bien", "bon", "bonne", "bons", "bonnes", "correct", "correcte", "corrects", "super", "top", "sympa",
           "genial", "geniale", "geniaux", "excellent", "excellente", "parfait", "parfaite", "agreable",
           "chouette", "pas mal", "satisfaisant", "satisfaisante", "nickel", "raisonnable", "formidable", "ok",
           "okay", "impeccable", "convenable", "au top", "de mieux", "le meilleur", "sympas", "gentils", "gentilles",
           "excellents",
           "excellentes", "parfaits", "agreables", "chouettes", "correctes", "supers", "geniales", "comme une famille",
           "une famille"),
}
# Praise that may follow a theme's word directly ("une ambiance super", "une équipe géniale").
PRAISE_AFTER_NOUN = {
    "en": (),
    "nl": (),
    "fr": ("super", "top", "sympa", "genial", "geniale", "geniaux", "excellent", "excellente", "agreable",
           "formidable", "correct", "correcte", "chouette", "reussi", "reussie"),
}
# Verbs that link a theme to its praise ("was", "is", "vond ... leuk", "était").
LINKS = {
    "en": ("was", "were", "is", "are", "s", "been", "seemed", "felt", "always", "remained", "stayed", "am", "m"),
    "nl": ("was", "waren", "is", "zijn", "bleek", "bleef", "vond", "vind", "vonden", "altijd", "ben"),
    "fr": ("etait", "etaient", "est", "sont", "c etait", "c est", "a ete", "ont ete", "restait", "toujours", "etais",
           "suis"),
}
# Verbs before a theme that link it to praise after it ("ik vond de sfeer leuk", "I found the team great").
LINKS_BEFORE = {
    "en": ("found", "find"),
    "nl": ("vond", "vind", "vonden", "vinden"),
    "fr": ("trouvais", "trouve", "trouvait"),
}
# Words that may stand between a link and the praise ("was really fine", "was echt top").
DEGREES = {
    "en": ("really", "very", "quite", "pretty", "more", "perfectly", "actually", "all", "always", "honestly", "just"),
    "nl": ("echt", "heel", "zeer", "best", "wel", "nog", "altijd", "eigenlijk", "zeker", "vrij", "dik", "ook"),
    "fr": ("vraiment", "tres", "plutot", "assez", "toujours", "franchement", "tout a fait", "bien", "aussi"),
}
# Words that open a clause taking up the themes named before it, which then comments on them
# ("Le télétravail, ça allait", "Mijn baas, mijn collega's en mijn loon: allemaal in orde").
RESUMPTIONS = {
    "en": ("all", "both", "everything", "that", "which", "it", "they"),
    "nl": ("allemaal", "alles", "allebei", "beide", "dat", "da", "die", "het", "t"),
    "fr": ("ca", "c", "ce", "cela", "tout", "tous", "toutes", "les deux"),
}
# Praise of the past is no praise now ("de sfeer was vroeger goed", "great at first").
PAST = {
    "en": ("used to", "at first", "in the beginning", "at the start", "once", "before"),
    "nl": ("vroeger", "eerst", "in het begin", "aanvankelijk", "ooit", "destijds"),
    "fr": ("avant", "au debut", "autrefois", "auparavant", "a l epoque", "au depart"),
}
# Verbs after a theme that praise it without a link ("mes collègues vont me manquer").
# Support given is praise too ("mijn baas steunde me altijd", "my manager always supported me").
PRAISED_AFTER = {
    "en": ("supported me", "supported us", "backed me", "backed us", "helped me", "always supported", "always backed",
           "always helped"),
    "nl": ("missen", "gaan missen", "zal missen", "viel mee", "viel nog mee", "valt mee", "valt nog mee",
           "viel best mee", "steunde me", "steunde mij", "steunde ons", "stond altijd klaar", "hielp me",
           "hielp ons", "steunden me", "steunden ons"),
    "fr": ("me manque", "me manquent", "me manqueront", "vont me manquer", "va me manquer", "me plaisait",
           "me plait", "me plaisaient", "ca allait", "ca va", "ca allait bien", "ca va bien", "me soutenait",
           "nous soutenait", "m a soutenu", "m a toujours soutenu", "nous a soutenus", "m aidait", "m a aide"),
}

# Words that may come between the words of a keyword of several words ("zelf niets beslissen" is "zelf beslissen",
# "make any of my own decisions" is not, as only one such word may come between).
GAPS = {
    "en": ("any", "even", "really", "ever", "never", "not", "all", "anything", "nothing", "much"),
    "nl": ("niets", "niks", "nooit", "nog", "ook", "even", "echt", "zelfs", "niet", "nie", "wel", "veel"),
    "fr": ("rien", "jamais", "pas", "plus", "vraiment", "meme", "tout", "beaucoup"),
}

# Thanks and farewells: a clause of thanks names themes without complaining about them ("thanks to the
# team", "merci pour tout"), unless the thanks are missing ("nobody ever said thank you").
THANKS = {
    "en": ("thank", "thanks", "grateful", "greetings", "good luck", "regards"),
    "nl": ("bedankt", "dank", "dankbaar", "dankjewel", "merci", "groeten", "veel succes"),
    "fr": ("merci", "remercie", "remercier", "remercions", "reconnaissant", "reconnaissante",
           "bonne continuation"),
}

# Phrases in which a keyword has another sense: the theme they point at instead (None: no theme).
# They win over the keywords they overlap; a group named "word" limits the phrase to its own words.
# A theme written "+code" is pointed at as well: the phrase adds it and leaves the keywords it overlaps alone
# ("wanted to learn" is growth as well as training).
# The speaker's own job title ("hired as a project manager", "als teamleider", "comme responsable").
_TITLE = (r"\b(?:as|als|comme|en tant que) (?!(?:my|our|his|her|their|mijn|m n|onze|ons|zijn|haar|hun|mon|ma|notre|son|"
          r"sa|leur) )(?:a |an |the |een |un |une )?(?:\w+ )?"
          r"(?P<word>manager|supervisor|team lead|lead|boss|leidinggevende|teamleider|chef|manager|responsable)\b")
SENSES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "en": (
        (_TITLE, None),
        # Living near one's family is about moving, not balancing work and family.
        (r"\b(?:closer|close|near|nearer|back|home) to (?:my |our |the |his |her )?(?:family|families|parents|"
         r"partner)\b", "other"),
        (r"\bpay (?:for it|for that|the price|attention)\b", None),
        (r"\braised? (?:concerns|issues|questions|the issue|the matter|my concerns|this issue|it with)\b", None),
        (r"\b(?P<word>blamed|blames|blaming) (?:me|us|him|her|them|everyone)\b", None),
        # The speaker trained others: no lack of training.
        (r"\bi (?:\w+ )?(?P<word>trained|coached|mentored|onboarded)\b", None),
        (r"\b(?:nobody|no one)(?: \w+){0,2} (?:mentioned|said anything|said a word|cared)\b"
         r"(?! about (?:anyone|anybody|each other|one another|others))", "recognition"),
        (r"\bpromised (?:me |us )?(?:a |an |the )?(?:\w+ )?(?:role|job|position)\b", "role_mismatch"),
        (r"\b(?:to|will|ll|i|we|must|should|could|would|decided to|chose to|had to|want to|wanted to) leave\b",
         None),
        (r"\blearn(?:ed|t) (?:a lot|so much|plenty)\b", None),
        # "made me leave", "why I leave": leaving the job, not leave from work.
        (r"\b(?:me|us|why i|why we) (?P<word>leave)\b", None),
        (r"\b(?:live|living|move|moving|settle) closer to\b", "other"),
        # Asking colleagues, recognised by management, the same shifts: the word names who, not the problem.
        (r"\b(?:ask|asked|asking) (?:my |the |other |a )?(?P<word>colleagues?|team ?mates?)\b", None),
        (r"\b(?:recogni[sz]ed|appreciated|valued|thanked|noticed|acknowledged) by (?:the |my |our )?"
         r"(?P<word>management|manager|boss|supervisor|director|leadership)\b", None),
        (r"\bfor the same (?P<word>shifts?|hours)\b", None),
        # Leading a team is what a manager does; a lead's job applied for is a step up.
        (r"\b(?:manage|managing|manages|lead|leading|leads|run|running|runs) (?:a |the |his |her |our |their )?"
         r"(?P<word>team)s?\b", "management"),
        (r"\b(?:the |a )?(?P<word>team lead|team leader|manager|supervisor|lead|head)(?: \w+)? (?:job|position|role|"
         r"post|vacancy|opening)\b", "growth_career"),
        (r"\bcover(?:ing|ed)? for (?:\w+ )?(?P<word>colleagues?)\b", "workload_autonomy"),
        (r"\b(?:covered|cover|covering|did|doing|took over|taking over) the work of (?:a |my |two |three |\w+ )?"
         r"(?P<word>colleagues?)\b", "workload_autonomy"),
        (r"\bsick (?P<word>leave)\b", None),
        # More responsibility in the new job is a step up; more piled on in this one is workload (below).
        (r"\bwith (?:more|greater|bigger|real) responsibilit\w*", "growth_career"),
        # "The hours": the schedule (a denial before "the" still reaches the word).
        (r"\b(?:the|my|our|their|these|those) (?P<word>hours)\b", "flexibility_balance"),
        # A family to feed asks for money, not for time; a chef by training has had training.
        (r"\b(?P<word>family|kids|children) to (?:feed|support|provide for|keep)\b", "pay_benefits"),
        (r"\bby (?P<word>training|education)\b", None),
        # Thanks that should come from someone: recognition wished for, not thanks given.
        (r"\b(?P<word>thank you|thank-you|thanks|word of thanks) from (?:the |my |our |a |senior )?\w+", "recognition"),
        # Trust among colleagues is the culture; trust in the manager is management.
        (r"\b(?:could|can|cannot|couldn|able to) (?:not |never |really )?(?P<word>trust) (?:anyone|anybody|each other|"
         r"one another|no one|nobody|your colleagues|colleagues)\b",
         "culture_engagement"),
        # "I'd rather not say" gives no reason (and "not" is no "no say").
        (r"\b(?:rather|prefer|prefer to|would rather|d rather) not (?:to )?(?P<word>say)\b", None),
        # A course in leadership is a step up as well as training.
        (r"\b(?P<word>leadership|management) (?:course|training|programme|program|track)\b", "growth_career"),
        (r"\bin the end,? i (?:only |just |mostly )?(?:did|was doing|worked|was)\b", "role_mismatch"),
        (r"\bi (?:only|just) (?:ever )?did\b", "role_mismatch"),
        # Patients per nurse, tickets per agent: how much work there is.
        (r"\b(?:patients|clients|customers|files|cases|tickets|calls|beds|children|kids|pupils|students) per "
         r"(?:nurse|agent|person|employee|head|teacher|worker|carer|caregiver|colleague|team member|doctor|day|shift|"
         r"hour|week)\b", "workload_autonomy"),
        (r"\bwork of (?:two|three|four|five|six|\d+)\b", "workload_autonomy"),
        (r"\b(?:trusted|trust (?:me|us)|the trust) to (?:(?:make|take)(?: \w+){0,3} decisions?|decide|choose|"
         r"organi[sz]e)\b", "workload_autonomy"),
        (r"\b(?:wanted|needed|were looking for|looking for|hired) (?:a|an) \w+,? not (?:a|an) \w+", "role_mismatch"),
        # Stopping work to care for an ill parent or partner is a personal reason (more time off for it is balance).
        (r"\b(?:stop|stopping|leave|leaving|quit|quitting|stop working|give up work) "
         r"(?:\w+ )?to (?:look after|care for|"
         r"take care of|be with) (?:my |our )(?:mother|father|mum|mom|dad|parents|husband|wife|partner|grandmother|"
         r"grandfather|sister|brother)\b", "other"),
        (r"\b(?P<word>conflicting) (?:instructions|orders|priorities|messages|information|demands|goals)\b",
         "management"),
        (r"\b(?:my|the|daily) (?P<word>travel)\b", "flexibility_balance"),
        (r"\bnothing (?:more |new |left )?to (?P<word>learn)\b", "growth_career"),
        (r"\b(?:stopped|stop|no longer) (?P<word>learning)\b", "growth_career"),
        (r"\b(?:\d+|ten|eleven|twelve|fourteen)[ -]hour (?:days|shifts|workdays)\b", "workload_autonomy"),
        # A team "like family" is praise of the team, not a question of family and work.
        (r"\blike (?:a |one big |a second |my )?(?P<word>family)\b", None),
        # Wanting to learn is about growing as well as about training (the training word stays).
        (r"\b(?P<word>(?:wanted|want|wanting|hoped|hoping|eager|keen|wished|asked|asking) to)(?: \w+)? learn\w*",
         "+growth_career"),
        # One's own qualification is no lack of training: "a trained nurse", "a certified electrician".
        (r"\b(?:a|an|am|m|fully) (?P<word>trained|qualified|certified)\b", None),
        # Doing other work than the job: "they had me doing paperwork", "in reality it was support".
        (r"\b(?:had|kept) (?:me|us) (?:doing|\w+ing)\b", "role_mismatch"),
        (r"\bspent (?:(?:most|all|half|much) of )?(?:my|the|whole) (?:time|days?|weeks?)\b", "role_mismatch"),
        (r"\b(?:job|role|position|promotion|post) (?:that )?(?:i|we) (?:had )?applied for\b", "growth_career"),
        (r"\b(?:husband|wife|partner|spouse|boyfriend|girlfriend) (?:\w+ ){0,3}(?:transferred|posted|relocated|"
         r"got a job|found a job|moves|is moving)\b", "other"),
        (r"\b(?:twice|double|doubled|triple|tripled)(?: the)? (?:\w+ )?(?:work|workload|responsibilit\w*|tasks)\b",
         "workload_autonomy"),
        # Everything going through someone: no room to decide, whoever that someone is.
        (r"\beverything (?:had to|needed to|must|has to) (?:go )?(?:through|via|past) (?:the |my |our )?(?P<word>\w+)",
         "workload_autonomy"),
        (r"\bnever (?:once )?(?:said|told (?:me|us)) (?:that )?(?:i|we|it|my work) (?:did|was|were|had done) "
         r"(?:a )?(?:good|well|great)", "recognition"),
        (r"\bin reality,? (?:it|i|the job|the role|my job|the work) (?:was|did|had|meant|turned)\b", "role_mismatch"),
        # Goals that keep moving are how the place is managed, not a job that differs from its description.
        (r"\b(?:priorities|goals|objectives|expectations|plans|instructions) (?:\w+ ){0,2}(?:chang|shift)\w*",
         "management"),
        (r"\b(?:has|had|have|played|plays|play|playing|with) (?:his |her |their )?(?:own )?favou?rites\b",
         "management"),
        # Someone else taking the credit for one's work.
        (r"\b(?:my|our) (?:work|ideas?|results?|projects?) as (?:his|her|their) own\b", "recognition"),
        (r"\btreated (?:me |us )?like (?:a |an )?(?:intern|number|dirt|slave|robot|machine|nobody|nothing|"
         r"child|kid)\b", "recognition"),
        (r"\bstart(?:ing|ed)? (?:up )?(?:my|our) own\b", "other"),
        (r"\b(?:start|starting|begin|beginning|going back to|go back to|return to|returning to) (?:a |my |an )?"
         r"(?:full ?time |part ?time )?(?:degree|master s|masters|bachelor s|bachelor|phd|studies|college|"
         r"university)\b", "other"),
        (r"\b(?:\d+|ten|twenty|fifteen) (?:percent |per cent )?more\b", "pay_benefits"),
        (r"\bfor the same (?P<word>job|work|role|position|tasks)\b", None),
        (r"\b(?:had to|has to|must|needed to|needs to|have to)(?: \w+){0,2} (?:be )?(?:approved|signed off|"
         r"validated)\b", "workload_autonomy"),
        (r"\b(?:care|caring|look after|looking after|take care of|taking care of) full ?time (?:for )?(?:my |our )"
         r"(?:sick |ill |elderly |disabled )?(?:mother|father|mum|mom|dad|parents|husband|wife|partner|child|son|"
         r"daughter)\b", "other"),
        (r"\b(?:no|never|without|skipped|skipping|skip) (?:\w+ )?(?:lunch )?(?:breaks?|lunch)\b", "workload_autonomy"),
        (r"\bpick (?:up )?(?:my |the |our )?(?:son|daughter|kids|children|child)(?: up)? (?:from|at) "
         r"(?:school|daycare|nursery|creche)\b", "flexibility_balance"),
        # Work that grows is workload, not someone's growth.
        (r"\b(?:workload|work|pressure|stress|tasks|backlog|queue|pile|list|demands?)(?: \w+){0,2} "
         r"(?P<word>grew|grows|growing|grown)\b", None),
        # Expectations that nobody made clear are the manager's job, not a mismatch with the job.
        (r"\bexpectations? (?:\w+ ){0,2}(?:not|never|rarely|seldom)(?: \w+)? (?:clear|explained|communicated)\b",
         "management"),
        (r"\b(?:unclear|vague|no clear) expectations\b", "management"),
        # Coaching or mentoring that someone gives (or not) is how they manage.
        (r"\b(?:gave|give|gives|given|giving|provided)(?: \w+){0,4} (?:coaching|mentoring|guidance)\b",
         "management"),
        (r"\b(?:more|extra|additional|too many) (?:\w+ )?tasks\b", "workload_autonomy"),
        # Too much of the work's own stuff is workload; more responsibility wished for is growth.
        (r"\btoo (?:many|much)(?: \w+)? (?:tasks|meetings|projects|e ?mails|files|hours|requests|calls|tickets|"
         r"clients|customers|cases|of them)\b", "workload_autonomy"),
        (r"\b(?:more|extra|additional|new) responsibilit\w*", "workload_autonomy"),
        (r"\b(?:want|wanted|wanting|looking for|hoped for|hoping for|asked for|ready for|seeking)(?: \w+){0,2} "
         r"responsibilit\w*", "growth_career"),
        (r"\bwork(?:ed|ing)? (?:myself|ourselves|yourself) (?:to death|into the ground|to the bone)\b",
         "workload_autonomy"),
        # Effort that nobody saw is about recognition, whatever the words for it.
        (r"\b(?:work|efforts?|contributions?|ideas)(?: \w+){0,2} (?:not|never|nt|rarely) (?:\w+ )?(?:noticed|seen|"
         r"mattered|counted|valued|appreciated|acknowledged|recogni[sz]ed|rewarded)\b", "recognition"),
        (r"\b(?:not|never|nobody|no one)\b(?: \w+){0,4} (?:my |our )?(?:work|efforts?|contributions?) "
         r"(?:\w+ )?(?:mattered|counted|was noticed|was seen)\b", "recognition"),
        # Colleagues as the measure of one's pay are no comment on the culture.
        (r"\b(?:more|less|higher|lower|than|same as|as much as)\b(?: \w+){0,3} (?:my |the |our |other )?"
         r"(?P<word>colleagues?|team ?mates?|peers?)\b", None),
        (r"\b(?P<word>colleagues?|peers?) (?:\w+ )?(?:earn|earned|make|made|get paid|got paid)\b", None),
        # "I ended up answering the phone": the job turned out to be another one.
        (r"\bended up (?:\w+ing|as)\b", "role_mismatch"),
        (r"\bin practice,? i (?:was|did|had)\b", "role_mismatch"),
        # Doing several people's jobs is workload; a colleague who left is no comment on the culture.
        (r"\b(?:two|three|several|\d+) (?:jobs|roles|people s jobs|desks|positions|posts)\b", "workload_autonomy"),
        # Someone else leaving is no leave; a discipline called management is no manager.
        (r"\b(?:someone|somebody|people|colleagues?|he|she|they) (?P<word>leaves|left|leave)\b", None),
        (r"\b(?:project|programme|program|event|account|product|facility|facilities|office|stock|risk|change|time|"
         r"data|content|community|property|waste) (?P<word>management)\b", None),
        (r"\bsame (?:work|job|tasks|role|position)\b(?: \w+){0,3} (?:as|since|for) (?:\w+ ){0,2}years?\b",
         "growth_career"),
        (r"\b(?:would have liked|wanted|hoped|never got|never|rarely) to hear (?:that )?(?:i|we|my work)\b",
         "recognition"),
        (r"\bnever (?:once )?heard (?:that )?(?:i|we|my work)\b", "recognition"),
        (r"\b(?:since|after|when) (?:my |a |the |our )?(?P<word>colleague)s? (?:left|quit|resigned)\b", None),
        (r"\b(?:going|go|moving|move) to live\b", "other"),
        # Moving with one's family: the family comes along, it is no question of balance.
        (r"\b(?:moving|move|moved|relocating|relocate|emigrating|emigrate|going) (?:\w+ ){0,3}(?:with|for) "
         r"(?:my |our |the )?(?P<word>family|kids|children|wife|husband|partner)\b", None),
        # Becoming a lead or manager elsewhere is a step up, not a complaint about one's manager.
        (r"\b(?:offered|offer|become|becoming|promoted to|promotion to|hired as)(?: me)?(?: a| an| the)? "
         r"(?:senior|lead|manager|team lead|team leader|head|supervisor)\b", "growth_career"),
        # "It wasn't the job, it was my manager": the job denied as the reason, not a job unlike its description.
        (r"\b(?:it|that|this) (?:was|is|s) (?P<word>not (?:the|my) (?:job|work|role|position))(?: itself)?\b"
         r"(?! (?:i|we|they|that i|you|he|she|described|advertised|promised|in)\b)", None),
        # A path to a lead's role is growth ("a clear route to team lead"), not a comment on one's lead.
        (r"\b(?:route|path|way|step|steps|promotion|move|progression|progress|chance|track) (?:up |towards? )?"
         r"(?:to |into )?(?:a |an |the )?(?:senior |more senior )?"
         r"(?P<word>team lead|team leader|manager|supervisor|lead|head|management)\b(?! (?:was|is|were))",
         "growth_career"),
        # Effort that nobody acknowledged, however it is put.
        (r"\b(?:nobody|no one|never)(?: \w+){0,2} (?:acknowledged|noticed|recogni[sz]ed|appreciated|valued)\b",
         "recognition"),
        (r"\bonly (?:\w+ ){0,2}(?:noticed|seen|heard from|hear from|mentioned|talked about) (?:\w+ ){0,3}when\b",
         "recognition"),
        # Learning alone: no training or onboarding, in whatever words.
        (r"\b(?:figur\w*|work\w*|sort\w*) (?:\w+ ){0,2}out (?:on my own|alone|by myself|for myself)\b",
         "training_onboarding"),
        (r"\b(?:nobody|no one|never)(?: \w+){0,2} (?:showed (?:me|us)|taught (?:me|us)|explained (?:\w+ )?how)\b",
         "training_onboarding"),
        (r"\b(?:nobody|no one|never)(?: \w+){0,2} (?:talks?|talked|speaks?|spoke) to (?:each other|one another)\b",
         "culture_engagement"),
        # Decisions over the staff's heads or without a word of why are how the place is managed.
        (r"\bdecisions?(?: \w+){0,4} (?:without (?:any |an |a word of |much )?(?P<word>explanation)|over (?:our|my) "
         r"heads?)\b", "management"),
        (r"\b(?:i|we|they|he|she|was|were|had) (?P<word>scheduled|planned)\b", None),
        # "hired me as a designer but ...": the job turned out to be another one.
        (r"\b(?:hired|recruited|taken on|employed|came in) (?:me |us )?as (?:a |an )?(?:\w+ ){1,2}"
         r"(?:but|yet|only to)\b", "role_mismatch"),
        (r"\b(?:spend|spending) (?:(?:most|all|half|much) of )?(?:my|the|whole) (?:time|days?|weeks?)\b",
         "role_mismatch"),
        # Pension and health cover offered are benefits, not retiring or ill health.
        (r"\b(?P<word>pension|health|healthcare|medical|dental) (?:scheme|plan|cover|coverage|insurance|"
         r"contributions?|fund|benefits?)\b", "pay_benefits"),
        (r"\b(?:someone|somebody|colleague|he|she|they|my boss|my manager)(?: \w+){0,3} (?P<word>retired|retires|"
         r"retiring)\b", None),
        (r"\bexpecting (?:a|our|my|their) (?:first |second |third )?(?:child|baby)\b", "other"),
        (r"\b(?:saturday|sunday|weekend|evening|afternoon|morning|holiday|christmas)s? off\b", "flexibility_balance"),
        (r"\b(?:nobody|no one|never)(?: \w+){0,2} (?:walked|talked|took) (?:me|us) through\b", "training_onboarding"),
        (r"\bfirst (?:day|week|morning)\b(?: \w+){0,6} (?:no|nobody|no one|nothing|without)\b",
         "training_onboarding"),
        (r"\b(?:told|promised|said|sold)(?: \w+){0,4} (?:role|job|position),? but\b", "role_mismatch"),
        (r"\bcontract (?:\w+ ){0,2}(?:ends|ended|is ending|runs out|ran out|is over|expires|expired)\b", "other"),
        # "The pay wasn't what made me leave": a reason denied, not a job that was not what it promised.
        (r"\b(?P<word>not what) (?:made|pushed|drove|decided|caused|got) (?:me|us)\b", None),
        # No longer believing in the company is losing the bond with it, whatever the words around it.
        (r"\b(?:no longer|not|never|stopped|hard to|longer) (?:really )?believ\w* in "
         r"(?:the |our |its |their |this |what )?"
         r"(?:company|firm|organi[sz]ation|mission|direction|strategy|project|vision|values|place|business|we)\b",
         "culture_engagement"),
    ),
    "nl": (
        (_TITLE, None),
        (r"\b(?:dichter|dicht|dichterbij|terug) (?:bij )?(?:de |mijn |onze |m n |ons )?(?:familie|gezin|ouders|"
         r"partner|vriend|vriendin)\b", "other"),
        (r"\b(?:word|worden|wordt|werd|als)(?! (?:mijn|m n|onze|ons|zijn|haar|hun|de|die) )(?: ik)?(?: \w+)? "
         r"(?:teamleider|teamleader|leidinggevende|manager|"
         r"chef|verantwoordelijke|ploegbaas|diensthoofd)\b", "growth_career"),
        (r"\b(?:als|een|worden|word|wordt|ga|gaan) (?P<word>zelfstandige?)\b", "other"),
        # "for the same job, they pay more": the job is the same, the pay is the reason.
        (r"\bvoor (?:dezelfde|hetzelfde|zelfde|het zelfde) (?P<word>job|werk|functie|taken)\b", None),
        (r"\b(?:\d+|honderd|tweehonderd|driehonderd) (?:euro|procent) (?:meer|extra|bruto|netto)\b", "pay_benefits"),
        (r"\b(?:geen|nooit|zelden|zonder) (?:\w+ )?(?:middagpauze|pauze|pauzes)\b", "workload_autonomy"),
        (r"\b(?:kinderen|kind|zoon|dochter|kleinen) (?:\w+ )?(?:afhalen|ophalen|naar school brengen|"
         r"van school halen)\b", "flexibility_balance"),
        (r"\bverwachting\w* (?:\w+ ){0,2}(?:niet|nooit|zelden)(?: \w+)? (?:duidelijk|uitgesproken)\b", "management"),
        (r"\bverwachting\w* (?:\w+ ){0,2}(?:onduidelijk|vaag)\b", "management"),
        (r"\bonduidelijke verwachting\w*", "management"),
        (r"\b(?:gaf|geeft|gaven|geven|gegeven)(?: \w+){0,4} (?:coaching|begeleiding)\b", "management"),
        (r"\b(?:meer|extra|bijkomende|te veel|nog meer) taken\b", "workload_autonomy"),
        (r"\bte veel (?:\w+ )?(?:vergaderingen|projecten|mails|e mails|dossiers|uren|klanten|telefoons|tickets)\b",
         "workload_autonomy"),
        (r"\b(?:steeds meer|meer en meer|extra|bijkomende) verantwoordelijkhe\w*", "workload_autonomy"),
        (r"\b(?:wou|wilde|wil|zocht|zoek|vroeg|klaar voor)(?: \w+){0,3} verantwoordelijkhe\w*", "growth_career"),
        (r"\b(?:werk\w*|werkte) (?:u|je|me|mij|zich|ons|mezelf) (?:\w+ )?kapot\b", "workload_autonomy"),
        (r"\b(?:werk|inzet|inspanningen|moeite)(?: \w+){0,2} (?:niet|nooit|zelden) (?:\w+ )?(?:gezien|opgemerkt|"
         r"beloond|erkend)\b", "recognition"),
        (r"\bniemand (?:die )?(?:het |dat |mijn werk |er )?(?:ziet|zag|zien|opmerkt|opmerkte|merkte|merkt)\b",
         "recognition"),
        (r"\b(?:meer|minder|hoger|lager|dan|evenveel als)\b(?: \w+){0,3} (?:mijn |de |onze |andere )?"
         r"(?P<word>collega\w*|teamgenot\w*)\b", None),
        (r"\b(?P<word>collega\w*) (?:\w+ )?(?:verdien\w*|krijgen|kregen)\b", None),
        (r"\bin de praktijk (?:was|deed|moest) ik\b", "role_mismatch"),
        (r"\bik heb (?:\w+ ){0,3}(?P<word>opgeleid|ingewerkt|begeleid)\b", None),
        (r"\bniemand (?:\w+ ){0,6}(?:gezegd|vermeld|opgemerkt|bedankt)\b", "recognition"),
        (r"\b(?:beloofden|beloofd|beloofde) (?:mij |me |ons )?(?:een |de )?(?:\w+ )?(?:functie|job|rol)\b",
         "role_mismatch"),
        (r"\b(?:werd|was) (?:mij |me )?verkocht als\b", "role_mismatch"),
        (r"\baan (?:het|de|t) (?P<word>onthaal)\b", None),
        (r"\bwerk van (?:twee|drie|vier|vijf|zes|\d+)\b", "workload_autonomy"),
        (r"\b(?P<word>vertrouwen) (?:\w+ ){0,2}om zelf\b", "workload_autonomy"),
        (r"\b(?:zochten|wilden|vroegen) (?:een|nen) \w+,? (?:geen|niet een|nie een) \w+", "role_mismatch"),
        (r"\b(?P<word>teamleider|teamleader|leidinggevende|manager|chef|verantwoordelijke|ploegbaas|diensthoofd) "
         r"(?:te )?worden\b", "growth_career"),
        (r"\bvertrek van (?:mijn |een |onze )?(?P<word>collega)\b", None),
        (r"\b(?:gaan|ga|gaat|gingen) (?:\w+ ){0,5}wonen\b", "other"),
        (r"\b(?:verhuiz\w*|verhuis|emigre\w*) (?:\w+ ){0,3}(?:met|voor) "
         r"(?:mijn |ons |het |de )?(?P<word>gezin|familie|kinderen)\b",
         None),
        (r"\bmet (?:mijn |ons |het |de )?(?P<word>gezin|familie|kinderen) "
         r"(?:\w+ ){0,3}(?:verhuiz\w*|verhuis|emigre\w*)\b",
         None),
        (r"\b(?:veel|zoveel|heel wat) (?:bij )?geleerd\b", None),
        (r"\bals (?:een )?(?:\w+ )?(?P<word>familie|gezin)\b", None),
        (r"\bzonder (?:enige |veel )?(?P<word>uitleg) (?:geweigerd|afgewezen|geschrapt|afgeschaft|veranderd|"
         r"beslist|ontslagen)\b", None),
        (r"\baan (?:de |mijn |andere )?(?P<word>collega\w*)(?: s)? (?:te )?(?:vragen|gevraagd|vroeg)\b", None),
        (r"\b(?:erkend|gewaardeerd|bedankt|opgemerkt|gezien) door (?:de |mijn |onze )?"
         r"(?P<word>directie|baas|chef|leidinggevende|leiding)\b", None),
        (r"\bzien (?:het|dat|da) (?:toch |ook |gewoon )?(?:niet|nie)\b", "recognition"),
        (r"\bmet (?:meer|echte) verantwoordelijkhe\w*", "growth_career"),
        (r"\b(?:de|mijn|onze|die|t) (?P<word>uren)\b", "flexibility_balance"),
        # "4/5" (working four days in five), which HR could not type as a keyword of three letters.
        (r"\b4 5(?:e|de|den)?\b", "flexibility_balance"),
        (r"\b(?P<word>merci|dankjewel|bedankje|dank u|woord van dank) van (?:de|mijn|onze|het)\b", "recognition"),
        (r"\b(?:kon|kan|konden|kunt|kunnen) (?:\w+ )?(?:niemand|elkaar|geen enkele collega) (?P<word>vertrouwen)\b",
         "culture_engagement"),
        (r"\b(?P<word>gezin|familie|kinderen) te (?:onderhouden|voeden)\b", "pay_benefits"),
        (r"\b(?:ben|was|is) (?:\w+ ){1,2}van (?P<word>opleiding)\b", None),
        (r"\b(?P<word>leiderschaps\w*|managements\w*)\b", "training_onboarding"),
        (r"\b(?P<word>leiderschaps\w*|managements\w*)\b", "+growth_career"),
        (r"\b(?:uiteindelijk|in de praktijk) deed ik (?:alleen|enkel|maar|vooral)\b", "role_mismatch"),
        (r"\b(?:patienten|klanten|dossiers|bedden|kinderen|leerlingen|tickets|oproepen) per (?:verpleegkundige|persoon|"
         r"medewerker|werknemer|leerkracht|verzorgende|dag|uur|shift|week|hoofd)\b",
         "workload_autonomy"),
        (r"\b(?:shift|shiften|diensten|dienst|dagen|dag|werkdagen) van (?:\d+|tien|elf|twaalf) uur\b",
         "workload_autonomy"),
        (r"\b(?:leerde|leer|leerden) (?:\w+ )?(?:niks|niets|nie veel|weinig) (?:meer )?bij\b", "growth_career"),
        (r"\b(?:niks|niets) meer (?:bij )?te (?P<word>leren)\b", "growth_career"),
        (r"\b(?:alles|elke beslissing|iedere beslissing) (?:\w+ )?(?:moest|moet|ging) (?:via|langs|over|door) "
         r"(?:de |het |mijn |onze )?(?P<word>\w+)", "workload_autonomy"),
        (r"\b(?:man|vrouw|partner|vriend|vriendin|echtgenoot|echtgenote) (?:\w+ ){0,3}(?:werk gevonden|job gevonden|"
         r"overgeplaatst|verhuist)\b", "other"),
        (r"\b(?:verdubbeld|verdubbelde|dubbel zoveel|dubbel zo veel) (?:\w+ )?(?:werk|taken|verantwoordelijkhe\w*)\b",
         "workload_autonomy"),
        (r"\bnooit (?:eens )?(?:gezegd|zei|gehoord|gezeid) dat (?:\w+ ){0,2}goed\b", "recognition"),
        (r"\b(?:zei|zegt|zeiden) (?:\w+ ){0,2}nooit (?:eens )?dat (?:\w+ ){0,2}goed\b", "recognition"),
        (r"\b(?P<word>team|ploeg) (?:te )?(?:leiden|aansturen|managen|aan te sturen)\b", "management"),
        (r"\b(?:functie|job|plaats|vacature) (?:als|van) (?:\w+ )?(?P<word>teamleider|leidinggevende|"
         r"verantwoordelijke|diensthoofd|ploegbaas|chef)\b", "growth_career"),
        (r"\b(?:inspringen|invallen|werken|opvangen|vervangen) (?:\w+ )?voor (?:\w+ )?(?P<word>collega\w*)",
         "workload_autonomy"),
        (r"\bvoor (?:haar|hem|mijn \w+) (?:te )?zorgen\b", "other"),
        (r"\bzorgen voor (?:mijn|haar|hem)\b", "other"),
        (r"\b(?P<word>(?:wou|wilde|wil|wilden|hoopte|vroeg))(?: \w+){0,3} (?:leren|bij te leren|opleiding|cursus)\b",
         "+growth_career"),
        (r"\b(?:ik )?(?:deed|doe|zat|stond|moest) (?:ik )?(?:vooral|voornamelijk|enkel|alleen maar|eigenlijk)\b",
         "role_mismatch"),
        (r"\bin (?:werkelijkheid|realiteit)\b", "role_mismatch"),
        (r"\b(?:doelen|doelstellingen|prioriteiten|verwachtingen|instructies|plannen) (?:\w+ ){0,2}"
         r"(?:veranderd\w*|wijzigd\w*|wisseld\w*)", "management"),
        (r"\b(?:behandeld|behandelen|behandelden) als (?:een |nen )?(?:stagiair|nummer|kind|kinderen|robot|"
         r"machine|slaaf|pion)\b", "recognition"),
        (r"\b(?:maar|gewoon|slechts) (?:een|nen) (?:nummer|pion)\b", "recognition"),
        (r"\b(?:begin|start|ga|beginnen|starten) (?:\w+ )?voor (?:mezelf|mijzelf|mijn eigen)\b", "other"),
        (r"\b(?:begin|start|ga|beginnen|starten) (?:met |aan )?(?:een |mijn )?(?:\w+ )?(?:opleiding|studies|studie|"
         r"master|bachelor)\b", "other"),
        (r"\b(?:mijn|zijn|haar) (?P<word>opleiding) (?:als|tot)\b", None),
        # "ik wist niet wat ik moest doen": not knowing, not a job that differs from what was promised.
        (r"\b(?:wist|weet|wisten|wist ik|begreep|snapte|snap)(?: \w+)? niet wat\b", None),
        (r"\b(?:niemand|nie|niet|nooit) (?:\w+ ){0,3}(?:met|tegen) elkaar\b", "culture_engagement"),
        (r"\b(?:niemand|zonder dat iemand|nooit)(?: \w+){0,2} (?:leerde|toonde|aanleerde|uitlegde hoe)\b",
         "training_onboarding"),
        (r"\b(?:beslissingen|besluiten|keuzes)(?: \w+){0,4} (?:zonder (?:enige |veel |de minste )?(?P<word>uitleg)|"
         r"boven (?:ons|mijn|onze) (?:hoofd|hoofden))\b", "management"),
        (r"\b(?:enkel|alleen|pas) (?:\w+ ){0,2}(?:opgemerkt|gezien|gehoord) (?:\w+ ){0,3}(?:als|wanneer)\b",
         "recognition"),
        (r"\b(?:beloofden|beloofde|beloofd) (?:me |mij |ons )?(?:een |de )?(?:\w+ )?(?:functie|job|rol|positie)\b",
         "role_mismatch"),
        (r"\b(?:minder|meer|beter|slechter|lager|hoger) dan (?P<word>wat) (?:ze|zij|men|je|ik)\b", None),
        (r"\b(?P<word>pensioen(?:plan|sparen|opbouw|regeling|fonds|verzekering)\w*|aanvullend pensioen)\b",
         "pay_benefits"),
        (r"\b(?:iemand|collega|hij|zij|ze|baas|chef|mijn baas|mijn chef)(?: \w+){0,3} (?:met )?(?P<word>pensioen)"
         r"(?: \w+)? (?:ging|gaat|gingen|vertrok|vertrekt)\b", None),
        (r"\b(?:voor|om voor) (?:mijn |onze |m n )?(?:zieke |oude )?(?:moeder|vader|ouders|man|vrouw|partner|mama|"
         r"papa|schoonmoeder|schoonvader) (?:te )?(?:zorgen|zorg)\b", "other"),
        (r"\b(?:zonder dat iemand|niemand)(?: \w+){0,3} (?:zag|opmerkte|merkte|zei)\b", "recognition"),
        (r"\beerste (?:dag|week|werkdag|weken)\b(?: \w+){0,6} (?:geen|niets|niks|niemand|zonder)\b",
         "training_onboarding"),
        (r"\b(?:zaterdag|zondag|weekend|avond|namiddag|voormiddag)(?:en|s)? (?:\w+ )?vrij\b", "flexibility_balance"),
        (r"\b(?:verwachten|verwacht|krijgen) (?:een|ons|ons eerste|een tweede|een derde) (?:kind|kindje|baby)\b",
         "other"),
        (r"\b(?:mijn|ons) (?:ideeen|werk|resultaten) (?:\w+ ){0,2}als (?:de|het) (?:zijne|hare|hunne)\b",
         "recognition"),
        (r"\bcontract (?:\w+ ){0,3}(?:loopt|liep) (?:\w+ )?af\b", "other"),
        (r"\b(?:hetzelfde|zelfde|dezelfde) (?:werk|job|functie|taken)\b(?: \w+){0,2} (?:als|sinds|al) (?:\w+ )?"
         r"(?:jaar|jaren)\b", "growth_career"),
        (r"\b(?:graag|eens|ooit|nooit|zelden)(?: \w+){0,2} (?:gehoord|horen) dat (?:ik|we|wij|mijn werk)\b",
         "recognition"),
        (r"\b(?:moest|moet|moesten|moeten)(?: \w+){0,4} (?:worden |laten )?(?:goedgekeurd|goedkeuren|afgetekend|"
         r"ondertekend)\b", "workload_autonomy"),
        (r"\b(?:niemand|nooit)(?: \w+){0,4} (?:getoond|geleerd|uitgelegd|aangeleerd)\b", "training_onboarding"),
        (r"\b(?:was|ben|werd|word) ik (?:\w+ )?(?P<word>\w*(?:leider|leidster|manager|verantwoordelijke))\b", None),
        # Replacing colleagues is doing their work, as "remplacer des collègues" is.
        (r"\b(?P<word>collega s|collegas|collega)(?: \w+){0,2} (?:vervangen|vervangt|verving|vervingen|overnemen)\b",
         "workload_autonomy"),
        (r"\b(?:geloofde|geloof|geloven|geloofden)(?: \w+){0,2} (?:niet|nie) (?:meer|langer) in\b",
         "culture_engagement"),
        (r"\b(?:niet|nie) (?:meer|langer) in (?:\w+ ){1,4}(?:geloven|geloofde|geloofden|geloof)\b",
         "culture_engagement"),
        # "er werd nooit iets van gezegd": good work that nobody mentioned.
        (r"\b(?:nooit|niemand|nie) (?:\w+ ){0,2}(?:iets|een woord|ne woord) (?:van|over)"
         r"(?: \w+)? (?:gezegd|zei|zeggen)\b",
         "recognition"),
    ),
    "fr": (
        (_TITLE, None),
        (r"\b(?:rapprocher|pres|proche|rejoindre|retourner aupres|retour aupres|aupres) "
         r"(?:de |d |du )?(?:ma |mon |mes |"
         r"la |notre |nos )?(?:famille|parents|proches|compagnon|compagne)\b", "other"),
        (r"\b(?:poste|role|fonction) de (?:chef|responsable|manager)\b", "growth_career"),
        (r"\bdev(?:ien|en)\w* (?:chef\w*|responsable|manager)\b", "growth_career"),
        (r"\battentes? (?:\w+ ){0,3}(?:pas|jamais|rarement)(?: \w+)? (?:claires?|precises?|explicites?)\b",
         "management"),
        (r"\battentes? (?:\w+ ){0,2}(?:floues?|vagues?)\b", "management"),
        (r"\b(?:donnait|donne|donner|donnaient|offrait)(?: \w+){0,4} (?:coaching|accompagnement)\b",
         "management"),
        (r"\b(?:rajout\w*|ajout\w*|trop de|plus de) (?:des |de |d )?(?:\w+ )?taches\b", "workload_autonomy"),
        (r"\btaches (?:en plus|supplementaires)\b", "workload_autonomy"),
        (r"\btrop de (?:\w+ )?(?:reunions|projets|mails|e mails|dossiers|heures|clients|appels|tickets)\b",
         "workload_autonomy"),
        (r"\b(?:toujours plus de|de plus en plus de) responsabilites\b", "workload_autonomy"),
        (r"\b(?:voulais|veux|voulait|cherchais|cherche|demande|pret pour)(?: \w+){0,3} responsabilites?\b",
         "growth_career"),
        (r"\b(?:me|se|nous) tu(?:er|ais|ait|e) (?:au|a la) (?:travail|tache|boulot)\b", "workload_autonomy"),
        (r"\bpersonne ne (?:\w+ )?(?:remarqu|voy|voi|reconn|vo)\w*", "recognition"),
        (r"\b(?:travail|efforts?|contribution)(?: \w+){0,2} (?:ne|n) (?:\w+ )?(?:comptai\w*|compte|comptaient|"
         r"etai\w* (?:jamais|pas) (?:vus?|remarques?|reconnus?))\b", "recognition"),
        (r"\b(?:plus|moins|que|autant que)\b(?: \w+){0,4} (?:mes |les |l |nos |d |de l )?"
         r"(?P<word>collegues?|equipe)\b", None),
        (r"\b(?P<word>collegues?) (?:\w+ )?(?:gagn\w*|touch\w*)\b", None),
        (r"\bretrouvee? a (?:faire|\w+er)\b", "role_mismatch"),
        (r"\ben (?:pratique|realite),? (?:je|j)\b", "role_mismatch"),
        (r"\b(?:m|nous) (?:avait|avaient|a|ont) vendu\b", "role_mismatch"),
        (r"\bj ai (?:\w+ )?(?P<word>forme|accompagne|coache)\b", None),
        (r"\b(?:faire|faisais|fais|fait|a) l (?P<word>accueil)\b", None),
        (r"\b(?:deux|trois|quatre|\d+) postes en un\b", "workload_autonomy"),
        # "l'augmentation de la charge": more work, not a pay rise.
        (r"\baugmentation (?:de la |des |du |de |d )(?:charge|travail|taches|pression|cadence|rythme)\b",
         "workload_autonomy"),
        (r"\btravail de (?:deux|trois|quatre|cinq|six|\d+)\b", "workload_autonomy"),
        (r"\b(?P<word>confiance) pour (?:prendre|decider|choisir|organiser)\b", "workload_autonomy"),
        (r"\b(?:cherchaient|voulaient|demandaient) (?:un|une) \w+,? (?:pas|et pas|non pas) (?:un|une) \w+",
         "role_mismatch"),
        (r"\bdepart (?:de |d )?(?:ma |mon |mes |un |une |notre )?(?P<word>collegue)s?\b", None),
        (r"\b(?:vais|allons|va|partir|pars|partons) (?:\w+ )?(?:vivre|habiter)\b", "other"),
        (r"\b(?:demenag\w*|emigr\w*|installe\w*|partons|pars) (?:\w+ ){0,3}(?:avec|pour) "
         r"(?:ma |mon |mes |la |notre |nos )?(?P<word>famille|enfants)\b", None),
        (r"\baccueil (?:des|du|de la) (?:visiteurs|clients|public|patients)\b", None),
        (r"\b(?:manque de|pas assez de|sans) personnel\b", "workload_autonomy"),
        (r"\bbeaucoup appris\b", None),
        (r"\bcomme (?:une |en )?(?:\w+ )?(?P<word>famille)\b", None),
        (r"\b(?:demander|demandais|demande) (?:aux |a mes |a un |a une |a des )(?P<word>collegues?)\b", None),
        (r"\b(?:reconnue?s?|valorisee?s?|remerciee?s?|appreciee?s?) (?:par|de) (?:la |ma |mon |notre |l )?"
         r"(?P<word>direction|hierarchie|chef|responsable|manager)\b", None),
        (r"\befforts? (?:de |d )(?:l |mon |notre |toute l )?(?P<word>equipe)\b", None),
        (r"\b(?:journees?|gardes?|services?|shifts?|pauses?) de (?:\d+|dix|onze|douze) heures\b",
         "workload_autonomy"),
        (r"\b(?:plus )?rien (?:de nouveau )?a (?P<word>apprendre)\b", "growth_career"),
        (r"\bjusqu a (?:\w+ ){1,2}heures\b", "workload_autonomy"),
        (r"\bavec (?:plus de|davantage de|de vraies) responsabilites?\b", "growth_career"),
        (r"\b(?P<word>famille|enfants) a (?:nourrir|faire vivre|entretenir)\b", "pay_benefits"),
        # "4/5" and "mon N+1" (one's direct boss): too short to be keywords that HR can type.
        (r"\b4 5(?:e|eme|emes)?\b", "flexibility_balance"),
        (r"\b(?:mon|ma|notre|le|la|du|au|son|sa) (?P<word>n 1)\b", "management"),
        (r"\b(?P<word>merci|remerciements?|mot de remerciement) de (?:la|mon|ma|notre|nos|mes|l)\b", "recognition"),
        (r"\b(?:pouvait|pouvais|peut|pouvions|pouvaient) (?:plus |pas |jamais )?(?:faire )?(?P<word>confiance) "
         r"(?:a personne|a qui que ce soit|aux collegues|les uns aux autres|entre collegues)\b",
         "culture_engagement"),
        # A job offer from elsewhere is not the advert of this job.
        (r"\b(?:une|une autre|cette) (?P<word>offre)\b(?! d emploi)", None),
        (r"\b(?:suis|etais|est|etait) (?:\w+ ){1,2}de (?P<word>formation)\b", None),
        (r"\bformation (?:de |en |au )(?P<word>management|leadership|gestion d equipe)\b", "+growth_career"),
        (r"\bformation (?:de |en |au )(?P<word>management|leadership)\b", "training_onboarding"),
        (r"\bje ne faisais (?:que|plus que)\b", "role_mismatch"),
        (r"\b(?:patients|clients|dossiers|lits|enfants|eleves|tickets|appels) par (?:infirmiere?|agent|personne|"
         r"employee?|tete|enseignant|soignante?|jour|heure|semaine)\b", "workload_autonomy"),
        (r"\btout (?:devait|doit|passait|allait) (?:passer )?par (?:la |le |mon |ma |l |les )?(?P<word>\w+)",
         "workload_autonomy"),
        (r"\bmutee? (?:\w+ )?avec (?:mon|ma)\b", "other"),
        (r"\bvalider par (?:le |la |mon |ma |l )?(?P<word>chef|responsable|direction|manager|hierarchie)\b",
         "workload_autonomy"),
        (r"\b(?:mari|femme|conjoint|conjointe|compagnon|compagne) (?:\w+ ){0,3}(?:mute|mutee|a trouve|a ete mute)\b",
         "other"),
        (r"\bresponsabilites (?:\w+ ){0,2}(?:double|triple)\w*", "workload_autonomy"),
        (r"\bjamais (?:dit|entendu|dire) que (?:\w+ ){0,3}(?:etait|avais|ai|faisais) (?:du )?(?:bien|bon)\b",
         "recognition"),
        (r"\b(?:gerer|diriger|encadrer|manager|mener) (?:une |l |son |notre |les |mon |leur )?(?P<word>equipe)s?\b",
         "management"),
        (r"\bremplacer (?:les |mes |des |un |une )?(?:\w+ )?(?P<word>collegues?)\b", "workload_autonomy"),
        (r"\b(?:retourne|retourner|rentre|rentrer|repars|repartir) (?:vivre|habiter|m installer|au pays)\b", "other"),
        (r"\b(?P<word>(?:voulais|voudrais|aurais voulu|aurais aime|souhaitais|souhaite|envie d|demande a))"
         r"(?: \w+)? (?:apprendre|me former|suivre une formation|une formation)\b", "+growth_career"),
        (r"\b(?:je|j) (?:faisais|fais|passais|passe) (?:surtout|principalement|essentiellement|uniquement|mes journees|"
         r"ma journee|mon temps)\b", "role_mismatch"),
        (r"\b(?:me|m) suis retrouvee? (?:a|au|aux)(?: l)? \w+", "role_mismatch"),
        (r"\ben realite,? (?:c|ce|le poste|le boulot|le job|le travail|on) ", "role_mismatch"),
        (r"\b(?:objectifs|priorites|consignes|attentes|plans) (?:\w+ ){0,2}(?:chang\w*|modifi\w*|bougeai\w*)",
         "management"),
        (r"\btraitee? comme (?:un |une )?(?:stagiaire|numero|pion|enfant|robot|machine|esclave|moins que rien)\b",
         "recognition"),
        (r"\b(?:lance|lancer|monte|monter|ouvre|ouvrir|cree|creer) (?:ma|mon|notre) (?:propre )?(?:entreprise|"
         r"affaire|societe|commerce|boite)\b", "other"),
        (r"\b(?:reprends|reprendre|commence|commencer|entame|entamer|debute|debuter) (?:une |des |un |mes |ma )?"
         r"(?:\w+ )?(?:formation|etudes|master|bachelier|bachelor)\b", "other"),
        (r"\b(?:a|je pars a|partir a|prends|prendre) (?:la |ma )?(?P<word>pension)\b", "other"),
        (r"\b(?:savais|sais|savait|savions|comprenais|comprends)(?: \w+)? pas ce que\b", None),
        # "on m'offre un poste": the verb offering, not a job offer that differed from the job.
        (r"\b(?:m|me|nous|vous|lui|on|qui|ils|elle|il) offr\w*", None),
        (r"\b(?:ne|n) (?:\w+ ){0,2}(?:remarqu\w*|voi\w*|voy\w*|entend\w*) (?:\w+ ){0,3}que (?:quand|lorsque|si)\b",
         "recognition"),
        (r"\b(?:m|nous) (?:avait|avaient|a|ont) promis (?:un |une |le |la )?(?:\w+ )?(?:poste|job|travail|role|"
         r"fonction)\b", "role_mismatch"),
        (r"\b(?:decisions?|choix)(?: \w+){0,4} (?:sans (?:aucune |la moindre |une )?(?P<word>explication)|"
         r"par dessus (?:nos|ma|notre) tetes?)\b", "management"),
        (r"\b(?:personne ne|on ne) (?:\w+ )?(?:se parl\w*|parl\w* (?:plus )?(?:a|avec) personne)\b",
         "culture_engagement"),
        (r"\b(?:mes|nos) (?:idees|travaux|resultats|projets|propositions)(?: \w+){0,2} comme (?:les siennes|"
         r"les siens|le sien|la sienne|les leurs|le leur|la leur|etant (?:les siennes|les siens))\b", "recognition"),
        (r"\b(?:rentr\w*|finis\w*|sor\w*|arriv\w*) (?:\w+ ){0,3}(?:videe?s?|lessivee?s?|vannee?s?|cassee?s?|"
         r"rincee?s?)\b", "workload_autonomy"),
        (r"\bcontrat (?:\w+ ){0,3}(?:se termine|se terminait|prend fin|prenait fin|s acheve|arrive a (?:son )?"
         r"terme|arrivait a (?:son )?terme)\b", "other"),
        (r"\b(?:attendons|attends|attend|attendais) (?:un|notre|mon|son) (?:premier |deuxieme |second |"
         r"troisieme )?(?:enfant|bebe)\b", "other"),
        (r"\b(?:samedi|dimanche|week end|soiree|soir|apres midi)s? (?:de )?(?:libre|conge)s?\b",
         "flexibility_balance"),
        (r"\b(?:quelqu un|un collegue|une collegue|il|elle|ils|mon chef|ma cheffe)(?: \w+){0,3} (?:a la|en) "
         r"(?P<word>retraite|pension)\b", None),
        (r"\b(?:premier|premiere) (?:jour|semaine|journee)\b(?: \w+){0,6} (?:pas de|aucun|aucune|personne|rien|"
         r"sans)\b", "training_onboarding"),
        (r"\b(?:meme|memes) (?:travail|boulot|taches|poste|fonction)\b(?: \w+){0,3} (?:depuis|qu il y a|pendant) "
         r"(?:\w+ )?ans?\b", "growth_career"),
        (r"\b(?:aurais aime|aurais voulu|jamais|rarement) (?:\w+ )?entendre (?:que|qu)\b", "recognition"),
        (r"\bpour (?:le|la|les) memes? (?P<word>travail|boulot|poste|fonction|taches)\b", None),
        (r"\b\d+ (?:pour cent )?(?:de plus|en plus|supplementaires?)\b", "pay_benefits"),
        (r"\b(?:jamais|plus|pas|aucune?|sans) (?:\w+ )?(?:de )?pauses?\b", "workload_autonomy"),
        (r"\bpersonne ne (?:\w+ ){0,4}(?:explique|montre|appris|forme)\b", "training_onboarding"),
        (r"\b(?:devait|doit|fallait|devaient|doivent)(?: \w+){0,2} (?:approuve|valide|signe)\w*(?: par (?:\w+ ){0,3}"
         r"(?:niveaux|personnes|chefs|responsables)(?: hierarchiques)?)?", "workload_autonomy"),
        (r"\b(?:m occuper|occuper|soigner|prendre soin)(?: \w+){0,3} (?:de |d )?(?:mon|ma|mes) (?:\w+ )?(?:mari|femme|"
         r"mere|pere|parents|compagnon|compagne|enfant|fils|fille)\b", "other"),
        (r"\bappris (?:\w+ ){0,2}(?:sur le tas|seule?|toute? seule?|en regardant)\b", "training_onboarding"),
        (r"\b(?:croyais|crois|croyait|croire|croyions|croyaient) plus (?:en|a|au|aux|dans)\b", "culture_engagement"),
        (r"\bn y (?:croyais|crois|croyait|croyions|croyaient) plus\b", "culture_engagement"),
        # "n'a rien à voir avec ça": a reason cleared, not a job unlike its description.
        (r"\b(?P<word>rien a voir avec) (?:ca|cela|mon depart|ma decision)\b", None),
    ),
}

# Words that name people rather than a problem ("the team", "mes collègues", "de ploeg"): alone they point at
# their theme only in a clause that complains ("the team was divided", "never felt part of the team"), with a
# negation or one of COMPLAINTS; "in front of the team", "I told my colleagues" name no reason to leave.
WEAK = {
    "en": ("team", "teams", "colleague", "colleagues"),
    "nl": ("team", "teams", "collega", "collegas", "ploeg"),
    "fr": ("equipe", "equipes", "collegue", "collegues"),
}
COMPLAINTS = {
    "en": ("bad", "poor", "awful", "terrible", "horrible", "negative", "difficult", "hard", "cold", "unfriendly",
           "rude", "nasty", "mean", "problem", "problems", "issue", "issues", "worse", "worst", "lazy", "left",
           "changed", "gone", "split", "divided", "against", "alone", "tense", "tension", "tensions", "fight",
           "fights", "fighting", "lack", "lacking", "missing", "fell apart", "broke", "broken", "too", "unpleasant",
           "competitive", "complained", "complaining", "looked away", "part of", "felt", "feel", "laughed",
           "mocked", "shouted", "yelled", "dropped", "stopped", "avoided", "ignored", "blamed", "unhappy",
           "screamed", "dumped", "left early", "criticised", "criticized", "humiliated", "belittled", "threatened",
           "useless", "incompetent",
           "unfair", "unprofessional", "arrogant", "favourites", "favorites", "credit", "refused", "lied", "lies",
           "promised", "promises", "absent", "unavailable", "impossible", "nightmare", "disaster", "only", "kept",
           "constantly", "always", "every", "micromanaged", "controlling", "told off", "old fashioned", "the way",
           "created", "different", "changing", "criticism", "constant", "let it happen", "let it go on",
           "let it slide", "as his own", "as her own", "downplayed",
           "played down", "brushed off"),
    "nl": ("slecht", "slechte", "rot", "rotte", "verzuurd", "negatief", "moeilijk", "lastig", "koud", "onvriendelijk",
           "vervelend", "probleem", "problemen", "slechter", "lui", "weg", "vertrokken", "verdeeld", "tegen", "alleen",
           "kapot", "zeep", "zuur", "gespannen", "spanning", "spanningen", "ruzie", "ruzies", "te", "onaangenaam",
           "klaagden", "voelde", "gevoeld", "uitgelachen", "keken weg", "keek weg", "negeerden", "gebrek",
           "ontbrak", "veranderd", "vertrok", "gestopt", "zagen", "lachten", "roepen", "riepen", "riep", "schreeuwde",
           "tierde", "schoof", "vroeg weg", "afgeblaft", "kritiek", "vernederd", "onbekwaam", "oneerlijk", "ramp",
           "weigerde", "geweigerd",
           "loog", "beloofde", "beloftes", "afwezig", "onbereikbaar", "pluimen", "altijd", "constant", "elke",
           "enkel", "alleen", "ouderwets", "ouderwetse", "manier", "schepje", "veranderde", "liet het gebeuren",
           "liet dat gebeuren", "liet begaan", "als de zijne", "als de hare", "minimaliseerde",
           "wuifde", "wuifden"),
    "fr": ("mauvais", "mauvaise", "pourri", "pourrie", "nul", "nulle", "negatif", "negative", "difficile", "dur",
           "dure", "froid", "froide", "desagreable", "probleme", "problemes", "pire", "degrade", "degradee", "tendu",
           "tendue", "tension", "tensions", "seul", "seule", "divise", "divisee", "contre", "parti", "partis",
           "partie", "trop", "senti", "sentie", "sentais", "manque", "manquait", "ignore", "ignoree", "moque",
           "moquaient", "criaient", "change", "plus", "criait", "hurlait", "engueuler", "engueulait", "humilie",
           "humiliee", "incompetent", "injuste", "desastre", "catastrophe", "refusait", "refuse", "refusee", "mentait",
           "promesses", "absent", "injoignable", "attribuait", "toujours", "constamment", "chaque", "que",
           "a l ancienne", "refilait", "partait tot", "maniere", "facon", "changeait", "yeux", "controlait", "controle",
           "dans les pattes", "laissait faire", "a laisse faire", "laissaient faire",
           "comme les siennes", "comme les siens", "minimisait", "minimise",
           "minimisaient"),
}

# Words that name those who lead ("my manager", "mon chef", "de directie"): alone they point at management only
# when their own clause complains (a negation, COMPLAINTS) or names them as the ones who did it ("by my boss");
# "I told my manager", "my manager did her best, but there was no training" name no reason to leave.
LEADERS = {
    "en": ("manager", "managers", "boss", "bosses", "supervisor", "supervisors", "director", "directors", "lead",
           "leader", "leaders", "ceo", "owner", "owners", "head office", "line manager", "team lead", "team leader"),
    "nl": ("baas", "bazen", "chef", "chefs", "leidinggevende", "leidinggevenden", "directie", "teamleider",
           "zaakvoerder", "patron", "diensthoofd", "overste", "ploegbaas", "manager", "managers", "directeur",
           "teamleader", "afdelingshoofd", "bedrijfsleider", "ceo"),
    "fr": ("chef", "cheffe", "chefs", "responsable", "responsables", "direction", "directeur", "directrice", "patron",
           "patronne", "superieur", "superieure", "manager", "managers", "gerant", "gerante", "pdg", "ma responsable",
           "mon responsable", "chef de service", "chef d equipe", "n 1"),
}
# Words before a leader that make them the one who did it: "bullied by my manager", "harcelée par mon chef".
AGENTS = {"en": ("by",), "nl": ("door",), "fr": ("par",)}
# Words after which a clause reports what the leader said or saw ("admitted that", "reconnaissait que").
REPORTED = {"en": ("that",), "nl": ("dat", "da"), "fr": ("que", "qu")}

# Languages whose compounds put the keyword at the end of a word ("angstcultuur", "ploegbaas").
COMPOUNDING = ("nl",)
