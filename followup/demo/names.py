"""Swedish vocabulary of the demo data: names of actors, priority areas, measures and projects.

Everything here is fixed data; the builders draw from it with a seeded random.Random. Companies,
associations and people are invented; public bodies (universities, ALMI, NUTEK …) are real names
of the period, without organisation numbers.
"""

# Population in thousands around 2000, used (dampened) to spread projects over the counties.
COUNTY_POPULATION = {
    "01": 1823,
    "03": 294,
    "04": 256,
    "05": 411,
    "06": 328,
    "07": 177,
    "08": 235,
    "09": 58,
    "10": 150,
    "12": 1128,
    "13": 275,
    "14": 1492,
    "17": 273,
    "18": 274,
    "19": 256,
    "20": 278,
    "21": 279,
    "22": 245,
    "23": 129,
    "24": 255,
    "25": 256,
}

# ALMI Företagspartner's regional companies (several counties share one).
ALMI_REGION = {
    "01": "Stockholm",
    "03": "Uppsala",
    "04": "Mälardalen",
    "05": "Östergötland",
    "06": "Jönköping",
    "07": "Kronoberg",
    "08": "Kalmar län",
    "09": "Gotland",
    "10": "Blekinge",
    "12": "Skåne",
    "13": "Halland",
    "14": "Väst",
    "17": "Värmland",
    "18": "Örebro",
    "19": "Mälardalen",
    "20": "Dalarna",
    "21": "Gävleborg",
    "22": "Mitt",
    "23": "Mitt",
    "24": "Nord",
    "25": "Nord",
}

# Universities and university colleges: (name, home county code); the counties that use them.
UNIVERSITIES = {
    "01": [("Kungliga Tekniska högskolan", "01"), ("Stockholms universitet", "01")],
    "03": [("Uppsala universitet", "03"), ("Sveriges lantbruksuniversitet", "03")],
    "04": [("Mälardalens högskola", "19")],
    "05": [("Linköpings universitet", "05")],
    "06": [("Högskolan i Jönköping", "06")],
    "07": [("Växjö universitet", "07")],
    "08": [("Högskolan i Kalmar", "08")],
    "09": [("Högskolan på Gotland", "09")],
    "10": [("Blekinge tekniska högskola", "10")],
    "12": [("Lunds universitet", "12"), ("Malmö högskola", "12"), ("Högskolan Kristianstad", "12")],
    "13": [("Högskolan i Halmstad", "13")],
    "14": [
        ("Göteborgs universitet", "14"),
        ("Chalmers tekniska högskola", "14"),
        ("Högskolan i Borås", "14"),
        ("Högskolan i Skövde", "14"),
    ],
    "17": [("Karlstads universitet", "17")],
    "18": [("Örebro universitet", "18")],
    "19": [("Mälardalens högskola", "19")],
    "20": [("Högskolan Dalarna", "20")],
    "21": [("Högskolan i Gävle", "21")],
    "22": [("Mitthögskolan", "22")],
    "23": [("Mitthögskolan", "22")],
    "24": [("Umeå universitet", "24"), ("Sveriges lantbruksuniversitet", "03")],
    "25": [("Luleå tekniska universitet", "25")],
}

# National state bodies that finance projects (source "stat-ovriga" and NUTEK).
NUTEK = "NUTEK (Närings- och teknikutvecklingsverket)"
OTHER_STATE_AGENCIES = ["Vägverket", "Jordbruksverket", "Glesbygdsverket", "Banverket"]
OTHER_FINANCIERS = [
    "Stiftelsen för kunskaps- och kompetensutveckling",
    "Stiftelsen Framtidens kultur",
    "Allmänna arvsfonden",
]

# Priority areas: (name, description, [(measure name, [project subjects])]).
PRIORITY_AREAS = [
    (
        "Näringslivets utveckling och förnyelse",
        "Fler och växande företag i länets alla delar.",
        [
            (
                "Nyföretagande och entreprenörskap",
                ["nyföretagande", "kvinnors företagande", "ungt företagande", "generationsskiften"],
            ),
            (
                "Utveckling av små och medelstora företag",
                ["produktutveckling i småföretag", "kvalitetsarbete", "e-handel i småföretag"],
            ),
            (
                "Riskkapital och finansiering",
                ["lokalt riskkapital", "såddfinansiering", "mikrolån"],
            ),
            (
                "Företagsnätverk och kluster",
                ["leverantörsnätverk", "branschsamverkan", "klusterutveckling"],
            ),
        ],
    ),
    (
        "Kompetensförsörjning och utbildning",
        "Arbetskraft med rätt kompetens för näringslivets behov.",
        [
            (
                "Kompetensutveckling i arbetslivet",
                ["kompetensutveckling för anställda", "validering av yrkeskunskap", "IT-kunskap"],
            ),
            (
                "Samverkan mellan högskola och näringsliv",
                [
                    "teknikspridning från högskolan",
                    "examensarbeten i företag",
                    "industridoktorander",
                ],
            ),
            (
                "Matchning på arbetsmarknaden",
                ["rekrytering till industrin", "yrkesintroduktion", "arbetskraftsförsörjning"],
            ),
            (
                "Kvalificerad yrkesutbildning",
                ["yrkesutbildning inom logistik", "yrkesutbildning i automation"],
            ),
        ],
    ),
    (
        "Forskning, utveckling och innovation",
        "Stärkt förmåga att omsätta kunskap i nya produkter och tjänster.",
        [
            (
                "Tillämpad forskning och teknikutveckling",
                ["materialteknik", "miljöteknik", "produktionsteknik"],
            ),
            (
                "Innovationsmiljöer och inkubatorer",
                ["företagsinkubator", "teknikpark", "innovationer"],
            ),
            ("Informationsteknik", ["e-tjänster för företag", "IT-användning i småföretag"]),
        ],
    ),
    (
        "Infrastruktur och kommunikationer",
        "God tillgänglighet inom länet och till omvärlden.",
        [
            ("Transporter och logistik", ["godstransporter", "logistikcentrum", "kombiterminal"]),
            ("Regional kollektivtrafik", ["pendlingsstråk", "kollektivtrafik på landsbygden"]),
            ("IT-infrastruktur", ["bredband på landsbygden", "stadsnät", "IT-infrastruktur"]),
        ],
    ),
    (
        "Turism och besöksnäring",
        "En växande besöksnäring året runt.",
        [
            ("Destinationsutveckling", ["destinationsutveckling", "turistinformation"]),
            ("Natur- och kulturturism", ["naturturism", "kulturarvsturism", "fisketurism"]),
            ("Evenemang och marknadsföring", ["evenemangsturism", "marknadsföring av regionen"]),
        ],
    ),
    (
        "Livsmiljö och attraktionskraft",
        "Attraktiva boende- och livsmiljöer som lockar människor och företag.",
        [
            ("Kultur som tillväxtfaktor", ["kulturella näringar", "musik och film", "design"]),
            ("Service och boende på landsbygden", ["lokal service", "byautveckling"]),
            ("Miljödriven näringslivsutveckling", ["förnybar energi", "miljöledning i företag"]),
        ],
    ),
    (
        "Landsbygdsutveckling och areella näringar",
        "Nya inkomster och arbetstillfällen på landsbygden.",
        [
            ("Förädling av skogsråvara", ["träförädling", "bioenergi", "träbyggande"]),
            ("Livsmedelsförädling", ["småskalig livsmedelsförädling", "lokala livsmedel"]),
            ("Landsbygdens företagande", ["landsbygdsföretagande", "turism på gården"]),
        ],
    ),
    (
        "Internationalisering",
        "Fler företag med internationella affärer och fler investeringar i länet.",
        [
            ("Exportfrämjande", ["export för småföretag", "internationell marknadsföring"]),
            ("Investeringsfrämjande", ["investeringsfrämjande", "etableringsservice"]),
            ("Gränsöverskridande samarbete", ["Östersjösamarbete", "nordiskt samarbete"]),
        ],
    ),
]

# How a project title starts; the subject (and sometimes a place) follows.
TITLE_PREFIXES = [
    "Utveckling av",
    "Förstudie om",
    "Nätverk för",
    "Satsning på",
    "Samverkan kring",
    "Kompetenslyft inom",
    "Pilotprojekt för",
    "Handlingsplan för",
    "Marknadssatsning för",
    "Etablering av",
]
TITLE_NAMED = [
    "Företagsakademin",
    "Tillväxtforum",
    "Entreprenörscentrum",
    "Framtidsverkstad",
    "Kunskapsbron",
    "Innovationsslussen",
    "Näringslivslyftet",
]
PROJECT_DESCRIPTIONS = [
    "Projektet ska ge fler företag i {place} möjlighet att växa genom {subject}.",
    "Syftet är att samla kommuner, företag och organisationer kring {subject} i {place}.",
    "En förstudie kartlägger behov och intresse för {subject} och föreslår fortsatta insatser.",
    "Projektet bygger vidare på tidigare arbete med {subject} och sprider erfarenheterna i länet.",
    "Insatsen riktar sig särskilt till kvinnor och unga som vill arbeta med {subject}.",
]

# Invented company names.
SURNAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Lindberg", "Lindström", "Lindqvist", "Bergström", "Lundgren", "Sjöberg",
    "Holm", "Wallin", "Engström", "Forsberg", "Sandberg", "Nyström", "Holmberg", "Åberg",
    "Öberg", "Hedlund", "Dahlberg", "Sundqvist", "Björk", "Ekström", "Falk", "Strand",
]  # fmt: skip
TRADES = [
    "Mekaniska Verkstad", "Gjuteri", "Plåt & Svets", "Trävaror", "Bygg", "Elektronik",
    "Datakonsult", "Transport", "Livsmedel", "Bageri", "Hydraulik", "Verktyg", "Snickeri",
    "Tryckeri", "Design", "Konferens", "Rökeri", "Mejeri", "Maskin", "Plast", "Automation",
    "Miljöteknik", "Logistik", "Reklam", "Redovisning",
]  # fmt: skip
NAME_STEMS = [
    "Nord", "Syd", "Väst", "Öst", "Mälar", "Berg", "Skog", "Sjö", "Ström", "Älv", "Dal",
    "Ås", "Vik", "Hav", "Sten", "Lin", "Ek", "Fjäll", "Slätt", "Ö",
]  # fmt: skip
NAME_ENDINGS = [
    "tek", "plast", "data", "trä", "verken", "konsult", "design", "logistik", "system",
    "mekan", "form", "gruppen", "el", "kraft", "media", "produkt",
]  # fmt: skip

ASSOCIATION_TEMPLATES = [
    "Föreningen Levande {place}",
    "{place_genitive} Företagarförening",
    "Hembygdsföreningen i {place}",
    "{place_genitive} Turistförening",
    "Kvinnonätverket i {place}",
    "Utvecklingsföreningen {place} Framåt",
    "Byalagen i {place}",
]

FIRST_NAMES = [
    "Anna", "Karin", "Eva", "Maria", "Lena", "Kerstin", "Ingrid", "Birgitta", "Margareta",
    "Lars", "Anders", "Per", "Johan", "Mikael", "Jan", "Bengt", "Göran", "Stefan",
]  # fmt: skip


def genitive(name: str) -> str:
    """Swedish genitive of a place name: Linköping → Linköpings, Grums stays Grums."""
    return name if name[-1:].lower() in "sxz" else f"{name}s"


# Partnerships: names of the acting groups for a priority area, and of local partnerships.
LOCAL_PARTNERSHIP_NAMES = [
    "Lokalt partnerskap {place}",
    "Tillväxtforum {place}",
    "Utvecklingsrådet i {place}",
    "Näringslivsrådet {place}",
]
