"""The partners' e-mails, registered as outbox kinds (core.outbox.MAIL_KINDS) when the app is ready:
to the organisation when a match is committed or its pot runs low, to a backer whose pledge was matched,
to an owner when a call decided on their application."""

from __future__ import annotations

from django.urls import reverse

from core.outbox import MAIL_KINDS, mail_send, site_url

from .models import Application, Match, MemberRole, Pot


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


@MAIL_KINDS.register("call_decision")
def call_decision(*, application_id: int) -> int:
    """The owner is told what the call's organisation decided on their application (and why)."""
    application = Application.objects.select_related(
        "call__organisation", "call__platform", "campaign__owner", "campaign__platform"
    ).get(pk=application_id)
    call = application.call
    context = {
        "application": application,
        "call": call,
        "campaign": application.campaign,
        "url": site_url(reverse("call", args=[call.platform.slug, call.pk])),
    }
    return mail_send("call_decision", [application.campaign.owner.email], context, platform=call.platform)
