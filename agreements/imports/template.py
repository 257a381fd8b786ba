"""The county's import template: instructions, three data sheets and hidden lists.

Existing rows are prefilled with their ID, so a re-import updates them instead of adding
copies. Drop-down lists come from the county's own data; every column has input help.
"""

import datetime
import functools
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from xlsxwriter.utility import xl_col_to_name

from agreements.imports import columns as cols
from agreements.imports.lookups import (
    agreement_label,
    measure_label,
    municipality_label,
    organisation_label,
    shared_organisation_names,
)
from agreements.models import (
    Agreement,
    County,
    FinancingLine,
    FinancingSource,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Partnership,
    Project,
)
from agreements.models.clusters import Cluster
from core import formats

# Drop-down lists people may leave (an owner not in the list is written as name or number).
FREE_LISTS = {"owner", "financier", "municipality"}


def write_template(
    file, *, county: County, extra_rows: dict[str, Iterable[tuple]] | None = None
) -> None:
    """Write ``county``'s template to ``file`` (a path or a binary file object).

    ``extra_rows`` adds rows after the prefilled ones, by sheet name, in the columns' order
    (used by the benchmark and the tests to build large or edited files). The template is a
    Swedish file whatever language the page that asks for it is read in, as the workbooks are
    (the import reads its choices in either language).
    """
    with translation.override(settings.LANGUAGE_CODE):
        _write_template(file, county=county, extra_rows=extra_rows)


def _write_template(file, *, county: County, extra_rows) -> None:
    book = xlsxwriter.Workbook(file, {"strings_to_numbers": False, "strings_to_formulas": False})
    book.set_custom_property(cols.COUNTY_CODE_PROPERTY, county.code)
    book.set_properties({"title": f"Importmall projekt {county.name}", "author": "Tillväxtavtal"})
    writer = _TemplateWriter(book, county)  # adds the sheets, in the template's order
    writer.instructions()
    lists = writer.lists()
    writer.organisations(lists, (extra_rows or {}).get(cols.ORGANISATIONS, ()))
    writer.projects(lists, (extra_rows or {}).get(cols.PROJECTS, ()))
    writer.financing(lists, (extra_rows or {}).get(cols.FINANCING, ()))
    book.close()


class _TemplateWriter:
    def __init__(self, book, county: County):
        self.book, self.county = book, county
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.required_header = book.add_format(
            {"bold": True, "bg_color": "#F8CBAD", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.formats = {
            "id": book.add_format({"num_format": "0", "bg_color": "#EDEDED"}),
            "date": book.add_format({"num_format": formats.DATE}),
            "amount": book.add_format({"num_format": formats.KRONOR_AND_ORE}),
            "year": book.add_format({"num_format": formats.YEAR}),
            "text": book.add_format({"num_format": "@"}),
        }
        # Text that a spreadsheet could take for a formula gets a quote prefix, as in every
        # other download: kept as text, and openpyxl reads it back without the prefix.
        self.quoted = {
            None: book.add_format({"quote_prefix": True}),
            self.formats["text"]: book.add_format({"num_format": "@", "quote_prefix": True}),
        }
        self.last_row = settings.IMPORT_MAX_ROWS  # validations reach as far as a file may
        self.sheets = {name: book.add_worksheet(name) for name in cols.SHEETS}

    # --- sheets -------------------------------------------------------------------------------

    @functools.cached_property
    def shared_names(self) -> set[str]:
        return shared_organisation_names()

    def org_label(self, org: Organisation | None) -> str:
        return organisation_label(org, shared=self.shared_names)

    def instructions(self):
        sheet = self.sheets[cols.INSTRUCTIONS]
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 24)
        sheet.set_column(2, 2, 14)
        sheet.set_column(3, 3, 90)
        sheet.write(0, 0, f"Importmall för projekt – {self.county.name}", self.title)
        sheet.write(2, 0, cols.COUNTY_CODE_LABEL, self.bold)
        sheet.write_string(2, 1, self.county.code, self.formats["text"])
        sheet.write(3, 0, "Län", self.bold)
        self._string(sheet, 3, 1, self.county.name)
        sheet.write(4, 0, "Skapad", self.bold)
        sheet.write(4, 1, datetime.date.today().isoformat())
        texts = [
            "Så här gör du",
            "1. Fyll i bladen Projekt, Finansiering och vid behov Organisationer. "
            "Rubrikerna på rad 1 får inte ändras, men kolumnerna får flyttas.",
            "2. Befintliga rader har ett ID. Ändra gärna värdena, men aldrig ID. "
            "Nya rader lämnas utan ID.",
            "3. Rader som tas bort ur filen tas inte bort ur registret: importen lägger bara "
            "till och ändrar.",
            "4. Skriv värden, inte formler. Sammanfoga inga celler och lägg inte till blad.",
            "5. Belopp i kronor (1 250 000,50 går bra), datum som 2001-03-15.",
            "6. Ladda upp filen. Du får se vad som skapas, ändras och lämnas orört, och "
            "alla fel med blad, rad och kolumn, innan något sparas.",
            "Obligatoriska kolumner har orange rubrik. Länskoden ovan måste stå kvar: "
            "filen kan bara importeras till det länet.",
        ]
        for offset, text in enumerate(texts):
            sheet.write(6 + offset, 0, text, self.bold if offset == 0 else None)
        row = 7 + len(texts)
        for col, text in enumerate(("Blad", "Kolumn", "Obligatorisk", "Beskrivning")):
            sheet.write(row, col, text, self.header)
        for name in cols.DATA_SHEETS[1:] + cols.DATA_SHEETS[:1]:
            for column in cols.COLUMNS[name]:
                row += 1
                sheet.write(row, 0, name)
                sheet.write(row, 1, column.header)
                sheet.write(row, 2, "Ja" if column.required else "")
                sheet.write(row, 3, column.help, self.wrap)

    def lists(self) -> dict[str, str]:
        """The hidden Listor sheet; returns column key → the range a drop-down reads."""
        county = self.county
        agreements = list(Agreement.objects.filter(county=county).order_by("start_year"))
        measures = (
            Measure.objects.filter(agreement__county=county)
            .select_related("priority_area")
            .order_by("agreement__start_year", "priority_area__number", "number")
        )
        municipalities = Municipality.objects.filter(county=county).valid_today()
        owners = Organisation.objects.filter(
            Q(county=county) | Q(owned_projects__county=county)
        ).distinct()
        lists = {
            "agreement": [agreement_label(a) for a in agreements],
            "measure": [measure_label(m) for m in measures],
            "municipality": [municipality_label(m) for m in municipalities],
            "partnership": list(
                Partnership.objects.filter(county=county)
                .order_by("name")
                .values_list("name", flat=True)
            ),
            "cluster": list(
                Cluster.objects.filter(county=county)
                .order_by("name")
                .values_list("name", flat=True)
            ),
            "status": [str(label) for _v, label in Project.Status.choices],
            "source": list(FinancingSource.objects.values_list("name", flat=True)),
            "kind": [str(label) for _v, label in FinancingLine.Kind.choices],
            "organisation_kind": list(OrganisationKind.objects.values_list("name", flat=True)),
            "owner": sorted({self.org_label(o) for o in owners} - {""}, key=str.casefold),
        }
        sheet = self.sheets[cols.LISTS]
        sheet.hide()
        ranges = {}
        for col, (key, items) in enumerate(lists.items()):
            sheet.write(0, col, key, self.bold)
            for row, item in enumerate(items, start=1):
                self._string(sheet, row, col, item)
            if items:
                letter = xl_col_to_name(col)
                ranges[key] = f"={cols.LISTS}!${letter}$2:${letter}${len(items) + 1}"
        ranges["financier"] = ranges.get("owner")
        return ranges

    def _data_sheet(self, name: str, lists: dict[str, str], list_keys: dict[str, str]):
        sheet = self.sheets[name]
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 30)
        for col, column in enumerate(cols.COLUMNS[name]):
            sheet.set_column(col, col, column.width, self._column_format(name, column.key))
            sheet.write(
                0, col, column.header, self.required_header if column.required else self.header
            )
            options = {
                "input_title": column.header[:32],
                "input_message": (("Obligatorisk. " if column.required else "") + column.help)[
                    :255
                ],
            }
            source = lists.get(list_keys.get(column.key, ""))
            if source:
                options |= {"validate": "list", "source": source}
                if column.key in FREE_LISTS:
                    options |= {
                        "error_type": "information",
                        "error_title": column.header[:32],
                        "error_message": "Värdet finns inte i listan. Det kontrolleras när "
                        "filen laddas upp.",
                    }
            elif column.key == "amount":
                options |= {"validate": "decimal", "criteria": ">=", "value": 0}
                options |= {"error_message": "Beloppet får inte vara negativt."}
            elif column.key == "year":
                options |= {"validate": "integer", "criteria": "between", "minimum": 1990}
                options |= {"maximum": 2100, "error_message": "Skriv året med fyra siffror."}
            else:
                options |= {"validate": "any"}
            sheet.data_validation(1, col, self.last_row, col, options)
        return sheet

    def _column_format(self, name, key):
        if key == "id":
            return self.formats["id"]
        if key in ("start_date", "end_date"):
            return self.formats["date"]
        if key == "amount":
            return self.formats["amount"]
        if key == "year":
            return self.formats["year"]
        if key in ("reference_number", "project", "org_number"):
            return self.formats["text"]
        return None

    def _string(self, sheet, row: int, col: int, text: str, cell_format=None) -> None:
        if formats.looks_like_formula(text):
            cell_format = self.quoted[cell_format]
        sheet.write_string(row, col, text, cell_format)

    def _write_rows(self, sheet, name, rows: Iterable[tuple]):
        keys = [column.key for column in cols.COLUMNS[name]]
        number = 0
        for number, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                key = keys[col]
                if isinstance(value, Decimal):
                    value = float(value)
                if isinstance(value, datetime.date):
                    sheet.write_datetime(number, col, value, self.formats["date"])
                elif isinstance(value, str):
                    self._string(sheet, number, col, value, self._column_format(name, key))
                else:
                    sheet.write_number(number, col, value, self._column_format(name, key))
        return number

    def organisations(self, lists, extra):
        sheet = self._data_sheet(
            cols.ORGANISATIONS, lists, {"kind": "organisation_kind", "municipality": "municipality"}
        )
        orgs = (
            Organisation.objects.filter(county=self.county)
            .select_related("kind", "municipality")
            .order_by("name")
        )
        rows = (
            (
                org.pk,
                org.name,
                org.kind.name,
                org.org_number,
                municipality_label(org.municipality) if org.municipality else "",
            )
            for org in orgs
        )
        self._write_rows(sheet, cols.ORGANISATIONS, _chain(rows, extra))

    def projects(self, lists, extra):
        keys = {k: k for k in ("agreement", "measure", "owner", "municipality")}
        keys |= {"partnership": "partnership", "cluster": "cluster", "status": "status"}
        sheet = self._data_sheet(cols.PROJECTS, lists, keys)
        projects = (
            Project.objects.filter(county=self.county)
            .select_related(
                "agreement",
                "measure__priority_area",
                "owner",
                "municipality",
                "partnership",
                "cluster",
            )
            .order_by("reference_number")
        )
        rows = (
            (
                p.pk,
                p.reference_number,
                p.title,
                agreement_label(p.agreement),
                measure_label(p.measure),
                self.org_label(p.owner),
                municipality_label(p.municipality) if p.municipality else "",
                p.partnership.name if p.partnership else "",
                p.cluster.name if p.cluster else "",
                p.start_date,
                p.end_date,
                str(p.get_status_display()),
                p.description,
            )
            for p in projects
        )
        self._write_rows(sheet, cols.PROJECTS, _chain(rows, extra))

    def financing(self, lists, extra):
        sheet = self._data_sheet(
            cols.FINANCING, lists, {"source": "source", "financier": "financier", "kind": "kind"}
        )
        lines = (
            FinancingLine.objects.filter(project__county=self.county)
            .select_related("project", "source", "financier")
            .order_by("project__reference_number", "year", "kind", "source__sort_order", "pk")
        )
        rows = (
            (
                line.pk,
                line.project.reference_number,
                line.source.name,
                self.org_label(line.financier),
                line.year,
                line.amount,
                str(line.get_kind_display()),
                line.note,
            )
            for line in lines
        )
        self._write_rows(sheet, cols.FINANCING, _chain(rows, extra))


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable
