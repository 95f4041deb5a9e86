"""Statistics kept in step with the money: one row per platform × category × area × month (`Tally`),
and who backs what (`Backing`, a campaign's distinct backers), both written in the transaction that
moves the money (stats.services.tally). `stats_rebuild` recounts them from the ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Tally(models.Model):
    """What a platform's campaigns of one category and area did in one month of the platform's
    calendar (Jalali on a Persian platform): `period` is year × 100 + month (140309, 202611).

    `raised`: citizen money into the campaigns' escrow (card or wallet pledges) net of refunds, in the
    month it moved. `backers`: distinct backers of each campaign whose money counts, summed over the
    campaigns (a person backing two campaigns counts in each), in the month they began or stopped
    counting. `funded` / `failed`: campaigns closed that month as funded / not funded."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("platforms.Category", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("platforms.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period = models.PositiveIntegerField()
    raised = models.BigIntegerField(default=0)
    backers = models.IntegerField(default=0)
    funded = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "category", "area", "period"], name="tally_one_cell", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform_id}/{self.category_id}/{self.area_id}/{self.period}"


class Backing(models.Model):
    """How many of a backer's pledges to a campaign count (paid, not refunded), so the campaign's
    distinct backers can be kept as pledges start and stop counting."""

    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="+", db_index=False)
    backer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pledges = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "backer"], name="backing_one_per_backer")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.backer_id}: {self.pledges}"
