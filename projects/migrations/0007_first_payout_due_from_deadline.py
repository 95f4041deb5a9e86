"""Recount the stored due date of each first payout not sent yet from the campaign's deadline.

Until now the due date was counted from the day the close job ran, which may be a day or more after
the deadline's own date (a deadline just before midnight, a worker that was down). The rule counts
from the day after the deadline's date in the platform's time zone (issue 10, F2). A due date can
only move earlier this way (a close never runs before the deadline). Payouts already sent, being
processed or paid keep their date; a scheduled payout whose date an admin changed by hand (it no
longer matches the campaign's stored due date) is left alone too. Not reversible: the old dates
were the defect.
"""
import zoneinfo

from django.db import migrations

from platforms.calendars import nth_working_day_after


def first_payout_due_recount(apps, schema_editor):
    Campaign = apps.get_model("projects", "Campaign")
    Payout = apps.get_model("payouts", "Payout")
    scheduled = Payout.objects.filter(kind="first", status="scheduled").values_list("campaign_id", flat=True)
    campaigns = Campaign.objects.filter(pk__in=scheduled, first_payout_due__isnull=False).select_related("platform")
    for campaign in campaigns.iterator():
        platform = campaign.platform
        due = nth_working_day_after(
            campaign.deadline.astimezone(zoneinfo.ZoneInfo(platform.time_zone)).date(),
            platform.payout_delay_working_days, country=platform.holiday_country,
            weekend_days=list(platform.weekend_days), subdivision=platform.holiday_subdivision)
        if due == campaign.first_payout_due:
            continue
        Payout.objects.filter(campaign_id=campaign.pk, kind="first", status="scheduled",
                              due_on=campaign.first_payout_due).update(due_on=due)
        Campaign.objects.filter(pk=campaign.pk).update(first_payout_due=due)


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0006_campaign_backers_at_close"),
        ("payouts", "0003_payout_reversed_amount"),
    ]

    operations = [
        migrations.RunPython(first_payout_due_recount, migrations.RunPython.noop),
    ]
