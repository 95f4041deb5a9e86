"""The Stripe pages speak Persian to a Persian visitor: the confirm/retry payment page, what the
Checkout return and cancel say, and the owner's Connect links and messages, from the compiled
catalogue the site uses (locale/fa/LC_MESSAGES/django.mo)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from payouts.models import StripeConnectAccount

from ..factories import TierFactory, UserFactory
from .conftest import NEEDS_3DS, pledge_on_checkout

pytestmark = pytest.mark.django_db

STRIPE_SOURCES = (
    "payments/views.py",
    "templates/payments/pledge_retry.html",
    "templates/pledges/receipt.html",
    "templates/emails/pledge_receipt.txt",
    "templates/emails/pledge_receipt_subject.txt",
    "templates/pledges/pledge_confirm.html",
    "templates/projects/owner/campaign.html",
    "templates/pledges/_cancel_unpaid.html",
    "templates/emails/pledge_retry.txt",
    "templates/emails/pledge_retry_subject.txt",
)


def _persian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"


def test_every_string_of_the_stripe_pages_has_a_persian_translation_in_the_compiled_catalogue():
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
    ours = [e.msgid for e in po if any(path in STRIPE_SOURCES for path, _line in e.occurrences)]
    assert len(ours) > 30
    with translation.override("fa"):
        untranslated = [msgid for msgid in ours if translation.gettext(msgid) == msgid]
    assert untranslated == []


def test_the_confirm_page_and_the_receipt_speak_persian(charge_now, campaign_on, card, stripe_server, client):
    campaign = campaign_on(charge_now, goal=100_000)
    client.force_login(UserFactory())
    _persian(client)
    pledge, back = pledge_on_checkout(client, stripe_server, card, campaign, number=NEEDS_3DS)
    page = client.get(back.url).content.decode()
    assert 'lang="fa"' in page
    assert f"تکمیل حمایت شما از {campaign.title}" in page
    assert "بانک شما تأیید این پرداخت را از شما خواسته است (3-D Secure)." in page
    assert "یا با کارت دیگری پرداخت کنید" in page
    receipt = client.get(reverse("pledge-receipt", args=[pledge.pk])).content.decode()
    assert "تأیید پرداخت" in receipt


def test_leaving_checkout_is_explained_in_persian(on_success, campaign_on, stripe_server, client):
    from urllib.parse import urlsplit

    campaign = campaign_on(on_success, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=2_000)
    client.force_login(UserFactory())
    _persian(client)
    client.post(
        reverse("pledge", args=[campaign.platform.slug, campaign.pk]),
        {"step": "pay", "source": "card", "amount": "20.00", "tier": tier.pk, "request_key": "k"},
    )
    (session,) = stripe_server.sessions.values()
    cancel = urlsplit(session["cancel_url"])
    page = client.get(f"{cancel.path}?{cancel.query}", follow=True).content.decode()
    assert "از صفحه‌ی کارت Stripe خارج شدید؛ حمایت شما ثبت نشد و مبلغی برداشت نشد." in page


def test_an_owner_connects_stripe_from_the_campaign_page_and_is_told_where_payouts_stand(
    charge_now, campaign_on, stripe_server, client
):
    owner = UserFactory()
    campaign = campaign_on(charge_now, owner=owner)
    client.force_login(owner)
    _persian(client)
    page = client.get(reverse("owner-campaign", args=[campaign.pk])).content.decode()
    assert "اتصال حساب Stripe" in page and f'href="{reverse("payments:stripe_connect")}"' in page

    onboarding = client.get(reverse("payments:stripe_connect"))
    assert onboarding.status_code == 302 and onboarding.url.startswith("https://connect.stripe.com/")
    account = StripeConnectAccount.objects.get(user=owner)
    back = client.get(reverse("payments:stripe_connect_return"), follow=True).content.decode()
    assert "راه‌اندازی حساب شما در Stripe هنوز تمام نشده است" in back
    assert "ادامه‌ی راه‌اندازی حساب Stripe" in client.get(reverse("owner-campaign", args=[campaign.pk])).content.decode()

    stripe_server.account_update(account.account_id, payouts_enabled=True, charges_enabled=True, details_submitted=True)
    back = client.get(reverse("payments:stripe_connect_return"), follow=True).content.decode()
    assert "حساب Stripe شما متصل شد؛ پرداخت‌های شما به این حساب واریز می‌شود." in back
    assert (
        "پرداخت‌های شما به حساب Stripe شما واریز می‌شود."
        in client.get(reverse("owner-campaign", args=[campaign.pk])).content.decode()
    )


def test_owners_on_sandbox_platforms_see_no_stripe_link(db, client):
    from ..factories import CampaignFactory

    campaign = CampaignFactory(slug="civic")
    client.force_login(campaign.owner)
    page = client.get(reverse("owner-campaign", args=[campaign.pk])).content.decode()
    assert reverse("payments:stripe_connect") not in page


def test_the_confirm_page_opened_from_the_e_mail_in_a_new_session_speaks_the_platform_s_language(
    stripe_server, campaign_on, card, client
):
    """The e-mail's link to /payments/pledges/<id>/pay/ names no platform: the page takes the
    pledge's platform's language, as its receipt does, not the browser's."""
    from django.test import Client

    from .conftest import stripe_platform

    persian = stripe_platform("charge_now", language="fa")
    campaign = campaign_on(persian, goal=100_000)
    backer = UserFactory()
    client.force_login(backer)
    pledge, _back = pledge_on_checkout(client, stripe_server, card, campaign, number=NEEDS_3DS)
    fresh = Client()  # another browser: no session, no language chosen
    fresh.force_login(backer)
    page = fresh.get(reverse("payments:pledge_retry", args=[pledge.pk])).content.decode()
    assert 'lang="fa"' in page and f"تکمیل حمایت شما از {campaign.title}" in page
