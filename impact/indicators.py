"""Impact indicators: at most five per campaign, set while drafting (from the platform's standard list
for the campaign's category, or the owner's own), their achieved values and evidence given with the
final report."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from core.errors import ApplicationError, PermissionDenied
from projects.models import Campaign, CampaignStatus, FinalReport
from projects.reports import report_submit
from projects.selectors import campaign_lock

from .models import MAX_INDICATORS, Indicator, StandardIndicator

S = CampaignStatus


def standards_for(campaign: Campaign) -> QuerySet[StandardIndicator]:
    """The platform's standard indicators a campaign may choose: its category's and the platform-wide ones."""
    return StandardIndicator.objects.filter(platform_id=campaign.platform_id).filter(
        Q(category__isnull=True) | Q(category_id=campaign.category_id)
    )


def _own_draft(campaign: Campaign, user: Any) -> None:
    if campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the campaign's owner may do this.")
    if campaign.status != S.DRAFT:
        raise ApplicationError(gettext_noop("Indicators are set while the campaign is a draft."), code="not_draft")


def indicator_add(
    *,
    campaign: Campaign,
    user: Any,
    target: int,
    standard: StandardIndicator | int | None = None,
    name: str = "",
    unit: str = "",
) -> Indicator:
    """Add one of the draft's indicators: a standard one of its platform (its name and unit), or the
    owner's own name and unit. Under the campaign's lock, so two at once never make a sixth."""
    if isinstance(target, bool) or not isinstance(target, int) or target <= 0:
        raise ApplicationError(gettext_noop("The target must be a positive whole number."), field="target")
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        _own_draft(campaign, user)
        if standard is not None:
            standard_id = standard.pk if isinstance(standard, StandardIndicator) else standard
            found = standards_for(campaign).filter(pk=standard_id).first()
            if found is None:
                raise ApplicationError(gettext_noop("Choose an indicator of this platform's list."), field="standard")
            name, unit = found.name, found.unit
            standard = found
        elif not name.strip() or not unit.strip():
            raise ApplicationError(
                gettext_noop("Choose an indicator from the list, or give yours a name and a unit."), field="name"
            )
        if Indicator.objects.filter(campaign=campaign).count() >= MAX_INDICATORS:
            raise ApplicationError(gettext_noop("A campaign has at most five indicators."), code="too_many_indicators")
        return Indicator.objects.create(
            campaign=campaign, standard=standard, name=name.strip(), unit=unit.strip(), target=target
        )


def indicator_remove(*, indicator: Indicator, user: Any) -> None:
    with transaction.atomic():
        campaign = campaign_lock(indicator.campaign_id)
        _own_draft(campaign, user)
        Indicator.objects.filter(pk=indicator.pk).delete()


def final_report_file(
    *,
    campaign: Campaign,
    user: Any,
    text: str,
    spending: list[dict],
    achieved: dict[int, tuple[int, str]] | None = None,
    attachments: list[tuple[Any, str]] | None = None,
    request_key: str | None = None,
) -> FinalReport:
    """File the final report (projects.reports.report_submit: its spending lines and attachments)
    with each indicator's achieved value and evidence, all in one transaction: every indicator of the
    campaign needs its value."""
    achieved = achieved or {}
    indicators = list(Indicator.objects.filter(campaign=campaign))
    for indicator in indicators:
        value = achieved.get(indicator.pk, (None, ""))[0]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ApplicationError(
                gettext_noop("Give what was achieved for each indicator (a whole number, 0 or more)."),
                field="achieved",
            )
    with transaction.atomic():
        report = report_submit(
            campaign=campaign,
            user=user,
            text=text,
            spending=spending,
            request_key=request_key,
            attachments=attachments,
        )
        for indicator in indicators:
            value, evidence = achieved[indicator.pk]
            Indicator.objects.filter(pk=indicator.pk).update(achieved=value, evidence=evidence.strip())
    return report
