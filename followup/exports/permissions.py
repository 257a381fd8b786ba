"""Who may download which workbook, answered with the public functions of ``core.access``.

- A county workbook is reached through its county report, fetched with ``access.visible``: a
  coordinator of another county gets a 404, as for a report that does not exist.
- A report's content (observations, summary) is written only when it is not a draft, or when
  the user is the county's own coordinator: no draft of another county in any workbook.
- The national workbook is for ministry staff: reviewers and administrators.
"""

from core import access
from followup.models import CountyReport, ReportStatus
from followup.selectors.submitted import reads_live_content


def may_export_national(user) -> bool:
    return access.is_reviewer(user) or access.is_administrator(user)


def may_show_report(user, report: CountyReport | None) -> bool:
    if report is None or not access.can_view(user, report):
        return False
    return report.status != ReportStatus.DRAFT or access.is_coordinator_of(user, report.county_id)


def reads_as_submitted(user, report: CountyReport | None) -> bool:
    """Is ``report`` shown to ``user`` as last submitted — a returned report, to someone who
    does not read the county's work in progress?"""
    return report is not None and not reads_live_content(user, report)
