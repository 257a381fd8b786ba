"""What changed in a report: since the ministry last returned it, and since last year.

- **Since the return.** A report submitted again after a return is compared with what the
  ministry had when it returned it: the audit trail's latest version of the summary and of every
  observation up to the return (the report was locked from its submission until then) against
  the report as it stands. Per observation and for the summary, a word-level difference.
- **Since last year's approved report.** Per theme of the round: the county's strongest
  assessment in its latest earlier approved report and now, and the difference between the
  texts.

A difference is a list of ``(kind, text)`` segments, kind being ``same``, ``added`` or
``removed`` — shown with ``<ins>``/``<del>`` and words, not colour alone.
"""

import difflib
import re
from dataclasses import dataclass, field

from core import languages
from followup.models import (
    CountyReport,
    Observation,
    ReportStatus,
    ReviewEvent,
    Theme,
)
from followup.models.reports import BACK_TO_COUNTY

SAME, ADDED, REMOVED = "same", "added", "removed"
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")  # spaces, words, each punctuation mark


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` → ``new`` as segments, word by word (spaces kept, so the text reads as written)."""
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            _add(segments, SAME, "".join(before[a1:a2]))
            continue
        if op in ("delete", "replace"):
            _add(segments, REMOVED, "".join(before[a1:a2]))
        if op in ("insert", "replace"):
            _add(segments, ADDED, "".join(after[b1:b2]))
    return segments


def _add(segments: list, kind: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1][0] == kind:
        segments[-1] = (kind, segments[-1][1] + text)
    else:
        segments.append((kind, text))


def changed(segments: list[tuple[str, str]]) -> bool:
    return any(kind != SAME for kind, _text in segments)


@dataclass
class SinceReturn:
    returned: ReviewEvent  # the last return before this submission
    compared_at: object  # the moment of that return: the report is compared with itself then
    summary: list[tuple[str, str]]
    observations: dict[int, dict] = field(default_factory=dict)  # pk → {"text", "assessment"}
    removed: list[dict] = field(default_factory=list)  # observations no longer in the report

    @property
    def summary_changed(self) -> bool:
        return changed(self.summary)

    @property
    def anything(self) -> bool:
        return (
            changed(self.summary)
            or bool(self.removed)
            or any(o["changed"] for o in self.observations.values())
        )


def since_return(report: CountyReport) -> SinceReturn | None:
    """What the county changed since the ministry last returned (or reopened) the report: None
    when it has not been, or was not submitted before."""
    events = list(
        ReviewEvent.objects.filter(report=report)
        .order_by("at", "pk")
        .only("action", "at", "comment", "actor")
    )
    returns = [i for i, e in enumerate(events) if e.action in BACK_TO_COUNTY]
    if not returns:
        return None
    last_return = returns[-1]
    before = [e for e in events[:last_return] if e.action == ReviewEvent.Action.SUBMIT]
    if not before:
        return None
    # What the ministry had when it returned the report: each row's latest version up to that
    # moment (the report was locked from its submission until then, so it is what was sent).
    moment = events[last_return].at
    old_summary = (
        report.history.filter(history_date__lte=moment)
        .order_by("-history_date", "-history_id")
        .values_list("summary", flat=True)
        .first()
    )
    if old_summary is None:
        return None  # no version from before the return: nothing to compare with
    old: dict[int, dict] = {}
    for version in (
        Observation.history.filter(report_id=report.pk, history_date__lte=moment)
        .order_by("history_date", "history_id")
        .values(
            "id",
            "text",
            "assessment",
            "history_type",
            theme_name=languages.display_name_of("theme"),
        )
    ):
        if version["history_type"] == "-":
            old.pop(version["id"], None)
        else:
            old[version["id"]] = version
    result = SinceReturn(
        returned=events[last_return],
        compared_at=moment,
        summary=word_diff(old_summary, report.summary),
    )
    for now in Observation.objects.filter(report=report).values("pk", "text", "assessment"):
        then = old.pop(now["pk"], None)
        text = word_diff(then["text"] if then else "", now["text"])
        assessment = (then["assessment"] if then else None, now["assessment"])
        result.observations[now["pk"]] = {
            "text": text,
            "assessment": assessment,
            "new": then is None,
            "changed": then is None or changed(text) or assessment[0] != assessment[1],
        }
    result.removed = [
        {"theme": v["theme_name"], "text": v["text"]}
        for v in sorted(old.values(), key=lambda v: v["id"])
    ]
    return result


@dataclass
class ThemeSince:
    theme: Theme
    then: int | None  # the strongest assessment (1–4) of the earlier report, or None
    now: int | None
    text: list[tuple[str, str]]

    @property
    def direction(self) -> str:
        """up, down, same or "" (nothing to compare)."""
        if self.then is None or self.now is None:
            return ""
        return "up" if self.now > self.then else "down" if self.now < self.then else "same"


def previous_approved(report: CountyReport) -> CountyReport | None:
    """The county's latest approved report of an earlier round."""
    return (
        CountyReport.objects.filter(
            county_id=report.county_id,
            status=ReportStatus.APPROVED,
            round__year__lt=report.round.year,
        )
        .select_related("round")
        .order_by("-round__year")
        .first()
    )


def since_last_year(report: CountyReport, earlier: CountyReport) -> list[ThemeSince]:
    """Per theme of ``report``'s round: the assessment in ``earlier`` and now, and the text's
    difference (the theme's observations in order, one paragraph each)."""

    def by_theme(of: CountyReport) -> dict[int, tuple[int | None, str]]:
        rows: dict[int, list] = {}
        for o in (
            Observation.objects.filter(report=of)
            .order_by("pk")
            .values("theme_id", "assessment", "text")
        ):
            rows.setdefault(o["theme_id"], []).append(o)
        return {
            theme_id: (
                max((o["assessment"] for o in os if o["assessment"]), default=None),
                "\n\n".join(o["text"] for o in os),
            )
            for theme_id, os in rows.items()
        }

    then, now = by_theme(earlier), by_theme(report)
    return [
        ThemeSince(
            theme=theme,
            then=then.get(theme.pk, (None, ""))[0],
            now=now.get(theme.pk, (None, ""))[0],
            text=word_diff(then.get(theme.pk, (None, ""))[1], now.get(theme.pk, (None, ""))[1]),
        )
        for theme in report.round.themes.order_by("sort_order", "name")
    ]
