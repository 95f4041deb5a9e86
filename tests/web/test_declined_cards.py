"""A declined card says why when the provider says (the sandbox's test cards speak Stripe's decline
codes), in the platform's language; a declined attempt leaves the backer's list of pledges and stays
reachable, with its reason, from a disclosure under it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from payments.stripe_gateway import _pi_result
from pledges.models import Pledge
from tests.factories import GOOD_CARD

pytestmark = pytest.mark.django_db

INSUFFICIENT = "4000000000009995"
DECLINED = "4000000000000002"
BAD_NUMBER = "4242424242424241"  # fails the Luhn check


def pay(client, campaign, card, key="k1", amount="10", **more):
    url = reverse("pledge", args=[campaign.platform.slug, campaign.pk])
    data = {"step": "pay", "source": "card", "request_key": key, "amount": amount, "card": card, **more}
    return client.post(url, data)


def card_error(html: str) -> str:
    import re

    return re.sub(
        r"<[^>]+>", "", re.search(r'<div class="errors" id="id_card_error"[^>]*>(.*?)</div', html, re.S).group(1)
    ).strip()


@pytest.mark.parametrize(
    "card, says",
    [
        (INSUFFICIENT, "Your card was declined: insufficient funds. Try another card."),
        (BAD_NUMBER, "This card number is not valid: check it and type it again."),
        (DECLINED, "Your bank declined this card. Try another card, or ask your bank why."),
    ],
)
def test_a_declined_card_says_why(backer_client, civic_campaign, card, says):
    assert card_error(pay(backer_client, civic_campaign, card).content.decode()) == says


def test_a_declined_card_says_why_in_persian_on_a_persian_platform(backer_client, arts_campaign):
    tier = arts_campaign.tiers.get(title="Cinema ticket")
    html = pay(backer_client, arts_campaign, INSUFFICIENT, amount="15000", tier=str(tier.pk)).content.decode()
    assert card_error(html) == "کارت شما پذیرفته نشد: موجودی کافی نیست. با کارت دیگری امتحان کنید."


def test_stripe_s_decline_code_is_kept_for_the_words():
    result = _pi_result(
        {
            "id": "pi_1",
            "status": "requires_payment_method",
            "last_payment_error": {"decline_code": "insufficient_funds"},
        },
        off_session=False,
    )
    assert (result.status, result.code) == ("declined", "insufficient_funds")


def test_a_declined_attempt_leaves_the_dashboard_list_but_keeps_its_page(backer_client, civic_campaign):
    pay(backer_client, civic_campaign, INSUFFICIENT, key="k1")
    pay(backer_client, civic_campaign, GOOD_CARD, key="k2")
    declined = Pledge.objects.get(status="declined")
    html = backer_client.get(reverse("dashboard")).content.decode()
    table = html.split('<table class="pledges">')[1].split("</table>")[0]
    assert table.count("<tr>") == 2  # the header and the paid pledge
    assert reverse("pledge-receipt", args=[declined.pk]) not in table
    assert "1 declined card attempt (nothing was charged)" in html
    assert reverse("pledge-receipt", args=[declined.pk]) in html.split('class="declined-attempts"')[1]
    receipt = backer_client.get(reverse("pledge-receipt", args=[declined.pk])).content.decode()
    assert "insufficient funds" in receipt and "Nothing was charged." in receipt
