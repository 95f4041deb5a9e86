"""A campaign's gallery (pictures in order, each with alt text) and the pictures kept for a form that
came back with an error (PendingPicture). The rules of what is accepted are projects.pictures'."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop
from PIL import Image

from core.errors import ApplicationError

from .models import CampaignPicture, PendingPicture
from .pictures import GALLERY_MAX, picture_encode
from .selectors import campaign_lock
from .services import _check_owner, picture_upload_check

PENDING_KEPT_FOR = dt.timedelta(days=1)
PENDING_PER_USER = 10


def campaign_picture_add(*, campaign: Any, user: Any, image: Any, alt: str) -> CampaignPicture:
    """The owner adds a picture at the end of the campaign's gallery (at most GALLERY_MAX), with its
    alt text (required, one line). Checked and re-encoded (projects.pictures) before anything is
    written; under the campaign's row lock so two uploads at once never pass the limit together."""
    alt = picture_upload_check(campaign=campaign, user=user, image=image, alt=alt)
    if CampaignPicture.objects.filter(campaign_id=campaign.pk).count() >= GALLERY_MAX:
        raise _gallery_full()
    encoded = picture_encode(image, str(campaign.pk))
    with transaction.atomic():
        locked = campaign_lock(campaign.pk)
        pictures = CampaignPicture.objects.filter(campaign=locked)
        if pictures.count() >= GALLERY_MAX:
            raise _gallery_full()
        last = pictures.aggregate(last=Max("position"))["last"]
        with Image.open(encoded) as probe:
            width, height = probe.size
        encoded.seek(0)
        return CampaignPicture.objects.create(
            campaign=locked,
            image=encoded,
            alt=alt[:200],
            position=(last or 0) + 1,
            width=width,
            height=height,
            uploaded_by=user,
        )


def _gallery_full() -> ApplicationError:
    return ApplicationError(
        gettext_noop("A gallery holds at most 8 pictures: remove one first."), code="gallery_full", field="image"
    )


def campaign_picture_remove(*, picture: CampaignPicture, user: Any) -> None:
    """The owner removes a picture from the gallery; its file is deleted once the removal commits."""
    _check_owner(picture.campaign, user)
    with transaction.atomic():
        campaign_lock(picture.campaign_id)
        storage, name = picture.image.storage, picture.image.name
        picture.delete()
        transaction.on_commit(lambda: storage.delete(name))


def campaign_picture_move(*, picture: CampaignPicture, user: Any, step: int) -> None:
    """The owner moves a picture one place earlier (step -1) or later (+1) in the gallery; at either
    end it stays. Positions are renumbered 1..n under the campaign's row lock."""
    _check_owner(picture.campaign, user)
    if step not in (-1, 1):
        raise ApplicationError("A picture moves one place at a time.", field="step")
    with transaction.atomic():
        campaign_lock(picture.campaign_id)
        order = list(CampaignPicture.objects.filter(campaign_id=picture.campaign_id).order_by("position", "id"))
        index = next(i for i, p in enumerate(order) if p.pk == picture.pk)
        other = index + step
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
        for position, row in enumerate(order, start=1):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])


def pending_picture_keep(*, user: Any, upload: Any) -> PendingPicture:
    """Keep a picture chosen on a form that had an error elsewhere, so its user need not choose it
    again: checked and re-encoded like any campaign picture (ApplicationError otherwise), stored
    under a random token. The user's pictures kept over a day ago, or beyond the last
    PENDING_PER_USER, are cleared."""
    encoded = picture_encode(upload, f"{user.pk}")
    name = os.path.basename(str(getattr(upload, "name", "") or "picture"))[:200]
    with transaction.atomic():
        kept = PendingPicture.objects.create(user=user, token=secrets.token_urlsafe(24), image=encoded, name=name)
        stale = PendingPicture.objects.filter(user=user, created_at__lt=timezone.now() - PENDING_KEPT_FOR)
        old_ids = list(stale.values_list("id", flat=True))
        old_ids += list(
            PendingPicture.objects.filter(user=user)
            .order_by("-created_at", "-id")
            .values_list("id", flat=True)[PENDING_PER_USER:]
        )
        _pending_delete(PendingPicture.objects.filter(id__in=set(old_ids)))
    return kept


def pending_picture_of(*, user: Any, token: str) -> PendingPicture | None:
    """The picture `user` kept under `token` (None for another user's token, an unknown one or one
    over a day old)."""
    if not token or not getattr(user, "is_authenticated", False) or len(token) > 64:
        return None
    return PendingPicture.objects.filter(
        user=user, token=token, created_at__gte=timezone.now() - PENDING_KEPT_FOR
    ).first()


def pending_picture_drop(*, user: Any, token: str) -> None:
    """Forget a kept picture once its form was saved (the saved campaign or gallery has its own copy)."""
    if token and getattr(user, "is_authenticated", False):
        _pending_delete(PendingPicture.objects.filter(user=user, token=token))


def pending_pictures_clear(*, now: dt.datetime | None = None) -> int:
    """Delete every kept picture over PENDING_KEPT_FOR old, rows and files (beat job
    projects.tasks.clear_kept_pictures: a user who never came back to their form leaves one behind)."""
    stale = PendingPicture.objects.filter(created_at__lt=(now or timezone.now()) - PENDING_KEPT_FOR)
    with transaction.atomic():
        count = stale.count()
        _pending_delete(stale)
    return count


def _pending_delete(rows: Any) -> None:
    files = [(row.image.storage, row.image.name) for row in rows]
    rows.delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(delete_files)
