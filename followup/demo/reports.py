"""The follow-up of 2001: a round with every theme, a report per county in every state,
observations with evidence from the county's register, review events and the conclusions."""

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agreements.models import Cluster, County, Project
from followup.demo import texts
from followup.demo.audit import audited_bulk_create
from followup.demo.clusters import CLUSTER_COUNTIES
from followup.demo.register import LOCAL_PARTNERSHIP_COUNTIES, CountyPartnerships
from followup.models import (
    Assessment,
    CountyReport,
    FollowUpRound,
    NationalConclusion,
    Observation,
    ReviewEvent,
    Theme,
)
from followup.selectors.evidence import evidence_labels
from followup.selectors.figures import county_key_figures
from followup.services.reports import COMPLETION_DAYS

ROUND_YEAR = 2001
DEADLINE = datetime.date(2001, 9, 15)
TZ = ZoneInfo("Europe/Stockholm")
Status = CountyReport.Status

# Every state is shown; Södermanland's coordinator has a returned report to complete and
# Östergötland's a draft to finish, the ministry submitted reports to review.
REPORT_STATUS = {
    **dict.fromkeys(["01", "03", "06", "07", "12", "13", "14", "18"], Status.APPROVED),
    **dict.fromkeys(["08", "10", "17", "19", "20", "22"], Status.SUBMITTED),
    **dict.fromkeys(["04", "21", "24"], Status.RETURNED),
    **dict.fromkeys(["05", "09", "23", "25"], Status.DRAFT),
}
CLUSTER_ASSESSMENT = {"01": 3, "04": 4, "05": 3, "12": 4, "14": 4, "17": 3}
ASSESSMENT_CHOICES = {
    "lokal-forankring": [1, 2, 2, 2, 3],
    "dialog-naringsliv": [2, 3, 3, 4],
    "finansieringssamrad": [2, 2, 3, 3, 4],
    "uppfoljningssystem": [1, 2, 2, 3, 3],
    "horisontella-kriterier": [2, 2, 3, 3],
}


@dataclass
class CountyEvidence:
    """What a county's report can point to, gathered while its register was built."""

    county: County
    project_count: int
    projects: dict[str, list[Project]]
    partnerships: CountyPartnerships
    clusters: list[Cluster]


def _assessment(rng: random.Random, evidence: CountyEvidence, theme: str) -> int:
    code = evidence.county.code
    if theme == "klusterarbete":
        return CLUSTER_ASSESSMENT.get(code) or rng.choice([1, 1, 2])
    if theme == "lokala-partnerskap":
        if code in LOCAL_PARTNERSHIP_COUNTIES:
            return 4
        return rng.choice([2, 2, 3]) if evidence.partnerships.local else 1
    if theme == "nationellt-perspektiv":
        return rng.choice([2, 3, 3] if code in CLUSTER_COUNTIES else [1, 2, 2])
    return rng.choice(ASSESSMENT_CHOICES[theme])


def _evidence(evidence: CountyEvidence, theme: str):
    """(projects, partnerships, clusters) an observation on the theme points to."""
    p = evidence.partnerships
    if theme == "klusterarbete":
        return evidence.projects["cluster"], p.sectoral, evidence.clusters
    if theme == "lokala-partnerskap":
        return evidence.projects["local"], list(p.local.values()), []
    if theme == "dialog-naringsliv":
        return [], [p.regional, *list(p.acting.values())[:1]], []
    if theme == "uppfoljningssystem":
        return evidence.projects["any"][:1], [p.regional], []
    if theme == "nationellt-perspektiv":
        return [], [], evidence.clusters
    return evidence.projects["any"], [], []


def _examples(projects, partnerships, clusters) -> str:
    named = [f"klustret {c.name}" for c in clusters]
    named += [p.name for p in partnerships] + [f"projektet {p.title}" for p in projects]
    named = named[:3]
    if not named:
        return texts.NO_EXAMPLES
    if len(named) == 1:
        return named[0]
    return ", ".join(named[:-1]) + " och " + named[-1]


def _at(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, rng.randint(8, 16), rng.randrange(60), tzinfo=TZ
    )


def _as_submitted(reports, observations, users) -> None:
    """What the submission of each non-draft report wrote: the names of the evidence frozen
    with the key figures, and a version of each observation marked as submitted (the history
    a reviewer reads)."""
    sent = {report.pk: report for report in reports if report.submitted_at}
    for report in sent.values():
        CountyReport.objects.filter(pk=report.pk).update(
            frozen_evidence=evidence_labels(report_id=report.pk)
        )
    for status in (Status.SUBMITTED, Status.RETURNED, Status.APPROVED):
        versions = [o for o in observations if o.report_id in sent and o.report.status == status]
        for observation in versions:
            observation._history_date = sent[observation.report_id].submitted_at
            observation._history_user = sent[observation.report_id].submitted_by
        Observation.history.bulk_history_create(
            versions,
            update=True,
            default_change_reason=str(ReviewEvent.Action.SUBMIT.label),
            custom_historical_attrs={"report_status": Status.SUBMITTED},
        )


def build_follow_up(rng: random.Random, evidence_by_county: list[CountyEvidence], users) -> dict:
    themes = list(Theme.objects.order_by("sort_order", "code"))
    round_obj = FollowUpRound(
        year=ROUND_YEAR,
        title=f"Uppföljning av de regionala tillväxtavtalen {ROUND_YEAR}",
        deadline=DEADLINE,
        status=FollowUpRound.Status.OPEN,
    )
    audited_bulk_create(FollowUpRound, [round_obj])
    FollowUpRound.themes.through.objects.bulk_create(
        [FollowUpRound.themes.through(followupround=round_obj, theme=t) for t in themes]
    )

    reports, observations, links, events = [], [], [], []
    for evidence in evidence_by_county:
        county = evidence.county
        status = REPORT_STATUS[county.code]
        coordinator = users.coordinators[county.code]
        highlight = (
            "cluster"
            if county.code in CLUSTER_COUNTIES
            else "local"
            if evidence.partnerships.local
            else "default"
        )
        report = CountyReport(
            round=round_obj,
            county=county,
            status=status,
            summary=texts.SUMMARY.format(
                county=county.short_name,
                projects=evidence.project_count,
                highlight=texts.HIGHLIGHTS[highlight],
                lead_body=evidence.partnerships.regional.agreement.lead_body.name,
            ),
        )
        if status != Status.DRAFT:
            report.submitted_at = _at(rng, DEADLINE - datetime.timedelta(days=rng.randint(0, 12)))
            report.submitted_by = coordinator
            report.frozen_at = report.submitted_at
            report.frozen_figures = county_key_figures(county_id=county.pk, year=ROUND_YEAR)
            events.append((report, ReviewEvent.Action.SUBMIT, Status.DRAFT, Status.SUBMITTED,
                           coordinator, report.submitted_at, ""))  # fmt: skip
        if status in (Status.RETURNED, Status.APPROVED):
            reviewed = report.submitted_at.date() + datetime.timedelta(days=rng.randint(7, 35))
            report.reviewed_at = _at(rng, reviewed)
            report.reviewed_by = users.reviewer
            if status == Status.RETURNED:
                action, comment = ReviewEvent.Action.RETURN, rng.choice(texts.RETURN_COMMENTS)
                report.complete_by = reviewed + datetime.timedelta(days=COMPLETION_DAYS)
            else:
                action, comment = ReviewEvent.Action.APPROVE, texts.APPROVE_COMMENT
            events.append((report, action, Status.SUBMITTED, status, users.reviewer,
                           report.reviewed_at, comment))  # fmt: skip
        reports.append(report)

        # A draft still lacks a couple of themes; the report's facts are always there.
        keep = {"klusterarbete", "lokala-partnerskap"}
        skipped = set()
        if status == Status.DRAFT:
            skipped = set(rng.sample([t.code for t in themes if t.code not in keep], 2))
        for theme in themes:
            if theme.code in skipped:
                continue
            assessment = _assessment(rng, evidence, theme.code)
            projects, partnerships, clusters = _evidence(evidence, theme.code)
            kind, by_level = texts.THEME_TEXTS[theme.code]
            template = texts.SPECIAL_TEXTS.get((county.code, theme.code))
            if template is None:
                template = rng.choice(by_level[assessment])
            observation = Observation(
                report=report,
                theme=theme,
                assessment=assessment,
                kind=kind,
                text=template.format(
                    county=county.short_name,
                    examples=_examples(projects, partnerships, clusters),
                ),
            )
            if (county.code, theme.code) in texts.NOT_ASSESSED:
                reason, text = texts.NOT_ASSESSED[county.code, theme.code]
                observation.assessment = Assessment.NOT_ASSESSED
                observation.not_assessed_reason, observation.text = reason, text
            observations.append(observation)
            links.append((observation, projects, partnerships, clusters))

    audited_bulk_create(CountyReport, reports)
    audited_bulk_create(Observation, observations)
    through = Observation.projects.through, Observation.partnerships.through
    through_clusters = Observation.clusters.through
    project_rows, partnership_rows, cluster_rows = [], [], []
    for observation, projects, partnerships, clusters in links:
        for project in sorted(projects, key=lambda p: p.pk):
            project_rows.append(through[0](observation=observation, project=project))
        for partnership in sorted(partnerships, key=lambda p: p.pk):
            partnership_rows.append(through[1](observation=observation, partnership=partnership))
        for cluster in sorted(clusters, key=lambda c: c.pk):
            cluster_rows.append(through_clusters(observation=observation, cluster=cluster))
    through[0].objects.bulk_create(project_rows)
    through[1].objects.bulk_create(partnership_rows)
    through_clusters.objects.bulk_create(cluster_rows)
    _as_submitted(reports, observations, users)
    ReviewEvent.objects.bulk_create(
        [
            ReviewEvent(report=r, action=a, from_status=f, to_status=t, actor=u, at=at, comment=c)
            for r, a, f, t, u, at, c in events
        ]
    )

    by_code = {t.code: t for t in themes}
    conclusions = [
        NationalConclusion(
            round=round_obj, theme=by_code[code], text=text, written_by=users.reviewer
        )
        for code, text in texts.NATIONAL_CONCLUSIONS
        if code in by_code
    ]
    conclusions.append(
        NationalConclusion(
            round=round_obj, theme=None, text=texts.ROUND_CONCLUSION, written_by=users.reviewer
        )
    )
    audited_bulk_create(NationalConclusion, conclusions)
    return {"reports": len(reports), "observations": len(observations)}
