"""Who may download which workbook, answered with the public functions of ``followup.access``.

- A county workbook is reached through its county report, fetched with ``access.visible``: a
  coordinator of another county gets a 404, as for a report that does not exist.
- A report's content (observations, summary) is written only when it is not a draft, or when
  the user is the county's own coordinator: no draft of another county in any workbook.
- The national workbook is for ministry staff: reviewers and administrators.
"""

from followup import access
from followup.models import CountyReport, ReportStatus


def may_export_national(user) -> bool:
    return access.is_reviewer(user) or access.is_administrator(user)


def may_show_report(user, report: CountyReport | None) -> bool:
    if report is None or not access.can_view(user, report):
        return False
    return report.status != ReportStatus.DRAFT or access.is_coordinator_of(user, report.county_id)
