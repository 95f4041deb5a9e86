"""Template tags of match funding: the campaign page's "Matched by ..." sentences, the match a pledge
would get (confirm step) or got (receipt), and the two-part progress bar's match part."""

from __future__ import annotations

from django import template

from partners import selectors

register = template.Library()


@register.simple_tag
def match_offers(campaign):
    return selectors.match_offers(campaign)


@register.simple_tag
def match_preview(campaign, amount, backer):
    return selectors.match_preview(campaign, backer=backer, amount=amount)


@register.simple_tag
def pledge_matched(pledge):
    return selectors.pledges_matched([pledge.pk]).get(pledge.pk, 0)


@register.filter
def matched_of(matched: dict, pledge_id):
    """`{{ matched|matched_of:p.pk }}`: a pledge's match from the dashboard's one-query dict."""
    return (matched or {}).get(pledge_id, 0)
