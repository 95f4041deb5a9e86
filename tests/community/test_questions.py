"""Questions and comments on a campaign: who may ask, the owner's public answer, hiding with a reason,
abuse reports, spam protection and rate limits; and the campaign page's queries."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Question, QuestionReport
from community.services import question_answer, question_ask, question_hide, question_report, reports_handle
from core.errors import ApplicationError, PermissionDenied
from tests.factories import CampaignFactory, StaffFactory, UserFactory
from tests.web.conftest import verified
from web.community_forms import form_stamp

pytestmark = pytest.mark.django_db(transaction=True)


def ask(client, campaign, body, **extra):
    data = {"body": body, "started": form_stamp(), "website": "", **extra}
    return client.post(reverse("campaign-question-ask", args=[campaign.platform.slug, campaign.pk]), data)


def page(client, campaign) -> str:
    return client.get(reverse("campaign", args=[campaign.platform.slug, campaign.pk])).content.decode()


def test_a_visitor_asks_the_owner_is_mailed_and_the_question_shows(client, campaign, fan):
    client.force_login(fan)
    ask(client, campaign, "Which trees will you plant?\nAnd when?")
    question = Question.objects.get()
    assert question.body == "Which trees will you plant?\nAnd when?"
    assert [(m.to, m.subject) for m in mail.outbox] == [(["maker@example.org"], "A new question on Community garden")]
    assert "Which trees will you plant?<br>And when?" in page(client, campaign)


def test_the_owner_answers_publicly_and_the_asker_is_mailed_once(client, campaign, owner, fan):
    question = question_ask(campaign=campaign, user=fan, body="Which trees?")
    mail.outbox.clear()
    client.force_login(owner)
    client.post(reverse("question-answer", args=[question.pk]), {"answer": "Oaks & limes."})
    question_answer(question=question, user=owner, answer="Oaks, limes & one walnut.")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["fan@example.org"], "Your question on Community garden was answered")
    ]
    assert "Oaks & limes." in mail.outbox[0].body  # plain text, not escaped
    html = page(client, campaign)
    assert "Owner&#x27;s answer" in html or "Owner's answer" in html
    assert "Oaks, limes &amp; one walnut." in html


def test_only_the_owner_answers(campaign, fan):
    question = question_ask(campaign=campaign, user=fan, body="Which trees?")
    with pytest.raises(PermissionDenied):
        question_answer(question=question, user=verified(UserFactory()), answer="I am not the owner")
    assert not Question.objects.get().answer


@pytest.mark.parametrize(
    "body, code",
    [
        ("   ", "body_empty"),
        ("\u200b\u200c ", "body_empty"),
        ("x" * 2001, "body_long"),
        ("bad\x07bell", "body_control"),
        ("evil \u202eesrever", "body_bidi"),
        ("see http://a.example and https://b.example and www.c.example", "body_links"),
    ],
)
def test_bad_text_is_refused_and_nothing_written(campaign, fan, body, code):
    with pytest.raises(ApplicationError) as refused:
        question_ask(campaign=campaign, user=fan, body=body)
    assert refused.value.code == code
    assert not Question.objects.exists() and not mail.outbox


def test_persian_text_with_its_marks_and_two_links_is_fine(campaign, fan):
    question = question_ask(
        campaign=campaign, user=fan, body="می\u200cخواهم بدانم\u200f https://a.example www.b.example"
    )
    assert question.body.startswith("می\u200cخواهم")


def test_an_unverified_account_cannot_post(campaign):
    with pytest.raises(PermissionDenied):
        question_ask(campaign=campaign, user=UserFactory(email_verified=False), body="Hello")


def test_a_draft_has_no_questions(owner, fan):
    draft = CampaignFactory(slug="civic", owner=owner, status="draft")
    with pytest.raises(ApplicationError):
        question_ask(campaign=draft, user=fan, body="Hello")


def test_the_honeypot_and_a_form_sent_too_fast_are_refused_and_the_text_kept(client, campaign, fan, settings):
    client.force_login(fan)
    ask(client, campaign, "Buy cheap watches", website="http://spam.example")
    assert not Question.objects.exists()
    assert "Buy cheap watches</textarea>" in page(client, campaign)  # kept for the person, once
    settings.CIVICFUND_QUESTION_MIN_SECONDS = 30
    ask(client, campaign, "Too quick")
    assert not Question.objects.exists()
    ask(client, campaign, "No stamp", started="forged")
    assert not Question.objects.exists()


def test_posting_is_rate_limited_per_person(client, campaign, fan, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "community_post": "2/m/user"}
    client.force_login(fan)
    for n in range(3):
        ask(client, campaign, f"Question {n}")
    assert Question.objects.count() == 2
    assert "posting too often" in page(client, campaign)


def test_posting_is_rate_limited_per_client_address(client, campaign, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "community_post": "2/m/ip"}
    for n in range(3):
        client.force_login(verified(UserFactory()))
        ask(client, campaign, f"Question {n}")
    assert Question.objects.count() == 2


def test_the_owner_hides_with_a_reason_shown_to_everyone(client, campaign, owner, fan):
    question = question_ask(campaign=campaign, user=fan, body="Rude words")
    client.force_login(owner)
    client.post(reverse("question-hide", args=[question.pk]), {"reason": "Off topic"})
    client.logout()
    html = page(client, campaign)
    assert "Hidden by the owner: <bdi>Off topic</bdi>" in html and "Rude words" not in html


def test_staff_hide_a_reported_question_and_its_reports_are_handled(client, campaign, fan):
    question = question_ask(campaign=campaign, user=fan, body="Spam spam")
    reporter = verified(UserFactory())
    client.force_login(reporter)
    client.post(reverse("question-report", args=[question.pk]), {"reason": "advertising"})
    question_report(question=question, user=reporter, reason="again")  # once per person
    assert QuestionReport.objects.get().reason == "advertising"
    staff = StaffFactory(is_superuser=True)
    question_hide(question=question, user=staff, reason="Spam")
    assert QuestionReport.objects.get().handled_at is not None
    assert "Hidden by staff: <bdi>Spam</bdi>" in page(client, campaign)


def test_a_question_s_first_open_report_mails_the_staff_who_moderate_once(client, campaign, fan):
    reviewer = StaffFactory(username="rev")  # group "Reviewers": may hide questions
    StaffFactory(username="clerk", groups=[])  # staff, but may not: not mailed
    question = question_ask(campaign=campaign, user=fan, body="Buy cheap watches")
    mail.outbox.clear()
    client.force_login(verified(UserFactory()))
    client.post(reverse("question-report", args=[question.pk]), {"reason": "advertising"})
    subject = "A question on Community garden was reported"
    assert [(m.to, m.subject) for m in mail.outbox] == [(["rev@example.org"], subject)]
    body = mail.outbox[0].body
    assert "Buy cheap watches" in body and "advertising" in body
    assert f"/community/question/{question.pk}/change/" in body  # where to hide it
    question_report(question=question, user=verified(UserFactory()), reason="spam")
    assert len(mail.outbox) == 1  # its report is still open: no second e-mail
    reports_handle(report_ids=[r.pk for r in question.reports.all()], user=reviewer)
    question_report(question=question, user=verified(UserFactory()))
    assert [m.subject for m in mail.outbox] == [subject, subject]  # reported again after they were handled


def test_a_stranger_cannot_hide_and_a_hiding_needs_a_reason(campaign, owner, fan):
    question = question_ask(campaign=campaign, user=fan, body="Fine question")
    with pytest.raises(PermissionDenied):
        question_hide(question=question, user=verified(UserFactory()), reason="I dislike it")
    with pytest.raises(ApplicationError):
        question_hide(question=question, user=owner, reason="  ")
    assert not Question.objects.get().hidden


def test_staff_without_the_permission_cannot_hide(campaign, fan):
    question = question_ask(campaign=campaign, user=fan, body="Fine question")
    with pytest.raises(PermissionDenied):
        question_hide(question=question, user=StaffFactory(groups=[]), reason="No")


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["visitor", "owner", "staff"])
def test_the_campaign_page_queries_do_not_grow_with_its_questions(client, campaign, owner, who):
    viewer = {"visitor": verified(UserFactory()), "owner": owner, "staff": StaffFactory(is_superuser=True)}[who]
    client.force_login(viewer)
    url = reverse("campaign", args=["civic", campaign.pk])

    def grow(n):
        for i in range(n):
            question = question_ask(campaign=campaign, user=verified(UserFactory()), body=f"Question {i}")
            if i % 2:
                question_answer(question=question, user=owner, answer="Yes")
            if i % 3 == 0:
                question_hide(question=question, user=owner, reason="Off topic")

    grow(3)
    small = _queries(client, url)
    grow(6)
    assert _queries(client, url) == small


def test_reviewers_may_hide(campaign, fan):
    question = question_ask(campaign=campaign, user=fan, body="Fine question")
    question_hide(question=question, user=StaffFactory(), reason="Duplicate")  # group "Reviewers"
    assert Question.objects.get().hidden_by == "staff"


def test_the_asker_is_shown_by_their_public_name_never_their_address(client, campaign):
    asker = verified(UserFactory(username="ana@example.org", first_name="Ana Rivers"))
    question_ask(campaign=campaign, user=asker, body="When do you start?")
    html = page(client, campaign)
    assert "<bdi>Ana Rivers</bdi>" in html and "ana@example.org" not in html
    assert "Ana Rivers wrote:" in mail.outbox[0].body


def test_the_owners_dashboard_counts_the_questions_waiting_for_an_answer_and_links_them(client, campaign, owner, fan):
    """Only visible, unanswered questions count; the count links to the questions on the campaign's page;
    the dashboard asks for all its campaigns' counts in one query (another campaign adds none)."""
    waiting = question_ask(campaign=campaign, user=fan, body="Which trees?")
    question_ask(campaign=campaign, user=fan, body="When do you plant?")
    answered = question_ask(campaign=campaign, user=fan, body="Where?")
    question_answer(question=answered, user=owner, answer="In the park.")
    hidden = question_ask(campaign=campaign, user=fan, body="Buy cheap watches")
    question_hide(question=hidden, user=owner, reason="Spam")
    client.force_login(owner)
    url = reverse("owner-dashboard")
    html = client.get(url).content.decode()
    link = reverse("campaign", args=["civic", campaign.pk]) + "#questions"
    assert f'<a href="{link}">2</a>' in html
    question_answer(question=waiting, user=owner, answer="Oaks.")
    assert f'<a href="{link}">1</a>' in client.get(url).content.decode()

    before = _queries(client, url)
    CampaignFactory(slug="civic", owner=owner, title="Second garden")
    assert _queries(client, url) == before
