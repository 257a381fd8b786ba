"""Swedish texts of the follow-up: observations per theme and level, summaries, conclusions.

Placeholders: {county} is the county's short name, {examples} names of the evidence (projects,
partnerships, clusters) or a general phrase when there is none.
"""

# Per theme: (kind of observation, {assessment: [texts]}).
THEME_TEXTS: dict[str, tuple[str, dict[int, list[str]]]] = {
    "lokal-forankring": (
        "iakttagelse",
        {
            1: [
                "Tillväxtavtalet är ännu i stort sett okänt bland lokala aktörer och "
                "projektägare i {county}. Många har svårt att se nyttan med avtalet för egen del.",
            ],
            2: [
                "Kännedomen om avtalet ökar, men många projektägare i {county} uppfattar det "
                "som formellt och svårt att använda när ett konkret projekt ska formas.",
                "Kommunerna känner till avtalet, men företag och föreningar har svårt att se "
                "hur deras idéer passar in i ramarna.",
            ],
            3: [
                "Länet har informerat brett om avtalet och projektägarna hänvisar allt oftare "
                "till det, till exempel i {examples}.",
            ],
            4: [
                "Avtalet är väl förankrat lokalt; kommuner och företag använder det aktivt när "
                "de planerar projekt, till exempel {examples}.",
            ],
        },
    ),
    "dialog-naringsliv": (
        "iakttagelse",
        {
            1: ["Dialogen med näringslivet sker främst i enskilda ärenden."],
            2: [
                "Dialogen med näringslivet förs i {examples}, men företagen deltar ojämnt.",
            ],
            3: [
                "Länet har tagit frågan om dialogen mellan offentlig sektor och näringsliv på "
                "största allvar; företagen deltar aktivt i {examples}.",
            ],
            4: [
                "Näringslivet har en ledande roll i arbetet och dialogen förs löpande i "
                "{examples}.",
            ],
        },
    ),
    "lokala-partnerskap": (
        "trend",
        {
            1: ["Det finns inga lokala partnerskap knutna till avtalet i {county}."],
            2: [
                "Några kommuner har börjat bygga lokala partnerskap, men kontakterna med "
                "den lokala nivån behöver bli bättre.",
            ],
            3: [
                "Länet arbetar med lokala partnerskap och kommer på så sätt i närkontakt med "
                "kommuner, lokala organisationer och företagare, bland annat genom {examples}.",
            ],
            4: [
                "{county} fördjupar kontakterna med lokala partnerskap. På det sättet kommer man "
                "i närkontakt med både kommunerna, de lokala organisationerna, företagare och "
                "engagerade privatpersoner. Exempel: {examples}.",
            ],
        },
    ),
    "finansieringssamrad": (
        "trend",
        {
            1: ["Det finns ännu ingen samordning av de företagsfrämjande insatserna."],
            2: [
                "Länsstyrelsen, ALMI och länsarbetsnämnden har börjat samråda om finansiering "
                "av enskilda företag.",
            ],
            3: [
                "Ett finansieringssamråd har bildats där de regionala aktörerna samordnar sina "
                "företagsfrämjande insatser för att förbättra servicen till företagarna.",
            ],
            4: [
                "En dörr in: företagarna möter de regionala aktörerna på ett ställe och "
                "ärendena fördelas i ett gemensamt finansieringssamråd.",
            ],
        },
    ),
    "uppfoljningssystem": (
        "iakttagelse",
        {
            1: ["Uppföljningen sker inom varje sektor för sig."],
            2: [
                "Ett gemensamt uppföljningssystem för avtalets projekt håller på att tas fram.",
            ],
            3: [
                "Ett tvärsektoriellt uppföljnings- och utvärderingssystem har etablerats och "
                "omfattar bland annat {examples}.",
            ],
            4: [
                "Alla avtalets parter rapporterar i ett gemensamt system och resultaten "
                "diskuteras årligen i partnerskapet.",
            ],
        },
    ),
    "klusterarbete": (
        "iakttagelse",
        {
            1: ["Länet har inte arbetat med kluster."],
            2: [
                "Länet har gjort en första kartläggning av möjliga kluster men ännu inte "
                "inlett något gemensamt arbete.",
            ],
            3: [
                "Länet arbetar med ett klustersynsätt: {examples}. Företag, forskning och "
                "offentliga aktörer har kartlagt länkarna i klustret.",
            ],
            4: [
                "Klusterarbetet är framträdande i {county}: {examples}. Parterna gör en "
                "sammanvägd bedömning av klustrets styrkor och svagheter och föreslår åtgärder.",
            ],
        },
    ),
    "nationellt-perspektiv": (
        "slutsats",
        {
            1: ["Frågan om nationellt perspektiv har inte diskuterats."],
            2: [
                "De statliga aktörerna deltar i arbetet men har ännu inte bedömt riskerna för "
                "geografisk inlåsning.",
            ],
            3: [
                "De statliga aktörerna bevakar det nationella perspektivet och söker kontakter "
                "utanför länet för att undvika inlåsning, bland annat i {examples}.",
            ],
            4: [
                "Risken för geografisk inlåsning bedöms systematiskt och klustren samarbetar "
                "aktivt med aktörer i andra län och länder.",
            ],
        },
    ),
    "horisontella-kriterier": (
        "rekommendation",
        {
            1: ["Miljö och jämställdhet beaktas inte särskilt i projekturvalet."],
            2: [
                "Miljö och jämställdhet nämns i avtalet men följs inte upp i projekten. Länet "
                "bör ta fram kriterier för projekturvalet.",
            ],
            3: [
                "Projekten bedöms mot kriterier för miljö och jämställdhet, och andelen "
                "projekt som leds av kvinnor följs upp.",
            ],
            4: [
                "Miljö- och jämställdhetskriterier är en självklar del av varje beslut och "
                "följs upp i alla projekt.",
            ],
        },
    ),
}

# Texts written for the counties the report names.
SPECIAL_TEXTS: dict[tuple[str, str], str] = {
    ("04", "klusterarbete"): (
        "I Södermanland har en arbetsgrupp för tunga fordon bildats. Den består av ett antal "
        "företag samt länsstyrelsen, ALMI, länsarbetsnämnden och Eskilstuna kommun. Tillsammans "
        "med företagen har de offentliga aktörerna gått igenom hur de olika länkarna i klustret "
        "ser ut. Respektive part analyserar klustret utifrån sitt kompetensområde; för "
        "länsarbetsnämndens del har insatsen bestått i att identifiera företagens behov av "
        "arbetskraft och kompetensutveckling."
    ),
    ("04", "lokala-partnerskap"): (
        "Södermanland arbetar med att fördjupa kontakterna med lokala partnerskap ({examples}). "
        "På det sättet kommer man i närkontakt med både kommunerna, de lokala organisationerna, "
        "företagare och engagerade privatpersoner."
    ),
    ("05", "lokala-partnerskap"): (
        "Östergötland arbetar med att fördjupa kontakterna med lokala partnerskap ({examples}). "
        "Samspelet med den lokala nivån har blivit bättre och nya projektidéer kommer fram."
    ),
}

NO_EXAMPLES = "flera av länets projekt och partnerskap"

# Themes a county deliberately does not assess this year ("Ej bedömt"): its reason and text.
NOT_ASSESSED: dict[tuple[str, str], tuple[str, str]] = {
    ("20", "klusterarbete"): (
        "Avtalet har inga klusterinsatser ännu; de första förstudierna startar under 2002.",
        "Dalarna har inte bedömt klusterarbetet i år. Förstudier om träindustrin och "
        "besöksnäringen planeras till nästa år.",
    ),
    ("13", "nationellt-perspektiv"): (
        "Underlaget från den nationella analysen av inlåsningsrisker har inte kommit länet "
        "till del i tid.",
        "Halland återkommer om det nationella perspektivet när den nationella analysen finns.",
    ),
}

SUMMARY = (
    "{county} redovisar {projects} projekt inom tillväxtavtalet. {highlight} Arbetet leds av "
    "{lead_body} tillsammans med partnerskapet."
)
HIGHLIGHTS = {
    "cluster": "Klusterarbetet har utvecklats under året.",
    "local": "Kontakterna med lokala partnerskap har fördjupats.",
    "default": "Dialogen mellan offentlig sektor och näringsliv har utvecklats.",
}

RETURN_COMMENTS = [
    "Komplettera iakttagelsen om lokala partnerskap med vilka kommuner som deltar.",
    "Bedömningen av klusterarbetet behöver motiveras med exempel ur registret.",
    "Ange hur miljö och jämställdhet följs upp i projekten.",
]
APPROVE_COMMENT = "Godkänd. Tack för en tydlig rapport."

# Section 4.3 of the report: the ministry's conclusions, by theme.
# The ministry's conclusion on the round as a whole (the chapter's closing paragraphs, 4.1).
ROUND_CONCLUSION = (
    "Tillväxtavtalen innebär att många invanda rutiner och sätt att organisera arbete påverkas. "
    "I många län har man tagit frågan om att utveckla dialogen mellan offentlig sektor och "
    "näringsliv på största allvar, och en klusterpolitik växer fram på lokal och regional nivå. "
    "Processen är mångfacetterad; diskussionen kring de centrala frågorna bör fortsätta, i "
    "seminarier och i fortsatta uppföljningar."
)

NATIONAL_CONCLUSIONS = [
    (
        "lokal-forankring",
        "Det regionala tillväxtavtalets idé förefaller ännu vara främmande för många lokala "
        "aktörer och projektägare. Metoder för hur man kan agera ur ett lokalt perspektiv för "
        "att få nytta av tillväxtavtalet bör eventuellt diskuteras och spridas.",
    ),
    (
        "klusterarbete",
        "En klusterpolitik växer fram på lokal och regional nivå. Arbetet med tillväxtavtal har "
        "bidragit till detta. Klusterpolitiken framstår för många som attraktiv, eftersom den "
        "bildar ett tydligt ramverk för samverkan mellan såväl privat och offentligt som mellan "
        "olika offentliga sektorsorgan. Den kan också underlätta prioriteringar av insatser som "
        "är viktiga för att stärka regionens internationella konkurrenskraft.",
    ),
    (
        "nationellt-perspektiv",
        "Staten har en viktig roll i den klusterpolitik som utvecklas. Kunskaperna om klusters "
        "effektivitet är begränsade. Staten bör medverka till att analysera och dra slutsatser "
        "av de erfarenheter som uppnås runt om i landet och internationellt. De statliga aktörer "
        "som finns på regional nivå, och som medverkar aktivt i åtgärder för att stärka "
        "geografiskt avgränsade kluster, bör säkerställa ett nationellt perspektiv och beakta "
        "riskerna för geografiska inlåsningseffekter.",
    ),
]
