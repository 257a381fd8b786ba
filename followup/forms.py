"""A review step as the admin and the review site post it: one form, one set of rules.

The step is taken on the status the user saw (so a step someone else took meanwhile wins),
with the text typed into the page's one comment field and, for a return, the date the county
has to complete the report by. The services decide whether the step is allowed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import CountyReport, ReportStatus, ReviewEvent
from followup.models.comments import COMMENT_MAX  # one limit for every comment
from followup.services.reports import STEP_DONE, county_report_take_step, step_text_problem

Action = ReviewEvent.Action
# The steps the review steps' URL takes (submitting is a button of the report's own form).
REVIEW_STEPS = (Action.APPROVE, Action.RETURN, Action.REOPEN)


TYPED = "followup-review-typed"  # session key: what was typed into a step that was refused


class ReviewStepForm(forms.Form):
    step = forms.ChoiceField(choices=Action.choices)
    status = forms.ChoiceField(choices=ReportStatus.choices)
    comment = forms.CharField(
        required=False,
        strip=True,
        max_length=COMMENT_MAX,
        error_messages={
            "max_length": _(
                "Kommentaren får vara högst %(limit_value)s tecken; den har %(show_value)s."
            )
        },
    )
    # Read only for a return: an approval is never stopped by the date field beside it.
    complete_by = forms.CharField(required=False)

    def __init__(self, *args, steps=tuple(Action), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.value, step.label) for step in steps]

    def clean(self):
        data = super().clean()
        date_text = (data.get("complete_by") or "").strip()
        data["complete_by"] = None
        if data.get("step") == Action.RETURN and date_text:
            try:
                data["complete_by"] = forms.DateField().clean(date_text)
            except forms.ValidationError:
                self.add_error("complete_by", _("Ange datumet för komplettering som ÅÅÅÅ-MM-DD."))
        return data

    # The ministry's decisions are confirmed on a page naming the county and the round.
    CONFIRMED = (Action.APPROVE, Action.RETURN)

    def needs_confirmation(self) -> bool:
        return self.cleaned_data["step"] in self.CONFIRMED and not self.data.get("confirmed")

    def problem_before_confirming(self) -> str | None:
        """What would make the step fail whatever is confirmed (a return without a comment)."""
        data = self.cleaned_data
        return step_text_problem(
            action=Action(data["step"]), text=data["comment"], complete_by=data["complete_by"]
        )

    def problem(self) -> str:
        """What is wrong with the post, for the user (only when the form is not valid)."""
        for field in ("complete_by", "comment"):
            if field in self.errors:
                return self.errors[field][0]
        return str(_("Okänt granskningssteg."))

    def remember_typed(self, session, report: CountyReport) -> None:
        """Keep what was typed, to fill the page in again after a refused step."""
        session[TYPED] = {
            "report": report.pk,
            "comment": (self.data.get("comment") or "")[:COMMENT_MAX],
            "complete_by": (self.data.get("complete_by") or "")[:20],
        }

    def take(self, *, report: CountyReport, user) -> str:
        """Take the step; returns what to tell the user. Raises WorkflowError when refused."""
        data = self.cleaned_data
        report.status = data["status"]  # the status the user saw
        action = Action(data["step"])
        county_report_take_step(
            report=report,
            user=user,
            action=action,
            text=data["comment"],
            complete_by=data["complete_by"],
        )
        return str(STEP_DONE[action])


def typed_before(session, report: CountyReport) -> dict:
    """What was typed into a refused step on this report (once), else nothing."""
    typed = session.get(TYPED)
    if not typed or typed.get("report") != report.pk:
        return {}
    del session[TYPED]
    return typed
