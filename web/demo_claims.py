"""Demo data of claims: on the demo's guaranteed pre-sale campaign whose reward is late (the delivery
demo makes it), one backer has filed a claim with a photo and the owner has answered it, so it waits for
staff's decision (the admin: Pre-sale → Claims) and its held part is frozen meanwhile."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from pledges.models import Pledge, PledgeStatus
from presale.claims import claim_answer, claim_file
from presale.models import Claim, ClaimGround
from presale.selectors import is_late
from projects.models import FUNDED_STATUSES


def _photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), (245, 240, 230))
    ImageDraw.Draw(image).text((40, 40), "No parcel yet", fill=(90, 60, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("no-parcel.png", buffer.getvalue(), content_type="image/png")


def demo_claims_load(*, now: dt.datetime | None = None) -> Claim | None:
    """File and answer one claim for a late reward of a funded, guaranteed pre-sale campaign (once);
    None when no reward is late."""
    now = now or timezone.now()
    if Claim.objects.exists():
        return None
    pledges = (
        Pledge.objects.filter(
            status=PledgeStatus.PAID,
            campaign__platform__guarantee_required=True,
            campaign__status__in=FUNDED_STATUSES,
            tier__ships=True,
            claim__isnull=True,
        )
        .select_related("campaign__platform", "campaign__owner", "tier", "backer")
        .order_by("id")
    )
    for pledge in pledges:
        if not is_late(pledge, timezone.localtime(now, pledge.campaign.platform.tz).date()):
            continue
        claim = claim_file(
            pledge=pledge,
            user=pledge.backer,
            ground=ClaimGround.LATE,
            description="بیش از یک ماه از موعد تحویل گذشته و پاداش هنوز نرسیده است. پیام‌هایم بی‌پاسخ مانده است.",
            amount=pledge.amount,
            evidence=[_photo()],
            now=now,
        )
        return claim_answer(
            claim=claim,
            user=pledge.campaign.owner,
            answer="قطعه‌ای از خط تولید دیر رسید؛ ارسال این سفارش تا دو هفته دیگر انجام می‌شود.",
            now=now,
        )
    return None
