"""A campaign's backers count at its deadline, beside what it raised then (`raised_at_close`), so a
closed campaign keeps showing both after its refunds.

Campaigns closed before this field existed get it from their pledges: those that still count (paid,
secured) on a campaign that succeeded; on one that failed, those its close released or refunded
(ended at or after the close; a pledge cancelled before the deadline ended before it)."""
from django.db import migrations, models
from django.db.models import Q

COUNTING = ("paid", "secured")
UNDONE_BY_THE_CLOSE = ("released", "refunding", "refunded")
FAILED = ("failed", "refunding", "refunded")


def backfill(apps, schema_editor):
    Campaign = apps.get_model("projects", "Campaign")
    Pledge = apps.get_model("pledges", "Pledge")
    closed = Campaign.objects.filter(closed_at__isnull=False, backers_at_close__isnull=True)
    for campaign in closed.iterator():
        pledges = Pledge.objects.filter(campaign_id=campaign.pk)
        if campaign.status in FAILED:
            pledges = pledges.filter(Q(status__in=UNDONE_BY_THE_CLOSE)
                                     & (Q(ended_at__isnull=True) | Q(ended_at__gte=campaign.closed_at)))
        else:
            pledges = pledges.filter(status__in=COUNTING)
        campaign.backers_at_close = pledges.values("backer_id").distinct().count()
        campaign.save(update_fields=["backers_at_close"])


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0005_owner_form_request_keys"),
        ("pledges", "0006_campaign_totals_covering_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="backers_at_close",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
