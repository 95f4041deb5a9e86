"""The partners' e-mails, registered as outbox kinds (core.outbox.MAIL_KINDS) when the app is ready:
to the organisation when a match is committed or its pot runs low, to a backer whose pledge was matched."""

from __future__ import annotations

from django.urls import reverse

from core.outbox import MAIL_KINDS, mail_send, site_url

from .models import Match, MemberRole, Pot


def _admin_emails(pot: Pot) -> list[str]:
    return list(
        pot.organisation.members.filter(role=MemberRole.ADMIN).values_list("user__email", flat=True).order_by("id")
    )


@MAIL_KINDS.register("match_committed")
def match_committed(*, match_id: int) -> int:
    match = Match.objects.select_related(
        "pot__organisation", "pot__platform", "campaign__platform", "pledge__backer"
    ).get(pk=match_id)
    pot, campaign = match.pot, match.campaign
    context = {
        "match": match,
        "pot": pot,
        "campaign": campaign,
        "url": site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk])),
    }
    sent = mail_send("match_committed", _admin_emails(pot), context, platform=pot.platform)
    if match.pledge is not None:
        context["receipt_url"] = site_url(reverse("pledge-receipt", args=[match.pledge.pk]))
        sent += mail_send("pledge_matched", [match.pledge.backer.email], context, platform=pot.platform)
    return sent


@MAIL_KINDS.register("pot_low")
def pot_low(*, pot_id: int) -> int:
    pot = Pot.objects.select_related("organisation", "platform").get(pk=pot_id)
    return mail_send("pot_low", _admin_emails(pot), {"pot": pot}, platform=pot.platform)
