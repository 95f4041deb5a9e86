"""The owner's forms sent twice (a double click, or the browser sending the POST again): the page gives
each form a fresh request key, and the second copy adds nothing and e-mails no one, landing on the same
page as the first. And the final report's form: a refusal is shown when the form is not, and filing
again after a rejection starts from the rejected report."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from projects import reports, services
from projects.models import Campaign, CampaignStatusChange, CampaignUpdate, FinalReport, RewardTier
from tests.factories import CampaignFactory, mail_clear

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, site_owner):
    client.force_login(site_owner)
    return client


def page(client, campaign) -> str:
    return client.get(reverse("owner-campaign", args=[campaign.pk])).content.decode()


def form_tag(html: str, url: str) -> str:
    """The opening tag and hidden inputs of the page's form posting to `url`."""
    match = re.search(rf'<form [^>]*action="{re.escape(url)}"[^>]*>.*?</form>', html, re.S)
    assert match, f"no form posting to {url}"
    return match.group(0)


def request_key(html: str, url: str) -> str:
    match = re.search(r'name="request_key" value="([^"]+)"', form_tag(html, url))
    assert match, f"the form posting to {url} carries no request key"
    return match.group(1)


def twice(client, url, data):
    return client.post(url, data, follow=True), client.post(url, data, follow=True)


def lands_like_the_first(first, second, campaign, message):
    """Both copies end on the campaign's page with the same success message, and no error."""
    for response in (first, second):
        assert response.redirect_chain == [(reverse("owner-campaign", args=[campaign.pk]), 302)]
        html = response.content.decode()
        assert f'<p class="msg success">{message}</p>' in html
        assert "msg error" not in html and 'class="errors' not in html


# --- the same form sent twice --------------------------------------------------------------------


def test_an_update_sent_twice_is_posted_once_and_backers_are_emailed_once(
    owner_client, civic_campaign, site_backer, backer2, pledge, django_capture_on_commit_callbacks
):
    pledge(civic_campaign, site_backer, 2_500)
    pledge(civic_campaign, backer2, 2_500)
    mail_clear()
    url = reverse("owner-update-post", args=[civic_campaign.pk])
    key = request_key(page(owner_client, civic_campaign), url)
    data = {"title": "Trees planted", "body": "We planted 12 trees.", "request_key": key}
    with django_capture_on_commit_callbacks(execute=True):
        first, second = twice(owner_client, url, data)
    assert CampaignUpdate.objects.filter(campaign=civic_campaign).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["backer2@example.org", "citizen@example.org"]
    lands_like_the_first(first, second, civic_campaign, "Update posted; backers are e-mailed.")


def test_a_reward_sent_twice_is_added_once(owner_client, site_owner):
    draft = CampaignFactory(slug="civic", owner=site_owner, status="draft")
    url = reverse("owner-tier-add", args=[draft.pk])
    data = {"title": "Bench plaque", "amount": "50", "request_key": request_key(page(owner_client, draft), url)}
    first, second = twice(owner_client, url, data)
    assert list(RewardTier.objects.filter(campaign=draft).values_list("title", "amount")) == [("Bench plaque", 5_000)]
    lands_like_the_first(first, second, draft, "Reward added.")


def test_a_final_report_sent_twice_is_filed_once(owner_client, civic_campaign):
    Campaign.objects.filter(pk=civic_campaign.pk).update(status="paid")
    url = reverse("owner-report-submit", args=[civic_campaign.pk])
    key = request_key(page(owner_client, civic_campaign), url)
    data = {"text": "Done.", "spending": "Trees: 1200", "request_key": key}
    first, second = twice(owner_client, url, data)
    assert FinalReport.objects.filter(campaign=civic_campaign).count() == 1
    lands_like_the_first(first, second, civic_campaign, "Final report submitted for review.")


def test_a_draft_submitted_twice_is_submitted_once(owner_client, site_owner):
    draft = CampaignFactory(slug="civic", owner=site_owner, status="draft")
    url = reverse("owner-campaign-submit", args=[draft.pk])
    first, second = twice(owner_client, url, {})
    assert list(CampaignStatusChange.objects.filter(campaign=draft).values_list("from_status", "to_status")) == [
        ("draft", "submitted")
    ]
    lands_like_the_first(first, second, draft, "Submitted for review. You will see the result here.")


def test_each_page_view_gives_the_form_a_new_key(owner_client, site_owner):
    draft = CampaignFactory(slug="civic", owner=site_owner, status="draft")
    tiers = reverse("owner-tier-add", args=[draft.pk])
    assert request_key(page(owner_client, draft), tiers) != request_key(page(owner_client, draft), tiers)


def test_with_javascript_a_second_click_sends_nothing(owner_client, site_owner):
    campaign = CampaignFactory(slug="civic", owner=site_owner, status="draft")
    html = page(owner_client, campaign)
    for name in ("owner-tier-add", "owner-campaign-submit"):
        assert "data-once" in form_tag(html, reverse(name, args=[campaign.pk]))
    Campaign.objects.filter(pk=campaign.pk).update(status="paid")
    html = page(owner_client, campaign)
    for name in ("owner-update-post", "owner-report-submit"):
        assert "data-once" in form_tag(html, reverse(name, args=[campaign.pk]))


def test_two_updates_with_their_own_keys_are_two_updates(owner_client, civic_campaign):
    url = reverse("owner-update-post", args=[civic_campaign.pk])
    for title in ("Week one", "Week two"):
        key = request_key(page(owner_client, civic_campaign), url)
        owner_client.post(url, {"title": title, "body": "News.", "request_key": key})
    assert sorted(civic_campaign.updates.values_list("title", flat=True)) == ["Week one", "Week two"]


def test_the_same_key_on_another_campaign_is_another_update(owner_client, civic_campaign, site_owner):
    other = CampaignFactory(slug="civic", owner=site_owner)
    for campaign in (civic_campaign, other):
        owner_client.post(
            reverse("owner-update-post", args=[campaign.pk]),
            {"title": "News", "body": "News.", "request_key": "same-key"},
        )
    assert CampaignUpdate.objects.filter(request_key="same-key").count() == 2


def test_forms_sent_without_a_key_are_each_done_as_before(owner_client, civic_campaign):
    url = reverse("owner-update-post", args=[civic_campaign.pk])
    owner_client.post(url, {"title": "News", "body": "News."})
    owner_client.post(url, {"title": "News", "body": "News."})
    assert civic_campaign.updates.count() == 2


def test_an_update_sent_again_returns_the_first_without_emailing(civic_campaign, site_owner, site_backer, pledge):
    pledge(civic_campaign, site_backer, 2_500)
    mail_clear()
    from core.models import OutboxMail

    first = services.update_post(campaign=civic_campaign, user=site_owner, title="News", body="x", request_key="k")
    mails = OutboxMail.objects.count()
    again = services.update_post(campaign=civic_campaign, user=site_owner, title="News", body="x", request_key="k")
    assert again.pk == first.pk and OutboxMail.objects.count() == mails


# --- the final report ---------------------------------------------------------------------------


def test_a_report_filed_while_one_awaits_review_is_refused_with_the_reason(owner_client, civic_campaign):
    Campaign.objects.filter(pk=civic_campaign.pk).update(status="paid")
    url = reverse("owner-report-submit", args=[civic_campaign.pk])
    owner_client.post(url, {"text": "Done.", "spending": "", "request_key": "first-tab"})
    response = owner_client.post(
        url, {"text": "Done, really.", "spending": "", "request_key": "second-tab"}, follow=True
    )
    assert response.redirect_chain == [(reverse("owner-campaign", args=[civic_campaign.pk]), 302)]
    html = response.content.decode()
    assert '<p class="msg error">Your final report is waiting for review' in html
    assert list(civic_campaign.final_reports.values_list("text", flat=True)) == ["Done."]


def test_a_refused_update_on_a_draft_says_why(owner_client, site_owner):
    draft = CampaignFactory(slug="civic", owner=site_owner, status="draft")
    response = owner_client.post(
        reverse("owner-update-post", args=[draft.pk]), {"title": "News", "body": "x", "request_key": "k"}, follow=True
    )
    assert '<p class="msg error">Updates are posted once the campaign is live.</p>' in response.content.decode()
    assert not draft.updates.exists()


def test_after_a_rejection_the_form_holds_the_rejected_report(owner_client, civic_campaign, site_owner, site_staff):
    Campaign.objects.filter(pk=civic_campaign.pk).update(status="paid")
    spending = [{"item": "Trees", "amount": 120_050}, {"item": "Benches", "amount": 30_000}]
    report = reports.report_submit(
        campaign=civic_campaign, user=site_owner, text="We planted 12 trees.", spending=spending
    )
    reports.report_reject(report=report, admin=site_staff, reason="Add the receipts.")
    form = form_tag(page(owner_client, civic_campaign), reverse("owner-report-submit", args=[civic_campaign.pk]))
    assert ">\nWe planted 12 trees.</textarea>" in form
    assert ">\nTrees: 1200.50\nBenches: 300.00</textarea>" in form


def test_the_first_report_form_is_empty(owner_client, civic_campaign):
    Campaign.objects.filter(pk=civic_campaign.pk).update(status="paid")
    form = form_tag(page(owner_client, civic_campaign), reverse("owner-report-submit", args=[civic_campaign.pk]))
    assert ">\n</textarea>" in form


def test_the_spending_example_speaks_the_campaign_s_language_and_currency(owner_client, civic_campaign, site_owner):
    Campaign.objects.filter(pk=civic_campaign.pk).update(status="paid")
    english = form_tag(page(owner_client, civic_campaign), reverse("owner-report-submit", args=[civic_campaign.pk]))
    assert 'placeholder="Equipment: 1500.00"' in english  # pounds have pence
    film = CampaignFactory(slug="arts", owner=site_owner, status="paid")  # a Persian platform, in toman
    persian = form_tag(page(owner_client, film), reverse("owner-report-submit", args=[film.pk]))
    assert 'placeholder="تجهیزات: ۱۵۰۰۰۰۰"' in persian


def test_a_refunded_campaign_s_owner_is_told_there_is_no_payout(owner_client, civic_campaign):
    Campaign.objects.filter(pk=civic_campaign.pk).update(status="refunded")
    html = page(owner_client, civic_campaign)
    assert "This campaign was not funded" in html and "Nothing is paid out to you" in html
    assert "Payouts are scheduled when the campaign is funded." not in html
