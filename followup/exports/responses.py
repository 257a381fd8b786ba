"""The workbooks as downloads: their names, and the one response each that the admin and the
review site both answer with (the rules of what is shown are ``core.access``'s)."""

from core import access, downloads
from followup.exports.county import write_county_workbook
from followup.exports.national import write_national_workbook
from followup.report.write import write_report


def county_filename(report) -> str:
    return f"uppfoljning-{report.round.year}-{report.county.code}-{report.county.short_name}.xlsx"


def national_filename(round_obj) -> str:
    return f"uppfoljning-{round_obj.year}-nationell-sammanstallning.xlsx"


def county_workbook_response(*, report, user):
    """The county's workbook for ``report``'s round, as ``user`` may see it: the report's content
    only where it may be shown, a returned report as submitted where so read."""
    return downloads.workbook_response(
        lambda file: write_county_workbook(
            file,
            county=report.county,
            round_obj=report.round,
            show_report=access.may_show_report(user, report),
            as_submitted=access.reads_as_submitted(user, report),
        ),
        filename=county_filename(report),
    )


def national_workbook_response(*, round_obj):
    """The national workbook of the round (the caller has asked ``may_export_national``)."""
    return downloads.workbook_response(
        lambda file: write_national_workbook(file, round_obj=round_obj),
        filename=national_filename(round_obj),
    )


def report_filename(round_obj, county=None) -> str:
    if county is None:
        return f"uppfoljning-{round_obj.year}-rapportutkast.docx"
    return f"uppfoljning-{round_obj.year}-{county.code}-{county.short_name}.docx"


def report_response(*, round_obj, county=None):
    """The yearly report of the round as a Word document, or one county's presentation (the
    caller has asked ``may_export_national`` or ``may_export_county_presentation``)."""
    return downloads.document_response(
        lambda file: write_report(file, round_obj=round_obj, county=county),
        filename=report_filename(round_obj, county),
    )
