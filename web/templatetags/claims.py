"""The claim part of a pledge's receipt: its claim, or whether one may be filed today."""

from __future__ import annotations

from django import template

from presale.claims import claim_possible
from presale.selectors import ClaimsSummary, claim_of_pledge, claims_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def pledge_claim(context, pledge) -> dict:
    claim = claim_of_pledge(pledge.pk)
    request = context.get("request")
    user = getattr(request, "user", None)
    can = claim is None and user is not None and claim_possible(pledge=pledge, user=user)
    return {"claim": claim, "can_claim": can}


@register.simple_tag
def campaign_claims(campaign) -> ClaimsSummary:
    return claims_summary(campaign)
