"""The template's sheets and columns: one definition for the writer and the reader.

Columns are found by their header text, so a user may reorder them; a header is compared
without case, extra spaces or a trailing "*".
"""

from dataclasses import dataclass

INSTRUCTIONS = "Instruktioner"
PROJECTS = "Projekt"
FINANCING = "Finansiering"
ORGANISATIONS = "Organisationer"
LISTS = "Listor"

# The sheets a template has, in order. Any other sheet makes the file refused.
SHEETS = (INSTRUCTIONS, PROJECTS, FINANCING, ORGANISATIONS, LISTS)
# Sheets holding rows to import, in the order they are validated (owners before projects).
DATA_SHEETS = (ORGANISATIONS, PROJECTS, FINANCING)

# On the instructions sheet: the label in column A whose neighbour in B is the county code.
COUNTY_CODE_LABEL = "Länskod"
COUNTY_CODE_PROPERTY = "Länskod"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    required: bool = False
    width: int = 16


def normalise_header(text) -> str:
    return " ".join(str(text or "").replace("*", " ").split()).casefold()


ID_HELP = (
    "Fylls i av systemet för befintliga rader. Lämna tomt på nya rader. "
    "Ändra aldrig ett ID: raden med ID uppdaterar just den posten."
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    PROJECTS: (
        Column("id", "ID", ID_HELP, width=8),
        Column(
            "reference_number",
            "Diarienummer",
            "Unikt inom länet, t.ex. 301-1234-00.",
            required=True,
            width=16,
        ),
        Column("title", "Projektnamn", "Högst 250 tecken.", required=True, width=40),
        Column(
            "agreement",
            "Avtal",
            "Välj ur listan. Får lämnas tomt när länet bara har ett avtal.",
            width=30,
        ),
        Column(
            "measure",
            "Åtgärd",
            "Välj ur listan: åtgärden i avtalet som projektet ryms inom, t.ex. 1.2.",
            required=True,
            width=36,
        ),
        Column(
            "owner",
            "Projektägare",
            "Organisationsnummer (t.ex. 556012-5790) eller exakt namn på en organisation. "
            "En ny organisation läggs till på bladet Organisationer.",
            required=True,
            width=32,
        ),
        Column("municipality", "Kommun", "Välj ur listan: kommunkod och namn.", width=22),
        Column("partnership", "Partnerskap", "Välj ur listan (länets partnerskap).", width=28),
        Column("cluster", "Kluster", "Välj ur listan (länets kluster).", width=24),
        Column("start_date", "Startdatum", "Datum, t.ex. 2001-03-15.", width=12),
        Column("end_date", "Slutdatum", "Datum, t.ex. 2002-12-31. Inte före startdatum.", width=12),
        Column("status", "Status", "Välj ur listan.", required=True, width=12),
        Column("description", "Beskrivning", "Fritext.", width=50),
    ),
    FINANCING: (
        Column("id", "ID", ID_HELP, width=8),
        Column(
            "project",
            "Diarienummer",
            "Projektets diarienummer (projektet kan läggas till på bladet Projekt).",
            required=True,
            width=16,
        ),
        Column("source", "Finansieringskälla", "Välj ur listan.", required=True, width=36),
        Column(
            "financier",
            "Finansiär",
            "Organisationsnummer eller exakt namn. Frivilligt.",
            width=32,
        ),
        Column("year", "År", "Fyra siffror, t.ex. 2001.", required=True, width=8),
        Column(
            "amount",
            "Belopp (kr)",
            "Kronor, inte negativt. Decimalkomma och mellanslag går bra: 1 250 000,50.",
            required=True,
            width=16,
        ),
        Column("kind", "Beslutat/utfall", "Välj ur listan.", required=True, width=14),
        Column(
            "note",
            "Anmärkning",
            "Hur beloppet rapporterades, t.ex. om medfinansiering räknats in.",
            width=40,
        ),
    ),
    ORGANISATIONS: (
        Column("id", "ID", ID_HELP, width=8),
        Column("name", "Namn", "Organisationens namn, högst 200 tecken.", required=True, width=36),
        Column("kind", "Typ av aktör", "Välj ur listan.", required=True, width=30),
        Column(
            "org_number",
            "Organisationsnummer",
            "Tio siffror, t.ex. 556012-5790. Frivilligt, men unikt när det anges.",
            width=20,
        ),
        Column("municipality", "Hemkommun", "Välj ur listan. Frivilligt.", width=22),
    ),
}
