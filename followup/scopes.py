"""What the follow-up's models are, for access (``core.access``): declared here, once.

A county report, its observations and its review events belong to the report's county and to
the review workflow: ``ReportContent`` tells the access door what a reviewer reads of them and
which may be written now (the report lock, ``followup.models.locking``). Rounds, themes and the
ministry's conclusions are shared; the conclusions are the reviewers' to write. The projects,
partnerships and clusters a locked report cites may not be deleted (evidence).
"""

from django.db.models import Q

from core.access import ReportRule, Scope, register, register_deletion_rule
from followup.models import locking
from followup.models.statuses import WITH_THE_MINISTRY, ReportStatus


class ReportContent(ReportRule):
    """The rows of a county report, reached from the model through ``prefix`` ("" for the
    report itself, "report__" for its rows).

    A reviewer reads a report (its status, its review events) once it is no longer a draft;
    its content — ``content`` models — only while it is with the ministry (a returned report is
    read as last submitted, ``followup.selectors.submitted``); of its audit trail only the
    versions written while it was with the ministry (``history_status`` names the field of
    the version that says so).
    """

    def __init__(self, prefix: str, *, content: bool = False, history_status: str = ""):
        self.prefix = prefix
        self.content = content
        self.history_status = history_status

    def reviewer_q(self, model) -> Q:
        if hasattr(model, "instance_type"):  # a version in the audit trail
            return Q(**{f"{self.history_status}__in": WITH_THE_MINISTRY})
        if self.content:
            return Q(**{f"{self.prefix}status__in": WITH_THE_MINISTRY})
        return ~Q(**{f"{self.prefix}status": ReportStatus.DRAFT})

    def writable_q(self) -> Q:
        return locking.writable_q(self.prefix)

    def locked(self, obj) -> bool:
        if not self.prefix:  # the report itself, as it would be written
            return locking.report_write_refusal(obj) is not None
        report_id = getattr(obj, "report_id", None)
        return report_id is not None and bool(locking.locked_reports([report_id]))

    def deletion_refusal(self, queryset) -> str | None:
        field = "pk" if not self.prefix else "report_id"
        locked = locking.locked_reports(queryset.values_list(field, flat=True))
        return locking.lock_reason(locked[0]) if locked else None

    def content_shown(self, report) -> bool:
        return report.status != ReportStatus.DRAFT

    def read_as_submitted(self, report) -> bool:
        return report.status == ReportStatus.RETURNED

    def __eq__(self, other):
        return isinstance(other, ReportContent) and vars(self) == vars(other)

    def __hash__(self):
        return hash((self.prefix, self.content, self.history_status))


def register_scopes() -> None:
    register(
        "followup.countyreport",
        Scope(county="county", report=ReportContent("", history_status="status")),
    )
    register(
        "followup.observation",
        Scope(
            county="report__county",
            report=ReportContent("report__", content=True, history_status="report_status"),
        ),
    )
    register(
        "followup.reviewevent",
        Scope(county="report__county", read_only=True, report=ReportContent("report__")),
    )
    # The review's comments: the report's county and the ministry read them (the site shows a
    # reviewer's pending ones to reviewers only); written through the site's comment views.
    register(
        "followup.reviewcomment",
        Scope(
            county="report__county",
            read_only=True,
            report=ReportContent("report__", history_status="report_status"),
        ),
    )
    # The e-mail sent about a county's report: written by the system, read by people.
    register("followup.notice", Scope(county="county", read_only=True))
    for label in ("followup.theme", "followup.followupround"):
        register(label, Scope(shared=True))
    register("followup.nationalconclusion", Scope(shared=True, written_by_reviewers=True))
    for label in locking.EVIDENCE_FIELDS:
        register_deletion_rule(label, locking.evidence_deletion_refusal)


register_scopes()  # at import: the models' package imports this, so it is done before any admin
