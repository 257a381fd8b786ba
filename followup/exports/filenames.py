"""The names the workbooks are downloaded under."""


def county_filename(report) -> str:
    return f"uppfoljning-{report.round.year}-{report.county.code}-{report.county.short_name}.xlsx"


def national_filename(round_obj) -> str:
    return f"uppfoljning-{round_obj.year}-nationell-sammanstallning.xlsx"
