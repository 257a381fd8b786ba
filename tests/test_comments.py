"""The review as a dialogue: a reviewer comments on observations and on the report, the decision
sends the comments, the county replies and marks them handled — and every path that writes a
comment keeps to that, in every state a report can be in (a table that fails when a path is
added without a row)."""

import inspect

import pytest
from django.core import mail
from django.urls import reverse

from core.raw_load import raw_load
from core.refusals import WriteRefused
from followup.models import (
    Observation,
    ReportStatus,
    ReviewComment,
    ReviewEvent,
    RoundStatus,
    Theme,
)
from followup.models.comments import ReviewCommentQuerySet
from followup.services import comments as service
from tests import builders, exports_builders

pytestmark = pytest.mark.django_db


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def text_of(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- the dialogue, as the people do it ---------------------------------------------------------


def test_a_return_and_resubmission_followed_comment_by_comment(
    client, coordinator_04, coordinator_05, reviewer, django_capture_on_commit_callbacks
):
    for user, address in ((coordinator_04, "anna@sormland.example"),
                          (reviewer, "eva@departementet.example")):  # fmt: skip
        user.email = address
        user.save()
    round_obj = builders.follow_up_round(year=2001)
    report = exports_builders.report(
        round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED
    )
    first, second, third = Observation.objects.filter(report=report).order_by(
        "theme__sort_order", "pk"
    )[:3]
    county = reverse("site:county", args=[2001, "04"])
    add = reverse("site:county_comment_add", args=[2001, "04"])

    # the reviewer comments on two observations and on the report as a whole
    client.force_login(reviewer)
    for observation, text in ((first, "Vilka kommuner deltar?"),
                              (second, "Ange beloppen per år.")):  # fmt: skip
        response = client.post(add, {"observation": observation.pk, "text": text}, follow=True)
        assert said(response) == ["Kommentaren är sparad. Länet får den när du har beslutat."]
        assert response.redirect_chain[-1][0] == f"{county}#iakttagelse-{observation.pk}"
    client.post(add, {"observation": "", "text": "Sammanfattningen kan vara kortare."})
    page = text_of(client.get(county).content.decode())
    assert page.count("Inte skickad") == 3
    assert "3 kommentarer inte skickade ännu." in page

    # the county sees nothing of them before the decision
    client.force_login(coordinator_04)
    page = client.get(county).content.decode()
    assert "Vilka kommuner deltar?" not in page

    # the reviewer returns the report: the comments go with it, and with the e-mail
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("site:county_workflow", args=[2001, "04"]),
            {"step": "returnera", "status": "inskickad", "comment": "Se kommentarerna.",
             "confirmed": "1"},
        )  # fmt: skip
    event = ReviewEvent.objects.get(report=report, action=ReviewEvent.Action.RETURN)
    assert set(ReviewComment.objects.values_list("sent_with", flat=True)) == {event.pk}
    (message,) = mail.outbox
    assert f"- {first.theme.name}: Vilka kommuner deltar?" in message.body
    assert "- Rapporten som helhet: Sammanfattningen kan vara kortare." in message.body

    # the coordinator sees each comment beside its observation, answers one, handles another
    client.force_login(coordinator_04)
    start = text_of(client.get(reverse("site:start")).content.decode())
    assert "3 kommentarer från departementet att åtgärda" in start
    html = client.get(county).content.decode()
    article = html[html.index(f'id="iakttagelse-{first.pk}"') :]
    assert article.index("Vilka kommuner deltar?") < article.index("</article>")
    comment_1 = ReviewComment.objects.get(observation=first)
    comment_2 = ReviewComment.objects.get(observation=second)
    url_1 = reverse("site:county_comment", args=[2001, "04", comment_1.pk])
    url_2 = reverse("site:county_comment", args=[2001, "04", comment_2.pk])
    response = client.post(url_1, {"reply": "Nyköping och Eskilstuna, nu i texten."}, follow=True)
    assert said(response) == ["Ditt svar är sparat."]
    client.post(url_2, {"reply": "", "handled": "1"})
    comment_1.refresh_from_db()
    comment_2.refresh_from_db()
    assert (comment_1.reply, comment_1.replied_by, comment_1.handled) == (
        "Nyköping och Eskilstuna, nu i texten.", coordinator_04, False,
    )  # fmt: skip
    assert comment_2.handled and comment_2.handled_by == coordinator_04
    assert comment_1.history.count() == 2  # audited: written, then answered

    # the county's answer is its own until it submits again, in the audit trail too
    history_url = reverse("admin:followup_reviewcomment_history", args=[comment_1.pk])
    assert "Svar från länet" in client.get(history_url).content.decode()  # the county's own
    client.force_login(reviewer)
    history = client.get(history_url)
    assert history.status_code == 200 and "Svar från länet" not in history.content.decode()

    # another county's coordinator answers like a missing page
    client.force_login(coordinator_05)
    assert client.post(url_1, {"reply": "Intrång"}).status_code == 404

    # resubmitted: the reviewer sees what is open and what is handled, with the reply
    client.force_login(coordinator_04)
    client.post(
        reverse("site:county_workflow", args=[2001, "04"]),
        {"step": "skicka-in", "status": "returnerad"},
    )
    client.force_login(reviewer)
    page = text_of(client.get(county).content.decode())
    assert "2 kommentarer att åtgärda, 1 åtgärdad." in page
    assert "Länets svar (samordnare04" in page and "Nyköping och Eskilstuna" in page

    # approved: the dialogue is read-only
    client.post(
        reverse("site:county_workflow", args=[2001, "04"]),
        {"step": "godkann", "status": "inskickad", "confirmed": "1"},
    )
    client.force_login(coordinator_04)
    html = client.get(county).content.decode()
    assert "Ditt svar till departementet" not in html
    response = client.post(url_1, {"reply": "Ändrat i efterhand"}, follow=True)
    assert said(response) == [
        "Kommentaren går bara att besvara medan rapporten är returnerad till länet; nu är den låst."
    ]
    comment_1.refresh_from_db()
    assert comment_1.reply == "Nyköping och Eskilstuna, nu i texten."


def test_a_comment_on_an_observation_of_another_report_is_refused(client, reviewer):
    round_obj = builders.follow_up_round(year=2001)
    exports_builders.report(round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED)
    other = exports_builders.report(
        round_obj=round_obj, county_code="05", status=ReportStatus.SUBMITTED
    )
    foreign = Observation.objects.filter(report=other).first()
    client.force_login(reviewer)
    response = client.post(
        reverse("site:county_comment_add", args=[2001, "04"]),
        {"observation": foreign.pk, "text": "Fel rapport"},
        follow=True,
    )
    assert said(response) == ["Iakttagelsen finns inte i rapporten."]
    assert not ReviewComment.objects.exists()


def test_empty_and_too_long_comments_are_told_and_not_saved(client, reviewer):
    round_obj = builders.follow_up_round(year=2001)
    exports_builders.report(round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED)
    client.force_login(reviewer)
    url = reverse("site:county_comment_add", args=[2001, "04"])
    assert said(client.post(url, {"text": "   "}, follow=True)) == ["Skriv en kommentar först."]
    assert said(client.post(url, {"text": "x" * 5001}, follow=True)) == [
        "Texten får vara högst 5000 tecken; den har 5001."
    ]
    assert not ReviewComment.objects.exists()


def test_the_page_s_own_forms_work_when_ids_run_into_thousands(client, coordinator_04, reviewer):
    """Swedish number formatting writes 12 345 as "12 345": an id in a form, an anchor or a
    link must stay a plain number, or the comment goes to no observation and the link to
    nothing (it did, once a database had a thousand observations)."""
    import re

    round_obj = builders.follow_up_round(year=2001)
    report = exports_builders.report(
        round_obj=round_obj, county_code="04", status=ReportStatus.SUBMITTED
    )
    first = Observation.objects.filter(report=report).order_by("theme__sort_order", "pk")[0]
    with raw_load():  # as a restored backup would hold it
        Observation.objects.filter(pk=first.pk).update(id=123456)
    county = reverse("site:county", args=[2001, "04"])
    client.force_login(reviewer)
    page = client.get(county).content.decode()
    assert 'id="iakttagelse-123456"' in page
    form = re.search(
        r'<form[^>]*>(?:(?!</form>).)*name="observation" value="123456"(?:(?!</form>).)*</form>',
        page,
        re.S,
    )
    assert form, "the comment form of the observation names it by its plain id"
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form[0]))
    action = re.search(r'action="([^"]+)"', form[0])[1]
    response = client.post(action, {**fields, "text": "Vilka kommuner deltar?"}, follow=True)
    assert said(response) == ["Kommentaren är sparad. Länet får den när du har beslutat."]
    assert ReviewComment.objects.get().observation_id == 123456
    assert f'id="kommentar-{ReviewComment.objects.get().pk}"' in client.get(county).content.decode()


# --- every path that writes a comment × every state ---------------------------------------------

S = ReportStatus
STATES = {
    "utkast": (S.DRAFT, RoundStatus.OPEN),
    "inskickad": (S.SUBMITTED, RoundStatus.OPEN),
    "returnerad": (S.RETURNED, RoundStatus.OPEN),
    "godkand": (S.APPROVED, RoundStatus.OPEN),
    "omgang-avslutad": (S.RETURNED, RoundStatus.CLOSED),
}


def _world(state, coordinator, reviewer):
    status, round_status = STATES[state]
    round_obj = builders.follow_up_round(year=2001)
    report = builders.county_report(round_obj=round_obj, county_code="04")
    observation = builders.observation(report=report, theme=Theme.objects.first())
    builders.set_status(report, status)
    with raw_load():
        event = ReviewEvent.objects.create(
            report=report, action=ReviewEvent.Action.RETURN, from_status=S.SUBMITTED,
            to_status=S.RETURNED, actor=reviewer,
        )  # fmt: skip
        sent = ReviewComment.objects.create(
            report=report, observation=observation, theme=observation.theme, author=reviewer,
            text="Skickad", sent_with=event,
        )  # fmt: skip
        pending = ReviewComment.objects.create(
            report=report, observation=observation, theme=observation.theme, author=reviewer,
            text="Utkast",
        )  # fmt: skip
        round_obj.__class__._base_manager.filter(pk=round_obj.pk).update(status=round_status)
    report.refresh_from_db()
    return report, observation, sent, pending


def _state(report):
    return sorted(ReviewComment.objects.filter(report=report).values_list(
        "pk", "text", "reply", "handled_at", "sent_with"))  # fmt: skip


# path → (what it does, the states where it may write)
PATHS = {
    "comment_add": (
        lambda w: service.comment_add(
            report=w.report, user=w.reviewer, text="Ny", observation_id=w.observation.pk
        ),  # fmt: skip
        {"inskickad"},
    ),
    "comment_delete": (
        lambda w: service.comment_delete(comment=w.pending, user=w.reviewer),
        {"inskickad"},
    ),
    "comment_delete_sent": (
        lambda w: service.comment_delete(comment=w.sent, user=w.reviewer),
        set(),
    ),
    "comment_reply": (
        lambda w: service.comment_reply(
            comment=w.sent, user=w.coordinator, reply="Svar", handled=True
        ),  # fmt: skip
        {"returnerad"},
    ),
    "save_new": (
        lambda w: ReviewComment(report=w.report, author=w.reviewer, text="Direkt").save(),
        {"inskickad"},
    ),
    "save_sent_text": (lambda w: _edit(w.sent, text="Ändrad"), set()),
    "save_sent_reply": (lambda w: _edit(w.sent, reply="Direktsvar"), {"returnerad"}),
    "save_pending_text": (lambda w: _edit(w.pending, text="Ändrat utkast"), {"inskickad"}),
    "save_move": (lambda w: _edit(w.sent, observation=None), set()),
    "save_new_replied": (
        lambda w: ReviewComment(report=w.report, author=w.reviewer, text="Ny", reply="Svar").save(),
        set(),
    ),
    "save_new_handled": (
        lambda w: ReviewComment(
            report=w.report, author=w.reviewer, text="Ny", handled_at=w.report.updated_at
        ).save(),  # fmt: skip
        set(),
    ),
    "save_pending_reply": (lambda w: _edit(w.pending, reply="För tidigt"), set()),
    "save_pending_handled": (lambda w: _edit(w.pending, handled_at=w.report.updated_at), set()),
    "delete": (lambda w: ReviewComment.objects.get(pk=w.sent.pk).delete(), set()),
    "update": (lambda w: ReviewComment.objects.filter(report=w.report).update(text="X"), set()),
    "delete_queryset": (lambda w: ReviewComment.objects.filter(report=w.report).delete(), set()),
    "bulk_create": (
        lambda w: ReviewComment.objects.bulk_create(
            [ReviewComment(report=w.report, author=w.reviewer, text="Bulk")]
        ),
        set(),
    ),
    "bulk_update": (
        lambda w: ReviewComment.objects.bulk_update([_changed(w.sent, text="Bulk")], ["text"]),
        set(),
    ),
    "send": (  # the workflow's own path: tested through the steps above
        lambda w: ReviewComment.objects.filter(report=w.report, sent_with=None).send(
            event=w.sent.sent_with
        ),
        set(STATES),
    ),
}


def _changed(comment, **values):
    comment = ReviewComment.objects.get(pk=comment.pk)
    for name, value in values.items():
        setattr(comment, name, value)
    return comment


def _edit(comment, **values):
    _changed(comment, **values).save()


class _World:
    def __init__(self, state, coordinator, reviewer):
        self.coordinator, self.reviewer = coordinator, reviewer
        self.report, self.observation, self.sent, self.pending = _world(
            state, coordinator, reviewer
        )


def test_every_write_path_has_a_row():
    # (mutation testing adds copies of each method, named …mutmut…: not paths of their own)
    overridden = {
        name for name, value in vars(ReviewCommentQuerySet).items()
        if callable(value) and not name.startswith("_") and "mutmut" not in name
    }  # fmt: skip
    services = {name for name, _f in inspect.getmembers(service, inspect.isfunction)
                if name.startswith("comment_")}  # fmt: skip
    rows = set(PATHS)
    assert overridden <= rows | {"delete"} and {"update", "bulk_create", "bulk_update"} <= rows
    assert services <= rows


KEPT = "En kommentar som har skickats till länet finns kvar i granskningshistoriken."
WRITTEN_WHILE = "Kommentarer skrivs medan rapporten ligger hos departementet för granskning."
REPLY_LOCKED = (
    "Kommentaren går bara att besvara medan rapporten är returnerad till länet; nu är den låst."
)
# path → what a refusal says (the same in every state that refuses it)
MESSAGES = {
    "comment_add": WRITTEN_WHILE,
    "comment_delete": KEPT,
    "comment_delete_sent": KEPT,
    "comment_reply": REPLY_LOCKED,
    "save_new": WRITTEN_WHILE,
    "save_sent_text": "En skickad kommentar ändras inte.",
    "save_sent_reply": REPLY_LOCKED,
    "save_pending_text": "Kommentaren kan inte ändras längre.",
    "save_move": "En kommentar byter inte rapport, iakttagelse eller författare.",
    "save_new_replied": {
        "inskickad": "En ny kommentar är inte skickad, besvarad eller åtgärdad.",
        None: WRITTEN_WHILE,
    },
    "save_new_handled": {
        "inskickad": "En ny kommentar är inte skickad, besvarad eller åtgärdad.",
        None: WRITTEN_WHILE,
    },
    "save_pending_reply": {
        "inskickad": "En kommentar som inte är skickad kan inte besvaras.",
        None: "Kommentaren kan inte ändras längre.",
    },
    "save_pending_handled": {
        "inskickad": "En kommentar som inte är skickad kan inte besvaras.",
        None: "Kommentaren kan inte ändras längre.",
    },
    "delete": KEPT,
    "update": "Kommentarer ändras bara en i taget, på länets sida.",
    "delete_queryset": KEPT,
    "bulk_create": "Kommentarer skrivs bara en i taget, på länets sida.",
    "bulk_update": "Kommentarer ändras bara en i taget, på länets sida.",
}


def test_a_restored_backup_writes_comments_as_they_were(coordinator_04, reviewer):
    """A raw load (restoring a backup) writes past the rules, every path as asked."""
    world = _World("godkand", coordinator_04, reviewer)
    with raw_load():
        ReviewComment.objects.filter(pk=world.sent.pk).update(text="Återställd")
        ReviewComment.objects.bulk_update([_changed(world.pending, text="Också")], ["text"])
        (made,) = ReviewComment.objects.bulk_create(
            [ReviewComment(report=world.report, author=reviewer, text="Ny ur säkerhetskopian")]
        )
        ReviewComment.objects.filter(pk=world.pending.pk).delete()
    assert dict(ReviewComment.objects.values_list("pk", "text")) == {
        world.sent.pk: "Återställd", made.pk: "Ny ur säkerhetskopian",
    }  # fmt: skip


def test_a_comment_is_named_by_its_report_and_theme(coordinator_04, reviewer):
    world = _World("inskickad", coordinator_04, reviewer)
    whole = ReviewComment(report=world.report, author=reviewer, text="Helheten")
    assert str(world.sent) == f"{world.report} · {world.observation.theme}"
    assert str(whole) == f"{world.report} · rapporten som helhet"


@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("path", sorted(PATHS))
def test_comment_write_paths(path, state, coordinator_04, reviewer):
    world = _World(state, coordinator_04, reviewer)
    before = _state(world.report)
    write, allowed = PATHS[path]
    if state in allowed:
        write(world)
        assert _state(world.report) != before or path == "send", f"{path} wrote nothing"
    else:
        with pytest.raises(WriteRefused) as refused:
            write(world)
        said = MESSAGES[path]
        if isinstance(said, dict):  # the sentence depends on the state
            said = said.get(state, said[None])
        assert refused.value.message == said  # a sentence for the user, never a 500
        assert _state(world.report) == before


def test_a_comment_keeps_its_observations_id_and_theme(coordinator_04, reviewer):
    world = _World("inskickad", coordinator_04, reviewer)
    comment = service.comment_add(report=world.report, user=reviewer, text="Om den",
                                  observation_id=world.observation.pk)  # fmt: skip
    comment.refresh_from_db()
    assert (comment.observation_key, comment.theme_id) == (
        world.observation.pk, world.observation.theme_id,
    )  # fmt: skip


def test_deleting_a_comment_already_deleted_elsewhere_changes_nothing(coordinator_04, reviewer):
    world = _World("inskickad", coordinator_04, reviewer)
    stale = ReviewComment.objects.get(pk=world.pending.pk)
    ReviewComment.objects.get(pk=world.pending.pk).delete()
    stale.delete()  # a second tab: nothing left to delete, nothing refused
    assert list(ReviewComment.objects.values_list("pk", flat=True)) == [world.sent.pk]
