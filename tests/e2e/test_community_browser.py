"""Following and questions in the browser, in both languages: follow a campaign, get the half-way e-mail
and unsubscribe by its link without signing in; ask a question, the owner answers it publicly and hides
another with a reason everyone sees. axe-core checks each page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from community.models import Follow, Question
from tests.factories import CampaignFactory, UserFactory
from tests.web.conftest import verified

from .conftest import axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CASES = {
    # lang: platform, campaign title, follow button, unsubscribed text, hidden note, owner's answer badge
    "en": (
        "civic",
        "Community garden",
        "Follow this campaign",
        "no more e-mails",
        "Hidden by the owner",
        "Owner's answer",
    ),
    "fa": ("charity", "کتاب برای مدرسه", "دنبال کردن این پروژه", "دیگر ایمیلی", "پنهان‌شده به دست مجری", "پاسخ مجری"),
}


def log_in(context, site, username):
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", "secret")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))
    return page


def _campaign(lang):
    slug, title, *_ = CASES[lang]
    owner = verified(UserFactory(username=f"maker-{lang}"))
    return CampaignFactory(slug=slug, owner=owner, title=title, goal=100_000, funding_model="all_or_nothing")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_follow_then_unsubscribe_by_the_email_link_without_signing_in(browser, site, pledge, lang):
    slug, _title, button, unsubscribed, *_ = CASES[lang]
    campaign = _campaign(lang)
    fan = verified(UserFactory(username=f"fan-{lang}"))
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = log_in(context, site, fan.username)
    page.goto(f"{site.url}/{slug}/campaigns/{campaign.pk}/")
    assert is_rtl(page) == (lang == "fa")
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"#follow$"))
    assert Follow.objects.get(user=fan, campaign=campaign).active
    axe_check(page, f"campaign page, following ({lang})")
    context.close()

    mail.outbox.clear()
    pledge(campaign, UserFactory(), 50_000)  # half-way
    message = next(m for m in mail.outbox if m.to == [fan.email])
    link = re.search(r"http\S+/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"

    anonymous = browser.new_context(viewport={"width": 1200, "height": 900})
    page = anonymous.new_page()
    page.goto(link.replace("http://127.0.0.1:8000", site.url))
    assert is_rtl(page) == (lang == "fa")
    axe_check(page, f"unsubscribe page ({lang})")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert unsubscribed in page.inner_text("main")
    assert not Follow.objects.get(user=fan, campaign=campaign).active
    axe_check(page, f"unsubscribed ({lang})")
    anonymous.close()


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_ask_the_owner_answers_publicly_and_hides_another_with_a_reason(browser, site, lang):
    slug, _title, _button, _unsub, hidden_note, badge = CASES[lang]
    campaign = _campaign(lang)
    asker = verified(UserFactory(username=f"asker-{lang}"))
    question_text = "Which trees will you plant?" if lang == "en" else "چه درختانی می‌کارید؟"
    url = f"{site.url}/{slug}/campaigns/{campaign.pk}/"

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = log_in(context, site, asker.username)
    page.goto(url)
    page.fill("#id_question_body", question_text)
    page.locator("#ask button[type=submit]").click()
    page.wait_for_url(re.compile(r"#question-\d+$"))
    page.fill("#id_question_body", "BUY CHEAP WATCHES")
    page.locator("#ask button[type=submit]").click()
    page.wait_for_url(re.compile(r"#question-\d+$"))
    assert question_text in page.inner_text("#questions")
    axe_check(page, f"questions, asked ({lang})")
    context.close()
    first, spam = Question.objects.order_by("pk")

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = log_in(context, site, campaign.owner.username)
    page.goto(url)
    item = page.locator(f"#question-{first.pk}")
    item.locator("details.answer-form summary").click()
    item.locator("textarea").fill("Oaks and limes." if lang == "en" else "بلوط و زیزفون.")
    item.locator("details.answer-form button[type=submit]").click()
    page.wait_for_load_state()
    spam_item = page.locator(f"#question-{spam.pk}")
    spam_item.locator("details.hide-form summary").click()
    spam_item.locator("input[name=reason]").fill("Advertising" if lang == "en" else "تبلیغ")
    spam_item.locator("details.hide-form button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page, f"questions, owner's view ({lang})")
    context.close()

    visitor = browser.new_context(viewport={"width": 1200, "height": 900})
    page = visitor.new_page()
    page.goto(url)
    questions = page.inner_text("#questions")
    assert badge in questions and ("Oaks and limes." in questions or "بلوط و زیزفون." in questions)
    assert hidden_note in questions and "BUY CHEAP WATCHES" not in questions
    assert is_rtl(page) == (lang == "fa")
    axe_check(page, f"questions, a visitor's view ({lang})")
    visitor.close()


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_demo_campaign_page_shows_its_questions_answered_and_hidden(page, site, lang):
    """The README's picture of a campaign page with its questions (the demo's garden and festival)."""
    from web.demo import demo_load

    demo_load(soon_minutes=60 * 24 * 3)
    slug, title, note = {
        "en": ("civic", "Community garden on Mill Lane", "Hidden by the owner"),
        "fa": ("arts", "جشنواره تئاتر خیابانی", "پنهان‌شده به دست مجری"),
    }[lang]
    campaign = Question.objects.filter(campaign__title=title).first().campaign
    page.goto(f"{site.url}/{slug}/campaigns/{campaign.pk}/")
    assert is_rtl(page) == (lang == "fa")
    questions = page.inner_text("#questions")
    assert note in questions and "www.spam.example" not in questions
    axe_check(page, f"demo campaign with questions ({lang})")
    shot(page, f"campaign-questions-{lang}")
