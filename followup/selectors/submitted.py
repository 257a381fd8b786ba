"""A report's content as it was last submitted, for those who do not read the county's work.

A returned report is back with its county: what the county writes in it now is its own until
it submits again (as a draft's content is). The ministry meanwhile reads the report as it last
received it: the versions the submission wrote of the report and of every observation (their
``history_date`` is the submission's moment) and the evidence frozen then.

``core.access.reads_as_submitted`` says to whom: anyone but the report's own county's
coordinators and administrators, who read it as it stands.
"""

from django.db.models import F

from followup.models import CountyReport, Observation, ReportStatus


def submitted_versions(*, report_ids):
    """The observations of these (returned) reports as last submitted: the versions their
    last submission wrote."""
    return Observation.history.filter(
        report_id__in=report_ids,
        report_status=ReportStatus.SUBMITTED,
        history_date=F("report__submitted_at"),
    ).exclude(history_type="-")


def returned_report_ids(**filters) -> list[int]:
    return list(
        CountyReport.objects.filter(status=ReportStatus.RETURNED, **filters).values_list(
            "pk", flat=True
        )
    )


def submitted_summary(report: CountyReport) -> str:
    """The report's summary as last submitted."""
    version = (
        report.history.filter(status=ReportStatus.SUBMITTED, history_date=report.submitted_at)
        .values_list("summary", flat=True)
        .first()
    )
    return version if version is not None else ""
