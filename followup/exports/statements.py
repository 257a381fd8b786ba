"""Swedish sentences generated from the data, in the style of the ministry's report:

    "Södermanland, Skåne, Västra Götaland, Stockholm och Värmland arbetar med kluster."
    "Lokala partnerskap finns i 2 av 21 län: Södermanland och Östergötland."

Each theme reads after the counties' names by its own phrase (``Theme.phrase``, edited in the
admin; "arbetar med" and the theme's name when it has none). Counties without an assessment are
named once, not under every theme.

A county *works with* a theme when its report (not a draft) assesses it at least as established
(``Assessment.ESTABLISHED``, 3 on the scale). The counties are named strongest first, then by
county code (SCB's order, as in the report's tables), so the same data always gives the same
sentence.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from followup.models import Assessment

WORKS_WITH = Assessment.ESTABLISHED

# How each level reads after "bedöms arbetet som …" / in a list of levels.
LEVEL_WORDS = {
    Assessment.STRONG: "framträdande",
    Assessment.ESTABLISHED: "etablerat",
    Assessment.BEGINNING: "begynnande",
    Assessment.NONE: "inget arbete",
}


@dataclass(frozen=True)
class CountyAssessment:
    code: str
    name: str
    assessment: int


def join_names(names: Sequence[str]) -> str:
    """'A', 'A och B', 'A, B och C'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} och {names[-1]}"


def in_report_order(assessments: Sequence[CountyAssessment]) -> list[CountyAssessment]:
    return sorted(assessments, key=lambda a: (-a.assessment, a.code))


def theme_phrase(theme_name: str) -> str:
    """'Klusterarbete' → 'klusterarbete'; an acronym such as 'EU-…' keeps its capitals."""
    if len(theme_name) > 1 and theme_name[1].isupper():
        return theme_name
    return theme_name[:1].lower() + theme_name[1:]


def predicate(*, theme_name: str, phrase: str = "") -> str:
    """How a theme reads after the counties' names: its own phrase ("arbetar med kluster"), else
    "arbetar med" and its name."""
    return phrase.strip().rstrip(".") or f"arbetar med {theme_phrase(theme_name)}"


def counties_working_with(assessments: Sequence[CountyAssessment]) -> list[str]:
    return [a.name for a in in_report_order(assessments) if a.assessment >= WORKS_WITH]


def theme_statements(
    *, theme_name: str, assessments: Sequence[CountyAssessment], phrase: str = ""
) -> list[str]:
    """What the counties report on one theme and how strongly, as a few sentences.

    ``assessments`` are the counties whose report (not a draft) assesses the theme; the counties
    without one are named once for all themes (``not_yet_assessed_statement``).
    """
    working = counties_working_with(assessments)
    sentences = []
    if working:
        sentences.append(
            f"{join_names(working)} {predicate(theme_name=theme_name, phrase=phrase)}."
        )
    elif assessments:
        sentences.append("Inget län bedömer ännu sitt arbete med temat som etablerat.")
    by_level = {
        level: [a.name for a in in_report_order(assessments) if a.assessment == level]
        for level in LEVEL_WORDS
    }
    strong, established = by_level[Assessment.STRONG], by_level[Assessment.ESTABLISHED]
    if strong and established:
        sentences.append(
            f"Arbetet bedöms som framträdande i {join_names(strong)} och som etablerat i "
            f"{join_names(established)}."
        )
    elif strong:
        sentences.append(f"Arbetet bedöms som framträdande i {join_names(strong)}.")
    elif established:
        sentences.append(f"Arbetet bedöms som etablerat i {join_names(established)}.")
    beginning, none = by_level[Assessment.BEGINNING], by_level[Assessment.NONE]
    if beginning and none:
        sentences.append(
            f"Arbetet är begynnande i {join_names(beginning)}; inget arbete rapporteras från "
            f"{join_names(none)}."
        )
    elif beginning:
        sentences.append(f"Arbetet är begynnande i {join_names(beginning)}.")
    elif none:
        sentences.append(f"Inget arbete rapporteras från {join_names(none)}.")
    return sentences


def not_yet_assessed_statement(names: Sequence[str], *, counties: int) -> str:
    """Said once above the themes: which counties' assessments the sentences do not include."""
    names = list(names)
    if not names:
        return f"Alla {counties} län har skickat in sina bedömningar."
    if len(names) == counties:
        return "Inget län har skickat in sin rapport ännu; meningarna nedan saknar bedömningar."
    who = join_names(names)
    return (
        f"Bedömningar saknas ännu från {who} (utkast eller ingen rapport); meningarna nedan "
        f"bygger på de {counties - len(names)} övriga länens rapporter."
    )


def counted_statement(subject: str, names: Sequence[str], *, counties: int) -> str:
    """'Lokala partnerskap finns i 2 av 21 län: Östergötland och Södermanland.' — a fact counted
    from the register, the counties named in county-code order as given."""
    names = list(names)
    if not names:
        return f"{subject} finns inte i något län."
    if len(names) == counties:
        return f"{subject} finns i alla {counties} län."
    return f"{subject} finns i {len(names)} av {counties} län: {join_names(names)}."


def reported_financing_statement(reported: int, *, counties: int) -> str:
    """'18 av 21 län har rapporterat beslut om finansiering.'"""
    if reported == counties:
        return f"Alla {counties} län har rapporterat beslut om finansiering."
    if reported == 0:
        return "Inget län har rapporterat beslut om finansiering ännu."
    return f"{reported} av {counties} län har rapporterat beslut om finansiering."


def submission_statement(
    *, counties: int, submitted: int, approved: int, returned: int, drafts: int, missing: int
) -> str:
    """'14 av 21 län har skickat in sin rapport och 8 av dem är godkända. …'

    ``submitted`` counts the reports with the ministry or approved (as the round's list does);
    a returned report is back with the county for completion.
    """
    sentence = f"{submitted} av {counties} län har skickat in sin rapport"
    sentence += f" och {approved} av dem är godkända." if approved else "; ingen är godkänd än."
    rest = []
    if returned:
        rest.append(
            f"{returned} {'rapport har' if returned == 1 else 'rapporter har'} returnerats till "
            "länen för komplettering"
        )
    if drafts:
        rest.append(f"{drafts} är ännu utkast")
    if missing:
        rest.append(f"{missing} län saknar rapport")
    if rest:
        sentence += f" {join_names(rest)}."
    return sentence


def percent_text(share: Decimal) -> str:
    """A share as whole per cent, Swedish style: '25 %'; a small non-zero share 'under 1 %'."""
    value = (share * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if value == 0 and share > 0:
        return "under 1 %"
    return f"{value} %"


def msek_text(amount: Decimal) -> str:
    """2 585 432 100 → '2 585 miljoner kronor' (thin spaces would not survive every program)."""
    millions = (amount / Decimal(1_000_000)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    unit = "miljon" if millions == 1 else "miljoner"
    return f"{millions:,}".replace(",", " ") + f" {unit} kronor"


def financing_statement(*, total: Decimal, parts: Sequence[tuple[str, Decimal]]) -> str:
    """'Den beslutade finansieringen uppgår till 2 585 miljoner kronor, varav staten 50 %, …'"""
    if not total:
        return "Ingen finansiering har beslutats ännu."
    shares = [f"{label} {percent_text(amount / total)}" for label, amount in parts if amount]
    return (
        f"Den beslutade finansieringen uppgår till {msek_text(total)}, varav {join_names(shares)}."
    )
