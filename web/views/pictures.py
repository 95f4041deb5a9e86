"""A campaign's pictures, video and public backers list on the site: the gallery's owner actions,
keeping a chosen picture when its form comes back with an error, the campaign page's parts
(templates/projects/_gallery.html, _backers.html) and the full backers page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from platforms.middleware import platform_locale_activate
from pledges.selectors import (
    campaign_backers_public,
    campaign_backers_public_count,
    campaign_owned,
    campaign_public_page,
    pledge_of_backer,
)
from pledges.services import backer_visibility_set
from projects.gallery import (
    campaign_picture_add,
    campaign_picture_move,
    campaign_picture_remove,
    pending_picture_drop,
    pending_picture_keep,
    pending_picture_of,
)
from projects.models import PendingPicture
from projects.pictures import GALLERY_MAX, video_parse
from web.forms.campaigns import GalleryPictureForm
from web.labels import error_text, form_error

BACKERS_SHOWN = 12  # on the campaign's page; the rest on its backers page
BACKERS_PAGE = 50

# --- a picture kept across a form's error ---------------------------------------------------------


def kept_name(form: Any, field: str = "image") -> str:
    """The hidden field that carries a kept picture's token (beside the file field, with its prefix)."""
    return form.add_prefix(field) + "_kept"


def files_with_kept(request, prefix: str | None = None, field: str = "image") -> tuple[Any, PendingPicture | None]:
    """The request's files, with the picture kept from an earlier try put back in `field` when none
    was chosen this time (and the picture is not being cleared). Checked again by the form."""
    name = f"{prefix}-{field}" if prefix else field
    files = request.FILES.copy()
    token = request.POST.get(name + "_kept", "")
    kept = None
    if name not in files and token and not request.POST.get(name + "-clear"):
        kept = pending_picture_of(user=request.user, token=token)
        if kept is not None:
            files[name] = File(kept.image.open("rb"), name=kept.name)
    return files, kept


def keep_after_error(request, form, kept: PendingPicture | None, field: str = "image") -> None:
    """The form came back with an error: a good picture chosen on it is kept (shown back to the user as
    "kept: name", its token in a hidden field), so it need not be chosen again; a refused one is not."""
    form.kept, form.kept_name = None, kept_name(form, field)
    if field in form.errors:
        return
    upload = form.cleaned_data.get(field) if hasattr(form, "cleaned_data") else None
    if kept is not None:
        form.kept = kept
    elif upload:
        try:
            form.kept = pending_picture_keep(user=request.user, upload=upload)
        except ApplicationError:
            form.kept = None


def kept_done(request, kept: PendingPicture | None) -> None:
    if kept is not None:
        pending_picture_drop(user=request.user, token=kept.token)


# --- the gallery: the owner's actions -------------------------------------------------------------


def _own(request, pk):
    campaign = campaign_owned(request.user, pk)
    if campaign is None:
        raise Http404
    platform_locale_activate(request, campaign.platform)
    return campaign


def _own_picture(campaign, picture_pk):
    picture = next((p for p in campaign.gallery.all() if p.pk == picture_pk), None)
    if picture is None:
        raise Http404
    return picture


def gallery_add_post(request, pk, *, manage):
    """Add a picture to the gallery (web.views.owner.gallery_add: signed in, POST); on an error the
    owner's page shows the form again with the picture kept. `manage` renders the owner's page."""
    campaign = _own(request, pk)
    files, kept = files_with_kept(request, prefix=GalleryPictureForm.prefix)
    form = GalleryPictureForm(request.POST, files)
    if form.is_valid():
        try:
            campaign_picture_add(
                campaign=campaign, user=request.user, image=form.cleaned_data["image"], alt=form.cleaned_data["alt"]
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            kept_done(request, kept)
            messages.success(request, _("Picture added to the gallery."))
            return redirect("owner-campaign", pk=pk)
    keep_after_error(request, form, kept)
    return manage(request, pk, gallery_form=form)


@login_required
@require_POST
def gallery_remove(request, pk, picture_pk):
    campaign = _own(request, pk)
    try:
        campaign_picture_remove(picture=_own_picture(campaign, picture_pk), user=request.user)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Picture removed from the gallery."))
    return redirect("owner-campaign", pk=pk)


@login_required
@require_POST
def gallery_move(request, pk, picture_pk):
    campaign = _own(request, pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        campaign_picture_move(picture=_own_picture(campaign, picture_pk), user=request.user, step=step)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect(reverse("owner-campaign", args=[pk]) + "#gallery-h")


def gallery_owner_context(campaign, gallery_form=None) -> dict:
    """The owner's page: the gallery with its form."""
    pictures = list(campaign.gallery.all())
    return {
        "gallery": pictures,
        "gallery_form": gallery_form or GalleryPictureForm(),
        "gallery_full": len(pictures) >= GALLERY_MAX,
        "gallery_max": GALLERY_MAX,
    }


# --- the campaign's page and its backers page -----------------------------------------------------


def campaign_media_context(campaign) -> dict:
    """What the campaign's page shows of its pictures, video and backers; three queries whatever the
    number of pictures or backers (tests/web/test_pictures_backers_queries.py)."""
    video = None
    if campaign.video_url:
        try:
            video = video_parse(campaign.video_url)
        except ApplicationError:
            video = None
    return {
        "gallery": list(campaign.gallery.all()),
        "video": video,
        "video_embed": bool(video and campaign.video_embed and video.embeddable),
        "public_backers": campaign_backers_public(campaign.pk, limit=BACKERS_SHOWN),
        "backers_more": campaign.backers > BACKERS_SHOWN,  # annotated by campaigns_with_totals
    }


def campaign_backers_page(request, slug, pk):
    """Every backer of a campaign, newest first, by name or as anonymous, a page at a time."""
    campaign = campaign_public_page(slug=slug, campaign_id=pk)
    if campaign is None:
        raise Http404
    total = campaign_backers_public_count(campaign.pk)
    page = Paginator(range(total), BACKERS_PAGE).get_page(request.GET.get("page"))
    start = (page.number - 1) * BACKERS_PAGE
    return render(
        request,
        "projects/backers.html",
        {
            "campaign": campaign,
            "platform": campaign.platform,
            "page": page,
            "total": total,
            "public_backers": campaign_backers_public(campaign.pk, limit=BACKERS_PAGE, offset=start),
        },
    )


@login_required
@require_POST
def pledge_visibility(request, pk):
    """The backer changes, on their pledge's page, how they appear on the campaign's backers list."""
    pledge = pledge_of_backer(request.user, pk)
    if pledge is None:
        raise Http404
    platform_locale_activate(request, pledge.campaign.platform)
    by_name = request.POST.get("show_name") == "1"
    try:
        backer_visibility_set(campaign_id=pledge.campaign_id, backer=request.user, by_name=by_name)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("The campaign's list of backers now shows your name.")
            if by_name
            else _("The campaign's list of backers now shows you as anonymous."),
        )
    return redirect("pledge-receipt", pk=pk)
